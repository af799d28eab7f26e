/** Prometheus metrics of the Goldmane source role. */
import { Counter, Gauge, type Registry } from 'prom-client';

export class GoldmaneMetrics {
  readonly received: Counter;
  readonly published: Counter;
  readonly replays: Counter;
  readonly reconnects: Counter<'reason'>;
  readonly connected: Gauge;
  readonly lag: Gauge;
  readonly possibleLoss: Counter;
  readonly lastPossibleLoss: Gauge;
  readonly reports: Counter<'result'>;
  /** Newest flow end seen (Unix s), for the lag gauge; undefined until the first flow. */
  newestEnd: number | undefined;

  constructor(registry: Registry, now: () => number = Date.now) {
    this.received = new Counter({ name: 'segflow_goldmane_flows_received_total', help: 'Flows received from Goldmane streams (replays included).', registers: [registry] });
    this.published = new Counter({ name: 'segflow_goldmane_flows_published_total', help: 'Flows published to the raw topic.', registers: [registry] });
    this.replays = new Counter({ name: 'segflow_goldmane_flows_replayed_total', help: 'Flows received again with the same content (history overlap, Goldmane restarts): not published again.', registers: [registry] });
    this.reconnects = new Counter({ name: 'segflow_goldmane_reconnects_total', help: 'Stream reconnects, by reason (error, ended, publish_failed; catch_up: the stream re-read once a minute after a reconnect).', labelNames: ['reason'], registers: [registry] });
    this.connected = new Gauge({ name: 'segflow_goldmane_connected', help: '1 while a Flows.Stream is open.', registers: [registry] });
    const newestEnd = (): number | undefined => this.newestEnd;
    this.lag = new Gauge({
      name: 'segflow_goldmane_lag_seconds', help: 'Seconds between now and the end of the newest bucket received from Goldmane (~30 s in steady state: Goldmane emits buckets late).', registers: [registry],
      collect() {
        const end = newestEnd();
        if (end !== undefined) this.set(Math.max(0, now() / 1000 - end));
      },
    });
    this.possibleLoss = new Counter({ name: 'segflow_goldmane_possible_loss_seconds_total', help: 'Seconds of flows Goldmane may have dropped while the source was away longer than Goldmane\'s retention.', registers: [registry] });
    this.reports = new Counter({ name: 'segflow_goldmane_source_reports_total', help: 'Source reports sent to the raw topic (flows published, spans possibly lost), by result (published, failed).', labelNames: ['result'], registers: [registry] });
    this.lastPossibleLoss = new Gauge({ name: 'segflow_goldmane_possible_loss_last_end_seconds', help: 'Unix time up to which flows may be missing (end of the latest possible-loss span); 0 when none.', registers: [registry] });
  }
}
