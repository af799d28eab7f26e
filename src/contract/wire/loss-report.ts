/**
 * The loss report an agent puts into every FlowBatch (`FlowBatch.loss`, see flow.proto): records
 * it lost before they reached Kafka, by cause, since its previous batch and since its boot.
 * Wire enums become the names the rest of segflow uses (also in the agent report documents).
 */
import type Long from 'long';
import { segflow } from './generated/flow.js';

const pb = segflow.v1;

import { LOSS_CAUSES, type LossCause } from '../loss-causes.ts';

export { LOSS_CAUSES, type LossCause };

/** What one cause cost. */
export interface LossCount {
  records: number;
  /** Whole batches lost (spool causes and crashes lose batches; the ring buffer loses events). */
  batches: number;
}

/** Counts by cause; absent causes lost nothing. */
export type LossCounts = Partial<Record<LossCause, LossCount>>;

/** An agent's losses as of one batch. */
export interface LossReportData {
  /** Since the previous batch of the boot (the first batch: since the boot started). */
  sincePrevious: LossCounts;
  /** Since the boot started; never decreases from one batch to the next. */
  sinceBoot: LossCounts;
}

const CAUSE_TO_WIRE: Record<Exclude<LossCause, 'other'>, number> = {
  spool_full: pb.LossCause.LOSS_CAUSE_SPOOL_FULL,
  spool_corrupt: pb.LossCause.LOSS_CAUSE_SPOOL_CORRUPT,
  spool_error: pb.LossCause.LOSS_CAUSE_SPOOL_ERROR,
  ring_buffer: pb.LossCause.LOSS_CAUSE_RING_BUFFER,
  crash: pb.LossCause.LOSS_CAUSE_CRASH,
  encode: pb.LossCause.LOSS_CAUSE_ENCODE,
};
const CAUSE_FROM_WIRE = new Map<number, LossCause>(Object.entries(CAUSE_TO_WIRE).map(([k, v]) => [v, k as LossCause]));

/** True when nothing was lost at all (the report can be left out of the batch). */
export function isEmptyLossReport(report: LossReportData | undefined): boolean {
  if (!report) return true;
  return Object.values(report.sinceBoot).every((c) => !c || (c.records === 0 && c.batches === 0));
}

function countsToWire(counts: LossCounts): segflow.v1.ILossCount[] {
  const out: segflow.v1.ILossCount[] = [];
  for (const [cause, count] of Object.entries(counts) as Array<[LossCause, LossCount | undefined]>) {
    if (!count || (count.records === 0 && count.batches === 0)) continue;
    out.push({ cause: cause === 'other' ? pb.LossCause.LOSS_CAUSE_UNSPECIFIED : CAUSE_TO_WIRE[cause], records: count.records, batches: count.batches });
  }
  return out;
}

/** The wire form (undefined when nothing was lost, so the field stays unset). */
export function lossReportToWire(report: LossReportData | undefined): segflow.v1.ILossReport | undefined {
  if (isEmptyLossReport(report)) return undefined;
  return { sincePrevious: countsToWire(report!.sincePrevious), sinceBoot: countsToWire(report!.sinceBoot) };
}

function toCount(value: number | Long | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  // Counts beyond 2^53 cannot occur in practice; clamp rather than reject a whole batch over a counter.
  return Math.min(Number.MAX_SAFE_INTEGER, value.toNumber());
}

function countsFromWire(list: readonly segflow.v1.ILossCount[] | null | undefined): LossCounts {
  const out: LossCounts = {};
  for (const entry of list ?? []) {
    const cause = CAUSE_FROM_WIRE.get(entry.cause ?? 0) ?? 'other';
    const prev = out[cause] ?? { records: 0, batches: 0 };
    out[cause] = { records: prev.records + toCount(entry.records), batches: prev.batches + toCount(entry.batches) };
  }
  return out;
}

/** The report of a decoded batch, or undefined when the batch carries none. */
export function lossReportFromWire(wire: segflow.v1.ILossReport | null | undefined): LossReportData | undefined {
  if (!wire) return undefined;
  const report = { sincePrevious: countsFromWire(wire.sincePrevious), sinceBoot: countsFromWire(wire.sinceBoot) };
  return isEmptyLossReport(report) ? undefined : report;
}

/** Adds `b` into `a` (both by cause). */
export function addLossCounts(a: LossCounts, b: LossCounts): LossCounts {
  const out: LossCounts = { ...a };
  for (const [cause, count] of Object.entries(b) as Array<[LossCause, LossCount | undefined]>) {
    if (!count) continue;
    const prev = out[cause] ?? { records: 0, batches: 0 };
    out[cause] = { records: prev.records + count.records, batches: prev.batches + count.batches };
  }
  return out;
}
