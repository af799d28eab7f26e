/**
 * The agent report document of one received flow batch (contract/agent-report-document.ts): who
 * sent it, its boot and sequence, how many records it held, the sender's losses by cause, and —
 * when the sender is the restart of a killed agent — which boot came before and how far it got.
 * Pure: the processor collects these while preparing a fetch and writes them with its documents.
 */
import { batchReportId, lossFields, type BatchReportDocument } from '../../contract/agent-report-document.ts';
import type { FlowBatchData } from '../../contract/wire/flow-batch-codec.ts';
import type { PreviousBoot } from '../../contract/wire/previous-boot-header.ts';

/** A batch report and its document id. */
export interface BatchReport {
  readonly id: string;
  readonly document: BatchReportDocument;
}

/** Unix ns → ISO time (ms precision, which is what Elasticsearch's `date` keeps). */
function isoOfNano(nano: bigint): string {
  return new Date(Number(nano / 1_000_000n)).toISOString();
}

/**
 * The report of `batch` (its records counted as the agent sent them, before validation);
 * `previousBoot` is the batch's `segflow-previous-boot` header, when it has one for this boot.
 */
export function buildBatchReport(batch: Omit<FlowBatchData, 'records'>, records: number, previousBoot: PreviousBoot | undefined, ingestedAtMs: number): BatchReport {
  const loss = batch.loss ? lossFields(batch.loss.sincePrevious, batch.loss.sinceBoot) : {};
  const predecessor = previousBoot && previousBoot.agentId === batch.agentId && previousBoot.bootId === batch.bootId
    ? { boot: previousBoot.previousBootId, last_sequence: previousBoot.previousLastSequence }
    : undefined;
  // A batch without a send time (a producer that does not set it) is placed at its arrival.
  const time = batch.sentTimeUnixNano > 0n ? isoOfNano(batch.sentTimeUnixNano) : new Date(ingestedAtMs).toISOString();
  return {
    id: batchReportId('node-agent', batch.agentId, batch.bootId, batch.sequence),
    document: {
      '@timestamp': time,
      report: { kind: 'batch' },
      reporter: { kind: 'node-agent', id: batch.agentId, node: batch.nodeName || null },
      batch: {
        boot: batch.bootId, sequence: batch.sequence, records, heartbeat_interval_ms: batch.heartbeatIntervalMs ?? 0,
        ...(predecessor ? { predecessor } : {}),
      },
      loss,
      event: { ingested: new Date(ingestedAtMs).toISOString() },
    },
  };
}
