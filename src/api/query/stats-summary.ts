/**
 * The stats view from summaries (contract/flow-summary.ts), pure parts: which requests may use
 * them (which blocks are current: contract/flow-summary-fingerprints.ts), the rest
 * of the range as raw flow ranges, and the shaping of the merged entries into exactly what the
 * raw route (routes/stats-routes.ts with query/flow-stats.ts) answers for the whole range —
 * including its orders, ties and truncation.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FacetEntries } from '../../contract/flow-summary-facets.ts';
import {
  fingerprintOf, FLOW_SUMMARY_VERSION, SUMMARY_BLOCK_MS, SUMMARY_TIMELINE_MS, summaryDocumentId, type BlockFingerprint, type FlowSummaryDocument,
} from '../../contract/flow-summary.ts';
import { UNRESTRICTED, type AccessScope } from './access-scope.ts';
import { compareKeys, rankTalkers, shapeDeniedPairs, shapeMatrix, shapeRuleHits, type DeniedPair, type MatrixCell, type RuleHit, type StatsView, type TimelineBucket, type TopTalker } from './flow-stats.ts';
import { buildFlowQuery } from './flow-search.ts';
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

/** The lists of a summary document, one per facet (what a reader keeps of a block). */
export const SUMMARY_LISTS = ['timeline', 'talkers', 'cells', 'pairs', 'hits'] as const;

/**
 * The whole summary documents of `blocks` (their fingerprint and every list, so a cached block
 * serves any later choice of views), in this layout version. filter_path keeps only the
 * sources: the answer of a block is its ~4,000 entries, nothing more.
 */
export function buildSummaryDocumentsRequest(blocks: readonly number[]): estypes.SearchRequest {
  return {
    size: blocks.length, track_total_hits: false,
    query: { bool: { filter: [{ ids: { values: blocks.map(summaryDocumentId) } }, { term: { version: FLOW_SUMMARY_VERSION } }] } },
    _source: { includes: ['block_start', 'fingerprint', ...SUMMARY_LISTS] },
    filter_path: ['hits.hits._source'],
  };
}

/** A summary document as read by buildSummaryDocumentsRequest. */
export type SummaryDocumentRead = Pick<FlowSummaryDocument, 'block_start' | 'fingerprint' | typeof SUMMARY_LISTS[number]>;

/** A read summary document's start, stored fingerprint and entries (lists a document lacks are empty). */
export function summaryDocumentEntries(doc: SummaryDocumentRead): { start: number; fingerprint: BlockFingerprint; entries: FacetEntries } {
  return {
    start: Date.parse(doc.block_start), fingerprint: fingerprintOf(doc),
    entries: { timeline: [...(doc.timeline ?? [])], talkers: [...(doc.talkers ?? [])], cells: [...(doc.cells ?? [])], pairs: [...(doc.pairs ?? [])], hits: [...(doc.hits ?? [])] },
  };
}

/** The flows' query for the raw parts of a range: count-once documents in any of `ranges` (each range its own clause, no hull). */
export function rawRangesQuery(ranges: readonly TimeRange[]): Query {
  // Each range alone narrows the time filter to that range; a filter on the hull of both edges
  // of an hour would make Elasticsearch intersect the whole hour's documents first.
  const one = (range: TimeRange): Query => buildFlowQuery({ range, filters: [], scope: UNRESTRICTED, dedupReporters: 'stored' });
  if (ranges.length === 1) return one(ranges[0] as TimeRange);
  return { bool: { filter: [{ bool: { should: ranges.map(one), minimum_should_match: 1 } }] } };
}

/** Disjoint ranges in order, adjacent ones joined. */
export function joinRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.fromMs - b.fromMs)) {
    const last = out[out.length - 1];
    if (last !== undefined && last.toMs === r.fromMs) out[out.length - 1] = { fromMs: last.fromMs, toMs: r.toMs };
    else out.push(r);
  }
  return out;
}

