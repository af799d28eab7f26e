/**
 * The enricher's view of an Elasticsearch outage: when it began, how long to wait before the
 * next probe (doubling from `initialMs` up to `maxMs`), and how long it lasted once a batch
 * settles again. Pure state, no I/O: the enricher pauses its partitions, probes on this
 * schedule, resumes when Elasticsearch answers, and logs one line when the outage begins and
 * one when it ends.
 *
 * The outage ends when a batch settles, not when a probe answers: an Elasticsearch that
 * answers pings but refuses writes (red cluster, read-only index) stays an outage, and the
 * probes keep backing off instead of starting over.
 */
export interface OutageBackoffOptions {
  /** First wait before probing again, ms. Default 250. */
  readonly initialMs?: number;
  /** Longest wait between probes, ms. Default 3000: the enricher resumes within that of Elasticsearch answering again. */
  readonly maxMs?: number;
}

export interface OutageEnd {
  readonly sinceMs: number;
  readonly durationMs: number;
  /** Probes sent during the outage. */
  readonly probes: number;
  /** Times the partitions were resumed and a batch failed again. */
  readonly retries: number;
}

export class ElasticsearchOutage {
  readonly initialMs: number;
  readonly maxMs: number;
  private sinceMs: number | undefined;
  private delayMs: number;
  private probes = 0;
  private retries = 0;

  constructor(options: OutageBackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 3000;
    if (!(this.initialMs > 0 && this.maxMs >= this.initialMs)) throw new Error(`outage backoff needs 0 < initialMs <= maxMs, got ${this.initialMs}/${this.maxMs}`);
    this.delayMs = this.initialMs;
  }

  get active(): boolean {
    return this.sinceMs !== undefined;
  }

  /** When the outage began (epoch ms), or undefined. */
  get since(): number | undefined {
    return this.sinceMs;
  }

  /** A batch failed because of Elasticsearch at `nowMs`: true when this begins an outage (log it), false when one is under way. */
  failed(nowMs: number): boolean {
    if (this.sinceMs === undefined) {
      this.sinceMs = nowMs;
      this.delayMs = this.initialMs;
      this.probes = 0;
      this.retries = 0;
      return true;
    }
    this.retries++;
    return false;
  }

  /** The wait before the next probe; each call doubles the next one, up to maxMs. */
  nextProbeDelayMs(): number {
    const delay = this.delayMs;
    this.delayMs = Math.min(this.maxMs, this.delayMs * 2);
    this.probes++;
    return delay;
  }

  /** A batch settled at `nowMs`: the end of the outage (undefined when there was none). */
  settled(nowMs: number): OutageEnd | undefined {
    if (this.sinceMs === undefined) return undefined;
    const end = { sinceMs: this.sinceMs, durationMs: nowMs - this.sinceMs, probes: this.probes, retries: this.retries };
    this.sinceMs = undefined;
    this.delayMs = this.initialMs;
    return end;
  }
}
