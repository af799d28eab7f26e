/**
 * Time ranges of flow queries: `from`/`to` as absolute ISO 8601 instants or relative to now
 * (`now`, `now-15m`, `now-2h`, `now-7d`). Ranges are resolved to epoch milliseconds in the API,
 * never sent to Elasticsearch as date math, so a paginated query keeps exactly the range its
 * first page had (the cursor carries the resolved bounds).
 */
import { ApiError, invalidParameter, quoteInput } from '../errors.ts';

/** A resolved, validated time range: [fromMs, toMs). */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^now(?:-(\d{1,6})([smhdw]))?$/;
// Date and time with an explicit zone: an instant without a zone would mean different things
// on the client and the server.
const ABSOLUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses one bound. `parameter` names it in errors.
 * @throws ApiError invalid_parameter for anything but `now[-N<unit>]` or a zoned ISO 8601 instant.
 */
export function parseTimeBound(parameter: string, text: string, nowMs: number): number {
  const rel = RELATIVE.exec(text);
  if (rel) {
    if (rel[1] === undefined) return nowMs;
    return nowMs - Number(rel[1]) * (UNIT_MS[rel[2] as string] as number);
  }
  if (ABSOLUTE.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw invalidParameter(parameter, `expected an ISO 8601 time with a zone (2026-09-01T10:00:00Z) or now-<n><s|m|h|d|w> (now-15m), got ${quoteInput(text)}`);
}

/** Options bounding what a query may ask for. */
export interface TimeRangeLimits {
  /** Longest range accepted, in ms (protects the cluster from "everything ever" queries). */
  readonly maxRangeMs: number;
  /** Range used when `from` is absent, in ms before `to`. */
  readonly defaultRangeMs: number;
}

/**
 * Resolves `from`/`to` (either may be absent: `to` defaults to now, `from` to `to` minus the
 * default range) and checks from < to and the length limit.
 */
export function resolveTimeRange(from: string | undefined, to: string | undefined, nowMs: number, limits: TimeRangeLimits): TimeRange {
  const toMs = to === undefined ? nowMs : parseTimeBound('to', to, nowMs);
  const fromMs = from === undefined ? toMs - limits.defaultRangeMs : parseTimeBound('from', from, nowMs);
  if (fromMs >= toMs) {
    throw new ApiError(400, 'invalid_time_range', `from (${new Date(fromMs).toISOString()}) must be before to (${new Date(toMs).toISOString()})`, 'from');
  }
  if (toMs - fromMs > limits.maxRangeMs) {
    throw new ApiError(400, 'range_too_large', `from..to spans ${formatDuration(toMs - fromMs)}; at most ${formatDuration(limits.maxRangeMs)} may be queried at once`, 'from');
  }
  return { fromMs, toMs };
}

/** Human form of a duration for messages: the largest whole unit, e.g. `31d`, `90m`. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Parses a duration like `15m` or `2h` (used for intervals and config). Null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,6})(s|m|h|d|w)$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}
