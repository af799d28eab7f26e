/**
 * `GET /api/v1/flows`: flow search with filters, sort, field selection and cursor pagination
 * over a point in time (see query/cursor.ts for why pages stay exact while data arrives).
 */
import type { FastifyInstance } from 'fastify';
import { pageKeepAlive, type ApiContext } from '../context.ts';
import { ApiError, invalidParameter } from '../errors.ts';
import { wholeAnswer } from '../flow-store.ts';
import { decodeCursor, encodeCursor, sameParams, type CursorState } from '../query/cursor.ts';
import { readFlowSearchAnswer, writeFlowPage, type FlowSearchAnswer } from '../query/flow-page.ts';
import { buildFlowQuery, buildFlowSearchRequest, parseFieldSelection, parseSort, sortableNames } from '../query/flow-search.ts';
import { compileRequestFilters, flowQuerySchema, requestRange } from './flow-request.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { FlowPage, flowsParams } from '../../contract/api/flows.ts';
import { errorResponses } from '../../contract/api/schema-parts.ts';
import { readCompleteness } from '../query/completeness-reader.ts';

/**
 * Reads a search answer; an unreadable one is Elasticsearch's failure, named as such. A partial
 * answer (timed out, failed shards) is an error too: a page with silent gaps would break the
 * cursor's promise of every document exactly once.
 */
function readPage(answer: Buffer): FlowSearchAnswer {
  let page: FlowSearchAnswer;
  try {
    page = readFlowSearchAnswer(answer);
  } catch (err) {
    throw new ApiError(502, 'elasticsearch_error', `Elasticsearch's search answer could not be read: ${(err as Error).message}`);
  }
  // The streaming parser keeps only these two of the answer's header: judged as every other answer is.
  wholeAnswer({ timed_out: page.timedOut, _shards: { failed: page.failedShards } });
  return page;
}

/** Registers the flow search route. */
export async function flowRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { limits, timeouts } = ctx.config;
  const keepAlive = pageKeepAlive(ctx.config);

  app.withTypeProvider<TypeBoxTypeProvider>().get('/flows', {
    schema: {
      summary: 'Search flows',
      description: 'Flow documents in a time range matching the filters, newest first by default. Pages are read from one point in time: follow next_cursor until it is null.',
      tags: ['flows'],
      querystring: flowQuerySchema(flowsParams(limits, sortableNames())),
      response: { 200: FlowPage, ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = request.principal;
    const { cursor: cursorText, ...rest } = request.query;
    // Normalised parameters of this request (defaults such as limit included, so they compare equal).
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) params[k] = String(v);
    const now = ctx.now();

    let state: CursorState | undefined;
    if (typeof cursorText === 'string') {
      state = decodeCursor(cursorText, ctx.config.cursorSecret, now);
      if (state.principal !== principal.name) throw new ApiError(400, 'cursor_mismatch', 'cursor: issued to another token', 'cursor');
      const given = Object.keys(params).filter((k) => k !== 'limit' || params.limit !== String(limits.defaultPageSize));
      if (given.length > 0 && !sameParams(params, state.params)) {
        throw new ApiError(400, 'cursor_mismatch', 'cursor: the other parameters differ from the query the cursor belongs to; repeat them unchanged or leave them out', 'cursor');
      }
    }
    const effective: Record<string, string> = state ? { ...state.params } : params;
    const range = state ? { fromMs: state.fromMs, toMs: state.toMs } : requestRange(ctx, effective);
    // Read alongside the answer's own queries; never fails the answer (query/completeness-reader.ts).
    const completeness = readCompleteness(ctx, range, principal.scope);
    const filters = await compileRequestFilters(ctx, principal, effective, range);
    const sort = parseSort(effective.sort);
    const fields = parseFieldSelection(effective.fields);
    const size = Number(effective.limit ?? limits.defaultPageSize);
    if (!Number.isInteger(size) || size < 1 || size > limits.maxPageSize) throw invalidParameter('limit', `expected 1-${limits.maxPageSize}`);
    const query = buildFlowQuery({ range, filters, scope: principal.scope });

    const callOptions = { timeoutMs: timeouts.queryMs };
    // No filter_path: Elasticsearch spent ~25% more CPU filtering the answer (measured per
    // search, /proc) than skipping _index and _score costs here.
    const searchPage = async (pitId: string): Promise<FlowSearchAnswer> => readPage(await ctx.store.searchBytes(buildFlowSearchRequest({
      query, sort, size, sourceIncludes: fields, pitId, keepAlive,
      searchAfter: state?.after, trackTotal: state === undefined, timeout: `${timeouts.queryMs}ms`,
    }), callOptions, 'flows_page'));
    let pit = state ? { id: state.pit, shared: state.sharedPit } : await ctx.firstPagePit.acquire();
    let response: FlowSearchAnswer;
    try {
      response = await searchPage(pit.id);
    } catch (err) {
      if (state === undefined && pit.shared && err instanceof ApiError && err.code === 'invalid_cursor') {
        // The shared PIT vanished (e.g. Elasticsearch restarted): a first page simply opens another.
        ctx.firstPagePit.discard(pit.id);
        pit = await ctx.firstPagePit.acquire();
        response = await searchPage(pit.id);
      } else {
        if (state === undefined && !pit.shared) void ctx.store.closePit(pit.id);
        throw err;
      }
    }
    const { hits, lastSort } = response;
    const nextPit = response.pitId ?? pit.id;
    let nextCursor: string | null = null;
    if (hits.length === size && lastSort !== undefined) {
      nextCursor = encodeCursor({
        pit: nextPit, sharedPit: pit.shared, after: lastSort, params: effective, fromMs: range.fromMs, toMs: range.toMs,
        principal: principal.name, expiresMs: ctx.now() + timeouts.pageKeepAliveMs,
      }, ctx.config.cursorSecret);
    } else if (!pit.shared) {
      // The last page of a PIT of its own (a shared one lapses after its keep-alive).
      void ctx.store.closePit(nextPit);
    }
    const total = response.total;
    // The page is a FlowPage already serialised (documents copied as stored, bytes that Fastify
    // sends without its serializer); the type says what the bytes hold.
    const page = writeFlowPage(hits, {
      next_cursor: nextCursor,
      total: state === undefined && total !== undefined ? (typeof total === 'number' ? { value: total, relation: 'eq' } : total) : null,
      range: { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() },
      completeness: await completeness,
    }) as unknown as FlowPage;
    return reply.type('application/json; charset=utf-8').send(page);
  });
}
