/**
 * What a caller may see, as a query clause. A namespaced token sees a flow when either end is in
 * one of its namespaces; the clause is ANDed into every Elasticsearch query the API sends for
 * that caller (search, aggregations, value expansions, preview scans), so documents outside the
 * scope never leave Elasticsearch — nothing is filtered out of results afterwards.
 */
import type { estypes } from '@elastic/elasticsearch';

/** Namespaces a caller may see; `null` = unrestricted. */
export interface AccessScope {
  readonly namespaces: readonly string[] | null;
}

/** The unrestricted scope (admin tokens without namespaces, or auth disabled on loopback). */
export const UNRESTRICTED: AccessScope = Object.freeze({ namespaces: null });

/** Source and destination namespace fields of a flow document. */
export const ENDPOINT_NAMESPACE_FIELDS = ['segflow.source.namespace', 'segflow.destination.namespace'] as const;

/**
 * The clause restricting flows to the scope, or undefined when unrestricted. An empty namespace
 * list matches nothing (a token that names no namespace must not see everything).
 */
export function scopeQuery(scope: AccessScope): estypes.QueryDslQueryContainer | undefined {
  if (scope.namespaces === null) return undefined;
  if (scope.namespaces.length === 0) return { match_none: {} };
  return {
    bool: {
      should: ENDPOINT_NAMESPACE_FIELDS.map((field) => ({ terms: { [field]: [...scope.namespaces as string[]] } })),
      minimum_should_match: 1,
    },
  };
}

/** True when `namespace` (null = a global resource) is visible in the scope. */
export function scopeAllowsNamespace(scope: AccessScope, namespace: string | null): boolean {
  if (scope.namespaces === null) return true;
  return namespace !== null && scope.namespaces.includes(namespace);
}
