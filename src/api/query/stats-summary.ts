/**
 * The stats view from summaries (contract/flow-summary.ts), pure parts: which requests may use
 * them, which blocks of a range are current (their fingerprint equals the flows' own), the rest
 * of the range as raw flow ranges, and the shaping of the merged entries into exactly what the
 * raw route (routes/stats-routes.ts with query/flow-stats.ts) answers for the whole range —
 * including its orders, ties and truncation.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FacetEntries } from '../../contract/flow-summary-facets.ts';
import {
  countedFlowsQuery, FINGERPRINT_AGGS, fingerprintFromAggs, fingerprintOf, FLOW_SUMMARY_VERSION, sameFingerprint, SUMMARY_BLOCK_MS, SUMMARY_TIMELINE_MS,
  type BlockFingerprint, type FlowSummaryDocument,
} from '../../contract/flow-summary.ts';
import type { AccessScope } from './access-scope.ts';
import { shapeDeniedPairs, shapeMatrix, shapeRuleHits, shapeTopTalkers, type DeniedPair, type MatrixCell, type RuleHit, type StatsView, type TimelineBucket, type TopTalker } from './flow-stats.ts';
import { TIME_FIELD } from './flow-search.ts';
import type { TimeRange } from './time-range.ts';

type Query = estypes.QueryDslQueryContainer;
type Bucket = estypes.AggregationsCompositeBucket;

/**
 * Whether summaries can answer a request: no filters (summaries keep no other dimension), an
 * unrestricted caller (a namespaced scope needs both namespaces of every entry, which would
 * multiply the summaries by the namespace pairs), the stored count-once key in every index,
 * and a timeline interval the blocks' timeline resolution divides.
 */
export function summariesCanAnswer(p: { readonly filters: readonly unknown[]; readonly scope: AccessScope; readonly keyed: boolean; readonly views: readonly StatsView[]; readonly intervalMs: number }): boolean {
  if (!p.keyed || p.filters.length > 0 || p.scope.namespaces !== null) return false;
  return !p.views.includes('timeline') || p.intervalMs % SUMMARY_TIMELINE_MS === 0;
}

/** Starts of the blocks lying wholly inside the range, oldest first. */
export function blocksInside(range: TimeRange): number[] {
  const first = Math.ceil(range.fromMs / SUMMARY_BLOCK_MS) * SUMMARY_BLOCK_MS;
  const out: number[] = [];
  for (let b = first; b + SUMMARY_BLOCK_MS <= range.toMs; b += SUMMARY_BLOCK_MS) out.push(b);
  return out;
}

/** Most blocks one request considers (a month); a longer range runs raw. */
export const MAX_SUMMARY_BLOCKS = 9_000;

/** The summaries of the candidate blocks: their start and fingerprint only. */
export function buildBlockHeadersRequest(blocks: readonly number[]): estypes.SearchRequest {
  const first = blocks[0] ?? 0;
  const last = blocks[blocks.length - 1] ?? 0;
  return {
    size: blocks.length, track_total_hits: false,
    query: { bool: { filter: [{ range: { block_start: { gte: first, lte: last, format: 'epoch_millis' } } }, { term: { version: FLOW_SUMMARY_VERSION } }] } },
    _source: { includes: ['block_start', 'fingerprint'] },
  };
}

/** The flows' own fingerprint of every candidate block: one histogram bucket per block holding flows. */
export function buildLiveFingerprintRequest(blocks: readonly number[]): estypes.SearchRequest {
  const first = blocks[0] ?? 0;
  const end = (blocks[blocks.length - 1] ?? 0) + SUMMARY_BLOCK_MS;
  return {
    size: 0, query: countedFlowsQuery(first, end) as Query,
    aggs: { blocks: { date_histogram: { field: TIME_FIELD, fixed_interval: `${SUMMARY_BLOCK_MS}ms`, min_doc_count: 1 }, aggs: { ...FINGERPRINT_AGGS } } },
  };
}

/** Stored fingerprints by block start, from the headers answer. */
export function storedFingerprints(r: estypes.SearchResponse<Pick<FlowSummaryDocument, 'block_start' | 'fingerprint'>>): Map<number, BlockFingerprint> {
  const out = new Map<number, BlockFingerprint>();
  for (const hit of r.hits.hits) if (hit._source) out.set(Date.parse(hit._source.block_start), fingerprintOf(hit._source));
  return out;
}

/** Live fingerprints by block start, from the histogram answer (blocks without flows are absent). */
export function liveFingerprints(r: estypes.SearchResponse): Map<number, BlockFingerprint> {
  const buckets = ((r.aggregations?.blocks as estypes.AggregationsDateHistogramAggregate | undefined)?.buckets ?? []) as estypes.AggregationsDateHistogramBucket[];
  return new Map(buckets.map((b) => [Number(b.key), fingerprintFromAggs(b.doc_count, b as unknown as Record<string, unknown>)]));
}

const NO_FLOWS: BlockFingerprint = { flows: 0, records: 0, maxIngestedMs: null };

