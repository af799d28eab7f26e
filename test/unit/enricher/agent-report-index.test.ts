/**
 * The agent report indices: named from the flow prefix, outside the flow pattern (flow searches,
 * template and retention never see them), expired by their own retention job, and mapped
 * strictly with every loss cause.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentReportMappings, lossFields } from '../../../src/contract/agent-report-document.ts';
import { agentReportIndexPattern, agentReportIndexPrefix, dailyAgentReportIndexName, parseDailyFlowIndexName } from '../../../src/contract/flow-index-names.ts';
import { LOSS_CAUSES } from '../../../src/contract/wire/loss-report.ts';
import { selectExpiredFlowIndices } from '../../../src/enricher/elasticsearch/flow-index-retention.ts';

describe('agent report indices', () => {
  it('are named from the flow prefix and stay out of the flow pattern', () => {
    assert.equal(agentReportIndexPrefix(), 'segflow-flows.reports');
    assert.equal(agentReportIndexPattern('x-flows'), 'x-flows.reports-*');
    const name = dailyAgentReportIndexName(Date.parse('2026-12-02T23:59:59Z'));
    assert.equal(name, 'segflow-flows.reports-2026.12.02');
    assert.equal(parseDailyFlowIndexName(name), undefined, 'not a daily flow index: flow retention leaves it alone');
    assert.ok(!name.startsWith('segflow-flows-'), 'the flow pattern segflow-flows-* does not match it');
  });

  it('expire by the retention run over their own prefix', () => {
    const prefix = agentReportIndexPrefix();
    const expired = selectExpiredFlowIndices(['segflow-flows.reports-2026.11.01', 'segflow-flows.reports-2026.12.01', 'segflow-flows-2026.11.01'], { prefix, retentionDays: 7, nowMs: Date.parse('2026-12-02T00:00:00Z') });
    assert.deepEqual(expired, ['segflow-flows.reports-2026.11.01']);
  });

  it('are mapped strictly, with every loss cause', () => {
    const mappings = agentReportMappings() as { dynamic: string; properties: { loss: { properties: Record<string, unknown> } } };
    assert.equal(mappings.dynamic, 'strict');
    assert.deepEqual(Object.keys(mappings.properties.loss.properties), [...LOSS_CAUSES]);
  });

  it('keep per cause the count since the previous batch, the total, and the total before', () => {
    assert.deepEqual(lossFields({ ring_buffer: { records: 4, batches: 0 } }, { ring_buffer: { records: 10, batches: 0 }, crash: { records: 3, batches: 1 } }), {
      ring_buffer: { records: 4, records_total: 10, records_before: 6, batches: 0, batches_total: 0, batches_before: 0 },
      crash: { records: 0, records_total: 3, records_before: 3, batches: 0, batches_total: 1, batches_before: 1 },
    });
  });
});
