/**
 * The agent's own losses, by cause, for the loss report every batch carries (FlowBatch.loss):
 * what the spool dropped (full, corrupt after a crash, write errors), what a killed predecessor
 * lost in memory (crash ledger), records the wire schema refused, and what the kernel's eBPF
 * ring buffer dropped before the agent could read it (a cumulative counter the source keeps,
 * polled). Each batch takes a report: since the previous batch and since the boot, so a batch
 * lost on the way loses no count — the next one's totals still hold it.
 */
import { addLossCounts, isEmptyLossReport, LOSS_CAUSES, type LossCause, type LossCounts, type LossReportData } from '../contract/wire/loss-report.ts';

export interface LossTallyOptions {
  /** Cumulative counts sources keep themselves (since the boot), read at every report. */
  readonly readTotals?: () => LossCounts;
}

export class LossTally {
  private counted: LossCounts = {};
  private reported: LossCounts = {};
  private listeners: Array<() => void> = [];

  constructor(private readonly options: LossTallyOptions = {}) {}

  /** Counts a loss; listeners (the batcher) make sure a batch reports it soon. */
  count(cause: LossCause, records: number, batches = 0): void {
    if (records <= 0 && batches <= 0) return;
    this.counted = addLossCounts(this.counted, { [cause]: { records: Math.max(0, records), batches: Math.max(0, batches) } });
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` at every counted loss. */
  onCount(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Everything lost since the boot (counted plus the sources' own totals). */
  totals(): LossCounts {
    const polled = this.options.readTotals?.() ?? {};
    return addLossCounts(this.counted, polled);
  }

  /** True when something was lost that no batch has reported yet. */
  get hasUnreported(): boolean {
    return !isEmptyLossReport({ sincePrevious: {}, sinceBoot: difference(this.totals(), this.reported) });
  }

  /** The report for the next batch; what it says counts as reported. */
  take(): LossReportData {
    const sinceBoot = this.totals();
    const sincePrevious = difference(sinceBoot, this.reported);
    this.reported = sinceBoot;
    return { sincePrevious, sinceBoot };
  }

  /** Gives a report back (its batch was not built): its losses count as unreported again. */
  untake(report: LossReportData): void {
    this.reported = difference(report.sinceBoot, report.sincePrevious);
  }
}

/** `now − before` per cause, never negative (a source's counter that restarted counts from 0). */
function difference(now: LossCounts, before: LossCounts): LossCounts {
  const out: LossCounts = {};
  for (const cause of LOSS_CAUSES) {
    const n = now[cause];
    if (!n) continue;
    const b = before[cause] ?? { records: 0, batches: 0 };
    const records = Math.max(0, n.records - b.records);
    const batches = Math.max(0, n.batches - b.batches);
    if (records > 0 || batches > 0) out[cause] = { records, batches };
  }
  return out;
}
