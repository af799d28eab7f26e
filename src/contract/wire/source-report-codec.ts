/**
 * The source report (`segflow.v1.SourceReport` in flow.proto): what a flow source without batches
 * of its own (the Goldmane source) says about itself on the raw topic — flows published, and any
 * span whose flows it may have missed. The Goldmane source writes it, the enricher reads it.
 */
import Long from 'long';
import type { SpanLossCause } from '../loss-causes.ts';
import { segflow } from './generated/flow.js';

const pb = segflow.v1;

/** Value of the `segflow-schema` header of a source report. */
export const SOURCE_REPORT_SCHEMA = 'segflow.v1.SourceReport';

/** A span whose flows may be lost (Unix ms). */
export interface PossibleLossSpan {
  readonly cause: SpanLossCause;
  readonly fromMs: number;
  readonly toMs: number;
  /** How long the upstream keeps flows, seconds (for the words of a reason). */
  readonly retentionSeconds: number;
}

export interface SourceReportData {
  readonly sourceName: string;
  readonly sourceKind: string;
  readonly runId: string;
  readonly reportNumber: number;
  readonly sentAtMs: number;
  readonly flowsSincePrevious: number;
  readonly flowsTotal: number;
  readonly reportIntervalMs: number;
  readonly upstreamConnected: boolean;
  readonly possibleLoss?: PossibleLossSpan;
}

/** A decoded report; a span cause this reader does not know is `unknown` (the checker names it). */
export type DecodedSourceReport = Omit<SourceReportData, 'possibleLoss'> & { readonly possibleLoss?: Omit<PossibleLossSpan, 'cause'> & { readonly cause: SpanLossCause | 'unknown' } };

const num = (v: number | Long | null | undefined): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : Math.min(Number.MAX_SAFE_INTEGER, v.toNumber()));

/** Unix ns → ms, exact (a double cannot hold today's ns). */
function nanoToMs(v: number | Long | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? Math.floor(v / 1_000_000) : Long.fromValue(v).toUnsigned().divide(1_000_000).toNumber();
}

export function encodeSourceReport(r: SourceReportData): Uint8Array {
  return pb.SourceReport.encode({
    sourceName: r.sourceName, sourceKind: r.sourceKind, runId: r.runId, reportNumber: r.reportNumber,
    sentTimeUnixNano: Long.fromNumber(Math.round(r.sentAtMs), true).multiply(1_000_000), flowsSincePrevious: r.flowsSincePrevious, flowsTotal: r.flowsTotal,
    reportIntervalMs: r.reportIntervalMs, upstreamConnected: r.upstreamConnected,
    ...(r.possibleLoss ? { possibleLoss: { cause: pb.SpanLossCause.SPAN_LOSS_CAUSE_GOLDMANE_RETENTION, fromUnixMs: r.possibleLoss.fromMs, toUnixMs: r.possibleLoss.toMs, retentionSeconds: r.possibleLoss.retentionSeconds } } : {}),
  }).finish();
}

/** Decodes a report; throws on bytes that are not one (the caller dead-letters the message). */
export function decodeSourceReport(bytes: Uint8Array): DecodedSourceReport {
  const m = pb.SourceReport.decode(bytes);
  const loss = m.possibleLoss;
  return {
    sourceName: m.sourceName, sourceKind: m.sourceKind, runId: m.runId, reportNumber: num(m.reportNumber),
    sentAtMs: nanoToMs(m.sentTimeUnixNano), flowsSincePrevious: num(m.flowsSincePrevious), flowsTotal: num(m.flowsTotal),
    reportIntervalMs: m.reportIntervalMs, upstreamConnected: m.upstreamConnected,
    ...(loss ? { possibleLoss: { cause: loss.cause === pb.SpanLossCause.SPAN_LOSS_CAUSE_GOLDMANE_RETENTION ? 'goldmane_retention' as const : 'unknown' as const, fromMs: num(loss.fromUnixMs), toMs: num(loss.toUnixMs), retentionSeconds: loss.retentionSeconds ?? 0 } } : {}),
  };
}
