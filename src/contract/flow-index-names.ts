/**
 * Names of the daily flow indices: `<prefix>-YYYY.MM.DD`, the day taken in UTC so every
 * enricher replica, whatever its local time zone, writes a given window to the same index (a
 * replayed window must overwrite its documents, which only works in the index that has them).
 */

/** Index prefix used when the configuration does not name one. */
export const DEFAULT_FLOW_INDEX_PREFIX = 'segflow-flows';

const DAY_MS = 86_400_000;
// Characters Elasticsearch forbids in index names, plus the wildcard/pattern characters we must
// never put in a prefix because retention and the template derive patterns from it.
const FORBIDDEN = /[\\/*?"<>|,# :A-Z]/;

/** Throws when `prefix` cannot start an Elasticsearch index name (or would act as a pattern). */
export function assertValidFlowIndexPrefix(prefix: string): void {
  if (prefix.length === 0 || prefix.length > 200) throw new Error(`flow index prefix must be 1-200 characters, got ${JSON.stringify(prefix)}`);
  if (FORBIDDEN.test(prefix)) throw new Error(`flow index prefix ${JSON.stringify(prefix)} contains a character Elasticsearch forbids in index names (upper case, space, \\ / * ? " < > | , # :)`);
  if (/^[-_+.]/.test(prefix)) throw new Error(`flow index prefix ${JSON.stringify(prefix)} must not start with - _ + or .`);
}

/** The pattern matching every daily index of `prefix` (for templates and searches, never deletes). */
export function flowIndexPattern(prefix: string = DEFAULT_FLOW_INDEX_PREFIX): string {
  assertValidFlowIndexPrefix(prefix);
  return `${prefix}-*`;
}

/**
 * The daily index for a point in time: `<prefix>-YYYY.MM.DD` of its UTC day. Use the window
 * start of the document so the index, like the document id, is a pure function of the window.
 */
export function dailyFlowIndexName(time: Date | number | string, prefix: string = DEFAULT_FLOW_INDEX_PREFIX): string {
  assertValidFlowIndexPrefix(prefix);
  const ms = time instanceof Date ? time.getTime() : typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw new Error(`cannot name a daily index for time ${String(time)}`);
  const d = new Date(ms);
  const yyyy = String(d.getUTCFullYear()).padStart(4, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return `${prefix}-${yyyy}.${mm}.${dd}`;
}

/** A daily index name taken apart: the UTC day it holds, as [start, end) in epoch ms. */
export interface DailyFlowIndex {
  readonly name: string;
  readonly dayStartMs: number;
  readonly dayEndMs: number;
}

/**
 * Parses `<prefix>-YYYY.MM.DD` exactly; anything else (other prefixes that share ours as a
 * start, suffixes, impossible dates such as 2026.02.30) is not a daily flow index and yields
 * undefined, which is what keeps retention from deleting what it does not own.
 */
export function parseDailyFlowIndexName(name: string, prefix: string = DEFAULT_FLOW_INDEX_PREFIX): DailyFlowIndex | undefined {
  if (!name.startsWith(`${prefix}-`)) return undefined;
  const match = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(name.slice(prefix.length + 1));
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const dayStartMs = Date.UTC(y, m - 1, d);
  const check = new Date(dayStartMs);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  return { name, dayStartMs, dayEndMs: dayStartMs + DAY_MS };
}

/**
 * Prefix of the agent report indices (agent-report-document.ts) that go with the flow indices
 * of `flowPrefix`: `<flowPrefix>.reports`. The dot keeps them out of the flow pattern
 * `<flowPrefix>-*` (searches, template, retention of flows never touch them) while one flow
 * prefix still names both families (a test's own prefix isolates both).
 */
export function agentReportIndexPrefix(flowPrefix: string = DEFAULT_FLOW_INDEX_PREFIX): string {
  assertValidFlowIndexPrefix(flowPrefix);
  return `${flowPrefix}.reports`;
}

/** The pattern matching every daily agent report index of `flowPrefix`. */
export function agentReportIndexPattern(flowPrefix: string = DEFAULT_FLOW_INDEX_PREFIX): string {
  return `${agentReportIndexPrefix(flowPrefix)}-*`;
}

/** The daily agent report index for a point in time (UTC day, like the flow indices). */
export function dailyAgentReportIndexName(time: Date | number | string, flowPrefix: string = DEFAULT_FLOW_INDEX_PREFIX): string {
  return dailyFlowIndexName(time, agentReportIndexPrefix(flowPrefix));
}
