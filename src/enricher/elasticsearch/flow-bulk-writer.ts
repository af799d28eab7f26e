/**
 * Writes batches of flow documents to Elasticsearch with one `_bulk` request per batch and
 * settles every item before it returns: indexed, or rejected for good with Elasticsearch's
 * reason. The enricher commits Kafka offsets only after `write` resolves, which is what makes
 * the pipeline at-least-once (and, with deterministic ids, exactly-once in the index).
 *
 * Why not the client's bulk helper: it retries only 429 items and reports everything else
 * through a callback while carrying on, so a shard failure (5xx) would silently lose documents
 * whose offsets then get committed. Here 429 and 5xx items (and whole-request transport
 * failures) are retried with exponential backoff and jitter; 4xx items (mapping and parse
 * errors) are returned for the dead-letter topic; and if retries run out, `write` rejects with
 * every unsettled item so nothing is dropped without the caller knowing.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Client, estypes } from '@elastic/elasticsearch';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../../runtime/logger.ts';
import type { FlowDocument } from '../../contract/flow-fields.ts';
import { withFlowQueryKeys } from '../../contract/flow-query-keys.ts';

/**
 * Optimistic concurrency for one write: `create` only if no document has the id yet, or
 * overwrite only the version read or written before (`_seq_no` / `_primary_term`). A document
 * changed in between answers 409, which the writer reports as a conflict for the caller to
 * re-read and merge, instead of losing one of the two updates.
 */
export type FlowWriteCondition = { readonly create: true } | { readonly ifSeqNo: number; readonly ifPrimaryTerm: number };

/**
 * Every flow document gets its query keys here, the one door to the flow indices, so no writer
 * can put a document without them into an index whose mapping promises them
 * (contract/flow-query-keys.ts). In place: the caller's document is the one written.
 */
function withQueryKeysIfFlow<D>(document: D): D {
  const segflow = (document as { segflow?: { verdict?: unknown; reporter?: unknown } } | null)?.segflow;
  if (typeof segflow?.verdict === 'string' && typeof segflow.reporter === 'string') withFlowQueryKeys(document as unknown as FlowDocument);
  return document;
}

/** One document to write: where, under which (deterministic) id, and what. */
export interface FlowBulkItem<D = FlowDocument> {
  readonly id: string;
  readonly index: string;
  readonly document: D;
  /** Without a condition the document is written whatever the index holds. */
  readonly condition?: FlowWriteCondition;
}

/** The version Elasticsearch gave a written document (what a later conditional write names). */
export interface FlowDocumentVersion {
  readonly seqNo: number;
  readonly primaryTerm: number;
}

/** An item Elasticsearch rejected for good (a 4xx other than 429): goes to the dead-letter topic. */
export interface FlowBulkRejection<D = FlowDocument> {
  readonly item: FlowBulkItem<D>;
  /** HTTP status of the item, e.g. 400. */
  readonly status: number;
  /** Elasticsearch's error type, e.g. `document_parsing_exception`. */
  readonly errorType: string;
  /** Elasticsearch's reason, with the cause appended when it gives one. */
  readonly reason: string;
  /** Bulk requests this item was part of. */
  readonly attempts: number;
}

/** An item that was still failing with a retryable error when the writer gave up. */
export interface FlowBulkUnsettled<D = FlowDocument> {
  readonly item: FlowBulkItem<D>;
  /** Last item status, or undefined when the last failure was the whole request. */
  readonly status: number | undefined;
  readonly lastError: string;
  readonly attempts: number;
}

/** The outcome of a fully settled batch. */
export interface FlowBulkWriteResult<D = FlowDocument> {
  /** Items Elasticsearch acknowledged (created or overwritten). */
  readonly indexed: number;
  /** Items rejected for good; the caller sends them to the dead-letter topic. */
  readonly rejected: FlowBulkRejection<D>[];
  /** Conditional items whose condition failed (409): the stored document changed; re-read and merge. */
  readonly conflicts: FlowBulkItem<D>[];
  /** Version of each indexed item, by id. */
  readonly versions: Map<string, FlowDocumentVersion>;
  /** Bulk requests sent for this batch (1 when nothing had to be retried). */
  readonly requests: number;
  /** Item retries (an item retried twice counts twice). */
  readonly retries: number;
}

