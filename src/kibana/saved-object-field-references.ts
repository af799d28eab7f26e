/**
 * Finds every field a Kibana saved object refers to, with what it is used for, and checks the
 * list against an index mapping: each field must be mapped, and mapped with a type that fits
 * its use (a terms aggregation needs an aggregatable type outside `nested`, a sum needs a
 * number, …). The unit test runs this over `kibana/*.ndjson` against the flow index template,
 * so renaming or retyping a field in the field table fails CI until the dashboards follow.
 *
 * Where fields hide: the data view's time field, descriptions and formats; Lens columns, column
 * filters, queries and filters; saved-search columns, sort, query and filters; dashboard
 * queries and filters, and by-value panels embedded in a dashboard. An operation or object
 * type this module does not know is reported as a problem rather than skipped.
 */
import type { estypes } from '@elastic/elasticsearch';
import { flowFieldByPath } from '../contract/flow-fields.ts';
import type { KibanaSavedObject } from './kibana-saved-objects.ts';
import { KqlSyntaxError, kqlFieldReferences } from './kql-fields.ts';
import { LENS_RECORDS_FIELD } from './lens-builder.ts';

/** What a saved object does with a field; decides which mapping types fit. */
export type FieldUse =
  | 'time' // the data view's time field
  | 'date-histogram' // date_histogram buckets
  | 'bucket' // terms (top values) buckets
  | 'numeric-metric' // sum / average / min / max / median
  | 'distinct' // unique_count
  | 'exists' // count of documents having the field
  | 'sort' // Discover sort
  | 'query' // KQL or filter clause
  | 'range-query' // KQL comparison or range filter
  | 'display' // Discover column
  | 'describe' // data view field description
  | 'bytes-format'; // data view bytes formatter

/** One field reference, located well enough to find it in the ndjson. */
export interface FieldReference {
  readonly objectType: string;
  readonly objectId: string;
  /** Where in the object, e.g. `lens column c2 (terms)` or `query`. */
  readonly location: string;
  readonly field: string;
  readonly use: FieldUse;
  /** Set when the reference is made inside a KQL nested query on this parent. */
  readonly nestedPath?: string;
}

/** What was found: the references, and what could not be read (each one a failure). */
export interface FieldReferenceScan {
  readonly references: FieldReference[];
  readonly unreadable: string[];
}

