/**
 * The API's error contract: every failure is JSON `{ error: { code, message, parameter? } }`.
 * `code` is stable (clients branch on it), `message` is for humans, `parameter` names the query
 * parameter or body field that was wrong, so a UI can point at the input to fix.
 */

import { API_ERROR_CODES, ErrorBody, type ApiErrorCode } from '../contract/api/schema-parts.ts';

export { API_ERROR_CODES, type ApiErrorCode };

/** The JSON body of every error response (schema in src/contract/api/schema-parts.ts). */
export type ApiErrorBody = ErrorBody;

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
export const errorResponseSchema = ErrorBody;

/**
 * The raw HTTP answer to a request Node's parser refused before Fastify saw it (headers too
 * large, a malformed request line, a client too slow to send its headers): the same JSON body
 * as every other error, then the connection is closed.
 */
export function clientErrorResponse(err: NodeJS.ErrnoException): string {
  const [status, reason, error] = err.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'Request Header Fields Too Large', new ApiError(431, 'headers_too_large', 'request headers too large')]
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', new ApiError(408, 'timeout', 'the request was not received in time')]
      : [400, 'Bad Request', new ApiError(400, 'bad_request', 'malformed HTTP request')];
  const body = JSON.stringify(error.toBody());
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
