/**
 * The local Kafka + Elasticsearch as one unit: start every broker and node (in parallel), wait
 * until each answers, report; stop them all. One of each by default; a cluster of each when the
 * configuration asks for more (`segflow services up --kafka-brokers 3 --elasticsearch-nodes 3`).
 * Used by `segflow services`, `segflow up`, the test harness and the fault suite.
 */
import { LocalElasticsearch } from './elasticsearch-runner.ts';
import { LocalKafka } from './kafka-runner.ts';
import type { LocalService, ServiceStatus } from './local-service.ts';
import { loadServicesConfig, type ServicesConfig } from './services-config.ts';

export interface ServicesUpReport {
  /** Bootstrap list: every broker, comma-separated. */
  readonly kafkaBrokers: string;
  /** The first node's URL (what a single-URL client is given). */
  readonly elasticsearchUrl: string;
  /** Every node's URL. */
  readonly elasticsearchUrls: string[];
  readonly services: Array<ServiceStatus & { alreadyRunning: boolean; startupMs: number }>;
  readonly totalMs: number;
}

/** One step of {@link LocalServices.up} for one service: process started (or found running), then answering. */
export interface ServiceProgress {
  readonly service: string;
  readonly step: 'started' | 'already-running' | 'ready';
  /** Since this service's start began. */
  readonly ms: number;
}

export class LocalServices {
  readonly kafkaBrokers: readonly LocalKafka[];
  readonly elasticsearchNodes: readonly LocalElasticsearch[];

  constructor(readonly config: ServicesConfig = loadServicesConfig()) {
    this.kafkaBrokers = Array.from({ length: config.kafka.brokers }, (_, i) => new LocalKafka(config, i));
    this.elasticsearchNodes = Array.from({ length: config.elasticsearch.nodes }, (_, i) => new LocalElasticsearch(config, i));
  }

  /** The first broker (the only one by default). */
  get kafka(): LocalKafka {
    return this.kafkaBrokers[0]!;
  }

  /** The first node (the only one by default). */
  get elasticsearch(): LocalElasticsearch {
    return this.elasticsearchNodes[0]!;
  }

  private get all(): LocalService[] {
    return [...this.kafkaBrokers, ...this.elasticsearchNodes];
  }

  /** Starts whatever is not running yet and waits for both to answer; `onProgress` hears each step. */
  async up(onProgress?: (progress: ServiceProgress) => void): Promise<ServicesUpReport> {
    const began = Date.now();
    const deadline = began + this.config.startTimeoutMs;
    const results = await Promise.allSettled(this.all.map(async (service) => {
      const t0 = Date.now();
      const started = await service.start();
      onProgress?.({ service: service.name, step: started.alreadyRunning ? 'already-running' : 'started', ms: Date.now() - t0 });
      await service.waitReady(deadline);
      onProgress?.({ service: service.name, step: 'ready', ms: Date.now() - t0 });
      return { ...(await service.status()), alreadyRunning: started.alreadyRunning, startupMs: Date.now() - t0 };
    }));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      throw new AggregateError(failures.map((f) => f.reason as Error), failures.map((f) => (f.reason as Error).message).join('\n\n'));
    }
    return {
      kafkaBrokers: this.kafka.bootstrap,
      elasticsearchUrl: this.elasticsearch.url,
      elasticsearchUrls: this.elasticsearchNodes.map((node) => node.url),
      services: results.map((r) => (r as PromiseFulfilledResult<ServicesUpReport['services'][number]>).value),
      totalMs: Date.now() - began,
    };
  }

  async down(): Promise<Array<{ name: string; pid: number | undefined; outcome: string }>> {
    return Promise.all(this.all.map(async (service) => ({ name: service.name, ...(await service.stop()) })));
  }

  async status(): Promise<ServiceStatus[]> {
    return Promise.all(this.all.map((service) => service.status()));
  }
}
