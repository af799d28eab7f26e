/**
 * `GET /api/v1/flows/stats`: totals, top talkers, top denied pairs, flows and bytes over time,
 * per-policy and per-rule hit counts (with the rules that never matched, from the policy
 * index), and the namespace-to-namespace matrix. Every count keeps one report per connection
 * (query/reporter-dedup.ts).
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../contract/api/schema-parts.ts';
import { StatsAnswer, statsParams } from '../../contract/api/stats.ts';
import type { CompiledPolicy } from '../../inventory/index.ts';
import type { ApiContext } from '../context.ts';
import { scopeAllowsNamespace } from '../query/access-scope.ts';
import { buildFlowQuery } from '../query/flow-search.ts';
import {
  buildDeniedPairsRequest, buildMatrixRequest, buildPolicyHitsRequest, buildStatsRequest, buildTalkersRequest, parseViews, shapeDeniedPairs, shapeMatrix,
  shapeRuleHits, shapeTimeline, shapeTopTalkers, shapeTotals, timelineIntervalMs,
} from '../query/flow-stats.ts';
import { summarisePolicyHits } from '../query/policy-hits.ts';
import { readCompleteness } from '../query/completeness-reader.ts';
import { formatDuration } from '../query/time-range.ts';
import { readStatsFromSummaries, TOTALS_STEP_MS } from '../query/stats-summary-reader.ts';
import { mergedTimeline, mergedTopTalkers, mergedTotals, summariesCanAnswer } from '../query/stats-summary.ts';
import { preparedDeniedPairs, preparedMatrix, preparedRuleHits } from '../query/stats-summary-prepared.ts';
import { SummaryBlockCache } from '../query/summary-block-cache.ts';
import { compileRequestFilters, flowQuerySchema, requestRange } from './flow-request.ts';

/** How totals avoid counting a connection twice, stated in every stats and denied response. */
export const DEDUP_NOTE = 'one report per connection: the src-reported half, or the dst half when the source is not a segflow endpoint';

/** The server's cache of summary entries, with its metrics in the server's registry. */
function createSummaryCache(ctx: ApiContext): SummaryBlockCache {
  const registers = [ctx.metrics.registry];
  const lookups = new Counter({
    name: 'segflow_api_stats_cache_lookups_total', help: 'Lookups in the stats view\'s cache of summary entries: kind block (one block), run (the merged blocks of a range), step (a 30-second step of a closed block holding an unaligned edge) or steps (the merged whole steps of a request\'s edges), outcome hit or miss.',
    labelNames: ['kind', 'outcome'], registers,
  });
  const cache = new SummaryBlockCache(ctx.config.statsCacheMiB * 1_048_576, (kind, hit) => lookups.inc({ kind, outcome: hit ? 'hit' : 'miss' }));
  new Gauge({ name: 'segflow_api_stats_cache_bytes', help: 'Estimated memory held by the stats view\'s cache of summary entries.', registers, collect() { this.set(cache.size().bytes); } });
  new Gauge({ name: 'segflow_api_stats_cache_items', help: 'Items (blocks and merged runs) in the stats view\'s cache of summary entries.', registers, collect() { this.set(cache.size().items); } });
  new Gauge({ name: 'segflow_api_stats_cache_max_bytes', help: 'Memory budget of the stats view\'s cache of summary entries (0: off).', registers, collect() { this.set(cache.maxBytes); } });
  return cache;
}

