/**
 * segflow's Kafka clients against the real broker, with kafkajs's request queue mended
 * (src/runtime/kafkajs-request-queue.ts): an idle connection no longer polls itself every
 * millisecond (nor prints Node's TimeoutNegativeWarning for it), and requests that wait behind
 * one in flight still all go out, each once.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { deleteTopics } from '../harness/pipeline-resources.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';

const root = path.resolve(import.meta.dirname, '../..');
const clientModule = pathToFileURL(path.join(root, 'src/runtime/kafka-client.ts')).href;

describe("segflow's kafkajs request queue (real Kafka)", () => {
  const brokers = requireKafkaBrokers();
  const topic = uniqueName('request-queue');
  const kafka = createKafka(brokers, 'request-queue-test');
  after(async () => {
    await deleteTopics(kafka, [topic]).catch(() => undefined);
  });

  it('an idle connection makes no timer rounds and no TimeoutNegativeWarning', () => {
    // A fresh process: Node prints TimeoutNegativeWarning once per process, and the count below
    // must see only this client's checks.
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      import { createRequire } from 'node:module';
      const { createKafka } = await import(${JSON.stringify(clientModule)});
      const RequestQueue = createRequire(${JSON.stringify(path.join(root, 'package.json'))})('kafkajs/src/network/requestQueue/index.js');
      let checks = 0;
      const check = RequestQueue.prototype.checkPendingRequests;
      RequestQueue.prototype.checkPendingRequests = function () { checks++; return check.call(this); };
      const kafka = createKafka(${JSON.stringify(brokers)}, 'request-queue-idle', { logLevel: 0 });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: ${JSON.stringify(topic)}, numPartitions: 1 }], waitForLeaders: true });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: ${JSON.stringify(topic)}, messages: [{ value: 'one' }] });
      const before = checks;
      await new Promise((r) => setTimeout(r, 1000));
      console.log(JSON.stringify({ idleChecks: checks - before }));
      await producer.disconnect();
      await admin.disconnect();`], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const { idleChecks } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { idleChecks: number };
    // Unmended, each open connection checks ~1,000 times a second (test/unit/runtime/kafkajs-request-queue.test.ts).
    assert.ok(idleChecks <= 5, `an idle second made ${idleChecks} queue checks`);
    assert.doesNotMatch(r.stderr, /TimeoutNegativeWarning/);
  });

  it('requests waiting behind the one in flight all go out, each once', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      // 50 sends at once: with one request in flight, 49 wait in the queue.
      await Promise.all(Array.from({ length: 50 }, (_, i) => producer.send({ topic, acks: -1, messages: [{ key: 'k', value: String(i) }] })));
    } finally {
      await producer.disconnect();
    }
    const consumer = kafka.consumer({ groupId: uniqueName('request-queue-read') });
    await consumer.connect();
    const values: string[] = [];
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
      for (const until = Date.now() + 30_000; values.length < 51 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await consumer.disconnect();
    }
    // Sorted: kafkajs does not keep concurrent send() calls in call order (unmended kafkajs
    // reorders them too; the agent sends one batch at a time). The queue itself is first in,
    // first out (test/unit/runtime/kafkajs-request-queue.test.ts).
    assert.equal(values[0], 'one');
    assert.deepEqual(values.slice(1).map(Number).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  });
});
