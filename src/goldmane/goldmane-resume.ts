/**
 * Where a (re)connected stream starts, and what a disconnection may have cost. Pure.
 *
 * Goldmane holds about an hour of 15 s buckets and answers `start_time_gte < 0` with that many
 * seconds of history before going live. A fresh source asks for everything held; a source that
 * has published flows asks from a little before the newest start it published (buckets are
 * emitted up to ~35 s late, and a slow bucket may still be streaming when the connection breaks):
 * what comes twice is recognised by the flow's identity (goldmane-replay-filter.ts) and, past
 * that, by the deterministic document id.
 */

/** Overlap asked for again on a reconnect, seconds. */
export const RESUME_OVERLAP_SECONDS = 120;
/** What Goldmane keeps by default: 242 buckets of 15 s, about an hour. */
export const DEFAULT_GOLDMANE_RETENTION_SECONDS = 3600;

export interface ResumeState {
  /** Newest flow start published (Unix s); undefined before the first flow. */
  readonly newestStart: number | undefined;
  /** Newest flow end published (Unix s): how far the source had got. */
  readonly newestEnd: number | undefined;
}

/**
 * Kept off the far end of the retention: Goldmane's oldest bucket lies a little less than its
 * retention back (its ring also holds buckets ahead of now), and a stream asked to start before
 * the oldest bucket sends no history at all (v3.32.1 logs "Failed to find bucket").
 */
export const HISTORY_MARGIN_SECONDS = 60;

/** `start_time_gte` for the next Stream call (negative: seconds back from Goldmane's now). */
export function resumeStartTime(state: ResumeState, nowS: number, retentionS: number): number {
  const furthest = Math.max(RESUME_OVERLAP_SECONDS, retentionS - HISTORY_MARGIN_SECONDS);
  if (state.newestStart === undefined) return -furthest;
  const back = Math.ceil(nowS - state.newestStart + RESUME_OVERLAP_SECONDS);
  return -Math.min(furthest, Math.max(RESUME_OVERLAP_SECONDS, back));
}

/**
 * Seconds of flows Goldmane may have dropped before the source came back: the span between what
 * the source had (newest end) and the oldest Goldmane still holds (now − retention). 0 when
 * nothing can be missing. Possible, not certain: there may have been no traffic then.
 */
export function possibleLossSeconds(state: ResumeState, nowS: number, retentionS: number): { seconds: number; from?: number; to?: number } {
  if (state.newestEnd === undefined) return { seconds: 0 };
  const oldestHeld = nowS - retentionS;
  if (oldestHeld <= state.newestEnd) return { seconds: 0 };
  return { seconds: Math.round(oldestHeld - state.newestEnd), from: state.newestEnd, to: Math.round(oldestHeld) };
}

/** Reconnect delay after `failures` failures in a row: doubling from `initialMs`, capped, with ±20 % jitter. */
export function reconnectDelayMs(failures: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
