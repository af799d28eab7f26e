/**
 * The dead-letter record format. Messages the enricher cannot use (undecodable, invalid) and
 * documents Elasticsearch rejects for good go to the dead-letter topic instead of stopping the
 * pipeline or vanishing. The value is the original bytes, untouched, so a fixed enricher can
 * replay them; everything about why and where from travels in headers, so tools can filter
 * and count without decoding the payload.
 */
import type { IHeaders, Message } from 'kafkajs';
import type { IngestProblem } from './ingest/ingest-problem.ts';

/** Version of this header layout, for readers that outlive a change. */
export const DEAD_LETTER_FORMAT_VERSION = '1';

/** Header names of a dead-letter record. */
export const DEAD_LETTER_HEADERS = {
  version: 'segflow-dlq-version',
  reason: 'segflow-dlq-reason',
  stage: 'segflow-dlq-stage',
  error: 'segflow-dlq-error',
  originTopic: 'segflow-dlq-origin-topic',
  originPartition: 'segflow-dlq-origin-partition',
  originOffset: 'segflow-dlq-origin-offset',
  /** Index of the rejected record in the origin message's `records` (record-level dead letters). */
  originRecord: 'segflow-dlq-origin-record',
  /** Every problem as JSON `[{code, field, message}]` (bounded, see problemsTotal). */
  problems: 'segflow-dlq-problems',
  /** How many problems there were (the JSON list stops before MAX_PROBLEMS_JSON_CHARS). */
  problemsTotal: 'segflow-dlq-problems-total',
  contentType: 'segflow-dlq-content-type',
  deadLetteredAt: 'segflow-dlq-time',
} as const;

/** Prefix under which the original message's own headers are carried over. */
export const ORIGINAL_HEADER_PREFIX = 'segflow-dlq-original-';

/** Where in the enricher a record failed. */
export type DeadLetterStage = 'decode' | 'validate' | 'enrich' | 'index';

// Headers are not meant for stack traces; a long Elasticsearch reason is cut here.
const MAX_ERROR_CHARS = 4096;
// A message with thousands of bad records must still fit in one Kafka message.
const MAX_PROBLEMS_JSON_CHARS = 64 * 1024;

/** Everything known about a record that goes to the dead-letter topic. */
export interface DeadLetterInput {
  /** Machine-readable reason, e.g. `undecodable`, `invalid_batch`, `document_parsing_exception`; several are comma-separated. */
  reason: string;
  stage: DeadLetterStage;
  /** Topic, partition and offset of the message the record came from. */
  topic: string;
  partition: number;
  offset: string | number | bigint;
  /** Key to publish under; the original key keeps the record next to its node's other records. */
  key?: Buffer | string | null;
  /** The original bytes (raw message value, or the rejected document's JSON). */
  payload: Buffer | string | null;
  /** The error that sent it here (an Error's message or a reason string). */
  error?: unknown;
  /** Media type of the payload, e.g. `application/x-protobuf` or `application/json`. */
  contentType?: string;
  /** The original message's headers, carried over under ORIGINAL_HEADER_PREFIX. */
  originalHeaders?: IHeaders;
  /** When the record was dead-lettered; also the Kafka timestamp. Omitted: Kafka stamps it. */
  at?: Date | number;
  /** Every problem found (listed as JSON in a header). */
  problems?: readonly IngestProblem[];
  /** Index of the record in the origin message, for a dead letter of one record. */
  originRecord?: number;
}

/** The problems as a JSON list, cut before MAX_PROBLEMS_JSON_CHARS at a whole entry. */
function problemsJson(problems: readonly IngestProblem[]): string {
  const parts: string[] = [];
  let length = 2;
  for (const p of problems) {
    const part = JSON.stringify({ code: p.code, field: p.field, message: p.message });
    if (length + part.length + 1 > MAX_PROBLEMS_JSON_CHARS) break;
    parts.push(part);
    length += part.length + 1;
  }
  return `[${parts.join(',')}]`;
}

function errorText(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}

