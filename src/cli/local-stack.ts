/**
 * Everything on one machine (`segflow up`): the local Kafka and Elasticsearch, the inventory
 * published to its topic, the enricher, a collector with the synthetic source (demo traffic),
 * a collector on this host's conntrack table when permitted, and the API with its web UI.
 * Lifecycle: `new LocalStack(options)`, `start()` (returns where to look), `stop()`.
 */
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiServer } from '../api/server.ts';
import { TopicInventorySource } from '../api/inventory/topic-inventory-source.ts';
import { Collector } from '../collector/collector.ts';
import { createSyntheticSource } from '../collector/sources/synthetic/synthetic-flow-source.ts';
import { Enricher } from '../enricher/enricher.ts';
import { publishInventory } from '../inventory/topic/inventory-publisher.ts';
import { DEFAULT_INVENTORY_TOPIC } from '../inventory/topic/inventory-topic.ts';
import { readResourceDocuments } from '../inventory/topic/resource-documents.ts';
import { LocalServices } from '../services/local-services.ts';
import { projectRoot } from '../services/services-config.ts';
import { createKafka, parseBrokerList } from '../shared/kafka-client.ts';
import { createLogger } from '../shared/logger.ts';

/** The demo inventory loaded when no resources are given: a small shop in two namespaces. */
export const DEMO_INVENTORY = path.join(projectRoot, 'examples', 'shop');

export interface LocalStackOptions {
  /** Inventory files or directories; default the demo shop. */
  readonly resources?: readonly string[];
  /** Synthetic traffic between the inventory's endpoints: default on with the demo inventory only. */
  readonly demoTraffic?: boolean;
  /** Mean new synthetic connections per second. Default 20. */
  readonly demoRate?: number;
  /** Read this host's conntrack table: 'auto' (when root and `conntrack` is installed), 'on', 'off'. */
  readonly hostConntrack?: 'auto' | 'on' | 'off';
  /** API port. Default 8080. */
  readonly apiPort?: number;
  /** Stop Kafka and Elasticsearch on stop() when this stack started them. Default true. */
  readonly stopServices?: boolean;
  /** Use these running services instead of starting the local ones (tests, existing clusters). */
  readonly external?: { readonly kafkaBrokers: string; readonly elasticsearchUrl: string };
}

export interface LocalStackInfo {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  readonly apiUrl: string;
  readonly inventory: string;
  readonly resources: number;
  readonly collectors: string[];
  readonly enricherMetrics: string;
  readonly startupMs: number;
}

async function conntrackUsable(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'not root (reading conntrack needs CAP_NET_ADMIN)';
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      await access(path.join(dir, 'conntrack'));
      return null;
    } catch {
      // keep looking
    }
  }
  return "the 'conntrack' tool is not installed (Debian: apt-get install conntrack)";
}

export class LocalStack {
  private readonly log = createLogger('up');
  private readonly services = new LocalServices();
  private startedServices = false;
  private enricher: Enricher | undefined;
  private readonly collectors: Collector[] = [];
  private api: ApiServer | undefined;
  private inventorySource: TopicInventorySource | undefined;

  constructor(private readonly options: LocalStackOptions = {}) {}

  async start(): Promise<LocalStackInfo> {
    const began = Date.now();
    let brokers: string;
    let esUrl: string;
    if (this.options.external) {
      ({ kafkaBrokers: brokers, elasticsearchUrl: esUrl } = this.options.external);
    } else {
      const before = await this.services.status();
      const report = await this.services.up();
      this.startedServices = before.some((s) => !s.running);
      brokers = report.kafkaBrokers;
      esUrl = report.elasticsearchUrl;
    }
    const kafka = createKafka(brokers, 'segflow-up');

    const resources = this.options.resources && this.options.resources.length > 0 ? [...this.options.resources] : [DEMO_INVENTORY];
    const { documents, issues } = await readResourceDocuments(resources);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) throw new Error(`inventory has ${errors.length} error(s):\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
    for (const warning of issues) this.log.warn(warning.message);
    await publishInventory(kafka, DEFAULT_INVENTORY_TOPIC, documents, { prune: true });

    // Metrics on an ephemeral port when embedded next to other stacks (tests), else the usual one.
    this.enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, ...(this.options.external ? { metricsPort: 0 } : {}) });
    await this.enricher.start();

    const collectorNames: string[] = [];
    const demo = this.options.demoTraffic ?? resources[0] === DEMO_INVENTORY;
    if (demo) {
      const collector = new Collector(
        { nodeName: 'node-1', agentId: 'synthetic-node-1', kafka: { brokers: parseBrokerList(brokers) }, http: null, spool: { directory: path.join(projectRoot, '.local', 'spool', 'synthetic') } },
        { sources: [createSyntheticSource({ nodeName: 'node-1', resourcePaths: resources, connectionsPerSecond: this.options.demoRate ?? 20 })], logger: createLogger('collector:synthetic') },
      );
      await collector.start();
      this.collectors.push(collector);
      collectorNames.push(`synthetic traffic from ${path.relative(process.cwd(), resources[0]!) || resources[0]} (node-1)`);
    }
    const hostConntrack = this.options.hostConntrack ?? 'auto';
    if (hostConntrack !== 'off') {
      const problem = await conntrackUsable();
      if (problem && hostConntrack === 'on') throw new Error(`host conntrack requested but unusable: ${problem}`);
      if (problem) {
        this.log.warn(`not reading this host's conntrack table: ${problem}`);
      } else {
        const node = os.hostname();
        const collector = new Collector(
          { nodeName: node, sources: ['conntrack'], kafka: { brokers: parseBrokerList(brokers) }, spool: { directory: path.join(projectRoot, '.local', 'spool', 'conntrack') } },
          { logger: createLogger('collector:conntrack') },
        );
        try {
          await collector.start();
          this.collectors.push(collector);
          collectorNames.push(`conntrack of this host (${node}), health on :9465`);
        } catch (err) {
          if (hostConntrack === 'on') throw err;
          this.log.warn(`not reading this host's conntrack table: ${(err as Error).message}`);
        }
      }
    }

    this.inventorySource = new TopicInventorySource(kafka, DEFAULT_INVENTORY_TOPIC, createLogger('api:inventory'));
    this.api = new ApiServer({ elasticsearchUrl: esUrl, port: this.options.apiPort ?? 8080 }, { inventory: this.inventorySource });
    const apiUrl = await this.api.start();

    return {
      kafkaBrokers: brokers, elasticsearchUrl: esUrl, apiUrl,
      inventory: resources.join(', '), resources: documents.length, collectors: collectorNames,
      enricherMetrics: this.enricher.config.metricsPort > 0 ? `http://127.0.0.1:${this.enricher.config.metricsPort}/metrics` : 'metrics off', startupMs: Date.now() - began,
    };
  }

  /** Stops the roles (collectors first, so their last records are still enriched), then the services it started. */
  async stop(): Promise<void> {
    for (const collector of this.collectors) await collector.stop().catch((err: Error) => this.log.error(err.message));
    await this.api?.stop().catch((err: Error) => this.log.error(err.message));
    await this.inventorySource?.stop().catch(() => undefined);
    await this.enricher?.stop().catch((err: Error) => this.log.error(err.message));
    if (this.startedServices && this.options.stopServices !== false) await this.services.down();
  }
}
