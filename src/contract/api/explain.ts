/** `POST /api/v1/explain` and `POST /api/v1/preview`. */
import { Type, type Static } from 'typebox';
import { ReplayCountsOut } from './replay.ts';
import { DecidedBy, flowRequestFields, Nullable, StringEnum, TimeRangeOut, Verdict } from './schema-parts.ts';

/** A flow to explain (it need not have happened). */
export const ExplainBody = Type.Object(flowRequestFields({
  src: 'Source IP address.',
  dst: 'Destination IP address (same IP version).',
  time: 'Resolve addresses as of this ISO 8601 time.',
}), { additionalProperties: false });
export type ExplainBody = Static<typeof ExplainBody>;

/** A policy hit of an explain trace. */
export const ExplainHit = Type.Object({
  index: Type.Integer(), tier: Type.String(),
  kind: Type.String({ description: 'np, gnp, knp, kanp, kbanp, kcnp, ... or pro for a profile.' }),
  namespace: Nullable(Type.String()), name: Type.String(), action: Type.String(),
  ruleIndex: Type.Integer({ description: '-1: end of tier (or no profile rule matched).' }),
  endOfTier: Type.Boolean(), l7Unevaluated: Type.Boolean(),
});
export type ExplainHit = Static<typeof ExplainHit>;

/** A side's outcome. */
export const SideAction = StringEnum(['allow', 'deny', 'end-of-tier-deny', 'profile-allow', 'profile-deny', 'no-endpoint'] as const);

const ExplainScope = {
  action: SideAction,
  trace: Type.Array(Type.String(), { description: 'Calico policy-hit strings.' }),
  hits: Type.Array(ExplainHit),
  decidingHit: Nullable(Type.Integer({ description: 'Index of the deciding hit.' })),
};

/** One side (egress of the source, ingress of the destination). */
export const ExplainSide = Type.Object({
  ...ExplainScope,
  reached: Type.Boolean({ description: 'False for ingress when egress already denied.' }),
  stage: Nullable(Type.String()),
  stages: Type.Array(Type.Object({ stage: Type.String(), direction: Type.String(), endpoint: Type.String(), outcome: Type.String(), from: Type.Integer(), to: Type.Integer() })),
  pending: Type.Object(ExplainScope, { description: 'The staged policies\' verdict.' }),
});
export type ExplainSide = Static<typeof ExplainSide>;

export const ExplainEndpoint = Type.Object({
  kind: Type.String(), name: Nullable(Type.String()), namespace: Nullable(Type.String()),
  labels: Type.Record(Type.String(), Type.String()), ip: Type.String(), node: Nullable(Type.String()), serviceAccount: Nullable(Type.String()),
});
export type ExplainEndpoint = Static<typeof ExplainEndpoint>;

/** The verdict: exactly the JSON of `segflow explain --output json`. */
export const ExplainAnswer = Type.Object({
  verdict: Verdict,
  source: ExplainEndpoint,
  destination: ExplainEndpoint,
  egress: ExplainSide,
  ingress: ExplainSide,
  decidedBy: DecidedBy,
  l7Unevaluated: Type.Boolean(),
  caveats: Type.Array(Type.String()),
  warnings: Type.Array(Type.String()),
  revision: Type.Integer(),
});
export type ExplainAnswer = Static<typeof ExplainAnswer>;

/** A candidate policy to replay over stored flows. */
export function previewBody(maxHours: number) {
  return Type.Object({
    policy: Type.Union([
      Type.String({ minLength: 1 }),
      Type.Object({}, { additionalProperties: true }),
      Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: 50 }),
    ], { description: 'Candidate resources: YAML/JSON text, one object, or a list of objects.' }),
    hours: Type.Integer({ minimum: 1, maximum: maxHours, default: 24 }),
    examples: Type.Integer({ minimum: 0, maximum: 100, default: 20 }),
  }, { additionalProperties: false });
}
export type PreviewBody = Static<ReturnType<typeof previewBody>>;

const FlowEnd = Type.Object({
  ip: Type.String(),
  /** `representative`: the document kept no address; `ip` is the endpoint its identity resolved to. */
  address: Type.Union([Type.Literal('stored'), Type.Literal('representative')]),
  port: Nullable(Type.Integer()), namespace: Nullable(Type.String()), name: Nullable(Type.String()),
});

/** Why stored reports could not be resolved by identity, most frequent first. */
export const ReplayUnresolved = Type.Array(Type.Object({ reason: Type.String(), flows: Type.Integer() }), { maxItems: 5 });

/** A flow whose verdict the candidate changes. */
export const PreviewExample = Type.Object({
  id: Type.Optional(Type.String()), time: Nullable(Type.String()), source: FlowEnd, destination: FlowEnd, protocol: Type.Integer(),
  stored_verdict: Nullable(Type.String()), current_verdict: Type.String(), candidate_verdict: Type.String(),
  candidate: Type.Object({ decided_by: Type.String(), egress: Type.Immutable(Type.Array(Type.String())), ingress: Type.Immutable(Type.Array(Type.String())) }),
}, { additionalProperties: true });

/** POST /preview. */
export const PreviewAnswer = Type.Object({
  range: TimeRangeOut,
  inventory_revision: Type.Integer(),
  candidate: Type.Array(Type.Object({ kind: Type.String(), namespace: Nullable(Type.String()), name: Type.String() })),
  counting: Type.String(),
  ...ReplayCountsOut,
  changed: Type.Integer(),
  truncated: Type.Boolean(),
  examples: Type.Array(PreviewExample),
  unresolved: ReplayUnresolved,
}, { additionalProperties: true });
export type PreviewAnswer = Static<typeof PreviewAnswer>;
