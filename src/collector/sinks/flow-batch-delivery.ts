/**
 * Moves encoded batches from the batcher to Kafka, through the disk spool when Kafka is down,
 * without ever reordering them:
 *
 * - while Kafka answers and the spool is empty, each batch is sent directly;
 * - when a send fails (or times out), that batch and every later one go to the spool, in order;
 * - a replay loop keeps retrying the oldest spooled batches (with backoff) and removes them only
 *   after Kafka acknowledged them; once the spool is empty, batches go direct again;
 * - when the spool is full it drops its oldest segment, and the loss is counted
 *   (`segflow_collector_{batches,records}_dropped_total{reason="spool_full"}`) and logged.
 *
 * One worker does all of this sequentially, so order holds by construction. Delivery is
 * at-least-once: a send that timed out may still have reached Kafka before it was spooled and
 * replayed; the batch's sequence number lets the enricher recognize the duplicate.
 */
import type { Logger } from '../../runtime/logger.ts';
import type { CollectorMetrics } from '../collector-metrics.ts';
import type { EncodedFlowBatch } from '../flow-batcher.ts';
import type { DiskSpool, SpoolDropReport } from './disk-spool.ts';
import type { FlowBatchSink } from './kafka-flow-sink.ts';

/** Options of {@link FlowBatchDelivery}. */
export interface FlowBatchDeliveryOptions {
  sink: FlowBatchSink;
  spool: DiskSpool;
  metrics: CollectorMetrics;
  logger: Logger;
  /** Spooled batches sent per Kafka request while replaying (default 16). */
  replayBatchSize?: number;
  /** First and largest wait between replay attempts while Kafka is down, ms (defaults 500 / 10 000). */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /**
   * Told of every batch handed over by `enqueue` once it is safe or accounted for: acknowledged
   * by Kafka, written to the spool, or dropped and counted (the crash ledger's "settled").
   */
  onSettled?: (batch: EncodedFlowBatch) => void;
  /** Told when the spool has been replayed to the end: batches go straight to Kafka again. */
  onDrained?: () => void;
  /** Told of every counted loss, so the next batch's loss report carries it (loss-tally.ts). */
  onLoss?: (cause: 'spool_full' | 'spool_corrupt' | 'spool_error', loss: SpoolDropReport) => void;
}

/** State of the delivery path, for the status endpoint. */
export interface DeliveryStatus {
  kafkaUp: boolean;
  queuedBatches: number;
  spooledBatches: number;
  spooledRecords: number;
  spoolDiskBytes: number;
  lastError: string | null;
}

/** Ordered Kafka delivery with disk spooling; see the module comment. */
export class FlowBatchDelivery {
  private readonly queue: EncodedFlowBatch[] = [];
  private kafkaUp = true;
  private running = false;
  private worker: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastError: string | null = null;
  private readonly replayBatchSize: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private retryDelayMs: number;

  constructor(private readonly options: FlowBatchDeliveryOptions) {
    this.replayBatchSize = options.replayBatchSize ?? 16;
    this.retryInitialMs = options.retryInitialMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 10_000;
    this.retryDelayMs = this.retryInitialMs;
    // Whatever a previous run left in the spool is replayed first.
    this.kafkaUp = options.spool.isEmpty;
    this.updateGauges();
  }

  /** Starts the worker. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const loss = this.options.spool.takeRecoveryLoss();
    if (loss.batches > 0) this.countDrop(loss, 'spool_corrupt');
    if (!this.options.spool.isEmpty) {
      this.options.logger.info({ batches: this.options.spool.pendingBatches, records: this.options.spool.pendingRecords }, 'replaying batches spooled by a previous run');
    }
    this.worker = this.run();
  }

  /** Hands a batch over; never blocks. Order of calls is order on the wire. */
  enqueue(batch: EncodedFlowBatch): void {
    this.queue.push(batch);
    this.poke();
  }

  /** True while batches go straight to Kafka (it answers and nothing waits in the spool). */
  get direct(): boolean {
    return this.kafkaUp && this.options.spool.isEmpty;
  }

  /** Current state (for `/status`). */
  status(): DeliveryStatus {
    const spool = this.options.spool;
    return {
      kafkaUp: this.kafkaUp,
      queuedBatches: this.queue.length,
      spooledBatches: spool.pendingBatches,
      spooledRecords: spool.pendingRecords,
      spoolDiskBytes: spool.diskBytes,
      lastError: this.lastError,
    };
  }

