/**
 * The Kafka ACLs each segflow role needs, and no more: what the secured-Kafka tests grant (and
 * so prove sufficient). Kafka 4.x implies Describe from Read and Write, and an idempotent
 * producer needs only Write on a topic (KIP-679: no IdempotentWrite on the cluster). Topics are
 * created by the platform (or the admin in tests): the roles get no Create.
 */
import type { KafkaAcl } from './secure-kafka.ts';

/** Group prefix of the inventory topic's readers (src/inventory/topic/inventory-snapshot.ts). */
export const INVENTORY_READER_GROUP_PREFIX = 'segflow-inventory-reader-';

/** Collector: writes flow batches to the raw topic (idempotent producer). */
export function collectorAcls(principal: string, topics: { raw: string }): KafkaAcl[] {
  return [{ principal, resource: 'topic', name: topics.raw, operations: ['write'] }];
}

/**
 * Enricher: reads the raw topic in its group (commits are Read on the group), writes dead
 * letters, reads the inventory topic through one-off groups `segflow-inventory-reader-<uuid>`
 * that it deletes when it stops (Delete on that prefix).
 */
export function enricherAcls(principal: string, names: { raw: string; deadLetter: string; inventory: string; groupId: string }): KafkaAcl[] {
  return [
    { principal, resource: 'topic', name: names.raw, operations: ['read'] },
    { principal, resource: 'topic', name: names.deadLetter, operations: ['write'] },
    { principal, resource: 'topic', name: names.inventory, operations: ['read'] },
    { principal, resource: 'group', name: names.groupId, operations: ['read'] },
    { principal, resource: 'group', name: INVENTORY_READER_GROUP_PREFIX, pattern: 'prefixed', operations: ['read', 'delete'] },
  ];
}
