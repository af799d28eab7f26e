/**
 * Aggregation requests of `/flows/stats` and `/denied`, and the shaping of their results. Pure:
 * the route runs the requests (composite ones page by page) and hands the buckets back here.
 *
 * Every request here is meant to run with `dedupReporters` in its query, so a connection
 * reported by both ends counts once (reporter-dedup.ts).
 */
import type { estypes } from '@elastic/elasticsearch';
import { invalidParameter, quoteInput } from '../errors.ts';
import { formatDuration, parseDuration, type TimeRange } from './time-range.ts';
import { TIME_FIELD } from './flow-search.ts';

type Query = estypes.QueryDslQueryContainer;
type Aggs = Record<string, estypes.AggregationsAggregationContainer>;

import { STATS_VIEWS, type StatsView } from '../../contract/api/stats.ts';

export { STATS_VIEWS, type StatsView };

/** Parses `view` (comma list; all views when absent). */
export function parseViews(raw: string | undefined): StatsView[] {
  if (raw === undefined) return [...STATS_VIEWS];
  const out = new Set<StatsView>();
  for (const v of raw.split(',')) {
    if (!(STATS_VIEWS as readonly string[]).includes(v)) throw invalidParameter('view', `unknown view ${quoteInput(v)}; views: ${STATS_VIEWS.join(', ')}`);
    out.add(v as StatsView);
  }
  return [...out];
}

/** Most buckets a timeline may have. */
export const MAX_TIMELINE_BUCKETS = 1_000;
const NICE_INTERVALS_MS = [10_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000];

/** The timeline interval: the one asked for (validated), else the finest giving ≤ 120 buckets. */
export function timelineIntervalMs(raw: string | undefined, range: TimeRange): number {
  const span = range.toMs - range.fromMs;
  if (raw !== undefined) {
    const ms = parseDuration(raw);
    if (ms === null || ms < 1_000) throw invalidParameter('interval', `expected a duration like 30s, 5m, 1h (at least 1s), got ${quoteInput(raw)}`);
    if (span / ms > MAX_TIMELINE_BUCKETS) throw invalidParameter('interval', `${raw} over ${formatDuration(span)} makes more than ${MAX_TIMELINE_BUCKETS} buckets`);
    return ms;
  }
  return NICE_INTERVALS_MS.find((ms) => span / ms <= 120) ?? 86_400_000;
}

const sums: Aggs = { bytes: { sum: { field: 'network.bytes' } }, packets: { sum: { field: 'network.packets' } } };
const DENY: Query = { term: { 'segflow.verdict': 'deny' } };

/**
 * The single size-0 request for totals and the timeline (the views that need no paging).
 */
export function buildStatsRequest(query: Query, views: readonly StatsView[], range: TimeRange, intervalMs: number): estypes.SearchRequest {
  const aggs: Aggs = { ...sums, denied: { filter: DENY } };
  if (views.includes('timeline')) {
    aggs.timeline = {
      date_histogram: {
        field: TIME_FIELD, fixed_interval: `${intervalMs}ms`, min_doc_count: 0,
        extended_bounds: { min: range.fromMs - (range.fromMs % intervalMs), max: range.toMs - 1 },
      },
      aggs: { ...sums, denied: { filter: DENY } },
    };
  }
  return { size: 0, track_total_hits: true, query, aggs };
}

/** Composite source on a keyword field, with a bucket for documents without it. */
function source(name: string, field: string, missing = true): Record<string, estypes.AggregationsCompositeAggregationSource> {
  return { [name]: { terms: { field, missing_bucket: missing } } };
}

/** Page size of composite aggregations. */
export const COMPOSITE_PAGE = 1_000;

/**
 * Every talker (source namespace and aggregated name; flows without a name are no talker) with
 * its flows and bytes, for top_talkers. All of them, paged: a top taken inside Elasticsearch
 * (terms per namespace, then per name) would hide a big talker in a namespace with less in
 * total, and cut per shard.
 */
export function buildTalkersRequest(query: Query, after: Record<string, estypes.FieldValue> | undefined): estypes.SearchRequest {
  return {
    size: 0, query,
    aggs: {
      talkers: {
        composite: { size: COMPOSITE_PAGE, ...(after ? { after } : {}), sources: [source('namespace', 'segflow.source.namespace'), source('name', 'segflow.source.aggregated_name', false)] },
        aggs: sums,
      },
    },
  };
}

