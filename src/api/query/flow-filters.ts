/**
 * The filters of the flow routes, derived from the flow field table
 * (`src/contract/flow-fields.ts`): every table field with an `api` name that is
 * `filterable` becomes a query parameter of that name, its kind following the field's type —
 *
 *   keyword → exact values (closed vocabulary checked when the table lists `values`)
 *   ip      → addresses or CIDRs
 *   long    → integers or inclusive ranges `a-b` (ports are checked against 0–65535)
 *   boolean → true | false
 *   flattened (labels) → a Calico label selector
 *
 * — plus a few cross-field filters the table cannot express by itself (either-end namespace,
 * node, policy and tier anywhere in the enforced traces, the deciding policy). A parameter
 * takes a comma-separated list, meaning any of the values. Values are validated here and put
 * into term/range/prefix/nested queries as data: no request text is ever parsed by
 * Elasticsearch (no query_string), so nothing a client sends can change the query's shape.
 *
 * This module is pure: no I/O, no clock.
 */
import type { estypes } from '@elastic/elasticsearch';
import { flowFieldByPath, resolveFlowFields, type ResolvedFlowField } from '../../contract/flow-fields.ts';
import { parseCidr, parseIp } from '../../inventory/model/ip.ts';
import { POLICY_SHORT_KIND } from '../../inventory/model/resources.ts';
import { parseSelectorAst, SelectorError, type SelectorNode } from '../../inventory/selector/index.ts';
import { ApiError, invalidParameter, quoteInput } from '../errors.ts';
import { selectorToQuery, valueExpansionKeys, type EndpointLabelFields } from './selector-query.ts';

type Query = estypes.QueryDslQueryContainer;

/** How a filter parameter's value is read and compiled. */
export type FilterKind = 'keyword' | 'ip' | 'integer' | 'boolean' | 'selector' | 'policy' | 'tier';

/** One filter query parameter. */
export interface FlowFilterDefinition {
  /** Query parameter name. */
  readonly param: string;
  readonly kind: FilterKind;
  /** Document fields the filter tests; a flow matches when any of them matches. */
  readonly fields: readonly string[];
  /** Closed vocabulary (keyword filters). */
  readonly values?: readonly string[];
  /** Largest accepted integer (integer filters). */
  readonly max?: number;
  /** Label and namespace fields (selector filters). */
  readonly endpoint?: EndpointLabelFields;
  readonly description: string;
}

/** Most values one parameter may list. */
export const MAX_FILTER_VALUES = 100;
/** Longest single keyword value (Kubernetes names are at most 253 characters). */
export const MAX_KEYWORD_LENGTH = 256;
/** Longest selector accepted. */
export const MAX_SELECTOR_LENGTH = 2048;

/** Nested fields holding the enforced policy traces of each direction. */
export const ENFORCED_TRACE_PATHS = ['segflow.policy.egress.enforced', 'segflow.policy.ingress.enforced'] as const;

function requireField(path: string): ResolvedFlowField {
  const f = flowFieldByPath(path);
  if (f === undefined) throw new Error(`flow-filters: field ${path} is not in the flow field table`);
  return f;
}

function fromTable(f: ResolvedFlowField): FlowFilterDefinition | undefined {
  const param = f.api as string;
  const description = f.description;
  switch (f.type) {
    case 'keyword':
      return { param, kind: 'keyword', fields: [f.path], ...(f.values ? { values: f.values } : {}), description };
    case 'ip':
      return { param, kind: 'ip', fields: [f.path], description: `${description} An address or a CIDR.` };
    case 'long':
      return { param, kind: 'integer', fields: [f.path], max: f.path.endsWith('.port') || f.path.endsWith('_port') ? 65535 : Number.MAX_SAFE_INTEGER, description: `${description} An integer or a range a-b.` };
    case 'boolean':
      return { param, kind: 'boolean', fields: [f.path], description };
    case 'flattened': {
      const namespace = f.path.replace(/\.labels$/, '.namespace');
      requireField(namespace);
      return { param, kind: 'selector', fields: [f.path], endpoint: { labels: f.path, namespace }, description: `${description} A Calico label selector, e.g. app == 'cart' && has(tier).` };
    }
    default:
      return undefined; // dates are the time range; nested traces have the policy/tier filters
  }
}

