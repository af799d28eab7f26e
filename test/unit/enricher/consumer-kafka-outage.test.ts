/** One log line when Kafka stops answering and one when it answers again for a while, not one per retry. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { Logger } from '../../../src/runtime/logger.ts';
import { ConsumerKafkaOutage } from '../../../src/enricher/consumer-kafka-outage.ts';

function recordingLog(): { log: Logger; lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (_fields: object, msg: string) => void lines.push({ level, msg });
  return { log: { warn: at('warn'), info: at('info') } as unknown as Logger, lines };
}

describe('ConsumerKafkaOutage', () => {
  it('says the outage once, however often kafkajs retries, and its end once Kafka answered long enough', async () => {
    const { log, lines } = recordingLog();
    const outage = new ConsumerKafkaOutage(log, 50);
    outage.trouble('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    outage.trouble('Connection error: read ECONNRESET');
    outage.trouble('KafkaJSNumberOfRetriesExceeded');
    assert.deepEqual(lines.map((l) => l.level), ['warn']);
    assert.match(lines[0]!.msg, /^Kafka unavailable since /);
    outage.answers();
    outage.answers();
    await sleep(120);
    assert.deepEqual(lines.map((l) => l.level), ['warn', 'info']);
    assert.match(lines[1]!.msg, /^Kafka available again after [\d.]+ s; consuming$/);
  });

  it('trouble soon after Kafka answered is the same outage (a broker shutting down answers for a while)', async () => {
    const { log, lines } = recordingLog();
    const outage = new ConsumerKafkaOutage(log, 60);
    outage.trouble('Closed connection');
    outage.answers();
    await sleep(20);
    outage.trouble('Connection timeout');
    await sleep(80);
    assert.deepEqual(lines.map((l) => l.level), ['warn'], 'no end while the trouble went on');
    outage.answers();
    await sleep(120);
    assert.deepEqual(lines.map((l) => l.level), ['warn', 'info']);
  });

  it('ignores messages that are not Kafka being unavailable, answers without an outage, and everything once halted', async () => {
    const { log, lines } = recordingLog();
    const outage = new ConsumerKafkaOutage(log, 10);
    outage.trouble('The group is rebalancing, re-joining');
    outage.answers();
    await sleep(30);
    outage.halt();
    outage.trouble('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    assert.deepEqual(lines, []);
  });
});
