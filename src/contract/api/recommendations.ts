/** `POST /api/v1/recommendations`: policies from observed traffic, verified by replay. */
import { Type, type Static } from 'typebox';
import { PreviewExample, ReplayUnresolved } from './explain.ts';
import { ReplayCountsOut, ReplayGroup } from './replay.ts';
import { Nullable, StringEnum, TimeRangeOut } from './schema-parts.ts';

const NAME = { minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const Output = StringEnum(['staged', 'calico', 'kubernetes'] as const);

export const RecommendationBody = Type.Object({
  namespace: Type.String({ ...NAME, description: 'Namespace whose workloads get policies.' }),
  workload: Type.Optional(Type.String({ ...NAME, description: 'Only this workload (a name from a previous answer\'s workloads[].name).' })),
  from: Type.Optional(Type.String({ maxLength: 64, description: 'Start of the observed range: ISO 8601 with a zone or now-<n><s|m|h|d|w>. Default: to minus 24 hours.' })),
  to: Type.Optional(Type.String({ maxLength: 64, description: 'End of the observed range (default now).' })),
  output: Type.Optional(Type.Union([Type.Literal('staged'), Type.Literal('calico'), Type.Literal('kubernetes')], { description: 'staged: Calico StagedNetworkPolicy (default); calico: enforced Calico NetworkPolicy; kubernetes: networking.k8s.io/v1 NetworkPolicy.' })),
  tier: Type.Optional(Type.String({ ...NAME, description: 'Calico tier of the policies (default: default). Must exist.' })),
  order: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9, description: 'Calico order within the tier (default 1000).' })),
  dns: Type.Optional(Type.Boolean({ description: 'Keep DNS to the cluster DNS working (default true).' })),
  dns_namespace: Type.Optional(Type.String({ ...NAME, description: 'Namespace of the cluster DNS (default kube-system).' })),
  dns_labels: Type.Optional(Type.Record(Type.String({ maxLength: 253 }), Type.String({ maxLength: 63 }), { description: 'Labels of the cluster DNS pods (default k8s-app: kube-dns).' })),
  network_sets: Type.Optional(Type.Union([Type.Literal('namespaced'), Type.Literal('global')], { description: 'External addresses as NetworkSets of the namespace (default) or GlobalNetworkSets (unrestricted tokens only).' })),
  examples: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Changed flows to return as examples (default 20).' })),
}, { additionalProperties: false });
export type RecommendationBody = Static<typeof RecommendationBody>;

const Labels = Type.Record(Type.String(), Type.String());

/** One recommended workload: its policy, selector and rule counts. */
export const RecommendedWorkload = Type.Object({
  name: Type.String({ description: 'Aggregated name; what the workload parameter takes.' }),
  policy: Type.String(), selector: Type.String(), labels: Labels,
  ingress_rules: Type.Integer(), egress_rules: Type.Integer(),
  flows: Type.Integer({ description: 'Observed reports its rules stand for.' }),
}, { additionalProperties: false });
export type RecommendedWorkload = Static<typeof RecommendedWorkload>;

/** A recommended manifest (a policy or a network set), apply-ready. */
export const RecommendedDocument = Type.Object({
  apiVersion: Type.String(),
  kind: Type.String(),
  metadata: Type.Object({
    name: Type.String(), namespace: Type.Optional(Type.String()), labels: Type.Optional(Labels), annotations: Type.Optional(Labels),
  }, { additionalProperties: false }),
  spec: Type.Record(Type.String(), Type.Unknown()),
}, { additionalProperties: false });
export type RecommendedDocument = Static<typeof RecommendedDocument>;

/** The replay of the range's stored flows with the recommendation enforced. */
export const RecommendationReplay = Type.Object({
  counting: Type.String(),
  ...ReplayCountsOut,
  allowed_kept: Type.Integer({ description: 'Allowed flows that stay allowed.' }),
  denied_kept: Type.Integer(),
  allowed_not_replayed: Type.Integer({ description: 'Allowed reports with an end that has neither a stored address nor a representative.' }),
  verified: Type.Boolean({ description: 'Every observed allowed flow was replayed and none turns to deny.' }),
  changed_groups: Type.Array(ReplayGroup),
  truncated: Type.Boolean(),
  examples: Type.Array(PreviewExample),
  unresolved: ReplayUnresolved,
}, { additionalProperties: false });
export type RecommendationReplay = Static<typeof RecommendationReplay>;

/** POST /recommendations. */
export const RecommendationAnswer = Type.Object({
  namespace: Type.String(),
  workload: Nullable(Type.String()),
  range: TimeRangeOut,
  inventory_revision: Type.Integer(),
  output: Output,
  tier: Type.String(),
  observed: Type.Object({
    scanned: Type.Integer(), allowed: Type.Integer(), denied_not_recommended: Type.Integer(), unreadable: Type.Integer(),
    shapes: Type.Integer({ description: 'Distinct allowed connection shapes.' }), truncated: Type.Boolean(),
  }, { additionalProperties: false }),
  workloads: Type.Array(RecommendedWorkload),
  network_sets: Type.Array(Type.Object({ name: Type.String(), namespace: Nullable(Type.String()), nets: Type.Array(Type.String()) }, { additionalProperties: false })),
  dns: Type.Object({ kept: Type.Boolean(), observed_flows: Type.Integer(), target: Nullable(Type.String()), note: Type.String() }, { additionalProperties: false }),
  excluded: Type.Object({ out_of_scope: Type.Integer(), no_address: Type.Integer() }, { additionalProperties: false }),
  warnings: Type.Array(Type.String()),
  documents: Type.Array(RecommendedDocument),
  yaml: Type.String({ description: 'The documents as one multi-document YAML text.' }),
  replay: RecommendationReplay,
}, { additionalProperties: false });
export type RecommendationAnswer = Static<typeof RecommendationAnswer>;
