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
import { keyOf, type Resource } from '../../src/inventory/model/resources.ts';
import { InventoryTopicFollower } from '../../src/inventory/topic/inventory-follower.ts';
import { createKafka } from '../../src/shared/kafka-client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';

const run = promisify(execFile);
const brokers = requireKafkaBrokers();
const topic = uniqueName('inventory');

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
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
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
