/**
 * The local Kafka + Elasticsearch pair as one unit: start both (in parallel), wait until each
 * answers, report; stop both. Used by `segflow services`, `segflow up` and the test harness.
 */
import { LocalElasticsearch } from './elasticsearch-runner.ts';
import { LocalKafka } from './kafka-runner.ts';
import type { LocalService, ServiceStatus } from './local-service.ts';
import { loadServicesConfig, type ServicesConfig } from './services-config.ts';

export interface ServicesUpReport {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  readonly services: Array<ServiceStatus & { alreadyRunning: boolean; startupMs: number }>;
  readonly totalMs: number;
}

export class LocalServices {
  readonly kafka: LocalKafka;
  readonly elasticsearch: LocalElasticsearch;

  constructor(readonly config: ServicesConfig = loadServicesConfig()) {
    this.kafka = new LocalKafka(config);
    this.elasticsearch = new LocalElasticsearch(config);
  }

  private get all(): LocalService[] {
    return [this.kafka, this.elasticsearch];
  }

  /** Starts whatever is not running yet and waits for both to answer. */
  async up(): Promise<ServicesUpReport> {
    const began = Date.now();
    const deadline = began + this.config.startTimeoutMs;
    const results = await Promise.allSettled(this.all.map(async (service) => {
      const t0 = Date.now();
      const started = await service.start();
      await service.waitReady(deadline);
      return { ...(await service.status()), alreadyRunning: started.alreadyRunning, startupMs: Date.now() - t0 };
    }));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      throw new AggregateError(failures.map((f) => f.reason as Error), failures.map((f) => (f.reason as Error).message).join('\n\n'));
    }
    return {
      kafkaBrokers: this.kafka.bootstrap,
      elasticsearchUrl: this.elasticsearch.url,
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
