/**
 * The enricher's batch half: its member of the consumer group on the raw topic. Fetched FlowBatch
 * batches are enriched and written by the batch processor (flow-batch-processor.ts), dead letters
 * sent, and offsets committed once all of a batch has settled; `onBatchSettled` is told of each
 * batch committed (metrics, and whatever else follows a settled batch).
 *
 * Delivery: at-least-once in, exactly-once out. Offsets are committed only after every document
 * of a fetched batch is settled in Elasticsearch and every dead letter is acknowledged by Kafka;
 * document ids are deterministic and stored documents remember which agent batches they contain,
 * so a replay overwrites nothing twice and duplicates nothing. Memory is bounded: per partition,
 * one batch being written and the next one being enriched (each at most `maxBytesPerPartition`
 * fetched); a third is not fetched before the first has settled.
 *
 * Outages: Elasticsearch down pauses the raw topic and probes it (elasticsearch-outage.ts);
 * Kafka down is said once (consumer-kafka-outage.ts) while kafkajs retries. A commit retries
 * on its own while the coordinator does not answer, and when the coordinator has moved to
 * another broker the kafkajs consumer is replaced by a new one (kafkajs never looks for a new
 * coordinator), the old one disconnected first; consumer-succession.ts keeps it to one member.
 */
import { errors as elasticsearchErrors, type Client } from '@elastic/elasticsearch';
import type { Consumer, EachBatchPayload, Kafka, Producer, RetryOptions } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { parsePreviousBootHeader } from '../contract/wire/previous-boot-header.ts';
import type { Logger } from '../runtime/logger.ts';
import type { ConsumerKafkaOutage } from './consumer-kafka-outage.ts';
import { consumerReportAction, type ConsumerReport } from './consumer-succession.ts';
import { ElasticsearchOutage } from './elasticsearch-outage.ts';
import { FlowBulkIncompleteError } from './elasticsearch/flow-bulk-writer.ts';
import type { EnricherConfig } from './enricher-config.ts';
import type { FlowBatchProcessor, ProcessResult } from './flow-batch-processor.ts';
import { commitFailureAction, saysCoordinatorMoved } from './kafka-group-errors.ts';
import type { SequenceTracker } from './sequence-tracker.ts';

/**
 * Group membership: a member that stops heartbeating (killed, frozen) loses its partitions
 * after this long. Shorter moves a killed enricher's partitions sooner; too short and a busy
 * machine's pauses (GC, a slow event loop) would cost the partitions of a live one. 6 s with a
 * heartbeat every second (five missed heartbeats), the floor brokers allow by default
 * (group.min.session.timeout.ms).
 */
export const ENRICHER_SESSION_TIMEOUT_MS = 6000;
const HEARTBEAT_INTERVAL_MS = 1000;
/**
 * How long a rebalance waits for the group's members to join again. After a broker restart
 * kafkajs (with a single broker) drops the consumer and starts it again as a new member, and the
 * restarted coordinator still lists the old one: the rebalance waits for it until this timeout
 * (or its session timeout) — 60 s by default, 3 s here, so the enricher fetches again within
 * ~5 s of Kafka answering. The cost: a live member that cannot rejoin within 3 s (eachBatch
 * busy that long) is dropped from that generation and joins the next one.
 */
export const ENRICHER_REBALANCE_TIMEOUT_MS = 3000;
/**
 * Retries of the consumer's fetch loop while Kafka does not answer: each failure it retries
 * keeps the member (no rejoin), for up to ~1 min.
 */
const CONSUMER_RETRY: RetryOptions = { initialRetryTime: 300, maxRetryTime: 2000, retries: 30 };
/** Waits between tries of one commit while the coordinator does not answer: a broker back is committed to within a second. */
const COMMIT_RETRY_MS = { initial: 200, max: 1000 };
/** Wait between attempts to start a replacement consumer while Kafka does not answer. */
const REPLACE_RETRY_MS = 500;

/** A batch whose documents settled and whose offsets Kafka took. */
export interface SettledBatch {
  readonly partition: number;
  readonly result: ProcessResult;
  /** Messages behind the partition's end after this batch (kafkajs' `offsetLag`). */
  readonly offsetLag: string;
}