/** Builds the Kafka message for the dead-letter topic. Pure: same input, same message. */
export function buildDeadLetter(input: DeadLetterInput): Message {
  if (!input.reason) throw new Error('a dead-letter record needs a reason');
  if (!Number.isInteger(input.partition) || input.partition < 0) throw new Error(`invalid origin partition ${input.partition}`);
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(input.originalHeaders ?? {})) {
    if (value !== undefined) headers[`${ORIGINAL_HEADER_PREFIX}${name}`] = value;
  }
  headers[DEAD_LETTER_HEADERS.version] = DEAD_LETTER_FORMAT_VERSION;
  headers[DEAD_LETTER_HEADERS.reason] = input.reason;
  headers[DEAD_LETTER_HEADERS.stage] = input.stage;
  headers[DEAD_LETTER_HEADERS.originTopic] = input.topic;
  headers[DEAD_LETTER_HEADERS.originPartition] = String(input.partition);
  headers[DEAD_LETTER_HEADERS.originOffset] = String(input.offset);
  if (input.originRecord !== undefined) headers[DEAD_LETTER_HEADERS.originRecord] = String(input.originRecord);
  if (input.problems !== undefined) {
    headers[DEAD_LETTER_HEADERS.problems] = problemsJson(input.problems);
    headers[DEAD_LETTER_HEADERS.problemsTotal] = String(input.problems.length);
  }
  const error = errorText(input.error);
  if (error !== undefined) headers[DEAD_LETTER_HEADERS.error] = error;
  if (input.contentType) headers[DEAD_LETTER_HEADERS.contentType] = input.contentType;
  const message: Message = {
    key: input.key ?? null,
    value: typeof input.payload === 'string' ? Buffer.from(input.payload) : input.payload,
    headers,
  };
  if (input.at !== undefined) {
    const ms = typeof input.at === 'number' ? input.at : input.at.getTime();
    headers[DEAD_LETTER_HEADERS.deadLetteredAt] = new Date(ms).toISOString();
    message.timestamp = String(ms);
  }
  return message;
}

/** A dead-letter record's headers, read back (by replay tools and tests). */
export interface DeadLetterInfo {
  version: string | undefined;
  reason: string | undefined;
  stage: string | undefined;
  error: string | undefined;
  topic: string | undefined;
  partition: number | undefined;
  offset: string | undefined;
  contentType: string | undefined;
  /** Index of the rejected record in the origin message, for record-level dead letters. */
  record: number | undefined;
  /** The problems listed (possibly fewer than problemsTotal). */
  problems: IngestProblem[];
  problemsTotal: number | undefined;
  originalHeaders: Record<string, string>;
}

/** Reads the segflow headers of a dead-letter record (as kafkajs delivers them: Buffers). */
export function parseDeadLetterHeaders(headers: IHeaders | undefined): DeadLetterInfo {
  const text = (name: string): string | undefined => {
    const value = headers?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  };
  const originalHeaders: Record<string, string> = {};
  for (const name of Object.keys(headers ?? {})) {
    if (name.startsWith(ORIGINAL_HEADER_PREFIX)) originalHeaders[name.slice(ORIGINAL_HEADER_PREFIX.length)] = text(name) ?? '';
  }
  const partition = text(DEAD_LETTER_HEADERS.originPartition);
  const record = text(DEAD_LETTER_HEADERS.originRecord);
  const problems = text(DEAD_LETTER_HEADERS.problems);
  const total = text(DEAD_LETTER_HEADERS.problemsTotal);
  return {
    version: text(DEAD_LETTER_HEADERS.version),
    reason: text(DEAD_LETTER_HEADERS.reason),
    stage: text(DEAD_LETTER_HEADERS.stage),
    error: text(DEAD_LETTER_HEADERS.error),
    topic: text(DEAD_LETTER_HEADERS.originTopic),
    partition: partition === undefined ? undefined : Number(partition),
    offset: text(DEAD_LETTER_HEADERS.originOffset),
    contentType: text(DEAD_LETTER_HEADERS.contentType),
    record: record === undefined ? undefined : Number(record),
    problems: problems === undefined ? [] : (JSON.parse(problems) as IngestProblem[]),
    problemsTotal: total === undefined ? undefined : Number(total),
    originalHeaders,
  };
}
