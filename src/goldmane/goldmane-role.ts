/**
 * The running Goldmane source role: Kafka producer, the stream loop, the progress file and the
 * health/metrics endpoint (/healthz, /readyz, /status, /metrics on the shared role server).
 */
import { readFile } from 'node:fs/promises';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createSecureKafka } from '../shared/kafka-client.ts';
import type { KafkaSecurity } from '../shared/role-config/kafka-security-contract.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { startRoleHttpServer, type RoleHttpServer } from '../shared/role-http-server.ts';
import type { KafkaFailure } from '../shared/kafka-errors.ts';
import { GoldmaneClient, type GoldmaneTls } from './goldmane-client.ts';
import { GoldmaneKafkaPublisher } from './goldmane-kafka-publisher.ts';
import { GoldmaneMetrics } from './goldmane-metrics.ts';
import { readProgress, writeProgress } from './goldmane-progress-file.ts';
import { DEFAULT_GOLDMANE_RETENTION_SECONDS } from './goldmane-resume.ts';
import { GoldmaneSource } from './goldmane-source.ts';

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
    this.source = new GoldmaneSource(this.client, this.publisher, this.metrics, this.log, {
      retentionSeconds: config.retentionSeconds ?? DEFAULT_GOLDMANE_RETENTION_SECONDS,
      initialBackoffMs: config.initialBackoffMs ?? 500, maxBackoffMs: config.maxBackoffMs ?? 30_000,
      ...(config.catchUpAfterMs !== undefined ? { catchUpAfterMs: config.catchUpAfterMs } : {}),
      ...(progress ? { progress } : {}),
      ...(stateFile ? { saveProgress: (state) => writeProgress(stateFile, state) } : {}),
    });
    if (config.http) {
      this.http = await startRoleHttpServer(config.http.host, config.http.port, {
        '/healthz': () => ({ code: 200, body: { status: 'ok' } }),
        '/readyz': () => (this.connected ? { code: 200, body: { status: 'ready' } } : { code: 503, body: { status: 'not connected to Goldmane' } }),
        '/status': () => ({ code: 200, body: { address: config.address, tls: tls !== undefined, source: config.sourceName, connected: this.connected, progress: this.source?.progress } }),
      }, this.registry);
    }
    this.source.start();
    this.log.info({ address: config.address, tls: tls !== undefined, topic: config.topic, source: config.sourceName }, 'reading flows from Goldmane');
  }

  async stop(): Promise<void> {
    await this.source?.stop();
    this.client?.close();
    await this.publisher?.disconnect();
    await this.http?.close();
  }
}