/** The candidate blocks whose stored fingerprint equals the live one (a block without flows has 0, 0, none). */
export function currentBlocks(candidates: readonly number[], stored: ReadonlyMap<number, BlockFingerprint>, live: ReadonlyMap<number, BlockFingerprint>): number[] {
  return candidates.filter((b) => {
    const s = stored.get(b);
    return s !== undefined && sameFingerprint(s, live.get(b) ?? NO_FLOWS);
  });
}

/** The parts of the range not covered by `blocks` (sorted block starts inside it), as [from, to) ranges. */
export function rawRanges(range: TimeRange, blocks: readonly number[]): TimeRange[] {
  const out: TimeRange[] = [];
  let at = range.fromMs;
  for (const b of blocks) {
    if (b > at) out.push({ fromMs: at, toMs: b });
    at = b + SUMMARY_BLOCK_MS;
  }
  if (at < range.toMs) out.push({ fromMs: at, toMs: range.toMs });
  return out;
}

/** A clause matching @timestamp in any of `ranges` (match_none for none). */
export function rangesClause(ranges: readonly TimeRange[]): Query {
  if (ranges.length === 0) return { match_none: {} };
  return { bool: { should: ranges.map((r) => ({ range: { [TIME_FIELD]: { gte: r.fromMs, lt: r.toMs, format: 'epoch_millis' } } })), minimum_should_match: 1 } };
}

// ---------------------------------------------------------------------------------------------
// Merging and shaping
// ---------------------------------------------------------------------------------------------

/** Entries of both parts in one list per facet. */
export function concatEntries(...parts: readonly FacetEntries[]): FacetEntries {
  return {
    timeline: parts.flatMap((p) => p.timeline), talkers: parts.flatMap((p) => p.talkers), cells: parts.flatMap((p) => p.cells),
    pairs: parts.flatMap((p) => p.pairs), hits: parts.flatMap((p) => p.hits),
  };
}

/**
 * Elasticsearch's order of keyword keys (UTF-8 bytes, which is code point order) with the
 * missing value first, as composite aggregations sort ascending.
 */
