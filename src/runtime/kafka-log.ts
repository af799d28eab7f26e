/**
 * The kafkajs log creator of secured clients: kafkajs log entries go to the role's logger
 * with three guards.
 *
 * - Secrets never leave: fields that can hold credentials (`sasl`, `ssl`, `password`, keys and
 *   certificates, at any depth) are replaced, and the configured secret strings are masked
 *   wherever they appear (messages, stacks, nested values).
 * - No storms: kafkajs logs every failed attempt (several per second while a broker is down, a
 *   stack each). An entry equal to one logged in the last `repeatWindowMs` is counted instead,
 *   and the next one after the window says how many were suppressed.
 * - Fatal failures are the role's to report: entries that describe a TLS, SASL or ACL failure
 *   drop to debug, because the role reports that failure once, as an actionable message.
 */
import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import { describeKafkaFailure } from './kafka-errors.ts';

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';
/** Where entries go (a pino logger's methods in production). */
export type KafkaLogSink = (level: KafkaLogLevel, fields: Record<string, unknown>, message: string) => void;

export interface KafkaLogCreatorOptions {
  /** Strings masked wherever they appear (SASL password, key password). */
  readonly secrets?: readonly string[];
  /** Equal entries within this window are counted, not logged. Default 60 000 ms. */
  readonly repeatWindowMs?: number;
  readonly now?: () => number;
}

export const REDACTED = '[redacted]';

/** Field names whose values are credentials or key material, at any depth. */
const SECRET_FIELDS = /^(sasl|ssl|password|passphrase|key|keys|cert|ca|pfx|privateKey|authenticationProvider|oauthBearerProvider|accessKeyId|secretAccessKey|sessionToken)$/i;

/** Kafka error 51, as kafkajs names or words it. */
export const CONCURRENT_TRANSACTIONS = /CONCURRENT_TRANSACTIONS|another concurrent operation on the same transaction/;

const LEVELS: Record<number, KafkaLogLevel> = {
  [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug',
};

/** Copies a value with secret fields replaced and secret strings masked. */
export function redactKafkaLogValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return maskSecrets(value, secrets);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (value instanceof Error) return redactKafkaLogValue({ name: value.name, message: value.message, stack: value.stack }, secrets, depth + 1);
  if (Array.isArray(value)) return value.map((v) => redactKafkaLogValue(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELDS.test(k) && v !== undefined && v !== null && v !== false ? REDACTED : redactKafkaLogValue(v, secrets, depth + 1);
  }
  return out;
}

function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join(REDACTED);
  return out;
}

/** Builds the kafkajs `logCreator`; see the module comment. */
export function kafkaLogCreator(sink: KafkaLogSink, options: KafkaLogCreatorOptions = {}): logCreator {
  const secrets = options.secrets ?? [];
  const windowMs = options.repeatWindowMs ?? 60_000;
  const now = options.now ?? Date.now;
  /** Entry key → when it was last logged and how many equal ones were suppressed since. */
  const recent = new Map<string, { at: number; suppressed: number }>();
  return () => ({ namespace, level, log }: LogEntry) => {
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
    let name = LEVELS[level] ?? 'info';
    const text = maskSecrets(String(message), secrets);
    if ((name === 'error' || name === 'warn') && describeKafkaFailure(errorOf(text, extra)).fatal) name = 'debug';
    // A transaction started while the broker still writes the previous one's markers is refused
    // with CONCURRENT_TRANSACTIONS; the writer retries it at once: routine, not an error.
    if ((name === 'error' || name === 'warn') && CONCURRENT_TRANSACTIONS.test(`${text} ${JSON.stringify(extra)}`)) name = 'debug';
    const fields = redactKafkaLogValue({ namespace, ...extra }, secrets) as Record<string, unknown>;
    if (name === 'error' || name === 'warn') {
      const key = `${name}\u0000${namespace}\u0000${text}`;
      const t = now();
      const seen = recent.get(key);
      if (seen && t - seen.at < windowMs) {
        seen.suppressed++;
        return;
      }
      if (seen?.suppressed) fields.suppressedRepeats = seen.suppressed;
      recent.set(key, { at: t, suppressed: 0 });
      if (recent.size > 1000) for (const [k, v] of recent) if (t - v.at >= windowMs) recent.delete(k);
    }
    sink(name, fields, text);
  };
}

/** The entry as an error for classification: kafkajs puts the cause's text in `error` beside a generic message. */
function errorOf(message: string, extra: Record<string, unknown>): { message: string; type?: string; code?: string } {
  const cause = typeof extra.error === 'string' ? extra.error : undefined;
  return {
    message: cause ? `${message}: ${cause}` : message,
    ...(typeof extra.type === 'string' ? { type: extra.type } : {}),
    ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
  };
}
