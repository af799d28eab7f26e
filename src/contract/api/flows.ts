/**
 * `GET /api/v1/flows`: the route's own query parameters (the time range and filters are added by
 * the API from the field table) and its answer.
 */
import { Type, type Static } from 'typebox';
import { CompletenessOut, Nullable, TimeRangeOut } from './schema-parts.ts';

/** Longest raw value of any query parameter. */
export const MAX_PARAMETER_LENGTH = 4_096;

/** A string query parameter. */
export function StringParam(description: string, extra: { maxLength?: number; pattern?: string } = {}): ReturnType<typeof Type.String> {
  return Type.String({ maxLength: MAX_PARAMETER_LENGTH, description, ...extra });
}

/** The time range every flow route takes. */
export const RangeParams = {
  from: Type.Optional(StringParam('Start of the range (inclusive): ISO 8601 with a zone, or now-<n><s|m|h|d|w>. Default: to minus 15 minutes.')),
  to: Type.Optional(StringParam('End of the range (exclusive): ISO 8601 with a zone, or now[-<n><unit>]. Default: now.')),
};

/** The parameters of GET /flows besides the range and filters. */
export function flowsParams(limits: { maxPageSize: number; defaultPageSize: number }, sortable: readonly string[]) {
  return {
    sort: Type.Optional(StringParam(`Sort keys, comma-separated, - for descending. Sortable: ${sortable.join(', ')}. Default -time.`)),
    fields: Type.Optional(StringParam('Fields to return: API names (source_namespace), document paths (segflow.source.namespace) or objects (source). Default: the whole document.')),
    limit: Type.Integer({ minimum: 1, maximum: limits.maxPageSize, default: limits.defaultPageSize, description: `Page size (1-${limits.maxPageSize}).` }),
    cursor: Type.Optional(StringParam('next_cursor of the previous page. Other parameters may be repeated unchanged or left out.', { maxLength: 16_384 })),
  };
}

const Endpoint = Type.Object({
  kind: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  aggregated_name: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  service: Type.Optional(Type.Object({ name: Type.Optional(Type.String()), namespace: Type.Optional(Type.String()), port: Type.Optional(Type.Integer()) })),
}, { additionalProperties: true });

/** A policy hit as stored in `segflow.policy.<side>.enforced` (see the flow field table). */
export const StoredPolicyHit = Type.Object({
  policy_index: Type.Optional(Type.Integer()),
  tier: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
  rule_index: Type.Optional(Type.Integer({ description: '-1: the tier\'s end-of-tier default, attributed to this policy.' })),
  trigger: Type.Optional(Type.String()),
}, { additionalProperties: true });
export type StoredPolicyHit = Static<typeof StoredPolicyHit>;

/** One side's policy evaluation as stored. */
export const StoredPolicySide = Type.Object({
  verdict: Type.Optional(Type.String()),
  enforced: Type.Optional(Type.Array(StoredPolicyHit)),
  enforced_str: Type.Optional(Type.Array(Type.String())),
  pending_verdict: Type.Optional(Type.String()),
  pending: Type.Optional(Type.Array(StoredPolicyHit)),
}, { additionalProperties: true });
export type StoredPolicySide = Static<typeof StoredPolicySide>;

/**
 * A flow document as stored, plus its `id`. The parts clients read are described; the document
 * has more (every field of docs/flow-document.md), and a field selection returns fewer.
 */
export const StoredFlow = Type.Object({
  id: Type.String(),
  '@timestamp': Type.Optional(Type.String()),
  source: Type.Optional(Type.Object({ ip: Type.Optional(Type.String()), port: Type.Optional(Type.Integer()), bytes: Type.Optional(Type.Integer()) }, { additionalProperties: true })),
  destination: Type.Optional(Type.Object({ ip: Type.Optional(Type.String()), port: Type.Optional(Type.Integer()), bytes: Type.Optional(Type.Integer()) }, { additionalProperties: true })),
  network: Type.Optional(Type.Object({ transport: Type.Optional(Type.String()), bytes: Type.Optional(Type.Integer()), packets: Type.Optional(Type.Integer()) }, { additionalProperties: true })),
  rule: Type.Optional(Type.Object({ name: Type.Optional(Type.String()), ruleset: Type.Optional(Type.String()), uuid: Type.Optional(Type.String()), category: Type.Optional(Type.String()) }, { additionalProperties: true })),
  segflow: Type.Optional(Type.Object({
    verdict: Type.Optional(Type.String()),
    reporter: Type.Optional(Type.String()),
    source: Type.Optional(Endpoint),
    destination: Type.Optional(Endpoint),
    policy: Type.Optional(Type.Object({ egress: Type.Optional(StoredPolicySide), ingress: Type.Optional(StoredPolicySide) }, { additionalProperties: true })),
    observed: Type.Optional(Type.Object({ outcome: Type.Optional(Type.String()), mismatch: Type.Optional(Type.Boolean()) }, { additionalProperties: true })),
    flows: Type.Optional(Type.Object({ count: Type.Optional(Type.Integer()) }, { additionalProperties: true })),
    capture_source: Type.Optional(Type.String({ description: 'goldmane for flows Calico reported through Goldmane (docs/goldmane.md).' })),
    calico: Type.Optional(Type.Object({
      source: Type.Optional(Type.String()), action: Type.Optional(Type.String()),
      enforced_str: Type.Optional(Type.Array(Type.String())), pending_str: Type.Optional(Type.Array(Type.String())),
      evaluated_verdict: Type.Optional(Type.String()), evaluation: Type.Optional(Type.String()),
      disagreement: Type.Optional(Type.Boolean()), disagreement_reason: Type.Optional(Type.String()),
    }, { additionalProperties: true, description: 'What Calico reported, and how segflow\'s evaluation compares (Goldmane flows only).' })),
  }, { additionalProperties: true })),
}, { additionalProperties: true });
export type StoredFlow = Static<typeof StoredFlow>;

/** GET /flows. */
export const FlowPage = Type.Object({
  flows: Type.Array(StoredFlow),
  next_cursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last page.' })),
  total: Nullable(Type.Object({ value: Type.Integer(), relation: Type.String() }, { description: 'On the first page only.' })),
  range: TimeRangeOut,
  completeness: Type.Optional(CompletenessOut),
});
export type FlowPage = Static<typeof FlowPage>;
