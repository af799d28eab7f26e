/**
 * Building blocks of the API's schemas (TypeBox: each schema is the JSON Schema the server
 * validates and documents with, and `Static<typeof X>` is the TypeScript type handlers and the
 * UI use, so the three cannot drift). Neutral: the API, the UI and clients import from here.
 */
import { Type, type Static, type TSchema, type TUnsafe } from 'typebox';

/**
 * `T` or null, written as OpenAPI 3.0's `nullable` (the document is 3.0.3, which has no
 * `type: 'null'`); the response serializer and the validator both read `nullable`.
 */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
}

/** One of `values`, as a plain JSON-schema string enum (OpenAPI 3.0 has no `const`). */
export function StringEnum<const V extends readonly string[]>(values: V, description?: string): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...(description !== undefined ? { description } : {}) });
}

/** The range an answer covers, ISO 8601. */
export const TimeRangeOut = Type.Object({
  from: Type.String({ description: 'Start (inclusive), ISO 8601.' }),
  to: Type.String({ description: 'End (exclusive), ISO 8601.' }),
}, { additionalProperties: false });

/** A flow's verdict. */
export const Verdict = StringEnum(['allow', 'deny'] as const);

/** Which side decided a verdict: the source's egress, the destination's ingress, both or neither. */
export const DecidedBy = StringEnum(['egress', 'ingress', 'both', 'none'] as const);

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const IcmpByte = Type.Integer({ minimum: 0, maximum: 255 });

/**
 * The fields of a request body that names one flow (`/explain`, `/fixes`): its addresses,
 * protocol, ports or ICMP type/code, and the time to resolve the addresses at. `describe`
 * words the fields whose meaning depends on the route.
 */
export function flowRequestFields(describe: { src: string; dst: string; time: string }) {
  return {
    src: Type.String({ maxLength: 64, description: describe.src }),
    dst: Type.String({ maxLength: 64, description: describe.dst }),
    protocol: Type.Union([Type.String({ maxLength: 16 }), Type.Integer({ minimum: 1, maximum: 255 })], { description: 'tcp, udp, icmp, icmpv6, sctp or a number 1-255.' }),
    dst_port: Type.Optional(Port),
    src_port: Type.Optional(Port),
    icmp_type: Type.Optional(IcmpByte),
    icmp_code: Type.Optional(IcmpByte),
    time: Type.Optional(Type.String({ maxLength: 64, description: describe.time })),
  };
}

/** How complete the stored data behind an answer is (/flows, /flows/stats, /denied). */
export { Completeness as CompletenessOut } from './completeness.ts';

/** Stable error codes. Adding one is fine; renaming one breaks clients. */
export const API_ERROR_CODES = [
  'invalid_parameter', 'unknown_parameter', 'missing_parameter', 'invalid_selector', 'invalid_time_range',
  'range_too_large', 'invalid_cursor', 'cursor_mismatch', 'invalid_body', 'payload_too_large', 'headers_too_large',
  'unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'rate_limited', 'overloaded', 'timeout',
  'inventory_unavailable', 'elasticsearch_unavailable', 'elasticsearch_error', 'bad_request', 'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The JSON body of every error response, from the routes and from the HTTP layer alike. */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: StringEnum(API_ERROR_CODES, 'Stable: clients branch on it.'),
    message: Type.String({ description: 'For humans.' }),
    parameter: Type.Optional(Type.String({ description: 'The query parameter or body field at fault.' })),
  }, { additionalProperties: false }),
}, { additionalProperties: false, description: 'Error: a stable code, a human message, and the parameter at fault when there is one.' });
export type ErrorBody = Static<typeof ErrorBody>;

/** The error responses every route declares. */
export const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody } as const;