const METRIC_OPERATIONS: Record<string, FieldUse> = {
  terms: 'bucket',
  date_histogram: 'date-histogram',
  sum: 'numeric-metric',
  average: 'numeric-metric',
  min: 'numeric-metric',
  max: 'numeric-metric',
  median: 'numeric-metric',
  standard_deviation: 'numeric-metric',
  percentile: 'numeric-metric',
  unique_count: 'distinct',
  count: 'exists',
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJsonAttribute(value: unknown, what: string, unreadable: string[]): unknown {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (err) {
    unreadable.push(`${what}: not JSON (${(err as Error).message})`);
    return undefined;
  }
}

/** Field names used by an Elasticsearch query DSL clause (as stored in Kibana filters). */
function dslFields(clause: unknown, nestedPath: string | undefined, out: { field: string; use: FieldUse; nestedPath?: string }[]): void {
  if (Array.isArray(clause)) {
    for (const c of clause) dslFields(c, nestedPath, out);
    return;
  }
  if (!isObject(clause)) return;
  for (const [key, value] of Object.entries(clause)) {
    const base = nestedPath === undefined ? {} : { nestedPath };
    if (['match_phrase', 'match', 'term', 'terms', 'wildcard', 'prefix', 'regexp', 'fuzzy'].includes(key) && isObject(value)) {
      for (const field of Object.keys(value)) if (field !== 'boost') out.push({ field, use: 'query', ...base });
    } else if (key === 'range' && isObject(value)) {
      for (const field of Object.keys(value)) out.push({ field, use: 'range-query', ...base });
    } else if (key === 'exists' && isObject(value) && typeof value.field === 'string') {
      out.push({ field: value.field, use: 'query', ...base });
    } else if (key === 'nested' && isObject(value) && typeof value.path === 'string') {
      dslFields(value.query, value.path, out);
    } else if (key === 'query_string' || key === 'simple_query_string' || key === 'script') {
      out.push({ field: `<${key}>`, use: 'query', ...base });
    } else {
      dslFields(value, nestedPath, out);
    }
  }
}

/**
 * Reads one saved object's field references. `push` records a reference; KQL and filters go
 * through the parsers above.
 */
function scanObject(object: KibanaSavedObject, references: FieldReference[], unreadable: string[]): void {
  const where = `${object.type} ${object.id}`;
  const push = (location: string, field: string, use: FieldUse, nestedPath?: string): void => {
    references.push({ objectType: object.type, objectId: object.id, location, field, use, ...(nestedPath === undefined ? {} : { nestedPath }) });
  };
  const kql = (location: string, query: unknown): void => {
    if (query === undefined || query === null) return;
    if (!isObject(query)) {
      unreadable.push(`${where} ${location}: query is not an object`);
      return;
    }
    if (query.language !== 'kuery') {
      unreadable.push(`${where} ${location}: ${String(query.language)} query cannot be checked (use KQL)`);
      return;
    }
    if (typeof query.query !== 'string') {
      unreadable.push(`${where} ${location}: query text is not a string`);
      return;
    }
    try {
      for (const ref of kqlFieldReferences(query.query)) push(location, ref.field, ref.kind === 'range' ? 'range-query' : 'query', ref.nestedPath);
    } catch (err) {
      if (err instanceof KqlSyntaxError) unreadable.push(`${where} ${location}: ${err.message}`);
      else throw err;
    }
  };
  const filters = (location: string, list: unknown): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      unreadable.push(`${where} ${location}: filters are not a list`);
      return;
    }
    list.forEach((filter, i) => {
      if (!isObject(filter)) return;
      const found: { field: string; use: FieldUse; nestedPath?: string }[] = [];
      if (isObject(filter.meta) && typeof filter.meta.key === 'string') found.push({ field: filter.meta.key, use: 'query' });
      const { meta: _meta, $state: _state, ...clauses } = filter;
      dslFields(clauses, undefined, found);
      for (const f of found) push(`${location}[${i}]`, f.field, f.use, f.nestedPath);
    });
  };
  const searchSource = (location: string, json: unknown): void => {
    const source = parseJsonAttribute(json, `${where} ${location}`, unreadable);
    if (!isObject(source)) return;
    kql(`${location} query`, source.query);
    filters(`${location} filter`, source.filter);
  };
  const lensState = (prefix: string, state: unknown): void => {
    if (!isObject(state)) {
      unreadable.push(`${where} ${prefix}: Lens state missing`);
      return;
    }
    const datasources = isObject(state.datasourceStates) ? state.datasourceStates : {};
    for (const [datasource, value] of Object.entries(datasources)) {
      if (datasource === 'textBased' && isObject(value) && isObject(value.layers) && Object.keys(value.layers).length === 0) continue;
      if (datasource !== 'formBased' && datasource !== 'indexpattern') {
        unreadable.push(`${where} ${prefix}: datasource ${datasource} cannot be checked`);
        continue;
      }
      const layers = isObject(value) && isObject(value.layers) ? value.layers : {};
      for (const [layerId, layer] of Object.entries(layers)) {
        const columns = isObject(layer) && isObject(layer.columns) ? layer.columns : {};
        for (const [columnId, column] of Object.entries(columns)) {
          if (!isObject(column)) continue;
          const op = String(column.operationType);
          const location = `${prefix}lens layer ${layerId} column ${columnId} (${op})`;
          if (isObject(column.filter)) kql(`${location} filter`, column.filter);
          if (op === 'formula' || op === 'math') {
            // A formula's own sub-columns (…X0, …X1) carry the real operations and fields.
            continue;
          }
          const use = METRIC_OPERATIONS[op];
          if (use === undefined) {
            unreadable.push(`${where} ${location}: operation ${op} is not known to the field check`);
            continue;
          }
          if (typeof column.sourceField !== 'string') {
            unreadable.push(`${where} ${location}: no sourceField`);
            continue;
          }
          if (op === 'count' && column.sourceField === LENS_RECORDS_FIELD) continue;
          push(location, column.sourceField, use);
        }
      }
    }
    kql(`${prefix}query`, state.query);
    filters(`${prefix}filters`, state.filters);
  };

  const a = object.attributes as Json;
  switch (object.type) {
    case 'index-pattern': {
      if (typeof a.timeFieldName === 'string') push('timeFieldName', a.timeFieldName, 'time');
      const attrs = parseJsonAttribute(a.fieldAttrs, `${where} fieldAttrs`, unreadable);
      if (isObject(attrs)) for (const field of Object.keys(attrs)) push('fieldAttrs', field, 'describe');
      const formats = parseJsonAttribute(a.fieldFormatMap, `${where} fieldFormatMap`, unreadable);
      if (isObject(formats)) {
        for (const [field, format] of Object.entries(formats)) push('fieldFormatMap', field, isObject(format) && format.id === 'bytes' ? 'bytes-format' : 'display');
      }
      const runtime = parseJsonAttribute(a.runtimeFieldMap, `${where} runtimeFieldMap`, unreadable);
      if (isObject(runtime) && Object.keys(runtime).length > 0) unreadable.push(`${where}: runtime fields cannot be checked against the mapping`);
      break;
    }
    case 'lens':
      lensState('', a.state);
      break;
    case 'search': {
      if (Array.isArray(a.columns)) for (const c of a.columns) if (typeof c === 'string' && c !== '_source') push('columns', c, 'display');
      if (Array.isArray(a.sort)) for (const s of a.sort) if (Array.isArray(s) && typeof s[0] === 'string') push('sort', s[0], 'sort');
      searchSource('searchSourceJSON', isObject(a.kibanaSavedObjectMeta) ? a.kibanaSavedObjectMeta.searchSourceJSON : undefined);
      break;
    }
    case 'dashboard': {
      searchSource('searchSourceJSON', isObject(a.kibanaSavedObjectMeta) ? a.kibanaSavedObjectMeta.searchSourceJSON : undefined);
      const panels = parseJsonAttribute(a.panelsJSON, `${where} panelsJSON`, unreadable);
      if (Array.isArray(panels)) {
        for (const panel of panels) {
          if (!isObject(panel) || !isObject(panel.embeddableConfig)) continue;
          const byValue = panel.embeddableConfig.attributes;
          // By-reference panels are checked through the object they reference; by-value Lens is checked here.
          if (isObject(byValue)) lensState(`panel ${String(panel.panelIndex)} `, byValue.state);
          if (isObject(panel.embeddableConfig.query)) kql(`panel ${String(panel.panelIndex)} query`, panel.embeddableConfig.query);
          filters(`panel ${String(panel.panelIndex)} filters`, panel.embeddableConfig.filters);
        }
      }
      break;
    }
    default:
      unreadable.push(`${where}: saved-object type ${object.type} is not known to the field check`);
  }
}

