/**
 * Reading the groups of `/denied` so that the cost follows the groups shown rather than the
 * denied documents in the range. Two forms, the same answer (test/integration/denied-groups.test.ts
 * compares both with the one-request aggregation `/denied` used first):
 *
 * `keyed`, for ranges whose indices all carry the query keys (contract/flow-query-keys.ts):
 *  1. at once: a search collapsing on `segflow.denied_group`, newest first, gives the `limit`
 *     newest groups with each one's newest document (the group's values come from it); and a
 *     composite aggregation over the group key alone, without sub-aggregations, gives every
 *     group with its count, so `total_groups` (large pages: usually one round trip);
 *  2. one terms aggregation over the shown groups only gives their bytes and first/last seen.
 *     Per-group sums and times for every group were what cost most when computed in step 1.
 *
 * `fields`, for ranges touching indices written before the keys:
 *  1. a composite aggregation over the nine fields with counts, bytes and first/last seen;
 *  2. the newest document of each of the `limit` newest groups through a `filters` aggregation
 *     with one nine-term filter and a `top_hits` of one per group — which Elasticsearch runs as
 *     one query per group.
 *
 * Groups of equal last-seen time are ordered by their `segflow.denied_group` in both forms (the
 * fields form hashes its keys the same way), so both pick the same newest groups.
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

/** The per-group figures besides the count. */
const GROUP_FIGURES = {
  bytes: { sum: { field: 'network.bytes' } },
  first_seen: { min: { field: TIME_FIELD } },
  last_seen: { max: { field: TIME_FIELD } },
} as const;

/**
 * Step 1: every denied group with its count; in the fields form also its bytes and first/last
 * seen (the keyed form reads those for the shown groups only, buildKeyedFiguresRequest).
 */
export function buildDeniedGroupKeysRequest(query: Query, after: Record<string, estypes.FieldValue> | undefined, pageSize = DENIED_KEYS_PAGE, form: DeniedGroupsForm = 'fields'): estypes.SearchRequest {
  const keyed = form === 'keyed';
  const sources = keyed
    ? [{ group: { terms: { field: DENIED_GROUP_FIELD } } }]
    : DENIED_GROUP_KEYS.map(([name, field]) => ({ [name]: { terms: { field, missing_bucket: true } } }));
  return {
    size: 0, query: { bool: { filter: [query, DENY] } },
    // Only what the groups need: a page may hold thousands, and parsing the answer is the API's largest cost here.
    filter_path: ['aggregations.groups.after_key', 'aggregations.groups.buckets.key', 'aggregations.groups.buckets.doc_count', 'aggregations.groups.buckets.*.value'],
    aggs: {
      groups: {
        composite: { size: pageSize, ...(after ? { after } : {}), sources },
        ...(keyed ? {} : { aggs: GROUP_FIGURES }),
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

/**
 * Step 1, keyed form: the `limit` newest groups, each as its newest document. Collapsing keeps
 * each group's first hit in sort order: newest, then smallest id (EXAMPLE_SORT); groups come in
 * the order of those hits, ties between groups broken by group id as newestGroups does.
 */
export function buildKeyedNewestRequest(query: Query, limit: number): estypes.SearchRequest {
  const [time, ...rest] = EXAMPLE_SORT;
  return {
    size: limit, track_total_hits: false,
    query: { bool: { filter: [query, DENY] } },
    collapse: { field: DENIED_GROUP_FIELD },
    sort: [time!, { [DENIED_GROUP_FIELD]: { order: 'asc' } }, ...rest],
    _source: { includes: [...EXAMPLE_FIELDS, DENIED_GROUP_FIELD] },
  };
}

/** Step 2, keyed form: count, bytes and first/last seen of the given groups only. */
export function buildKeyedFiguresRequest(query: Query, groupIds: readonly string[]): estypes.SearchRequest {
  return {
    size: 0,
    query: { bool: { filter: [query, DENY, { terms: { [DENIED_GROUP_FIELD]: [...groupIds] } }] } },
    aggs: { groups: { terms: { field: DENIED_GROUP_FIELD, size: Math.max(1, groupIds.length) }, aggs: GROUP_FIGURES } },
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

/** Reads the denied groups of `query` (which holds the reporter rule the form needs) as described above. */
export async function readDeniedGroups<T>(
  store: Pick<FlowStore, 'collectComposite' | 'search'>, query: Query, limit: number, maxGroups: number, options: StoreCallOptions,
  form: DeniedGroupsForm = 'fields',
): Promise<DeniedGroupsRead<T>> {
  const collectGroups = (): Promise<{ buckets: Bucket[]; truncated: boolean }> => store.collectComposite(
    (after) => buildDeniedGroupKeysRequest(query, after, DENIED_KEYS_PAGE, form), (a) => a.groups as estypes.AggregationsCompositeAggregate,
    maxGroups, options, 'denied_groups',
  );
  if (form === 'fields') {
    const { buckets, truncated } = await collectGroups();
    const newest = newestGroups(buckets, limit);
    if (newest.length === 0) return { total: buckets.length, truncated, newest: [] };
    const r = await store.search(buildDeniedExamplesRequest(query, newest), options, 'denied_examples');
    const examples = readDeniedExamples<T>(r, newest.length);
    return { total: buckets.length, truncated, newest: newest.map((bucket, i) => ({ bucket, example: examples[i] })) };
  }
  const [{ buckets, truncated }, newestHits] = await Promise.all([
    collectGroups(),
    limit > 0 ? store.search<T>(buildKeyedNewestRequest(query, limit), options, 'denied_examples').then((r) => r.hits.hits) : Promise.resolve([]),
  ]);
  const shownIds = newestHits.map((hit) => groupFieldOf(hit._source)).filter((id): id is string => typeof id === 'string');
  if (shownIds.length === 0) return { total: buckets.length, truncated, newest: [] };
  const figures = await store.search(buildKeyedFiguresRequest(query, shownIds), options, 'denied_figures');
  const figuresOf = new Map(((figures.aggregations?.groups as { buckets?: estypes.AggregationsStringTermsBucket[] } | undefined)?.buckets ?? []).map((b) => [b.key, b]));
  const shown: { bucket: Bucket; example: estypes.SearchHit<T> | undefined }[] = [];
  for (const example of newestHits) {
    const f = figuresOf.get(groupFieldOf(example._source) as string);
    // Only when retention deleted the group's documents between the two steps.
    if (f === undefined) continue;
    const values = deniedGroupValuesOf(example._source);
    const key = Object.fromEntries(DENIED_GROUP_KEYS.map(([name], i) => [name, values[i] ?? null])) as Record<string, estypes.FieldValue>;
    shown.push({ bucket: { key, doc_count: f.doc_count, bytes: f.bytes!, first_seen: f.first_seen!, last_seen: f.last_seen! }, example });
  }
  return { total: buckets.length, truncated, newest: shown };
}

function groupFieldOf(source: unknown): unknown {
  return (source as { segflow?: { denied_group?: unknown } } | undefined)?.segflow?.denied_group;
}