/** Registers the stats route. */
export async function statsRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const summaryCache = createSummaryCache(ctx);
  app.withTypeProvider<TypeBoxTypeProvider>().get('/flows/stats', {
    schema: {
      summary: 'Flow statistics',
      tags: ['flows'],
      querystring: flowQuerySchema(statsParams),
      response: { 200: StatsAnswer, ...errorResponses },
    },
  }, async (request) => {
    const principal = request.principal;
    const q = request.query;
    const range = requestRange(ctx, q);
    // Read alongside the answer's own queries; never fails the answer (query/completeness-reader.ts).
    const completeness = readCompleteness(ctx, range, principal.scope);
    const views = parseViews(q.view);
    const limit = q.limit;
    const intervalMs = timelineIntervalMs(q.interval, range);
    const filters = await compileRequestFilters(ctx, principal, q, range);
    const opts = { timeoutMs: ctx.config.timeouts.queryMs };
    // One stored term instead of the reporter disjunction where every index has it (contract/flow-query-keys.ts).
    const keyed = await ctx.store.queryKeysCover(range, opts);
    const max = ctx.config.limits.maxGroups;
    const policyList = (hits: ReturnType<typeof shapeRuleHits>, truncated: boolean): NonNullable<StatsAnswer['policy_hits']> => {
      const view = ctx.inventory.current();
      // A namespaced caller gets its own namespaces' policies listed; others appear only through hits in its flows.
      const visible: CompiledPolicy[] = view ? [...view.inventory.policies.allPolicies()].filter((p) => p.policy.namespace !== null ? scopeAllowsNamespace(principal.scope, p.policy.namespace) : principal.scope.namespaces === null) : [];
      return {
        inventory_revision: view?.inventory.revision ?? null,
        note: view ? 'never_matched lists rules of indexed policies without a hit in the range' : 'inventory not loaded: only policies seen in traces are listed and unmatched rules cannot be known',
        policies: summarisePolicyHits(hits, visible),
        truncated,
      };
    };
    /** What every answer starts with, whichever path counted the totals. */
    const answerHead = async (totals: StatsAnswer['totals']): Promise<StatsAnswer> => ({
      range: { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() },
      counting: DEDUP_NOTE,
      totals,
      completeness: await completeness,
    });

    // Closed five-minute blocks whose summary is current come from the summaries, the rest of
    // the range from the flows; the merged figures are shaped exactly as below (query/stats-summary.ts).
    if (summariesCanAnswer({ filters, scope: principal.scope, keyed, views, intervalMs })) {
      const step = views.includes('timeline') ? intervalMs : TOTALS_STEP_MS;
      const read = await readStatsFromSummaries(ctx.store, ctx.config.indexPrefix, range, views, step, opts, summaryCache);
      if (read !== undefined) {
        const e = read.entries;
        const body = await answerHead(mergedTotals(e));
        if (views.includes('top_talkers')) {
          const top = mergedTopTalkers(e, limit, max);
          body.top_talkers = top.talkers;
          body.top_talkers_truncated = top.truncated;
        }
        if (views.includes('timeline')) body.timeline = { interval: formatDuration(intervalMs), buckets: mergedTimeline(e, range, intervalMs) };
        // The heavy views group the cached run once and add only this request's own entries.
        if (views.includes('top_denied_pairs')) body.top_denied_pairs = preparedDeniedPairs(read.run, read.rest, limit, max);
        if (views.includes('namespace_matrix')) body.namespace_matrix = preparedMatrix(read.run, read.rest, max);
        if (views.includes('policy_hits')) {
          const hits = preparedRuleHits(read.run, read.rest, max);
          body.policy_hits = policyList(hits.hits, hits.truncated);
        }
        return body;
      }
    }

    const query = buildFlowQuery({ range, filters, scope: principal.scope, dedupReporters: keyed ? 'stored' : true });

    const [main, talkers, pairs, matrix, egress, ingress] = await Promise.all([
      ctx.store.search(buildStatsRequest(query, views, range, intervalMs), opts, 'stats'),
      views.includes('top_talkers') ? ctx.store.collectComposite((after) => buildTalkersRequest(query, after), (a) => a.talkers as estypes.AggregationsCompositeAggregate, max, opts, 'stats_talkers') : undefined,
      views.includes('top_denied_pairs') ? ctx.store.collectComposite((after) => buildDeniedPairsRequest(query, after), (a) => a.pairs as estypes.AggregationsCompositeAggregate, max, opts, 'stats_denied_pairs') : undefined,
      views.includes('namespace_matrix') ? ctx.store.collectComposite((after) => buildMatrixRequest(query, after), (a) => a.matrix as estypes.AggregationsCompositeAggregate, max, opts, 'stats_matrix') : undefined,
      views.includes('policy_hits') ? ctx.store.collectComposite((after) => buildPolicyHitsRequest(query, 'egress', after), (a) => (a.trace as unknown as { hits: estypes.AggregationsCompositeAggregate } | undefined)?.hits, max, opts, 'stats_policy_hits') : undefined,
      views.includes('policy_hits') ? ctx.store.collectComposite((after) => buildPolicyHitsRequest(query, 'ingress', after), (a) => (a.trace as unknown as { hits: estypes.AggregationsCompositeAggregate } | undefined)?.hits, max, opts, 'stats_policy_hits') : undefined,
    ]);

    const body = await answerHead(shapeTotals(main));
    if (talkers) {
      body.top_talkers = shapeTopTalkers(talkers.buckets, limit);
      body.top_talkers_truncated = talkers.truncated;
    }
    if (views.includes('timeline')) body.timeline = { interval: formatDuration(intervalMs), buckets: shapeTimeline(main) };
    if (pairs) body.top_denied_pairs = { pairs: shapeDeniedPairs(pairs.buckets, limit), truncated: pairs.truncated };
    if (matrix) body.namespace_matrix = { cells: shapeMatrix(matrix.buckets), truncated: matrix.truncated };
    if (egress && ingress) body.policy_hits = policyList([...shapeRuleHits('egress', egress.buckets), ...shapeRuleHits('ingress', ingress.buckets)], egress.truncated || ingress.truncated);
    return body;
  });
}
