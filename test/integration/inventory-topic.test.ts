/**
 * The inventory topic on a real broker: `segflow inventory apply` publishes validated documents
 * (unchanged ones are not re-sent), `--prune` tombstones what the files dropped, invalid files
 * publish nothing, and a follower rebuilds the same resources from the topic and tracks changes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Inventory } from '../../src/inventory/inventory.ts';
import { keyOf, type Resource } from '../../src/inventory/model/resources.ts';
import { InventoryTopicFollower } from '../../src/inventory/topic/inventory-follower.ts';
import { ensureInventoryTopic } from '../../src/inventory/topic/inventory-topic.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';

const run = promisify(execFile);
const brokers = requireKafkaBrokers();
const topic = uniqueName('inventory');
const timedTopic = uniqueName('inventory-times');

async function segflow(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/segflow.js', ...args, '--brokers', brokers, '--topic', topic], { env: { ...process.env, SEGFLOW_LOG_LEVEL: 'warn' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('inventory topic (real Kafka)', () => {
  const kafka = createKafka(brokers, 'inventory-topic-test');
  after(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, timedTopic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('publishes the demo inventory, follows it, applies updates and prunes deletions', async () => {
    const applied = await segflow(['inventory', 'apply', '-f', 'examples/shop']);
    assert.equal(applied.code, 0, applied.stderr);
    const created = applied.stdout.trim().split('\n').filter((l) => l.endsWith(' created'));
    assert.equal(created.length, 23, applied.stdout);
    assert.ok(applied.stdout.includes('NetworkPolicy/shop/default.frontend created'));
    assert.ok(applied.stdout.includes('Tier//security created'), 'cluster-scoped keys have an empty namespace');

    const again = await segflow(['inventory', 'apply', '-f', 'examples/shop']);
    assert.equal(again.stdout.trim().split('\n').filter((l) => l.endsWith(' unchanged')).length, 23, 'a second apply sends nothing new');

    const store = new Map<string, Resource>();
    const follower = new InventoryTopicFollower(kafka, topic, { upsert: (r) => store.set(keyOf(r), r), remove: (k) => store.delete(k) }, createLogger('test'));
    await follower.start();
    try {
      assert.equal(store.size, 23);
      const frontend = [...store.values()].find((r) => r.kind === 'Pod' && r.name.startsWith('frontend'));
      assert.ok(frontend && frontend.kind === 'Pod');
      assert.deepEqual(frontend.ips, ['10.244.1.10']);

      // A changed directory: frontend relabelled, redis pod gone; apply with --prune.
      const dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-inv-'));
      const text = (await readFile('examples/shop/inventory.yaml', 'utf8'))
        .replace('labels: {app: frontend, tier: web}', 'labels: {app: frontend, tier: web, version: v2}')
        .replace(/---\napiVersion: v1\nkind: Pod\nmetadata: \{name: redis-0[\s\S]*?(?=---)/, '');
      await writeFile(path.join(dir, 'inventory.yaml'), text);
      const pruned = await segflow(['inventory', 'apply', '--prune', '-f', dir]);
      assert.equal(pruned.code, 0, pruned.stderr);
      assert.match(pruned.stdout, /Pod\/shop\/frontend-7d9c5b-x2k4p configured/);
      assert.match(pruned.stdout, /Pod\/data\/redis-0 deleted/);

      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && [...store.keys()].some((k) => k.includes('redis-0'))) await new Promise((r) => setTimeout(r, 100));
      assert.ok(![...store.keys()].some((k) => k.includes('redis-0')), 'the follower removed the pruned pod');
      const relabelled = [...store.values()].find((r) => r.kind === 'Pod' && r.name.startsWith('frontend'));
      assert.equal(relabelled && 'labels' in relabelled ? relabelled.labels.get('version') : undefined, 'v2');
    } finally {
      await follower.stop();
    }
  });

  it('the follower applies each change at its message timestamp, tombstones included (IP reuse resolves by time)', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureInventoryTopic(admin, timedTopic);
    } finally {
      await admin.disconnect();
    }
    const pod = (name: string, createdAt: string) => JSON.stringify({
      document: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'prod', creationTimestamp: createdAt }, status: { podIP: '10.9.0.7' } },
      origin: 'test', appliedAt: createdAt,
    });
    const t = (iso: string): number => Date.parse(iso);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      // Pod a holds 10.9.0.7 from 10:00 and is deleted at 10:05; pod b, created at 10:04 (pending),
      // is seen with the IP at 10:06. Published now, long after: only the timestamps carry when.
      await producer.send({
        topic: timedTopic, acks: -1, messages: [
          { key: 'Pod/prod/a', value: pod('a', '2026-01-01T10:00:00Z'), timestamp: String(t('2026-01-01T10:00:00Z')) },
          { key: 'Pod/prod/a', value: null, timestamp: String(t('2026-01-01T10:05:00Z')) },
          { key: 'Pod/prod/b', value: pod('b', '2026-01-01T10:04:00Z'), timestamp: String(t('2026-01-01T10:06:00Z')) },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const calls: Array<[string, string, number]> = [];
    const inventory = new Inventory();
    const follower = new InventoryTopicFollower(kafka, timedTopic, {
      upsert: (r, at) => { calls.push(['upsert', keyOf(r), at]); inventory.apply(r, { at }); },
      remove: (k, at) => { calls.push(['remove', k, at]); inventory.delete(k, { at }); },
    }, createLogger('test'));
    await follower.start();
    try {
      assert.deepEqual(calls, [
        ['upsert', 'Pod/prod/a', t('2026-01-01T10:00:00Z')],
        ['remove', 'Pod/prod/a', t('2026-01-01T10:05:00Z')],
        ['upsert', 'Pod/prod/b', t('2026-01-01T10:06:00Z')],
      ]);
      const owner = (iso: string) => inventory.endpointAt('10.9.0.7', t(iso))?.resource.name ?? null;
      assert.equal(owner('2026-01-01T09:59:00Z'), null);
      assert.equal(owner('2026-01-01T10:04:30Z'), 'a', 'b was created but a still held the IP');
      assert.equal(owner('2026-01-01T10:05:30Z'), 'b');
      assert.equal(owner('2026-01-01T11:00:00Z'), 'b');
    } finally {
      await follower.stop();
    }
  });

  it('publishes nothing from files with errors and names file, document and field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-inv-bad-'));
    await writeFile(path.join(dir, 'bad.yaml'), [
      'apiVersion: projectcalico.org/v3', 'kind: NetworkPolicy', 'metadata: {name: good-one, namespace: shop}', 'spec: {selector: all()}',
      '---',
      'apiVersion: projectcalico.org/v3', 'kind: NetworkPolicy', 'metadata: {name: bad-one, namespace: shop}', "spec: {selector: \"app == \"}",
    ].join('\n'));
    const result = await segflow(['inventory', 'apply', '-f', dir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /bad\.yaml: document 2: spec\.selector: .*column/);
    assert.match(result.stderr, /nothing published/);
    const list = await segflow(['inventory', 'list']);
    assert.ok(!list.stdout.includes('good-one'), 'the valid document of an invalid set was not published either');
  });
});