function crossFieldFilters(): FlowFilterDefinition[] {
  const defs: FlowFilterDefinition[] = [
    { param: 'namespace', kind: 'keyword', fields: ['segflow.source.namespace', 'segflow.destination.namespace'], description: 'Namespace of either end.' },
    { param: 'node', kind: 'keyword', fields: ['host.name', 'segflow.source.node', 'segflow.destination.node'], description: 'Node that reported the flow or that either end runs on.' },
    { param: 'policy', kind: 'policy', fields: [...ENFORCED_TRACE_PATHS], description: 'A policy anywhere in the enforced egress or ingress trace: [kind:][namespace/]name, e.g. np:shop/allow-web or default-deny.' },
    { param: 'tier', kind: 'tier', fields: [...ENFORCED_TRACE_PATHS], description: 'A tier anywhere in the enforced egress or ingress trace.' },
    { param: 'deciding_policy', kind: 'keyword', fields: ['rule.name'], description: 'The policy that decided the verdict ([namespace/]name).' },
    { param: 'deciding_tier', kind: 'keyword', fields: ['rule.ruleset'], description: 'Tier of the policy that decided the verdict.' },
  ];
  for (const d of defs) for (const path of d.fields) requireField(path);
  return defs;
}

let definitions: ReadonlyMap<string, FlowFilterDefinition> | undefined;

/** Every filter parameter, by name (derived once from the field table). */
export function flowFilterDefinitions(): ReadonlyMap<string, FlowFilterDefinition> {
  if (definitions) return definitions;
  const map = new Map<string, FlowFilterDefinition>();
  for (const f of resolveFlowFields()) {
    if (f.api === undefined || f.filterable !== true || f.nestedPath !== undefined) continue;
    const def = fromTable(f);
    if (def) map.set(def.param, def);
  }
  for (const def of crossFieldFilters()) {
    if (map.has(def.param)) throw new Error(`flow-filters: cross-field filter ${def.param} collides with a field table api name`);
    map.set(def.param, def);
  }
  definitions = map;
  return map;
}

/** A policy reference from a `policy` filter value. */
export interface PolicyRef {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name: string;
}

/** A validated filter value, ready to compile. */
export type ParsedFilter =
  | { readonly def: FlowFilterDefinition; readonly kind: 'keyword' | 'ip'; readonly values: readonly string[] }
  | { readonly def: FlowFilterDefinition; readonly kind: 'integer'; readonly ranges: readonly (readonly [number, number])[] }
  | { readonly def: FlowFilterDefinition; readonly kind: 'boolean'; readonly value: boolean }
  | { readonly def: FlowFilterDefinition; readonly kind: 'selector'; readonly ast: SelectorNode }
  | { readonly def: FlowFilterDefinition; readonly kind: 'policy'; readonly policies: readonly PolicyRef[] }
  | { readonly def: FlowFilterDefinition; readonly kind: 'tier'; readonly values: readonly string[] };

// Every policy kind the engine writes into hits (one source: the inventory model), and profiles.
const POLICY_KINDS: readonly string[] = [...Object.values(POLICY_SHORT_KIND), 'pro'];
// Kubernetes object names (DNS subdomains; Calico tiered policy names carry a `tier.` prefix).
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const K8S_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what it rejects
const CONTROL = /[\u0000-\u001f\u007f]/;

function splitList(def: FlowFilterDefinition, raw: string): string[] {
  const items = raw.split(',');
  if (items.length > MAX_FILTER_VALUES) throw invalidParameter(def.param, `at most ${MAX_FILTER_VALUES} comma-separated values, got ${items.length}`);
  items.forEach((item, i) => {
    if (item === '') throw invalidParameter(def.param, `empty value${items.length > 1 ? ` at position ${i + 1} of the list` : ''}`);
  });
  return [...new Set(items)];
}

