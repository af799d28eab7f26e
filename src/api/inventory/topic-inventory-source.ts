/**
 * The inventory as the enricher sees it: read whole from the compacted inventory topic at
 * start, then followed. The API answers explain/preview/endpoints from the same view, so "why
 * was this denied" is answered with the policies that enriched the flow.
 */
import type { Kafka } from 'kafkajs';
import { Inventory } from '../../inventory/inventory.ts';
import { keyOf, type Resource } from '../../inventory/model/resources.ts';
import { InventoryTopicFollower } from '../../inventory/topic/inventory-follower.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { InventorySource, InventoryView } from './inventory-source.ts';

export class TopicInventorySource implements InventorySource {
  readonly description: string;
  private readonly inventory = new Inventory();
  private readonly resources = new Map<string, Resource>();
  private readonly documents = new Map<string, Readonly<Record<string, unknown>>>();
  private readonly follower: InventoryTopicFollower;
  private loaded = false;
  private changedAtMs = Date.now();

  constructor(kafka: Kafka, topic: string, logger: Logger) {
    this.description = `topic ${topic}`;
    this.follower = new InventoryTopicFollower(kafka, topic, {
      upsert: (resource, at, document) => {
        this.inventory.apply(resource, { at });
        this.resources.set(keyOf(resource), resource);
        if (document !== undefined) this.documents.set(keyOf(resource), document);
        else this.documents.delete(keyOf(resource));
        this.changedAtMs = Date.now();
      },
      remove: (key, at) => {
        this.inventory.delete(key, { at });
        this.resources.delete(key);
        this.documents.delete(key);
        this.changedAtMs = Date.now();
      },
    }, logger);
  }

  async start(): Promise<void> {
    await this.follower.start();
    this.loaded = true;
  }

  async stop(): Promise<void> {
    await this.follower.stop();
  }

  current(): InventoryView | undefined {
    if (!this.loaded) return undefined;
    return { inventory: this.inventory, resources: [...this.resources.values()], documents: new Map(this.documents), loadedAtMs: this.changedAtMs };
  }
}
