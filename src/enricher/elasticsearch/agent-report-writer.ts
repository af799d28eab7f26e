/**
 * Writes agent report documents (contract/agent-report-document.ts) into the daily report
 * indices next to the flow indices, and installs their template. Batch reports are created by
 * id: a batch delivered again (a replay) finds its report there (409) and leaves it as it is,
 * so the first report of a batch stands. Lag reports are plain appends.
 */
import type { Client } from '@elastic/elasticsearch';
import { createHash } from 'node:crypto';
import { agentReportMappings, type AgentReportDocument, type LagReportDocument } from '../../contract/agent-report-document.ts';
import { agentReportIndexPattern, agentReportIndexPrefix, dailyAgentReportIndexName } from '../../contract/flow-index-names.ts';
import type { BatchReport } from '../agent-reports/batch-report.ts';

export class AgentReportWriter {
  constructor(
    private readonly client: Client,
    private readonly flowPrefix: string,
  ) {}

  /** Puts the report index template unless the same one is there; safe from every replica. */
  async installTemplate(): Promise<'created' | 'updated' | 'unchanged'> {
    const body = {
      index_patterns: [agentReportIndexPattern(this.flowPrefix)],
      // Above the flow template's 200, so no equal-priority overlap can refuse index creation.
      priority: 210,
      template: { settings: { number_of_shards: 1, refresh_interval: '5s' }, mappings: agentReportMappings() },
    };
    const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const name = agentReportIndexPrefix(this.flowPrefix);
    const existing = await this.client.indices.getIndexTemplate({ name }, { ignore: [404] });
    const current = existing.index_templates?.find((t) => t.name === name);
    if (current && (current.index_template._meta as Record<string, unknown> | undefined)?.digest === digest) return 'unchanged';
    await this.client.indices.putIndexTemplate({ name, ...body, _meta: { managed_by: 'segflow', description: 'segflow agent reports (completeness of the flow data)', digest } } as never);
    // The day's index already exists under the old template, and its mapping is strict: fields
    // added since (the Goldmane source's possible_loss) are put on it too, or its reports fail.
    if (current) {
      const { properties } = agentReportMappings() as { properties: Record<string, never> };
      await this.client.indices.putMapping({ index: agentReportIndexPattern(this.flowPrefix), allow_no_indices: true, ignore_unavailable: true, properties });
    }
    return current ? 'updated' : 'created';
  }

  /** Creates the batch reports (an existing one is kept); throws when any other item fails. */
  async writeBatchReports(reports: readonly BatchReport[]): Promise<void> {
    if (reports.length === 0) return;
    const operations: unknown[] = [];
    for (const r of reports) {
      operations.push({ create: { _index: dailyAgentReportIndexName(r.document['@timestamp'], this.flowPrefix), _id: r.id } }, r.document);
    }
    const response = await this.client.bulk({ operations: operations as never });
    if (!response.errors) return;
    const failed = response.items.map((i) => i.create).filter((c) => c?.error && c.status !== 409);
    if (failed.length > 0) {
      const first = failed[0]!;
      throw new Error(`${failed.length} agent report(s) not written; first: ${first.status} ${first.error?.type}: ${first.error?.reason}`);
    }
  }

  /** Appends one lag report. */
  async writeLag(document: LagReportDocument): Promise<void> {
    await this.client.index({ index: dailyAgentReportIndexName(document['@timestamp'], this.flowPrefix), document: document satisfies AgentReportDocument });
  }
}
