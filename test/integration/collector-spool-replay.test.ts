/**
 * The collector against real Kafka, through a TCP proxy the test can cut: batches arrive
 * decodable and numbered 1, 2, 3...; while Kafka is unreachable they go to the disk spool; when
 * it comes back they are replayed in order and nothing is lost — also across a collector
 * restart in the middle of the outage (a new boot replays what the previous one spooled).
 *
 * Kafka is the real broker of the test run (KAFKA_BROKERS). Every connection of the collector's
 * Kafka client goes through the proxy (kafkajs `socketFactory`), so "Kafka down" is a real
 * network failure for the client, while the shared broker keeps serving other tests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import { Collector } from '../../src/collector/collector.ts';
import type { FlowRecordHandler, FlowSource } from '../../src/collector/sources/flow-source.ts';
import { decodeFlowBatch, type FlowBatchData, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../src/contract/wire/ip-address-bytes.ts';
import { createKafka, parseBrokerList } from '../../src/runtime/kafka-client.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitForGroupAtTopicEnd } from '../harness/consumer-group-offsets.ts';
import { CuttableKafkaProxy as CuttableProxy } from '../harness/cuttable-kafka-proxy.ts';

/** An in-process source the test drives: each call emits records with ids from..to. */
class ScriptedSource implements FlowSource {
  readonly name = 'conntrack';
  private handler: FlowRecordHandler | null = null;
  async start(onRecords: FlowRecordHandler): Promise<void> {
    this.handler = onRecords;
  }
  async stop(): Promise<void> {
    this.handler = null;
  }
  status(): Record<string, unknown> {
    return { running: this.handler !== null };
  }
  emit(from: number, to: number): void {
    const records: FlowRecordData[] = [];
    for (let id = from; id <= to; id++) records.push(flowRecord(id));
    this.handler?.(records);
  }
}

function flowRecord(id: number): FlowRecordData {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    source: 'conntrack',
    nodeName: 'spool-test-node',
    startTimeUnixNano: now - 1_000_000_000n,
    endTimeUnixNano: now,
    ipVersion: 4,
    protocol: 6,
    original: { srcIp: ipToBytes('10.231.9.1'), dstIp: ipToBytes('10.231.9.2'), srcPort: 40000 + (id % 20000), dstPort: 443 },
    reply: { srcIp: ipToBytes('10.231.9.2'), dstIp: ipToBytes('10.231.9.1'), srcPort: 443, dstPort: 40000 + (id % 20000) },
    originalPackets: 3,
    originalBytes: 180 + id,
    replyPackets: 2,
    replyBytes: 120,
    eventKind: 'update',
    tcpState: 'ESTABLISHED',
    assured: true,
    unreplied: false,
    conntrackId: id,
    conntrackMark: 0,
    dataplaneVerdict: 'unknown',
    ruleHint: '',
    icmpType: 0,
    icmpCode: 0,
    icmpId: 0,
    countersValid: true,
  };
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads every message of a one-partition topic from the beginning, in offset order. */
async function readTopic(kafka: Kafka, topic: string, expectAtLeast: number): Promise<Array<{ key: string; batch: FlowBatchData }>> {
  const groupId = uniqueName('collector-test-reader');
  const consumer = kafka.consumer({ groupId });
  const out: Array<{ key: string; batch: FlowBatchData }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        out.push({ key: message.key?.toString() ?? '', batch: decodeFlowBatch(message.value ?? new Uint8Array(0)) });
      },
    });
    await waitFor(`${expectAtLeast} records on ${topic}`, 60_000, () => out.reduce((n, m) => n + m.batch.records.length, 0) >= expectAtLeast);
    // Anything beyond (duplicates) shows up too: read until the reader's committed offsets reach
    // the end of the topic (the collector has delivered everything by now).
    await waitForGroupAtTopicEnd(kafka, groupId, topic, 60_000);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

