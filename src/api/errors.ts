/**
 * The API's error contract: every failure is JSON `{ error: { code, message, parameter? } }`.
 * `code` is stable (clients branch on it), `message` is for humans, `parameter` names the query
 * parameter or body field that was wrong, so a UI can point at the input to fix.
 */

/** Stable error codes. Adding one is fine; renaming one breaks clients. */
export const API_ERROR_CODES = [
  'invalid_parameter', 'unknown_parameter', 'missing_parameter', 'invalid_selector', 'invalid_time_range',
  'range_too_large', 'invalid_cursor', 'cursor_mismatch', 'invalid_body', 'payload_too_large',
  'unauthorized', 'forbidden', 'not_found', 'rate_limited', 'overloaded', 'timeout',
  'inventory_unavailable', 'elasticsearch_unavailable', 'elasticsearch_error', 'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The JSON body of every error response. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; parameter?: string };
}

/** An error with an HTTP status and a stable code; thrown anywhere below a route handler. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  readonly parameter: string | undefined;

  constructor(statusCode: number, code: ApiErrorCode, message: string, parameter?: string) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.parameter = parameter;
  }

  /** The response body for this error. */
  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.parameter !== undefined ? { parameter: this.parameter } : {}) } };
  }
}

/** 400 for a bad value of query parameter or body field `parameter`. */
export function invalidParameter(parameter: string, message: string): ApiError {
  return new ApiError(400, 'invalid_parameter', `${parameter}: ${message}`, parameter);
}

/**
 * Quotes user input for an error message: JSON string form (control characters escaped, so a
 * value cannot forge log lines or terminal output) and cut to a readable length.
 */
export function quoteInput(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/** The JSON schema of the error body, shared by every route's response schema (OpenAPI). */
export const errorResponseSchema = {
  type: 'object',
  description: 'Error: a stable code, a human message, and the parameter at fault when there is one.',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', enum: [...API_ERROR_CODES] },
        message: { type: 'string' },
        parameter: { type: 'string' },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;
