/**
 * The inventory topic written in Kafka transactions, against the shared Kafka:
 * - readers (readInventorySnapshot, followInventoryTopic) read committed only and know when they
 *   are caught up although the topic ends in a commit marker, in aborted records, or in a
 *   transaction still open (they stop at the last stable offset); an empty topic is read at once;
 * - the sync's topic writer: a second writer with the same transactional id that starts leading
 *   fences the first; the first, still believing it leads, has its next transaction rejected,
 *   reports the fencing once and publishes nothing more; nothing it sent after the takeover is
 *   visible to a read-committed reader.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Kafka, Producer } from 'kafkajs';
import { ensureInventoryTopic, type InventoryRecord } from '../../src/inventory/topic/inventory-topic.ts';
import { followInventoryTopic, readInventorySnapshot } from '../../src/inventory/topic/inventory-snapshot.ts';
import { ClusterInventoryState } from '../../src/inventory-sync/cluster-inventory-state.ts';
import { InventoryTopicWriter, transactionalIdOf } from '../../src/inventory-sync/inventory-topic-writer.ts';
import type { ApiObject } from '../../src/inventory-sync/kind-reflector.ts';
import type { ServedKind } from '../../src/inventory-sync/synced-kinds.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const topics: string[] = [];
let kafka: Kafka;

const value = (name: string, writer = 'test'): string => JSON.stringify({ document: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, origin: `test:${name}`, appliedAt: new Date().toISOString(), writer });

async function newTopic(): Promise<string> {
  const topic = uniqueName('inventory-txn');
  topics.push(topic);
  const admin = kafka.admin();
  await admin.connect();
  await ensureInventoryTopic(admin, topic);
  await admin.disconnect();
  return topic;
}

async function transactionalProducer(id: string): Promise<Producer> {
  const producer = kafka.producer({ transactionalId: id, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

/** Fails instead of hanging when a read never ends (a reader that never knows it caught up). */
async function within<T>(what: string, work: Promise<T>, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** readInventorySnapshot, failing after 15 s. */
const snapshotOf = (topic: string): Promise<Map<string, InventoryRecord>> => within(`snapshot of ${topic}`, readInventorySnapshot(kafka, topic));

/** Resolves with the follower's records once it says it caught up; fails after `ms`. */
async function caughtUpRecords(topic: string, ms = 15_000): Promise<Map<string, InventoryRecord | null>> {
  const seen = new Map<string, InventoryRecord | null>();
  const reader = await followInventoryTopic(kafka, topic, (c) => seen.set(c.key, c.record), () => undefined);
  try {
    await within(`follower of ${topic} caught up`, reader.caughtUp, ms);
    return seen;
  } finally {
    await reader.stop();
  }
}

describe('the inventory topic read committed', () => {
  before(() => {
    kafka = createKafka(brokers, 'inventory-txn-test');
  });

  after(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });

  it('an empty topic is read at once', async () => {
    const topic = await newTopic();
    const t0 = Date.now();
    assert.equal((await snapshotOf(topic)).size, 0);
    // kafkajs' fetch waits 5 s on an empty partition; the snapshot must not join that wait.
    assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
  });

  it('caught up although the topic ends in a commit marker, then in an aborted transaction', async () => {
    const topic = await newTopic();
    const producer = await transactionalProducer(uniqueName('txn-reader'));
    try {
      const txn = await producer.transaction();
      await txn.send({ topic, messages: [{ key: 'Namespace//a', value: value('a') }, { key: 'Namespace//b', value: value('b') }] });
      await txn.commit();
      // The commit marker follows the last message: "offset + 1 = end" is never reached by a message.
      await waitFor('the marker is written', async () => ((await snapshotOf(topic)).size === 2 ? true : undefined), 10_000, 100);
      assert.deepEqual([...(await caughtUpRecords(topic)).keys()].sort(), ['Namespace//a', 'Namespace//b']);

      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ key: 'Namespace//a', value: null }, { key: 'Namespace//c', value: value('c') }] });
      await aborted.abort();
      const afterAbort = await snapshotOf(topic);
      assert.deepEqual([...afterAbort.keys()].sort(), ['Namespace//a', 'Namespace//b'], 'the aborted tombstone and record are invisible');
      const followed = await caughtUpRecords(topic);
      assert.equal(followed.has('Namespace//c'), false);
      assert.ok(followed.get('Namespace//a'), 'a is still there');
    } finally {
      await producer.disconnect();
    }
  });

  it('a transaction still open: readers stop at the last stable offset and see none of it', async () => {
    const topic = await newTopic();
    const producer = await transactionalProducer(uniqueName('txn-open'));
    try {
      const committed = await producer.transaction();
      await committed.send({ topic, messages: [{ key: 'Namespace//before', value: value('before') }] });
      await committed.commit();
      await waitFor('committed visible', async () => ((await snapshotOf(topic)).size === 1 ? true : undefined), 10_000, 100);
      const open = await producer.transaction();
      await open.send({ topic, messages: [{ key: 'Namespace//pending', value: value('pending') }] });
      const snapshot = await snapshotOf(topic);
      assert.deepEqual([...snapshot.keys()], ['Namespace//before']);
      assert.deepEqual([...(await caughtUpRecords(topic)).keys()], ['Namespace//before']);
      await open.commit();
      await waitFor('the committed transaction becomes visible', async () => ((await snapshotOf(topic)).has('Namespace//pending') ? true : undefined), 10_000, 100);
    } finally {
      await producer.disconnect();
    }
  });
});

