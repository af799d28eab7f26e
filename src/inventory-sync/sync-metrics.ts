/**
 * Prometheus metrics of the inventory sync, on a registry of its own, exposed at `/metrics`.
 * Names follow `segflow_inventory_sync_*`; `kind` labels are `apiVersion/Kind`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class SyncMetrics {
  readonly registry = new Registry();
  /** Objects held per kind (what the cluster has and the sync can publish). */
  readonly objects: Gauge<'kind'>;
  /** Watches opened again, by kind and reason (timeout, gone, error, forbidden, resync). */
  readonly watchRestarts: Counter<'kind' | 'reason'>;
  /** LISTs after the first, by kind (410 Gone, forbidden streak over, resync). */
  readonly relists: Counter<'kind'>;
  /** Time from observing a change to Kafka acknowledging it. */
  readonly publishLag: Histogram;
  /** Messages acknowledged by Kafka, by type (upsert, tombstone). */
  readonly messagesPublished: Counter<'type'>;
  /** Failed sends (each retried). */
  readonly publishFailures: Counter;
  /** Kinds the identity may not list or watch right now. */
  readonly forbiddenKinds: Gauge;
  /** Objects whose conversion to an inventory document failed, by kind. */
  readonly conversionFailures: Counter<'kind'>;
  /** Keys waiting to be published. */
  readonly pending: Gauge;
  /** 1 while this replica holds the lease (always 1 without leader election). */
  readonly leader: Gauge;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const p = 'segflow_inventory_sync_';
    this.objects = new Gauge({ name: `${p}objects`, help: 'Objects held per kind', labelNames: ['kind'], registers });
    this.watchRestarts = new Counter({ name: `${p}watch_restarts_total`, help: 'Watches opened again, by kind and reason', labelNames: ['kind', 'reason'], registers });
    this.relists = new Counter({ name: `${p}relists_total`, help: 'LISTs after the first, by kind', labelNames: ['kind'], registers });
    this.publishLag = new Histogram({
      name: `${p}publish_lag_seconds`, help: 'Time from observing a change to its acknowledgement by Kafka', registers,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    });
    this.messagesPublished = new Counter({ name: `${p}messages_published_total`, help: 'Messages acknowledged by Kafka, by type', labelNames: ['type'], registers });
    this.publishFailures = new Counter({ name: `${p}publish_failures_total`, help: 'Failed sends to Kafka (retried)', registers });
    this.forbiddenKinds = new Gauge({ name: `${p}forbidden_kinds`, help: 'Kinds the identity may not list or watch', registers });
    this.conversionFailures = new Counter({ name: `${p}conversion_failures_total`, help: 'Objects that could not be converted to inventory documents, by kind', labelNames: ['kind'], registers });
    this.pending = new Gauge({ name: `${p}pending_changes`, help: 'Keys waiting to be published', registers });
    this.leader = new Gauge({ name: `${p}leader`, help: '1 while this replica holds the lease', registers });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: p });
  }
}
