/**
 * Flow summaries: what the stats view (`GET /flows/stats`) needs of the count-once flow
 * documents (`segflow.primary_report: true`) of one closed time block, written by the
 * enricher's rollup (src/enricher/summary/) and read by the API (src/api/query/stats-summary.ts).
 *
 * One document per block of SUMMARY_BLOCK_MS, id = the block start, so a rollup that runs again
 * replaces the whole block in one indexing operation: a reader sees the old block or the new
 * one, never a mix, and nothing of an older rollup is left to delete. Inside, one nested list
 * per view holds the view's keys and figures, so the block's size follows the views' key
 * cardinality (sources, namespace pairs, rules), not the number of flows:
 *
 * - `timeline`: per SUMMARY_TIMELINE_MS step and verdict (totals and every timeline interval
 *   that is a multiple of the step),
 * - `talkers`: per source namespace and aggregated name,
 * - `cells`: per source and destination namespace (the namespace matrix),
 * - `pairs`: per denied source/destination workload pair, with its newest flow,
 * - `hits`: per direction and enforced policy rule (policy hits).
 *
 * The fingerprint tells a reader whether the block still describes the flow documents stored
 * now (BlockFingerprint says why that is exact): readers compare it
 * with the same figures taken from the flow documents and use the block only when they match.
 *
 * Summary indices are daily like the flow indices, `<flow prefix>.summaries-YYYY.MM.DD` (the
 * day of the block start): the dot keeps them out of the flow pattern `<prefix>-*`, and
 * retention deletes a day's summaries with that day's flows.
 */
import { assertValidFlowIndexPrefix, dailyFlowIndexName, DEFAULT_FLOW_INDEX_PREFIX, parseDailyFlowIndexName, type DailyFlowIndex } from './flow-index-names.ts';

/**
 * Length of a summary block. Five minutes: the one-hour view (the UI's default) finds 11 or 12
 * whole blocks in its range, leaving 5 minutes of edges on average to read from the flows, while
 * a block holds enough flows for keys to repeat (the bench data, random pairs of 40 namespaces:
 * ~8,600 counted flows into ~3,900 entries per block; bench/results/api.json).
 */
export const SUMMARY_BLOCK_MS = 300_000;

/** Resolution of a block's timeline: the one-hour view's automatic interval. */
export const SUMMARY_TIMELINE_MS = 30_000;

/**
 * How long after a block's end the enricher first rolls it up (late records, the index
 * refresh); the API counts a block closed from then on.
 */
export const SUMMARY_ROLLUP_GRACE_MS = 60_000;

/** Version of the document layout; a reader ignores blocks of another version. */
export const FLOW_SUMMARY_VERSION = 1;

/**
 * Figures of the count-once flow documents of a block that any write into the block changes.
 *
 * Why the fingerprint (count-once flow documents, the sum of
 * their `segflow.aggregation.records`, their newest `event.ingested`) tells exactly whether a
 * stored summary still describes the flow documents of its block:
 *
 * - A flow document is only ever written whole by the enricher, and every write of one either
 *   creates it (the count rises) or merges new batches into it (mergeFlowDocumentInto in
 *   src/enricher/transform/flow-document-builder.ts adds the new batches' records, each batch holding at
 *   least one record, so its records strictly rise, and sets `event.ingested` to the write's
 *   time). A replayed batch already in the document is refused by the merge (it returns false)
 *   and nothing is written, so the fingerprint rightly stays.
 * - A merge may raise a document's @timestamp (the later record's end) and so move it to the
 *   next block: the old block loses a document (its count falls) and the new one gains it.
 *   A loss and a gain in the same block could balance count and records; the newest ingestion
 *   time then still rises, because the gained document was written after the rollup read the
 *   block.
 * - Retention deletes whole days, summaries with flows.
 *
 * So a block whose three figures equal the stored ones holds the documents the rollup read
 * (the one residual case — a balanced loss and gain written by an enricher whose clock runs
 * behind the rollup's snapshot of `event.ingested` — needs two late writes landing in the same
 * closed block between two rollups and clocks skewed by more than that interval).
 */
export interface BlockFingerprint {
  /** Count-once flow documents with @timestamp in the block. */
  readonly flows: number;
  /** Sum of their `segflow.aggregation.records`. */
  readonly records: number;
  /** Their newest `event.ingested` (epoch ms), null when none has one. */
  readonly maxIngestedMs: number | null;
}