export function compareKeys(a: string | null | undefined, b: string | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function addTo<T extends Record<string, number>>(map: Map<string, T>, key: string, make: () => T, add: Partial<T>): T {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  for (const [k, x] of Object.entries(add) as [keyof T, number][]) (v as Record<keyof T, number>)[k] += x;
  return v;
}

/** Totals of the merged entries (what the raw route takes from its first request). */
export function mergedTotals(e: FacetEntries): { flows: number; bytes: number; packets: number; denied: number } {
  const t = { flows: 0, bytes: 0, packets: 0, denied: 0 };
  for (const x of e.timeline) {
    t.flows += x.flows;
    t.bytes += x.bytes;
    t.packets += x.packets;
    if (x.verdict === 'deny') t.denied += x.flows;
  }
  return t;
}

/** The timeline: every interval from the range's first to its last, empty ones included (a date histogram with extended bounds). */
export function mergedTimeline(e: FacetEntries, range: TimeRange, intervalMs: number): TimelineBucket[] {
  const by = new Map<string, { flows: number; denied: number; bytes: number; packets: number }>();
  for (const x of e.timeline) {
    const ms = Date.parse(x.time);
    const start = ms - (((ms % intervalMs) + intervalMs) % intervalMs);
    addTo(by, String(start), () => ({ flows: 0, denied: 0, bytes: 0, packets: 0 }), { flows: x.flows, denied: x.verdict === 'deny' ? x.flows : 0, bytes: x.bytes, packets: x.packets });
  }
  const out: TimelineBucket[] = [];
  const first = range.fromMs - (range.fromMs % intervalMs);
  const last = range.toMs - 1;
  for (let t = first; t <= last; t += intervalMs) {
    const v = by.get(String(t)) ?? { flows: 0, denied: 0, bytes: 0, packets: 0 };
    out.push({ time: new Date(t).toISOString(), flows: v.flows, denied: v.denied, bytes: v.bytes, packets: v.packets });
  }
  return out;
}

/**
 * Top talkers as the raw terms aggregation picks them: the `limit` source namespaces with the
 * most bytes (ties: smaller key first; flows without a namespace under ''), in each the `limit`
 * aggregated names with the most bytes (flows without a name count for their namespace only),
 * then shapeTopTalkers' own flattening.
 */
export function mergedTopTalkers(e: FacetEntries, limit: number): TopTalker[] {
  const namespaces = new Map<string, { bytes: number; flows: number; packets: number; names: Map<string, { bytes: number; flows: number; packets: number }> }>();
  for (const x of e.talkers) {
    const nsKey = x.namespace ?? '';
    let ns = namespaces.get(nsKey);
    if (ns === undefined) {
      ns = { bytes: 0, flows: 0, packets: 0, names: new Map() };
      namespaces.set(nsKey, ns);
    }
    ns.bytes += x.bytes;
    ns.flows += x.flows;
    ns.packets += x.packets;
    if (x.name !== undefined) addTo(ns.names, x.name, () => ({ bytes: 0, flows: 0, packets: 0 }), { bytes: x.bytes, flows: x.flows, packets: x.packets });
  }
  const byBytes = <V extends { bytes: number }>(entries: Iterable<[string, V]>): [string, V][] => [...entries].sort((a, b) => b[1].bytes - a[1].bytes || compareKeys(a[0], b[0]));
  const buckets = byBytes(namespaces).slice(0, limit).map(([key, ns]) => ({
    key, doc_count: ns.flows, bytes: { value: ns.bytes }, packets: { value: ns.packets },
    names: { buckets: byBytes(ns.names).slice(0, limit).map(([name, v]) => ({ key: name, doc_count: v.flows, bytes: { value: v.bytes }, packets: { value: v.packets } })) },
  }));
  return shapeTopTalkers({ aggregations: { top_talkers: { buckets } } } as unknown as estypes.SearchResponse, limit);
}

/** Composite-style buckets in composite order, cut at `max` as FlowStore.collectComposite cuts. */
function inCompositeOrder(buckets: Bucket[], keyNames: readonly string[], max: number, numeric: readonly string[] = []): { buckets: Bucket[]; truncated: boolean } {
  buckets.sort((a, b) => {
    for (const k of keyNames) {
      const c = numeric.includes(k) ? Number(a.key[k]) - Number(b.key[k]) : compareKeys(a.key[k] as string | null, b.key[k] as string | null);
      if (c !== 0) return c;
    }
    return 0;
  });
  return buckets.length >= max ? { buckets: buckets.slice(0, max), truncated: true } : { buckets, truncated: false };
}

/** The denied pairs, as the raw route shapes its composite pages. */
export function mergedDeniedPairs(e: FacetEntries, limit: number, max: number): { pairs: DeniedPair[]; truncated: boolean } {
  const by = new Map<string, { flows: number; bytes: number; last: number }>();
  const keys = new Map<string, Record<string, string | null>>();
  for (const x of e.pairs) {
    const key = { source_namespace: x.source_namespace ?? null, source_name: x.source_name ?? null, dest_namespace: x.dest_namespace ?? null, dest_name: x.dest_name ?? null };
    const id = JSON.stringify(key);
    keys.set(id, key);
    const v = addTo(by, id, () => ({ flows: 0, bytes: 0, last: -Infinity }), { flows: x.flows, bytes: x.bytes });
    v.last = Math.max(v.last, Date.parse(x.last_seen));
  }
  const buckets = [...by].map(([id, v]) => ({ key: keys.get(id), doc_count: v.flows, bytes: { value: v.bytes }, last_seen: { value_as_string: new Date(v.last).toISOString() } }) as unknown as Bucket);
  const cut = inCompositeOrder(buckets, ['source_namespace', 'source_name', 'dest_namespace', 'dest_name'], max);
  return { pairs: shapeDeniedPairs(cut.buckets, limit), truncated: cut.truncated };
}

/** The namespace matrix, as the raw route shapes its composite pages. */
export function mergedMatrix(e: FacetEntries, max: number): { cells: MatrixCell[]; truncated: boolean } {
  const by = new Map<string, { flows: number; denied: number; bytes: number }>();
  const keys = new Map<string, Record<string, string | null>>();
  for (const x of e.cells) {
    const key = { source: x.source ?? null, destination: x.destination ?? null };
    const id = JSON.stringify(key);
    keys.set(id, key);
    addTo(by, id, () => ({ flows: 0, denied: 0, bytes: 0 }), { flows: x.flows, denied: x.denied, bytes: x.bytes });
  }
  const buckets = [...by].map(([id, v]) => ({ key: keys.get(id), doc_count: v.flows, denied: { doc_count: v.denied }, bytes: { value: v.bytes } }) as unknown as Bucket);
  const cut = inCompositeOrder(buckets, ['source', 'destination'], max);
  return { cells: shapeMatrix(cut.buckets), truncated: cut.truncated };
}

/** Rule hits of both directions (egress first), as the raw route collects and shapes them. */
export function mergedRuleHits(e: FacetEntries, max: number): { hits: RuleHit[]; truncated: boolean } {
  const out: RuleHit[] = [];
  let truncated = false;
  for (const direction of ['egress', 'ingress'] as const) {
    const by = new Map<string, number>();
    const keys = new Map<string, Record<string, string | number | null>>();
    for (const x of e.hits) {
      if (x.direction !== direction) continue;
      const key = { tier: x.tier, kind: x.kind, namespace: x.namespace ?? null, name: x.name, rule_index: x.rule_index, action: x.action };
      const id = JSON.stringify(key);
      keys.set(id, key);
      by.set(id, (by.get(id) ?? 0) + x.count);
    }
    const buckets = [...by].map(([id, count]) => ({ key: keys.get(id), doc_count: count }) as unknown as Bucket);
    const cut = inCompositeOrder(buckets, ['tier', 'kind', 'namespace', 'name', 'rule_index', 'action'], max, ['rule_index']);
    truncated ||= cut.truncated;
    out.push(...shapeRuleHits(direction, cut.buckets));
  }
  return { hits: out, truncated };
}
