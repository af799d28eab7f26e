/**
 * Checks a value against an API schema with TypeBox's validator, every problem listed. The API's
 * schemas write "or null" as OpenAPI 3.0's `nullable` (what Fastify's serializer reads), which a
 * JSON Schema validator ignores: it becomes an explicit null alternative first.
 */
import Value from 'typebox/value';
import type { TSchema } from 'typebox';

/** `schema` as plain JSON Schema: every `nullable: true` turned into `anyOf: [schema, null]`. */
export function withNullAlternatives(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withNullAlternatives);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== 'nullable') out[k] = withNullAlternatives(v);
  return (schema as { nullable?: unknown }).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

/** Every way `value` fails `schema` (`<path>: <message>`); empty when it fits. */
export function schemaProblems(schema: TSchema, value: unknown): string[] {
  const plain = withNullAlternatives(schema) as TSchema;
  if (Value.Check(plain, value)) return [];
  return [...Value.Errors(plain, value)].map((e) => `${e.instancePath || '/'}: ${e.message}${e.keyword === 'additionalProperties' ? ` (${JSON.stringify(e.params)})` : ''}`);
}
