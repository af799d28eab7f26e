/**
 * `GET /api/v1/denied`: denied flows grouped by source, destination, port and the deciding
 * policy and rule, newest first, each with a short explanation of why it was denied.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DeniedAnswer, deniedParams, type DeniedGroup } from '../../contract/api/denied.ts';
import type { StoredFlow } from '../../contract/api/flows.ts';
import { errorResponses } from '../../contract/api/schema-parts.ts';
import type { ApiContext } from '../context.ts';
import { denyingSide, explainDenied } from '../query/denied-explain.ts';
import { readDeniedGroups } from '../query/denied-groups.ts';
import { buildFlowQuery } from '../query/flow-search.ts';
import { readCompleteness } from '../query/completeness-reader.ts';
import { compileRequestFilters, flowQuerySchema, requestRange } from './flow-request.ts';
import { DEDUP_NOTE } from './stats-routes.ts';

const orNull = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
/** A min/max of the time field as ISO 8601 (the key step leaves Elasticsearch's own string out). */
const isoTime = (agg: unknown): string | null => {
  const ms = (agg as { value?: number | null } | undefined)?.value;
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
};

/** Registers the denied-flows route. */
export async function deniedRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/denied', {
    schema: {
      summary: 'Denied flows, grouped and explained',
      tags: ['troubleshooting'],
      querystring: flowQuerySchema(deniedParams),
      response: { 200: DeniedAnswer, ...errorResponses },
    },
  }, async (request) => {
    const principal = request.principal;
    const q = request.query;
    const range = requestRange(ctx, q);
    // Read alongside the answer's own queries; never fails the answer (query/completeness-reader.ts).
    const completeness = readCompleteness(ctx, range, principal.scope);
    const filters = await compileRequestFilters(ctx, principal, q, range);
    const options = { timeoutMs: ctx.config.timeouts.queryMs };
    // The stored query keys when every index of the range has them (contract/flow-query-keys.ts).
    const keyed = await ctx.store.queryKeysCover(range, options);
    const query = buildFlowQuery({ range, filters, scope: principal.scope, dedupReporters: keyed ? 'stored' : true });
    const read = await readDeniedGroups<Omit<StoredFlow, 'id'>>(ctx.store, query, q.limit, ctx.config.limits.maxGroups, options, keyed ? 'keyed' : 'fields');
    const groups = read.newest.map(({ bucket: b, example: hit }): DeniedGroup => {
      const doc = hit?._source ?? {};
      const k = b.key;
      return {
        source: { namespace: orNull(k.source_namespace), name: orNull(k.source_name) },
        destination: { namespace: orNull(k.dest_namespace), name: orNull(k.dest_name), port: k.dest_port === null || k.dest_port === undefined ? null : Number(k.dest_port), protocol: orNull(k.protocol) },
        policy: { name: orNull(k.policy), tier: orNull(k.tier), rule: orNull(k.rule), side: denyingSide(doc) ?? null },
        flows: b.doc_count,
        bytes: Math.round((b.bytes as { value?: number }).value ?? 0),
        first_seen: isoTime(b.first_seen), last_seen: isoTime(b.last_seen),
        explanation: explainDenied(doc),
        example: hit ? { ...doc, id: hit._id ?? '' } : null,
      };
    });
    return {
      range: { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() },
      counting: DEDUP_NOTE,
      total_groups: read.total,
      truncated: read.truncated,
      groups,
      completeness: await completeness,
    };
  });
}
