/**
 * Calico label selectors → Elasticsearch queries over a flow document's endpoint labels.
 *
 * Labels are stored in a `flattened` field (`segflow.source.labels`), whose keyed sub-fields
 * support term, terms, prefix and exists queries but not wildcard or regexp. So `contains` and
 * `endsWith` cannot be expressed directly: they are resolved against the label values that occur
 * in the queried data (a terms aggregation the caller runs first; see `valueExpansionKeys`) and
 * become a terms query over the matching values. The result has Calico's semantics exactly:
 *
 * - `k != v` and `k not in {…}` also match endpoints without label k (libcalico-go does so),
 * - `projectcalico.org/namespace` is the endpoint's namespace field, and `global()` means the
 *   endpoint has none (Calico adds that label to every namespaced endpoint; flow documents keep
 *   the namespace in its own field instead).
 */
import type { estypes } from '@elastic/elasticsearch';
import { NAMESPACE_LABEL, type SelectorNode } from '../../inventory/selector/index.ts';

type Query = estypes.QueryDslQueryContainer;

/** Where one endpoint's labels and namespace live in a flow document. */
export interface EndpointLabelFields {
  /** The flattened label field, e.g. `segflow.source.labels`. */
  readonly labels: string;
  /** The namespace keyword field, e.g. `segflow.source.namespace`. */
  readonly namespace: string;
}

/** Label values known to occur in the data, per label key (for contains/endsWith). */
export type LabelValueExpansions = ReadonlyMap<string, readonly string[]>;

/**
 * The label keys whose `contains`/`endsWith` tests need value expansion, so the caller can fetch
 * their values (a terms aggregation on `<labels>.<key>`) before compiling.
 */
export function valueExpansionKeys(ast: SelectorNode): string[] {
  const keys = new Set<string>();
  const walk = (n: SelectorNode): void => {
    switch (n.kind) {
      case 'contains': case 'endsWith':
        if (n.key !== NAMESPACE_LABEL) keys.add(n.key);
        return;
      case 'not': walk(n.operand); return;
      case 'and': case 'or': n.operands.forEach(walk); return;
      default: return;
    }
  };
  walk(ast);
  return [...keys].sort();
}

const MATCH_ALL: Query = { match_all: {} };
const MATCH_NONE: Query = { match_none: {} };

/**
 * Compiles a selector AST to a query over `fields`. `expansions` must hold the values of every
 * key `valueExpansionKeys` returned; a missing one is a programming error (thrown).
 */
export function selectorToQuery(ast: SelectorNode, fields: EndpointLabelFields, expansions: LabelValueExpansions = new Map()): Query {
  const fieldOf = (key: string): string => (key === NAMESPACE_LABEL ? fields.namespace : `${fields.labels}.${key}`);
  const notQuery = (q: Query): Query => ({ bool: { must_not: [q] } });
  const expanded = (key: string, test: (value: string) => boolean): Query => {
    const known = expansions.get(key);
    if (known === undefined) throw new Error(`selectorToQuery: no value expansion for label key ${JSON.stringify(key)}`);
    const values = known.filter(test);
    return values.length === 0 ? MATCH_NONE : { terms: { [fieldOf(key)]: values } };
  };
  const escapeWildcard = (v: string): string => v.replace(/[\\*?]/g, (c) => `\\${c}`);

  const walk = (n: SelectorNode): Query => {
    switch (n.kind) {
      case 'all': return MATCH_ALL;
      case 'global': return notQuery({ exists: { field: fields.namespace } });
      case 'has': return { exists: { field: fieldOf(n.key) } };
      case 'eq': return { term: { [fieldOf(n.key)]: n.value } };
      case 'neq': return notQuery({ term: { [fieldOf(n.key)]: n.value } });
      case 'in': return n.values.length === 0 ? MATCH_NONE : { terms: { [fieldOf(n.key)]: [...n.values] } };
      case 'notIn': return n.values.length === 0 ? MATCH_ALL : notQuery({ terms: { [fieldOf(n.key)]: [...n.values] } });
      case 'startsWith': return { prefix: { [fieldOf(n.key)]: n.value } };
      // The namespace is a plain keyword field: wildcard works there (with the value escaped).
      case 'contains':
        if (n.key === NAMESPACE_LABEL) return { wildcard: { [fields.namespace]: { value: `*${escapeWildcard(n.value)}*` } } };
        return expanded(n.key, (v) => v.includes(n.value));
      case 'endsWith':
        if (n.key === NAMESPACE_LABEL) return { wildcard: { [fields.namespace]: { value: `*${escapeWildcard(n.value)}` } } };
        return expanded(n.key, (v) => v.endsWith(n.value));
      case 'not': return notQuery(walk(n.operand));
      case 'and': return n.operands.length === 1 ? walk(n.operands[0] as SelectorNode) : { bool: { filter: n.operands.map(walk) } };
      case 'or': return n.operands.length === 1 ? walk(n.operands[0] as SelectorNode) : { bool: { should: n.operands.map(walk), minimum_should_match: 1 } };
    }
  };
  return walk(ast);
}