describe('the sync\'s topic writer: a second leader fences the first', () => {
  const NAMESPACES: ServedKind = { family: 'core/Namespace', group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false };
  const ns = (name: string, team: string): ApiObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team } } });

  /** A state + writer as the sync wires them; `leads` is what this replica believes. */
  function replica(topic: string, identity: string, leads: () => boolean) {
    const state = new ClusterInventoryState('lab', {
      convert: (o) => ({ ok: true, warnings: [], document: { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata } }),
      keyOf: (d) => `Namespace//${(d.metadata as { name: string }).name}`,
      changed: () => writer.notify(),
    });
    const sink = state.sinkFor(NAMESPACES);
    const logLines: Array<{ level: number; msg: string }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as { level: number; msg: string }) });
    const fenced: boolean[] = [];
    const writer: InventoryTopicWriter = new InventoryTopicWriter(kafka, topic, state, leads, identity, log, { fenced: (current) => fenced.push(current) }, {
      transactionalId: transactionalIdOf(topic, 'test', 'lease'), flushDelayMs: 10,
    });
    return { state, sink, writer, logLines, fenced };
  }

  it('nothing the first writer sends after the takeover is visible; it reports the fencing once', async () => {
    const topic = await newTopic();
    const a = replica(topic, 'writer-a', () => true);
    const b = replica(topic, 'writer-b', () => true);
    try {
      a.sink.replace([ns('one', 'x'), ns('two', 'x')], Date.now());
      await a.writer.startedLeading();
      await waitFor('a published', async () => ((await snapshotOf(topic)).size === 2 ? true : undefined), 15_000, 100);

      b.sink.replace([ns('one', 'x'), ns('two', 'x')], Date.now());
      await b.writer.startedLeading();
      // A does not know: it still believes it leads and publishes a change.
      a.sink.upsert(ns('one', 'from-a-after-takeover'), Date.now());
      await waitFor('a fenced', async () => (a.fenced.length > 0 ? true : undefined), 15_000, 50);
      assert.deepEqual(a.fenced, [true], 'reported once, as the current term');
      a.sink.upsert(ns('two', 'from-a-later'), Date.now());
      b.sink.upsert(ns('three', 'from-b'), Date.now());
      await waitFor('b publishes', async () => ((await snapshotOf(topic)).has('Namespace//three') ? true : undefined), 15_000, 100);
      await new Promise((r) => setTimeout(r, 500));

      const snapshot = await snapshotOf(topic);
      assert.equal((snapshot.get('Namespace//one')?.document.metadata as { labels: { team: string } }).labels.team, 'x', 'a\'s change after the takeover is not visible');
      assert.equal((snapshot.get('Namespace//two')?.document.metadata as { labels: { team: string } }).labels.team, 'x');
      const followed = await caughtUpRecords(topic);
      assert.ok(![...followed.values()].some((r) => JSON.stringify(r).includes('from-a')), 'no record of a after the takeover, read committed');
      const fencingLines = a.logLines.filter((l) => l.msg.startsWith('fenced:'));
      assert.equal(fencingLines.length, 1, a.logLines.map((l) => l.msg).join('\n'));
      assert.match(fencingLines[0]!.msg, /another producer with this transactional id took over/);
      assert.equal(a.logLines.filter((l) => l.level >= 50).length, 1, 'no retry errors after the fencing');
      assert.equal(a.state.pendingCount > 0, true, 'a kept its changes pending (it publishes nothing more)');
    } finally {
      await a.writer.stop();
      await b.writer.stop();
    }
  });
});
