/**
 * Reading summary fingerprints (contract/flow-summary.ts): the stored ones, from the summary
 * documents' doc values, and the live ones, from the flows themselves. A block whose two
 * fingerprints are equal is current: its summary says exactly what its flows say. The API reads
 * both to decide which blocks it may answer from; the enricher reads both to find blocks whose
 * rollup is missing or stale. The requests name no index: the caller targets the summaries
 * (stored) or the flows (live).
 */
import type { estypes } from '@elastic/elasticsearch';
import {
  countedFlowsQuery, FINGERPRINT_AGGS, fingerprintFromAggs, FLOW_SUMMARY_VERSION, sameFingerprint, SUMMARY_BLOCK_MS, summaryDocumentId, type BlockFingerprint,
} from './flow-summary.ts';

/**
 * The stored fingerprints of `blocks` from doc values only: a summary's source is its whole
 * entry lists, which Elasticsearch would load and parse to filter out.
 */
export function buildStoredFingerprintsRequest(blocks: readonly number[]): estypes.SearchRequest {
  return {
    size: blocks.length, track_total_hits: false, _source: false,
    query: { bool: { filter: [{ ids: { values: blocks.map(summaryDocumentId) } }, { term: { version: FLOW_SUMMARY_VERSION } }] } },
    docvalue_fields: [{ field: 'block_start', format: 'epoch_millis' }, 'fingerprint.flows', 'fingerprint.records', { field: 'fingerprint.max_ingested', format: 'epoch_millis' }],
    filter_path: ['hits.hits.fields'],
  };
}

/** Stored fingerprints by block start, from buildStoredFingerprintsRequest's answer. */
export function storedFingerprintsOf(r: estypes.SearchResponse): Map<number, BlockFingerprint> {
  const out = new Map<number, BlockFingerprint>();
  for (const hit of r.hits?.hits ?? []) {
    const f = hit.fields as Record<string, unknown[]> | undefined;
    const first = (name: string): number | undefined => (f?.[name]?.[0] === undefined ? undefined : Number(f[name][0]));
    const start = first('block_start');
    if (start === undefined) continue;
    out.set(start, { flows: first('fingerprint.flows') ?? 0, records: first('fingerprint.records') ?? 0, maxIngestedMs: first('fingerprint.max_ingested') ?? null });
  }
  return out;
}

/** The flows' own fingerprint of every candidate block: one histogram bucket per block holding flows. */
export function buildLiveFingerprintRequest(blocks: readonly number[]): estypes.SearchRequest {
  const first = blocks[0] ?? 0;
  const end = (blocks[blocks.length - 1] ?? 0) + SUMMARY_BLOCK_MS;
  return {
    size: 0, query: countedFlowsQuery(first, end),
    aggs: { blocks: { date_histogram: { field: '@timestamp', fixed_interval: `${SUMMARY_BLOCK_MS}ms`, min_doc_count: 1 }, aggs: { ...FINGERPRINT_AGGS } } },
  };
}

/** Live fingerprints by block start, from the histogram answer (blocks without flows are absent). */
export function liveFingerprints(r: estypes.SearchResponse): Map<number, BlockFingerprint> {
  const buckets = ((r.aggregations?.blocks as estypes.AggregationsDateHistogramAggregate | undefined)?.buckets ?? []) as estypes.AggregationsDateHistogramBucket[];
  return new Map(buckets.map((b) => [Number(b.key), fingerprintFromAggs(b.doc_count, b as unknown as Record<string, unknown>)]));
}

/** The fingerprint of a block without flows. */
export const NO_FLOWS: BlockFingerprint = { flows: 0, records: 0, maxIngestedMs: null };

/** The live fingerprint of a block (a block without flows has 0, 0, none). */
export function liveFingerprintOf(live: ReadonlyMap<number, BlockFingerprint>, block: number): BlockFingerprint {
  return live.get(block) ?? NO_FLOWS;
}

/** The candidate blocks whose stored fingerprint equals the live one (a block without flows has 0, 0, none). */
export function currentBlocks(candidates: readonly number[], stored: ReadonlyMap<number, BlockFingerprint>, live: ReadonlyMap<number, BlockFingerprint>): number[] {
  return candidates.filter((b) => {
    const s = stored.get(b);
    return s !== undefined && sameFingerprint(s, liveFingerprintOf(live, b));
  });
}

