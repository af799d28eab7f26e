/**
 * The API's only door to Elasticsearch: read-only searches over the flow indices
 * (`<prefix>-*`), point-in-time handling, and the mapping of Elasticsearch failures to API
 * errors. The API never writes flow indices: only the enricher does.
 */
import type { Readable } from 'node:stream';
import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { flowIndexPattern, parseDailyFlowIndexName } from '../contract/flow-index-names.ts';
import { FLOW_QUERY_KEYS_META, FLOW_QUERY_KEYS_VERSION } from '../contract/flow-query-keys.ts';
import { ApiError } from './errors.ts';

/** Per-call settings: the client-side time budget, and an abort signal from the request. */
export interface StoreCallOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Observes each Elasticsearch call (for the latency histogram). */
export type StoreObserver = (operation: string, seconds: number, ok: boolean) => void;

/** Read access to the flow indices of one index prefix. */
export class FlowStore {
  readonly client: Client;
  readonly indexPattern: string;
  private readonly observe: StoreObserver;

  private readonly indexPrefix: string;
  private keyedIndices: { readonly atMs: number; readonly indices: Promise<ReadonlyMap<string, boolean>> } | undefined;

  constructor(client: Client, indexPrefix: string, observe: StoreObserver = () => undefined) {
    this.client = client;
    this.indexPrefix = indexPrefix;
    this.indexPattern = flowIndexPattern(indexPrefix);
    this.observe = observe;
  }

  /**
   * Whether every flow index that may hold documents of [fromMs, toMs) was created with the
   * query keys (contract/flow-query-keys.ts), so a view may filter and group on them. A daily
   * index holds its day's windows, give or take a day of lateness and skew; an index of the
   * pattern that is not a daily index of this prefix counts as overlapping. The index list is
   * re-read every KEYED_INDICES_TTL_MS (new daily indices are created with the keys anyway).
   */
  async queryKeysCover(range: { readonly fromMs: number; readonly toMs: number }, options: StoreCallOptions): Promise<boolean> {
    const now = Date.now();
    if (this.keyedIndices === undefined || now - this.keyedIndices.atMs > KEYED_INDICES_TTL_MS) {
      const indices = this.timed('index_meta', async () => {
        // provided_name is there so that indices without any _meta are listed too.
        const r = await this.client.indices.get({ index: this.indexPattern, allow_no_indices: true, ignore_unavailable: true, filter_path: '*.settings.index.provided_name,*.mappings._meta' }, transportOptions(options));
        const keyed = new Map<string, boolean>();
        for (const [name, index] of Object.entries(r as Record<string, { mappings?: { _meta?: Record<string, unknown> } }>)) {
          keyed.set(name, (index.mappings?._meta?.[FLOW_QUERY_KEYS_META] as number | undefined ?? 0) >= FLOW_QUERY_KEYS_VERSION);
        }
        return keyed;
      });
      this.keyedIndices = { atMs: now, indices };
      // A failed read is not remembered.
      indices.catch(() => { if (this.keyedIndices?.indices === indices) this.keyedIndices = undefined; });
    }
    for (const [name, keyed] of await this.keyedIndices.indices) {
      if (keyed) continue;
      const day = parseDailyFlowIndexName(name, this.indexPrefix);
      if (day === undefined || (day.dayStartMs - DAY_MS < range.toMs && range.fromMs < day.dayEndMs + DAY_MS)) return false;
    }
    return true;
  }

