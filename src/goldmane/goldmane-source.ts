/**
 * The Goldmane source: keeps a `Flows.Stream` open (history first), hands every new flow to the
 * sink in small batches, and reconnects with backoff when the stream fails or ends, resuming from
 * where it got to (goldmane-resume.ts) without publishing a flow twice (goldmane-replay-filter.ts).
 * A flow is counted as got only once the sink has it, so a failed publish is asked for again.
 */
import type { Logger } from '../runtime/logger.ts';
import type { GoldmaneFlow } from '../contract/goldmane/goldmane-flow.ts';
import type { GoldmaneResult } from './goldmane-client.ts';
import type { GoldmaneFlowSink } from './goldmane-kafka-publisher.ts';
import type { GoldmaneMetrics } from './goldmane-metrics.ts';
import type { PossibleLossSpan } from '../contract/wire/source-report-codec.ts';
import { GoldmaneReplayFilter } from './goldmane-replay-filter.ts';
import { HISTORY_MARGIN_SECONDS, possibleLossSeconds, reconnectDelayMs, resumeStartTime, type ResumeState } from './goldmane-resume.ts';

export interface GoldmaneStreamer {
  stream(startTimeGte: number, signal?: AbortSignal): AsyncIterable<GoldmaneResult>;
}

export interface GoldmaneSourceOptions {
  readonly retentionSeconds: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Most flows per publish (default 500). */
  readonly maxBatch?: number;
  /** How long a partial batch waits for more flows, ms (default 200). */
  readonly lingerMs?: number;
  /**
   * After a reconnect, the stream is opened once more from the same point this long later
   * (default 60 000 ms): a restarted Goldmane gets Felix's re-sent flows only after the source
   * may already have reconnected, and flows landing in buckets already emitted reach a stream
   * only as history. What comes twice is recognised and not published again.
   */
  readonly catchUpAfterMs?: number;
  /** Progress from the previous run (the state file), if any. */
  readonly progress?: ResumeState;
  /** Called with the progress after each publish (the state file writer); failures are logged. */
  readonly saveProgress?: (state: ResumeState) => Promise<void>;
  /** What the source reports (goldmane-source-report.ts): flows published, spans possibly lost, a resumed stream. */
  readonly reports?: {
    flowsPublished(n: number): void;
    possibleLoss(span: PossibleLossSpan): void;
    /** A stream opened again after a failure (the role sends a report at once). */
    resumed(): void;
  };
  readonly now?: () => number;
}

export class GoldmaneSource {
  private readonly abort = new AbortController();
  private readonly replays = new GoldmaneReplayFilter();
  private state: ResumeState;
  private running: Promise<void> | undefined;
  private failures = 0;
  private connectedOnce = false;
  /** The possible-loss span already counted in the metric (a span still growing counts only its growth). */
  private lossCounted: { from: number; to: number } | undefined;
  /** True while a stream is open and has answered (for /readyz). */
  connected = false;

  constructor(
    private readonly streamer: GoldmaneStreamer,
    private readonly sink: GoldmaneFlowSink,
    private readonly metrics: GoldmaneMetrics,
    private readonly log: Logger,
    private readonly options: GoldmaneSourceOptions,
  ) {
    this.state = options.progress ?? { newestStart: undefined, newestEnd: undefined };
  }

