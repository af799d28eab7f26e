/**
 * Reading the inventory topic: once to its end (a snapshot), or continuously (following).
 * kafkajs needs a consumer group even for a reader that never commits, so each reader uses a
 * group of its own and starts from the beginning every time; the group is deleted on stop.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { InventoryRecord } from './inventory-topic.ts';

export interface InventoryChange {
  readonly key: string;
  /** null for a tombstone (delete). */
  readonly record: InventoryRecord | null;
  readonly offset: string;
  /**
   * The message's timestamp (epoch ms): when the producer says the change happened (the
   * inventory sync sets it to when it observed the change). null when the message has none.
   */
  readonly timestamp: number | null;
}

/** A Kafka message timestamp (ms as a string; -1 or absent when there is none) as a number or null. */
export function messageTimestamp(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const ms = Number(value);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

export interface TopicReader {
  /** Resolves when every record that existed at start has been delivered. */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Delivers every record of the topic from the beginning to `onChange`, in order, then keeps
 * following. Bad records (not JSON, no document) are passed to `onInvalid`, never thrown.
 */
export async function followInventoryTopic(
  kafka: Kafka,
  topic: string,
  onChange: (change: InventoryChange) => void,
  onInvalid: (key: string, offset: string, reason: string) => void,
): Promise<TopicReader> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `segflow-inventory-reader-${randomUUID()}`;
  let end: bigint;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    end = offsets.reduce((max, p) => (BigInt(p.high) > max ? BigInt(p.high) : max), 0n);
  } catch (err) {
    await admin.disconnect();
    throw new Error(`cannot read inventory topic '${topic}': ${(err as Error).message}`, { cause: err });
  }
  const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3000 });
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  if (end === 0n) markCaughtUp();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      const timestamp = messageTimestamp(message.timestamp);
      if (message.value === null) {
        onChange({ key, record: null, offset: message.offset, timestamp });
      } else {
        try {
          const record = JSON.parse(message.value.toString()) as InventoryRecord;
          if (typeof record.document !== 'object' || record.document === null) throw new Error('record has no document');
          onChange({ key, record, offset: message.offset, timestamp });
        } catch (err) {
          onInvalid(key, message.offset, (err as Error).message);
        }
      }
      if (BigInt(message.offset) + 1n >= end) markCaughtUp();
    },
  });
  return {
    caughtUp,
    stop: async () => {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** Reads the topic to its current end and returns the live records by key (tombstones applied). */
export async function readInventorySnapshot(kafka: Kafka, topic: string): Promise<Map<string, InventoryRecord>> {
  const snapshot = new Map<string, InventoryRecord>();
  const reader = await followInventoryTopic(
    kafka, topic,
    (change) => (change.record === null ? snapshot.delete(change.key) : snapshot.set(change.key, change.record)),
    () => undefined,
  );
  try {
    await reader.caughtUp;
  } finally {
    await reader.stop();
  }
  return snapshot;
}
