/**
 * The stats view's figures as lists of keyed entries ("facets"), taken either from flow
 * documents or from summary documents (flow-summary.ts) with composite aggregations, so the
 * rollup (which stores them) and the API (which merges stored blocks with the flow documents
 * of the rest of a range) compute them the same way. Pure request building and parsing; the
 * caller runs the searches (`collectFacets` takes its search function).
 *
 * Every figure is a count or an integer sum, so entries of disjoint parts of a range add up
 * to exactly what one aggregation over the whole range gives.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { SummaryCellEntry, SummaryHitEntry, SummaryPairEntry, SummaryTalkerEntry, SummaryTimelineEntry } from './flow-summary.ts';

type Aggs = Record<string, estypes.AggregationsAggregationContainer>;
type After = Record<string, estypes.FieldValue>;
type Bucket = estypes.AggregationsCompositeBucket;

/** The facets, as read from flow documents (one per hit direction) or from summaries (`hits` holds both). */
export type FlowFacet = 'timeline' | 'talkers' | 'cells' | 'pairs' | 'egress' | 'ingress';
export type SummaryFacet = 'timeline' | 'talkers' | 'cells' | 'pairs' | 'hits';
export const FLOW_FACETS: readonly FlowFacet[] = ['timeline', 'talkers', 'cells', 'pairs', 'egress', 'ingress'];
export const SUMMARY_FACETS: readonly SummaryFacet[] = ['timeline', 'talkers', 'cells', 'pairs', 'hits'];

/**
 * Composite page size. Six composites may share one request, and 6 × 10,000 stays below
 * Elasticsearch's default search.max_buckets (65,536).
 */
export const FACET_PAGE = 10_000;

/** Every facet's entries. */
export interface FacetEntries {
  timeline: SummaryTimelineEntry[];
  talkers: SummaryTalkerEntry[];
  cells: SummaryCellEntry[];
  pairs: SummaryPairEntry[];
  hits: SummaryHitEntry[];
}

export function emptyFacetEntries(): FacetEntries {
  return { timeline: [], talkers: [], cells: [], pairs: [], hits: [] };
}

const DENY: estypes.QueryDslQueryContainer = { term: { 'segflow.verdict': 'deny' } };

function terms(name: string, field: string, missing = true): Record<string, estypes.AggregationsCompositeAggregationSource> {
  return { [name]: { terms: { field, missing_bucket: missing } } };
}
function composite(sources: Record<string, estypes.AggregationsCompositeAggregationSource>[], after: After | undefined, aggs: Aggs): estypes.AggregationsAggregationContainer {
  return { composite: { size: FACET_PAGE, sources, ...(after ? { after } : {}) }, aggs };
}
const sum = (field: string): estypes.AggregationsAggregationContainer => ({ sum: { field } });

/** The aggregation of one facet over flow documents; `stepMs` is the timeline's step. */
export function flowFacetAgg(facet: FlowFacet, after: After | undefined, stepMs: number): estypes.AggregationsAggregationContainer {
  const sums = { bytes: sum('network.bytes'), packets: sum('network.packets') };
  switch (facet) {
    case 'timeline':
      return composite([{ time: { date_histogram: { field: '@timestamp', fixed_interval: `${stepMs}ms` } } }, terms('verdict', 'segflow.verdict')], after, sums);
    case 'talkers':
      return composite([terms('namespace', 'segflow.source.namespace'), terms('name', 'segflow.source.aggregated_name')], after, sums);
    case 'cells':
      return composite([terms('source', 'segflow.source.namespace'), terms('destination', 'segflow.destination.namespace')], after, { ...sums, denied: { filter: DENY } });
    case 'pairs':
      // Denied flows only: collectFacets runs this facet with the deny term in its query
      // (a composite may sit under a nested aggregation, not under a filter).
      return composite([
        terms('source_namespace', 'segflow.source.namespace'), terms('source_name', 'segflow.source.aggregated_name'),
        terms('dest_namespace', 'segflow.destination.namespace'), terms('dest_name', 'segflow.destination.aggregated_name'),
      ], after, { bytes: sums.bytes, last_seen: { max: { field: '@timestamp' } } });
    case 'egress':
    case 'ingress': {
      const path = `segflow.policy.${facet}.enforced`;
      // Required fields of a trace entry have no missing bucket, as in the raw stats request.
      return {
        nested: { path },
        aggs: {
          page: composite([
            terms('tier', `${path}.tier`, false), terms('kind', `${path}.kind`, false), terms('namespace', `${path}.namespace`),
            terms('name', `${path}.name`, false), terms('rule_index', `${path}.rule_index`, false), terms('action', `${path}.action`, false),
          ], after, {}),
        },
      };
    }
  }
}