/** Denied source/destination pairs (workload level), for top_denied_pairs. */
export function buildDeniedPairsRequest(query: Query, after: Record<string, estypes.FieldValue> | undefined): estypes.SearchRequest {
  return {
    size: 0, query: { bool: { filter: [query, DENY] } },
    aggs: {
      pairs: {
        composite: {
          size: COMPOSITE_PAGE, ...(after ? { after } : {}),
          sources: [
            source('source_namespace', 'segflow.source.namespace'), source('source_name', 'segflow.source.aggregated_name'),
            source('dest_namespace', 'segflow.destination.namespace'), source('dest_name', 'segflow.destination.aggregated_name'),
          ],
        },
        aggs: { ...sums, last_seen: { max: { field: TIME_FIELD } } },
      },
    },
  };
}

/** Namespace-to-namespace matrix (flows and bytes per pair, denied flows). */
export function buildMatrixRequest(query: Query, after: Record<string, estypes.FieldValue> | undefined): estypes.SearchRequest {
  return {
    size: 0, query,
    aggs: {
      matrix: {
        composite: { size: COMPOSITE_PAGE, ...(after ? { after } : {}), sources: [source('source', 'segflow.source.namespace'), source('destination', 'segflow.destination.namespace')] },
        aggs: { ...sums, denied: { filter: DENY } },
      },
    },
  };
}

/** Policy-rule hits in one direction's enforced trace (nested), keyed by policy and rule. */
export function buildPolicyHitsRequest(query: Query, direction: 'egress' | 'ingress', after: Record<string, estypes.FieldValue> | undefined): estypes.SearchRequest {
  const path = `segflow.policy.${direction}.enforced`;
  return {
    size: 0, query,
    aggs: {
      trace: {
        nested: { path },
        aggs: {
          hits: {
            composite: {
              size: COMPOSITE_PAGE, ...(after ? { after } : {}),
              sources: [
                source('tier', `${path}.tier`, false), source('kind', `${path}.kind`, false), source('namespace', `${path}.namespace`),
                source('name', `${path}.name`, false), source('rule_index', `${path}.rule_index`, false), source('action', `${path}.action`, false),
              ],
            },
          },
        },
      },
    },
  };
}

/** Groups of `/denied`: who, to where, and which policy and rule decided. */
export function buildDeniedGroupsRequest(query: Query, after: Record<string, estypes.FieldValue> | undefined): estypes.SearchRequest {
  return {
    size: 0, query: { bool: { filter: [query, DENY] } },
    aggs: {
      groups: {
        composite: {
          size: COMPOSITE_PAGE, ...(after ? { after } : {}),
          sources: [
            source('source_namespace', 'segflow.source.namespace'), source('source_name', 'segflow.source.aggregated_name'),
            source('dest_namespace', 'segflow.destination.namespace'), source('dest_name', 'segflow.destination.aggregated_name'),
            source('dest_port', 'destination.port'), source('protocol', 'network.transport'),
            source('policy', 'rule.name'), source('tier', 'rule.ruleset'), source('rule', 'rule.uuid'),
          ],
        },
        aggs: {
          ...sums,
          first_seen: { min: { field: TIME_FIELD } },
          last_seen: { max: { field: TIME_FIELD } },
          example: { top_hits: { size: 1, sort: EXAMPLE_SORT, _source: { includes: EXAMPLE_FIELDS } } },
        },
      },
    },
  };
}

/** The newest document of a group; of documents with the same time, the smallest id (any order must pick the same). */
export const EXAMPLE_SORT: estypes.SortCombinations[] = [{ [TIME_FIELD]: { order: 'desc' } }, { 'event.id': { order: 'asc' } }];

/** Fields of the newest document kept per denied group (enough to explain it and name its group). */
export const EXAMPLE_FIELDS = [
  TIME_FIELD, 'source.ip', 'source.port', 'destination.ip', 'destination.port', 'network.transport',
  'segflow.reporter', 'segflow.verdict', 'segflow.source', 'segflow.destination', 'segflow.policy', 'rule',
];

// ---------------------------------------------------------------------------------------------
// Result shaping
// ---------------------------------------------------------------------------------------------

