/**
 * What the dataplane was seen doing with a connection, from the raw record alone, and whether
 * that contradicts the policy verdict (the "mismatch" a security engineer wants to see first:
 * traffic flowing that policy says is denied, or traffic dropped that policy says is allowed).
 */
import type { FlowRecordData } from '../../contract/wire/flow-batch-codec.ts';

export type ObservedOutcome = 'established' | 'unreplied' | 'reset' | 'dropped' | 'unknown';

const TCP = 6;
const TCP_REPLIED_STATES = new Set(['ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT']);

/** Classifies one record. Counters are deltas, so a long-lived flow's quiet interval is judged by its flags. */
export function observedOutcome(record: FlowRecordData): ObservedOutcome {
  if (record.dataplaneVerdict === 'deny') return 'dropped';
  // The kernel creates an entry on the first packet: a NEW event says nothing about the outcome yet.
  if (record.eventKind === 'new' && record.originalPackets === 0 && record.replyPackets === 0) return 'unknown';
  if (record.unreplied) return 'unreplied';
  if (record.protocol === TCP) {
    // A TCP connection closed without ever becoming assured, after a reply, was refused (RST).
    if (record.tcpState === 'CLOSE' && !record.assured && record.replyPackets > 0) return 'reset';
    if (record.assured || TCP_REPLIED_STATES.has(record.tcpState)) return 'established';
    if (record.tcpState === 'SYN_SENT' || record.tcpState === 'SYN_SENT2') return 'unreplied';
  }
  if (record.countersValid && record.replyPackets > 0) return 'established';
  if (record.countersValid && record.originalPackets > 0 && record.replyPackets === 0) return 'unreplied';
  if (record.assured) return 'established';
  return 'unknown';
}

/**
 * True when what was observed contradicts the verdict: a denied flow that was established
 * (policy not enforced, or the inventory is wrong), or an allowed flow the dataplane dropped.
 * "Unreplied" alone is not a contradiction: a server may simply not answer.
 */
export function isMismatch(verdict: 'allow' | 'deny', outcome: ObservedOutcome): boolean {
  if (verdict === 'deny') return outcome === 'established';
  return outcome === 'dropped';
}

/** How much an outcome tells: when records of one document disagree, the most telling wins. */
const OUTCOME_RANK: Record<ObservedOutcome, number> = { unknown: 0, unreplied: 1, dropped: 2, reset: 3, established: 4 };

/**
 * The outcome of several records of one document (the records of one connection over time, or
 * of several connections aggregated together): one established connection makes it established.
 */
export function combineOutcomes(a: ObservedOutcome, b: ObservedOutcome): ObservedOutcome {
  return OUTCOME_RANK[b] > OUTCOME_RANK[a] ? b : a;
}
