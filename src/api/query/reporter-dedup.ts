/**
 * Counting a connection once when both of its ends reported it.
 *
 * Calico's model (and segflow's) has a `reporter`: the node of the source endpoint reports the
 * flow as `src` (after evaluating egress), the node of the destination endpoint as `dst` (after
 * ingress). A workload-to-workload connection therefore appears twice, once per half; a flow
 * from or to an address that is not a segflow endpoint (public, private, network set) appears
 * only on the endpoint's side. Totals (stats, denied groups, preview counts) must count it once.
 *
 * Rule: the `src` half is the canonical one whenever it can exist; the `dst` half counts only
 * when the source is not an endpoint with a reporting node (source kind not workload/host):
 *
 *   reporter = src  OR  (reporter = dst AND source.kind ∉ {workload, host})
 *
 * This is a per-document predicate, so it works inside any aggregation and for aggregated
 * documents that carry no 5-tuple (deduplicating on `flow.id` would need the tuple and exact
 * cardinality). A flow denied by the source's egress is only ever reported by `src`, and is
 * counted; one denied by the destination's ingress is reported by both and counted once via
 * `src`. Known limit: a workload source whose node runs no segflow agent leaves only the `dst`
 * half, which this rule does not count; the flow search (`/flows`) always returns both halves.
 */
import type { estypes } from '@elastic/elasticsearch';
import { isPrimaryReport, REPORTING_SOURCE_KINDS } from '../../contract/flow-query-keys.ts';

/** The clause keeping exactly one document per reported connection half pair. */
export function canonicalReporterQuery(): estypes.QueryDslQueryContainer {
  return {
    bool: {
      should: [
        { term: { 'segflow.reporter': 'src' } },
        {
          bool: {
            filter: [{ term: { 'segflow.reporter': 'dst' } }],
            must_not: [{ terms: { 'segflow.source.kind': [...REPORTING_SOURCE_KINDS] } }],
          },
        },
      ],
      minimum_should_match: 1,
    },
  };
}

/**
 * The same rule as one term: documents carry it as `segflow.primary_report` (a query key, see
 * contract/flow-query-keys.ts); only for indices whose every document has it.
 */
export function primaryReportQuery(): estypes.QueryDslQueryContainer {
  return { term: { 'segflow.primary_report': true } };
}

/** The same predicate over a document (for in-process checks and tests). */
export function isCanonicalReport(doc: { segflow: { reporter: string; source: { kind: string } } }): boolean {
  return isPrimaryReport(doc.segflow.reporter, doc.segflow.source.kind);
}
