/**
 * Keeps an in-memory inventory equal to the inventory topic: re-parses each record with the
 * loader and applies the resulting resources; a tombstone (or a document that no longer yields
 * a resource) removes what that key produced before. Used by the enricher and the API.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from '../../shared/logger.ts';
import { parseDocument } from '../loader/parse-resource.ts';
import { keyOf, type Resource } from '../model/resources.ts';
import { followInventoryTopic, type InventoryChange, type TopicReader } from './inventory-snapshot.ts';

/** What the follower writes into: the inventory's incremental update API. */
export interface ResourceSink {
  upsert(resource: Resource): void;
  remove(resourceKey: string): void;
}

export interface InventoryFollowerStats {
  applied: number;
  deleted: number;
  invalid: number;
  lastOffset: string | null;
}

export class InventoryTopicFollower {
  /** Topic key → keys of the resources its document produced. */
  private readonly produced = new Map<string, string[]>();
  private reader: TopicReader | undefined;
  readonly stats: InventoryFollowerStats = { applied: 0, deleted: 0, invalid: 0, lastOffset: null };

  constructor(private readonly kafka: Kafka, private readonly topic: string, private readonly sink: ResourceSink, private readonly log: Logger) {}

  /** Starts following; resolves once everything already on the topic is applied. */
  async start(): Promise<void> {
    this.reader = await followInventoryTopic(this.kafka, this.topic, (c) => this.apply(c), (key, offset, reason) => {
      this.stats.invalid++;
      this.log.error({ key, offset, topic: this.topic }, `inventory record skipped: ${reason}`);
    });
    await this.reader.caughtUp;
    this.log.info({ topic: this.topic, resources: this.produced.size, offset: this.stats.lastOffset }, 'inventory loaded from topic');
  }

  async stop(): Promise<void> {
    await this.reader?.stop();
    this.reader = undefined;
  }

  private apply(change: InventoryChange): void {
    this.stats.lastOffset = change.offset;
    const before = this.produced.get(change.key) ?? [];
    let resources: Resource[] = [];
    if (change.record !== null) {
      const parsed = parseDocument(change.record.document, { file: `${this.topic}@${change.offset}`, document: 1 });
      for (const issue of parsed.issues) {
        if (issue.severity === 'error') this.stats.invalid++;
        this.log[issue.severity === 'error' ? 'error' : 'warn']({ key: change.key }, `inventory record: ${issue.message}`);
      }
      resources = parsed.resources;
    }
    const after = resources.map(keyOf);
    for (const key of before) {
      if (!after.includes(key)) {
        this.sink.remove(key);
        this.stats.deleted++;
      }
    }
    for (const resource of resources) {
      this.sink.upsert(resource);
      this.stats.applied++;
    }
    if (after.length > 0) this.produced.set(change.key, after);
    else this.produced.delete(change.key);
  }
}
