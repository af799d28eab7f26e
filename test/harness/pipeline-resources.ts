/**
 * What tests of the pipeline create in the real services, made and removed one way: the
 * demo inventory on an inventory topic, raw and dead-letter topics, and flow indices with their
 * index template.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { publishInventory } from '../../src/inventory/topic/inventory-publisher.ts';
import { readResourceDocuments } from '../../src/inventory/topic/resource-documents.ts';

/** The topics of one test's pipeline. */
export interface PipelineTopics {
  readonly raw: string;
  readonly dlq: string;
  readonly inventory: string;
}

/** Publishes the demo shop inventory and creates the raw (`rawPartitions`) and dead-letter topics. */
export async function createPipelineTopics(kafka: Kafka, topics: PipelineTopics, rawPartitions = 1): Promise<void> {
  const { documents, issues } = await readResourceDocuments(['examples/shop']);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`demo inventory: ${errors.map((i) => i.message).join('; ')}`);
  await publishInventory(kafka, topics.inventory, documents);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.raw, numPartitions: rawPartitions }, { topic: topics.dlq, numPartitions: 1 }] });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics, ignoring ones already gone. */
export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [...topics] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Deletes the daily flow indices of `prefix`, their agent report indices, and both templates. By name: Elasticsearch
 * refuses wildcard deletes (action.destructive_requires_name), silently for a test that catches.
 */
export async function deleteFlowIndices(es: Client, prefix: string): Promise<void> {
  const names = Object.keys(await es.indices.get({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true, expand_wildcards: ['open', 'closed'] }));
  if (names.length > 0) await es.indices.delete({ index: names, ignore_unavailable: true });
  await es.indices.deleteIndexTemplate({ name: prefix }).catch(() => undefined);
  // The agent report indices the enricher writes next to them (`<prefix>.reports-*`).
  const reports = Object.keys(await es.indices.get({ index: `${prefix}.reports-*`, allow_no_indices: true, ignore_unavailable: true, expand_wildcards: ['open', 'closed'] }));
  if (reports.length > 0) await es.indices.delete({ index: reports, ignore_unavailable: true });
  await es.indices.deleteIndexTemplate({ name: `${prefix}.reports` }).catch(() => undefined);
  // The stats summaries the enricher's rollup writes (`<prefix>.summaries-*`).
  const summaries = Object.keys(await es.indices.get({ index: `${prefix}.summaries-*`, allow_no_indices: true, ignore_unavailable: true, expand_wildcards: ['open', 'closed'] }));
  if (summaries.length > 0) await es.indices.delete({ index: summaries, ignore_unavailable: true });
  await es.indices.deleteIndexTemplate({ name: `${prefix}.summaries` }).catch(() => undefined);
}
