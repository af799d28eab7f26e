/**
 * What the Goldmane source says about itself in its source reports (contract/wire/source-report-codec.ts):
 * flows published since the previous report and since the run began, and the span whose flows
 * it may have missed. Pure: the role's timer builds a report, publishes it, and confirms it; what
 * an unpublished report held is carried into the next one.
 */
import type { PossibleLossSpan, SourceReportData } from '../contract/wire/source-report-codec.ts';

/** How often the source reports (like a collector's heartbeat). */
export const DEFAULT_SOURCE_REPORT_INTERVAL_MS = 30_000;

export class GoldmaneReportState {
  private unreported = 0;
  private total = 0;
  private number = 0;
  private loss: PossibleLossSpan | undefined;

  constructor(private readonly sourceName: string, private readonly runId: string, private readonly intervalMs: number) {}

  flowsPublished(n: number): void {
    this.unreported += n;
    this.total += n;
  }

  /**
   * Notes a span whose flows may be lost. The same start again is the same absence, grown (the
   * source is still away); another span while one is unpublished is joined to it, so the report
   * may say more than was lost, never less.
   */
  possibleLoss(span: PossibleLossSpan): void {
    const held = this.loss;
    this.loss = held ? { ...span, fromMs: Math.min(held.fromMs, span.fromMs), toMs: Math.max(held.toMs, span.toMs) } : span;
  }

  /** The span not yet published, if any. */
  get pendingLoss(): PossibleLossSpan | undefined {
    return this.loss;
  }

  /** The next report (numbered; nothing is forgotten until it is confirmed). */
  build(nowMs: number, upstreamConnected: boolean): SourceReportData {
    this.number++;
    return {
      sourceName: this.sourceName, sourceKind: 'goldmane', runId: this.runId, reportNumber: this.number, sentAtMs: nowMs,
      flowsSincePrevious: this.unreported, flowsTotal: this.total, reportIntervalMs: this.intervalMs, upstreamConnected,
      ...(this.loss ? { possibleLoss: this.loss } : {}),
    };
  }

  /** The report was published: its flows are reported, and its span unless it has grown since. */
  confirm(report: SourceReportData): void {
    this.unreported = Math.max(0, this.unreported - report.flowsSincePrevious);
    const sent = report.possibleLoss;
    if (sent && this.loss && this.loss.fromMs === sent.fromMs && this.loss.toMs === sent.toMs) this.loss = undefined;
  }
}
