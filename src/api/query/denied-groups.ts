/**
 * Reading the groups of `/denied` in two steps, so the cost follows the groups shown rather than
 * the denied documents in the range:
 *
 *  1. one composite aggregation over the group keys with counts, bytes and first/last seen only
 *     (large pages: usually one round trip), giving every group and `total_groups`;
 *  2. the newest document of each of the `limit` newest groups, through one `filters`
 *     aggregation with a `top_hits` of one per group.
 *
 * The one-request form (`buildDeniedGroupsRequest` in flow-stats.ts: a `top_hits` inside every
 * composite bucket) fetched a document for every group — thousands — and paged 1,000 buckets at
 * a time, re-running the query per page; Elasticsearch spent most of a request's CPU there and
 * the API parsing the examples it then threw away. The groups, counts and examples are the same
 * (test/integration/denied-groups.test.ts compares both on the same data).
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FlowStore, StoreCallOptions } from '../flow-store.ts';
import { EXAMPLE_FIELDS } from './flow-stats.ts';
import { TIME_FIELD } from './flow-search.ts';

type Query = estypes.QueryDslQueryContainer;
type Bucket = estypes.AggregationsCompositeBucket;

/** The group key: composite source name → document field (same keys as the one-request form). */
export const DENIED_GROUP_KEYS: readonly (readonly [string, string])[] = [
  ['source_namespace', 'segflow.source.namespace'], ['source_name', 'segflow.source.aggregated_name'],
  ['dest_namespace', 'segflow.destination.namespace'], ['dest_name', 'segflow.destination.aggregated_name'],
  ['dest_port', 'destination.port'], ['protocol', 'network.transport'],
  ['policy', 'rule.name'], ['tier', 'rule.ruleset'], ['rule', 'rule.uuid'],
];

/**
 * Composite page of the key step: no per-bucket documents, so a page this large is cheap and a
 * range with up to this many groups is one round trip (max_buckets is 65,536 by default).
 */
export const DENIED_KEYS_PAGE = 10_000;

const DENY: Query = { term: { 'segflow.verdict': 'deny' } };

/** Step 1: every denied group with its counts, no documents. */
export function buildDeniedGroupKeysRequest(query: Query, after: Record<string, estypes.FieldValue> | undefined, pageSize = DENIED_KEYS_PAGE): estypes.SearchRequest {
  return {
    size: 0, query: { bool: { filter: [query, DENY] } },
    aggs: {
      groups: {
        composite: {
          size: pageSize, ...(after ? { after } : {}),
          sources: DENIED_GROUP_KEYS.map(([name, field]) => ({ [name]: { terms: { field, missing_bucket: true } } })),
        },
        aggs: {
          bytes: { sum: { field: 'network.bytes' } },
          first_seen: { min: { field: TIME_FIELD } },
          last_seen: { max: { field: TIME_FIELD } },
        },
      },
    },
  };
}

/** The newest time of a group bucket (epoch ms; 0 when unknown). */
export function lastSeenMs(b: Bucket): number {
  return (b.last_seen as { value?: number | null } | undefined)?.value ?? 0;
}

/** The `limit` newest groups; equal times keep the composite (key) order. */
export function newestGroups(buckets: readonly Bucket[], limit: number): Bucket[] {
  return [...buckets].sort((a, b) => lastSeenMs(b) - lastSeenMs(a)).slice(0, limit);
}

/** The documents of one group: each key value as a term, a null key as the field being absent. */
export function groupKeyFilter(key: Record<string, estypes.FieldValue>): Query {
  const filter: Query[] = [];
  const mustNot: Query[] = [];
  for (const [name, field] of DENIED_GROUP_KEYS) {
    const value = key[name];
    if (value === null || value === undefined) mustNot.push({ exists: { field } });
    else filter.push({ term: { [field]: value } });
  }
  return { bool: { filter, ...(mustNot.length > 0 ? { must_not: mustNot } : {}) } };
}

/** Step 2: the newest document of each given group (aggregation `examples`, buckets g0, g1, ...). */
export function buildDeniedExamplesRequest(query: Query, groups: readonly Bucket[]): estypes.SearchRequest {
  const filters: Record<string, Query> = {};
  groups.forEach((g, i) => { filters[`g${i}`] = groupKeyFilter(g.key); });
  return {
    size: 0, query: { bool: { filter: [query, DENY] } },
    aggs: {
      examples: {
        filters: { filters },
        aggs: { newest: { top_hits: { size: 1, sort: [{ [TIME_FIELD]: { order: 'desc' } }], _source: { includes: EXAMPLE_FIELDS } } } },
      },
    },
  };
}

/** The example hit per group, in the order of `groups` (undefined when the group had none). */
export function readDeniedExamples<T>(r: estypes.SearchResponse, count: number): (estypes.SearchHit<T> | undefined)[] {
  const buckets = ((r.aggregations?.examples as { buckets?: Record<string, { newest?: { hits: { hits: estypes.SearchHit<T>[] } } }> } | undefined)?.buckets) ?? {};
  return Array.from({ length: count }, (_, i) => buckets[`g${i}`]?.newest?.hits.hits[0]);
}

/** Every group (for the total), the newest `limit` of them, and each one's newest document. */
export interface DeniedGroupsRead<T> {
  readonly total: number;
  readonly truncated: boolean;
  readonly newest: readonly { bucket: Bucket; example: estypes.SearchHit<T> | undefined }[];
}

/** Reads the denied groups of `query` in the two steps above. */
export async function readDeniedGroups<T>(
  store: Pick<FlowStore, 'collectComposite' | 'search'>, query: Query, limit: number, maxGroups: number, options: StoreCallOptions,
): Promise<DeniedGroupsRead<T>> {
  const { buckets, truncated } = await store.collectComposite(
    (after) => buildDeniedGroupKeysRequest(query, after), (a) => a.groups as estypes.AggregationsCompositeAggregate,
    maxGroups, options, 'denied_groups',
  );
  const newest = newestGroups(buckets, limit);
  if (newest.length === 0) return { total: buckets.length, truncated, newest: [] };
  const r = await store.search(buildDeniedExamplesRequest(query, newest), options, 'denied_examples');
  const examples = readDeniedExamples<T>(r, newest.length);
  return { total: buckets.length, truncated, newest: newest.map((bucket, i) => ({ bucket, example: examples[i] })) };
}