/** Why a batch could not be settled. */
export type FlowBulkIncompleteReason = 'retries_exhausted' | 'deadline_exceeded' | 'aborted' | 'request_rejected';

/**
 * Thrown when some items could not be settled. The caller must not commit the offsets of the
 * batch; it carries what did settle so rejected items can still be dead-lettered.
 */
export class FlowBulkIncompleteError<D = FlowDocument> extends Error {
  override readonly name = 'FlowBulkIncompleteError';
  constructor(
    readonly reason: FlowBulkIncompleteReason,
    readonly unsettled: FlowBulkUnsettled<D>[],
    readonly indexed: number,
    readonly rejected: FlowBulkRejection<D>[],
    readonly requests: number,
    options?: { cause?: unknown },
  ) {
    super(`bulk write incomplete (${reason}): ${unsettled.length} item(s) unsettled, ${indexed} indexed, ${rejected.length} rejected${unsettled[0] ? `; last error: ${unsettled[0].lastError}` : ''}`, options);
  }
}

/**
 * Sends one bulk request. `operations` are NDJSON lines already serialised (the client passes
 * strings through unchanged), so the writer serialises each document exactly once and knows
 * its size. Tests inject a fake; production uses `bulkRequestFromClient`.
 */
export type BulkRequestFunction = (operations: string[], signal?: AbortSignal) => Promise<estypes.BulkResponse>;

/** Options of `bulkRequestFromClient`. */
export interface ClientBulkOptions {
  /** `refresh` parameter of the bulk request. Default false: searches see documents after the index refresh interval. */
  refresh?: boolean | 'wait_for';
  /** Per-request HTTP timeout in ms. Default 60 000. */
  requestTimeoutMs?: number;
}

/**
 * A BulkRequestFunction over a real client. The client's own retries are turned off for this
 * request so that the writer's backoff and deadline are the only retry policy in play.
 */
export function bulkRequestFromClient(client: Client, options: ClientBulkOptions = {}): BulkRequestFunction {
  return (operations, signal) =>
    client.bulk(
      { operations, refresh: options.refresh ?? false },
      { maxRetries: 0, requestTimeout: options.requestTimeoutMs ?? 60_000, ...(signal ? { signal } : {}) },
    );
}

/** Configuration of the writer. Defaults suit one enricher against a small cluster. */
export interface FlowBulkWriterOptions {
  /** Sends a bulk request (see `bulkRequestFromClient`). */
  bulk: BulkRequestFunction;
  /** Registry the writer's metrics are registered on (shared by writers on the same registry). */
  registry?: Registry;
  /** Where retries and give-ups are logged. */
  logger?: Logger;
  /** Bulk requests an item may be part of before the writer gives up. Default 10. */
  maxAttempts?: number;
  /** Backoff before the first retry, in ms; doubles per retry. Default 200. */
  initialBackoffMs?: number;
  /** Cap of a single backoff, in ms. Default 10 000. */
  maxBackoffMs?: number;
  /** Give up on a batch this long after `write` was called, in ms. Default 120 000. */
  deadlineMs?: number;
  /** In-flight document bytes above which the writer reports itself saturated. Default 64 MiB. */
  highWaterMarkBytes?: number;
  /** In-flight items above which the writer reports itself saturated. Default 100 000. */
  highWaterMarkItems?: number;
  /** Random source for jitter, in [0, 1). Tests pass a fixed one. */
  random?: () => number;
  /** Waits `ms` (rejecting when `signal` aborts). Tests pass an instant one. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock in ms, for the deadline. */
  now?: () => number;
}

/** What the writer holds right now (items and NDJSON bytes accepted by `write` and not yet settled). */
export interface FlowBulkPressure {
  readonly items: number;
  readonly bytes: number;
  readonly batches: number;
  readonly saturated: boolean;
}

interface Metrics {
  indexed: Counter;
  retried: Counter<'cause'>;
  rejected: Counter<'error_type'>;
  unsettled: Counter<'reason'>;
  latency: Histogram<'result'>;
  inFlightItems: Gauge;
  inFlightBytes: Gauge;
}