/** Block starts as [from, to) ranges, adjacent blocks joined. */
export function blockRanges(blocks: readonly number[]): TimeRange[] {
  return joinRanges(blocks.map((b) => ({ fromMs: b, toMs: b + SUMMARY_BLOCK_MS })));
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

// A key part for entry identity, length-prefixed so that joined parts never collide whatever a
// value holds; absent and '' stay apart (the shaping below may join them later).
export const part = (v: string | number | null | undefined): string => {
  if (v === undefined || v === null) return '-';
  const t = String(v);
  return `${t.length}:${t}`;
};

/**
 * The entries of all parts with entries of the same keys added up (pairs keep the newest
 * last_seen): what the shaping below makes of them is unchanged, as it groups by these keys or
 * coarser ones and only adds and takes maxima, while it then has fewer entries to go through.
 */
export function mergeSameKeys(parts: readonly FacetEntries[]): FacetEntries {
  const timeline = new Map<string, { time: string; verdict: string | null; flows: number; bytes: number; packets: number }>();
  const talkers = new Map<string, { namespace?: string; name?: string; flows: number; bytes: number; packets: number }>();
  const cells = new Map<string, { source?: string; destination?: string; flows: number; denied: number; bytes: number; packets: number }>();
  const pairs = new Map<string, { source_namespace?: string; source_name?: string; dest_namespace?: string; dest_name?: string; flows: number; bytes: number; last_seen: string; lastMs: number }>();
  const hits = new Map<string, { direction: 'egress' | 'ingress'; tier: string; kind: string; namespace?: string; name: string; rule_index: number; action: string; count: number }>();
  for (const p of parts) {
    for (const x of p.timeline) {
      const k = part(x.time) + part(x.verdict);
      const v = timeline.get(k);
      if (v === undefined) timeline.set(k, { ...x });
      else { v.flows += x.flows; v.bytes += x.bytes; v.packets += x.packets; }
    }
    for (const x of p.talkers) {
      const k = part(x.namespace) + part(x.name);
      const v = talkers.get(k);
      if (v === undefined) talkers.set(k, { ...x });
      else { v.flows += x.flows; v.bytes += x.bytes; v.packets += x.packets; }
    }
    for (const x of p.cells) {
      const k = part(x.source) + part(x.destination);
      const v = cells.get(k);
      if (v === undefined) cells.set(k, { ...x });
      else { v.flows += x.flows; v.denied += x.denied; v.bytes += x.bytes; v.packets += x.packets; }
    }
    for (const x of p.pairs) {
      const k = part(x.source_namespace) + part(x.source_name) + part(x.dest_namespace) + part(x.dest_name);
      const ms = Date.parse(x.last_seen);
      const v = pairs.get(k);
      if (v === undefined) pairs.set(k, { ...x, lastMs: ms });
      else {
        v.flows += x.flows;
        v.bytes += x.bytes;
        if (ms > v.lastMs) { v.lastMs = ms; v.last_seen = x.last_seen; }
      }
    }
    for (const x of p.hits) {
      const k = part(x.direction) + part(x.tier) + part(x.kind) + part(x.namespace) + part(x.name) + part(x.rule_index) + part(x.action);
      const v = hits.get(k);
      if (v === undefined) hits.set(k, { ...x });
      else v.count += x.count;
    }
  }
  return {
    timeline: [...timeline.values()], talkers: [...talkers.values()], cells: [...cells.values()],
    pairs: [...pairs.values()].map(({ lastMs: _ms, ...x }) => x), hits: [...hits.values()],
  };
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
 * Top talkers as the raw route ranks them (query/flow-stats.ts): every (namespace, name) summed
 * over the entries (entries without a name are no talker); when there are more than `max`, only
 * the first `max` in composite key order count, as FlowStore.collectComposite cuts.
 */
export function mergedTopTalkers(e: FacetEntries, limit: number, max: number): { talkers: TopTalker[]; truncated: boolean } {
  const talkers = new Map<string, TopTalker>();
  for (const x of e.talkers) {
    if (x.name === undefined) continue;
    const namespace = x.namespace ?? null;
    const key = namespace === null ? `-${x.name}` : `${namespace.length}:${namespace}${x.name}`;
    const t = talkers.get(key);
    if (t === undefined) talkers.set(key, { namespace, name: x.name, flows: x.flows, bytes: x.bytes, packets: x.packets });
    else {
      t.flows += x.flows;
      t.bytes += x.bytes;
      t.packets += x.packets;
    }
  }
  let all = [...talkers.values()];
  const truncated = all.length > max;
  if (truncated) all = all.sort((a, b) => compareKeys(a.namespace, b.namespace) || compareKeys(a.name, b.name)).slice(0, max);
  return { talkers: rankTalkers(all, limit), truncated };
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
  const by = new Map<string, { key: Record<string, string | null>; flows: number; bytes: number; last: number }>();
  for (const x of e.pairs) {
    const id = part(x.source_namespace) + part(x.source_name) + part(x.dest_namespace) + part(x.dest_name);
    const last = Date.parse(x.last_seen);
    const v = by.get(id);
    if (v === undefined) {
      const key = { source_namespace: x.source_namespace ?? null, source_name: x.source_name ?? null, dest_namespace: x.dest_namespace ?? null, dest_name: x.dest_name ?? null };
      by.set(id, { key, flows: x.flows, bytes: x.bytes, last });
    } else {
      v.flows += x.flows;
      v.bytes += x.bytes;
      if (last > v.last) v.last = last;
    }
  }
  const names = ['source_namespace', 'source_name', 'dest_namespace', 'dest_name'];
  const bucketOf = (v: { key: Record<string, string | null>; flows: number; bytes: number; last: number }): Bucket =>
    ({ key: v.key, doc_count: v.flows, bytes: { value: v.bytes }, last_seen: { value_as_string: new Date(v.last).toISOString() } }) as unknown as Bucket;
  if (by.size >= max) {
    // Truncated: the raw route keeps the first `max` pairs in key order, then ranks those.
    const cut = inCompositeOrder([...by.values()].map(bucketOf), names, max);
    return { pairs: shapeDeniedPairs(cut.buckets, limit), truncated: cut.truncated };
  }
  // All pairs count: rank them as shapeDeniedPairs does (flows, then newest; its sort is stable
  // over key order, so key order breaks the remaining ties) and shape only the first `limit`.
  const ranked = [...by.values()].sort((a, b) => b.flows - a.flows || b.last - a.last || compareKeyRecords(a.key, b.key, names));
  return { pairs: shapeDeniedPairs(ranked.slice(0, limit).map(bucketOf), limit), truncated: false };
}

/** Composite order of two keys over `names` (`numeric` ones compare as numbers). */
export function compareKeyRecords(a: Record<string, string | number | null>, b: Record<string, string | number | null>, names: readonly string[], numeric: readonly string[] = []): number {
  for (const k of names) {
    const c = numeric.includes(k) ? Number(a[k]) - Number(b[k]) : compareKeys(a[k] as string | null, b[k] as string | null);
    if (c !== 0) return c;
  }
  return 0;
}

/** The namespace matrix, as the raw route shapes its composite pages. */
export function mergedMatrix(e: FacetEntries, max: number): { cells: MatrixCell[]; truncated: boolean } {
  const by = new Map<string, { flows: number; denied: number; bytes: number }>();
  const keys = new Map<string, Record<string, string | null>>();
  for (const x of e.cells) {
    const key = { source: x.source ?? null, destination: x.destination ?? null };
    const id = part(x.source) + part(x.destination);
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
      const id = part(x.tier) + part(x.kind) + part(x.namespace) + part(x.name) + part(x.rule_index) + part(x.action);
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
