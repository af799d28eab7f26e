/**
 * What is wrong with a raw message or one of its records, found at ingest: a machine-readable
 * code (the `reason` label of the rejection metrics and of dead letters), the path of the field
 * (`records[3].original_bytes`, `(header) segflow-schema`, `(message)`) and a sentence for people.
 * Every check collects all the problems it finds instead of stopping at the first, so one dead
 * letter tells the producer everything it has to fix.
 */

/** Every reason the enricher rejects input for (a closed set: it labels metrics). */
export const INGEST_PROBLEM_CODES = [
  // the message as a whole
  'tombstone', 'undecodable', 'too_large', 'unknown_schema', 'missing_key', 'invalid_batch',
  // one record
  'invalid_field', 'end_before_start', 'time_too_old', 'time_in_future',
  'bytes_exceed_link', 'counter_too_large', 'packets_exceed_bytes', 'bytes_without_packets', 'counters_without_accounting',
  // later stages
  'enrich_failed', 'index_rejected',
] as const;
export type IngestProblemCode = (typeof INGEST_PROBLEM_CODES)[number];

export interface IngestProblem {
  readonly code: IngestProblemCode;
  /** Path of the offending field, e.g. `records[2].end_time_unix_nano`; `(message)` for the whole value. */
  readonly field: string;
  readonly message: string;
}

/** `field: message` for each problem, joined: the human-readable account of a rejection. */
export function describeProblems(problems: readonly IngestProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message} [${p.code}]`).join('; ');
}

/** The distinct codes of `problems`, in first-seen order. */
export function problemCodes(problems: readonly IngestProblem[]): IngestProblemCode[] {
  return [...new Set(problems.map((p) => p.code))];
}
