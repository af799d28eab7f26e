/**
 * When the enricher rolls blocks up: it tells the scheduler the @timestamp of every flow
 * document it settled (`touched`); a touched block is rolled up once it is closed (its end plus
 * `graceMs`, for late records and the index refresh) and no write has touched it for `settleMs`,
 * and again whenever a later write touches it. A failed rollup is retried at the next tick; the
 * stats view stays exact meanwhile (it reads the flows of blocks whose summary is missing or
 * stale).
 */
import type { Logger } from '../../runtime/logger.ts';
import { blockStartOf, SUMMARY_BLOCK_MS, SUMMARY_ROLLUP_GRACE_MS } from '../../contract/flow-summary.ts';
import type { RollupResult } from './summary-rollup.ts';

/** Options of the scheduler. */
export interface SummarySchedulerOptions {
  /** Rolls up the given blocks (SummaryRollup.rollUp). */
  readonly rollUp: (blockStarts: readonly number[]) => Promise<RollupResult>;
  /** After a block's end, how long to wait before its first rollup. Default 60 s. */
  readonly graceMs?: number;
  /** Quiet time after the last write into a block before it is rolled up. Default 10 s (twice the flow index refresh). */
  readonly settleMs?: number;
  /** How often due blocks are looked for. Default 5 s. */
  readonly tickMs?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/** Decides which touched blocks are due; runs their rollups one pass at a time. */
export class SummaryScheduler {
  private readonly options: SummarySchedulerOptions;
  private readonly graceMs: number;
  private readonly settleMs: number;
  private readonly now: () => number;
  /** Block start → the time it is due. */
  private readonly dirty = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;
  private stopped = false;

  constructor(options: SummarySchedulerOptions) {
    this.options = options;
    this.graceMs = options.graceMs ?? SUMMARY_ROLLUP_GRACE_MS;
    this.settleMs = options.settleMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Notes writes of flow documents with these @timestamps (epoch ms); starts the ticks on first use. */
  touched(timestamps: Iterable<number>): void {
    if (this.stopped) return; // a late caller must not restart the ticks of a stopped enricher
    const now = this.now();
    for (const ts of timestamps) {
      if (!Number.isFinite(ts)) continue;
      const block = blockStartOf(ts);
      this.dirty.set(block, Math.max(block + SUMMARY_BLOCK_MS + this.graceMs, now + this.settleMs));
    }
    this.startTicks();
  }

  /**
   * Queues closed blocks found needing a rollup without a write (summary-audit.ts): due now,
   * unless a write already made one due (that one's quiet time still counts).
   */
  queue(blockStarts: Iterable<number>): void {
    if (this.stopped) return;
    const now = this.now();
    for (const start of blockStarts) {
      const block = blockStartOf(start);
      if (!this.dirty.has(block)) this.dirty.set(block, now);
    }
    this.startTicks();
  }

  private startTicks(): void {
    if (this.timer === undefined && this.dirty.size > 0) {
      this.timer = setInterval(() => { void this.tick(); }, this.options.tickMs ?? 5_000);
      this.timer.unref(); // the rollup alone must not keep the process alive
    }
  }

  /** The blocks due at `nowMs`, oldest first. */
  due(nowMs: number = this.now()): number[] {
    return [...this.dirty].filter(([, at]) => at <= nowMs).map(([block]) => block).sort((a, b) => a - b);
  }

  /** Blocks waiting for a rollup. */
  pending(): number {
    return this.dirty.size;
  }

  /** Rolls up what is due now (unless a run is in progress); resolves when that run ends. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    const blocks = this.due();
    if (blocks.length === 0) return Promise.resolve();
    const dueAt = new Map(blocks.map((b) => [b, this.dirty.get(b)]));
    this.running = this.options.rollUp(blocks)
      .then((result) => {
        // A block touched again while it was read stays due (its entry moved on).
        for (const [b, at] of dueAt) if (this.dirty.get(b) === at) this.dirty.delete(b);
        if (this.failing) this.options.logger?.info({ blocks: result.blocks }, 'flow summaries written again');
        this.failing = false;
      })
      .catch((err: unknown) => {
        // Logged once per failure spell; retried at the next tick.
        if (!this.failing) this.options.logger?.warn({ err, blocks: blocks.length }, 'flow summary rollup failed; retrying (stats stay exact, only slower)');
        this.failing = true;
      })
      .finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Stops the ticks and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
