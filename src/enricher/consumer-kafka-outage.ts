/**
 * The enricher's view of a Kafka outage, for its log: one line when Kafka stops answering
 * (a connection refused or closed, kafkajs' own line demoted to debug) and one when it has
 * answered again for a while — not one per retry or per flap. kafkajs keeps retrying meanwhile;
 * nothing is committed, so nothing is lost.
 */
import type { Logger } from '../runtime/logger.ts';

/** kafkajs messages that mean Kafka does not answer (others are not an outage). */
const UNAVAILABLE = /ECONNREFUSED|ECONNRESET|Connection error|Closed connection|Connection timeout|NumberOfRetriesExceeded|No broker available/i;

export class ConsumerKafkaOutage {
  /** When the outage began (undefined: none). */
  private since: number | undefined;
  /** When Kafka answered again; the outage is over once it stays so for `recoveredMs`. */
  private answeredAt: number | undefined;
  private recovery: NodeJS.Timeout | undefined;
  private halted = false;

  constructor(
    private readonly log: Logger,
    /** Kafka answering this long without new trouble ends an outage. */
    private readonly recoveredMs = 5000,
  ) {}

  /** kafkajs reported a transient failure: a connection refused or closed begins an outage, said once. */
  trouble(message: string): void {
    if (this.halted || !UNAVAILABLE.test(message)) return;
    if (this.since !== undefined) {
      // Trouble again soon after it answered (a broker shutting down answers for a while): same outage.
      clearTimeout(this.recovery);
      this.recovery = undefined;
      this.answeredAt = undefined;
      return;
    }
    this.since = Date.now();
    const since = new Date(this.since).toISOString();
    this.log.warn({ error: message, since }, `Kafka unavailable since ${since}; the client retries (nothing is committed meanwhile, nothing is lost)`);
  }

  /** The group was joined or a commit went through: the outage is over once that lasts. */
  answers(): void {
    if (this.since === undefined || this.answeredAt !== undefined) return;
    this.answeredAt = Date.now();
    this.recovery = setTimeout(() => {
      const since = this.since!;
      const seconds = Math.round((this.answeredAt! - since) / 100) / 10;
      this.log.info({ since: new Date(since).toISOString(), outageSeconds: seconds }, `Kafka available again after ${seconds} s; consuming`);
      this.since = undefined;
      this.answeredAt = undefined;
      this.recovery = undefined;
    }, this.recoveredMs);
    this.recovery.unref();
  }

  /** Stopping: trouble from now on is the role's own shutdown, not an outage. */
  halt(): void {
    this.halted = true;
    clearTimeout(this.recovery);
  }
}
