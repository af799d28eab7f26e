/**
 * Prometheus metrics of one API server, in a registry of its own (several servers in one
 * process — tests — must not share counters). Served at /metrics.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The API's metrics. */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly requestSeconds: Histogram<'method' | 'route'>;
  readonly elasticsearchSeconds: Histogram<'operation' | 'outcome'>;
  readonly rejected: Counter<'code'>;
  readonly inventoryRevision: Gauge;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'segflow_api_' });
    this.requests = new Counter({ name: 'segflow_api_requests_total', help: 'HTTP requests answered, by route template and status.', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.requestSeconds = new Histogram({
      name: 'segflow_api_request_duration_seconds', help: 'Time to answer HTTP requests, by route template.', labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry],
    });
    this.elasticsearchSeconds = new Histogram({
      name: 'segflow_api_elasticsearch_duration_seconds', help: 'Time of Elasticsearch calls made by the API.', labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry],
    });
    this.rejected = new Counter({ name: 'segflow_api_rejected_requests_total', help: 'Requests answered with an error, by error code.', labelNames: ['code'], registers: [this.registry] });
    this.inventoryRevision = new Gauge({ name: 'segflow_api_inventory_revision', help: 'Revision of the inventory view the API answers from (-1 = none loaded).', registers: [this.registry] });
    this.inventoryRevision.set(-1);
  }
}
