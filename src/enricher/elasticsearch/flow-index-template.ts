/**
 * The index template of the daily flow indices, derived from the field table
 * (`src/contract/flow-fields.ts`): every table row becomes a mapping, nothing else is
 * mapped, and `dynamic: strict` makes Elasticsearch reject a document carrying a field the
 * table does not know, so the table and the stored data cannot drift apart silently.
 *
 * Only core mapping types are used (see FLOW_FIELD_TYPES) so the same template installs on the
 * local integ-test distribution (no x-pack mappers) and on a full Elasticsearch.
 */
import { createHash } from 'node:crypto';
import type { Client, estypes } from '@elastic/elasticsearch';
import { FLOW_FIELDS, type FlowFieldSpec } from '../../contract/flow-fields.ts';
import { DEFAULT_FLOW_INDEX_PREFIX, flowIndexPattern, parseDailyFlowIndexName } from '../../contract/flow-index-names.ts';
import { FLOW_QUERY_KEYS_META, FLOW_QUERY_KEYS_VERSION } from '../../contract/flow-query-keys.ts';

type MappingProperty = estypes.MappingProperty;
type MappingTypeMapping = estypes.MappingTypeMapping;
type IndicesPutIndexTemplateRequest = estypes.IndicesPutIndexTemplateRequest;

/** Options of the flow index template; every one has a default fit for a one-node cluster. */
export interface FlowIndexTemplateOptions {
  /** Index prefix; daily indices are `<prefix>-YYYY.MM.DD`. Default `segflow-flows`. */
  prefix?: string;
  /** Template name. Default: the prefix (one template per index family). */
  name?: string;
  /** Primary shards per daily index. Default 1: one day of flows fits one shard on small clusters. */
  shards?: number;
  /** Replicas per daily index. Default 0, because a one-node cluster can never allocate a replica (it would stay yellow). */
  replicas?: number;
  /** How often new documents become searchable. Default `5s`: flows arrive in 15 s windows, refreshing every second only costs merges. */
  refreshInterval?: string;
  /** Template priority among composable templates matching the same indices. Default 200. */
  priority?: number;
}

const MAPPING_OF: Record<Exclude<FlowFieldSpec['type'], 'nested'>, MappingProperty> = {
  date: { type: 'date' },
  keyword: { type: 'keyword' },
  ip: { type: 'ip' },
  long: { type: 'long' },
  boolean: { type: 'boolean' },
  flattened: { type: 'flattened' },
  // Not indexed, no doc values: only read back with the document.
  binary: { type: 'binary' },
};

/**
 * The `properties` mapping for a list of table rows: dotted names become object properties,
 * nested rows become `nested` properties mapped from their sub-table (strict as well).
 */
export function flowMappingProperties(fields: readonly FlowFieldSpec[] = FLOW_FIELDS): Record<string, MappingProperty> {
  const root: Record<string, MappingProperty> = {};
  for (const field of fields) {
    const parts = field.name.split('.');
    let properties = root;
    for (const part of parts.slice(0, -1)) {
      const existing = properties[part];
      if (existing === undefined) {
        const object: MappingProperty = { type: 'object', properties: {} };
        properties[part] = object;
        properties = object.properties as Record<string, MappingProperty>;
      } else if (existing.type === 'object' && 'properties' in existing && existing.properties) {
        properties = existing.properties as Record<string, MappingProperty>;
      } else {
        throw new Error(`field table: ${field.name} lies under ${part}, which is mapped as ${existing.type}`);
      }
    }
    const leaf = parts[parts.length - 1] as string;
    if (properties[leaf] !== undefined) throw new Error(`field table: ${field.name} is defined twice or is also an object`);
    properties[leaf] =
      field.type === 'nested'
        ? { type: 'nested', dynamic: 'strict', properties: flowMappingProperties(field.properties ?? []) }
        : { ...MAPPING_OF[field.type] };
  }
  return root;
}

/** The complete mapping of a daily flow index. */
export function buildFlowMappings(fields: readonly FlowFieldSpec[] = FLOW_FIELDS): MappingTypeMapping {
  return {
    // Every document of an index made from this mapping carries the query keys; indices made
    // before them lack this mark (and get only the keys' mapping), so the API reads them without.
    _meta: { [FLOW_QUERY_KEYS_META]: FLOW_QUERY_KEYS_VERSION },
    dynamic: 'strict',
    // Strings that look like dates must not become dates (and with strict nothing is guessed anyway).
    date_detection: false,
    properties: flowMappingProperties(fields),
  };
}

/** The composable index template request, ready for `client.indices.putIndexTemplate`. */
export function buildFlowIndexTemplate(options: FlowIndexTemplateOptions = {}): IndicesPutIndexTemplateRequest & { name: string; _meta: Record<string, unknown> } {
  const prefix = options.prefix ?? DEFAULT_FLOW_INDEX_PREFIX;
  const shards = options.shards ?? 1;
  const replicas = options.replicas ?? 0;
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`shards must be a positive integer, got ${shards}`);
  if (!Number.isInteger(replicas) || replicas < 0) throw new Error(`replicas must be a non-negative integer, got ${replicas}`);
  const mappings = buildFlowMappings();
  const settings = {
    number_of_shards: shards,
    number_of_replicas: replicas,
    refresh_interval: options.refreshInterval ?? '5s',
  };
  const body = { index_patterns: [flowIndexPattern(prefix)], priority: options.priority ?? 200, template: { settings, mappings } };
  // The digest lets the installer tell "already installed" from "changed" without comparing
  // Elasticsearch's normalised echo of settings (which spells numbers as strings).
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  return { name: options.name ?? prefix, ...body, _meta: { managed_by: 'segflow', description: 'segflow enriched flow documents (daily indices)', digest } };
}

/** What `installFlowIndexTemplate` did. */
export type TemplateInstallResult = 'created' | 'updated' | 'unchanged';

/**
 * Puts the flow index template unless an identical one is already installed. Safe to call from
 * every enricher replica at every start: the result is the same template whoever wins. A
 * changed template applies to indices created afterwards (tomorrow's daily index), as
 * Elasticsearch templates always do; fields the table gained are also added to the existing
 * daily indices (their mapping is strict, so today's index would otherwise reject every
 * document carrying a new field until midnight). A field whose type changed cannot be added
 * that way: Elasticsearch refuses, and so does the start.
 */
export async function installFlowIndexTemplate(client: Client, options: FlowIndexTemplateOptions = {}): Promise<TemplateInstallResult> {
  const template = buildFlowIndexTemplate(options);
  const existing = await client.indices.getIndexTemplate({ name: template.name }, { ignore: [404] });
  const current = existing.index_templates?.find((t) => t.name === template.name);
  if (current && (current.index_template._meta as Record<string, unknown> | undefined)?.digest === template._meta.digest) return 'unchanged';
  await client.indices.putIndexTemplate(template);
  const prefix = options.prefix ?? DEFAULT_FLOW_INDEX_PREFIX;
  // Only the daily indices of this prefix (the pattern also matches longer prefixes' indices).
  const daily = Object.keys(await client.indices.get({ index: flowIndexPattern(prefix), allow_no_indices: true, ignore_unavailable: true, filter_path: '*.settings.index.provided_name' }))
    .filter((name) => parseDailyFlowIndexName(name, prefix) !== undefined);
  if (daily.length > 0) await client.indices.putMapping({ index: daily, properties: buildFlowMappings().properties ?? {} });
  return current ? 'updated' : 'created';
}
