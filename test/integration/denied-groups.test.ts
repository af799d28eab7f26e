/**
 * /denied's two-step read (query/denied-groups.ts: group keys and counts, then one example per
 * shown group), in both its forms — on the stored query keys (`keyed`) and on the nine fields
 * (`fields`, for indices written before the keys) — against the one-request aggregation it
 * replaced (a top_hits in every composite bucket), on the same documents in a real
 * Elasticsearch: the same groups in the same order, the same counts, bytes, first/last seen,
 * and the same newest document per group. Also: which form a range gets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, estypes } from '@elastic/elasticsearch';
import { dailyFlowIndexName } from '../../src/contract/flow-index-names.ts';
import { bulkRequestFromClient, FlowBulkWriter, type FlowBulkItem } from '../../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { installFlowIndexTemplate } from '../../src/enricher/elasticsearch/flow-index-template.ts';
import { FlowStore } from '../../src/api/flow-store.ts';
import { UNRESTRICTED } from '../../src/api/query/access-scope.ts';
import { newestGroups, readDeniedGroups } from '../../src/api/query/denied-groups.ts';
import { buildFlowQuery } from '../../src/api/query/flow-search.ts';
import { buildDeniedGroupsRequest } from '../../src/api/query/flow-stats.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { benchDocument } from '../../bench/api.ts';
import { deleteFlowIndices } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';
import { fixtureItems } from '../unit/api/flow-fixtures.ts';

type Bucket = estypes.AggregationsCompositeBucket;
type Hit = estypes.SearchHit<{ '@timestamp'?: string }>;

/** What a group answers with, from either form. */
function groupFacts(b: Bucket, example: Hit | undefined): unknown {
  return {
    key: b.key, flows: b.doc_count, bytes: (b.bytes as { value: number }).value,
    first: (b.first_seen as { value: number }).value, last: (b.last_seen as { value: number }).value,
    newest: example?._source?.['@timestamp'] ?? null,
  };
}

