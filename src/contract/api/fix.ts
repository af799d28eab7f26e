/** `POST /api/v1/fixes`: the smallest policy change that allows a denied flow, verified by replay. */
import { Type, type Static } from 'typebox';
import { ExplainHit, PreviewExample, ReplayUnresolved, SideAction } from './explain.ts';
import { ReplayCountsOut, ReplayGroupOut } from './replay.ts';
import { DecidedBy, flowRequestFields, Nullable, StringEnum, TimeRangeOut, Verdict } from './schema-parts.ts';

/** The fix request: one flow of the denied group (as /explain takes it), the replay window, options. */
export function fixBody(maxHours: number) {
  return Type.Object({
    ...flowRequestFields({
      src: 'Source IP of a flow of the denied group (e.g. the example of a /denied group).',
      dst: 'Destination IP (same IP version).',
      time: 'Resolve addresses as of this ISO 8601 time (the flow\'s time).',
    }),
    hours: Type.Integer({ minimum: 1, maximum: maxHours, default: 24, description: 'Replay the stored flows of the last N hours.' }),
    staged: Type.Boolean({ default: false, description: 'Also return each changed policy as a staged policy, for a staged trial.' }),
    examples: Type.Integer({ minimum: 0, maximum: 100, default: 10, description: 'Changed flows returned as examples.' }),
  }, { additionalProperties: false });
}
export type FixBody = Static<ReturnType<typeof fixBody>>;

const FixScopeParts = {
  action: SideAction,
  trace: Type.Array(Type.String(), { description: 'Calico policy-hit strings.' }),
  hits: Type.Array(ExplainHit, { description: 'The same hits, in parts (what the UI words).' }),
  deciding_hit: Nullable(Type.Integer({ description: 'Index of the deciding hit.' })),
};

/** One side of a verdict: the enforced scope and the staged policies' (pending) scope. */
export const FixSide = Type.Object({
  ...FixScopeParts,
  reached: Type.Boolean({ description: 'False for ingress when egress already denied.' }),
  pending: Type.Object(FixScopeParts, { additionalProperties: false, description: 'The staged policies\' verdict.' }),
}, { additionalProperties: false });
export type FixSide = Static<typeof FixSide>;

const VerdictParts = { verdict: Verdict, decided_by: DecidedBy, egress: FixSide, ingress: FixSide };

/** The target flow's verdict, compactly. */
export const FixVerdict = Type.Object(VerdictParts, { additionalProperties: false });
export type FixVerdict = Static<typeof FixVerdict>;

const FixEndpoint = Type.Object({
  kind: StringEnum(['workload', 'host', 'networkset', 'public', 'private'] as const),
  namespace: Nullable(Type.String()), name: Nullable(Type.String()), ip: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
}, { additionalProperties: false });

const PolicyRef = Type.Object({ kind: Type.String(), namespace: Nullable(Type.String()), name: Type.String(), tier: Type.String() }, { additionalProperties: false });

/** One edit of the plan: where a rule goes and why there. */
export const FixEdit = Type.Object({
  policy: PolicyRef,
  side: StringEnum(['egress', 'ingress'] as const),
  scope: StringEnum(['enforced', 'pending'] as const, 'pending: the edit is to a staged policy.'),
  action: StringEnum(['Allow', 'Pass'] as const),
  index: Type.Integer({ description: 'Position of the new rule in the policy\'s rules of that side.' }),
  created: Type.Boolean({ description: 'The policy is new.' }),
  rule: Type.Record(Type.String(), Type.Unknown(), { description: 'The rule as written into the policy document.' }),
  reason: Type.String(),
}, { additionalProperties: false });
export type FixEdit = Static<typeof FixEdit>;

/** One policy touched, whole and as a diff. */
export const FixChange = Type.Object({
  kind: Type.String(), namespace: Nullable(Type.String()), name: Type.String(), tier: Type.String(),
  created: Type.Boolean(),
  apply_with: StringEnum(['calicoctl', 'kubectl'] as const),
  yaml: Type.String({ description: 'The whole edited document, apply-ready.' }),
  diff: Type.String({ description: 'Unified diff against the document as it is.' }),
  staged_yaml: Type.Optional(Type.String({ description: 'The staged variant (staged: true).' })),
}, { additionalProperties: false });
export type FixChange = Static<typeof FixChange>;

/** A replay group, marked when it is the target group. */
export const FixReplayGroup = Type.Object({ ...ReplayGroupOut, target: Type.Boolean() }, { additionalProperties: false });
export type FixReplayGroup = Static<typeof FixReplayGroup>;

/** The replay of the stored flows with the change applied. */
export const FixReplay = Type.Object({
  range: TimeRangeOut,
  counting: Type.String(),
  ...ReplayCountsOut,
  changed: Type.Integer(),
  truncated: Type.Boolean(),
  target_found: Type.Boolean({ description: 'The target group has stored flows in the range.' }),
  target_flows: Type.Integer(),
  allowed_groups: Type.Array(FixReplayGroup, { description: 'Denied groups the change allows (the target among them).' }),
  other_changes: Type.Array(FixReplayGroup, { description: 'Groups other than the target whose verdict changes.' }),
  other_changed_flows: Type.Integer(),
  examples: Type.Array(PreviewExample),
  unresolved: ReplayUnresolved,
}, { additionalProperties: false });
export type FixReplay = Static<typeof FixReplay>;

/** POST /fixes. */
export const FixAnswer = Type.Object({
  inventory_revision: Type.Integer(),
  flow: Type.Object({ src: Type.String(), dst: Type.String(), protocol: Type.String(), dst_port: Nullable(Type.Integer()) }, { additionalProperties: false }),
  target: Type.Object({ source: FixEndpoint, destination: FixEndpoint, protocol: Type.String(), port: Nullable(Type.Integer()) }, { additionalProperties: false }),
  before: FixVerdict,
  allowed: Type.Boolean({ description: 'With the change the flow is allowed.' }),
  edits: Type.Array(FixEdit),
  changes: Type.Array(FixChange),
  yaml: Type.String({ description: 'Every changed document, one multi-document YAML stream.' }),
  staged_yaml: Type.Optional(Type.String()),
  after: FixVerdict,
  staged_trial: Type.Optional(Type.Object({ enforced_verdict: Verdict, ...VerdictParts }, {
    additionalProperties: false, description: 'The verdict with the staged variants beside the current policies (staged: true).',
  })),
  replay: Nullable(FixReplay),
  notes: Type.Array(Type.String()),
}, { additionalProperties: false });
export type FixAnswer = Static<typeof FixAnswer>;
