/**
 * The enricher's handling of a source report on the raw topic (`segflow-schema:
 * segflow.v1.SourceReport`, sent by the Goldmane source every 30 s and after a reconnect): decode,
 * check, and build its report document (reporter kind `goldmane`, no sequence numbers: it adds to
 * "reporting" and "silent", never to gaps) — or every problem that makes it a dead letter. Pure.
 */
import type { IHeaders } from 'kafkajs';
import { batchReportId } from '../../contract/agent-report-document.ts';
import { FLOW_BATCH_SCHEMA_HEADER } from '../../contract/wire/flow-batch-headers.ts';
import { GOLDMANE_SOURCE_HEADER } from '../../contract/goldmane/goldmane-flow.ts';
import { decodeSourceReport, SOURCE_REPORT_SCHEMA, type DecodedSourceReport } from '../../contract/wire/source-report-codec.ts';
import type { BatchReport } from '../agent-reports/batch-report.ts';
import type { IngestProblem } from '../ingest/ingest-problem.ts';

function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  if (raw === undefined) return undefined;
  return (Array.isArray(raw) ? raw[0] : raw)?.toString();
}

/** True when the message names the source report schema. */
export function isSourceReportMessage(headers: IHeaders | undefined): boolean {
  return headerValue(headers, FLOW_BATCH_SCHEMA_HEADER) === SOURCE_REPORT_SCHEMA;
}

/** Every problem of a decoded report (empty when it is good). */
export function checkSourceReport(r: DecodedSourceReport, headers: IHeaders | undefined, nowMs: number, maxClockSkewMs: number): IngestProblem[] {
  const problems: IngestProblem[] = [];
  const bad = (field: string, message: string): void => {
    problems.push({ code: 'invalid_batch', field, message });
  };
  if (!r.sourceName) bad('source_name', 'is empty: it names the source that reports');
  const header = headerValue(headers, GOLDMANE_SOURCE_HEADER);
  if (header !== undefined && r.sourceName && header !== r.sourceName) bad(`(header) ${GOLDMANE_SOURCE_HEADER}`, `${JSON.stringify(header)} differs from source_name ${JSON.stringify(r.sourceName)}`);
  if (r.sourceKind !== 'goldmane') bad('source_kind', `${JSON.stringify(r.sourceKind)} is not a source kind this enricher knows (known: goldmane)`);
  if (!r.runId) bad('run_id', 'is empty: it tells one run of the source from the next');
  if (r.reportNumber < 1) bad('report_number', 'must be 1 or more');
  if (r.sentAtMs <= 0) bad('sent_time_unix_nano', 'is unset');
  else if (r.sentAtMs > nowMs + maxClockSkewMs) bad('sent_time_unix_nano', `${new Date(r.sentAtMs).toISOString()} is in the future (more than ${maxClockSkewMs} ms ahead)`);
  if (r.flowsSincePrevious > r.flowsTotal) bad('flows_since_previous', `${r.flowsSincePrevious} exceeds flows_total ${r.flowsTotal}`);
  const loss = r.possibleLoss;
  if (loss) {
    if (loss.cause === 'unknown') bad('possible_loss.cause', 'is not a cause this enricher knows (known: SPAN_LOSS_CAUSE_GOLDMANE_RETENTION)');
    if (loss.fromMs <= 0) bad('possible_loss.from_unix_ms', 'is unset');
    if (loss.toMs <= loss.fromMs) bad('possible_loss.to_unix_ms', `${loss.toMs} is not after from_unix_ms ${loss.fromMs}`);
    if (r.sentAtMs > 0 && loss.toMs > r.sentAtMs) bad('possible_loss.to_unix_ms', 'is after the report was sent');
  }
  return problems;
}

/** The report document of a message, or every problem that keeps it from becoming one. */
export function prepareSourceReport(value: Buffer, headers: IHeaders | undefined, nowMs: number, maxClockSkewMs: number): { report: BatchReport } | { problems: IngestProblem[] } {
  let r: DecodedSourceReport;
  try {
    r = decodeSourceReport(value);
  } catch (error) {
    return { problems: [{ code: 'undecodable', field: '(message)', message: `not a valid protobuf segflow.v1.SourceReport (${(error as Error).message})` }] };
  }
  const problems = checkSourceReport(r, headers, nowMs, maxClockSkewMs);
  if (problems.length > 0) return { problems };
  const loss = r.possibleLoss;
  return {
    report: {
      // One identity per report: a report delivered twice is one document.
      id: batchReportId('goldmane', r.sourceName, r.runId, r.reportNumber),
      document: {
        '@timestamp': new Date(r.sentAtMs).toISOString(),
        report: { kind: 'batch' },
        reporter: { kind: 'goldmane', id: r.sourceName, node: null },
        // sequence 0: unnumbered (the report number is an identity, not a gap counter).
        batch: { boot: r.runId, sequence: 0, records: r.flowsSincePrevious, heartbeat_interval_ms: r.reportIntervalMs },
        loss: {},
        ...(loss && loss.cause !== 'unknown' ? {
          possible_loss: {
            cause: loss.cause, from: new Date(loss.fromMs).toISOString(), to: new Date(loss.toMs).toISOString(),
            seconds: Math.round((loss.toMs - loss.fromMs) / 1000), retention_seconds: loss.retentionSeconds,
          },
        } : {}),
        event: { ingested: new Date(nowMs).toISOString() },
      },
    },
  };
}