/** Every field reference of `objects`, plus what could not be read. */
export function scanFieldReferences(objects: readonly KibanaSavedObject[]): FieldReferenceScan {
  const references: FieldReference[] = [];
  const unreadable: string[] = [];
  for (const object of objects) scanObject(object, references, unreadable);
  return { references, unreadable };
}

/** A mapped field: its type, and the nested parent it lives under, if any. */
export interface MappedField {
  readonly type: string;
  readonly nestedPath?: string;
}

/** Flattens an index mapping to path → type, walking objects and nested fields. */
export function flattenMapping(mapping: estypes.MappingTypeMapping): Map<string, MappedField> {
  const out = new Map<string, MappedField>();
  const walk = (properties: Record<string, estypes.MappingProperty>, prefix: string, nestedPath: string | undefined): void => {
    for (const [name, property] of Object.entries(properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      const sub = (property as { properties?: Record<string, estypes.MappingProperty> }).properties;
      const type = property.type ?? 'object';
      if (type !== 'object') out.set(path, nestedPath === undefined ? { type } : { type, nestedPath });
      if (sub) walk(sub, path, type === 'nested' ? path : nestedPath);
    }
  };
  walk(mapping.properties ?? {}, '', undefined);
  return out;
}

/** Mapping types Elasticsearch can aggregate and sort on (doc values by default). */
const AGGREGATABLE = new Set(['keyword', 'ip', 'long', 'integer', 'short', 'byte', 'double', 'float', 'scaled_float', 'date', 'date_nanos', 'boolean']);
const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'scaled_float', 'half_float', 'unsigned_long']);
const RANGEABLE = new Set([...NUMERIC, 'date', 'date_nanos', 'ip', 'keyword']);

