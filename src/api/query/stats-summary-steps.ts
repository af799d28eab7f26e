/**
 * The stats view's unaligned edges (the parts of a range before its first whole summary block
 * and after its last, query/stats-summary.ts) split into SUMMARY_TIMELINE_MS steps, pure: a whole
 * step of a closed block can be cached (query/summary-block-cache.ts, keyed by the block's live
 * fingerprint), so a request reads from the flows only the partial steps at the range's
 * boundaries and the edges lying in a block still being written.
 */
import { blockStartOf, SUMMARY_BLOCK_MS, SUMMARY_ROLLUP_GRACE_MS, SUMMARY_TIMELINE_MS } from '../../contract/flow-summary.ts';
import { joinRanges } from './stats-summary.ts';
import type { TimeRange } from './time-range.ts';

/**
 * How long after its end a block counts as closed: the enricher's rollup grace. Only a cost
 * rule: a step's cache key holds its block's live fingerprint, so a write into a closed block is
 * never missed; an open block's steps would just change on nearly every request.
 */
export const CLOSED_BLOCK_GRACE_MS = SUMMARY_ROLLUP_GRACE_MS;

/** One whole step of a closed block. */
export interface EdgeStep {
  /** Start of the block holding the step. */
  readonly block: number;
  readonly start: number;
}

/** How the edges are read. */
export interface EdgePlan {
  /** Read from the flows on every request: partial steps, edges in open blocks (joined, in order). */
  readonly raw: TimeRange[];
  /** Whole steps of closed blocks, oldest first: from the cache, or read once and cached. */
  readonly steps: EdgeStep[];
  /** The closed blocks holding those steps, oldest first (their live fingerprint keys the steps). */
  readonly blocks: number[];
}

const ceilTo = (ms: number, unit: number): number => Math.ceil(ms / unit) * unit;
const floorTo = (ms: number, unit: number): number => Math.floor(ms / unit) * unit;

/** Whether the block starting at `block` is closed at `nowMs`. */
export function blockClosed(block: number, nowMs: number, graceMs = CLOSED_BLOCK_GRACE_MS): boolean {
  return block + SUMMARY_BLOCK_MS + graceMs <= nowMs;
}

/**
 * The plan for `edges` (the raw parts of a range, e.g. rawRanges' edges): each part is cut at
 * block boundaries; in a closed block it gives its whole steps and at most one partial step at
 * either end, in an open block it stays whole and raw.
 */
export function planEdges(edges: readonly TimeRange[], nowMs: number, graceMs = CLOSED_BLOCK_GRACE_MS): EdgePlan {
  const raw: TimeRange[] = [];
  const steps: EdgeStep[] = [];
  const blocks: number[] = [];
  for (const edge of edges) {
    for (let from = edge.fromMs; from < edge.toMs;) {
      const block = blockStartOf(from);
      const to = Math.min(edge.toMs, block + SUMMARY_BLOCK_MS);
      const first = ceilTo(from, SUMMARY_TIMELINE_MS);
      const end = floorTo(to, SUMMARY_TIMELINE_MS);
      if (!blockClosed(block, nowMs, graceMs) || first >= end) {
        // An open block, or a piece holding no whole step.
        raw.push({ fromMs: from, toMs: to });
      } else {
        if (from < first) raw.push({ fromMs: from, toMs: first });
        for (let s = first; s < end; s += SUMMARY_TIMELINE_MS) steps.push({ block, start: s });
        if (end < to) raw.push({ fromMs: end, toMs: to });
        if (blocks[blocks.length - 1] !== block) blocks.push(block);
      }
      from = to;
    }
  }
  return { raw: joinRanges(raw), steps, blocks };
}

/** A step as a [from, to) range. */
export function stepRange(step: EdgeStep): TimeRange {
  return { fromMs: step.start, toMs: step.start + SUMMARY_TIMELINE_MS };
}
