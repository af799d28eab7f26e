/**
 * Retention of the daily flow indices. The local Elasticsearch distribution has no ILM, so
 * segflow deletes expired days itself. It lists the indices matching `<prefix>-*`, keeps only
 * names that parse exactly as `<prefix>-YYYY.MM.DD`, and deletes expired ones by their full
 * names: never a wildcard delete, so an index that merely shares the prefix (a downsampled
 * index, someone else's data) can never be caught.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../../runtime/logger.ts';
import { DEFAULT_FLOW_INDEX_PREFIX, flowIndexPattern, parseDailyFlowIndexName } from '../../contract/flow-index-names.ts';
import { summaryIndexPattern, summaryIndexPrefix } from '../../contract/flow-summary.ts';

const DAY_MS = 86_400_000;
// Keeps the DELETE request line well under HTTP line limits when many days expire at once.
const DELETE_CHUNK = 50;

/**
 * The daily flow indices among `names` whose whole day lies more than `retentionDays` days
 * before `nowMs`. With 7 days at 2026-01-10T12:00Z, 2026.01.03 (ends 01-04T00:00, 6.5 days ago)
 * is kept and 2026.01.02 is expired: a document is kept for at least `retentionDays` days.
 */
export function selectExpiredFlowIndices(names: readonly string[], options: { prefix?: string; retentionDays: number; nowMs: number }): string[] {
  const prefix = options.prefix ?? DEFAULT_FLOW_INDEX_PREFIX;
  const cutoff = options.nowMs - options.retentionDays * DAY_MS;
  return names
    .flatMap((name) => {
      const parsed = parseDailyFlowIndexName(name, prefix);
      return parsed !== undefined && parsed.dayEndMs <= cutoff ? [parsed.name] : [];
    })
    .sort();
}

/** Configuration of the retention job. */
export interface FlowIndexRetentionOptions {
  client: Client;
  /** Index prefix whose daily indices this job owns. Default `segflow-flows`. */
  prefix?: string;
  /** Days a document is kept at least (a day's index goes once its whole day is older). Integer ≥ 1. */
  retentionDays: number;
  /** Time between runs, in ms. Default one hour: indices are daily, finer checking buys nothing. */
  intervalMs?: number;
  logger?: Logger;
  /** Clock in ms (tests pass a fixed one). */
  now?: () => number;
}

/** What one run did. */
export interface RetentionRunResult {
  readonly deleted: string[];
  /** Daily flow indices that are still within retention. */
  readonly kept: string[];
}

/** Deletes expired daily flow indices, once (`runOnce`) or periodically (`start`/`stop`). */
export class FlowIndexRetention {
  private readonly client: Client;
  private readonly prefix: string;
  private readonly retentionDays: number;
  private readonly intervalMs: number;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(options: FlowIndexRetentionOptions) {
    if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) throw new Error(`retentionDays must be an integer >= 1, got ${options.retentionDays}`);
    this.client = options.client;
    this.prefix = options.prefix ?? DEFAULT_FLOW_INDEX_PREFIX;
    flowIndexPattern(this.prefix); // validates the prefix
    this.retentionDays = options.retentionDays;
    this.intervalMs = options.intervalMs ?? 3_600_000;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /** Lists the daily flow indices and deletes the expired ones by name. */
  async runOnce(): Promise<RetentionRunResult> {
    const names = await this.indexNames(flowIndexPattern(this.prefix));
    const daily = names.filter((name) => parseDailyFlowIndexName(name, this.prefix) !== undefined).sort();
    const expired = selectExpiredFlowIndices(daily, { prefix: this.prefix, retentionDays: this.retentionDays, nowMs: this.now() });
    for (let i = 0; i < expired.length; i += DELETE_CHUNK) {
      const chunk = expired.slice(i, i + DELETE_CHUNK);
      // ignore_unavailable: another enricher replica may have deleted some of them already.
      await this.client.indices.delete({ index: chunk, ignore_unavailable: true });
      for (const index of chunk) this.logger?.info({ index, retentionDays: this.retentionDays }, 'deleted expired flow index');
    }
    // A day's stats summaries go with its flows (contract/flow-summary.ts), by exact names as well.
    const summaryPrefix = summaryIndexPrefix(this.prefix);
    const summaries = await this.indexNames(summaryIndexPattern(this.prefix));
    const expiredSummaries = selectExpiredFlowIndices(summaries, { prefix: summaryPrefix, retentionDays: this.retentionDays, nowMs: this.now() });
    for (let i = 0; i < expiredSummaries.length; i += DELETE_CHUNK) {
      const chunk = expiredSummaries.slice(i, i + DELETE_CHUNK);
      await this.client.indices.delete({ index: chunk, ignore_unavailable: true });
      for (const index of chunk) this.logger?.info({ index, retentionDays: this.retentionDays }, 'deleted expired summary index');
    }
    const expiredSet = new Set(expired);
    return { deleted: expired, kept: daily.filter((name) => !expiredSet.has(name)) };
  }

  /**
   * Names of the open and closed indices matching `pattern`. Through the get-index API, which
   * needs only `view_index_metadata` on them: `_cat/indices` would also need the cluster
   * privilege to read the whole cluster state (contract/elasticsearch-roles.ts).
   */
  private async indexNames(pattern: string): Promise<string[]> {
    const found = await this.client.indices.get({ index: pattern, expand_wildcards: ['open', 'closed'], allow_no_indices: true, ignore_unavailable: true, filter_path: '*.settings.index.provided_name' });
    return Object.keys(found);
  }

  /** Runs now and then every `intervalMs`; failures are logged and retried at the next run. */
  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      if (this.running) return; // a slow run is never overlapped by the next one
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger?.error({ err: error }, 'flow index retention run failed'))
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref(); // retention alone must not keep the process alive
    tick();
  }

  /** Stops the periodic runs and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
