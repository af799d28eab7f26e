/**
 * Settling on a consumer group's committed offsets instead of a fixed pause: a group has
 * processed (and, for the enricher, written) everything on a topic once its committed offset of
 * every partition has reached that partition's end. Checking exactness after that means a late
 * duplicate cannot slip by unseen, however slow the machine.
 */
import type { Kafka } from 'kafkajs';

/** The group's committed offset and the end offset (high watermark) of every partition of `topic`. */
export async function groupProgress(kafka: Kafka, groupId: string, topic: string): Promise<Array<{ partition: number; committed: bigint; end: bigint }>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = (await admin.fetchOffsets({ groupId, topics: [topic] })).find((t) => t.topic === topic)?.partitions ?? [];
    return ends.map((e) => {
      const c = committed.find((p) => p.partition === e.partition)?.offset ?? '-1';
      return { partition: e.partition, committed: BigInt(c === '-1' ? '0' : c), end: BigInt(e.high) };
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until `groupId` has committed the end of every partition of `topic`, read afresh on
 * every poll (messages produced meanwhile are waited for too). Fails naming the partitions
 * still behind after `timeoutMs`.
 */
export async function waitForGroupAtTopicEnd(kafka: Kafka, groupId: string, topic: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await groupProgress(kafka, groupId, topic);
    const behind = progress.filter((p) => p.committed < p.end);
    if (behind.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`group ${groupId} did not reach the end of ${topic} in ${timeoutMs} ms: ${behind.map((p) => `partition ${p.partition} committed ${p.committed} of ${p.end}`).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
