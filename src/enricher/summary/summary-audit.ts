/**
 * Finds closed blocks whose summary is missing or stale, and hands them to the scheduler.
 *
 * The scheduler only knows the blocks this process wrote into. A block stays unsummarised (or
 * stale) when the enricher that wrote into it stopped before its rollup was due, or when its
 * partitions moved to another member meanwhile; the stats view stays exact for such a block
 * (it reads its flows) but pays the raw aggregation for it on every request. The audit compares
 * the blocks' stored fingerprints with the flows' live ones over a recent window and queues
 * every block where they differ. One member of the group audits — the one holding the raw
 * topic's partition 0 — so the cost does not grow with the number of enrichers.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { flowIndexPattern } from '../../contract/flow-index-names.ts';
import { buildLiveFingerprintRequest, buildStoredFingerprintsRequest, currentBlocks, liveFingerprints, storedFingerprintsOf } from '../../contract/flow-summary-fingerprints.ts';
import { SUMMARY_BLOCK_MS, SUMMARY_ROLLUP_GRACE_MS, summaryIndexPattern, type BlockFingerprint } from '../../contract/flow-summary.ts';
import type { Logger } from '../../runtime/logger.ts';

/** Options of the audit. */
export interface SummaryAuditOptions {
  readonly client: Client;
  /** Flow index prefix. */
  readonly prefix: string;
  /** Queues blocks for a rollup (the scheduler's `queue`). */
  readonly enqueue: (blockStarts: readonly number[]) => void;
  /** Whether this process audits now (holds partition 0 of the raw topic). */
  readonly isAuditor: () => boolean;
  /** How far back blocks are audited. Default 3 h. */
  readonly lookbackMs?: number;
  /** Time between audits. Default 10 min. */
  readonly intervalMs?: number;
  /** Delay of the first audit after start (the backlog of a restart settles first). Default 60 s. */
  readonly firstDelayMs?: number;
  /** Blocks younger than their end plus this are left to the scheduler. Default twice its grace (120 s). */
  readonly graceMs?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/** What one audit found. */
export interface AuditResult {
  /** Closed blocks looked at. */
  readonly blocks: number;
  /** Those without a summary though they hold flows. */
  readonly missing: number[];
  /** Those whose summary no longer matches their flows. */
  readonly stale: number[];
}

/** The closed blocks of [now − lookback, now − grace), oldest first. */
export function auditedBlocks(nowMs: number, lookbackMs: number, graceMs: number): number[] {
  const first = Math.ceil((nowMs - lookbackMs) / SUMMARY_BLOCK_MS) * SUMMARY_BLOCK_MS;
  const out: number[] = [];
  for (let b = first; b + SUMMARY_BLOCK_MS + graceMs <= nowMs; b += SUMMARY_BLOCK_MS) out.push(b);
  return out;
}

/** Splits blocks by their fingerprints: no summary though flows exist, or a summary that differs from the flows. */
export function blocksToRollUp(blocks: readonly number[], stored: ReadonlyMap<number, BlockFingerprint>, live: ReadonlyMap<number, BlockFingerprint>): { missing: number[]; stale: number[] } {
  const current = new Set(currentBlocks(blocks, stored, live));
  return {
    missing: blocks.filter((b) => !stored.has(b) && live.has(b)),
    stale: blocks.filter((b) => stored.has(b) && !current.has(b)),
  };
}

/** Audits recent blocks on a timer while this process is the auditor. */
export class SummaryAudit {
  private readonly options: SummaryAuditOptions;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private failing = false;

  constructor(options: SummaryAuditOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** One audit: queues what it finds and says what that was. */
  async audit(): Promise<AuditResult> {
    const { client, prefix } = this.options;
    const blocks = auditedBlocks(this.now(), this.options.lookbackMs ?? 3 * 3_600_000, this.options.graceMs ?? 2 * SUMMARY_ROLLUP_GRACE_MS);
    if (blocks.length === 0) return { blocks: 0, missing: [], stale: [] };
    const [stored, live] = await Promise.all([
      client.search({ index: summaryIndexPattern(prefix), ignore_unavailable: true, allow_no_indices: true, ...buildStoredFingerprintsRequest(blocks) }),
      client.search({ index: flowIndexPattern(prefix), ignore_unavailable: true, allow_no_indices: true, ...buildLiveFingerprintRequest(blocks) }),
    ]);
    for (const answer of [stored, live] as estypes.SearchResponse[]) {
      // A partial answer would make whole blocks look missing: audit again next time instead.
      if (answer.timed_out || Number(answer._shards?.failed ?? 0) > 0) throw new Error('Elasticsearch answered the audit in part only (timed out or failed shards)');
    }
    const { missing, stale } = blocksToRollUp(blocks, storedFingerprintsOf(stored), liveFingerprints(live));
    if (missing.length + stale.length > 0) this.options.enqueue([...missing, ...stale]);
    return { blocks: blocks.length, missing, stale };
  }

  /** Audits after the first delay, then every interval, while this process is the auditor. */
  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      if (this.running || !this.options.isAuditor()) return;
      this.running = this.audit()
        .then((r) => {
          if (r.missing.length + r.stale.length > 0) {
            this.options.logger?.info({ blocks: r.blocks, missing: r.missing.length, stale: r.stale.length, oldest: new Date(Math.min(...r.missing, ...r.stale)).toISOString() },
              'summary audit: queued blocks whose summary is missing or stale');
          }
          if (this.failing) this.options.logger?.info('summary audit answered again');
          this.failing = false;
        })
        .catch((err: unknown) => {
          if (!this.failing) this.options.logger?.warn({ err: (err as Error).message }, 'summary audit failed; trying again at the next interval (stats stay exact, only slower)');
          this.failing = true;
        })
        .finally(() => { this.running = undefined; });
    };
    const first = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, this.options.intervalMs ?? 600_000);
      this.timer.unref();
    }, this.options.firstDelayMs ?? 60_000);
    first.unref();
    this.timer = first;
  }

  /** Stops the timer and waits for an audit under way. */
  async stop(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      clearInterval(this.timer);
    }
    this.timer = undefined;
    await this.running;
  }
}