function parseKeyword(def: FlowFilterDefinition, raw: string): string[] {
  const values = splitList(def, raw);
  for (const v of values) {
    if (v.length > MAX_KEYWORD_LENGTH) throw invalidParameter(def.param, `value longer than ${MAX_KEYWORD_LENGTH} characters`);
    if (CONTROL.test(v)) throw invalidParameter(def.param, `control characters are not allowed: ${quoteInput(v)}`);
    if (def.values && !def.values.includes(v)) throw invalidParameter(def.param, `must be one of ${def.values.join(', ')}; got ${quoteInput(v)}`);
  }
  return values;
}

function parseIpList(def: FlowFilterDefinition, raw: string): string[] {
  return splitList(def, raw).map((v) => {
    const ip = v.includes('/') ? parseCidr(v) : parseIp(v);
    if (ip === null) throw invalidParameter(def.param, `expected an IP address or CIDR (10.0.0.0/8, fd00::/8), got ${quoteInput(v)}`);
    return ip.text;
  });
}

function parseIntegerList(def: FlowFilterDefinition, raw: string): [number, number][] {
  const max = def.max ?? Number.MAX_SAFE_INTEGER;
  const int = (text: string, whole: string): number => {
    if (!/^\d{1,16}$/.test(text) || Number(text) > max) throw invalidParameter(def.param, `expected an integer 0-${max} or a range a-b, got ${quoteInput(whole)}`);
    return Number(text);
  };
  return splitList(def, raw).map((v) => {
    const dash = v.indexOf('-');
    if (dash < 0) {
      const n = int(v, v);
      return [n, n];
    }
    const lo = int(v.slice(0, dash), v);
    const hi = int(v.slice(dash + 1), v);
    if (lo > hi) throw invalidParameter(def.param, `range ${quoteInput(v)} is empty (start after end)`);
    return [lo, hi];
  });
}

function parsePolicyRef(def: FlowFilterDefinition, v: string): PolicyRef {
  const bad = (): ApiError => invalidParameter(def.param, `expected [kind:][namespace/]name with kind one of ${POLICY_KINDS.join(', ')}, got ${quoteInput(v)}`);
  let rest = v;
  let kind: string | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    kind = rest.slice(0, colon);
    if (!POLICY_KINDS.includes(kind)) throw bad();
    rest = rest.slice(colon + 1);
  }
  let namespace: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    namespace = rest.slice(0, slash);
    if (!K8S_LABEL.test(namespace)) throw bad();
    rest = rest.slice(slash + 1);
  }
  if (!K8S_NAME.test(rest)) throw bad();
  return { ...(kind !== undefined ? { kind } : {}), ...(namespace !== undefined ? { namespace } : {}), name: rest };
}

/**
 * Validates one filter parameter's raw value.
 * @throws ApiError (invalid_parameter / invalid_selector) naming the parameter.
 */
export function parseFilter(def: FlowFilterDefinition, raw: string): ParsedFilter {
  switch (def.kind) {
    case 'keyword': return { def, kind: 'keyword', values: parseKeyword(def, raw) };
    case 'ip': return { def, kind: 'ip', values: parseIpList(def, raw) };
    case 'integer': return { def, kind: 'integer', ranges: parseIntegerList(def, raw) };
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalidParameter(def.param, `expected true or false, got ${quoteInput(raw)}`);
      return { def, kind: 'boolean', value: raw === 'true' };
    case 'selector': {
      if (raw.length > MAX_SELECTOR_LENGTH) throw new ApiError(400, 'invalid_selector', `${def.param}: selector longer than ${MAX_SELECTOR_LENGTH} characters`, def.param);
      try {
        return { def, kind: 'selector', ast: parseSelectorAst(raw) };
      } catch (err) {
        if (err instanceof SelectorError) throw new ApiError(400, 'invalid_selector', `${def.param}: ${err.message}`, def.param);
        throw err;
      }
    }
    case 'policy': return { def, kind: 'policy', policies: splitList(def, raw).map((v) => parsePolicyRef(def, v)) };
    case 'tier':
      return {
        def, kind: 'tier', values: splitList(def, raw).map((v) => {
          if (v !== '__PROFILE__' && !K8S_NAME.test(v)) throw invalidParameter(def.param, `expected a tier name, got ${quoteInput(v)}`);
          return v;
        }),
      };
  }
}