  get progress(): ResumeState {
    return this.state;
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private nowS(): number {
    return (this.options.now ?? Date.now)() / 1000;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    // Absolute start (Unix s) of the stream a reconnect opened: re-read once, catchUpAfterMs later.
    let catchUpFrom: number | undefined;
    while (!signal.aborted) {
      let startTimeGte = resumeStartTime(this.state, this.nowS(), this.options.retentionSeconds);
      let reopenAfterMs: number | undefined;
      let reopenFrom: number | undefined;
      if (catchUpFrom !== undefined) {
        startTimeGte = -Math.min(this.options.retentionSeconds - HISTORY_MARGIN_SECONDS, Math.ceil(this.nowS() - catchUpFrom));
        catchUpFrom = undefined;
      } else if (this.failures > 0) {
        reopenAfterMs = this.options.catchUpAfterMs ?? 60_000;
        reopenFrom = Math.floor(this.nowS() + startTimeGte);
      }
      const loss = possibleLossSeconds(this.state, this.nowS(), this.options.retentionSeconds);
      if (loss.seconds > 0 && loss.from !== undefined && loss.to !== undefined) {
        const counted = this.lossCounted;
        const grown = counted && counted.from === loss.from ? Math.max(0, loss.to - counted.to) : loss.seconds;
        this.lossCounted = { from: loss.from, to: Math.max(loss.to, counted?.from === loss.from ? counted.to : 0) };
        this.metrics.possibleLoss.inc(grown);
        this.metrics.lastPossibleLoss.set(loss.to);
        this.options.reports?.possibleLoss({ cause: 'goldmane_retention', fromMs: Math.round(loss.from * 1000), toMs: Math.round(loss.to * 1000), retentionSeconds: this.options.retentionSeconds });
      }
      if (loss.seconds > 0) {
        this.log.warn({ lostFrom: new Date((loss.from ?? 0) * 1000).toISOString(), lostTo: new Date((loss.to ?? 0) * 1000).toISOString(), seconds: loss.seconds },
          `the source was away longer than Goldmane's retention (${this.options.retentionSeconds} s): flows of up to ${loss.seconds} s may be lost`);
      }
      let reason = 'ended';
      try {
        if (await this.consume(startTimeGte, signal, reopenAfterMs)) {
          // The catch-up pass: not a failure, no backoff.
          catchUpFrom = reopenFrom;
          this.metrics.reconnects.inc({ reason: 'catch_up' });
          continue;
        }
      } catch (error) {
        if (signal.aborted) break;
        reason = (error as { publish?: boolean }).publish ? 'publish_failed' : 'error';
        const message = (error as Error).message;
        if (this.failures === 0 || this.failures % 10 === 0) this.log.warn({ error: message, failures: this.failures + 1 }, 'Goldmane stream failed; reconnecting');
      } finally {
        this.connected = false;
        this.metrics.connected.set(0);
      }
      if (signal.aborted) break;
      this.failures++;
      this.metrics.reconnects.inc({ reason });
      const delay = reconnectDelayMs(this.failures, this.options.initialBackoffMs, this.options.maxBackoffMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  }

  /** Reads one stream until it ends or fails; true when it was closed for the catch-up pass. */
  private async consume(startTimeGte: number, signal: AbortSignal, reopenAfterMs?: number): Promise<boolean> {
    const maxBatch = this.options.maxBatch ?? 500;
    const lingerMs = this.options.lingerMs ?? 200;
    let batch: GoldmaneFlow[] = [];
    let firstAt = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const flows = batch;
      batch = [];
      try {
        await this.sink.publish(flows);
      } catch (error) {
        throw Object.assign(new Error(`publishing ${flows.length} Goldmane flows failed: ${(error as Error).message}`, { cause: error }), { publish: true });
      }
      let { newestStart, newestEnd } = this.state;
      for (const f of flows) {
        this.replays.remember(f);
        newestStart = Math.max(newestStart ?? 0, f.startTime);
        newestEnd = Math.max(newestEnd ?? 0, f.endTime);
      }
      this.state = { newestStart, newestEnd };
      this.metrics.published.inc(flows.length);
      this.options.reports?.flowsPublished(flows.length);
      if (this.options.saveProgress) await this.options.saveProgress(this.state).catch((error: Error) => this.log.warn({ error: error.message }, 'could not save the source progress'));
    };
    // A stream is quiet between buckets: a timer flushes what lingers.
    let timer: NodeJS.Timeout | undefined;
    let pending: Promise<void> = Promise.resolve();
    // A failed timer flush ends this stream at once (its flows are asked for again on reconnect).
    const local = new AbortController();
    const stopLocal = (): void => local.abort();
    signal.addEventListener('abort', stopLocal, { once: true });
    let timerFailure: unknown;
    let reopened = false;
    const reopen = reopenAfterMs === undefined ? undefined : setTimeout(() => {
      reopened = true;
      local.abort();
    }, reopenAfterMs);
    const iterator = this.streamer.stream(startTimeGte, local.signal)[Symbol.asyncIterator]();
    try {
      for (;;) {
        let result: IteratorResult<GoldmaneResult>;
        try {
          result = await iterator.next();
        } catch (streamError) {
          // The stream broke: what was read is still good, hand it over before reconnecting
          // (a publish failure then is the one reported).
          clearTimeout(timer);
          await pending;
          if (timerFailure === undefined) await flush();
          throw streamError;
        }
        await pending;
        if (timerFailure !== undefined) throw timerFailure;
        if (result.done) break;
        if (!this.connected) {
          this.connected = true;
          this.metrics.connected.set(1);
          if (this.failures > 0 || this.connectedOnce) {
            this.log.info({ startTimeGte }, 'Goldmane stream resumed');
            if (this.failures > 0) this.options.reports?.resumed();
          }
          else this.log.info({ startTimeGte }, 'Goldmane stream open');
          this.connectedOnce = true;
          this.failures = 0;
        }
        const flow = result.value.flow;
        this.metrics.received.inc();
        this.metrics.newestEnd = Math.max(this.metrics.newestEnd ?? 0, flow.endTime);
        if (this.replays.isReplay(flow)) {
          this.metrics.replays.inc();
          continue;
        }
        if (batch.length === 0) firstAt = Date.now();
        batch.push(flow);
        clearTimeout(timer);
        if (batch.length >= maxBatch || Date.now() - firstAt >= lingerMs) {
          await flush();
        } else {
          timer = setTimeout(() => {
            pending = flush().catch((error: unknown) => {
              timerFailure = error;
              local.abort();
            });
          }, lingerMs);
        }
      }
      clearTimeout(timer);
      await pending;
      if (timerFailure !== undefined) throw timerFailure;
      await flush(); // also on stop: what was read is handed over before the sink closes
      return reopened && !signal.aborted;
    } finally {
      clearTimeout(timer);
      clearTimeout(reopen);
      signal.removeEventListener('abort', stopLocal);
      await iterator.return?.(undefined);
    }
  }
}
