/**
 * The running Goldmane source role: Kafka producer, the stream loop, the progress file and the
 * health/metrics endpoint (/healthz, /readyz, /status, /metrics on the shared role server).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createSecureKafka } from '../runtime/kafka-client.ts';
import type { KafkaSecurity } from '../runtime/role-config/kafka-security-contract.ts';
import { createLogger, type Logger } from '../runtime/logger.ts';
import { startRoleHttpServer, type RoleHttpServer } from '../runtime/role-http-server.ts';
import type { KafkaFailure } from '../runtime/kafka-errors.ts';
import { GoldmaneClient, type GoldmaneTls } from './goldmane-client.ts';
import { GoldmaneKafkaPublisher } from './goldmane-kafka-publisher.ts';
import { GoldmaneMetrics } from './goldmane-metrics.ts';
import { readProgress, writeProgress } from './goldmane-progress-file.ts';
import { DEFAULT_GOLDMANE_RETENTION_SECONDS } from './goldmane-resume.ts';
import { GoldmaneSource } from './goldmane-source.ts';
import { DEFAULT_SOURCE_REPORT_INTERVAL_MS, GoldmaneReportState } from './goldmane-source-report.ts';

export const DEFAULT_GOLDMANE_HTTP_PORT = 9467;

export interface GoldmaneRoleConfig {
  readonly address: string;
  /** Paths of the mutual-TLS files (all three, or none); the key's content is a secret. */
  readonly tls?: { readonly caFile: string; readonly certFile: string; readonly key: string; readonly serverName?: string };
  readonly brokers: string;
  readonly topic: string;
  readonly kafkaSecurity: KafkaSecurity;
  readonly sourceName: string;
  readonly retentionSeconds?: number;
  readonly stateFile?: string;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** See GoldmaneSourceOptions.catchUpAfterMs. */
  readonly catchUpAfterMs?: number;
  /** Milliseconds between source reports (default 30 000). */
  readonly reportIntervalMs?: number;
  /** null: no HTTP endpoint. */
  readonly http: { readonly host: string; readonly port: number } | null;
}

export class GoldmaneRole {
  readonly registry = new Registry();
  readonly metrics: GoldmaneMetrics;
  private readonly log: Logger;
  private client: GoldmaneClient | undefined;
  private publisher: GoldmaneKafkaPublisher | undefined;
  private source: GoldmaneSource | undefined;
  private http: RoleHttpServer | undefined;
  private reports: GoldmaneReportState | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  /** Reports go out one at a time (the timer and a reconnect may ask at once). */
  private reporting: Promise<void> = Promise.resolve();
  private resolveFatal: (failure: KafkaFailure) => void = () => undefined;
  /** Settles with a Kafka failure retrying cannot fix (TLS, SASL, ACL): the command exits 1. */
  readonly fatalKafkaFailure = new Promise<KafkaFailure>((resolve) => {
    this.resolveFatal = resolve;
  });

  constructor(readonly config: GoldmaneRoleConfig, logger?: Logger) {
    this.log = logger ?? createLogger('goldmane');
    this.metrics = new GoldmaneMetrics(this.registry);
    collectDefaultMetrics({ register: this.registry, prefix: 'segflow_goldmane_' });
  }

  /** The HTTP port bound (for port 0), once started. */
  get httpPort(): number | undefined {
    return this.http?.port;
  }

  get connected(): boolean {
    return this.source?.connected ?? false;
  }

  async start(): Promise<void> {
    const { config } = this;
    let tls: GoldmaneTls | undefined;
    if (config.tls) {
      const [ca, cert] = await Promise.all([readFile(config.tls.caFile), readFile(config.tls.certFile)]);
      tls = { ca, cert, key: Buffer.from(config.tls.key), ...(config.tls.serverName ? { serverName: config.tls.serverName } : {}) };
    }
    const progress = config.stateFile ? await readProgress(config.stateFile) : undefined;
    const kafka = await createSecureKafka(config.brokers, 'segflow-goldmane', config.kafkaSecurity, {}, { onFatal: (failure) => this.resolveFatal(failure) });
    this.publisher = new GoldmaneKafkaPublisher(kafka, config.topic, config.sourceName);
    await this.publisher.connect();
    this.client = new GoldmaneClient({ address: config.address, ...(tls ? { tls } : {}) });
    const stateFile = config.stateFile;
    const reportIntervalMs = config.reportIntervalMs ?? DEFAULT_SOURCE_REPORT_INTERVAL_MS;
    const reports = new GoldmaneReportState(config.sourceName, randomUUID(), reportIntervalMs);
    this.reports = reports;
    this.source = new GoldmaneSource(this.client, this.publisher, this.metrics, this.log, {
      retentionSeconds: config.retentionSeconds ?? DEFAULT_GOLDMANE_RETENTION_SECONDS,
      initialBackoffMs: config.initialBackoffMs ?? 500, maxBackoffMs: config.maxBackoffMs ?? 30_000,
      ...(config.catchUpAfterMs !== undefined ? { catchUpAfterMs: config.catchUpAfterMs } : {}),
      ...(progress ? { progress } : {}),
      ...(stateFile ? { saveProgress: (state) => writeProgress(stateFile, state) } : {}),
      reports: { flowsPublished: (n) => reports.flowsPublished(n), possibleLoss: (span) => reports.possibleLoss(span), resumed: () => void this.sendReport() },
    });
    if (config.http) {
      this.http = await startRoleHttpServer(config.http.host, config.http.port, {
        '/healthz': () => ({ code: 200, body: { status: 'ok' } }),
        '/readyz': () => (this.connected ? { code: 200, body: { status: 'ready' } } : { code: 503, body: { status: 'not connected to Goldmane' } }),
        '/status': () => ({ code: 200, body: { address: config.address, tls: tls !== undefined, source: config.sourceName, connected: this.connected, progress: this.source?.progress } }),
      }, this.registry);
    }
    this.source.start();
    this.reportTimer = setInterval(() => void this.sendReport(), reportIntervalMs);
    void this.sendReport();
    this.log.info({ address: config.address, tls: tls !== undefined, topic: config.topic, source: config.sourceName }, 'reading flows from Goldmane');
  }

  /** Publishes the next source report; a failure is logged and its content goes into the next one. */
  sendReport(): Promise<void> {
    this.reporting = this.reporting.then(async () => {
      const publisher = this.publisher;
      if (!this.reports || !publisher) return;
      const report = this.reports.build(Date.now(), this.connected);
      try {
        await publisher.publishReport(report);
        this.reports.confirm(report);
        this.metrics.reports.inc({ result: 'published' });
      } catch (error) {
        this.metrics.reports.inc({ result: 'failed' });
        this.log.warn({ error: (error as Error).message }, 'could not publish the source report; its counts go into the next one');
      }
    });
    return this.reporting;
  }

  async stop(): Promise<void> {
    clearInterval(this.reportTimer);
    await this.source?.stop();
    await this.sendReport(); // the last flows published are reported before the producer closes
    this.client?.close();
    await this.publisher?.disconnect();
    await this.http?.close();
  }
}
