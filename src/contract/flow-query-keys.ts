/**
 * Query keys: two fields the enricher derives from every flow document so that the
 * troubleshooting views filter and group on one indexed value instead of combining many at
 * query time (docs/flow-document.md lists them with the other fields):
 *
 * - `segflow.primary_report` — the reporter rule that counts a connection once when both of its
 *   ends reported it (docs/operations.md, "Counting"): the `src` half whenever it can exist, the
 *   `dst` half only when the source is not an endpoint whose node reports. As a query it is a
 *   disjunction over two fields on every document in range; as a stored boolean, one term.
 * - `segflow.denied_group` — on denied documents only: a hash of the nine values `/denied`
 *   groups by (source and destination namespace and name, port, protocol, policy, tier, rule).
 *   Grouping by one keyword instead of a nine-source composite, and fetching each group's
 *   newest document with one collapse instead of nine-term filters, is what keeps `/denied`
 *   cheap over millions of stored flows. The API hashes the values of older indices' groups the
 *   same way, so both kinds of group compare equal.
 *
 * Indices created from a template with these keys say so in their mapping's `_meta`
 * (FLOW_QUERY_KEYS_META): the API uses the keys only when every index a range touches has them,
 * so documents written before an upgrade are never missed.
 */
import { createHash } from 'node:crypto';

/** `_meta` entry of a flow index whose documents all carry the query keys (with its version). */
export const FLOW_QUERY_KEYS_META = 'segflow_query_keys';
export const FLOW_QUERY_KEYS_VERSION = 1;

/** Source kinds whose node reports the `src` half of a connection. */
export const REPORTING_SOURCE_KINDS = ['workload', 'host'] as const;

/** The primary-report rule over a document's reporter and source kind. */
export function isPrimaryReport(reporter: string, sourceKind: string | undefined): boolean {
  if (reporter === 'src') return true;
  return !(REPORTING_SOURCE_KINDS as readonly string[]).includes(sourceKind ?? '');
}

/** What `/denied` groups by: group key name → document field, in key order. */
export const DENIED_GROUP_KEYS: readonly (readonly [string, string])[] = [
  ['source_namespace', 'segflow.source.namespace'], ['source_name', 'segflow.source.aggregated_name'],
  ['dest_namespace', 'segflow.destination.namespace'], ['dest_name', 'segflow.destination.aggregated_name'],
  ['dest_port', 'destination.port'], ['protocol', 'network.transport'],
  ['policy', 'rule.name'], ['tier', 'rule.ruleset'], ['rule', 'rule.uuid'],
];

/** A group's values in key order; null for a field the documents lack. */
export type DeniedGroupValues = readonly (string | number | null)[];

/**
 * The `segflow.denied_group` of a group's values: 128 bits of SHA-256 over their JSON, so
 * values holding any separator cannot collide by concatenation.
 */
export function deniedGroupId(values: DeniedGroupValues): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 22);
}

/** The value at a dotted path of a nested document (undefined when any step is missing). */
function valueAt(doc: unknown, path: string): unknown {
  let at: unknown = doc;
  for (const step of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

/** A document's group values (null where it has no value, as a composite's missing bucket). */
export function deniedGroupValuesOf(doc: unknown): DeniedGroupValues {
  return DENIED_GROUP_KEYS.map(([, field]) => {
    const v = valueAt(doc, field);
    return typeof v === 'string' || typeof v === 'number' ? v : null;
  });
}

/** The document shape the keys are derived from (every flow document has it). */
interface KeyedDocument {
  readonly segflow: { verdict: string; reporter: string; source?: { kind?: string }; primary_report?: boolean; denied_group?: string };
}

/** Sets the query keys on a finished document (in place) and returns it. */
export function withFlowQueryKeys<T extends KeyedDocument>(doc: T): T {
  const s = doc.segflow;
  s.primary_report = isPrimaryReport(s.reporter, s.source?.kind);
  if (s.verdict === 'deny') s.denied_group = deniedGroupId(deniedGroupValuesOf(doc));
  else delete s.denied_group;
  return doc;
}
