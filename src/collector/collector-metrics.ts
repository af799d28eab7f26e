/**
 * Prometheus metrics of the node agent, on a registry of its own (one per {@link Collector}),
 * exposed at `/metrics` by the health server. Names follow `segflow_collector_*`.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The collector's metric handles; create one set per collector instance. */
export class CollectorMetrics {
  readonly registry: Registry;
  /** Records produced by the sources (label `source`). */
  readonly recordsRead: Counter<'source'>;
  /** Records Kafka acknowledged (directly or replayed from the spool). */
  readonly recordsSent: Counter;
  /** Batches Kafka acknowledged. */
  readonly batchesSent: Counter;
  /** Records written to the disk spool because Kafka was unreachable. */
  readonly recordsSpooled: Counter;
  /** Batches written to the disk spool. */
  readonly batchesSpooled: Counter;
  /**
   * Records lost (label `reason`: `spool_full`, `spool_corrupt`, `encode`, `spool_error`,
   * `shutdown`, `crash` — held in memory by a predecessor that was killed, counted by the next start).
   */
  readonly recordsDropped: Counter<'reason'>;
  /** Batches lost (same `reason` labels). */
  readonly batchesDropped: Counter<'reason'>;
  /** Batches built by the batcher. */
  readonly batchesBuilt: Counter;
  /** Connections a killed predecessor tracked as open: their deltas since its last report are lost. */
  readonly crashOpenConnections: Counter;
  /** Errors by component (`conntrack`, `kafka`, `spool`, `batcher`). */
  readonly errors: Counter<'component'>;
  /** Batches and bytes waiting in the spool. */
  readonly spoolBatches: Gauge;
  readonly spoolBytes: Gauge;
  /** 1 while the last Kafka send succeeded, 0 after a failure until the next success. */
  readonly kafkaUp: Gauge;
  /** 1/0: `net.netfilter.nf_conntrack_acct` / `nf_conntrack_timestamp` in the agent's namespace; -1 unknown. */
  readonly conntrackAccounting: Gauge;
  readonly conntrackTimestamps: Gauge;
  /** conntrack event-socket overflows reported by the tool (events lost; the next snapshot repairs). */
  readonly conntrackEventOverflows: Counter;
  /** conntrack events the kernel dropped on the event socket (netlink reader; its sk_drops). */
  readonly conntrackEventsDropped: Counter;
  /** Lines of conntrack output that could not be parsed. */
  readonly conntrackParseErrors: Counter;
  /** conntrack table reads by kind: `listing` (the whole table) or `refresh` (lookups of the entries still open). */
  readonly conntrackTableReads: Counter<'kind'>;
  /** Entries looked up by refreshes, by result: `found`, `gone` (not in the table any more), `error`. */
  readonly conntrackLookups: Counter<'result'>;
  /** conntrack entries currently tracked. */
  readonly conntrackTrackedFlows: Gauge;

  /** Creates the metrics; `defaultMetrics` adds the process/Node.js metrics of prom-client. */
  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registry = new Registry();
    this.registry = registry;
    const counter = <L extends string = never>(name: string, help: string, labelNames: L[] = []) =>
      new Counter<L>({ name: `segflow_collector_${name}`, help, labelNames, registers: [registry] });
    const gauge = (name: string, help: string) => new Gauge({ name: `segflow_collector_${name}`, help, registers: [registry] });
    this.recordsRead = counter('records_read_total', 'Flow records produced by the sources', ['source']);
    this.recordsSent = counter('records_sent_total', 'Flow records acknowledged by Kafka');
    this.batchesSent = counter('batches_sent_total', 'Flow batches acknowledged by Kafka');
    this.recordsSpooled = counter('records_spooled_total', 'Flow records written to the disk spool while Kafka was unreachable');
    this.batchesSpooled = counter('batches_spooled_total', 'Flow batches written to the disk spool');
    this.recordsDropped = counter('records_dropped_total', 'Flow records lost, by reason', ['reason']);
    this.batchesDropped = counter('batches_dropped_total', 'Flow batches lost, by reason', ['reason']);
    this.batchesBuilt = counter('batches_built_total', 'Flow batches built by the batcher');
    this.crashOpenConnections = counter('crash_open_connections_total', 'Connections a killed predecessor tracked as open; their deltas since its last report are lost');
    this.errors = counter('errors_total', 'Errors by component', ['component']);
    this.spoolBatches = gauge('spool_batches', 'Batches waiting in the disk spool');
    this.spoolBytes = gauge('spool_bytes', 'Bytes used by the disk spool segment files');
    this.kafkaUp = gauge('kafka_up', '1 when the last Kafka send succeeded, 0 otherwise');
    this.conntrackAccounting = gauge('conntrack_accounting_enabled', 'net.netfilter.nf_conntrack_acct: 1 on, 0 off, -1 unknown');
    this.conntrackTimestamps = gauge('conntrack_timestamps_enabled', 'net.netfilter.nf_conntrack_timestamp: 1 on, 0 off, -1 unknown');
    this.conntrackEventOverflows = counter('conntrack_event_overflows_total', 'conntrack event socket overflows (ENOBUFS): events were lost');
    this.conntrackEventsDropped = counter('conntrack_events_dropped_total', 'conntrack events the kernel dropped because the event socket was full (netlink reader)');
    this.conntrackParseErrors = counter('conntrack_parse_errors_total', 'conntrack output lines that could not be parsed');
    this.conntrackTableReads = counter('conntrack_table_reads_total', 'conntrack table reads: listing (the whole table) or refresh (lookups of the entries still open)', ['kind']);
    this.conntrackLookups = counter('conntrack_lookups_total', 'conntrack entries looked up by refreshes, by result (found, gone, error)', ['result']);
    this.conntrackTrackedFlows = gauge('conntrack_tracked_flows', 'conntrack entries currently tracked');
    this.conntrackAccounting.set(-1);
    this.conntrackTimestamps.set(-1);
    if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'segflow_collector_' });
  }

  /** Current value of a counter or gauge without labels, or of one label set (for status and tests). */
  async valueOf(metric: Counter<string> | Gauge<string>, labels: Record<string, string> = {}): Promise<number> {
    const data = await metric.get();
    const match = data.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
    return match?.value ?? 0;
  }
}