function metricsOn(registry: Registry | undefined): Metrics {
  const registers = registry ? [registry] : [];
  // Several writers (one per consumer) may share a registry: reuse what is registered.
  const get = <M>(name: string, make: () => M): M => (registry?.getSingleMetric(name) as M | undefined) ?? make();
  return {
    indexed: get('segflow_es_documents_indexed_total', () => new Counter({ name: 'segflow_es_documents_indexed_total', help: 'Flow documents Elasticsearch acknowledged', registers })),
    retried: get('segflow_es_documents_retried_total', () => new Counter({ name: 'segflow_es_documents_retried_total', help: 'Flow document retries, by cause (429, 5xx, transport)', labelNames: ['cause'] as const, registers })),
    rejected: get('segflow_es_documents_rejected_total', () => new Counter({ name: 'segflow_es_documents_rejected_total', help: 'Flow documents Elasticsearch rejected for good (sent to the dead-letter topic), by error type', labelNames: ['error_type'] as const, registers })),
    unsettled: get('segflow_es_documents_unsettled_total', () => new Counter({ name: 'segflow_es_documents_unsettled_total', help: 'Flow documents the writer gave up on (batch not committed), by reason', labelNames: ['reason'] as const, registers })),
    latency: get('segflow_es_bulk_request_duration_seconds', () => new Histogram({ name: 'segflow_es_bulk_request_duration_seconds', help: 'Duration of bulk requests, by result (ok, item_errors, failed)', labelNames: ['result'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers })),
    inFlightItems: get('segflow_es_bulk_in_flight_items', () => new Gauge({ name: 'segflow_es_bulk_in_flight_items', help: 'Flow documents accepted by the bulk writer and not yet settled', registers })),
    inFlightBytes: get('segflow_es_bulk_in_flight_bytes', () => new Gauge({ name: 'segflow_es_bulk_in_flight_bytes', help: 'NDJSON bytes of flow documents accepted by the bulk writer and not yet settled', registers })),
  };
}

interface Prepared<D> {
  item: FlowBulkItem<D>;
  action: string;
  source: string;
  bytes: number;
  attempts: number;
  lastStatus: number | undefined;
  lastError: string;
}

type ItemVerdict = { kind: 'indexed' } | { kind: 'conflict' } | { kind: 'retry'; cause: '429' | '5xx' } | { kind: 'reject'; errorType: string; reason: string };

function describeError(error: estypes.ErrorCause | undefined): { errorType: string; reason: string } {
  if (!error) return { errorType: 'unknown', reason: 'no error given' };
  const errorType = error.type ?? 'unknown';
  let reason = `${errorType}: ${error.reason ?? ''}`;
  if (error.caused_by) reason += ` (caused by ${error.caused_by.type}: ${error.caused_by.reason ?? ''})`;
  return { errorType, reason };
}

function classifyItem(status: number, error: estypes.ErrorCause | undefined, conditional: boolean): ItemVerdict {
  if (status >= 200 && status < 300) return { kind: 'indexed' };
  if (status === 409 && conditional) return { kind: 'conflict' };
  if (status === 429) return { kind: 'retry', cause: '429' };
  if (status >= 500) return { kind: 'retry', cause: '5xx' };
  return { kind: 'reject', ...describeError(error) };
}

/** Status of a failed whole request, when the error carries one (ResponseError does). */
function requestErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode ?? (error as { meta?: { statusCode?: unknown } }).meta?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> => sleepFor(ms, undefined, signal ? { signal } : {});

/** The bulk writer. One instance per Elasticsearch client; `write` may run concurrently. */
export class FlowBulkWriter<D = FlowDocument> {
  private readonly bulk: BulkRequestFunction;
  private readonly logger: Logger | undefined;
  private readonly metrics: Metrics;
  private readonly maxAttempts: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly deadlineMs: number;
  private readonly highWaterMarkBytes: number;
  private readonly highWaterMarkItems: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private items = 0;
  private bytes = 0;
  private batches = 0;
  private wasSaturated = false;
  private readonly listeners = new Set<(pressure: FlowBulkPressure) => void>();

  constructor(options: FlowBulkWriterOptions) {
    this.bulk = options.bulk;
    this.logger = options.logger;
    this.metrics = metricsOn(options.registry);
    this.maxAttempts = options.maxAttempts ?? 10;
    this.initialBackoffMs = options.initialBackoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.deadlineMs = options.deadlineMs ?? 120_000;
    this.highWaterMarkBytes = options.highWaterMarkBytes ?? 64 * 1024 * 1024;
    this.highWaterMarkItems = options.highWaterMarkItems ?? 100_000;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error(`maxAttempts must be a positive integer, got ${this.maxAttempts}`);
  }

  /** Current in-flight load; a consumer pauses fetching while `saturated` is true. */
  pressure(): FlowBulkPressure {
    return { items: this.items, bytes: this.bytes, batches: this.batches, saturated: this.isSaturated() };
  }

  /**
   * Calls `listener` whenever the writer crosses its high-water mark in either direction
   * (saturated → pause the consumer, not saturated → resume). Returns an unsubscribe function.
   */
  onPressureChange(listener: (pressure: FlowBulkPressure) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The backoff before retry number `retry` (1-based): exponential, capped, with "equal
   * jitter" (half fixed, half random) so replicas that failed together do not retry together
   * but each still waits at least half the nominal delay.
   */
  backoffMs(retry: number): number {
    const nominal = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (retry - 1));
    return Math.round(nominal / 2 + this.random() * (nominal / 2));
  }

  /**
   * Writes a batch: one bulk request, then one more per retry round carrying only the items
   * that failed with 429/5xx (or all of them after a transport failure). Resolves when every
   * item is indexed or rejected for good; rejects with FlowBulkIncompleteError when retries,
   * the deadline or `signal` end it first.
   */
  async write(batch: readonly FlowBulkItem<D>[], options: { signal?: AbortSignal } = {}): Promise<FlowBulkWriteResult<D>> {
    const { signal } = options;
    const deadline = this.now() + this.deadlineMs;
    let pending: Prepared<D>[] = batch.map((item) => {
      const c = item.condition;
      const action = JSON.stringify(c === undefined ? { index: { _index: item.index, _id: item.id } }
        : 'create' in c ? { create: { _index: item.index, _id: item.id } }
        : { index: { _index: item.index, _id: item.id, if_seq_no: c.ifSeqNo, if_primary_term: c.ifPrimaryTerm } });
      const source = JSON.stringify(withQueryKeysIfFlow(item.document));
      return { item, action, source, bytes: Buffer.byteLength(action) + Buffer.byteLength(source) + 2, attempts: 0, lastStatus: undefined, lastError: '' };
    });
    let held = pending.reduce((sum, p) => sum + p.bytes, 0);
    let heldItems = pending.length;
    this.track(heldItems, held, 1);
    const release = (settled: Prepared<D>[]): void => {
      const bytes = settled.reduce((sum, p) => sum + p.bytes, 0);
      held -= bytes;
      heldItems -= settled.length;
      this.track(-settled.length, -bytes, 0);
    };

    let indexed = 0;
    let requests = 0;
    let retries = 0;
    const rejected: FlowBulkRejection<D>[] = [];
    const conflicts: FlowBulkItem<D>[] = [];
    const versions = new Map<string, FlowDocumentVersion>();
    const giveUp = (reason: FlowBulkIncompleteReason, cause?: unknown): FlowBulkIncompleteError<D> => {
      const unsettled = pending.map((p) => ({ item: p.item, status: p.lastStatus, lastError: p.lastError, attempts: p.attempts }));
      this.metrics.unsettled.inc({ reason }, unsettled.length);
      this.logger?.error({ reason, unsettled: unsettled.length, indexed, rejected: rejected.length, requests, lastError: unsettled[0]?.lastError }, 'bulk write gave up; batch must not be committed');
      return new FlowBulkIncompleteError(reason, unsettled, indexed, rejected, requests, cause === undefined ? undefined : { cause });
    };

    try {
      while (pending.length > 0) {
        if (signal?.aborted) throw giveUp('aborted', signal.reason);
        requests++;
        for (const p of pending) p.attempts++;
        const operations: string[] = [];
        for (const p of pending) operations.push(p.action, p.source);

        const started = process.hrtime.bigint();
        let response: estypes.BulkResponse | undefined;
        let failure: unknown;
        try {
          response = await this.bulk(operations, signal);
        } catch (error) {
          failure = error;
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;

        let next: Prepared<D>[];
        if (response === undefined || response.items.length !== pending.length) {
          this.metrics.latency.observe({ result: 'failed' }, seconds);
          if (signal?.aborted) throw giveUp('aborted', signal.reason);
          const status = requestErrorStatus(failure);
          const message = response ? `bulk response has ${response.items.length} items for ${pending.length} operations` : failure instanceof Error ? failure.message : String(failure);
          for (const p of pending) {
            p.lastStatus = undefined;
            p.lastError = status === undefined ? message : `HTTP ${status}: ${message}`;
          }
          // A whole request refused with a 4xx other than 429 (auth, payload too large, bad
          // request line) is not about any one document: dead-lettering the batch would hide
          // a configuration error, so it fails the write instead.
          if (status !== undefined && status !== 429 && status < 500) throw giveUp('request_rejected', failure);
          const cause = status === undefined ? 'transport' : status === 429 ? '429' : '5xx';
          this.metrics.retried.inc({ cause }, pending.length);
          next = pending;
        } else {
          this.metrics.latency.observe({ result: response.errors ? 'item_errors' : 'ok' }, seconds);
          next = [];
          const settled: Prepared<D>[] = [];
          let indexedNow = 0;
          response.items.forEach((entry, i) => {
            const p = pending[i] as Prepared<D>;
            const result = entry.index ?? entry.create ?? Object.values(entry)[0];
            const status = result?.status ?? 0;
            const verdict = classifyItem(status, result?.error, p.item.condition !== undefined);
            if (verdict.kind === 'indexed') {
              indexedNow++;
              if (result?._seq_no !== undefined && result._primary_term !== undefined) versions.set(p.item.id, { seqNo: result._seq_no, primaryTerm: result._primary_term });
              settled.push(p);
            } else if (verdict.kind === 'conflict') {
              conflicts.push(p.item);
              settled.push(p);
            } else if (verdict.kind === 'reject') {
              rejected.push({ item: p.item, status, errorType: verdict.errorType, reason: verdict.reason, attempts: p.attempts });
              this.metrics.rejected.inc({ error_type: verdict.errorType });
              settled.push(p);
            } else {
              p.lastStatus = status;
              p.lastError = describeError(result?.error).reason;
              this.metrics.retried.inc({ cause: verdict.cause });
              next.push(p);
            }
          });
          indexed += indexedNow;
          this.metrics.indexed.inc(indexedNow);
          release(settled);
        }

        pending = next;
        if (pending.length === 0) break;
        if (requests >= this.maxAttempts) throw giveUp('retries_exhausted', failure);
        const delay = this.backoffMs(requests);
        if (this.now() + delay > deadline) throw giveUp('deadline_exceeded', failure);
        retries += pending.length;
        this.logger?.warn({ retrying: pending.length, attempt: requests, delayMs: delay, lastError: pending[0]?.lastError }, 'bulk items failed with a retryable error; retrying');
        try {
          await this.sleep(delay, signal);
        } catch (error) {
          throw giveUp('aborted', error);
        }
      }
      return { indexed, rejected, conflicts, versions, requests, retries };
    } finally {
      this.track(-heldItems, -held, -1);
    }
  }

  private isSaturated(): boolean {
    return this.items > this.highWaterMarkItems || this.bytes > this.highWaterMarkBytes;
  }

  private track(items: number, bytes: number, batches: number): void {
    this.items += items;
    this.bytes += bytes;
    this.batches += batches;
    if (items !== 0) this.metrics.inFlightItems.inc(items);
    if (bytes !== 0) this.metrics.inFlightBytes.inc(bytes);
    const saturated = this.isSaturated();
    if (saturated !== this.wasSaturated) {
      this.wasSaturated = saturated;
      const pressure = this.pressure();
      for (const listener of this.listeners) listener(pressure);
    }
  }
}
