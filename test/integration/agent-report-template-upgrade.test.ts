/**
 * The report template's upgrade on a day whose report index already exists: the index was created
 * under the previous template (strict mapping, no `possible_loss`), and the enricher's template
 * install puts the new fields on it too — or a Goldmane source report with a possibly-lost span
 * would be refused and its fetch retried without end. Real Elasticsearch.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { agentReportMappings } from '../../src/contract/agent-report-document.ts';
import { AgentReportWriter } from '../../src/enricher/elasticsearch/agent-report-writer.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { deleteFlowIndices } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';

const es = createElasticsearchClient(requireElasticsearchUrl());
const prefix = `${uniqueName('rtu')}-flows`;

describe('report template upgrade over an existing day', () => {
  after(async () => {
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('puts possible_loss on the existing report index, so a Goldmane report with a span is written', async () => {
    const previous = agentReportMappings() as { properties: Record<string, unknown> };
    const { possible_loss: _dropped, ...oldProperties } = previous.properties;
    await es.indices.putIndexTemplate({ name: `${prefix}.reports`, index_patterns: [`${prefix}.reports-*`], priority: 210, template: { mappings: { ...previous, properties: oldProperties } } } as never);
    const index = `${prefix}.reports-2026.12.02`;
    await es.indices.create({ index });
    const before = await es.indices.getMapping({ index });
    assert.equal((before[index]!.mappings.properties as Record<string, unknown>).possible_loss, undefined, 'the day was created without it');

    const writer = new AgentReportWriter(es, prefix);
    assert.equal(await writer.installTemplate(), 'updated');
    await writer.writeBatchReports([{
      id: 'goldmane/calico-1/run-1/1',
      document: {
        '@timestamp': '2026-12-02T01:00:00.000Z', report: { kind: 'batch' }, reporter: { kind: 'goldmane', id: 'calico-1', node: null },
        batch: { boot: 'run-1', sequence: 0, records: 0, heartbeat_interval_ms: 30_000 }, loss: {},
        possible_loss: { cause: 'goldmane_retention', from: '2026-12-01T22:00:00.000Z', to: '2026-12-01T23:00:00.000Z', seconds: 3600, retention_seconds: 3600 },
        event: { ingested: '2026-12-02T01:00:00.000Z' },
      },
    }]);
    await es.indices.refresh({ index });
    const found = await es.search({ index, query: { range: { 'possible_loss.to': { gt: '2026-12-01T22:30:00.000Z' } } } });
    assert.equal(found.hits.hits.length, 1);
  });
});
