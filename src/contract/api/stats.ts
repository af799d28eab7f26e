/** `GET /api/v1/flows/stats`: totals, top lists, timeline, policy hits and the namespace matrix. */
import { Type, type Static } from 'typebox';
import { StringParam } from './flows.ts';
import { CompletenessOut, Nullable, StringEnum, TimeRangeOut } from './schema-parts.ts';

/** The views /flows/stats can compute. */
export const STATS_VIEWS = ['top_talkers', 'top_denied_pairs', 'timeline', 'policy_hits', 'namespace_matrix'] as const;
export type StatsView = (typeof STATS_VIEWS)[number];

/** The parameters of GET /flows/stats besides the range and filters. */
export const statsParams = {
  view: Type.Optional(StringParam(`Views to compute, comma-separated: ${STATS_VIEWS.join(', ')}. Default: all.`)),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10, description: 'Entries per top list (1-100).' }),
  interval: Type.Optional(StringParam('Timeline bucket width (30s, 5m, 1h). Default: chosen for about 120 buckets.')),
};

const Direction = StringEnum(['egress', 'ingress'] as const);

export const TopTalker = Type.Object({ namespace: Nullable(Type.String()), name: Type.String(), flows: Type.Integer(), bytes: Type.Integer(), packets: Type.Integer() });
export const TimelineBucket = Type.Object({ time: Type.String(), flows: Type.Integer(), denied: Type.Integer(), bytes: Type.Integer(), packets: Type.Integer() });
export const DeniedPair = Type.Object({
  source: Type.Object({ namespace: Nullable(Type.String()), name: Nullable(Type.String()) }),
  destination: Type.Object({ namespace: Nullable(Type.String()), name: Nullable(Type.String()) }),
  flows: Type.Integer(), bytes: Type.Integer(), last_seen: Nullable(Type.String()),
});
export const MatrixCell = Type.Object({
  source: Nullable(Type.String({ description: 'null: global endpoints and addresses that are not endpoints.' })),
  destination: Nullable(Type.String()),
  flows: Type.Integer(), denied: Type.Integer(), bytes: Type.Integer(),
});
export type MatrixCell = Static<typeof MatrixCell>;
export const PolicyHitSummary = Type.Object({
  kind: Type.String(), namespace: Nullable(Type.String()), name: Type.String(), tier: Type.String(),
  known: Type.Boolean({ description: 'False when the policy is in the traces but no longer in the policy index.' }),
  hits: Type.Integer(),
  rules: Type.Array(Type.Object({ direction: Direction, rule_index: Type.Integer({ description: '-1: end of tier.' }), action: Type.String(), hits: Type.Integer() })),
  never_matched: Type.Array(Type.Object({ direction: Direction, rule_index: Type.Integer() })),
});

/** GET /flows/stats; the views not asked for are absent. */
export const StatsAnswer = Type.Object({
  range: TimeRangeOut,
  counting: Type.String(),
  totals: Type.Object({ flows: Type.Integer(), bytes: Type.Integer(), packets: Type.Integer(), denied: Type.Integer() }),
  top_talkers: Type.Optional(Type.Array(TopTalker)),
  top_talkers_truncated: Type.Optional(Type.Boolean({ description: 'More talkers exist than the server reads (limits.maxGroups): the top is over the first ones in key order. Present with top_talkers.' })),
  timeline: Type.Optional(Type.Object({ interval: Type.String(), buckets: Type.Array(TimelineBucket) })),
  top_denied_pairs: Type.Optional(Type.Object({ pairs: Type.Array(DeniedPair), truncated: Type.Boolean() })),
  namespace_matrix: Type.Optional(Type.Object({ cells: Type.Array(MatrixCell), truncated: Type.Boolean() })),
  policy_hits: Type.Optional(Type.Object({
    inventory_revision: Nullable(Type.Integer()),
    note: Type.String(),
    policies: Type.Array(PolicyHitSummary),
    truncated: Type.Boolean(),
  })),
  completeness: Type.Optional(CompletenessOut),
});
export type StatsAnswer = Static<typeof StatsAnswer>;