/**
 * Picks the filter parameters out of a request's query and validates each one. Parameters that
 * are not filters are ignored here (the route schema rejects unknown ones).
 */
export function parseFilters(query: Readonly<Record<string, unknown>>): ParsedFilter[] {
  const defs = flowFilterDefinitions();
  const out: ParsedFilter[] = [];
  for (const [param, raw] of Object.entries(query)) {
    const def = defs.get(param);
    if (def === undefined || raw === undefined) continue;
    if (typeof raw !== 'string') throw invalidParameter(param, 'give the parameter once (use a comma-separated list for several values)');
    out.push(parseFilter(def, raw));
  }
  return out;
}

/** A label key whose values must be fetched before compiling (contains/endsWith selectors). */
export interface ExpansionNeed {
  readonly labelsField: string;
  readonly key: string;
}

/** The value expansions the filters need (see selector-query.ts). */
export function expansionNeeds(filters: readonly ParsedFilter[]): ExpansionNeed[] {
  const out: ExpansionNeed[] = [];
  for (const f of filters) {
    if (f.kind !== 'selector') continue;
    for (const key of valueExpansionKeys(f.ast)) out.push({ labelsField: (f.def.endpoint as EndpointLabelFields).labels, key });
  }
  return out;
}

/** Known label values: labels field → key → values. */
export type ExpansionValues = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

function anyOf(queries: Query[]): Query {
  return queries.length === 1 ? (queries[0] as Query) : { bool: { should: queries, minimum_should_match: 1 } };
}

function policyHitQuery(path: string, ref: PolicyRef): Query {
  const must: Query[] = [{ term: { [`${path}.name`]: ref.name } }];
  if (ref.namespace !== undefined) must.push({ term: { [`${path}.namespace`]: ref.namespace } });
  if (ref.kind !== undefined) must.push({ term: { [`${path}.kind`]: ref.kind } });
  return { nested: { path, query: { bool: { filter: must } } } };
}

/** Compiles one validated filter to a query. */
export function compileFilter(f: ParsedFilter, expansions: ExpansionValues = new Map()): Query {
  const fields = f.def.fields;
  switch (f.kind) {
    case 'keyword': case 'ip':
      return anyOf(fields.map((field) => ({ terms: { [field]: [...f.values] } })));
    case 'integer':
      return anyOf(fields.flatMap((field) => {
        const singles = f.ranges.filter(([lo, hi]) => lo === hi).map(([lo]) => lo);
        const ranges = f.ranges.filter(([lo, hi]) => lo !== hi);
        const qs: Query[] = ranges.map(([lo, hi]) => ({ range: { [field]: { gte: lo, lte: hi } } }));
        if (singles.length > 0) qs.unshift({ terms: { [field]: singles } });
        return qs;
      }));
    case 'boolean':
      return anyOf(fields.map((field) => ({ term: { [field]: f.value } })));
    case 'selector': {
      const endpoint = f.def.endpoint as EndpointLabelFields;
      return selectorToQuery(f.ast, endpoint, expansions.get(endpoint.labels) ?? new Map());
    }
    case 'policy':
      return anyOf(fields.flatMap((path) => f.policies.map((ref) => policyHitQuery(path, ref))));
    case 'tier':
      return anyOf(fields.map((path) => ({ nested: { path, query: { terms: { [`${path}.tier`]: [...f.values] } } } })));
  }
}
