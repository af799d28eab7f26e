/**
 * Reading the groups of `/denied` in two steps, so the cost follows the groups shown rather than
 * the denied documents in the range:
 *
 *  1. one composite aggregation over the group with counts, bytes and first/last seen only
 *     (large pages: usually one round trip), giving every group and `total_groups`;
 *  2. the newest document of each of the `limit` newest groups.
 *
 * Two forms, the same answer (test/integration/denied-groups.test.ts compares both with the
 * one-request aggregation `/denied` used first):
 *  - `keyed`, for ranges whose indices all carry the query keys (contract/flow-query-keys.ts):
 *    step 1 groups on the one field `segflow.denied_group`, step 2 is one search collapsing on
 *    it. The group's values come from its newest document.
 *  - `fields`, for ranges touching indices written before the keys: step 1 groups on the nine
 *    fields, step 2 is a `filters` aggregation with one nine-term filter and a `top_hits` of one
 *    per group — which Elasticsearch runs as one query per group: the costly part.
 * Groups of equal last-seen time are ordered by their `segflow.denied_group` in both forms, so
 * both pick the same newest groups.
 */
import type { estypes } from '@elastic/elasticsearch';
import { DENIED_GROUP_KEYS, deniedGroupId, deniedGroupValuesOf } from '../../contract/flow-query-keys.ts';
import type { FlowStore, StoreCallOptions } from '../flow-store.ts';
import { EXAMPLE_FIELDS, EXAMPLE_SORT } from './flow-stats.ts';
import { TIME_FIELD } from './flow-search.ts';

type Query = estypes.QueryDslQueryContainer;
type Bucket = estypes.AggregationsCompositeBucket;

export { DENIED_GROUP_KEYS };

/** How the groups are read: on the stored group key, or on the nine fields. */
export type DeniedGroupsForm = 'keyed' | 'fields';

/** The stored group key field (keyed form). */
export const DENIED_GROUP_FIELD = 'segflow.denied_group';

/**
 * Composite page of the key step: no per-bucket documents, so a page this large is cheap and a
 * range with up to this many groups is one round trip (max_buckets is 65,536 by default).
 */
export const DENIED_KEYS_PAGE = 10_000;

const DENY: Query = { term: { 'segflow.verdict': 'deny' } };

/** Step 1: every denied group with its counts, no documents. */
export function buildDeniedGroupKeysRequest(query: Query, after: Record<string, estypes.FieldValue> | undefined, pageSize = DENIED_KEYS_PAGE, form: DeniedGroupsForm = 'fields'): estypes.SearchRequest {
  const sources = form === 'keyed'
    ? [{ group: { terms: { field: DENIED_GROUP_FIELD } } }]
    : DENIED_GROUP_KEYS.map(([name, field]) => ({ [name]: { terms: { field, missing_bucket: true } } }));
  return {
    size: 0, query: { bool: { filter: [query, DENY] } },
    // Only what the groups need: a page may hold thousands, and parsing the answer is the API's largest cost here.
    filter_path: ['aggregations.groups.after_key', 'aggregations.groups.buckets.key', 'aggregations.groups.buckets.doc_count', 'aggregations.groups.buckets.*.value'],
    aggs: {
      groups: {
        composite: { size: pageSize, ...(after ? { after } : {}), sources },
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

/** A bucket's `segflow.denied_group`: its key in the keyed form, the hash of its values in the other. */
export function groupIdOf(b: Bucket): string {
  const stored = b.key.group;
  if (typeof stored === 'string') return stored;
  return deniedGroupId(DENIED_GROUP_KEYS.map(([name]) => {
    const v = b.key[name];
    return typeof v === 'string' || typeof v === 'number' ? v : null;
  }));
}

/** The `limit` newest groups; equal times are ordered by group id (the same in both forms). */
export function newestGroups(buckets: readonly Bucket[], limit: number): Bucket[] {
  const ids = new Map(buckets.map((b) => [b, groupIdOf(b)]));
  const byId = (a: Bucket, b: Bucket): number => { const x = ids.get(a)!; const y = ids.get(b)!; return x < y ? -1 : x > y ? 1 : 0; };
  return [...buckets].sort((a, b) => lastSeenMs(b) - lastSeenMs(a) || byId(a, b)).slice(0, limit);
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
        aggs: { newest: { top_hits: { size: 1, sort: EXAMPLE_SORT, _source: { includes: EXAMPLE_FIELDS } } } },
      },
    },
  };
}

/** Step 2, keyed form: one search collapsing on the group key gives each group's newest document. */
export function buildKeyedExamplesRequest(query: Query, groupIds: readonly string[]): estypes.SearchRequest {
  return {
    size: groupIds.length, track_total_hits: false,
    query: { bool: { filter: [query, DENY, { terms: { [DENIED_GROUP_FIELD]: [...groupIds] } }] } },
    collapse: { field: DENIED_GROUP_FIELD },
    sort: EXAMPLE_SORT,
    _source: { includes: [...EXAMPLE_FIELDS, DENIED_GROUP_FIELD] },
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

/** Reads the denied groups of `query` (which holds the reporter rule the form needs) in the two steps above. */
export async function readDeniedGroups<T>(
  store: Pick<FlowStore, 'collectComposite' | 'search'>, query: Query, limit: number, maxGroups: number, options: StoreCallOptions,
  form: DeniedGroupsForm = 'fields',
): Promise<DeniedGroupsRead<T>> {
  const { buckets, truncated } = await store.collectComposite(
    (after) => buildDeniedGroupKeysRequest(query, after, DENIED_KEYS_PAGE, form), (a) => a.groups as estypes.AggregationsCompositeAggregate,
    maxGroups, options, 'denied_groups',
  );
  const newest = newestGroups(buckets, limit);
  if (newest.length === 0) return { total: buckets.length, truncated, newest: [] };
  if (form === 'fields') {
    const r = await store.search(buildDeniedExamplesRequest(query, newest), options, 'denied_examples');
    const examples = readDeniedExamples<T>(r, newest.length);
    return { total: buckets.length, truncated, newest: newest.map((bucket, i) => ({ bucket, example: examples[i] })) };
  }
  const ids = newest.map((b) => b.key.group as string);
  const r = await store.search<T>(buildKeyedExamplesRequest(query, ids), options, 'denied_examples');
  const byGroup = new Map<unknown, estypes.SearchHit<T>>();
  for (const hit of r.hits.hits) byGroup.set(groupFieldOf(hit._source), hit);
  const shown: { bucket: Bucket; example: estypes.SearchHit<T> | undefined }[] = [];
  for (const b of newest) {
    const example = byGroup.get(b.key.group);
    // Only when retention deleted the group's documents between the two steps.
    if (example === undefined) continue;
    const values = deniedGroupValuesOf(example._source);
    const key = Object.fromEntries(DENIED_GROUP_KEYS.map(([name], i) => [name, values[i] ?? null])) as Record<string, estypes.FieldValue>;
    shown.push({ bucket: { ...b, key }, example });
  }
  return { total: buckets.length, truncated, newest: shown };
}

function groupFieldOf(source: unknown): unknown {
  return (source as { segflow?: { denied_group?: unknown } } | undefined)?.segflow?.denied_group;
}
