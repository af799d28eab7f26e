/**
 * The index template of the daily summary indices (contract/flow-summary.ts): strict mapping,
 * one nested list per view, shards and replicas as the flow template's (0 replicas by default:
 * a one-node cluster cannot allocate one).
 */
import { createHash } from 'node:crypto';
import type { Client, estypes } from '@elastic/elasticsearch';
import { DEFAULT_FLOW_INDEX_PREFIX } from '../../contract/flow-index-names.ts';
import { FLOW_SUMMARY_VERSION, summaryIndexPattern } from '../../contract/flow-summary.ts';

type Property = estypes.MappingProperty;

const keyword: Property = { type: 'keyword' };
const long: Property = { type: 'long' };
const date: Property = { type: 'date' };
const nested = (properties: Record<string, Property>): Property => ({ type: 'nested', dynamic: 'strict', properties });

/** The mapping of a summary index. */
export function buildSummaryMappings(): estypes.MappingTypeMapping {
  return {
    _meta: { segflow_summary_version: FLOW_SUMMARY_VERSION },
    dynamic: 'strict',
    date_detection: false,
    properties: {
      block_start: date, block_end: date, version: long, rolled_up_at: date,
      fingerprint: { type: 'object', properties: { flows: long, records: long, max_ingested: date } },
      timeline: nested({ time: date, verdict: keyword, flows: long, bytes: long, packets: long }),
      talkers: nested({ namespace: keyword, name: keyword, flows: long, bytes: long, packets: long }),
      cells: nested({ source: keyword, destination: keyword, flows: long, denied: long, bytes: long, packets: long }),
      pairs: nested({ source_namespace: keyword, source_name: keyword, dest_namespace: keyword, dest_name: keyword, flows: long, bytes: long, last_seen: date }),
      hits: nested({ direction: keyword, tier: keyword, kind: keyword, namespace: keyword, name: keyword, rule_index: long, action: keyword, count: long }),
    },
  };
}

/** Options of the summary template (the flow template's, for the same prefix). */
export interface SummaryIndexTemplateOptions {
  readonly prefix?: string;
  readonly shards?: number;
  readonly replicas?: number;
}

/** The composable template request for the summary indices of a flow prefix. */
export function buildSummaryIndexTemplate(options: SummaryIndexTemplateOptions = {}): estypes.IndicesPutIndexTemplateRequest & { name: string; _meta: Record<string, unknown> } {
  const prefix = options.prefix ?? DEFAULT_FLOW_INDEX_PREFIX;
  const pattern = summaryIndexPattern(prefix);
  const body = {
    index_patterns: [pattern], priority: 200,
    // Summaries are written once per closed block: the default refresh is fine, and the rollup refreshes itself.
    template: { settings: { number_of_shards: options.shards ?? 1, number_of_replicas: options.replicas ?? 0 }, mappings: buildSummaryMappings() },
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return { name: `${prefix}.summaries`, ...body, _meta: { managed_by: 'segflow', description: 'segflow stats summaries per five-minute block (daily indices)', digest } };
}

/** Puts the summary template unless the identical one is installed. */
export async function installSummaryIndexTemplate(client: Client, options: SummaryIndexTemplateOptions = {}): Promise<'created' | 'updated' | 'unchanged'> {
  const template = buildSummaryIndexTemplate(options);
  const existing = await client.indices.getIndexTemplate({ name: template.name }, { ignore: [404] });
  const current = existing.index_templates?.find((t) => t.name === template.name);
  if (current && (current.index_template._meta as Record<string, unknown> | undefined)?.digest === template._meta.digest) return 'unchanged';
  await client.indices.putIndexTemplate(template);
  return current ? 'updated' : 'created';
}
