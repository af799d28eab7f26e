/**
 * kafkajs on Node 24 against the real broker: its request queue's negative setTimeout (kafkajs
 * issue #1751) prints a TimeoutNegativeWarning on every connection unless segflow's Kafka client
 * module holds it back, and holding it back must not hide anyone else's negative timeout.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { requireKafkaBrokers } from '../harness/service-env.ts';

const root = path.resolve(import.meta.dirname, '../..');
const clientModule = pathToFileURL(path.join(root, 'src/runtime/kafka-client.ts')).href;

/** Runs `body` as an ES module in a fresh Node (this one) and returns its stderr. */
function stderrOf(body: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', body], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `child exited ${r.status}: ${r.stderr}`);
  return r.stderr;
}

const negativeTimeoutWarnings = (stderr: string): string[] => stderr.split('\n').filter((l) => l.includes('TimeoutNegativeWarning'));

describe('kafkajs warnings on Node 24 (real Kafka)', () => {
  const brokers = requireKafkaBrokers();
  const connectAndList = (kafka: string) => `
    const admin = ${kafka}.admin();
    await admin.connect();
    await admin.listTopics();
    await admin.disconnect();`;

  it('plain kafkajs still warns (the reason for the filter; if this fails, kafkajs is fixed and the filter can go)', () => {
    const stderr = stderrOf(`
      import { Kafka, logLevel } from 'kafkajs';
      ${connectAndList(`new Kafka({ brokers: ${JSON.stringify(brokers.split(','))}, logLevel: logLevel.NOTHING })`)}`);
    const warnings = negativeTimeoutWarnings(stderr);
    assert.ok(warnings.length > 0, `expected kafkajs's TimeoutNegativeWarning, stderr: ${stderr}`);
    assert.match(warnings[0]!, /TimeoutNegativeWarning: -\d{13} is a negative number/);
  });

  it("segflow's Kafka client prints no warning for kafkajs's negative timeout", () => {
    const stderr = stderrOf(`
      import { createKafka } from ${JSON.stringify(clientModule)};
      ${connectAndList(`createKafka(${JSON.stringify(brokers)}, 'warning-test', { logLevel: 0 })`)}`);
    assert.deepEqual(negativeTimeoutWarnings(stderr), [], stderr);
  });

  it('with the filter in place, a negative timeout elsewhere still prints', () => {
    // Node prints TimeoutNegativeWarning once per process, so this child makes no Kafka connection.
    const stderr = stderrOf(`
      await import(${JSON.stringify(clientModule)});
      setTimeout(() => undefined, -5);`);
    assert.equal(negativeTimeoutWarnings(stderr).length, 1, stderr);
    assert.match(stderr, /\(node:\d+\) TimeoutNegativeWarning: -5 is a negative number\./);
  });
});
