/**
 * The Goldmane source's reports in the enricher (pure logic: in-memory storage stands in for
 * Elasticsearch): a report becomes one `goldmane` report document (unnumbered, its possibly-lost
 * span in seconds), a report delivered twice is one document id, and a bad one is a dead letter
 * naming every problem.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GOLDMANE_SOURCE_HEADER } from '../../../src/contract/goldmane/goldmane-flow.ts';
import { FLOW_BATCH_SCHEMA_HEADER } from '../../../src/contract/wire/flow-batch-headers.ts';
import { encodeSourceReport, SOURCE_REPORT_SCHEMA, type SourceReportData } from '../../../src/contract/wire/source-report-codec.ts';
import type { BatchReport } from '../../../src/enricher/agent-reports/batch-report.ts';
import { DEAD_LETTER_HEADERS } from '../../../src/enricher/dead-letter.ts';
import { FlowBatchProcessor, type RawMessage } from '../../../src/enricher/flow-batch-processor.ts';
import { MemoryFlowStorage } from '../../../src/enricher/memory-flow-storage.ts';
import { SequenceTracker } from '../../../src/enricher/sequence-tracker.ts';
import { enrichmentInventoryOf } from '../../../src/enricher/transform/inventory-adapter.ts';
import { Inventory } from '../../../src/inventory/inventory.ts';

const T0 = Date.parse('2026-12-02T01:00:00Z');

function report(over: Partial<SourceReportData> = {}): SourceReportData {
  return {
    sourceName: 'calico-1', sourceKind: 'goldmane', runId: 'run-1', reportNumber: 4, sentAtMs: T0 - 1000, flowsSincePrevious: 12, flowsTotal: 40,
    reportIntervalMs: 30_000, upstreamConnected: true, ...over,
  };
}

function message(r: SourceReportData | Buffer, offset: number, headers: Record<string, string> = {}, key: string | null = 'calico-1'): RawMessage {
  const value = Buffer.isBuffer(r) ? r : Buffer.from(encodeSourceReport(r));
  return { partition: 0, offset: String(offset), key: key === null ? null : Buffer.from(key), value, headers: { [FLOW_BATCH_SCHEMA_HEADER]: SOURCE_REPORT_SCHEMA, [GOLDMANE_SOURCE_HEADER]: 'calico-1', ...headers } };
}

class ReportingStorage extends MemoryFlowStorage {
  readonly reports: BatchReport[] = [];
  async writeReports(reports: readonly BatchReport[]): Promise<void> {
    this.reports.push(...reports);
  }
}

function setup() {
  const storage = new ReportingStorage();
  const processor = new FlowBatchProcessor(
    { topic: 'flows.raw', indexPrefix: 'segflow-flows', aggregation: { windowMs: 15_000, allowedLevel: 2, deniedLevel: 1 }, maxMessageBytes: 1_000_000, now: () => T0 },
    enrichmentInventoryOf(Inventory.fromResources([])), new SequenceTracker(), storage,
  );
  return { processor, storage };
}

describe('Goldmane source reports in the enricher', () => {
  it('writes one goldmane report document per report, unnumbered, with its possibly-lost span in seconds', async () => {
    const { processor, storage } = setup();
    const span = { cause: 'goldmane_retention' as const, fromMs: T0 - 7_920_000, toMs: T0 - 3_600_000, retentionSeconds: 3600 };
    const result = await processor.process([message(report(), 0), message(report({ reportNumber: 5, sentAtMs: T0, flowsSincePrevious: 0, possibleLoss: span }), 1)]);
    assert.equal(result.deadLetters.length, 0);
    assert.equal(storage.documents.size, 0, 'a report is no flow');
    assert.deepEqual(storage.reports.map((r) => r.id), ['goldmane/calico-1/run-1/4', 'goldmane/calico-1/run-1/5']);
    assert.deepEqual(storage.reports[0]!.document, {
      '@timestamp': new Date(T0 - 1000).toISOString(), report: { kind: 'batch' }, reporter: { kind: 'goldmane', id: 'calico-1', node: null },
      batch: { boot: 'run-1', sequence: 0, records: 12, heartbeat_interval_ms: 30_000 }, loss: {}, event: { ingested: new Date(T0).toISOString() },
    });
    assert.deepEqual(storage.reports[1]!.document.possible_loss, {
      cause: 'goldmane_retention', from: new Date(T0 - 7_920_000).toISOString(), to: new Date(T0 - 3_600_000).toISOString(), seconds: 4320, retention_seconds: 3600,
    });
  });

  it('gives a report delivered twice the same document id', async () => {
    const { processor, storage } = setup();
    await processor.process([message(report(), 0)]);
    await processor.process([message(report(), 7)]);
    assert.deepEqual(storage.reports.map((r) => r.id), ['goldmane/calico-1/run-1/4', 'goldmane/calico-1/run-1/4']);
  });

  it('dead-letters a bad report naming every problem, and bytes that are no report', async () => {
    const { processor, storage } = setup();
    const bad = report({ sourceName: 'calico-2', sourceKind: 'netflow', runId: '', reportNumber: 0, sentAtMs: T0 + 3_600_000, flowsSincePrevious: 50, flowsTotal: 40, possibleLoss: { cause: 'goldmane_retention', fromMs: T0 - 1000, toMs: T0 - 2000, retentionSeconds: 3600 } });
    const result = await processor.process([message(bad, 0, {}, null), message(Buffer.from([0xff, 0xff, 0xff]), 1)]);
    assert.equal(storage.reports.length, 0);
    assert.equal(result.deadLetters.length, 2);
    const errors = result.deadLetters.map((d) => String(d.headers?.[DEAD_LETTER_HEADERS.error]));
    for (const part of ['(key)', 'segflow-goldmane-source', 'source_kind', 'run_id', 'report_number', 'sent_time_unix_nano', 'flows_since_previous', 'possible_loss.to_unix_ms']) assert.ok(errors[0]!.includes(part), `${part} in ${errors[0]}`);
    assert.match(errors[1]!, /not a valid protobuf segflow\.v1\.SourceReport/);
  });
});
