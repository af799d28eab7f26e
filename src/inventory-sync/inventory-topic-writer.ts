/**
 * Sends the state's pending changes to the inventory topic in Kafka transactions, so that a
 * deposed leader can never write after its successor started: every replica uses the same
 * transactional id (from the topic and the lease), and a new leader's first act is to initialise
 * its producer under that id, which bumps the producer epoch, aborts whatever transaction the old
 * leader left open and makes every later send or commit of the old producer fail (fenced). Only
 * then does it read the topic (read committed) and publish the differences.
 *
 * A transaction holds one or more sends (up to `maxBatch` messages and `maxBatchBytes` each, one
 * after another so the changes of a key stay in order; a key appears at most once per
 * transaction) and is committed as a whole: a burst (the first publish) goes out in a few large
 * transactions, a single change in a small one, at most `flushDelayMs` after it was seen. The keys
 * stay pending until the commit succeeded, so a failed transaction loses nothing. Each message is
 * stamped with the time the sync observed the change.
 */
import { CompressionTypes, type Kafka, type Producer, type Transaction } from 'kafkajs';
import type { Logger } from '../runtime/logger.ts';
import { readInventorySnapshot } from '../inventory/topic/inventory-snapshot.ts';
import type { ClusterInventoryState, PendingMessage } from './cluster-inventory-state.ts';
import { Backoff, sleep } from './retry-backoff.ts';
import { CONCURRENT_TRANSACTIONS } from '../runtime/kafka-log.ts';

export interface TopicWriterHooks {
  published?(batch: readonly PendingMessage[], ackedAt: number): void;
  sendFailed?(error: unknown): void;
  /**
   * A newer producer with the same transactional id took over while this replica still meant to
   * lead (`currentTerm`), or one of an earlier term was fenced (`currentTerm` false). Called once
   * per producer.
   */
  fenced?(currentTerm: boolean, error: Error): void;
}

export interface TopicWriterOptions {
  /** Kafka transactional.id: the same for every replica of one sync (topic + lease). */
  readonly transactionalId: string;
  readonly flushDelayMs?: number;
  /** Messages per send (default 2000). */
  readonly maxBatch?: number;
  /** Bytes of values per send, uncompressed (default 900 KB: below the broker's 1 MiB message.max.bytes even if gzip gains nothing). */
  readonly maxBatchBytes?: number;
  /** Messages per transaction (default 20,000). */
  readonly maxTransactionMessages?: number;
  /** Kafka transaction timeout (default 30 s): how long a leader that died mid-transaction holds back read-committed readers. */
  readonly transactionTimeoutMs?: number;
}

/** The transactional id of a sync: the same for every replica that may lead for this topic and lease. */
export function transactionalIdOf(topic: string, leaseNamespace: string, leaseName: string): string {
  return `segflow-inventory-sync/${topic}/${leaseNamespace}/${leaseName}`;
}

