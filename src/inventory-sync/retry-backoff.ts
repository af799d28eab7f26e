/** Capped exponential backoff with jitter, and a sleep that a stop cuts short. */

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Source of [0, 1) numbers (tests pass a fixed one). */
  readonly random?: () => number;
}

/**
 * Delays double from `initialMs` to `maxMs`; each is drawn from [delay/2, delay) so that many
 * clients that lost the same server do not come back in step.
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const r = (this.options.random ?? Math.random)();
    return Math.round(ceiling / 2 + (ceiling / 2) * r);
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
