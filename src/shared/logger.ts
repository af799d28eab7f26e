/**
 * Structured logging for every role: pino, JSON lines on stderr so stdout stays free for
 * command output (`segflow explain --output json`). SEGFLOW_LOG_LEVEL sets the level.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates a logger tagged with the component that writes through it. */
export function createLogger(component: string, level = process.env.SEGFLOW_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component } }, pino.destination(2));
}
