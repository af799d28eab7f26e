/**
 * Which kafkajs consumer is the enricher's group member, when several consumer objects exist
 * one after the other. kafkajs restarts a crashed consumer itself (a new member inside the same
 * object); the enricher replaces the object when the coordinator moved (kafkajs never looks for
 * a new one). The two must never both run a member: a consumer replaced ("retired") is
 * disconnected, and whatever kafkajs does with it afterwards — restart it after a crash that was
 * already under way, finish a join it began — is stopped at once. Pure decisions; the consumer
 * (flow-batch-consumer.ts) acts on them.
 */

/** What kafkajs reported about one consumer object. */
export type ConsumerReport =
  /** It crashed; `restart`: kafkajs starts it again after a short wait (CRASH payload.restart). */
  | { readonly kind: 'crash'; readonly restart: boolean }
  /** It joined the group and holds partitions (GROUP_JOIN). */
  | { readonly kind: 'joined' };

/**
 * - `adopt`: the current consumer joined: its partitions are the enricher's.
 * - `none`: nothing to do (kafkajs restarts the current consumer itself; one that is not
 *   restarted is reported by the client as fatal).
 * - `stop`: a retired consumer came back (or is about to): stop it, so one member runs.
 */
export type ConsumerReportAction = 'adopt' | 'none' | 'stop';

export function consumerReportAction(report: ConsumerReport, consumer: { readonly retired: boolean }): ConsumerReportAction {
  if (report.kind === 'joined') return consumer.retired ? 'stop' : 'adopt';
  if (consumer.retired) return report.restart ? 'stop' : 'none';
  return 'none';
}
