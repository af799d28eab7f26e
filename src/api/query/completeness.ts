/**
 * The completeness figure of an answer, from the agent reports around its time range (pure; the
 * reports are read by completeness-reader.ts). What it tells, and how:
 *
 * - **Nodes reporting vs silent**: a reporter (a node agent, or another flow source) that
 *   reported before the range but not in it — or stopped reporting before the range ended — is
 *   silent (one that only reported after the range started since, e.g. a new node), unless its heartbeat interval says no report was due yet (an idle agent
 *   sends an empty batch every interval; twice the interval plus a margin counts as overdue).
 * - **Batches missing**: per agent boot, the sequence numbers up to the last one received in
 *   the range that never arrived — counted from the boot's last batch before the range (when it
 *   reported in the look-around window before it), else from its first batch in the range —,
 *   plus, for a boot that followed a killed one, the batches the killed boot built after the
 *   last one received (its `predecessor` note). Batch reports have one document per sequence,
 *   so counting documents counts sequences.
 * - **Records dropped by cause**: the agents' loss counters are cumulative per boot, so the
 *   drops in the range are the boot's last total in the range minus its last total before the
 *   range (0 when it has no report before: it started in the range, or its earlier reports are
 *   gone, and everything since its start counts). Batches lost on the way, even the very
 *   batches that carried a count, lose no count.
 * - **Spans possibly lost**: a source that reported a span whose flows it may have missed (a
 *   Goldmane source away longer than Goldmane keeps flows) makes every range overlapping the
 *   span incomplete. The span is in seconds, not records: how many flows fell into it cannot be
 *   known, so it changes no count and no ratio. A span still growing is reported again with the
 *   same start: the longest one of a start stands.
 * - **Enricher lag**: the latest lag report of each enricher; when the range reaches the
 *   present (older data is not waiting in Kafka any more) and an enricher stayed behind for
 *   LAG_PERSISTENCE_MS (messages in flight come and go; a backlog stays), the newest data is
 *   missing.
 */
import type { Completeness, CompletenessStatus } from '../../contract/api/completeness.ts';
import { LOSS_CAUSES, type LossCause } from '../../contract/wire/loss-report.ts';
import type { SpanLossCause } from '../../contract/loss-causes.ts';

/** What one agent boot reported in the range (from the report aggregation). */
export interface BootInRange {
  readonly boot: string;
  /** Batch reports (distinct sequences) in the range. */
  readonly batches: number;
  readonly minSequence: number;
  readonly maxSequence: number;
  readonly records: number;
  readonly predecessor: { readonly boot: string; readonly lastSequence: number } | null;
  /** Per cause: the largest cumulative total and the smallest "total before this batch". */
  readonly loss: Partial<Record<LossCause, { readonly recordsTotalMax: number; readonly recordsBeforeMin: number }>>;
  /** The same boot's reports in the look-around window before the range; null when it has none there. */
  readonly beforeRange: { readonly maxSequence: number; readonly lossTotals: Partial<Record<LossCause, number>> } | null;
}

/** One reporter's reports in and around the range. */
export interface ReporterInWindow {
  readonly kind: string;
  readonly id: string;
  readonly node: string | null;
  /** Largest heartbeat interval it declared, ms (0: it sends none). */
  readonly heartbeatMs: number;
  readonly lastBeforeMs: number | null;
  readonly firstAfterMs: number | null;
  readonly lastInMs: number | null;
  readonly boots: readonly BootInRange[];
}

/** The lag reports of one enricher. */
export interface EnricherLag {
  readonly id: string;
  /** Its latest report. */
  readonly messages: number;
  readonly atMs: number;
  /** The smallest lag it reported over the last LAG_PERSISTENCE_MS: what stayed behind throughout. */
  readonly persistentMessages: number;
}

/** A span a source reported its flows may be missing from (a report document's `possible_loss`). */
export interface ReportedLossSpan {
  readonly kind: string;
  readonly id: string;
  readonly cause: SpanLossCause;
  readonly fromMs: number;
  readonly toMs: number;
  /** How long the upstream keeps flows, seconds (0: not said). */
  readonly retentionSeconds: number;
}

export interface CompletenessInput {
  readonly range: { readonly fromMs: number; readonly toMs: number };
  readonly nowMs: number;
  readonly reporters: readonly ReporterInWindow[];
  readonly lags: readonly EnricherLag[];
  /** Name silent nodes (unrestricted callers only). */
  readonly includeNames: boolean;
  /** More reporters exist than were read: the figure covers only those read. */
  readonly truncated?: boolean;
  /** Spans possibly lost that the sources reported (any that overlap the range count). */
  readonly possibleLoss?: readonly ReportedLossSpan[];
}

