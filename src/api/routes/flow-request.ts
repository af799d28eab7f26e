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
import { resolveTimeRange, type TimeRange } from '../query/time-range.ts';

type Query = estypes.QueryDslQueryContainer;

/** Longest raw value of any query parameter. */
export const MAX_PARAMETER_LENGTH = 4_096;

/** A JSON-schema property for a string query parameter. */
export function stringParam(description: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'string', maxLength: MAX_PARAMETER_LENGTH, description, ...extra };
}

/** The query-string schema: time range, every filter, and the route's own parameters; nothing else. */
export function flowQuerySchema(own: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    from: stringParam('Start of the range (inclusive): ISO 8601 with a zone, or now-<n><s|m|h|d|w>. Default: to minus 15 minutes.'),
    to: stringParam('End of the range (exclusive): ISO 8601 with a zone, or now[-<n><unit>]. Default: now.'),
  };
  for (const def of flowFilterDefinitions().values()) {
    properties[def.param] = stringParam(`${def.description}${def.values ? ` One of: ${def.values.join(', ')}.` : ''} Comma-separated values match any.`);
  }
  Object.assign(properties, own);
  return { type: 'object', properties, additionalProperties: false };
}

/** Resolves the time range of a request against the configured limits. */
export function requestRange(ctx: ApiContext, query: Record<string, unknown>): TimeRange {
  return resolveTimeRange(query.from as string | undefined, query.to as string | undefined, ctx.now(), ctx.config.limits);
}

/**
 * Validates and compiles the filters of `query` for `principal`. Label values needed by
 * contains/endsWith selectors are read (within the range and the caller's scope) first.
 */
export async function compileRequestFilters(ctx: ApiContext, principal: Principal, query: Record<string, unknown>, range: TimeRange): Promise<Query[]> {
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
