/**
 * The newest-first scan under the replays and recommendations (query/flow-scan.ts), on a real
 * Elasticsearch with small pages: every document once, newest first, across page boundaries;
 * stopped at the limit with `truncated`, keeping the newest ones.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { FlowStore } from '../../src/api/flow-store.ts';
import { UNRESTRICTED } from '../../src/api/query/access-scope.ts';
import { scanFlowsNewestFirst, type FlowScan } from '../../src/api/query/flow-scan.ts';
import { buildFlowQuery } from '../../src/api/query/flow-search.ts';
import { bulkRequestFromClient, FlowBulkWriter } from '../../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { installFlowIndexTemplate } from '../../src/enricher/elasticsearch/flow-index-template.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { deleteFlowIndices } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';
import { fixtureItems } from '../unit/api/flow-fixtures.ts';

type Doc = { '@timestamp': string };

describe('scanFlowsNewestFirst on a real Elasticsearch', () => {
  let client: Client;
  let prefix: string;
  let scan: FlowScan;
  let stored: { id: string; time: string }[];

  before(async () => {
    client = createElasticsearchClient(requireElasticsearchUrl());
    prefix = uniqueName('flowscan');
    await installFlowIndexTemplate(client, { prefix, refreshInterval: '1s' });
    const nowMs = Math.floor(Date.now() / 15_000) * 15_000;
    const items = fixtureItems(prefix, nowMs - 10 * 60_000, 4);
    const written = await new FlowBulkWriter({ bulk: bulkRequestFromClient(client, { refresh: 'wait_for' }) }).write(items);
    assert.equal(written.rejected.length, 0, JSON.stringify(written.rejected[0]?.reason));
    const all = await client.search<Doc>({ index: `${prefix}-*`, size: 1_000, _source: ['@timestamp'], query: { match_all: {} } });
    stored = all.hits.hits.map((h) => ({ id: h._id!, time: h._source!['@timestamp'] }));
    assert.ok(stored.length > 10, `enough documents for several pages: ${stored.length}`);
    const range = { fromMs: nowMs - 3_600_000, toMs: nowMs + 3_600_000 };
    scan = {
      store: new FlowStore(client, prefix), query: buildFlowQuery({ range, filters: [], scope: UNRESTRICTED }),
      fields: ['@timestamp'], maxFlows: 1_000, timeoutMs: 10_000, operation: 'test_scan', pageSize: 4,
    };
  });

  after(async () => {
    if (client && prefix) await deleteFlowIndices(client, prefix);
    await client?.close();
  });

  it('hands over every document once, newest first, across pages', async () => {
    const seen: { id: string; time: string }[] = [];
    const r = await scanFlowsNewestFirst<Doc>(scan, (hit) => seen.push({ id: hit._id!, time: hit._source!['@timestamp'] }));
    assert.deepEqual(r, { scanned: stored.length, truncated: false });
    assert.deepEqual(seen.map((s) => s.id).sort(), stored.map((s) => s.id).sort());
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1]!.time >= seen[i]!.time, `newest first at ${i}: ${seen[i - 1]!.time} then ${seen[i]!.time}`);
  });

  it('stops at maxFlows with truncated, having read the newest documents', async () => {
    const max = stored.length - 3;
    const seen: string[] = [];
    const r = await scanFlowsNewestFirst<Doc>({ ...scan, maxFlows: max }, (hit) => seen.push(hit._source!['@timestamp']));
    assert.deepEqual(r, { scanned: max, truncated: true });
    assert.equal(seen.length, max);
    const newest = stored.map((s) => s.time).sort().reverse().slice(0, max);
    assert.deepEqual([...seen].sort().reverse(), newest);
  });
});
