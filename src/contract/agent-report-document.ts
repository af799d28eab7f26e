/**
 * The agent report document: one small document per flow batch the enricher receives (who sent
 * it, which boot and sequence, how many records, what the sender lost and why), plus documents
 * the enricher writes about its own consumer lag. The API reads them to say how complete the
 * data behind an answer is (nodes reporting or silent, batches missing, records dropped by cause,
 * enricher lag). A neutral contract: the enricher writes it, the API reads it.
 *
 * Index family: `<flow prefix>.reports-YYYY.MM.DD` (agentReportIndexPrefix in
 * flow-index-names.ts); id `<reporter kind>/<reporter id>/<boot>/<sequence>` for batch reports,
 * so a batch delivered twice is one document, and counting documents counts distinct sequences.
 */
import { LOSS_CAUSES, type LossCause, type LossCounts } from './wire/loss-report.ts';
import type { SpanLossCause } from './loss-causes.ts';

/**
 * Who reports: a node agent (the collector, one per node), an aggregator such as Calico's
 * Goldmane (a source other than a node agent, later), or the enricher (its lag).
 */
export type ReporterKind = 'node-agent' | 'goldmane' | 'enricher';

/** Reporter kinds whose batches carry flows (the ones "nodes reporting vs silent" counts). */
export const FLOW_REPORTER_KINDS: readonly ReporterKind[] = ['node-agent', 'goldmane'];

/** Per cause: lost since the previous batch, since the boot, and since the boot as of the previous batch. */
export interface LossFieldCounts {
  records: number;
  records_total: number;
  /** records_total − records: the total as of the previous batch (lets a reader skip lost batches). */
  records_before: number;
  batches: number;
  batches_total: number;
  batches_before: number;
}

export interface BatchReportDocument {
  '@timestamp': string;
  report: { kind: 'batch' };
  reporter: { kind: Exclude<ReporterKind, 'enricher'>; id: string; node: string | null };
  batch: {
    boot: string;
    sequence: number;
    records: number;
    heartbeat_interval_ms: number;
    /** The boot before this one and the last sequence it built (a restart after a crash). */
    predecessor?: { boot: string; last_sequence: number };
  };
  loss: Partial<Record<LossCause, LossFieldCounts>>;
  /**
   * A span whose flows the reporter may have missed (a Goldmane source away longer than Goldmane
   * keeps flows): seconds of possibly lost flows, not records — how many is unknowable.
   */
  possible_loss?: { cause: SpanLossCause; from: string; to: string; seconds: number; retention_seconds: number };
  event: { ingested: string };
}

export interface LagReportDocument {
  '@timestamp': string;
  report: { kind: 'enricher_lag' };
  reporter: { kind: 'enricher'; id: string; node: string | null };
  lag: { messages: number; partitions: number };
}

export type AgentReportDocument = BatchReportDocument | LagReportDocument;

/** Document paths the API aggregates on (mapped as such by the enricher's template). */
export const REPORT_FIELDS = {
  time: '@timestamp',
  reportKind: 'report.kind',
  reporterKind: 'reporter.kind',
  reporterId: 'reporter.id',
  node: 'reporter.node',
  boot: 'batch.boot',
  sequence: 'batch.sequence',
  records: 'batch.records',
  heartbeatMs: 'batch.heartbeat_interval_ms',
  predecessorBoot: 'batch.predecessor.boot',
  predecessorLastSequence: 'batch.predecessor.last_sequence',
  lagMessages: 'lag.messages',
  possibleLossFrom: 'possible_loss.from',
  possibleLossTo: 'possible_loss.to',
  lagPartitions: 'lag.partitions',
} as const;

/** The path of one loss counter (`loss.spool_full.records_total`). */
export function lossField(cause: LossCause, counter: keyof LossFieldCounts): string {
  return `loss.${cause}.${counter}`;
}

/** The document id of a batch report. */
export function batchReportId(kind: ReporterKind, id: string, boot: string, sequence: number): string {
  return `${kind}/${id}/${boot}/${sequence}`;
}

/** The loss part of a batch report from the batch's loss report (since previous, since boot). */
export function lossFields(sincePrevious: LossCounts, sinceBoot: LossCounts): BatchReportDocument['loss'] {
  const out: BatchReportDocument['loss'] = {};
  for (const cause of LOSS_CAUSES) {
    const total = sinceBoot[cause];
    const delta = sincePrevious[cause] ?? { records: 0, batches: 0 };
    if (!total && delta.records === 0 && delta.batches === 0) continue;
    const t = total ?? delta;
    out[cause] = {
      records: delta.records, records_total: t.records, records_before: Math.max(0, t.records - delta.records),
      batches: delta.batches, batches_total: t.batches, batches_before: Math.max(0, t.batches - delta.batches),
    };
  }
  return out;
}

/** Elasticsearch mappings of the report documents (the enricher installs them as a template). */
export function agentReportMappings(): Record<string, unknown> {
  const count = { type: 'long' };
  const lossCounter = { properties: { records: count, records_total: count, records_before: count, batches: count, batches_total: count, batches_before: count } };
  return {
    dynamic: 'strict',
    properties: {
      '@timestamp': { type: 'date' },
      report: { properties: { kind: { type: 'keyword' } } },
      reporter: { properties: { kind: { type: 'keyword' }, id: { type: 'keyword' }, node: { type: 'keyword' } } },
      batch: {
        properties: {
          boot: { type: 'keyword' }, sequence: count, records: count, heartbeat_interval_ms: count,
          predecessor: { properties: { boot: { type: 'keyword' }, last_sequence: count } },
        },
      },
      loss: { properties: Object.fromEntries(LOSS_CAUSES.map((c) => [c, lossCounter])) },
      lag: { properties: { messages: count, partitions: count } },
      possible_loss: { properties: { cause: { type: 'keyword' }, from: { type: 'date' }, to: { type: 'date' }, seconds: count, retention_seconds: count } },
      event: { properties: { ingested: { type: 'date' } } },
    },
  };
}
