/**
 * The shape of Kibana saved objects as the `_import`/`_export` APIs exchange them (one JSON object
 * per line of an `.ndjson` file), the ids segflow gives its objects, and ndjson (de)serialisation.
 *
 * Only what segflow writes is typed; Kibana accepts more. Migration versions are the *oldest*
 * version whose shape these objects have: Kibana runs every later migration on import, while a
 * version newer than the running Kibana knows would make it refuse the object.
 */
import { DEFAULT_FLOW_INDEX_PREFIX, flowIndexPattern } from '../contract/flow-index-names.ts';

/** Saved-object types segflow writes. */
export type KibanaSavedObjectType = 'index-pattern' | 'lens' | 'search' | 'dashboard';

/** A reference from one saved object to another (resolved by Kibana on import). */
export interface KibanaReference {
  readonly name: string;
  readonly type: KibanaSavedObjectType;
  readonly id: string;
}

/** One line of an ndjson export. `attributes` are type-specific. */
export interface KibanaSavedObject<A extends object = Record<string, unknown>> {
  readonly id: string;
  readonly type: KibanaSavedObjectType;
  readonly attributes: A;
  readonly references: readonly KibanaReference[];
  readonly coreMigrationVersion: string;
  readonly typeMigrationVersion: string;
  readonly managed: boolean;
}

/**
 * Core migration version all objects declare. 8.8.0 is the first version with split
 * core/type migration versions, so any 8.8+ Kibana (8.19 in docker-compose.yml) accepts them.
 */
export const CORE_MIGRATION_VERSION = '8.8.0';

/**
 * Per type, the migration version whose document shape we write: index-pattern 8.0.0, Lens 8.9.0
 * (`formBased` datasource, `metrics` arrays in partition charts), saved search 8.0.0, dashboard
 * 8.7.0 (panels by reference with `panelRefName` and `<panelIndex>:panel_<panelIndex>` references).
 */
export const TYPE_MIGRATION_VERSION: Readonly<Record<KibanaSavedObjectType, string>> = {
  'index-pattern': '8.0.0',
  lens: '8.9.0',
  search: '8.0.0',
  dashboard: '8.7.0',
};

/** Id of the flow data view. Stable, so re-imports overwrite instead of duplicating. */
export const FLOW_DATA_VIEW_ID = 'segflow-flows';

/** Index pattern the data view covers (every daily flow index). */
export const FLOW_DATA_VIEW_PATTERN = flowIndexPattern(DEFAULT_FLOW_INDEX_PREFIX);

/** Builds a saved object with the migration versions of its type. */
export function savedObject<A extends object>(type: KibanaSavedObjectType, id: string, attributes: A, references: readonly KibanaReference[] = []): KibanaSavedObject<A> {
  return { id, type, attributes, references, coreMigrationVersion: CORE_MIGRATION_VERSION, typeMigrationVersion: TYPE_MIGRATION_VERSION[type], managed: false };
}

/** Serialises objects as Kibana's export does: one compact JSON document per line, trailing newline. */
export function toNdjson(objects: readonly KibanaSavedObject<object>[]): string {
  return objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
}

/** Parses an ndjson file (blank lines ignored); throws with the line number on bad JSON or a non-object line. */
export function parseNdjson(text: string, source = 'ndjson'): KibanaSavedObject[] {
  const out: KibanaSavedObject[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`${source}:${i + 1}: not JSON (${(err as Error).message})`, { cause: err });
    }
    if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'string' || typeof (value as { type?: unknown }).type !== 'string') {
      throw new Error(`${source}:${i + 1}: not a saved object (needs string "id" and "type")`);
    }
    out.push(value as KibanaSavedObject);
  });
  return out;
}
