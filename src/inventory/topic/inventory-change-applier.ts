/**
 * One inventory topic change → sink calls, with the time the change happened. Pure (no Kafka):
 * the follower feeds it what it reads. Re-parses each record with the loader; a tombstone (or a
 * document that no longer yields a resource) removes what that key produced before.
 */
import { parseDocument } from '../loader/parse-resource.ts';
import { keyOf, type Resource } from '../model/resources.ts';
import type { InventoryChange } from './inventory-snapshot.ts';

/** What the follower writes into: the inventory's incremental update API. `at` is epoch ms. */
export interface ResourceSink {
  /** `document`: the record as the user wrote it (what produced `resource`). */
  upsert(resource: Resource, at: number, document?: Readonly<Record<string, unknown>>): void;
  remove(resourceKey: string, at: number): void;
}

export interface InventoryFollowerStats {
  applied: number;
  deleted: number;
  invalid: number;
  /** Warnings raised by records (for example admin policies stored but not evaluated). */
  warnings: number;
  lastOffset: string | null;
}

/** The part of a logger the applier writes to. */
export interface ChangeLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * When a change counts as having happened: the message timestamp, but never later than when it
 * was read (a producer whose clock runs ahead must not date a change into the future, where it
 * would misattribute the flows of the meantime), and the time of reading when the message has no
 * timestamp. Going backwards is allowed here: the endpoint index keeps each IP's history ordered
 * (an ownership ends no earlier than it began, a new owner starts no earlier than the previous
 * owner's release) and raises a change time that precedes the resource's creation to it.
 */
export function changeTime(timestamp: number | null, readAt: number): number {
  return timestamp === null ? readAt : Math.min(timestamp, readAt);
}

const WARNING_EXAMPLES = 3;

interface WarningTally {
  count: number;
  readonly examples: string[];
  logged: boolean;
}

export class InventoryChangeApplier {
  /** Topic key → keys of the resources its document produced. */
  private readonly produced = new Map<string, string[]>();
  /** Warning reason → how often and for which topic keys; reasons never name the object. */
  private readonly warningTally = new Map<string, WarningTally>();
  private catchingUp = true;
  readonly stats: InventoryFollowerStats = { applied: 0, deleted: 0, invalid: 0, warnings: 0, lastOffset: null };

  constructor(
    private readonly source: string,
    private readonly sink: ResourceSink,
    private readonly log: ChangeLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** Topic keys that currently produce at least one resource. */
  get liveKeys(): number {
    return this.produced.size;
  }

  apply(change: InventoryChange): void {
    this.stats.lastOffset = change.offset;
    const at = changeTime(change.timestamp, this.now());
    const before = this.produced.get(change.key) ?? [];
    let resources: Resource[] = [];
    if (change.record !== null) {
      const parsed = parseDocument(change.record.document, { file: `${this.source}@${change.offset}`, document: 1 });
      for (const issue of parsed.issues) {
        if (issue.severity === 'error') {
          this.stats.invalid++;
          this.log.error({ key: change.key }, `inventory record: ${issue.message}`);
        } else {
          this.warn(issue.reason, change.key);
        }
      }
      resources = parsed.resources;
    }
    const after = resources.map(keyOf);
    for (const key of before) {
      if (!after.includes(key)) {
        this.sink.remove(key, at);
        this.stats.deleted++;
      }
    }
    for (const resource of resources) {
      this.sink.upsert(resource, at, change.record?.document as Readonly<Record<string, unknown>> | undefined);
      this.stats.applied++;
    }
    if (after.length > 0) this.produced.set(change.key, after);
    else this.produced.delete(change.key);
  }

  /**
   * Ends the initial read: each distinct warning seen so far is logged once, with how many
   * records raised it and a few of their keys (a topic of 500 admin policies gives one line per
   * replica start, not 500). Later, a warning is logged the first time its text appears and only
   * counted after that (stats.warnings, {@link warningCounts}).
   */
  caughtUp(): void {
    this.catchingUp = false;
    for (const [reason, tally] of this.warningTally) this.logWarning(reason, tally);
  }

  /** How many records raised each distinct warning. */
  warningCounts(): Map<string, number> {
    return new Map([...this.warningTally].map(([reason, t]) => [reason, t.count]));
  }

  private warn(reason: string, key: string): void {
    this.stats.warnings++;
    let tally = this.warningTally.get(reason);
    if (!tally) {
      tally = { count: 0, examples: [], logged: false };
      this.warningTally.set(reason, tally);
    }
    tally.count++;
    if (tally.examples.length < WARNING_EXAMPLES) tally.examples.push(key);
    if (!this.catchingUp) this.logWarning(reason, tally);
  }

  private logWarning(reason: string, tally: WarningTally): void {
    if (tally.logged) return;
    tally.logged = true;
    this.log.warn({ records: tally.count, examples: tally.examples, topic: this.source }, `inventory records: ${reason}${tally.count > 1 ? ` (${tally.count} records)` : ''}`);
  }
}