/** A query on a field inside a nested object only matches through a nested query on that object. */
function nestingProblem(ref: FieldReference, mapped: MappedField): string | undefined {
  if (mapped.nestedPath !== undefined && ref.nestedPath !== mapped.nestedPath) return `lies inside nested ${mapped.nestedPath}: query it as ${mapped.nestedPath}:{ … } or it never matches`;
  if (mapped.nestedPath === undefined && ref.nestedPath !== undefined) return `is queried inside nested ${ref.nestedPath} but is not part of it`;
  return undefined;
}

/**
 * Checks references against a mapping; returns one line per problem (empty = all good).
 * Besides the mapping type, group-by uses (terms, date histograms) must be on fields the field
 * table marks `aggregatable`, the contract the query API honours as well.
 */
export function checkFieldReferences(references: readonly FieldReference[], mapping: estypes.MappingTypeMapping): string[] {
  const fields = flattenMapping(mapping);
  const problems: string[] = [];
  for (const ref of references) {
    const at = `${ref.objectType} ${ref.objectId} ${ref.location}: ${ref.field}`;
    const mapped = fields.get(ref.field);
    if (mapped === undefined) {
      // A key under a flattened field (`segflow.source.labels.app`) is queryable but not mapped on its own.
      const flattenedParent = [...fields.entries()].find(([path, f]) => f.type === 'flattened' && ref.field.startsWith(`${path}.`));
      if (flattenedParent && (ref.use === 'query' || ref.use === 'display')) continue;
      problems.push(`${at} is not a field of the index mapping`);
      continue;
    }
    if (mapped.type === 'nested' && ref.use !== 'query') {
      problems.push(`${at} is a nested field; it can only be queried (field:{ … }), not ${ref.use}`);
      continue;
    }
    const inNested = mapped.nestedPath !== undefined;
    const fits = ((): string | undefined => {
      switch (ref.use) {
        case 'time':
        case 'date-histogram':
          if (mapped.type !== 'date' && mapped.type !== 'date_nanos') return `needs a date field, is ${mapped.type}`;
          if (inNested) return `lies inside nested ${mapped.nestedPath}, which Kibana cannot aggregate`;
          if (ref.use === 'date-histogram' && flowFieldByPath(ref.field)?.aggregatable !== true) return 'is not marked aggregatable in the field table';
          return undefined;
        case 'bucket':
        case 'distinct':
        case 'sort':
          if (!AGGREGATABLE.has(mapped.type)) return `needs an aggregatable type, is ${mapped.type}`;
          if (inNested) return `lies inside nested ${mapped.nestedPath}, which Kibana cannot aggregate (use the *_str keyword trace fields)`;
          if (ref.use === 'bucket' && flowFieldByPath(ref.field)?.aggregatable !== true) return 'is not marked aggregatable in the field table';
          return undefined;
        case 'numeric-metric':
        case 'bytes-format':
          if (!NUMERIC.has(mapped.type)) return `needs a numeric type, is ${mapped.type}`;
          if (inNested) return `lies inside nested ${mapped.nestedPath}, which Kibana cannot aggregate`;
          return undefined;
        case 'exists':
          return inNested ? `lies inside nested ${mapped.nestedPath}, which Kibana cannot count` : undefined;
        case 'range-query':
          if (!RANGEABLE.has(mapped.type)) return `cannot be compared with < or >, is ${mapped.type}`;
          return nestingProblem(ref, mapped);
        case 'query':
          return nestingProblem(ref, mapped);
        case 'display':
        case 'describe':
          return undefined;
      }
    })();
    if (fits !== undefined) problems.push(`${at} ${fits} (use: ${ref.use})`);
  }
  return problems;
}
