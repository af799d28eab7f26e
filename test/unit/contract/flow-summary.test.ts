/**
 * The summary contract (contract/flow-summary.ts) and the facet entries
 * (contract/flow-summary-facets.ts): block arithmetic, index names, deterministic ids, and the
 * parsing of composite buckets from flow documents and from summaries into the same entries.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { estypes } from '@elastic/elasticsearch';
import { addFacetBuckets, emptyFacetEntries, flowFacetAgg, summaryFacetAgg } from '../../../src/contract/flow-summary-facets.ts';
import {
  blockStartOf, dailySummaryIndexName, fingerprintFromAggs, fingerprintOf, parseDailySummaryIndexName, summaryDocumentId, summaryIndexPattern, SUMMARY_BLOCK_MS,
} from '../../../src/contract/flow-summary.ts';
import { flowIndexPattern } from '../../../src/contract/flow-index-names.ts';

const T0 = Date.UTC(2026, 11, 2, 23, 55, 0);
type Bucket = estypes.AggregationsCompositeBucket;

describe('flow summary contract', () => {
  it('blocks: start of the block holding a time', () => {
    const cases: [number, number][] = [[T0, T0], [T0 + 1, T0], [T0 + SUMMARY_BLOCK_MS - 1, T0], [T0 + SUMMARY_BLOCK_MS, T0 + SUMMARY_BLOCK_MS], [T0 - 1, T0 - SUMMARY_BLOCK_MS]];
    for (const [ms, start] of cases) assert.equal(blockStartOf(ms), start, new Date(ms).toISOString());
  });

  it('index names: daily by block start, outside the flow pattern', () => {
    assert.equal(dailySummaryIndexName(T0, 'segflow-flows'), 'segflow-flows.summaries-2026.12.02');
    assert.equal(summaryIndexPattern('segflow-flows'), 'segflow-flows.summaries-*');
    assert.ok(!dailySummaryIndexName(T0).startsWith(flowIndexPattern().slice(0, -1)), 'a flow search never reads summaries');
    assert.equal(parseDailySummaryIndexName('segflow-flows.summaries-2026.12.02')?.dayStartMs, Date.UTC(2026, 11, 2));
    assert.equal(parseDailySummaryIndexName('segflow-flows-2026.12.02'), undefined);
    assert.equal(summaryDocumentId(T0), String(T0));
  });

  it('fingerprints: from aggregations and from a stored summary', () => {
    assert.deepEqual(fingerprintFromAggs(3, { records: { value: 7 }, max_ingested: { value: T0 } }), { flows: 3, records: 7, maxIngestedMs: T0 });
    assert.deepEqual(fingerprintFromAggs(0, { records: { value: 0 }, max_ingested: { value: null } }), { flows: 0, records: 0, maxIngestedMs: null });
    assert.deepEqual(fingerprintOf({ fingerprint: { flows: 3, records: 7, max_ingested: new Date(T0).toISOString() } }), { flows: 3, records: 7, maxIngestedMs: T0 });
    assert.deepEqual(fingerprintOf({ fingerprint: { flows: 0, records: 0 } }), { flows: 0, records: 0, maxIngestedMs: null });
  });
});

describe('facet entries', () => {
  const b = (key: Record<string, unknown>, docCount: number, figures: Record<string, unknown>): Bucket => ({ key, doc_count: docCount, ...figures }) as Bucket;

  it('flows and summaries give the same entries (counts from doc_count, or from the summed flows)', () => {
    const cases: [string, Bucket, Bucket, unknown][] = [
      ['timeline', b({ time: T0, verdict: 'deny' }, 4, { bytes: { value: 40 }, packets: { value: 8 } }), b({ time: T0, verdict: 'deny' }, 2, { flows: { value: 4 }, bytes: { value: 40 }, packets: { value: 8 } }),
        { time: new Date(T0).toISOString(), verdict: 'deny', flows: 4, bytes: 40, packets: 8 }],
      ['talkers', b({ namespace: null, name: 'pub' }, 3, { bytes: { value: 3 }, packets: { value: 1 } }), b({ namespace: null, name: 'pub' }, 1, { flows: { value: 3 }, bytes: { value: 3 }, packets: { value: 1 } }),
        { name: 'pub', flows: 3, bytes: 3, packets: 1 }],
      ['cells', b({ source: 'a', destination: null }, 5, { denied: { doc_count: 2 }, bytes: { value: 9 }, packets: { value: 4 } }), b({ source: 'a', destination: null }, 3, { flows: { value: 5 }, denied: { value: 2 }, bytes: { value: 9 }, packets: { value: 4 } }),
        { source: 'a', flows: 5, denied: 2, bytes: 9, packets: 4 }],
      ['pairs', b({ source_namespace: 'a', source_name: 'x', dest_namespace: 'b', dest_name: null }, 2, { bytes: { value: 7 }, last_seen: { value: T0 } }), b({ source_namespace: 'a', source_name: 'x', dest_namespace: 'b', dest_name: null }, 1, { flows: { value: 2 }, bytes: { value: 7 }, last_seen: { value: T0 } }),
        { source_namespace: 'a', source_name: 'x', dest_namespace: 'b', flows: 2, bytes: 7, last_seen: new Date(T0).toISOString() }],
    ];
    for (const [facet, fromFlows, fromSummaries, expected] of cases) {
      const f = emptyFacetEntries();
      const s = emptyFacetEntries();
      addFacetBuckets(f, facet as 'timeline', 'flows', [fromFlows]);
      addFacetBuckets(s, facet as 'timeline', 'summaries', [fromSummaries]);
      assert.deepEqual((f as unknown as Record<string, unknown[]>)[facet], [expected], `${facet} from flows`);
      assert.deepEqual((s as unknown as Record<string, unknown[]>)[facet], [expected], `${facet} from summaries`);
    }
  });

  it('hits: one direction per flow facet, the direction key in summaries', () => {
    const f = emptyFacetEntries();
    addFacetBuckets(f, 'ingress', 'flows', [b({ tier: 't', kind: 'np', namespace: null, name: 'p', rule_index: -1, action: 'deny' }, 6, {})]);
    const s = emptyFacetEntries();
    addFacetBuckets(s, 'hits', 'summaries', [b({ direction: 'ingress', tier: 't', kind: 'np', namespace: null, name: 'p', rule_index: -1, action: 'deny' }, 2, { count: { value: 6 } })]);
    assert.deepEqual(f.hits, [{ direction: 'ingress', tier: 't', kind: 'np', name: 'p', rule_index: -1, action: 'deny', count: 6 }]);
    assert.deepEqual(s.hits, f.hits);
  });

  it('requests: the timeline step, pages continued after a key, traces nested', () => {
    const tl = flowFacetAgg('timeline', { time: 1, verdict: 'allow' }, 60_000) as { composite: { sources: Record<string, { date_histogram?: { fixed_interval: string } }>[]; after: unknown } };
    assert.equal(tl.composite.sources[0]?.time?.date_histogram?.fixed_interval, '60000ms');
    assert.deepEqual(tl.composite.after, { time: 1, verdict: 'allow' });
    assert.equal((flowFacetAgg('egress', undefined, 30_000) as { nested: { path: string } }).nested.path, 'segflow.policy.egress.enforced');
    assert.equal((summaryFacetAgg('hits', undefined, 30_000) as { nested: { path: string } }).nested.path, 'hits');
  });
});
