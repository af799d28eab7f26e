/**
 * The compacted Kafka topic that distributes the inventory: one record per resource, keyed by
 * `kind/namespace/name`, value = the resource document as JSON, tombstone (null value) = delete.
 * Every enricher (and API) replica reads it whole at start and then follows it, so all replicas
 * share one view without talking to each other. `inventory apply` writes with a plain idempotent
 * producer; `inventory sync` writes in Kafka transactions (a deposed leader is fenced), so
 * readers read committed only (inventory-snapshot.ts).
 */
import type { Admin } from 'kafkajs';

export const DEFAULT_INVENTORY_TOPIC = 'segflow.inventory';

/** Record value on the topic (tombstones carry no value). */
export interface InventoryRecord {
  /** The resource as the user wrote it. */
  readonly document: Record<string, unknown>;
  /** Where it was applied from (file and document), for "who changed this?". */
  readonly origin: string;
  readonly appliedAt: string;
}

/** Creates the topic as compacted with one partition (a total order of changes) when missing. */
export async function ensureInventoryTopic(admin: Admin, topic: string): Promise<void> {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{
      topic,
      numPartitions: 1,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        // Keep tombstones a day so a replica that was down for a while still sees deletions.
        { name: 'delete.retention.ms', value: String(24 * 3600 * 1000) },
        { name: 'min.compaction.lag.ms', value: '0' },
      ],
    }],
  }).catch((err: Error) => {
    // Another replica may have created it between our check and our request.
    if (!/already exists/i.test(err.message)) throw err;
  });
}
