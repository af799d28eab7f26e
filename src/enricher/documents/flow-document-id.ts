/**
 * Deterministic document ids. A flow document's `_id` is a hash of its aggregation key and the
 * start of its window, so when Kafka redelivers records after a crash the re-aggregated
 * document overwrites the one already indexed instead of adding a duplicate.
 */
import { createHash } from 'node:crypto';

/** A part of an aggregation key; null stands for a field aggregated away. */
export type AggregationKeyPart = string | number | boolean | null;

// Bumped when the way keys are hashed changes, so old and new ids can never collide by accident.
const ID_SCHEME = 'segflow-flow-id/v1';

/**
 * The id of the document for `aggregationKey` in the window starting at `windowStart`:
 * SHA-256 over a canonical encoding, first 160 bits, base64url (27 characters).
 *
 * A key given as parts is encoded as JSON so that parts containing separators cannot make two
 * different keys encode alike (["a|b","c"] vs ["a","b|c"]). The window start is taken in whole
 * milliseconds since the epoch, so Date and number inputs for the same instant agree.
 */
export function flowDocumentId(aggregationKey: string | readonly AggregationKeyPart[], windowStart: Date | number): string {
  const startMs = typeof windowStart === 'number' ? windowStart : windowStart.getTime();
  if (!Number.isFinite(startMs)) throw new Error(`flowDocumentId: invalid window start ${String(windowStart)}`);
  const key = typeof aggregationKey === 'string' ? JSON.stringify([aggregationKey]) : JSON.stringify(aggregationKey);
  return createHash('sha256').update(ID_SCHEME).update('\0').update(String(Math.trunc(startMs))).update('\0').update(key).digest().subarray(0, 20).toString('base64url');
}