export interface FlowBatchConsumerOptions {
  readonly kafka: Kafka;
  readonly config: EnricherConfig;
  readonly processor: FlowBatchProcessor;
  readonly sequences: SequenceTracker;
  readonly deadLetterProducer: Producer;
  /** Probed while an Elasticsearch outage keeps the raw topic paused. */
  readonly elasticsearch: Client;
  readonly kafkaOutage: ConsumerKafkaOutage;
  readonly log: Logger;
  /** A batch settled and was committed: the seam for what follows a batch (metrics, rollups). */
  onBatchSettled(settled: SettledBatch): void;
  /** The member joined the group (every join); `at` is `performance.now()`. */
  onJoined(at: number): void;
  /** The consumer was replaced to rejoin the group through a moved coordinator. */
  onRejoin(): void;
  /**
   * A Kafka failure of a batch (dead letters, commit): true when retrying cannot fix it (the
   * caller stops the role and this consumer stops taking batches).
   */
  isFatal(error: unknown): boolean;
}

/** One kafkajs consumer object and whether it has been replaced. */
interface Member {
  readonly consumer: Consumer;
  retired: boolean;
}

/** A commit given up for a reason the group explains (a rebalance, the member replaced): routine, no backoff. */
class CommitNotDone extends Error {
  override readonly name = 'CommitNotDone';
}

export class FlowBatchConsumer {
  private current: Member | undefined;
  /** Partitions of the raw topic this member holds (from its last group join). */
  private assignedPartitions = new Set<number>();
  /** Per partition: the settle (write + commit) of its last batch handed to the writer. */
  private readonly settling = new Map<number, Promise<void>>();
  /** Set while the consumer is being replaced. */
  private replacing: Promise<void> | undefined;
  /** Batches that failed in a row for reasons other than Elasticsearch: sets the backoff and keeps a persistent failure to one log line. */
  private consecutiveFailures = 0;
  private lastFailureLogged: string | undefined;
  /** Elasticsearch down: the raw topic is paused and probed on a backoff (see elasticsearch-outage.ts). */
  private readonly outage = new ElasticsearchOutage();
  private paused = false;
  private stopping = false;
  private readonly stopped = new AbortController();
  private readonly stoppedSignal = new Promise<void>((resolve) => this.stopped.signal.addEventListener('abort', () => resolve(), { once: true }));

  constructor(private readonly options: FlowBatchConsumerOptions) {}

  /** Partitions of the raw topic this member holds. */
  get assigned(): ReadonlySet<number> {
    return this.assignedPartitions;
  }

  /** When the current Elasticsearch outage began (ms since the epoch), if there is one. */
  get elasticsearchUnavailableSince(): number | undefined {
    return this.outage.since;
  }

  /** Batches handed to the writer and not settled yet. */
  get inFlightBatches(): number {
    return this.settling.size;
  }

  /** Joins the group and consumes; a Kafka failure (connect, subscribe) rejects. */
  async start(): Promise<void> {
    await this.startMember();
  }

  /** No further batches are taken or retried (stopping, or a fatal failure). */
  halt(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopped.abort();
    this.options.kafkaOutage.halt();
  }

