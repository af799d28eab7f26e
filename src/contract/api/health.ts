/** `/healthz` and `/readyz`. */
import { Type, type Static } from 'typebox';
import { StringEnum } from './schema-parts.ts';

export const HealthAnswer = Type.Object({ status: StringEnum(['ok'] as const) });

const Check = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) }, { additionalProperties: true });

export const ReadyAnswer = Type.Object({
  status: Type.String({ description: 'ready or not_ready' }),
  checks: Type.Object({
    elasticsearch: Check,
    inventory: Type.Object({
      ok: Type.Boolean(), source: Type.String(),
      revision: Type.Optional(Type.Integer()), resources: Type.Optional(Type.Integer()), loaded_at: Type.Optional(Type.String()),
    }),
  }),
});
export type ReadyAnswer = Static<typeof ReadyAnswer>;