/** The aggregation of one facet over summary documents (their nested lists). */
export function summaryFacetAgg(facet: SummaryFacet, after: After | undefined, stepMs: number): estypes.AggregationsAggregationContainer {
  const nested = (path: string, sources: Record<string, estypes.AggregationsCompositeAggregationSource>[], aggs: Aggs): estypes.AggregationsAggregationContainer =>
    ({ nested: { path }, aggs: { page: composite(sources, after, aggs) } });
  const figures = (path: string, names: readonly string[]): Aggs => Object.fromEntries(names.map((n) => [n, sum(`${path}.${n}`)]));
  switch (facet) {
    case 'timeline':
      return nested('timeline', [{ time: { date_histogram: { field: 'timeline.time', fixed_interval: `${stepMs}ms` } } }, terms('verdict', 'timeline.verdict')], figures('timeline', ['flows', 'bytes', 'packets']));
    case 'talkers':
      return nested('talkers', [terms('namespace', 'talkers.namespace'), terms('name', 'talkers.name')], figures('talkers', ['flows', 'bytes', 'packets']));
    case 'cells':
      return nested('cells', [terms('source', 'cells.source'), terms('destination', 'cells.destination')], figures('cells', ['flows', 'denied', 'bytes', 'packets']));
    case 'pairs':
      return nested('pairs', [
        terms('source_namespace', 'pairs.source_namespace'), terms('source_name', 'pairs.source_name'),
        terms('dest_namespace', 'pairs.dest_namespace'), terms('dest_name', 'pairs.dest_name'),
      ], { ...figures('pairs', ['flows', 'bytes']), last_seen: { max: { field: 'pairs.last_seen' } } });
    case 'hits':
      return nested('hits', [
        terms('direction', 'hits.direction', false), terms('tier', 'hits.tier', false), terms('kind', 'hits.kind', false), terms('namespace', 'hits.namespace'),
        terms('name', 'hits.name', false), terms('rule_index', 'hits.rule_index', false), terms('action', 'hits.action', false),
      ], figures('hits', ['count']));
  }
}

/** The composite result of a facet in an answer's aggregations (undefined: no index matched). */
export function facetPage(aggs: Record<string, estypes.AggregationsAggregate> | undefined, name: string): estypes.AggregationsCompositeAggregate | undefined {
  const a = aggs?.[name] as { buckets?: unknown; page?: estypes.AggregationsCompositeAggregate } | undefined;
  if (a === undefined) return undefined;
  return a.buckets !== undefined ? a as estypes.AggregationsCompositeAggregate : a.page;
}