/** Extra time past twice the heartbeat before a report counts as overdue (indexing, refresh). */
export const SILENCE_MARGIN_MS = 15_000;
/** A range ending less than this before now is "recent": the enricher's lag concerns it. */
export const LAG_HORIZON_MS = 5 * 60_000;
/**
 * Lag is work in flight as long as it drops to its low point again: only the backlog that stayed
 * through this long (the minimum of the lag reports, one every 5 s) makes an answer incomplete.
 */
export const LAG_PERSISTENCE_MS = 30_000;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** How long after its last report a reporter counts as silent (null: it sends no heartbeats, so any gap is silence). */
function overdueAfterMs(r: ReporterInWindow): number | null {
  return r.heartbeatMs > 0 ? 2 * r.heartbeatMs + SILENCE_MARGIN_MS : null;
}

/** Whether `r` fell silent in the range (see the module comment). */
export function isSilent(r: ReporterInWindow, range: CompletenessInput['range'], nowMs: number): boolean {
  const end = Math.min(range.toMs, nowMs);
  const overdue = overdueAfterMs(r);
  if (r.lastInMs !== null) return overdue !== null && end - r.lastInMs > overdue;
  // Only reports after the range: a reporter that started since (a new node) is not a silent one.
  if (r.lastBeforeMs === null) return false;
  if (overdue === null) return true;
  return end - Math.max(range.fromMs, r.lastBeforeMs ?? range.fromMs) > overdue;
}

/** `1 h 12 min`, `45 min`, `30 s`: a duration in words. */
export function durationWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const min = Math.floor((s % 3600) / 60);
  if (h === 0) return `${min} min`;
  return min === 0 ? `${h} h` : `${h} h ${min} min`;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The spans that overlap the range, one per source and start (the longest), oldest first. */
export function spansInRange(spans: readonly ReportedLossSpan[], range: CompletenessInput['range']): ReportedLossSpan[] {
  const longest = new Map<string, ReportedLossSpan>();
  for (const span of spans) {
    if (span.fromMs >= range.toMs || span.toMs <= range.fromMs) continue;
    const key = `${span.kind}/${span.id}/${span.fromMs}`;
    const held = longest.get(key);
    if (!held || span.toMs > held.toMs) longest.set(key, span);
  }
  return [...longest.values()].sort((a, b) => a.fromMs - b.fromMs || a.id.localeCompare(b.id));
}

/** The reason of one span, in words. */
export function spanReason(span: ReportedLossSpan, includeNames: boolean): string {
  const who = span.kind === 'goldmane' ? `Goldmane source ${includeNames ? `${span.id} ` : ''}` : `source ${includeNames ? `${span.id} ` : ''}`;
  const between = `flows between ${isoSeconds(span.fromMs)} and ${isoSeconds(span.toMs)} may be missing (${durationWords((span.toMs - span.fromMs) / 1000)} of flows; how many, if any, is unknown)`;
  if (span.cause === 'goldmane_retention' && span.retentionSeconds > 0) {
    // The source had flows up to `from` and came back when Goldmane's oldest flow was `to`.
    const away = (span.toMs - span.fromMs) / 1000 + span.retentionSeconds;
    return `${who}was disconnected for ${durationWords(away)}, longer than Goldmane keeps flows (${durationWords(span.retentionSeconds)}): ${between}`;
  }
  return `${who}was away longer than its upstream keeps flows: ${between}`;
}

/** Sequences missing in one boot's reports (see the module comment). */
function bootGaps(b: BootInRange): number {
  const first = b.beforeRange !== null && b.beforeRange.maxSequence < b.minSequence ? b.beforeRange.maxSequence + 1 : b.minSequence;
  return Math.max(0, b.maxSequence - first + 1 - b.batches);
}

