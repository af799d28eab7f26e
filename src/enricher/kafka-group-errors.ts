/**
 * What a failed commit says about the enricher's consumer group membership, and what to do
 * about it: the coordinator is gone (rejoin through the brokers that remain), it does not answer
 * or is loading the group (retry the commit shortly: a broker restarting answers again), or the
 * group moved on without this member's generation (routine: the batch comes again to whoever
 * holds the partition). kafkajs wraps the broker's answer in retry errors, so the cause chain is
 * searched.
 */

type ErrorChainLink = { name?: unknown; type?: unknown; cause?: unknown } | null | undefined;

/**
 * kafkajs' names of the broker's NOT_COORDINATOR (16) and COORDINATOR_NOT_AVAILABLE (15), and
 * Kafka's own: the group's coordinator moved (its broker died, or leadership of its offsets
 * partition moved back to a broker that returned).
 */
const COORDINATOR_MOVED = ['NOT_COORDINATOR_FOR_GROUP', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE'];
/** The coordinator is loading the group (COORDINATOR_LOAD_IN_PROGRESS, 14): it answers once loaded. */
const COORDINATOR_LOADING = ['GROUP_LOAD_IN_PROGRESS', 'COORDINATOR_LOAD_IN_PROGRESS'];
/** The coordinator's connection was refused, closed or timed out (or its wait for one): its broker is down or restarting. */
const CONNECTION_FAILED = ['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSLockTimeout'];
const GENERATION_MOVED_ON = ['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'];

/**
 * How long a commit keeps retrying while the coordinator says it is not (or no longer) the
 * coordinator: a broker that is only restarting says so for a moment before it takes its
 * group back; past this, the coordinator moved to another broker and the member must rejoin.
 */
export const COORDINATOR_MOVED_GRACE_MS = 3000;

function someLink(error: unknown, test: (link: NonNullable<ErrorChainLink>) => boolean): boolean {
  for (let e = error as ErrorChainLink, depth = 0; e && depth < 5; e = e.cause as ErrorChainLink, depth++) {
    if (test(e)) return true;
  }
  return false;
}

const typed = (types: readonly string[]) => (e: NonNullable<ErrorChainLink>): boolean => typeof e.type === 'string' && types.includes(e.type);
const named = (names: readonly string[]) => (e: NonNullable<ErrorChainLink>): boolean => typeof e.name === 'string' && names.includes(e.name);

/**
 * What to do with a commit that failed:
 * - `rejoin`: the coordinator's broker left the cluster's metadata (fenced after it died), or
 *   it has said it is not the coordinator for longer than {@link COORDINATOR_MOVED_GRACE_MS}.
 *   kafkajs keeps committing to the node it found at its join and never looks again, so only a
 *   new member (a new consumer) finds the new coordinator.
 * - `retry`: the coordinator does not answer (down, restarting, not yet fenced), is loading the
 *   group, or has said it moved for less than the grace: try the same commit again shortly.
 * - `refused`: the group's generation moved on (a rebalance); the batch comes again.
 * - `failed`: anything else; the batch fails and comes again after a backoff.
 *
 * `movedForMs`: how long this commit has been told the coordinator moved (0 the first time).
 */
export type CommitFailureAction = 'rejoin' | 'retry' | 'refused' | 'failed';

export function commitFailureAction(error: unknown, movedForMs: number): CommitFailureAction {
  if (someLink(error, (e) => e.name === 'KafkaJSBrokerNotFound')) return 'rejoin';
  if (someLink(error, typed(GENERATION_MOVED_ON))) return 'refused';
  if (someLink(error, typed(COORDINATOR_MOVED))) return movedForMs >= COORDINATOR_MOVED_GRACE_MS ? 'rejoin' : 'retry';
  if (someLink(error, typed(COORDINATOR_LOADING)) || someLink(error, named(CONNECTION_FAILED))) return 'retry';
  return 'failed';
}

/** Whether the error says the coordinator moved (the start of the grace of {@link commitFailureAction}). */
export function saysCoordinatorMoved(error: unknown): boolean {
  return someLink(error, typed(COORDINATOR_MOVED));
}
