/**
 * Opaque pagination cursors for `/flows`.
 *
 * A cursor carries the point-in-time (PIT) id, the sort values of the last hit returned
 * (`search_after`), the request's parameters and its resolved time range. Paging with a PIT
 * reads one frozen view of the indices, so documents indexed while a client pages neither shift
 * pages (no duplicates) nor slip between them (no gaps); the resolved range keeps `now-15m` from
 * moving between pages. Cursors are signed (HMAC-SHA256) so a tampered or foreign one is
 * rejected with a precise error instead of producing an odd Elasticsearch failure; the access
 * scope is never taken from a cursor but re-derived from the caller's token on every page.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.ts';

/** A sort value as Elasticsearch returns it in `hits[].sort`. */
export type SortValue = string | number | boolean | null;

/** What a cursor holds. */
export interface CursorState {
  /** Elasticsearch point-in-time id. */
  readonly pit: string;
  /** The PIT serves other searches too (shared-point-in-time.ts): the last page must not close it. */
  readonly sharedPit: boolean;
  /** Sort values of the last hit of the previous page. */
  readonly after: readonly SortValue[];
  /** The request's query parameters (everything but `cursor`), normalised. */
  readonly params: Readonly<Record<string, string>>;
  readonly fromMs: number;
  readonly toMs: number;
  /** Who paged: a cursor only continues for the token that started it. */
  readonly principal: string;
  /** When the PIT lapses (epoch ms), to report "expired" rather than an ES error. */
  readonly expiresMs: number;
}

/** Longest cursor accepted (a PIT id over many indices is long, but not this long). */
export const MAX_CURSOR_LENGTH = 16_384;
const VERSION = 2;

function sign(payload: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** Encodes and signs a cursor. */
export function encodeCursor(state: CursorState, secret: Buffer): string {
  const payload = Buffer.from(JSON.stringify({ v: VERSION, ...state })).toString('base64url');
  return `${payload}.${sign(payload, secret).toString('base64url')}`;
}

const bad = (why: string): ApiError => new ApiError(400, 'invalid_cursor', `cursor: ${why}; start again without a cursor`, 'cursor');

function isSortValue(v: unknown): v is SortValue {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * Verifies and decodes a cursor.
 * @throws ApiError invalid_cursor when it is malformed, not signed by this deployment's secret,
 *   or expired.
 */
export function decodeCursor(text: string, secret: Buffer, nowMs: number): CursorState {
  if (text.length > MAX_CURSOR_LENGTH) throw bad('too long');
  const dot = text.indexOf('.');
  if (dot < 0 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text)) throw bad('not a cursor returned by this API');
  const payload = text.slice(0, dot);
  const mac = Buffer.from(text.slice(dot + 1), 'base64url');
  const expected = sign(payload, secret);
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw bad('signature does not match (tampered, or issued by another deployment)');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw bad('undecodable');
  }
  const o = value as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || o.v !== VERSION) throw bad('unsupported cursor version');
  const params = o.params as Record<string, unknown>;
  if (
    typeof o.pit !== 'string' || typeof o.sharedPit !== 'boolean' || !Array.isArray(o.after) || !o.after.every(isSortValue)
    || typeof params !== 'object' || params === null || !Object.values(params).every((p) => typeof p === 'string')
    || typeof o.fromMs !== 'number' || typeof o.toMs !== 'number' || typeof o.principal !== 'string' || typeof o.expiresMs !== 'number'
  ) throw bad('malformed');
  if (o.expiresMs < nowMs) throw bad(`expired at ${new Date(o.expiresMs).toISOString()} (pages must be fetched within the keep-alive)`);
  return {
    pit: o.pit, sharedPit: o.sharedPit, after: o.after as SortValue[], params: params as Record<string, string>,
    fromMs: o.fromMs, toMs: o.toMs, principal: o.principal, expiresMs: o.expiresMs,
  };
}

/** True when two parameter sets are the same query (order of keys does not matter). */
export function sameParams(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}
