/**
 * Proves the Kafka the test run provides is a real broker that kafkajs speaks to: 10,000 keyed
 * messages with acks=all into a 3-partition topic, read back by a consumer group, with count,
 * content and per-partition (per-key) order checked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin } from 'kafkajs';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';

const MESSAGES = 10_000;
const KEYS = 37;

describe('Kafka smoke test (real broker)', () => {
  const kafka = createKafka(requireKafkaBrokers(), 'smoke-test');
  const topic = uniqueName('smoke');
  let admin: Admin;

  before(async () => {
    admin = kafka.admin();
    await admin.connect();
    assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true }), true);
  });

  after(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('produces 10,000 keyed messages with acks=all and consumes them all back in order per partition', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sentPartitionOfKey = new Map<string, number>();
    const perKeySeq = new Map<string, number>();
    for (let start = 0; start < MESSAGES; start += 500) {
      const messages = [];
      for (let i = start; i < Math.min(start + 500, MESSAGES); i++) {
        const key = `node-${i % KEYS}`;
        const seq = perKeySeq.get(key) ?? 0;
        perKeySeq.set(key, seq + 1);
        messages.push({ key, value: JSON.stringify({ i, key, seq }) });
      }
      const metadata = await producer.send({ topic, acks: -1, messages });
      assert.ok(metadata.every((m) => m.errorCode === 0), 'every partition acknowledged without error');
    }
    await producer.disconnect();

    const offsets = await admin.fetchTopicOffsets(topic);
    assert.equal(offsets.length, 3, 'three partitions');
    const highWater = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    assert.equal(highWater, MESSAGES, 'high watermarks add up to exactly what was sent (idempotent: no duplicates)');
    assert.ok(offsets.filter((p) => Number(p.high) > 0).length >= 2, 'keys spread over several partitions');

    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen = new Set<number>();
    const lastSeqOfKey = new Map<string, number>();
    const lastOffsetOfPartition = new Map<number, bigint>();
    let violations = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${seen.size} of ${MESSAGES} messages consumed within 120 s`)), 120_000);
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          const body = JSON.parse(message.value?.toString() ?? 'null') as { i: number; key: string; seq: number };
          const key = message.key?.toString() ?? '';
          if (body.key !== key) violations++;
          const known = sentPartitionOfKey.get(key);
          if (known === undefined) sentPartitionOfKey.set(key, partition);
          else if (known !== partition) violations++;
          if (body.seq !== (lastSeqOfKey.get(key) ?? -1) + 1) violations++;
          lastSeqOfKey.set(key, body.seq);
          const offset = BigInt(message.offset);
          if (offset <= (lastOffsetOfPartition.get(partition) ?? -1n)) violations++;
          lastOffsetOfPartition.set(partition, offset);
          seen.add(body.i);
          if (seen.size === MESSAGES) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
    await consumer.disconnect();

    assert.equal(seen.size, MESSAGES, 'every message consumed exactly once by index');
    assert.equal(violations, 0, 'each key stays in one partition, its sequence and the offsets only increase');
    for (const [key, count] of perKeySeq) assert.equal((lastSeqOfKey.get(key) ?? -1) + 1, count, `all messages of ${key} seen`);
  });
});
