/** `GET /api/v1/denied`: denied flows grouped and explained. */
import { Type, type Static } from 'typebox';
import { StoredFlow } from './flows.ts';
import { CompletenessOut, Nullable, StringEnum, TimeRangeOut } from './schema-parts.ts';

/** The parameters of GET /denied besides the range and filters. */
export const deniedParams = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Groups returned (1-500), newest first.' }),
};

/** One group: who, to where, and which policy and rule decided. */
export const DeniedGroup = Type.Object({
  source: Type.Object({ namespace: Nullable(Type.String()), name: Nullable(Type.String({ description: 'Aggregated name.' })) }),
  destination: Type.Object({ namespace: Nullable(Type.String()), name: Nullable(Type.String()), port: Nullable(Type.Integer()), protocol: Nullable(Type.String()) }),
  policy: Type.Object({
    name: Nullable(Type.String({ description: 'The deciding policy (rule.name).' })),
    tier: Nullable(Type.String()),
    rule: Nullable(Type.String({ description: 'Deciding rule id <kind>:<namespace>/<name>:<direction>:<index>; index -1 is the end of the tier.' })),
    side: Nullable(StringEnum(['egress', 'ingress'] as const)),
  }),
  flows: Type.Integer({ description: 'Connections (one report per connection).' }),
  bytes: Type.Integer(),
  first_seen: Nullable(Type.String()),
  last_seen: Nullable(Type.String()),
  explanation: Type.String({ description: 'Why the newest flow of the group was denied, in words.' }),
  example: Nullable(StoredFlow),
});
export type DeniedGroup = Static<typeof DeniedGroup>;

/** GET /denied. */
export const DeniedAnswer = Type.Object({
  range: TimeRangeOut,
  counting: Type.String({ description: 'How connections are counted.' }),
  total_groups: Type.Integer(),
  truncated: Type.Boolean({ description: 'More groups exist than the server reads (limits.maxGroups).' }),
  groups: Type.Array(DeniedGroup),
  completeness: Type.Optional(CompletenessOut),
});
export type DeniedAnswer = Static<typeof DeniedAnswer>;
