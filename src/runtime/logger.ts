/**
 * Structured logging for every role: pino, JSON lines on stderr so stdout stays free for
 * command output (`segflow explain --output json`). SEGFLOW_LOG_LEVEL sets the level. Every
 * line goes through the secret redaction (role-config/secret-redaction.ts): a credential that
 * reaches a log field, an error message or a URL is printed as `<redacted>`.
 */
import { pino, type Logger } from 'pino';
import { redactSecrets } from './role-config/secret-redaction.ts';

export type { Logger };

/** Creates a logger tagged with the component that writes through it. */
export function createLogger(component: string, level = process.env.SEGFLOW_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component }, hooks: { streamWrite: redactSecrets } }, pino.destination(2));
}
