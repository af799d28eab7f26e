/**
 * Everything on one machine (`segflow up`): the local Kafka and Elasticsearch, the inventory
 * published to its topic, the enricher, a collector with the synthetic source (demo traffic),
 * a collector on this host's conntrack table when permitted, and the API with its web UI.
 * Lifecycle: `new LocalStack(options)`, `start()` (returns where to look), `stop()`; `progress`
 * hears one plain line per step of both, so a first start (services resolved and started, ~20 s
 * and more) is never silent and the stop order is visible.
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
import { LocalServices, type ServiceProgress } from '../services/local-services.ts';
import { projectRoot } from '../services/services-config.ts';
import { createSecureKafka, parseBrokerList } from '../runtime/kafka-client.ts';
import { PLAINTEXT } from '../runtime/kafka-security.ts';
import { uiPlugin } from '../ui/ui-plugin.ts';
import { createLogger } from '../runtime/logger.ts';

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
  /** The enricher's metrics port. Default 9464 with local services, ephemeral with external ones. */
  readonly enricherMetricsPort?: number;
  /** Hears one line per start and stop step (`segflow up` prints them). */
  readonly progress?: (line: string) => void;
}

/** Thrown by {@link LocalStack.start} when {@link LocalStack.interrupt} was called meanwhile. */
export class StartInterruptedError extends Error {
  constructor() {
    super('start-up interrupted');
  }
}

/** How long the services may start before a "still waiting" line, and between such lines. */
const WAITING_LINE_EVERY_MS = 10_000;

const SERVICE_LABELS: Record<string, string> = { kafka: 'Kafka', elasticsearch: 'Elasticsearch' };
const serviceLabel = (name: string): string => SERVICE_LABELS[name] ?? name;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

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
  private interrupted = false;
  private readonly progress: (line: string) => void;

  constructor(private readonly options: LocalStackOptions = {}) {
    this.progress = options.progress ?? (() => undefined);
  }

  /** Makes a start under way stop at its next step (it then throws {@link StartInterruptedError}); call stop() after. */
  interrupt(): void {
    this.interrupted = true;
  }

  private checkInterrupted(): void {
    if (this.interrupted) throw new StartInterruptedError();
  }

  async start(): Promise<LocalStackInfo> {
    const began = Date.now();
    let brokers: string;
    let esUrl: string;
    if (this.options.external) {
      ({ kafkaBrokers: brokers, elasticsearchUrl: esUrl } = this.options.external);
    } else {
      const before = await this.services.status();
      this.startedServices = before.some((s) => !s.running);
      ({ kafkaBrokers: brokers, elasticsearchUrl: esUrl } = await this.startServices(before.map((s) => s.name)));
    }
    this.checkInterrupted();
    // Transient broker answers at a fresh start (a coordinator still loading) are retried by
    // kafkajs itself: they go to debug, not to the error lines of a normal start.
    const kafka = await createSecureKafka(brokers, 'segflow-up', PLAINTEXT, {}, { onTransient: () => undefined });

    const resources = this.options.resources && this.options.resources.length > 0 ? [...this.options.resources] : [DEMO_INVENTORY];
    const { documents, issues } = await readResourceDocuments(resources);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) throw new Error(`inventory has ${errors.length} error(s):\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
    for (const warning of issues) this.log.warn(warning.message);
    await publishInventory(kafka, DEFAULT_INVENTORY_TOPIC, documents, { prune: true });
    this.progress(`inventory: ${documents.length} resources published to ${DEFAULT_INVENTORY_TOPIC}`);
    this.checkInterrupted();

    // Metrics on an ephemeral port when embedded next to other stacks (tests), else the usual one.
    const metricsPort = this.options.enricherMetricsPort ?? (this.options.external ? 0 : undefined);
    this.enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, ...(metricsPort !== undefined ? { metricsPort } : {}) });
    await this.enricher.start();
    this.progress('enricher: consuming flows.raw');
    this.checkInterrupted();

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
      this.progress('collector: synthetic traffic (node-1) started');
      this.checkInterrupted();
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
          this.progress(`collector: conntrack of this host (${node}) started`);
        } catch (err) {
          if (hostConntrack === 'on') throw err;
          this.log.warn(`not reading this host's conntrack table: ${(err as Error).message}`);
        }
      }
    }

    this.inventorySource = new TopicInventorySource(kafka, DEFAULT_INVENTORY_TOPIC, createLogger('api:inventory'));
    this.api = new ApiServer({ elasticsearchUrl: esUrl, port: this.options.apiPort ?? 8080 }, { inventory: this.inventorySource, plugins: [uiPlugin] });
    const apiUrl = await this.api.start();
    this.progress(`API and web UI: listening at ${apiUrl}`);

    return {
      kafkaBrokers: brokers, elasticsearchUrl: esUrl, apiUrl,
      inventory: resources.join(', '), resources: documents.length, collectors: collectorNames,
      enricherMetrics: this.enricher.config.metricsPort > 0 ? `http://127.0.0.1:${this.enricher.config.metricsPort}/metrics` : 'metrics off', startupMs: Date.now() - began,
    };
  }

  /**
   * Starts the local services with a line per step, and a "still waiting" line every 10 s while
   * any has not answered yet (a first run also resolves them from Maven Central).
   */
  private async startServices(names: string[]): Promise<{ kafkaBrokers: string; elasticsearchUrl: string }> {
    const { config } = this.services;
    this.progress(`starting Kafka ${config.kafka.version} and Elasticsearch ${config.elasticsearch.version} (a first run resolves them from Maven Central into ${path.relative(process.cwd(), config.artifactsDir) || config.artifactsDir})`);
    const began = Date.now();
    const waiting = new Set(names);
    const onProgress = (p: ServiceProgress): void => {
      if (p.step === 'ready') waiting.delete(p.service);
      const what = p.step === 'ready' ? 'answering' : p.step === 'started' ? 'process started, waiting for it to answer' : 'already running';
      this.progress(`  ${serviceLabel(p.service)}: ${what} (${seconds(p.ms)})`);
    };
    const ticker = setInterval(() => {
      if (waiting.size > 0) this.progress(`  still waiting for ${[...waiting].map(serviceLabel).join(' and ')} (${seconds(Date.now() - began)})`);
    }, WAITING_LINE_EVERY_MS);
    try {
      return await this.services.up(onProgress);
    } finally {
      clearInterval(ticker);
    }
  }

  /** Stops the roles (collectors first, so their last records are still enriched), then the services it started. */
  async stop(): Promise<void> {
    for (const collector of this.collectors) await collector.stop().catch((err: Error) => this.log.error(err.message));
    if (this.collectors.length > 0) this.progress(`stopped: ${this.collectors.length === 1 ? 'collector' : `${this.collectors.length} collectors`}`);
    if (this.api) {
      await this.api.stop().catch((err: Error) => this.log.error(err.message));
      this.progress('stopped: API and web UI');
    }
    await this.inventorySource?.stop().catch(() => undefined);
    if (this.enricher) {
      await this.enricher.stop().catch((err: Error) => this.log.error(err.message));
      this.progress('stopped: enricher');
    }
    if (this.startedServices && this.options.stopServices !== false) {
      this.progress('stopping Kafka and Elasticsearch');
      for (const s of await this.services.down()) this.progress(`stopped: ${serviceLabel(s.name)} (${s.outcome})`);
    } else if (!this.options.external) {
      this.progress('Kafka and Elasticsearch left running (segflow services down stops them)');
    }
  }
}