  private async timed<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    let ok = false;
    try {
      const out = await call();
      ok = true;
      return out;
    } catch (err) {
      throw toApiError(err);
    } finally {
      this.observe(operation, Number(process.hrtime.bigint() - start) / 1e9, ok);
    }
  }

  /** The request aimed at the flow indices, unless it names a PIT (which fixes its indices). */
  private targeted(request: estypes.SearchRequest): estypes.SearchRequest {
    return request.pit === undefined ? { index: this.indexPattern, ignore_unavailable: true, allow_no_indices: true, ...request } : request;
  }

  /**
   * A search over the flow indices (or over a PIT when the request names one). A partial answer
   * (failed shards, timed out) is an error, as for /flows: totals and groups with silent gaps
   * would be wrong without saying so.
   */
  search<TDoc = unknown>(request: estypes.SearchRequest, options: StoreCallOptions, operation = 'search'): Promise<estypes.SearchResponse<TDoc>> {
    return this.timed(operation, async () => wholeAnswer(await this.client.search<TDoc>(this.targeted(withShardReport(request)), transportOptions(options))));
  }

  /**
   * Several searches over the flow indices in one round trip (msearch), answers in order. Each
   * answer is judged as {@link search} judges one (partial = error), and a search Elasticsearch
   * failed fails the call. The requests may not use filter_path (msearch has one for all).
   */
  msearch(requests: readonly estypes.SearchRequest[], options: StoreCallOptions, operation: string): Promise<estypes.SearchResponse[]> {
    return this.timed(operation, async () => {
      if (requests.length === 0) return [];
      const searches = requests.flatMap((request) => {
        if (request.filter_path !== undefined || request.pit !== undefined) throw new Error('FlowStore.msearch: a request with filter_path or a PIT cannot be sent in a multi-search');
        const { index, ignore_unavailable, allow_no_indices, ...body } = this.targeted(request);
        return [{ index, ignore_unavailable, allow_no_indices }, body as estypes.MsearchMultisearchBody];
      });
      const r = await this.client.msearch({ searches }, transportOptions(options));
      return r.responses.map((item) => {
        if ('error' in item) throw multiSearchItemError(item);
        return wholeAnswer(item as estypes.SearchResponse);
      });
    });
  }

  /**
   * Like {@link search}, but answers with Elasticsearch's JSON bytes, unparsed: for pages that
   * copy stored documents through (query/flow-page.ts). Failures map to API errors as search's do.
   */
  searchBytes(request: estypes.SearchRequest, options: StoreCallOptions, operation: string): Promise<Buffer> {
    return this.timed(operation, async () => {
      const result = await this.client.search(this.targeted(request), { ...transportOptions(options), asStream: true, meta: true });
      const bytes = await readAnswer(result.body as unknown as Readable, result.headers);
      if (result.statusCode !== null && result.statusCode >= 400) {
        // The same error the parsing client would throw, so toApiError treats both alike.
        let body: unknown = bytes.toString('utf8');
        try {
          body = JSON.parse(body as string);
        } catch {
          // Not JSON: keep the text.
        }
        throw new errors.ResponseError({ ...result, body });
      }
      return bytes;
    });
  }

  /** Opens a point in time over the flow indices. */
  async openPit(keepAlive: string, options: StoreCallOptions): Promise<string> {
    const r = await this.timed('open_pit', () => this.client.openPointInTime({ index: this.indexPattern, keep_alive: keepAlive, ignore_unavailable: true }, { requestTimeout: options.timeoutMs, maxRetries: 0 }));
    return r.id;
  }

  /** Closes a point in time; errors are ignored (an unclosed PIT lapses by itself). */
  async closePit(id: string): Promise<void> {
    try {
      await this.client.closePointInTime({ id }, { requestTimeout: 5_000, maxRetries: 0 });
    } catch {
      // It expires on its own after keep_alive.
    }
  }

  /** True when Elasticsearch answers within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
    try {
      await this.client.ping({}, { requestTimeout: timeoutMs, maxRetries: 0 });
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  /**
   * Runs a composite aggregation to the end (or until `maxBuckets`), page by page. `build`
   * makes the request for the page after `after`; `pick` extracts the composite result.
   */
  async collectComposite(
    build: (after: Record<string, estypes.FieldValue> | undefined) => estypes.SearchRequest,
    pick: (aggs: Record<string, estypes.AggregationsAggregate>) => estypes.AggregationsCompositeAggregate | undefined,
    maxBuckets: number,
    options: StoreCallOptions,
    operation: string,
  ): Promise<{ buckets: estypes.AggregationsCompositeBucket[]; truncated: boolean }> {
    const buckets: estypes.AggregationsCompositeBucket[] = [];
    let after: Record<string, estypes.FieldValue> | undefined;
    for (;;) {
      const r = await this.search(build(after), options, operation);
      const agg = pick(r.aggregations ?? {});
      // No aggregation in the answer: no flow index exists yet.
      if (agg === undefined) return { buckets, truncated: false };
      const page = agg.buckets as estypes.AggregationsCompositeBucket[];
      buckets.push(...page);
      if (buckets.length >= maxBuckets) return { buckets: buckets.slice(0, maxBuckets), truncated: true };
      if (page.length === 0 || agg.after_key === undefined) return { buckets, truncated: false };
      after = agg.after_key as Record<string, estypes.FieldValue>;
    }
  }
}

