/**
 * Consumer lag of the partitions an enricher holds, from Kafka's own figures: the end of each
 * partition (high watermark) minus the group's committed offset. Read on a timer, so the gauge
 * keeps moving while nothing settles (Elasticsearch down: the lag grows) instead of showing the
 * value of the last batch that did.
 */
import type { Admin } from 'kafkajs';

export interface PartitionLag {
  readonly partition: number;
  readonly lag: number;
}

/**
 * Lag of each `assigned` partition: end offset − committed offset (a partition never committed
 * counts from its low watermark, what a consumer starting from the beginning would still read).
 */
export function partitionLags(
  ends: ReadonlyArray<{ partition: number; high: string; low: string }>,
  committed: ReadonlyArray<{ partition: number; offset: string }>,
  assigned: ReadonlySet<number>,
): PartitionLag[] {
  const out: PartitionLag[] = [];
  for (const end of ends) {
    if (!assigned.has(end.partition)) continue;
    const c = committed.find((p) => p.partition === end.partition)?.offset;
    const from = c === undefined || c === '-1' ? BigInt(end.low) : BigInt(c);
    const lag = BigInt(end.high) - from;
    out.push({ partition: end.partition, lag: Number(lag > 0n ? lag : 0n) });
  }
  return out;
}

/** Reads the lag of `assigned` partitions of `topic` for `groupId` through `admin`. */
export async function readPartitionLags(admin: Admin, groupId: string, topic: string, assigned: ReadonlySet<number>): Promise<PartitionLag[]> {
  if (assigned.size === 0) return [];
  const [ends, offsets] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  return partitionLags(ends, offsets.find((t) => t.topic === topic)?.partitions ?? [], assigned);
}