function sumOf(b: Record<string, unknown>, name: string): number {
  return Math.round(((b[name] as { value?: number | null } | undefined)?.value ?? 0));
}
function countOf(b: Record<string, unknown>, name: string): number {
  return (b[name] as { doc_count?: number } | undefined)?.doc_count ?? 0;
}
const orNull = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** Totals of a stats response. */
export function shapeTotals(r: estypes.SearchResponse): { flows: number; bytes: number; packets: number; denied: number } {
  const a = (r.aggregations ?? {}) as Record<string, unknown>;
  const total = r.hits.total;
  return { flows: typeof total === 'number' ? total : total?.value ?? 0, bytes: sumOf(a, 'bytes'), packets: sumOf(a, 'packets'), denied: countOf(a, 'denied') };
}

/** One top talker. */
export interface TopTalker { namespace: string | null; name: string; flows: number; bytes: number; packets: number }

/**
 * The `limit` talkers with the most bytes, then flows, then the smaller namespace (none first)
 * and name, from talker buckets in composite order.
 */
export function shapeTopTalkers(buckets: readonly estypes.AggregationsCompositeBucket[], limit: number): TopTalker[] {
  return rankTalkers(buckets.map((b) => ({ namespace: orNull(b.key.namespace), name: String(b.key.name), flows: b.doc_count, bytes: sumOf(b, 'bytes'), packets: sumOf(b, 'packets') })), limit);
}

/** The top `limit` of talkers (see shapeTopTalkers); sorts `talkers` in place. */
export function rankTalkers(talkers: TopTalker[], limit: number): TopTalker[] {
  return talkers.sort((a, b) => b.bytes - a.bytes || b.flows - a.flows || compareKeys(a.namespace, b.namespace) || compareKeys(a.name, b.name)).slice(0, limit);
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
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 units order as code points except a surrogate (a code point above U+FFFF) against
    // a unit from U+E000 up; equal prefixes mean neither differing unit ends a pair begun before.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y : x) >= 0xe000) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** One timeline bucket. */
export interface TimelineBucket { time: string; flows: number; denied: number; bytes: number; packets: number }

export function shapeTimeline(r: estypes.SearchResponse): TimelineBucket[] {
  const buckets = ((r.aggregations?.timeline as estypes.AggregationsDateHistogramAggregate | undefined)?.buckets ?? []) as estypes.AggregationsDateHistogramBucket[];
  return buckets.map((b) => ({ time: new Date(Number(b.key)).toISOString(), flows: b.doc_count, denied: countOf(b, 'denied'), bytes: sumOf(b, 'bytes'), packets: sumOf(b, 'packets') }));
}

/** One denied pair. */
export interface DeniedPair { source: { namespace: string | null; name: string | null }; destination: { namespace: string | null; name: string | null }; flows: number; bytes: number; last_seen: string | null }

export function shapeDeniedPairs(buckets: readonly estypes.AggregationsCompositeBucket[], limit: number): DeniedPair[] {
  return buckets
    .map((b) => ({
      source: { namespace: orNull(b.key.source_namespace), name: orNull(b.key.source_name) },
      destination: { namespace: orNull(b.key.dest_namespace), name: orNull(b.key.dest_name) },
      flows: b.doc_count, bytes: sumOf(b, 'bytes'),
      last_seen: (b.last_seen as { value_as_string?: string }).value_as_string ?? null,
    }))
    .sort((a, b) => b.flows - a.flows || (b.last_seen ?? '').localeCompare(a.last_seen ?? ''))
    .slice(0, limit);
}

/** One cell of the namespace matrix (null = global endpoints or non-endpoints). */
export interface MatrixCell { source: string | null; destination: string | null; flows: number; denied: number; bytes: number }

export function shapeMatrix(buckets: readonly estypes.AggregationsCompositeBucket[]): MatrixCell[] {
  return buckets.map((b) => ({ source: orNull(b.key.source), destination: orNull(b.key.destination), flows: b.doc_count, denied: countOf(b, 'denied'), bytes: sumOf(b, 'bytes') }));
}

/** A rule-level hit count from the traces. */
export interface RuleHit { direction: 'egress' | 'ingress'; tier: string; kind: string; namespace: string | null; name: string; ruleIndex: number; action: string; hits: number }

export function shapeRuleHits(direction: 'egress' | 'ingress', buckets: readonly estypes.AggregationsCompositeBucket[]): RuleHit[] {
  return buckets.map((b) => ({
    direction, tier: String(b.key.tier), kind: String(b.key.kind), namespace: orNull(b.key.namespace), name: String(b.key.name),
    ruleIndex: Number(b.key.rule_index), action: String(b.key.action), hits: b.doc_count,
  }));
}
