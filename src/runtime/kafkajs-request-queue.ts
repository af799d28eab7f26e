/**
 * Mends kafkajs 2.2.4's request queue (kept: see the README's design notes), which polls itself
 * every millisecond for as long as a broker connection lives (kafkajs issues #1556, #1704, #1751;
 * unfixed upstream).
 *
 * `scheduleCheckPendingRequests` runs after every response and sets a timer of
 * `throttledUntil - Date.now()` ms even when no request is waiting. Unthrottled, `throttledUntil`
 * is -1, so the delay is about minus the epoch, which Node clamps to 1 ms (since Node 23 with a
 * TimeoutNegativeWarning); the timer's callback schedules the next one. Each connection so
 * wakes its process ~1,000 times a second: ~15 % of the agent's CPU at 10,000 flows/s, and an
 * idle consumer and producer used ~0.055 core for it (~0.006 mended).
 *
 * The mended method schedules a check only while requests wait: at the end of the broker's
 * throttle, or after kafkajs's own 10 ms when none is in effect — what kafkajs does for waiting
 * requests. A queue with nothing waiting needs no timer: `push` schedules one when it enqueues,
 * and every response or timeout checks the queue itself.
 */
import { createRequire } from 'node:module';

/** The part of kafkajs's RequestQueue this touches. */
interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's delay between checks of waiting requests when no throttle is in effect (its CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_WAITING_REQUESTS_MS = 10;

/** The mended `scheduleCheckPendingRequests`; see the module comment. */
export function scheduleCheckOfWaitingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId !== null || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : CHECK_WAITING_REQUESTS_MS,
  );
}

/** kafkajs's RequestQueue class: the module every kafkajs connection loads (kafkajs has no `exports` map). */
export function kafkajsRequestQueue(): { prototype: RequestQueueState } & (new (options: Record<string, unknown>) => RequestQueueState) {
  return createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js');
}

/** Puts the mended method on kafkajs's RequestQueue (idempotent); throws if kafkajs no longer has the method it replaces. */
export function mendKafkajsRequestQueue(): void {
  const proto = kafkajsRequestQueue().prototype;
  if (proto.scheduleCheckPendingRequests === scheduleCheckOfWaitingRequests) return;
  if (typeof proto.scheduleCheckPendingRequests !== 'function' || typeof proto.checkPendingRequests !== 'function') {
    throw new Error('kafkajs RequestQueue has no scheduleCheckPendingRequests/checkPendingRequests: the kafkajs version changed, review src/runtime/kafkajs-request-queue.ts');
  }
  proto.scheduleCheckPendingRequests = scheduleCheckOfWaitingRequests;
}