const DAY_MS = 86_400_000;
/** How long the list of indices with and without query keys is trusted. */
export const KEYED_INDICES_TTL_MS = 30_000;

/** Client options of a store call: its time budget, no retries (the caller decides), its abort signal. */
function transportOptions(options: StoreCallOptions): { requestTimeout: number; maxRetries: number; signal?: AbortSignal } {
  return { requestTimeout: options.timeoutMs, maxRetries: 0, ...(options.signal ? { signal: options.signal } : {}) };
}

/**
 * Largest answer read as bytes: far above a full page (maxPageSize documents of a few KB each),
 * low enough that a runaway answer cannot exhaust the API's memory.
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** Reads a streamed answer to the end. */
async function readAnswer(body: Readable, headers: Record<string, unknown> | undefined): Promise<Buffer> {
  const encoding = headers?.['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    // Elasticsearch compresses only when asked; segflow's clients never ask (runtime/elasticsearch-client.ts).
    body.destroy();
    throw new ApiError(502, 'elasticsearch_error', `Elasticsearch answered with content-encoding ${String(encoding)}, which the API does not request`);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += (chunk as Buffer).length;
    if (length > MAX_ANSWER_BYTES) {
      body.destroy();
      throw new ApiError(502, 'elasticsearch_error', `Elasticsearch's answer exceeded ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, length);
}

/** The request with `_shards.failed` and `timed_out` kept when it filters the answer (filter_path). */
function withShardReport(request: estypes.SearchRequest): estypes.SearchRequest {
  const path = request.filter_path;
  if (path === undefined) return request;
  return { ...request, filter_path: [...(Array.isArray(path) ? path : [path]), '_shards.failed', 'timed_out'] };
}

/** The answer, unless Elasticsearch says it is partial: then the error /flows answers with too. */
export function wholeAnswer<T extends { timed_out?: boolean; _shards?: { failed?: number } }>(answer: T): T {
  if (answer.timed_out === true) throw queryTimeoutError();
  const failed = Number(answer._shards?.failed ?? 0);
  if (failed > 0) throw new ApiError(502, 'elasticsearch_error', `Elasticsearch failed the query on ${failed} shard(s)`);
  return answer;
}

/** The API error for one failed search of a multi-search, as toApiError maps a failed search. */
function multiSearchItemError(item: estypes.ErrorResponseBase): ApiError {
  const type = item.error?.type ?? 'error';
  if (/too_many_buckets/i.test(JSON.stringify(item.error ?? {}))) return new ApiError(400, 'range_too_large', 'the aggregation would create too many buckets; narrow the time range or the filters');
  return new ApiError(502, 'elasticsearch_error', `Elasticsearch failed the query (${item.status} ${type})`);
}

/** Elasticsearch ran out of the query's time budget (client timeout or a timed-out answer). */
export function queryTimeoutError(): ApiError {
  return new ApiError(504, 'timeout', 'Elasticsearch did not answer within the query timeout; narrow the time range or the filters');
}

/** Maps Elasticsearch client failures to API errors (never leaking the query or the cluster's internals). */
export function toApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof errors.TimeoutError) return queryTimeoutError();
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError) return new ApiError(503, 'elasticsearch_unavailable', 'Elasticsearch is unreachable');
  if (err instanceof errors.RequestAbortedError) return new ApiError(499 as number, 'timeout', 'request aborted by the client');
  if (err instanceof errors.ResponseError) {
    const text = JSON.stringify(err.body ?? {});
    if (/search_context_missing|No search context found|point in time/i.test(text) && err.statusCode === 404) {
      return new ApiError(400, 'invalid_cursor', 'cursor: the point in time expired; start again without a cursor', 'cursor');
    }
    if (/too_many_buckets/i.test(text)) return new ApiError(400, 'range_too_large', 'the aggregation would create too many buckets; narrow the time range or the filters');
    const type = (err.body as { error?: { type?: string } } | undefined)?.error?.type ?? 'error';
    return new ApiError(502, 'elasticsearch_error', `Elasticsearch failed the query (${err.statusCode ?? '?'} ${type})`);
  }
  return err;
}
