/**
 * `GET /api/v1/denied`: denied flows grouped by source, destination, port and the deciding
 * policy and rule, newest first, each with a short explanation of why it was denied.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { errorResponseSchema } from '../errors.ts';
import { denyingSide, explainDenied, type ExplainableDocument } from '../query/denied-explain.ts';
import { buildDeniedGroupsRequest } from '../query/flow-stats.ts';
import { buildFlowQuery } from '../query/flow-search.ts';
import { readCompleteness } from '../query/completeness-reader.ts';
import { compileRequestFilters, flowQuerySchema, requestRange } from './flow-request.ts';
import { DEDUP_NOTE } from './stats-routes.ts';

const orNull = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** Registers the denied-flows route. */
export async function deniedRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const querystring = flowQuerySchema({
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'Groups returned (1-500), newest first.' },
  });
  app.get('/denied', {
    schema: {
      summary: 'Denied flows, grouped and explained',
      tags: ['troubleshooting'],
      querystring,
      response: { 200: { type: 'object', additionalProperties: true }, '4xx': errorResponseSchema, '5xx': errorResponseSchema },
    },
  }, async (request) => {
    const principal = request.principal;
    const q = request.query as Record<string, unknown>;
    const range = requestRange(ctx, q);
    // Read alongside the answer's own queries; never fails the answer (query/completeness-reader.ts).
    const completeness = readCompleteness(ctx, range, principal.scope);
    const limit = Number(q.limit ?? 50);
    const filters = await compileRequestFilters(ctx, principal, q, range);
    const query = buildFlowQuery({ range, filters, scope: principal.scope, dedupReporters: true });
    const { buckets, truncated } = await ctx.store.collectComposite(
      (after) => buildDeniedGroupsRequest(query, after), (a) => a.groups as estypes.AggregationsCompositeAggregate,
      ctx.config.limits.maxGroups, { timeoutMs: ctx.config.timeouts.queryMs }, 'denied_groups',
    );
    const lastSeen = (b: estypes.AggregationsCompositeBucket): number => (b.last_seen as { value?: number | null }).value ?? 0;
    const newest = [...buckets].sort((a, b) => lastSeen(b) - lastSeen(a)).slice(0, limit);
    const groups = newest.map((b) => {
      const hit = ((b.example as { hits: { hits: estypes.SearchHit<ExplainableDocument & Record<string, unknown>>[] } }).hits.hits[0]);
      const doc = hit?._source ?? {};
      const k = b.key;
      return {
        source: { namespace: orNull(k.source_namespace), name: orNull(k.source_name) },
        destination: { namespace: orNull(k.dest_namespace), name: orNull(k.dest_name), port: k.dest_port === null || k.dest_port === undefined ? null : Number(k.dest_port), protocol: orNull(k.protocol) },
        policy: { name: orNull(k.policy), tier: orNull(k.tier), rule: orNull(k.rule), side: denyingSide(doc) ?? null },
        flows: b.doc_count,
        bytes: Math.round((b.bytes as { value?: number }).value ?? 0),
        first_seen: (b.first_seen as { value_as_string?: string }).value_as_string ?? null,
        last_seen: (b.last_seen as { value_as_string?: string }).value_as_string ?? null,
        explanation: explainDenied(doc),
        example: hit ? { id: hit._id, ...doc } : null,
      };
    });
    return {
      range: { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() },
      counting: DEDUP_NOTE,
      total_groups: buckets.length,
      truncated,
      groups,
      completeness: await completeness,
    };
  });
}