/** One timeline step of one verdict. */
export interface SummaryTimelineEntry { readonly time: string; readonly verdict: string | null; readonly flows: number; readonly bytes: number; readonly packets: number }
/** One source (namespace, aggregated name); absent fields = the flow documents had none. */
export interface SummaryTalkerEntry { readonly namespace?: string; readonly name?: string; readonly flows: number; readonly bytes: number; readonly packets: number }
/** One namespace pair. */
export interface SummaryCellEntry { readonly source?: string; readonly destination?: string; readonly flows: number; readonly denied: number; readonly bytes: number; readonly packets: number }
/** One denied workload pair. */
export interface SummaryPairEntry {
  readonly source_namespace?: string; readonly source_name?: string; readonly dest_namespace?: string; readonly dest_name?: string;
  readonly flows: number; readonly bytes: number; readonly last_seen: string;
}
/** One enforced rule of one direction: how many trace entries name it. */
export interface SummaryHitEntry {
  readonly direction: 'egress' | 'ingress'; readonly tier: string; readonly kind: string; readonly namespace?: string; readonly name: string;
  readonly rule_index: number; readonly action: string; readonly count: number;
}

/** The stored summary of one block. */
export interface FlowSummaryDocument {
  readonly block_start: string;
  readonly block_end: string;
  readonly version: number;
  readonly rolled_up_at: string;
  readonly fingerprint: { readonly flows: number; readonly records: number; readonly max_ingested?: string };
  readonly timeline: readonly SummaryTimelineEntry[];
  readonly talkers: readonly SummaryTalkerEntry[];
  readonly cells: readonly SummaryCellEntry[];
  readonly pairs: readonly SummaryPairEntry[];
  readonly hits: readonly SummaryHitEntry[];
}

/** Prefix of the summary indices that go with the flow indices of `flowPrefix`. */
export function summaryIndexPrefix(flowPrefix: string = DEFAULT_FLOW_INDEX_PREFIX): string {
  assertValidFlowIndexPrefix(flowPrefix);
  return `${flowPrefix}.summaries`;
}

/** The pattern matching every daily summary index of `flowPrefix` (searches and the template). */
export function summaryIndexPattern(flowPrefix: string = DEFAULT_FLOW_INDEX_PREFIX): string {
  return `${summaryIndexPrefix(flowPrefix)}-*`;
}

/** The daily summary index holding the block that starts at `blockStartMs`. */
export function dailySummaryIndexName(blockStartMs: number, flowPrefix: string = DEFAULT_FLOW_INDEX_PREFIX): string {
  return dailyFlowIndexName(blockStartMs, summaryIndexPrefix(flowPrefix));
}

/** Parses a daily summary index name of `flowPrefix` exactly (undefined for anything else). */
export function parseDailySummaryIndexName(name: string, flowPrefix: string = DEFAULT_FLOW_INDEX_PREFIX): DailyFlowIndex | undefined {
  return parseDailyFlowIndexName(name, summaryIndexPrefix(flowPrefix));
}

/** The id of a block's summary document: its start in epoch ms (deterministic, so a rollup replaces). */
export function summaryDocumentId(blockStartMs: number): string {
  return String(blockStartMs);
}

/** Start of the block holding `ms`. */
export function blockStartOf(ms: number): number {
  return ms - (((ms % SUMMARY_BLOCK_MS) + SUMMARY_BLOCK_MS) % SUMMARY_BLOCK_MS);
}

/** The stored fingerprint of a block, as figures. */
export function fingerprintOf(doc: Pick<FlowSummaryDocument, 'fingerprint'>): BlockFingerprint {
  const ingested = doc.fingerprint.max_ingested;
  return { flows: doc.fingerprint.flows, records: doc.fingerprint.records, maxIngestedMs: ingested === undefined ? null : Date.parse(ingested) };
}

/** True when two fingerprints describe the same stored flow documents. */
export function sameFingerprint(a: BlockFingerprint, b: BlockFingerprint): boolean {
  return a.flows === b.flows && a.records === b.records && a.maxIngestedMs === b.maxIngestedMs;
}

/** The flow documents a block summarises: count-once reports with @timestamp in [fromMs, toMs). */
export function countedFlowsQuery(fromMs: number, toMs: number): { bool: { filter: Record<string, unknown>[] } } {
  return { bool: { filter: [{ term: { 'segflow.primary_report': true } }, { range: { '@timestamp': { gte: fromMs, lt: toMs, format: 'epoch_millis' } } }] } };
}

/** Sub-aggregations giving a fingerprint's records and newest ingestion (the flow count is the bucket's or the search's). */
export const FINGERPRINT_AGGS = {
  records: { sum: { field: 'segflow.aggregation.records' } },
  max_ingested: { max: { field: 'event.ingested' } },
} as const;

/** A fingerprint from a flow count and the answer of FINGERPRINT_AGGS. */
export function fingerprintFromAggs(flows: number, aggs: Record<string, unknown>): BlockFingerprint {
  const records = (aggs.records as { value?: number | null } | undefined)?.value ?? 0;
  const ingested = (aggs.max_ingested as { value?: number | null } | undefined)?.value ?? null;
  return { flows, records: Math.round(records), maxIngestedMs: ingested };
}