  /** Waits up to `withinMs` for the batches being written to settle and commit; true when all did. */
  async settle(withinMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      Promise.allSettled([...this.settling.values()]).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), withinMs))),
    ]);
    clearTimeout(timer);
    return settled;
  }

  /** Halts and leaves the group (its partitions move at once, no session timeout). */
  async disconnect(): Promise<void> {
    this.halt();
    await this.replacing;
    const member = this.current;
    if (!member) return;
    member.retired = true;
    await member.consumer.disconnect();
  }

  private async startMember(): Promise<void> {
    const { kafka, config } = this.options;
    const consumer = kafka.consumer({
      groupId: config.groupId, maxBytesPerPartition: config.maxFetchBytesPerPartition,
      sessionTimeout: ENRICHER_SESSION_TIMEOUT_MS, heartbeatInterval: HEARTBEAT_INTERVAL_MS, rebalanceTimeout: ENRICHER_REBALANCE_TIMEOUT_MS,
      // Stopping waits for the fetch under way: a short long-poll keeps `stop()` short.
      maxWaitTimeInMs: 1000, retry: CONSUMER_RETRY,
    });
    const member: Member = { consumer, retired: false };
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (!this.actOn(member, { kind: 'joined' })) return;
      // Partitions may have moved: documents remembered as written may have changed since, and
      // whatever was fetched but not committed comes again.
      this.options.processor.forgetWrittenDocuments();
      this.options.sequences.rewindAll();
      this.assignedPartitions = new Set(payload.memberAssignment[config.rawTopic] ?? []);
      this.options.kafkaOutage.answers();
      this.options.onJoined(performance.now());
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.actOn(member, { kind: 'crash', restart: payload.restart });
    });
    // What a commit confirms, only once Kafka took it (whichever member made it).
    consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
      for (const t of payload.topics) {
        if (t.topic !== config.rawTopic) continue;
        for (const p of t.partitions) this.options.sequences.committed(p.partition, (BigInt(p.offset) - 1n).toString());
      }
      this.options.kafkaOutage.answers();
    });
    this.current = member;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: config.rawTopic, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: config.partitionsConcurrently, eachBatch: (payload) => this.handleBatch(payload, member) });
    } catch (error) {
      member.retired = true;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    if (this.paused) this.pauseRaw(member);
  }

  /** Acts on what kafkajs reported about `member`; true when it is the enricher's member and joined. */
  private actOn(member: Member, report: ConsumerReport): boolean {
    const action = consumerReportAction(report, member);
    if (action === 'stop') {
      // After kafkajs' own handling of the event (it schedules the restart right after CRASH).
      this.options.log.debug({ report: report.kind }, 'a replaced Kafka consumer came back; stopping it');
      setImmediate(() => void member.consumer.disconnect().catch(() => undefined));
    }
    return action === 'adopt';
  }

  /**
   * The coordinator moved to another broker and kafkajs keeps the old one: a new consumer (a
   * new member) joins through the coordinator the remaining brokers name. The old consumer is
   * retired and disconnected first, so one member runs; the uncommitted batches come again,
   * skipped where stored. Started off the batch's own promise: disconnecting waits for
   * eachBatch, which waits for that promise.
   */
  private replace(member: Member, error: unknown): void {
    if (member.retired || this.replacing !== undefined || this.stopping || member !== this.current) return;
    member.retired = true;
    // Info, not warn: the Kafka outage (if any) already has its one line.
    this.options.log.info({ error: error instanceof Error ? error.message : String(error) }, 'Kafka: the consumer group\'s coordinator moved; rejoining the group with a new consumer');
    this.options.onRejoin();
    this.replacing = (async () => {
      await member.consumer.disconnect().catch(() => undefined);
      while (!this.stopping) {
        try {
          await this.startMember();
          return;
        } catch (startError) {
          this.options.log.debug({ error: startError instanceof Error ? startError.message : String(startError) }, 'replacement consumer not started; trying again');
          await sleepFor(REPLACE_RETRY_MS, undefined, { signal: this.stopped.signal }).catch(() => undefined);
        }
      }
    })().finally(() => {
      this.replacing = undefined;
    });
  }

  /**
   * One fetched batch, pipelined: it is enriched while the partition's previous batch is still
   * being written, then written once that one has settled and committed. Offsets are committed
   * in order and only after every document of the batch is settled; the next batch is fetched
   * as soon as this one is handed to the writer (resolveOffset), so Elasticsearch and the
   * enricher's CPU work at the same time. At most two batches per partition are in memory.
   */
  private async handleBatch(payload: EachBatchPayload, member: Member): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    if (this.stopping || member.retired || !isRunning() || isStale() || batch.messages.length === 0) return;
    const { processor, sequences } = this.options;
    const fetchedAt = performance.now();
    const first = batch.messages[0]!.offset;
    const last = batch.messages[batch.messages.length - 1]!.offset;
    if (this.paused) {
      // Fetched before the partitions were paused for an Elasticsearch outage (or by a consumer
      // kafkajs restarted since): not enriched now; it is fetched again when they resume.
      this.pauseRaw(member);
      this.seekBack(member, isRunning, batch.topic, batch.partition, first);
      return;
    }
    for (const m of batch.messages) {
      const note = parsePreviousBootHeader(m.headers);
      if (note) sequences.notePredecessor(note);
    }
    const prepared = sequences.observing(batch.partition, last, () =>
      processor.prepare(batch.messages.map((m) => ({ partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers }))));
    const previous = this.settling.get(batch.partition);
    if (previous) {
      try {
        // Stopping does not wait for a write that may be stuck in an outage.
        await Promise.race([previous, this.stoppedSignal]);
      } catch {
        // The previous batch failed and the partition was sought back to it: this batch comes again.
        return;
      }
    }
    if (this.stopping || member.retired || !isRunning() || isStale()) return;
    const settle: Promise<void> = (async (): Promise<void> => {
      // Heartbeats keep the group membership while a slow Elasticsearch holds the batch.
      const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
      try {
        let result: ProcessResult;
        try {
          result = await processor.settle(prepared);
        } catch (error) {
          if (isElasticsearchFailure(error)) this.elasticsearchFailed(error);
          throw error;
        }
        if (result.deadLetters.length > 0) {
          await this.options.deadLetterProducer.send({ topic: this.options.config.deadLetterTopic, acks: -1, compression: CompressionTypes.GZIP, messages: result.deadLetters });
        }
        await this.commit(member, payload, last);
        // Profiles a fault from the logs (SEGFLOW_LOG_LEVEL=debug): when each batch got through.
        this.options.log.debug({ partition: batch.partition, from: first, to: last, settleMs: Math.round(performance.now() - fetchedAt) }, 'batch settled and committed');
        this.noteSettled();
        this.options.onBatchSettled({ partition: batch.partition, result, offsetLag: batch.offsetLag() });
      } catch (error) {
        // The dead-letter topic or the group denied, a certificate no longer trusted: stop, do not retry.
        if (this.options.isFatal(error)) {
          this.halt();
          throw error;
        }
        // A commit refused because the group moved on (a rebalance: a member joined or died, the
        // member replaced) is routine: the batch comes again to whoever holds the partition now,
        // skipped where stored.
        if (error instanceof CommitNotDone) {
          this.options.log.debug({ error: error.message, partition: batch.partition }, 'commit not done (the group moved on); the batch is consumed again');
          throw error;
        }
        // Elasticsearch down: the partitions are paused and probed (no wait here). Anything
        // else waits a backoff; heartbeats continue through it, so the partitions stay ours.
        if (!this.outage.active) await this.backOffAfterFailure(error, batch.partition, first, last);
        throw error;
      } finally {
        clearInterval(beat);
      }
    })().catch((error: unknown) => {
      // Nothing of the batch is committed: consume it again from its first offset (documents
      // already written take only the agent batches they do not hold yet). A batch of the
      // partition fetched meanwhile sees this failure and steps aside; the one sought back to
      // must not, so the failure is forgotten here. What the sequence checks saw of them is
      // undone: seeing them again is not a duplicate.
      this.options.log.debug({ error: error instanceof Error ? error.message : String(error), partition: batch.partition, from: first, to: last }, 'batch not settled; consuming it again');
      processor.forgetWrittenDocuments();
      sequences.rewind(batch.partition);
      if (this.settling.get(batch.partition) === settle) this.settling.delete(batch.partition);
      this.seekBack(member, isRunning, batch.topic, batch.partition, first);
      throw error;
    });
    settle.catch(() => undefined); // observed by the partition's next batch and by stop()
    this.settling.set(batch.partition, settle);
    // With auto-resolve off, kafkajs fetches from the last *resolved* offset: without this it
    // would fetch the same batch again and again (harmless for the documents, fatal for speed).
    resolveOffset(last);
  }

  /**
   * Commits the batch through the group member that fetched it, one request at a time (not
   * kafkajs' consumer-wide commit retries, ~1 min against a dead coordinator): while the
   * coordinator does not answer (down, restarting, not yet fenced) the commit is tried again
   * every second at most; once its broker left the cluster or it says it moved, the consumer is
   * replaced (see kafka-group-errors.ts, commitFailureAction). Throws CommitNotDone when the
   * group explains the failure.
   */
  private async commit(member: Member, payload: EachBatchPayload, last: string): Promise<void> {
    const { batch } = payload;
    const offsets = { topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }] }] };
    let movedSince: number | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        await payload.commitOffsetsIfNecessary(offsets);
        return;
      } catch (error) {
        if (this.options.isFatal(error)) throw error;
        if (saysCoordinatorMoved(error)) movedSince ??= Date.now();
        const action = commitFailureAction(error, movedSince === undefined ? 0 : Date.now() - movedSince);
        if (action === 'rejoin') this.replace(member, error);
        if (action === 'failed') throw error;
        const message = error instanceof Error ? error.message : String(error);
        if (action !== 'retry') throw new CommitNotDone(message, { cause: error });
        if (this.stopping || member.retired || !payload.isRunning()) throw new CommitNotDone(`the consumer stopped while the commit was retried: ${message}`, { cause: error });
        await sleepFor(Math.min(COMMIT_RETRY_MS.max, COMMIT_RETRY_MS.initial * 2 ** attempt), undefined, { signal: this.stopped.signal }).catch(() => undefined);
      }
    }
  }

  private seekBack(member: Member, isRunning: () => boolean, topic: string, partition: number, offset: string): void {
    // A replaced consumer's batches come again to its successor from the committed offsets, and
    // those of a consumer kafkajs is restarting to its new run (nothing to seek meanwhile).
    if (this.stopping || member.retired || !isRunning()) return;
    try {
      member.consumer.seek({ topic, partition, offset });
    } catch (seekError) {
      this.options.log.error({ error: seekError instanceof Error ? seekError.message : String(seekError), partition }, 'could not seek back; the batch comes again after the next rebalance or restart');
    }
  }

  private pauseRaw(member: Member): void {
    try {
      member.consumer.pause([{ topic: this.options.config.rawTopic }]);
    } catch {
      // Not running (kafkajs restarting it): handleBatch pauses it once it fetches.
    }
  }

  /**
   * A batch failed because Elasticsearch did not take it: the first failure of an outage logs
   * one line and pauses the raw topic (nothing more is fetched or enriched); a probe on a
   * backoff resumes it once Elasticsearch answers. The outage ends when a batch settles.
   */
  private elasticsearchFailed(error: unknown): void {
    if (this.outage.failed(Date.now())) {
      const since = new Date(this.outage.since!).toISOString();
      this.options.log.warn(
        { error: error instanceof Error ? error.message : String(error), since, retryMaxSeconds: this.outage.maxMs / 1000 },
        `Elasticsearch unavailable since ${since}, retrying every ${this.outage.maxMs / 1000} s at most; nothing committed`,
      );
    }
    if (this.paused || this.stopping) return;
    this.paused = true;
    if (this.current) this.pauseRaw(this.current);
    void this.probeElasticsearch();
  }

  private async probeElasticsearch(): Promise<void> {
    while (!this.stopping) {
      await sleepFor(this.outage.nextProbeDelayMs(), undefined, { signal: this.stopped.signal }).catch(() => undefined);
      if (this.stopping) return;
      try {
        await this.options.elasticsearch.ping(undefined, { requestTimeout: 2000, maxRetries: 0 });
        break;
      } catch {
        // still down
      }
    }
    this.paused = false;
    try {
      this.current?.consumer.resume([{ topic: this.options.config.rawTopic }]);
    } catch {
      // Not running (being replaced or restarted): its successor starts unpaused.
    }
  }

  /**
   * After a batch failed for another reason than Elasticsearch (documents that kept changing, a
   * commit that failed otherwise): log the failure (once while it stays the same) and wait
   * before the batch is consumed again, doubling from 250 ms up to 10 s.
   */
  private async backOffAfterFailure(error: unknown, partition: number, from: string, to: string): Promise<void> {
    this.consecutiveFailures++;
    const message = error instanceof Error ? error.message : String(error);
    // The same failure of different batches differs only in counts and offsets.
    const kind = message.replace(/\b\d+\b/g, 'N');
    if (kind !== this.lastFailureLogged) {
      this.lastFailureLogged = kind;
      this.options.log.error({ error: message, partition, from, to }, 'batch not settled: nothing of it committed; it is consumed again until it settles');
    }
    const delayMs = Math.min(10_000, 250 * 2 ** Math.min(this.consecutiveFailures - 1, 10));
    await sleepFor(delayMs, undefined, { signal: this.stopped.signal }).catch(() => undefined);
  }

  private noteSettled(): void {
    const outage = this.outage.settled(Date.now());
    if (outage) {
      this.options.log.info(
        { since: new Date(outage.sinceMs).toISOString(), outageSeconds: Math.round(outage.durationMs / 100) / 10, probes: outage.probes, retries: outage.retries },
        `Elasticsearch available again after ${Math.round(outage.durationMs / 100) / 10} s; batches settle again`,
      );
    }
    if (this.consecutiveFailures > 0) this.options.log.info({ failedAttempts: this.consecutiveFailures }, 'batches settle again');
    this.consecutiveFailures = 0;
    this.lastFailureLogged = undefined;
  }
}

/** A settle failure that is Elasticsearch's: a write or read it did not take (down, refusing, timing out). */
function isElasticsearchFailure(error: unknown): boolean {
  return error instanceof FlowBulkIncompleteError || error instanceof elasticsearchErrors.ElasticsearchClientError;
}
