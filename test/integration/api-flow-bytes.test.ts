/**
 * /flows copies each stored document's bytes out of Elasticsearch's answer (query/flow-page.ts).
 * Against a real Elasticsearch, documents whose labels hold every character that matters to
 * that copy (quotes, backslashes, brackets, answer-like keys, line separators, non-ASCII) must
 * come back exactly as Elasticsearch holds them: whole, and with a field selection (which
 * Elasticsearch re-serialises).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import { bulkRequestFromClient, FlowBulkWriter, type FlowBulkItem } from '../../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { installFlowIndexTemplate } from '../../src/enricher/elasticsearch/flow-index-template.ts';
import { ApiServer } from '../../src/api/server.ts';
import { StaticInventorySource } from '../../src/api/inventory/inventory-source.ts';
import { loadResourceText } from '../../src/inventory/index.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { deleteFlowIndices } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';
import { FIXTURE_RESOURCES_YAML, fixtureItems } from '../unit/api/flow-fixtures.ts';

const TRICKY_LABELS: Record<string, string> = {
  'quote"key': 'a "quoted" value',
  'back\\slash': 'ends in a backslash \\',
  _source: '{"_source":{"x":1}},"sort":[1]}',
  hits: '[{"_id":"fake"}]',
  'unicodé': 'é 漢字 😀 \u2028 \u2029 line\nbreak\ttab',
  escaped: '\\"not a quote\\" \u0001',
};

describe('/flows returns stored documents byte for byte', () => {
  let client: Client;
  let prefix: string;
  let server: ApiServer;
  let app: FastifyInstance;
  let items: FlowBulkItem[];

  before(async () => {
    const url = requireElasticsearchUrl();
    client = createElasticsearchClient(url);
    prefix = uniqueName('apibytes');
    await installFlowIndexTemplate(client, { prefix, refreshInterval: '1s' });
    items = fixtureItems(prefix, Math.floor((Date.now() - 5 * 60_000) / 15_000) * 15_000, 1).slice(0, 6);
    for (const item of items) item.document.segflow.source.labels = { ...item.document.segflow.source.labels, ...TRICKY_LABELS };
    const writer = new FlowBulkWriter({ bulk: bulkRequestFromClient(client, { refresh: 'wait_for' }) });
    const result = await writer.write(items);
    assert.equal(result.indexed, items.length, JSON.stringify(result.rejected[0]?.reason));
    const inventory = new StaticInventorySource(loadResourceText(FIXTURE_RESOURCES_YAML, 'fixture').resources);
    server = new ApiServer({ port: 0, elasticsearchUrl: url, indexPrefix: prefix, logLevel: 'warn' }, { elasticsearch: client, inventory });
    app = await server.ready();
  });

  after(async () => {
    await server?.stop();
    await deleteFlowIndices(client, prefix);
    await client?.close();
  });

  /** Every flow of one page, as the API returned it. */
  async function page(query: string): Promise<Record<string, unknown>[]> {
    const r = await app.inject({ method: 'GET', url: `/api/v1/flows?from=now-30m&limit=100${query}` });
    assert.equal(r.statusCode, 200, r.body);
    const flows = (JSON.parse(r.body) as { flows: Record<string, unknown>[] }).flows;
    assert.equal(flows.length, items.length);
    return flows;
  }

  it('returns each document whole, as Elasticsearch stores it', async () => {
    for (const flow of await page('')) {
      const { id, ...document } = flow;
      const item = items.find((i) => i.id === id);
      assert.ok(item, `unexpected id ${String(id)}`);
      const stored = await client.get({ index: item.index, id: item.id });
      assert.deepEqual(document, stored._source);
      assert.deepEqual((document.segflow as { source: { labels: unknown } }).source.labels, item.document.segflow.source.labels);
    }
  });

  it('returns a field selection as Elasticsearch filters it', async () => {
    for (const flow of await page('&fields=source_labels,destination.port')) {
      const { id, ...document } = flow;
      const item = items.find((i) => i.id === id)!;
      const stored = await client.get({ index: item.index, id: item.id, _source_includes: ['segflow.source.labels', 'destination.port'] });
      assert.deepEqual(document, stored._source);
      assert.deepEqual(Object.keys(document).sort(), ['destination', 'segflow']);
    }
  });
});
