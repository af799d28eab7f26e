/**
 * `segflow inventory apply`: validates resource documents and publishes them to the inventory
 * topic. With `prune`, resources on the topic that the given files no longer contain get a
 * tombstone, so the topic mirrors a directory of YAML the way `kubectl apply --prune` does.
 */
import type { Kafka } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import type { ResourceDocument } from './resource-documents.ts';
import { ensureInventoryTopic, type InventoryRecord } from './inventory-topic.ts';
import { readInventorySnapshot } from './inventory-snapshot.ts';

export interface PublishReport {
  readonly created: string[];
  readonly updated: string[];
  readonly unchanged: string[];
  readonly deleted: string[];
}

/** Publishes documents (and tombstones when pruning); unchanged documents are not re-sent. */
export async function publishInventory(kafka: Kafka, topic: string, documents: readonly ResourceDocument[], options: { prune?: boolean; dryRun?: boolean } = {}): Promise<PublishReport> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureInventoryTopic(admin, topic);
  } finally {
    await admin.disconnect();
  }
  const current = await readInventorySnapshot(kafka, topic);
  const report: PublishReport = { created: [], updated: [], unchanged: [], deleted: [] };
  const messages: Array<{ key: string; value: string | null }> = [];
  const wanted = new Set<string>();
  for (const doc of documents) {
    wanted.add(doc.key);
    const previous = current.get(doc.key);
    const same = previous !== undefined && JSON.stringify(previous.document) === JSON.stringify(doc.document);
    if (same) {
      report.unchanged.push(doc.key);
      continue;
    }
    (previous === undefined ? report.created : report.updated).push(doc.key);
    const record: InventoryRecord = { document: doc.document, origin: doc.origin, appliedAt: new Date().toISOString() };
    messages.push({ key: doc.key, value: JSON.stringify(record) });
  }
  if (options.prune) {
    for (const key of current.keys()) {
      if (!wanted.has(key)) {
        report.deleted.push(key);
        messages.push({ key, value: null });
      }
    }
  }
  if (!options.dryRun && messages.length > 0) {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });
    } finally {
      await producer.disconnect();
    }
  }
  return report;
}

/** Publishes tombstones for the given keys (`segflow inventory delete`). Returns the keys that existed. */
export async function deleteInventoryKeys(kafka: Kafka, topic: string, keys: readonly string[]): Promise<string[]> {
  const current = await readInventorySnapshot(kafka, topic);
  const existing = keys.filter((k) => current.has(k));
  if (existing.length === 0) return [];
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: existing.map((key) => ({ key, value: null })) });
  } finally {
    await producer.disconnect();
  }
  return existing;
}
