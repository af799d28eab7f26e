/**
 * A partial answer from Elasticsearch (some shards failed) is an error on /denied and
 * /flows/stats, as it is on /flows: 502 `elasticsearch_error` naming the failed shards, never a
 * 200 whose groups and totals silently miss those shards' documents. (/flows is checked beside
 * them as the reference behaviour.)
 *
 * The partial answer is real: an extra index in the flow index pattern maps `segflow.verdict` as
 * a number, so every query that tests the verdict fails on that index's shard and succeeds on the
 * others (Elasticsearch answers 200 with `_shards.failed: 1`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import { StaticInventorySource } from '../../src/api/inventory/inventory-source.ts';
import { ApiServer } from '../../src/api/server.ts';
import { bulkRequestFromClient, FlowBulkWriter } from '../../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { installFlowIndexTemplate } from '../../src/enricher/elasticsearch/flow-index-template.ts';
import { loadResourceText } from '../../src/inventory/index.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { deleteFlowIndices } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';
import { FIXTURE_RESOURCES_YAML, fixtureItems } from '../unit/api/flow-fixtures.ts';

const ROUTES = ['/api/v1/denied?from=now-1h', '/api/v1/flows/stats?from=now-1h', '/api/v1/flows?from=now-1h&limit=5&action=deny'];

describe('partial Elasticsearch answers are errors on /denied and /flows/stats', () => {
  let client: Client;
  let prefix: string;
  let server: ApiServer;
  let app: FastifyInstance;

  before(async () => {
    const url = requireElasticsearchUrl();
    client = createElasticsearchClient(url);
    prefix = uniqueName('apipartial');
    await installFlowIndexTemplate(client, { prefix, refreshInterval: '1s' });
    const items = fixtureItems(prefix, Math.floor((Date.now() - 10 * 60_000) / 15_000) * 15_000, 2);
    const written = await new FlowBulkWriter({ bulk: bulkRequestFromClient(client, { refresh: 'wait_for' }) }).write(items);
    assert.equal(written.rejected.length, 0, JSON.stringify(written.rejected[0]?.reason));
    const inventory = new StaticInventorySource(loadResourceText(FIXTURE_RESOURCES_YAML, 'fixture').resources);
    server = new ApiServer({ port: 0, elasticsearchUrl: url, indexPrefix: prefix, logLevel: 'warn' }, { elasticsearch: client, inventory });
    app = await server.ready();
  });

  after(async () => {
    await server?.stop();
    if (client && prefix) await deleteFlowIndices(client, prefix);
    await client?.close();
  });

  async function get(url: string): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> }> {
    const r = await app.inject({ method: 'GET', url });
    return { status: r.statusCode, body: r.json() };
  }

  it('answers every route in full while all shards answer', async () => {
    for (const url of ROUTES) {
      const r = await get(url);
      assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`);
    }
    const denied = await get(ROUTES[0]!);
    assert.ok((denied.body.total_groups as number) > 0, 'the fixture holds denied flows, so /denied has groups to lose');
  });

  it('fails with 502 elasticsearch_error, naming the failed shard, once one shard fails', async () => {
    const conflicting = `${prefix}-conflicting`;
    await client.indices.create({
      index: conflicting,
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: { properties: { '@timestamp': { type: 'date' }, segflow: { properties: { verdict: { type: 'long' } } } } },
    });
    await client.index({ index: conflicting, document: { '@timestamp': new Date().toISOString(), segflow: { verdict: 1 } }, refresh: 'wait_for' });
    // The precondition: Elasticsearch itself answers 200 with one failed shard (not a whole failure).
    const raw = await client.search({ index: `${prefix}-*`, size: 0, query: { term: { 'segflow.verdict': 'deny' } } });
    assert.equal(raw._shards.failed, 1, JSON.stringify(raw._shards));
    assert.ok(raw._shards.successful > 0);

    for (const url of ROUTES) {
      const r = await get(url);
      assert.equal(r.status, 502, `${url}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error?.code, 'elasticsearch_error', url);
      assert.match(r.body.error?.message ?? '', /^Elasticsearch failed the query on 1 shard\(s\)$/, url);
    }
  });
});
