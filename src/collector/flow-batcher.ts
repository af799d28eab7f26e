/**
 * Groups flow records into `FlowBatch` messages by size and time: a batch is closed when it
 * holds `maxRecords` records or when `maxDelayMs` has passed since its first record, whichever
 * comes first, and it never encodes to more than `maxBytes` (it closes before a record would
 * take it past that). Records are encoded into the open batch as they arrive, so the record
 * objects die young instead of waiting for the batch (the garbage collector copies what lives).
 * Each batch gets the next sequence number of this agent boot (1, 2, 3, ...), so the enricher
 * can detect gaps and duplicates, and the agent's loss report (loss-tally.ts). When the agent
 * has nothing to send for `heartbeatMs` it sends an empty batch (a heartbeat), so readers can
 * tell an idle node from a silent one; `reportLossesSoon` does the same within `maxDelayMs` for
 * a loss no batch has reported yet, when no records follow it.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../runtime/logger.ts';
import {
  FlowBatchBuilder,
  FlowBatchEncodeError,
  type RejectedFlowRecord,
  type FlowRecordData,
} from '../contract/wire/flow-batch-codec.ts';
import type { CollectorMetrics } from './collector-metrics.ts';
import type { LossTally } from './loss-tally.ts';

/** An encoded batch ready for a sink. */
export interface EncodedFlowBatch {
  /** Sequence number inside the batch (for logs and tests). */
  sequence: number;
  /** Number of records in the batch. */
  records: number;
  /** The serialized `segflow.v1.FlowBatch`. */
  payload: Uint8Array;
}

/** Options of {@link FlowBatcher}. */
export interface FlowBatcherOptions {
  /** Agent identity written into every batch. */
  agentId: string;
  /** Node name written into every batch. */
  nodeName: string;
  /** Boot id of this agent run (default: a random UUID). */
  bootId?: string;
  /** Close a batch at this many records (default 5000). */
  maxRecords?: number;
  /** Close a batch this long after its first record, ms (default 1000). */
  maxDelayMs?: number;
  /** Largest encoded batch, bytes (default 900 000, under Kafka's 1 MiB default). */
  maxBytes?: number;
  /** Send an empty batch after this long without one, ms (default 30 000; 0 = never). */
  heartbeatMs?: number;
  /** The agent's losses, reported in every batch (none when absent). */
  lossTally?: LossTally;
  /** Clock, Unix ns (default: Date.now based). */
  nowUnixNano?: () => bigint;
  metrics?: CollectorMetrics;
  logger?: Logger;
}

/**
 * Room kept in a batch for its own fields (ids, node name, times, loss report) next to the
 * records: they take ~100 bytes, a loss report a few hundred more.
 */
const FRAME_RESERVE_BYTES = 4096;

/** Records named in a drop's log line at most (the count covers all). */
const REJECTED_NAMED = 10;

/** Each rejected record with all its problems (the first {@link REJECTED_NAMED}), e.g. `records[3]: protocol: 300 is not ...`. */
function describeRejected(rejected: readonly RejectedFlowRecord[]): string {
  const named = rejected.slice(0, REJECTED_NAMED).map((r) => `records[${r.index}]: ${r.problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`);
  if (rejected.length > REJECTED_NAMED) named.push(`and ${rejected.length - REJECTED_NAMED} more`);
  return named.join(' | ');
}

const defaultNow = (): bigint => BigInt(Date.now()) * 1_000_000n;

/** Size- and time-bounded batching with per-boot sequence numbers; see the module comment. */
export class FlowBatcher {
  /** Encode drops are logged once a minute at most (a source bug can reject every record): when the last line went out, and how many drops it did not name. */
  private encodeLogAt = -Infinity;
  private encodeDropsUnlogged = 0;

  /** The boot id stamped on every batch of this run. */
  readonly bootId: string;
  /** The open batch: its valid records, already encoded (the record objects are not kept). */
  private readonly builder = new FlowBatchBuilder();
  /** How many bytes of records the open batch may take: the size limit less room for the batch's own fields. */
  private readonly maxRecordBytes: number;
  private nextSequence = 1;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly maxRecords: number;
  private readonly maxDelayMs: number;
  private readonly maxBytes: number;
  private readonly now: () => bigint;
  private readonly heartbeatMs: number;
  private heartbeat: NodeJS.Timeout | null = null;

  /** `onBatch` receives every batch, in sequence order, synchronously from add/flush/the timer. */
  constructor(
    private readonly options: FlowBatcherOptions,
    private readonly onBatch: (batch: EncodedFlowBatch) => void,
  ) {
    this.bootId = options.bootId ?? randomUUID();
    this.maxRecords = options.maxRecords ?? 5000;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
    this.maxBytes = options.maxBytes ?? 900_000;
    this.maxRecordBytes = this.maxBytes - Math.min(FRAME_RESERVE_BYTES, Math.floor(this.maxBytes / 4));
    this.now = options.nowUnixNano ?? defaultNow;
    if (this.maxRecords < 1) throw new Error(`maxRecords must be >= 1, got ${this.maxRecords}`);
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.armHeartbeat();
  }