describe('collector delivery through Kafka outages (real Kafka)', () => {
  const brokers = parseBrokerList(requireKafkaBrokers());
  const [host, port] = brokers[0]!.split(':') as [string, string];
  const proxy = new CuttableProxy(host, Number(port));
  const topic = uniqueName('flows-raw-spool');
  const kafka = createKafka(brokers, 'collector-spool-test');
  let spoolDir = '';

  before(async () => {
    spoolDir = await mkdtemp(path.join(os.tmpdir(), 'segflow-collector-it-'));
    await proxy.open();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });
  // Every collector a test made is stopped here too, so a failed assertion never leaves one
  // running (it would keep the test process alive until the runner's timeout).
  const created: Collector[] = [];
  after(async () => {
    for (const c of created) await c.stop(100).catch(() => undefined);
    await proxy.cut();
    await rm(spoolDir, { recursive: true, force: true });
  });

  const newCollector = (source: ScriptedSource, overrides: { topic?: string; spool?: object; logLines?: string[] } = {}): Collector => {
    const collector = new Collector(
      {
        nodeName: 'spool-test-node',
        kafka: { brokers, topic: overrides.topic ?? topic, sendTimeoutMs: 3000, ensureTopic: false, clientOverrides: { socketFactory: proxy.socketFactory() } },
        batch: { maxRecords: 10, maxDelayMs: 50, maxBytes: 2000 },
        spool: { directory: spoolDir, maxBytes: 16 * 1024 * 1024, segmentBytes: 1024 * 1024, ...overrides.spool },
        http: { host: '127.0.0.1', port: 0 },
      },
      {
        sources: [source],
        ...(overrides.logLines
          ? { logger: pino({ level: 'info' }, { write: (line: string) => void overrides.logLines!.push(line) }) }
          : {}),
      },
    );
    created.push(collector);
    return collector;
  };

  it('delivers numbered batches, spools during an outage (even across a restart) and replays in order', async () => {
    // Boot 1: Kafka up, records 1-50 go straight through.
    const source1 = new ScriptedSource();
    const first = newCollector(source1);
    await first.start();
    source1.emit(1, 50);
    await first.drained(30_000);
    assert.equal(await first.metrics.valueOf(first.metrics.recordsSent), 50);
    assert.equal(await first.metrics.valueOf(first.metrics.recordsSpooled), 0);

    // Outage: records 51-100 are spooled, nothing is lost, /status says Kafka is down.
    await proxy.cut();
    source1.emit(51, 100);
    await waitFor('50 records spooled', 30_000, async () => (await first.metrics.valueOf(first.metrics.recordsSpooled)) === 50);
    const status = (await (await fetch(`http://127.0.0.1:${first.httpPort}/status`)).json()) as { delivery: { kafkaUp: boolean; spooledRecords: number } };
    assert.equal(status.delivery.kafkaUp, false);
    assert.equal(status.delivery.spooledRecords, 50);
    const metricsText = await (await fetch(`http://127.0.0.1:${first.httpPort}/metrics`)).text();
    assert.match(metricsText, /segflow_collector_records_spooled_total 50/);
    assert.match(metricsText, /segflow_collector_kafka_up 0/);
    assert.equal((await fetch(`http://127.0.0.1:${first.httpPort}/healthz`)).status, 200, 'a Kafka outage is covered by the spool: still healthy');

    // The collector is restarted during the outage: the spool survives on disk.
    const firstBoot = first.bootId;
    await first.stop(500);
    const source2 = new ScriptedSource();
    const second = newCollector(source2);
    await second.start();
    source2.emit(101, 130); // behind the spooled batches of boot 1
    await waitFor('boot 2 spooling behind boot 1', 30_000, async () => (await second.metrics.valueOf(second.metrics.recordsSpooled)) === 30);

    // Kafka back: everything is replayed, oldest first.
    await proxy.open();
    await second.drained(60_000);
    assert.equal(await second.metrics.valueOf(second.metrics.recordsSent), 80, 'boot 2 sent the 50 spooled by boot 1 and its own 30');
    assert.equal(await second.metrics.valueOf(second.metrics.recordsDropped, { reason: 'spool_full' }), 0);
    const secondBoot = second.bootId;
    await second.stop();

    const messages = await readTopic(kafka, topic, 130);
    assert.ok(messages.every((m) => m.key === 'spool-test-node'), 'message key is the node name');
    // At-least-once: drop exact repeats (same boot and sequence) before checking order and completeness.
    const seen = new Set<string>();
    const unique = messages.filter((m) => {
      const id = `${m.batch.bootId}/${m.batch.sequence}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const boots = unique.map((m) => m.batch.bootId);
    assert.deepEqual([...new Set(boots)], [firstBoot, secondBoot], 'all of boot 1 arrives before boot 2');
    for (const boot of [firstBoot, secondBoot]) {
      const sequences = unique.filter((m) => m.batch.bootId === boot).map((m) => m.batch.sequence);
      assert.deepEqual(sequences, sequences.map((_, i) => i + 1), `boot ${boot}: sequences 1..n without gaps, in order`);
    }
    const ids = unique.flatMap((m) => m.batch.records.map((r) => r.conntrackId));
    assert.deepEqual(ids, Array.from({ length: 130 }, (_, i) => i + 1), 'every record, once, in the order it was produced');
    assert.equal(unique[0]!.batch.records[0]!.originalBytes, 181);
  });

  it('when the spool is full, drops the oldest batches, counts them and logs it; the newest are delivered', async () => {
    const smallTopic = uniqueName('flows-raw-spool-full');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: smallTopic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-collector-full-'));
    const logLines: string[] = [];
    const source = new ScriptedSource();
    // Batches of 10 records are ~1 KB; segments of 2100 bytes hold 2, the cap of 6300 bytes 3 segments.
    const collector = newCollector(source, { topic: smallTopic, spool: { directory: dir, maxBytes: 6300, segmentBytes: 2100 }, logLines });
    try {
      await collector.start();
      await proxy.cut();
      for (let i = 0; i < 20; i++) {
        source.emit(i * 10 + 1, i * 10 + 10);
        await waitFor(`batch ${i + 1} handled`, 30_000, async () => (await collector.metrics.valueOf(collector.metrics.batchesSpooled)) === i + 1);
      }
      const droppedRecords = await collector.metrics.valueOf(collector.metrics.recordsDropped, { reason: 'spool_full' });
      const droppedBatches = await collector.metrics.valueOf(collector.metrics.batchesDropped, { reason: 'spool_full' });
      assert.ok(droppedBatches >= 10, `most of the 20 batches cannot fit: ${droppedBatches} dropped`);
      assert.equal(droppedRecords, droppedBatches * 10);
      const dropLogs = logLines.map((l) => JSON.parse(l) as { msg: string; droppedRecords?: number }).filter((l) => /spool full/.test(l.msg));
      assert.ok(dropLogs.length > 0, 'a log line says the spool dropped data');
      assert.equal(dropLogs.reduce((n, l) => n + (l.droppedRecords ?? 0), 0), droppedRecords, 'the log lines account for every dropped record');

      await proxy.open();
      await collector.drained(60_000);
      const delivered = 200 - droppedRecords;
      const messages = await readTopic(kafka, smallTopic, delivered);
      const ids = [...new Set(messages.flatMap((m) => m.batch.records.map((r) => r.conntrackId)))];
      assert.deepEqual(ids, Array.from({ length: delivered }, (_, i) => droppedRecords + i + 1), 'the oldest were dropped, the newest delivered in order');
    } finally {
      await collector.stop();
      await rm(dir, { recursive: true, force: true });
      await proxy.open();
    }
  });
});