/** Kafka's answer to a producer whose epoch is no longer current: another producer with its transactional id initialised since. */
export function isFencingError(err: unknown): boolean {
  for (let e = err as { type?: unknown; code?: unknown; message?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    // INVALID_PRODUCER_EPOCH (47) is what Kafka answers kafkajs' request versions; PRODUCER_FENCED
    // (90) newer ones, which kafkajs 2.2 has no name for ("Unknown error code 90").
    if (e.type === 'INVALID_PRODUCER_EPOCH' || e.type === 'PRODUCER_FENCED' || e.code === 47 || e.code === 90) return true;
    if (e.type === 'KAFKAJS_UNKNOWN_ERROR_CODE' && typeof e.message === 'string' && /\bcode 90$/.test(e.message)) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

export class InventoryTopicWriter {
  /** The producer of the current leadership term (undefined: none yet, or given up). */
  private producer: Producer | undefined;
  private producerTerm = -1;
  private scheduled: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private again = false;
  private readonly stopper = new AbortController();
  private readonly backoff = new Backoff({ initialMs: 200, maxMs: 10_000 });
  private loading: Promise<void> | undefined;
  /** Incremented on every leadership change, so a load or producer of an old term is discarded. */
  private term = 0;
  /** The term whose producer was fenced: nothing more is published in it (a new term starts over). */
  private fencedTerm = -1;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly state: ClusterInventoryState,
    private readonly mayPublish: () => boolean,
    private readonly writer: string,
    private readonly log: Logger,
    private readonly hooks: TopicWriterHooks,
    private readonly options: TopicWriterOptions,
  ) {}

  private get maxBatch(): number {
    return this.options.maxBatch ?? 2000;
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

  /** This replica leads now: fence the previous writer, read the topic as it is, then publish every difference. */
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
    // A transaction under way finishes (or is fenced) in flush(), which then lets its producer go.
    if (this.flushing === undefined) this.releaseProducer();
  }

  private releaseProducer(): void {
    const producer = this.producer;
    this.producer = undefined;
    this.producerTerm = -1;
    void producer?.disconnect().catch(() => undefined);
  }

  /**
   * A producer under the transactional id, initialised: from here on every producer that used
   * the id before is fenced and its open transaction aborted (the coordinator finishes that
   * before answering, so a read that follows sees the topic without it).
   */
  private async initialisedProducer(): Promise<Producer> {
    const producer = this.kafka.producer({
      transactionalId: this.options.transactionalId, idempotent: true, maxInFlightRequests: 1,
      transactionTimeout: this.options.transactionTimeoutMs ?? 30_000,
    });
    await producer.connect();
    try {
      // kafkajs initialises the transactional producer id on the first transaction, not on connect.
      const first = await producer.transaction();
      await first.abort();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw err;
    }
    return producer;
  }

  private async loadTopic(term: number): Promise<void> {
    while (!this.stopper.signal.aborted && term === this.term && this.mayPublish()) {
      try {
        if (this.producerTerm !== term) {
          // A flush of the previous term still under way lets its own producer go when it ends.
          if (this.flushing === undefined) this.releaseProducer();
          const producer = await this.initialisedProducer();
          if (term !== this.term) {
            await producer.disconnect().catch(() => undefined);
            return;
          }
          this.producer = producer;
          this.producerTerm = term;
        }
        const snapshot = await readInventorySnapshot(this.kafka, this.topic);
        if (term !== this.term || !this.mayPublish()) return;
        this.state.loadPublished(snapshot);
        this.backoff.reset();
        this.log.info({ topic: this.topic, records: snapshot.size, pending: this.state.pendingCount }, 'inventory topic read: publishing the differences');
        this.notify();
        return;
      } catch (err) {
        this.log.error({ topic: this.topic, err: (err as Error).message }, 'cannot take over the inventory topic (fence the previous writer, read the topic); retrying');
        await sleep(this.backoff.next(), this.stopper.signal);
      }
    }
  }

  private async flush(): Promise<void> {
    const term = this.term;
    const used = new Set<Producer>();
    try {
      while (!this.stopper.signal.aborted && term === this.term && term !== this.fencedTerm && this.mayPublish() && this.state.loaded) {
        const first = this.state.takeBatch(this.maxBatch, Date.now(), this.writer, { maxBytes: this.options.maxBatchBytes ?? 900_000 });
        if (first.length === 0) return;
        try {
          if (this.producer === undefined || this.producerTerm !== term) {
            // A failed transaction gave its producer up: a new one (fencing only our own old one).
            const producer = await this.initialisedProducer();
            if (term !== this.term) {
              await producer.disconnect().catch(() => undefined);
              return;
            }
            this.producer = producer;
            this.producerTerm = term;
          }
          used.add(this.producer);
          const sent = await this.transaction(this.producer, first);
          this.backoff.reset();
          const ackedAt = Date.now();
          for (const batch of sent) {
            this.state.acknowledge(batch);
            this.hooks.published?.(batch, ackedAt);
          }
        } catch (err) {
          if (isFencingError(err)) {
            this.fenced(term, err as Error);
            return;
          }
          if (CONCURRENT_TRANSACTIONS.test((err as Error).message ?? '')) {
            // The broker was still completing the previous transaction: routine, retried at once.
            this.log.debug({ topic: this.topic, messages: first.length }, 'the previous transaction was still completing; retrying');
            this.releaseProducer();
            await sleep(100, this.stopper.signal);
            continue;
          }
          this.hooks.sendFailed?.(err);
          this.log.error({ topic: this.topic, messages: first.length, err: (err as Error).message }, 'publishing inventory changes failed; retrying');
          // Its transaction may be half-open; a new producer's initialisation aborts it.
          this.releaseProducer();
          await sleep(this.backoff.next(), this.stopper.signal);
        }
      }
    } finally {
      // Producers this flush used that are no longer the current term's (leadership ended or changed meanwhile).
      if (term !== this.term && this.producerTerm === term) this.releaseProducer();
      for (const p of used) if (p !== this.producer) void p.disconnect().catch(() => undefined);
    }
  }

  /**
   * One transaction: `first`, then more batches while changes are pending (up to the
   * transaction's size), committed together. Returns the batches the commit made visible.
   */
  private async transaction(producer: Producer, first: PendingMessage[]): Promise<PendingMessage[][]> {
    const txn: Transaction = await producer.transaction();
    const sent: PendingMessage[][] = [];
    const inTransaction = new Set<string>();
    const limit = this.options.maxTransactionMessages ?? 20_000;
    let batch = first;
    let total = 0;
    try {
      for (;;) {
        await txn.send({
          topic: this.topic, acks: -1, compression: CompressionTypes.GZIP,
          messages: batch.map((m) => ({ key: m.key, value: m.value, timestamp: String(m.observedAt) })),
        });
        sent.push(batch);
        total += batch.length;
        for (const m of batch) inTransaction.add(m.key);
        // Leadership ended meanwhile: end here. (Committing would be harmless — a successor's
        // initialisation fences this producer — but there is no point in sending more.)
        if (total >= limit || !this.mayPublish() || this.stopper.signal.aborted) break;
        batch = this.state.takeBatch(Math.min(this.maxBatch, limit - total), Date.now(), this.writer, { exclude: inTransaction, maxBytes: this.options.maxBatchBytes ?? 900_000 });
        if (batch.length === 0) break;
      }
      await txn.commit();
      return sent;
    } catch (err) {
      if (txn.isActive()) await txn.abort().catch(() => undefined);
      throw err;
    }
  }

  private fenced(term: number, err: Error): void {
    const current = term === this.term;
    this.fencedTerm = term;
    if (this.producerTerm === term) this.releaseProducer();
    this.log.error({ topic: this.topic, transactionalId: this.options.transactionalId, err: err.message },
      current
        ? 'fenced: another producer with this transactional id took over the inventory topic; this replica stopped publishing'
        : 'fenced: a transaction left from an earlier leadership term was rejected; nothing of it is visible (the new leader took over)');
    this.hooks.fenced?.(current, err);
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
