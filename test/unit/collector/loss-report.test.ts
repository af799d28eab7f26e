/**
 * The agent's loss report end to end inside the agent: the tally's per-batch and per-boot counts
 * (cumulative, so a lost batch loses no count), the batcher stamping them into batches, empty
 * heartbeat batches (when idle, and soon after an unreported loss), the wire round trip, and
 * the enricher's report document built from a decoded batch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowBatcher, type EncodedFlowBatch } from '../../../src/collector/flow-batcher.ts';
import { LossTally } from '../../../src/collector/loss-tally.ts';
import { decodeFlowBatch, encodeFlowBatch } from '../../../src/contract/wire/flow-batch-codec.ts';
import { buildBatchReport } from '../../../src/enricher/agent-reports/batch-report.ts';
import { computeCompleteness } from '../../../src/api/query/completeness.ts';
import { decodeRawFlowBatch } from '../../../src/enricher/ingest/raw-flow-batch-decoder.ts';
import { tcpRecord } from '../../harness/flow-records.ts';

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('loss tally', () => {
  it('reports losses since the previous batch and since the boot', () => {
    let ring = 0;
    const tally = new LossTally({ readTotals: () => (ring > 0 ? { ring_buffer: { records: ring, batches: 0 } } : {}) });
    assert.equal(tally.hasUnreported, false);
    tally.count('spool_full', 120, 3);
    ring = 7;
    assert.equal(tally.hasUnreported, true);
    assert.deepEqual(tally.take(), {
      sincePrevious: { spool_full: { records: 120, batches: 3 }, ring_buffer: { records: 7, batches: 0 } },
      sinceBoot: { spool_full: { records: 120, batches: 3 }, ring_buffer: { records: 7, batches: 0 } },
    });
    assert.equal(tally.hasUnreported, false);
    tally.count('spool_full', 30, 1);
    const second = tally.take();
    assert.deepEqual(second.sincePrevious, { spool_full: { records: 30, batches: 1 } });
    assert.deepEqual(second.sinceBoot, { spool_full: { records: 150, batches: 4 }, ring_buffer: { records: 7, batches: 0 } });
    // A batch that was not built after all gives its report back.
    tally.count('crash', 40, 2);
    const third = tally.take();
    tally.untake(third);
    assert.deepEqual(tally.take().sincePrevious, { crash: { records: 40, batches: 2 } });
  });
});

describe('FlowBatcher loss reports and heartbeats', () => {
  it('stamps the loss report into the next batch, and the wire keeps it', () => {
    const tally = new LossTally();
    const out: EncodedFlowBatch[] = [];
    const batcher = new FlowBatcher({ agentId: 'a', nodeName: 'node-a', maxRecords: 2, maxDelayMs: 60_000, heartbeatMs: 0, lossTally: tally }, (b) => out.push(b));
    batcher.add([tcpRecord('10.0.0.1', '10.0.0.2', 80), tcpRecord('10.0.0.1', '10.0.0.2', 81)]);
    tally.count('spool_full', 500, 2);
    batcher.add([tcpRecord('10.0.0.1', '10.0.0.2', 82), tcpRecord('10.0.0.1', '10.0.0.2', 83)]);
    batcher.stop();
    const [first, second] = out.map((b) => decodeFlowBatch(b.payload));
    assert.equal(first!.loss, undefined);
    assert.equal(first!.heartbeatIntervalMs, undefined);
    assert.deepEqual(second!.loss, { sincePrevious: { spool_full: { records: 500, batches: 2 } }, sinceBoot: { spool_full: { records: 500, batches: 2 } } });
    // The enricher's decoder reads the same report.
    assert.deepEqual(decodeRawFlowBatch(out[1]!.payload, { maxBytes: 1_000_000 }).batch.loss, second!.loss);
  });

  it('sends an empty batch soon after a loss no batch has reported, and heartbeats when idle', async () => {
    const tally = new LossTally();
    const out: EncodedFlowBatch[] = [];
    const batcher = new FlowBatcher({ agentId: 'a', nodeName: 'node-a', maxDelayMs: 20, heartbeatMs: 150, lossTally: tally }, (b) => out.push(b));
    batcher.reportLossesSoon();
    await wait(40);
    assert.equal(out.length, 0, 'nothing to report: no batch');
    tally.count('crash', 40, 1);
    batcher.reportLossesSoon();
    await wait(80);
    assert.equal(out.length, 1, 'the loss is reported within maxDelayMs');
    const report = decodeFlowBatch(out[0]!.payload);
    assert.equal(report.records.length, 0);
    assert.equal(report.heartbeatIntervalMs, 150);
    assert.deepEqual(report.loss?.sincePrevious, { crash: { records: 40, batches: 1 } });
    await wait(250);
    assert.ok(out.length >= 2, `a heartbeat follows when idle (got ${out.length} batches)`);
    const heartbeat = decodeFlowBatch(out[1]!.payload);
    assert.equal(heartbeat.records.length, 0);
    assert.equal(heartbeat.sequence, 2);
    assert.deepEqual(heartbeat.loss?.sincePrevious ?? {}, {});
    assert.deepEqual(heartbeat.loss?.sinceBoot, { crash: { records: 40, batches: 1 } }, 'the totals stay in every later batch');
    batcher.stop();
    const count = out.length;
    await wait(200);
    assert.equal(out.length, count, 'no heartbeat after stop');
  });
});

describe('agent report document of a batch', () => {
  it('carries who, boot, sequence, records, losses with totals before, and the predecessor', () => {
    const payload = encodeFlowBatch({
      agentId: 'agent-1', bootId: 'boot-2', sequence: 4, nodeName: 'node-a', sentTimeUnixNano: 1_764_583_200_000_000_000n, heartbeatIntervalMs: 30_000,
      records: [tcpRecord('10.0.0.1', '10.0.0.2', 80)],
      loss: { sincePrevious: { spool_full: { records: 10, batches: 1 } }, sinceBoot: { spool_full: { records: 25, batches: 2 }, crash: { records: 40, batches: 1 } } },
    });
    const decoded = decodeRawFlowBatch(payload, { maxBytes: 1_000_000 });
    const report = buildBatchReport(decoded.batch, decoded.records.length, { agentId: 'agent-1', bootId: 'boot-2', previousBootId: 'boot-1', previousLastSequence: 17 }, Date.parse('2025-12-01T10:00:05Z'));
    assert.equal(report.id, 'node-agent/agent-1/boot-2/4');
    assert.deepEqual(report.document, {
      '@timestamp': '2025-12-01T10:00:00.000Z',
      report: { kind: 'batch' },
      reporter: { kind: 'node-agent', id: 'agent-1', node: 'node-a' },
      batch: { boot: 'boot-2', sequence: 4, records: 1, heartbeat_interval_ms: 30_000, predecessor: { boot: 'boot-1', last_sequence: 17 } },
      loss: {
        spool_full: { records: 10, records_total: 25, records_before: 15, batches: 1, batches_total: 2, batches_before: 1 },
        crash: { records: 0, records_total: 40, records_before: 40, batches: 0, batches_total: 1, batches_before: 1 },
      },
      event: { ingested: '2025-12-01T10:00:05.000Z' },
    });
    // A source without sequence numbers (Goldmane, source-report-message.ts) reports unnumbered.
    const t = Date.parse('2025-12-01T10:00:00Z');
    const figure = computeCompleteness({ range: { fromMs: t - 60_000, toMs: t + 60_000 }, nowMs: t + 3_600_000, includeNames: true, lags: [], reporters: [{
      kind: 'goldmane', id: 'goldmane-eu1', node: null, heartbeatMs: 0, lastBeforeMs: null, firstAfterMs: null, lastInMs: t,
      boots: [{ boot: 'goldmane-eu1', batches: 3, minSequence: 0, maxSequence: 0, records: 36, predecessor: null, loss: {}, beforeRange: null }],
    }] });
    assert.deepEqual([figure.status, figure.batches, figure.nodes.reporting], ['complete', { received: 3, missing: 0 }, 1], 'unnumbered reports never count as gaps');
    // A header about another boot is not this batch's predecessor.
    const other = buildBatchReport(decoded.batch, 1, { agentId: 'agent-1', bootId: 'boot-9', previousBootId: 'boot-1', previousLastSequence: 17 }, 0);
    assert.equal(other.document.batch.predecessor, undefined);
  });
});
