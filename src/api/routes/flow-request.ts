/**
 * What the flow routes share: the query-string schema of the filters (derived from the field
 * table, so the OpenAPI document lists every filter with its description) and the step that
 * turns a request's filters into Elasticsearch clauses, fetching label values first when a
 * selector uses contains/endsWith.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { Principal } from '../auth/tokens.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { compileFilter, expansionNeeds, flowFilterDefinitions, parseFilters, type ExpansionValues } from '../query/flow-filters.ts';
import { buildFlowQuery } from '../query/flow-search.ts';
import { RangeParams, StringParam } from '../../contract/api/flows.ts';
import { Type, type TProperties } from 'typebox';
import { resolveTimeRange, type TimeRange } from '../query/time-range.ts';

type Query = estypes.QueryDslQueryContainer;

export { MAX_PARAMETER_LENGTH } from '../../contract/api/flows.ts';

/** A string query parameter (TypeBox). */
export const stringParam = StringParam;

/**
 * The query-string schema of a flow route: time range, every filter of the field table, and the
 * route's own parameters; nothing else. The static type names the range and the route's own
 * parameters; the filters (known only at run time, from the field table) are read through
 * `parseFilters`.
 */
export function flowQuerySchema<P extends TProperties>(own: P) {
  const filters: TProperties = {};
  for (const def of flowFilterDefinitions().values()) {
    filters[def.param] = Type.Optional(StringParam(`${def.description}${def.values ? ` One of: ${def.values.join(', ')}.` : ''} Comma-separated values match any.`));
  }
  const typed = { ...RangeParams, ...own };
  return Type.Object({ ...filters, ...typed } as typeof typed, { additionalProperties: false });
}

/** Resolves the time range of a request against the configured limits. */
export function requestRange(ctx: ApiContext, query: { readonly from?: string | undefined; readonly to?: string | undefined }): TimeRange {
  return resolveTimeRange(query.from, query.to, ctx.now(), ctx.config.limits);
}

/**
 * Validates and compiles the filters of `query` for `principal`. Label values needed by
 * contains/endsWith selectors are read (within the range and the caller's scope) first.
 */
export async function compileRequestFilters(ctx: ApiContext, principal: Principal, query: Readonly<Record<string, unknown>>, range: TimeRange): Promise<Query[]> {
  const parsed = parseFilters(query);
  const needs = expansionNeeds(parsed);
  const expansions = new Map<string, Map<string, readonly string[]>>();
  if (needs.length > 0) {
    const base = buildFlowQuery({ range, filters: [], scope: principal.scope });
    const max = ctx.config.limits.maxLabelValues;
    const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
    needs.forEach((n, i) => { aggs[`v${i}`] = { terms: { field: `${n.labelsField}.${n.key}`, size: max + 1 } }; });
    const r = await ctx.store.search({ size: 0, query: base, aggs }, { timeoutMs: ctx.config.timeouts.queryMs }, 'label_values');
    needs.forEach((n, i) => {
      const buckets = ((r.aggregations?.[`v${i}`] as estypes.AggregationsStringTermsAggregate | undefined)?.buckets ?? []) as estypes.AggregationsStringTermsBucket[];
      if (buckets.length > max) {
        throw new ApiError(400, 'invalid_selector', `label ${n.key} has more than ${max} distinct values in the range; contains/endsWith cannot be used on it — use ==, in or startsWith`);
      }
      let byKey = expansions.get(n.labelsField);
      if (!byKey) expansions.set(n.labelsField, (byKey = new Map()));
      byKey.set(n.key, buckets.map((b) => String(b.key)));
    });
  }
  return parsed.map((f) => compileFilter(f, expansions as ExpansionValues));
}
