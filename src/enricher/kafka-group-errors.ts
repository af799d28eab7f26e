/**
 * What a failed commit or heartbeat says about the enricher's consumer group membership: the
 * coordinator is gone (rejoin through the brokers that remain), or the group moved on without
 * this member's generation (routine: the batch comes again to whoever holds the partition).
 * kafkajs wraps the broker's answer in retry errors, so the cause chain is searched.
 */

type ErrorChainLink = { name?: unknown; type?: unknown; cause?: unknown } | null | undefined;

/**
 * kafkajs' names of the broker's NOT_COORDINATOR (16) and COORDINATOR_NOT_AVAILABLE (15), and
 * Kafka's own: the group's coordinator moved (its broker died, or leadership of its offsets
 * partition moved back to a broker that returned).
 */
const COORDINATOR_MOVED = ['NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE'];

/** The group's coordinator is gone: its broker left the cluster's metadata, or it says it is no longer the coordinator. */
export function isCoordinatorGone(error: unknown): boolean {
  for (let e = error as ErrorChainLink, depth = 0; e && depth < 5; e = e.cause as ErrorChainLink, depth++) {
    if (e.name === 'KafkaJSBrokerNotFound') return true;
    if (typeof e.type === 'string' && COORDINATOR_MOVED.includes(e.type)) return true;
  }
  return false;
}

/** A commit the coordinator refused because the group's generation moved on. */
export function isRebalanceRefusal(error: unknown): boolean {
  for (let e = error as ErrorChainLink, depth = 0; e && depth < 5; e = e.cause as ErrorChainLink, depth++) {
    if (typeof e.type === 'string' && ['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'].includes(e.type)) return true;
  }
  return false;
}

/**
 * The coordinator did not answer: its connection was refused, closed or timed out (its broker
 * was killed and is not yet fenced, so the cluster still names it).
 */
export function isCoordinatorUnreachable(error: unknown): boolean {
  for (let e = error as ErrorChainLink, depth = 0; e && depth < 5; e = e.cause as ErrorChainLink, depth++) {
    if (typeof e.name === 'string' && ['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError'].includes(e.name)) return true;
  }
  return false;
}
