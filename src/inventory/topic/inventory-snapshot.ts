/**
 * Reading the inventory topic: once to its end (a snapshot), or continuously (following).
 * kafkajs needs a consumer group even for a reader that never commits, so each reader uses a
 * group of its own and starts from the beginning every time; the group is deleted on stop.
 *
 * Readers read committed only (kafkajs' default isolation): the inventory sync writes in Kafka
 * transactions, and what a deposed leader sent into a transaction that was then fenced is
 * aborted, never visible. "The end" is therefore the last stable offset (what ListOffsets answers
 * a read-committed client), and the topic holds transaction markers (control records) that take
 * offsets but are never delivered as messages: the last message before the end may be followed by
 * a marker, or the end may lie past aborted records. So being caught up is judged by the position
 * the consumer reached (the last offset of each fetched batch, markers and aborted records
 * included), not only by the offset of the last message delivered.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
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
export interface FollowOptions {
  /**
   * How long a fetch waits on the broker for new records (kafkajs default 5 s). A reader that
   * stops once caught up uses a short wait: stopping waits for the fetch under way.
   */
  readonly maxWaitTimeInMs?: number;
}

/** The topic's (single partition's) start and last stable offset, as a read-committed reader sees them. */
async function topicBounds(admin: Admin, topic: string): Promise<{ start: bigint; end: bigint }> {
  try {
    // kafkajs' admin asks ListOffsets with isolation READ_COMMITTED: `high` is the last stable offset.
    const offsets = await admin.fetchTopicOffsets(topic);
    return {
      start: offsets.reduce((min, p) => (BigInt(p.low) < min ? BigInt(p.low) : min), offsets.length > 0 ? BigInt(offsets[0]!.low) : 0n),
      end: offsets.reduce((max, p) => (BigInt(p.high) > max ? BigInt(p.high) : max), 0n),
    };
  } catch (err) {
    throw new Error(`cannot read inventory topic '${topic}': ${(err as Error).message}`, { cause: err });
  }
}

export async function followInventoryTopic(
  kafka: Kafka,
  topic: string,
  onChange: (change: InventoryChange) => void,
  onInvalid: (key: string, offset: string, reason: string) => void,
  options: FollowOptions = {},
): Promise<TopicReader> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `segflow-inventory-reader-${randomUUID()}`;
  let end: bigint;
  let start: bigint;
  try {
    ({ start, end } = await topicBounds(admin, topic));
  } catch (err) {
    await admin.disconnect();
    throw err;
  }
  const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3000, readUncommitted: false, maxWaitTimeInMs: options.maxWaitTimeInMs });
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  if (end <= start) markCaughtUp();
  const reached = (lastOffset: string | null | undefined): void => {
    if (lastOffset !== null && lastOffset !== undefined && BigInt(lastOffset) + 1n >= end) markCaughtUp();
  };
  // Emitted for every fetched batch, also one that held only markers or aborted records (then
  // eachMessage sees nothing of it); lastOffset counts those records too.
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
    if (event.payload.topic === topic) reached(event.payload.lastOffset);
  });
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
      reached(message.offset);
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
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Nothing to read: no consumer group to join (and leave) at all.
    const { start, end } = await topicBounds(admin, topic);
    if (end <= start) return snapshot;
  } finally {
    await admin.disconnect();
  }
  const reader = await followInventoryTopic(
    kafka, topic,
    (change) => (change.record === null ? snapshot.delete(change.key) : snapshot.set(change.key, change.record)),
    () => undefined,
    { maxWaitTimeInMs: 100 },
  );
  try {
    await reader.caughtUp;
  } finally {
    await reader.stop();
  }
  return snapshot;
}
