/**
 * Sends the state's pending changes to the inventory topic: one idempotent producer, acks=all,
 * batches of up to 500 messages at most 50 ms after a change, one batch in flight (so the changes
 * of a key reach the topic in order), each message stamped with the time the sync observed the
 * change. A failed send is retried with backoff; the keys stay pending meanwhile, so nothing is
 * dropped and only the latest state of a key is sent. Only while `mayPublish()` holds (the lease).
 */
import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '../shared/logger.ts';
import { readInventorySnapshot } from '../inventory/topic/inventory-snapshot.ts';
import type { ClusterInventoryState, PendingMessage } from './cluster-inventory-state.ts';
import { Backoff, sleep } from './retry-backoff.ts';

export interface TopicWriterHooks {
  published?(batch: readonly PendingMessage[], ackedAt: number): void;
  sendFailed?(error: unknown): void;
}

export interface TopicWriterOptions {
  readonly flushDelayMs?: number;
  readonly maxBatch?: number;
}

export class InventoryTopicWriter {
  private producer: Producer | undefined;
  private scheduled: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private again = false;
  private readonly stopper = new AbortController();
  private readonly backoff = new Backoff({ initialMs: 200, maxMs: 10_000 });
  private loading: Promise<void> | undefined;
  /** Incremented on every leadership change, so a load started under an old term is discarded. */
  private term = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly state: ClusterInventoryState,
    private readonly mayPublish: () => boolean,
    private readonly writer: string,
    private readonly log: Logger,
    private readonly hooks: TopicWriterHooks = {},
    private readonly options: TopicWriterOptions = {},
  ) {}

  private get maxBatch(): number {
    return this.options.maxBatch ?? 500;
  }

  /** A change is pending: flush soon (at once when a full batch waits). */
  notify(): void {
    if (this.stopper.signal.aborted || !this.state.loaded) return;
    if (this.flushing !== undefined) {
      this.again = true;
      return;
    }
    if (this.scheduled !== undefined) {
      if (this.state.pendingCount < this.maxBatch) return;
      clearTimeout(this.scheduled);
    }
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.again) {
          this.again = false;
          this.notify();
        }
      });
    }, this.state.pendingCount >= this.maxBatch ? 0 : this.options.flushDelayMs ?? 50);
  }

  /** This replica leads now: read the topic as it is, then publish every difference. */
  startedLeading(): Promise<void> {
    const term = ++this.term;
    this.loading = this.loadTopic(term).finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** This replica no longer leads: forget the topic's contents (the next leader may change them). */
  stoppedLeading(): void {
    this.term++;
    this.state.unloadPublished();
    clearTimeout(this.scheduled);
    this.scheduled = undefined;
  }

  private async loadTopic(term: number): Promise<void> {
    while (!this.stopper.signal.aborted && term === this.term && this.mayPublish()) {
      try {
        const snapshot = await readInventorySnapshot(this.kafka, this.topic);
        if (term !== this.term || !this.mayPublish()) return;
        this.state.loadPublished(snapshot);
        this.backoff.reset();
        this.log.info({ topic: this.topic, records: snapshot.size, pending: this.state.pendingCount }, 'inventory topic read: publishing the differences');
        this.notify();
        return;
      } catch (err) {
        this.log.error({ topic: this.topic, err: (err as Error).message }, 'cannot read the inventory topic; retrying');
        await sleep(this.backoff.next(), this.stopper.signal);
      }
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer === undefined) {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async flush(): Promise<void> {
    while (!this.stopper.signal.aborted && this.mayPublish() && this.state.loaded) {
      const batch = this.state.takeBatch(this.maxBatch, Date.now(), this.writer);
      if (batch.length === 0) return;
      try {
        const producer = await this.connectedProducer();
        // Checked again right before the send: leadership may have ended while connecting.
        if (!this.mayPublish()) return;
        await producer.send({
          topic: this.topic, acks: -1, compression: CompressionTypes.GZIP,
          messages: batch.map((m) => ({ key: m.key, value: m.value, timestamp: String(m.observedAt) })),
        });
        this.state.acknowledge(batch);
        this.backoff.reset();
        this.hooks.published?.(batch, Date.now());
      } catch (err) {
        this.hooks.sendFailed?.(err);
        this.log.error({ topic: this.topic, messages: batch.length, err: (err as Error).message }, 'publishing inventory changes failed; retrying');
        await sleep(this.backoff.next(), this.stopper.signal);
      }
    }
  }

  /** Publishes what is pending (while leading), up to `timeoutMs`; true when nothing is left. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    await this.loading;
    while (Date.now() < deadline && this.mayPublish() && this.state.loaded && this.state.pendingCount > 0) {
      clearTimeout(this.scheduled);
      this.scheduled = undefined;
      if (this.flushing === undefined) this.flushing = this.flush().finally(() => (this.flushing = undefined));
      await Promise.race([this.flushing, sleep(Math.max(0, deadline - Date.now()))]);
      if (this.state.takeBatch(1, Date.now(), this.writer).length === 0) return true;
    }
    return this.state.pendingCount === 0;
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    clearTimeout(this.scheduled);
    await this.flushing;
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }
}