/** The completeness object of an answer. */
export function computeCompleteness(input: CompletenessInput): Completeness {
  const { range, nowMs } = input;
  const reasons: string[] = [];
  const dropped: Partial<Record<LossCause, number>> = {};
  let batches = 0;
  let missing = 0;
  let records = 0;
  let reporting = 0;
  const silent: Array<{ node: string; kind: string; last_report: string | null }> = [];

  for (const r of input.reporters) {
    if (isSilent(r, range, nowMs)) {
      const last = r.lastInMs ?? (r.lastBeforeMs !== null && r.lastBeforeMs < range.toMs ? r.lastBeforeMs : null);
      silent.push({ node: r.node ?? r.id, kind: r.kind, last_report: last === null ? null : new Date(last).toISOString() });
    } else if (r.lastInMs !== null || r.lastBeforeMs !== null) {
      reporting++;
    }
    const byBoot = new Map(r.boots.map((b) => [b.boot, b]));
    for (const b of r.boots) {
      batches += b.batches;
      records += b.records;
      missing += bootGaps(b);
      // A boot after a killed one: the batches that one built after the last we received.
      const before = b.predecessor ? byBoot.get(b.predecessor.boot) : undefined;
      if (b.predecessor && before) missing += Math.max(0, b.predecessor.lastSequence - before.maxSequence);
      for (const cause of LOSS_CAUSES) {
        const l = b.loss[cause];
        if (!l) continue;
        const n = Math.max(0, l.recordsTotalMax - (b.beforeRange?.lossTotals[cause] ?? 0));
        if (n > 0) dropped[cause] = (dropped[cause] ?? 0) + n;
      }
    }
  }
  const droppedTotal = Object.values(dropped).reduce((a, n) => a + (n ?? 0), 0);

  // The enricher's lag matters to a range that reaches the present.
  const recent = range.toMs >= nowMs - LAG_HORIZON_MS;
  const lagMessages = input.lags.length > 0 ? input.lags.reduce((n, l) => n + l.messages, 0) : null;
  const lagAt = input.lags.length > 0 ? Math.max(...input.lags.map((l) => l.atMs)) : null;
  const backlog = input.lags.reduce((n, l) => n + l.persistentMessages, 0);

  if (silent.length > 0) {
    const names = input.includeNames ? `: ${silent.slice(0, 5).map((s) => s.node).join(', ')}${silent.length > 5 ? ', …' : ''}` : '';
    // A Goldmane source is no node: say "reporter" when one is among them.
    const noun = silent.every((s) => s.kind === 'node-agent') ? 'node' : 'reporter';
    reasons.push(`${plural(silent.length, noun)} silent in the range${names} (their flows are missing)`);
  }
  if (missing > 0) reasons.push(`${plural(missing, 'agent batch', 'agent batches')} never arrived (sequence gaps)`);
  if (droppedTotal > 0) {
    const parts = LOSS_CAUSES.filter((c) => dropped[c]).map((c) => `${dropped[c]} ${c.replace('_', ' ')}`);
    reasons.push(`${plural(droppedTotal, 'record')} dropped by the agents (${parts.join(', ')})`);
  }
  if (recent && backlog > 0) reasons.push(`the newest data is still arriving: the enricher has been behind for ${LAG_PERSISTENCE_MS / 1000} s (${plural(lagMessages ?? backlog, 'message')} not yet processed)`);
  if (recent && lagMessages === null && input.reporters.length > 0) reasons.push('no enricher reported its lag in the last minute: the newest data may not be indexed yet');
  const spans = spansInRange(input.possibleLoss ?? [], range);
  for (const span of spans.slice(0, 5)) reasons.push(spanReason(span, input.includeNames));
  if (spans.length > 5) reasons.push(`${spans.length - 5} more spans whose flows may be missing`);
  if (input.truncated) reasons.push('more reporters than the server reads: the figure covers only part of them');

  let status: CompletenessStatus;
  if (input.reporters.length === 0 && spans.length === 0) {
    status = 'unknown';
    reasons.unshift('no agent reports in or around the range: completeness cannot be told');
  } else {
    const lossy = silent.length > 0 || missing > 0 || droppedTotal > 0 || spans.length > 0 || (recent && backlog > 0) || input.truncated === true;
    status = lossy ? 'incomplete' : 'complete';
  }

  const recordShare = records + droppedTotal > 0 ? records / (records + droppedTotal) : null;
  const batchShare = batches + missing > 0 ? batches / (batches + missing) : null;
  const shares = [recordShare, batchShare].filter((s): s is number => s !== null);
  const ratio = shares.length > 0 ? Math.round(Math.min(...shares) * 10_000) / 10_000 : null;

  return {
    status,
    ratio,
    reasons,
    nodes: { reporting, silent: silent.length, ...(input.includeNames ? { silent_nodes: silent } : {}) },
    batches: { received: batches, missing },
    records: { received: records, dropped: droppedTotal, dropped_by_cause: Object.fromEntries(LOSS_CAUSES.filter((c) => dropped[c]).map((c) => [c, dropped[c]!])) },
    ...(spans.length > 0 ? {
      possible_loss: spans.map((span) => ({
        source: input.includeNames ? span.id : null, kind: span.kind, cause: span.cause,
        from: new Date(span.fromMs).toISOString(), to: new Date(span.toMs).toISOString(), seconds: Math.round((span.toMs - span.fromMs) / 1000),
      })),
    } : {}),
    enricher_lag: { messages: lagMessages, enrichers: input.lags.length, reported_at: lagAt === null ? null : new Date(lagAt).toISOString() },
  };
}

/** The figure when the reports could not be read (the answer itself stands). */
export function unknownCompleteness(why: string): Completeness {
  return {
    status: 'unknown', ratio: null, reasons: [`completeness could not be read: ${why}`],
    nodes: { reporting: 0, silent: 0 }, batches: { received: 0, missing: 0 },
    records: { received: 0, dropped: 0, dropped_by_cause: {} }, enricher_lag: { messages: null, enrichers: 0, reported_at: null },
  };
}