  /**
   * Resolves once nothing is queued in memory and the spool is empty (everything acknowledged
   * by Kafka), or rejects after `timeoutMs`. For tests and orderly shutdowns.
   */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 || !this.options.spool.isEmpty || this.inFlight) {
      if (Date.now() > deadline) throw new Error(`delivery not drained after ${timeoutMs} ms: ${JSON.stringify(this.status())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Stops the worker. Batches still queued in memory are written to the spool (never lost on
   * an orderly stop); the spool is closed and replays on the next start.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.worker;
    this.worker = null;
    while (this.queue.length > 0) await this.spoolOne(this.queue.shift()!);
    this.updateGauges();
  }

  private inFlight = false;

  private poke(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.queue.length > 0 && this.options.spool.isEmpty) {
          await this.sendDirect(this.queue[0]!);
          continue;
        }
        if (this.queue.length > 0) {
          // Older batches wait in the spool: keep order by spooling behind them.
          while (this.queue.length > 0) await this.spoolOne(this.queue.shift()!);
          this.updateGauges();
          continue;
        }
        if (!this.options.spool.isEmpty) {
          const replayed = await this.replayOnce();
          if (!replayed && this.running && this.queue.length === 0) await this.sleep(this.retryDelayMs);
          continue;
        }
        await this.sleep(60_000);
      } catch (err) {
        // Spool I/O failed (disk full, permissions): count, log, and do not spin.
        this.options.metrics.errors.inc({ component: 'spool' });
        this.lastError = (err as Error).message;
        this.options.logger.error({ err: (err as Error).message }, 'flow batch delivery error');
        if (this.running) await this.sleep(1000);
      }
    }
  }

  private async sendDirect(batch: EncodedFlowBatch): Promise<void> {
    this.inFlight = true;
    try {
      await this.options.sink.send([batch]);
      this.queue.shift();
      this.markSent(1, batch.records);
      this.options.onSettled?.(batch);
    } catch (err) {
      this.markDown(err as Error);
      const failed = this.queue.shift()!;
      await this.spoolOne(failed);
      this.updateGauges();
    } finally {
      this.inFlight = false;
    }
  }

  /** Sends the oldest spooled batches; true when they were acknowledged. */
  private async replayOnce(): Promise<boolean> {
    const spool = this.options.spool;
    const entries = await spool.peek(this.replayBatchSize);
    if (entries.length === 0) return true;
    // In flight until acknowledged *and* counted: `drained()` must not see an empty spool while
    // the ack's file work is still under way and the batches are not yet counted as sent.
    this.inFlight = true;
    try {
      try {
        await this.options.sink.send(entries);
      } catch (err) {
        this.markDown(err as Error);
        this.retryDelayMs = Math.min(this.retryMaxMs, this.retryDelayMs * 2);
        return false;
      }
      await spool.ack(entries.length);
      this.markSent(entries.length, entries.reduce((n, e) => n + e.records, 0));
    } finally {
      this.inFlight = false;
    }
    if (spool.isEmpty) {
      this.options.logger.info('spool drained: all batches spooled during the Kafka outage are delivered');
      this.options.onDrained?.();
    }
    this.updateGauges();
    return true;
  }

  private async spoolOne(batch: EncodedFlowBatch): Promise<void> {
    try {
      const dropped = await this.options.spool.append(batch.payload, batch.records);
      this.options.onSettled?.(batch);
      this.options.metrics.batchesSpooled.inc();
      this.options.metrics.recordsSpooled.inc(batch.records);
      if (dropped.batches > 0) this.countDrop(dropped, 'spool_full');
    } catch (err) {
      this.countDrop({ batches: 1, records: batch.records, bytes: batch.payload.length }, 'spool_error');
      this.options.onSettled?.(batch);
      throw err;
    }
  }

  private countDrop(loss: SpoolDropReport, reason: 'spool_full' | 'spool_corrupt' | 'spool_error'): void {
    this.options.onLoss?.(reason, loss);
    this.options.metrics.batchesDropped.inc({ reason }, loss.batches);
    this.options.metrics.recordsDropped.inc({ reason }, loss.records);
    this.options.logger.warn(
      { reason, droppedBatches: loss.batches, droppedRecords: loss.records, droppedBytes: loss.bytes },
      reason === 'spool_full'
        ? 'spool full: dropped the oldest spooled flow batches'
        : reason === 'spool_corrupt'
          ? 'spool recovery: dropped unreadable data (torn write from a crash)'
          : 'could not spool a flow batch: dropped it',
    );
  }

  private markSent(batches: number, records: number): void {
    this.options.metrics.batchesSent.inc(batches);
    this.options.metrics.recordsSent.inc(records);
    if (!this.kafkaUp) this.options.logger.info('Kafka reachable again');
    this.kafkaUp = true;
    this.retryDelayMs = this.retryInitialMs;
    this.options.metrics.kafkaUp.set(1);
  }

  private markDown(err: Error): void {
    this.options.metrics.errors.inc({ component: 'kafka' });
    this.lastError = err.message;
    if (this.kafkaUp) this.options.logger.warn({ err: err.message }, 'Kafka unreachable: spooling flow batches to disk');
    this.kafkaUp = false;
    this.options.metrics.kafkaUp.set(0);
  }

  private updateGauges(): void {
    this.options.metrics.spoolBatches.set(this.options.spool.pendingBatches);
    this.options.metrics.spoolBytes.set(this.options.spool.diskBytes);
  }
}
