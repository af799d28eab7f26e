/** Inventory views: `GET /api/v1/endpoints`, `/policies`, `/tiers`. */
import { Type, type Static } from 'typebox';
import { StringParam } from './flows.ts';
import { Nullable, StringEnum } from './schema-parts.ts';

const K8S_NAME = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';

export const EndpointsQuery = Type.Object({
  namespace: Type.Optional(StringParam('Only endpoints of this namespace.', { pattern: K8S_NAME })),
  selector: Type.Optional(StringParam('Calico selector over the effective labels.', { maxLength: 2048 })),
  kind: Type.Optional(StringEnum(['workload', 'host'] as const, 'Endpoint kind.')),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
}, { additionalProperties: false });
export type EndpointsQuery = Static<typeof EndpointsQuery>;

export const PoliciesQuery = Type.Object({
  namespace: Type.Optional(StringParam('Only policies of this namespace.', { pattern: K8S_NAME })),
  tier: Type.Optional(StringParam('Only policies of this tier.', { maxLength: 253 })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  matches_limit: Type.Integer({ minimum: 0, maximum: 1000, default: 20, description: 'Selected endpoints listed per policy.' }),
}, { additionalProperties: false });
export type PoliciesQuery = Static<typeof PoliciesQuery>;

export const TiersQuery = Type.Object({}, { additionalProperties: false });

/** A policy named by kind (short form: np, gnp, knp, ...), namespace, name and tier. */
export const PolicyRef = Type.Object({ kind: Type.String(), namespace: Nullable(Type.String()), name: Type.String(), tier: Type.String() });
export type PolicyRef = Static<typeof PolicyRef>;

export const EndpointEntry = Type.Object({
  key: Type.String({ description: 'Resource key, e.g. Pod/shop/frontend-7d9c5b-abcde.' }),
  kind: Type.String(),
  namespace: Nullable(Type.String()),
  name: Type.String(),
  node: Nullable(Type.String()),
  ips: Type.Array(Type.String()),
  labels: Type.Record(Type.String(), Type.String(), { description: 'Own labels (without projectcalico.org/* system labels).' }),
  service_account: Nullable(Type.String()),
  policies: Type.Array(PolicyRef, { description: 'Policies that apply to the endpoint, in evaluation order.' }),
});

export const EndpointsAnswer = Type.Object({ revision: Type.Integer(), total: Type.Integer(), endpoints: Type.Array(EndpointEntry) });
export type EndpointsAnswer = Static<typeof EndpointsAnswer>;

export const PolicyEntry = Type.Object({
  ...PolicyRef.properties,
  order: Nullable(Type.Number()),
  staged: Type.Boolean(),
  selector: Type.String(),
  types: Type.Object({ ingress: Type.Boolean(), egress: Type.Boolean() }, { description: 'The directions the policy applies to.' }),
  ingress_rules: Type.Integer(),
  egress_rules: Type.Integer(),
  selects: Type.Object({ count: Type.Integer(), endpoints: Type.Array(Type.String()) }),
});

export const PoliciesAnswer = Type.Object({ revision: Type.Integer(), total: Type.Integer(), policies: Type.Array(PolicyEntry) });
export type PoliciesAnswer = Static<typeof PoliciesAnswer>;

export const TiersAnswer = Type.Object({
  revision: Type.Integer(),
  tiers: Type.Array(Type.Object({
    name: Type.String(), rank: Type.Number(), default_action: Type.String(), defined: Type.Boolean(),
    policies: Type.Array(Type.Object({ ...PolicyRef.properties, order: Nullable(Type.Number()), staged: Type.Boolean() })),
  })),
});
export type TiersAnswer = Static<typeof TiersAnswer>;
