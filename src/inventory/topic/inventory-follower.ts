/**
 * Keeps an in-memory inventory equal to the inventory topic: reads it from the beginning and
 * follows it, handing each change (with its message timestamp) to the change applier, which
 * writes into the sink. Used by the enricher and the API.
 */
import type { Kafka } from 'kafkajs';
import type { Logger } from '../../runtime/logger.ts';
import { InventoryChangeApplier, type InventoryFollowerStats, type ResourceSink } from './inventory-change-applier.ts';
import { followInventoryTopic, type TopicReader } from './inventory-snapshot.ts';

export type { InventoryFollowerStats, ResourceSink } from './inventory-change-applier.ts';

export class InventoryTopicFollower {
  private readonly applier: InventoryChangeApplier;
  private reader: TopicReader | undefined;

  constructor(private readonly kafka: Kafka, private readonly topic: string, sink: ResourceSink, private readonly log: Logger) {
    this.applier = new InventoryChangeApplier(topic, sink, log);
  }

  get stats(): InventoryFollowerStats {
    return this.applier.stats;
  }

  /** Starts following; resolves once everything already on the topic is applied. */
  async start(): Promise<void> {
    this.reader = await followInventoryTopic(this.kafka, this.topic, (c) => this.applier.apply(c), (key, offset, reason) => {
      this.applier.stats.invalid++;
      this.log.error({ key, offset, topic: this.topic }, `inventory record skipped: ${reason}`);
    });
    await this.reader.caughtUp;
    this.applier.caughtUp();
    this.log.info({ topic: this.topic, resources: this.applier.liveKeys, offset: this.stats.lastOffset }, 'inventory loaded from topic');
  }

  async stop(): Promise<void> {
    await this.reader?.stop();
    this.reader = undefined;
  }
}