function value(b: Bucket, name: string): number {
  // Sums of integers are exact in a double up to 2^53; rounding only drops the ".0".
  return Math.round((b[name] as { value?: number | null } | undefined)?.value ?? 0);
}
function key(b: Bucket, name: string): string | undefined {
  const v = b.key[name];
  return v === null || v === undefined ? undefined : String(v);
}
/** Entry fields for the keys that are present (an absent key = the documents had no value). */
function keys<K extends string>(b: Bucket, names: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const n of names) {
    const v = key(b, n);
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/** Adds a page of a facet's buckets to `into`. `side` says whether they came from flows (counts) or summaries (sums). */
export function addFacetBuckets(into: FacetEntries, facet: FlowFacet | SummaryFacet, side: 'flows' | 'summaries', buckets: readonly Bucket[]): void {
  const flows = (b: Bucket): number => (side === 'flows' ? b.doc_count : value(b, 'flows'));
  for (const b of buckets) {
    switch (facet) {
      case 'timeline':
        into.timeline.push({ time: new Date(Number(b.key.time)).toISOString(), verdict: key(b, 'verdict') ?? null, flows: flows(b), bytes: value(b, 'bytes'), packets: value(b, 'packets') });
        break;
      case 'talkers':
        into.talkers.push({ ...keys(b, ['namespace', 'name'] as const), flows: flows(b), bytes: value(b, 'bytes'), packets: value(b, 'packets') });
        break;
      case 'cells':
        into.cells.push({
          ...keys(b, ['source', 'destination'] as const), flows: flows(b),
          denied: side === 'flows' ? (b.denied as { doc_count: number }).doc_count : value(b, 'denied'), bytes: value(b, 'bytes'), packets: value(b, 'packets'),
        });
        break;
      case 'pairs': {
        const last = (b.last_seen as { value?: number | null }).value;
        into.pairs.push({
          ...keys(b, ['source_namespace', 'source_name', 'dest_namespace', 'dest_name'] as const), flows: flows(b), bytes: value(b, 'bytes'),
          last_seen: new Date(last ?? 0).toISOString(),
        });
        break;
      }
      case 'egress':
      case 'ingress':
      case 'hits': {
        const direction = facet === 'hits' ? String(b.key.direction) as 'egress' | 'ingress' : facet;
        into.hits.push({
          direction, tier: String(b.key.tier), kind: String(b.key.kind), ...keys(b, ['namespace'] as const), name: String(b.key.name),
          rule_index: Number(b.key.rule_index), action: String(b.key.action), count: side === 'flows' ? b.doc_count : value(b, 'count'),
        });
        break;
      }
    }
  }
}

/** Runs one search (the caller adds the index or PIT). */
export type FacetSearch = (request: estypes.SearchRequest) => Promise<estypes.SearchResponse>;

/**
 * Collects the entries of `facets` for `query`: one search with every facet's first page (and
 * `extra.aggs`, e.g. a fingerprint), then further searches only for facets with more pages.
 * Over flow documents the denied pairs run beside it with the deny term added to the query.
 * Returns the entries and the first answer of the main search.
 */
export async function collectFacets<F extends FlowFacet | SummaryFacet>(
  search: FacetSearch, query: estypes.QueryDslQueryContainer, side: 'flows' | 'summaries', facets: readonly F[], stepMs: number,
  extra: { aggs?: Aggs; trackTotalHits?: boolean } = {},
): Promise<{ entries: FacetEntries; first: estypes.SearchResponse }> {
  const entries = emptyFacetEntries();
  const apart = side === 'flows' && facets.includes('pairs' as F);
  const main = apart ? facets.filter((f) => f !== 'pairs') : facets;
  const [first] = await Promise.all([
    collectGroup(search, query, side, main, stepMs, entries, extra),
    apart ? collectGroup(search, { bool: { filter: [query, DENY] } }, side, ['pairs' as F], stepMs, entries, {}) : undefined,
  ]);
  return { entries, first };
}

async function collectGroup<F extends FlowFacet | SummaryFacet>(
  search: FacetSearch, query: estypes.QueryDslQueryContainer, side: 'flows' | 'summaries', facets: readonly F[], stepMs: number,
  entries: FacetEntries, extra: { aggs?: Aggs; trackTotalHits?: boolean },
): Promise<estypes.SearchResponse> {
  let pending = new Map<F, After | undefined>(facets.map((f) => [f, undefined]));
  let first: estypes.SearchResponse | undefined;
  do {
    const aggs: Aggs = first === undefined ? { ...(extra.aggs ?? {}) } : {};
    for (const [facet, after] of pending) {
      aggs[facet] = side === 'flows' ? flowFacetAgg(facet as FlowFacet, after, stepMs) : summaryFacetAgg(facet as SummaryFacet, after, stepMs);
    }
    const response = await search({ size: 0, query, aggs, ...(first === undefined && extra.trackTotalHits ? { track_total_hits: true } : {}) });
    first ??= response;
    const next = new Map<F, After | undefined>();
    for (const facet of pending.keys()) {
      const page = facetPage(response.aggregations, facet);
      if (page === undefined) continue;
      const buckets = page.buckets as Bucket[];
      addFacetBuckets(entries, facet, side, buckets);
      if (buckets.length === FACET_PAGE && page.after_key !== undefined) next.set(facet, page.after_key as After);
    }
    pending = next;
  } while (pending.size > 0);
  return first;
}
