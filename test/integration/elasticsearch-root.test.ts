/**
 * `GET /` of the Elasticsearch the test run provides: the main endpoint that clients call first
 * (`info()`, product checks). The local runner's integ-test-zip distribution gets it from
 * segflow's own `segflow-rest-root` module; a full distribution from its `rest-root` module.
 * Either way the answer must describe the running node, not a hard-coded version.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { requireElasticsearchUrl } from '../harness/service-env.ts';

interface RootInfo {
  name: string;
  cluster_name: string;
  cluster_uuid: string;
  version: {
    number: string;
    build_flavor: string;
    build_type: string;
    build_hash: string;
    build_date: string;
    build_snapshot: boolean;
    lucene_version: string;
    minimum_wire_compatibility_version: string;
    minimum_index_compatibility_version: string;
  };
  tagline: string;
}

interface LocalNodes {
  nodes: Record<string, { name: string; version: string; build_hash: string }>;
}

function elasticsearchUrl(): URL {
  return new URL(requireElasticsearchUrl());
}

/** GET with credentials from the URL (fetch refuses URLs that carry them) sent as Basic auth. */
async function getJson<T>(pathAndQuery: string, method: 'GET' | 'HEAD' = 'GET'): Promise<{ status: number; headers: Headers; body: T | undefined }> {
  const base = elasticsearchUrl();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (base.username) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`;
  }
  const url = new URL(pathAndQuery, base);
  url.username = '';
  url.password = '';
  const res = await fetch(url, { method, headers, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as T) : undefined };
}

async function localNode(): Promise<{ id: string; name: string; version: string; build_hash: string }> {
  const { status, body } = await getJson<LocalNodes>('/_nodes/_local');
  assert.equal(status, 200, 'GET /_nodes/_local');
  const entries = Object.entries(body?.nodes ?? {});
  assert.equal(entries.length, 1, 'GET /_nodes/_local lists exactly one node');
  const [id, node] = entries[0] as [string, LocalNodes['nodes'][string]];
  return { id, ...node };
}

test('GET / describes the running node, its cluster and its build', async () => {
  const root = await getJson<RootInfo>('/');
  assert.equal(root.status, 200, `GET / answered ${root.status}: ${JSON.stringify(root.body)}`);
  const info = root.body as RootInfo;
  assert.equal(info.tagline, 'You Know, for Search');

  const node = await localNode();
  assert.equal(info.version.number, node.version, 'version.number is the version GET /_nodes/_local reports');
  assert.equal(info.version.build_hash, node.build_hash);
  assert.equal(info.name, node.name);

  const health = await getJson<{ cluster_name: string }>('/_cluster/health');
  assert.equal(health.status, 200, 'GET /_cluster/health');
  assert.equal(info.cluster_name, health.body?.cluster_name, 'cluster_name is the one GET /_cluster/health reports');

  const state = await getJson<{ metadata: { cluster_uuid: string } }>('/_cluster/state/metadata?filter_path=metadata.cluster_uuid');
  assert.equal(info.cluster_uuid, state.body?.metadata.cluster_uuid, 'cluster_uuid is the committed one from the cluster state');

  for (const field of ['build_flavor', 'build_type', 'build_hash', 'build_date', 'lucene_version', 'minimum_wire_compatibility_version', 'minimum_index_compatibility_version'] as const) {
    assert.equal(typeof info.version[field], 'string', `version.${field}`);
    assert.notEqual(info.version[field], '', `version.${field}`);
  }
  assert.equal(typeof info.version.build_snapshot, 'boolean');
  assert.match(info.version.lucene_version, /^\d+\.\d+\.\d+$/);
  assert.match(info.version.minimum_wire_compatibility_version, /^\d+\.\d+\.\d+/);
  assert.match(info.version.minimum_index_compatibility_version, /^\d+\.\d+\.\d+/);
});

test('HEAD / answers 200 without a body', async () => {
  const res = await getJson<unknown>('/', 'HEAD');
  assert.equal(res.status, 200);
  assert.equal(res.body, undefined);
});

test('the Elasticsearch client can call info()', async () => {
  const base = elasticsearchUrl();
  const client = new Client({ node: base.toString() });
  try {
    const info = await client.info();
    assert.equal(info.tagline, 'You Know, for Search');
    assert.equal(info.version.number, (await localNode()).version);
  } finally {
    await client.close();
  }
});