  /** Sequence number the next batch will carry. */
  get sequence(): number {
    return this.nextSequence;
  }

  /** Records waiting for their batch to close. */
  get pendingRecords(): number {
    return this.builder.recordCount;
  }

  /**
   * Adds records, encoding each into the open batch right away; closes the batch when it holds
   * `maxRecords` or its bytes would pass the size limit, and arms the delay timer for the rest.
   * Records a consumer would reject are dropped, counted (`encode`) and logged with every problem.
   */
  add(records: readonly FlowRecordData[]): void {
    if (this.stopped) throw new Error('FlowBatcher is stopped');
    let rejected: RejectedFlowRecord[] | null = null;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      let added = this.builder.add(record, this.maxRecordBytes);
      if (added === 'full') {
        this.flush();
        added = this.builder.add(record, this.maxRecordBytes);
      }
      if (added !== null && added !== 'full') (rejected ??= []).push({ index: i, problems: added });
      else if (this.builder.recordCount >= this.maxRecords) this.flush();
    }
    // Counted before the open batch closes, so its loss report carries them.
    if (rejected) this.dropUnencodable(rejected.length, describeRejected(rejected));
    if (this.builder.recordCount > 0) this.armDelay();
  }

  /**
   * A loss no batch has reported yet goes out within `maxDelayMs`: with the records then
   * pending, or in an empty batch. (The caller decides when: an empty batch is pointless while
   * batches wait in a full spool; the next one carries the cumulative counts anyway.)
   */
  reportLossesSoon(): void {
    if (this.options.lossTally?.hasUnreported) this.armDelay();
  }

  /** Closes a batch `maxDelayMs` from now (unless a timer already runs). */
  private armDelay(): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.maxDelayMs);
    this.timer.unref();
  }

  /** (Re)starts the wait for the next heartbeat. */
  private armHeartbeat(): void {
    if (this.heartbeat !== null) clearTimeout(this.heartbeat);
    this.heartbeat = null;
    if (this.heartbeatMs <= 0 || this.stopped) return;
    this.heartbeat = setTimeout(() => {
      this.heartbeat = null;
      if (this.stopped) return;
      if (this.builder.recordCount > 0) this.flush();
      else this.emit();
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Closes the current batch now (no-op when empty). */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.builder.recordCount === 0) {
      // Nothing to send but a loss to report: an empty batch carries it.
      if (this.options.lossTally?.hasUnreported) this.emit();
      return;
    }
    this.emit();
  }

  /** Flushes what is pending and refuses further records. */
  stop(): void {
    this.flush();
    this.stopped = true;
    if (this.heartbeat !== null) clearTimeout(this.heartbeat);
    this.heartbeat = null;
  }

  /** Closes the open batch (possibly empty: a heartbeat or a loss report) and hands it over. */
  private emit(): void {
    const sequence = this.nextSequence;
    const records = this.builder.recordCount;
    let payload: Uint8Array;
    // Taken before encoding; given back (counted again) if this batch is not built after all.
    const loss = this.options.lossTally?.take();
    try {
      payload = this.builder.finish(
        {
          agentId: this.options.agentId, bootId: this.bootId, sequence, sentTimeUnixNano: this.now(), nodeName: this.options.nodeName,
          ...(loss ? { loss } : {}), ...(this.heartbeatMs > 0 ? { heartbeatIntervalMs: this.heartbeatMs } : {}),
        },
        { maxBytes: this.maxBytes },
      );
    } catch (err) {
      if (loss) this.options.lossTally?.untake(loss);
      // The batch's own fields are invalid, or its frame outgrew the reserve (a configuration
      // bug): none of its records can go.
      if (err instanceof FlowBatchEncodeError) {
        this.dropUnencodable(records, err.message);
        return;
      }
      throw err;
    }
    this.nextSequence++;
    this.armHeartbeat();
    this.options.metrics?.batchesBuilt.inc();
    this.onBatch({ sequence, records, payload });
  }

  /** Counts (and logs, rate-limited) `count` records no batch can carry; `reason` names them and what is wrong. */
  private dropUnencodable(count: number, reason: string): void {
    this.options.metrics?.errors.inc({ component: 'batcher' });
    this.logEncodeDrop(reason);
    this.options.metrics?.recordsDropped.inc({ reason: 'encode' }, count);
    this.options.lossTally?.count('encode', count);
  }

  private logEncodeDrop(reason: string): void {
    const now = Date.now();
    if (now - this.encodeLogAt < 60_000) {
      this.encodeDropsUnlogged++;
      return;
    }
    const unlogged = this.encodeDropsUnlogged;
    this.encodeLogAt = now;
    this.encodeDropsUnlogged = 0;
    this.options.logger?.error({ err: reason, ...(unlogged > 0 ? { droppedSinceLastLine: unlogged } : {}) }, 'dropping a flow record the wire schema rejects (logged once a minute at most; every drop is counted in segflow_collector_records_dropped_total{reason="encode"})');
  }
}