describe('/denied groups: two-step read equals the one-request aggregation', () => {
  let client: Client;
  let prefix: string;
  let store: FlowStore;
  const nowMs = Math.floor(Date.now() / 15_000) * 15_000;

  before(async () => {
    client = createElasticsearchClient(requireElasticsearchUrl());
    prefix = uniqueName('deniedgroups');
    await installFlowIndexTemplate(client, { prefix, refreshInterval: '1s' });
    // Generated traffic (many groups, ~8 % denied, both reporters) plus the fixture world
    // (public sources, a profile deny, documents without names or ports: null group keys).
    const items: FlowBulkItem[] = [];
    for (let n = 0; n < 6_000; n++) {
      const item = benchDocument(n, nowMs);
      items.push({ ...item, index: dailyFlowIndexName(Date.parse(item.document.event.start ?? item.document['@timestamp']), prefix) });
    }
    items.push(...fixtureItems(prefix, nowMs - 10 * 60_000, 3));
    const written = await new FlowBulkWriter({ bulk: bulkRequestFromClient(client, { refresh: 'wait_for' }) }).write(items);
    assert.equal(written.rejected.length, 0, JSON.stringify(written.rejected[0]));
    store = new FlowStore(client, prefix);
  });

  after(async () => {
    await deleteFlowIndices(client, prefix);
    await client?.close();
  });

  const options = { timeoutMs: 60_000 };
  const cases: [string, estypes.QueryDslQueryContainer[]][] = [
    ['every denied flow', []],
    ['one destination namespace', [{ term: { 'segflow.destination.namespace': 'ns-7' } }]],
    ['the fixture world', [{ terms: { 'segflow.source.namespace': ['shop', 'infra'] } }]],
  ];
  for (const [name, filters] of cases) {
    for (const form of ['keyed', 'fields'] as const) it(`reads the same groups, counts and examples (${form}): ${name}`, async () => {
      const range = { fromMs: nowMs - 86_400_000, toMs: nowMs + 60_000 };
      const query = buildFlowQuery({ range, filters, scope: UNRESTRICTED, dedupReporters: true });
      const formQuery = buildFlowQuery({ range, filters, scope: UNRESTRICTED, dedupReporters: form === 'keyed' ? 'stored' : true });
      const reference = await store.collectComposite(
        (a) => buildDeniedGroupsRequest(query, a), (aggs) => aggs.groups as estypes.AggregationsCompositeAggregate, 100_000, options, 'reference',
      );
      const all = reference.buckets.length;
      assert.ok(all > 0, 'the case has denied groups');
      const limit = Math.min(all, 50);
      const expected = newestGroups(reference.buckets, limit).map((b) => groupFacts(b, (b.example as { hits: { hits: Hit[] } }).hits.hits[0]));
      const read = await readDeniedGroups<{ '@timestamp'?: string }>(store, formQuery, limit, 100_000, options, form);
      assert.equal(read.total, all, 'total_groups');
      assert.equal(read.truncated, false);
      assert.deepEqual(read.newest.map((g) => groupFacts(g.bucket, g.example)), expected);
      // Every group (not only the newest 50) keeps its counts.
      const everyGroup = await readDeniedGroups<{ '@timestamp'?: string }>(store, formQuery, all, 100_000, options, form);
      assert.deepEqual(everyGroup.newest.map((g) => groupFacts(g.bucket, g.example)), newestGroups(reference.buckets, all).map((b) => groupFacts(b, (b.example as { hits: { hits: Hit[] } }).hits.hits[0])));
    });
  }

  it('uses the keys only where every index of the range has them', async () => {
    const day = (ms: number): { fromMs: number; toMs: number } => ({ fromMs: ms, toMs: ms + 3_600_000 });
    assert.equal(await new FlowStore(client, prefix).queryKeysCover(day(nowMs - 3_600_000), options), true, 'indices made from the template carry the keys');
    // An index written before the keys: its mapping has no mark (as after an upgrade).
    const oldDayMs = Math.floor(nowMs / 86_400_000) * 86_400_000 - 10 * 86_400_000;
    const oldIndex = dailyFlowIndexName(oldDayMs, prefix);
    await client.indices.create({ index: oldIndex });
    await client.indices.putMapping({ index: oldIndex, _meta: {} });
    const fresh = new FlowStore(client, prefix);
    assert.equal(await fresh.queryKeysCover(day(oldDayMs + 3_600_000), options), false, 'a range in the old index');
    assert.equal(await fresh.queryKeysCover(day(oldDayMs + 86_400_000 + 3_600_000), options), false, 'the next day may hold its late windows');
    assert.equal(await fresh.queryKeysCover(day(nowMs - 3_600_000), options), true, 'a range days away from it');
    assert.equal(await fresh.queryKeysCover({ fromMs: oldDayMs - 86_400_000 * 5, toMs: nowMs }, options), false, 'a range spanning it');
    await client.indices.delete({ index: oldIndex });
  });

  it('stores the keys on every document written', async () => {
    const r = await client.search<{ segflow: { verdict: string; primary_report?: boolean; denied_group?: string } }>({ index: `${prefix}-*`, size: 200, query: { match_all: {} } });
    assert.equal(r.hits.hits.length, 200);
    for (const hit of r.hits.hits) {
      const s = hit._source!.segflow;
      assert.equal(typeof s.primary_report, 'boolean', hit._id);
      assert.equal(s.denied_group !== undefined, s.verdict === 'deny', hit._id);
    }
  });

  it('counts the generated data as the documents say (one report per connection)', async () => {
    const query = buildFlowQuery({ range: { fromMs: nowMs - 86_400_000, toMs: nowMs + 60_000 }, filters: [{ term: { 'segflow.destination.namespace': 'ns-7' } }], scope: UNRESTRICTED, dedupReporters: true });
    const read = await readDeniedGroups(store, query, 10_000, 100_000, options);
    let expected = 0;
    for (let n = 0; n < 6_000; n++) {
      const d = benchDocument(n, nowMs).document;
      if (d.segflow.verdict === 'deny' && d.segflow.destination.namespace === 'ns-7' && d.segflow.reporter === 'src') expected++;
    }
    assert.ok(expected > 0);
    assert.equal(read.newest.reduce((s, g) => s + g.bucket.doc_count, 0), expected);
  });
});
