/**
 * Builds the Elasticsearch requests of flow searches from validated input: the time range, the
 * compiled filters and the caller's scope, sort, page size and field selection. Pure.
 */
import type { estypes } from '@elastic/elasticsearch';
import { flowFieldByApiName, resolveFlowFields } from '../../contract/flow-fields.ts';
import { invalidParameter, quoteInput } from '../errors.ts';
import { scopeQuery, type AccessScope } from './access-scope.ts';
import type { SortValue } from './cursor.ts';
import { canonicalReporterQuery, primaryReportQuery } from './reporter-dedup.ts';
import type { TimeRange } from './time-range.ts';

type Query = estypes.QueryDslQueryContainer;

/** The time field every range applies to. */
export const TIME_FIELD = '@timestamp';

/** Everything that restricts which flow documents a request reads. */
export interface FlowQueryParts {
  readonly range: TimeRange;
  /** Compiled filters (ANDed). */
  readonly filters: readonly Query[];
  readonly scope: AccessScope;
  /**
   * Keep one document per connection (see reporter-dedup.ts); for totals, not for search.
   * `stored`: by the stored `segflow.primary_report`, when every index in range has it.
   */
  readonly dedupReporters?: boolean | 'stored';
  /** Extra clauses a route adds (e.g. verdict = deny). */
  readonly extra?: readonly Query[];
}

/** The bool query for `parts`: range, filters, extra clauses, dedup and the access scope. */
export function buildFlowQuery(parts: FlowQueryParts): Query {
  const filter: Query[] = [
    { range: { [TIME_FIELD]: { gte: parts.range.fromMs, lt: parts.range.toMs, format: 'epoch_millis' } } },
    ...parts.filters,
    ...(parts.extra ?? []),
  ];
  if (parts.dedupReporters === true) filter.push(canonicalReporterQuery());
  else if (parts.dedupReporters === 'stored') filter.push(primaryReportQuery());
  const scoped = scopeQuery(parts.scope);
  if (scoped !== undefined) filter.push(scoped);
  return { bool: { filter } };
}

/** A sort key of `/flows`. */
export interface FlowSortKey {
  readonly field: string;
  readonly order: 'asc' | 'desc';
}

const SORT_ALIASES: Readonly<Record<string, string>> = { time: TIME_FIELD, bytes: 'network.bytes', packets: 'network.packets' };
const SORTABLE_TYPES = new Set(['date', 'long', 'ip', 'keyword', 'boolean']);

let sortable: readonly string[] | undefined;

/** The names `sort` accepts: time, bytes, packets and every aggregatable API field name. */
export function sortableNames(): readonly string[] {
  if (sortable === undefined) {
    const names = new Set(Object.keys(SORT_ALIASES));
    for (const f of resolveFlowFields()) {
      if (f.api !== undefined && f.aggregatable === true && f.nestedPath === undefined && SORTABLE_TYPES.has(f.type)) names.add(f.api);
    }
    sortable = Object.freeze([...names].sort());
  }
  return sortable;
}

/** Default order of `/flows`: newest first. */
export const DEFAULT_SORT = '-time';
/** Most sort keys one request may give. */
export const MAX_SORT_KEYS = 3;

/** Parses `sort` (`-time,bytes`: `-` for descending). */
export function parseSort(raw: string | undefined): FlowSortKey[] {
  const text = raw ?? DEFAULT_SORT;
  const items = text.split(',');
  if (items.length > MAX_SORT_KEYS) throw invalidParameter('sort', `at most ${MAX_SORT_KEYS} sort keys`);
  const allowed = sortableNames();
  const seen = new Set<string>();
  return items.map((item) => {
    const desc = item.startsWith('-');
    const name = desc ? item.slice(1) : item;
    const alias = SORT_ALIASES[name];
    const field = alias ?? (allowed.includes(name) ? flowFieldByApiName(name)?.path : undefined);
    if (field === undefined) throw invalidParameter('sort', `cannot sort by ${quoteInput(name)}; sortable: ${allowed.join(', ')} (prefix - for descending)`);
    if (seen.has(field)) throw invalidParameter('sort', `${quoteInput(name)} given twice`);
    seen.add(field);
    return { field, order: desc ? 'desc' : 'asc' };
  });
}

/** Most fields one `fields` parameter may name. */
export const MAX_SELECTED_FIELDS = 100;

/**
 * Parses `fields`: API field names, full document paths, or object prefixes of them
 * (`source`, `segflow.policy`). Returns document paths for `_source` includes.
 */
export function parseFieldSelection(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(',');
  if (items.length > MAX_SELECTED_FIELDS) throw invalidParameter('fields', `at most ${MAX_SELECTED_FIELDS} fields`);
  const paths = resolveFlowFields().map((f) => f.path);
  return [...new Set(items.map((item) => {
    if (item === '') throw invalidParameter('fields', 'empty field name');
    const byApi = flowFieldByApiName(item);
    if (byApi !== undefined) return byApi.nestedPath ?? byApi.path;
    if (item === 'time') return TIME_FIELD;
    if (paths.some((p) => p === item || p.startsWith(`${item}.`))) return item;
    throw invalidParameter('fields', `unknown field ${quoteInput(item)}: use an API field name (source_namespace), a document path (segflow.source.namespace) or an object of them (source)`);
  }))];
}

/**
 * Stored fields `/flows` leaves out unless a `fields` selection names them exactly: the packed
 * 5-tuple set is the enricher's merge state (base64, often most of a document's bytes), not
 * something a reader of flows wants.
 */
export const INTERNAL_FIELDS = ['segflow.flows.tuples'] as const;

/** The `_source` filter of a page: the selection (or everything), minus internal fields not named. */
export function sourceFilter(includes: readonly string[] | undefined): estypes.SearchSourceFilter {
  const excludes = INTERNAL_FIELDS.filter((f) => !(includes ?? []).includes(f));
  return { ...(includes ? { includes: [...includes] } : {}), ...(excludes.length > 0 ? { excludes } : {}) };
}

/** Inputs of one `/flows` page request. */
export interface FlowSearchPage {
  readonly query: Query;
  readonly sort: readonly FlowSortKey[];
  readonly size: number;
  readonly sourceIncludes: readonly string[] | undefined;
  readonly pitId: string;
  readonly keepAlive: string;
  readonly searchAfter: readonly SortValue[] | undefined;
  /** Ask for the total hit count (first page only: later pages do not need it). */
  readonly trackTotal: boolean;
  /** Server-side time budget for the search, e.g. `10000ms`. */
  readonly timeout: string;
}

/** The search request for one page of `/flows` (over a PIT, so no index is named). */
export function buildFlowSearchRequest(p: FlowSearchPage): estypes.SearchRequest {
  const sort: estypes.SortCombinations[] = p.sort.map((k) => ({ [k.field]: { order: k.order, missing: '_last' } } as estypes.SortCombinations));
  // The PIT's shard-doc order breaks ties, so search_after is exact even between equal keys.
  sort.push({ _shard_doc: { order: 'asc' } } as estypes.SortCombinations);
  return {
    pit: { id: p.pitId, keep_alive: p.keepAlive },
    query: p.query,
    sort,
    size: p.size,
    track_total_hits: p.trackTotal ? 10_000 : false,
    timeout: p.timeout,
    _source: sourceFilter(p.sourceIncludes),
    ...(p.searchAfter ? { search_after: [...p.searchAfter] as estypes.SortResults } : {}),
  };
}
