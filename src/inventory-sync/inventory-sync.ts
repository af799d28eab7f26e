/**
 * `segflow inventory sync`: follows a live Kubernetes API server and publishes every change to
 * the inventory topic as `segflow inventory apply` would (same keys, same document form,
 * tombstones on delete), so the enricher and the API follow the cluster unchanged. With leader
 * election only the replica holding the Lease writes; the others keep their state warm and take
 * over (with a full reconcile against the topic) when it goes away. Writes are Kafka
 * transactions under one transactional id per topic and lease, so a leader that lost the lease
 * but does not know it yet (paused, partitioned) is fenced by its successor: nothing it sends
 * after the takeover becomes visible.
 */
import os from 'node:os';
import type { Kafka } from 'kafkajs';
import { ensureInventoryTopic } from '../inventory/topic/inventory-topic.ts';
import { documentKey } from '../inventory/topic/resource-documents.ts';
import { createSecureKafka } from '../runtime/kafka-client.ts';
import { describeKafkaFailure, type KafkaFailure } from '../runtime/kafka-errors.ts';
import { PLAINTEXT_KAFKA, type KafkaSecurity } from '../runtime/role-config/kafka-security-contract.ts';
import { createLogger, type Logger } from '../runtime/logger.ts';
import { ClusterInventoryState, type DocumentConversion } from './cluster-inventory-state.ts';
import { inventoryDocumentOf } from './convert/inventory-document.ts';
import { InventoryTopicWriter, transactionalIdOf } from './inventory-topic-writer.ts';
import { KindReflector, type ApiObject, type ReflectorSink } from './kind-reflector.ts';
import { KubeClient, type KubeApi } from './kube-client.ts';
import { loadConnection, resolveConnectionSpec } from './kube-config.ts';
import { LeaseElection } from './lease-election.ts';
import { ServedKindsController } from './served-kinds-controller.ts';
import { SyncMetrics } from './sync-metrics.ts';
import { startSyncHttpServer, type SyncHttpServer } from './sync-http-server.ts';
import { servedKindId, type ServedKind } from './synced-kinds.ts';

export interface InventorySyncConfig {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Cluster name in record origins (default: the kubeconfig cluster, or `in-cluster`). */
  readonly clusterName?: string;
  readonly brokers: string;
  /** TLS/SASL to Kafka (default plaintext). */
  readonly kafkaSecurity?: KafkaSecurity;
  readonly topic: string;
  readonly leaderElection: boolean;
  /** Lease namespace (default: the service account's or the context's namespace, else `default`). */
  readonly leaseNamespace?: string;
  readonly leaseName: string;
  /** Holder identity (default POD_NAME, else hostname-pid). */
  readonly identity?: string;
  readonly healthHost: string;
  /** 0 = any free port; negative = no HTTP server. */
  readonly healthPort: number;
  readonly resyncPeriodMs: number;
  readonly env: NodeJS.ProcessEnv;
  /** Tests shorten these. */
  readonly forbiddenRetryMs?: number;
  readonly watchTimeoutSeconds?: () => number;
  readonly rediscoverEveryMs?: number;
}

export const DEFAULT_LEASE_NAME = 'segflow-inventory-sync';
export const DEFAULT_SYNC_HEALTH_PORT = 9466;

export class InventorySync {
  readonly metrics = new SyncMetrics({ defaultMetrics: true });
  private readonly log: Logger = createLogger('inventory-sync');
  private client: KubeClient | undefined;
  private kafka: Kafka | undefined;
  private resolveFatal: (failure: KafkaFailure) => void = () => undefined;
  /** Settles with the first Kafka failure retrying cannot fix (TLS, SASL, ACL), already logged once; the command stops and exits 1. */
  readonly fatalKafkaFailure = new Promise<KafkaFailure>((resolve) => {
    this.resolveFatal = resolve;
  });
  private fatal: KafkaFailure | undefined;

  private failFatally(failure: KafkaFailure): void {
    if (this.fatal) return;
    this.fatal = failure;
    this.log.error({ kind: failure.kind }, failure.message);
    this.resolveFatal(failure);
  }
  private state: ClusterInventoryState | undefined;
  private writer: InventoryTopicWriter | undefined;
  private kinds: ServedKindsController | undefined;
  private election: LeaseElection | undefined;
  private http: SyncHttpServer | undefined;
  private gaugeTimer: NodeJS.Timeout | undefined;
  private identity = '';
  private userName = 'unknown identity';
  private initialSyncAt: number | undefined;
  private firstPublishDone = false;
  private readonly keylessReported = new Set<string>();
  private running = false;
  private leading = false;
  /** Without leader election: another producer with our transactional id took over (a second replica). */
  private fencedOut: string | undefined;

  constructor(private readonly config: InventorySyncConfig) {}

  /** The port of the health server (0 when none). */
  get healthPort(): number {
    return this.http?.port ?? 0;
  }

  private mayPublish(): boolean {
    return this.election === undefined ? this.running && this.fencedOut === undefined : this.election.isLeader();
  }

  async start(): Promise<void> {
    try {
      await this.startParts();
    } catch (err) {
      // Whatever did start must not keep the process alive after a failed start.
      await this.stop().catch(() => undefined);
      this.client?.close();
      await this.http?.close();
      throw err;
    }
  }

  private async startParts(): Promise<void> {
    const config = this.config;
    const spec = await resolveConnectionSpec({ kubeconfig: config.kubeconfig, context: config.context, env: config.env });
    const connection = await loadConnection(spec);
    const cluster = config.clusterName ?? connection.clusterName;
    if (!/^[A-Za-z0-9._-]+$/.test(cluster)) throw new Error(`--cluster-name must be letters, digits, '.', '_' or '-', got '${cluster}'`);
    this.identity = config.identity ?? config.env.POD_NAME ?? `${os.hostname()}-${process.pid}`;
    this.client = new KubeClient(connection);
    const api: KubeApi = this.client;
    this.userName = await this.whoAmI(api);
    this.log.info({ server: connection.server, via: connection.description, cluster, user: this.userName, identity: this.identity }, 'connecting to the Kubernetes API');

    this.kafka = await createSecureKafka(config.brokers, 'segflow-inventory-sync', config.kafkaSecurity ?? PLAINTEXT_KAFKA, {}, {
      onFatal: (failure) => this.failFatally(failure),
    });
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureInventoryTopic(admin, config.topic);
    } finally {
      await admin.disconnect();
    }

    this.state = new ClusterInventoryState(cluster, {
      convert: (object) => inventoryDocumentOf(object) as DocumentConversion,
      keyOf: documentKey,
      conversionFailed: (kind, object, errors) => {
        this.metrics.conversionFailures.inc({ kind: servedKindId(kind) });
        this.log.error({ kind: servedKindId(kind), namespace: object.metadata.namespace, name: object.metadata.name, errors }, `${kind.kind} ${describeObject(object)} not published: ${errors.join('; ')}`);
      },
      derived: (kind, object, source) => this.log.debug({ kind: servedKindId(kind), source }, `${kind.kind} ${describeObject(object)} is Calico's view of ${source}: skipped`),
      conversionWarnings: (kind, object, warnings) => this.log.warn({ kind: servedKindId(kind), warnings }, `${kind.kind} ${describeObject(object)}: ${warnings.join('; ')}`),
      keyless: (kind) => {
        if (this.keylessReported.has(servedKindId(kind))) return;
        this.keylessReported.add(servedKindId(kind));
        this.log.warn({ kind: servedKindId(kind) }, `${servedKindId(kind)} has no inventory key (the inventory does not know this kind yet): its objects are not published`);
      },
      changed: () => this.writer?.notify(),
    });
    const state = this.state;
    const leaseNamespace = config.leaseNamespace ?? connection.namespace ?? 'default';
    this.writer = new InventoryTopicWriter(this.kafka, config.topic, state, () => this.mayPublish(), this.identity, this.log, {
      published: (batch, ackedAt) => {
        for (const m of batch) {
          this.metrics.messagesPublished.inc({ type: m.value === null ? 'tombstone' : 'upsert' });
          this.metrics.publishLag.observe(Math.max(0, ackedAt - m.observedAt) / 1000);
        }
      },
      sendFailed: (err) => {
        this.metrics.publishFailures.inc();
        // A producer refused for good (wrong SASL password, missing ACL, untrusted CA) ends the role, as the consumers' do.
        const failure = describeKafkaFailure(err);
        if (failure.fatal) this.failFatally(failure);
      },
      fenced: (currentTerm) => {
        if (!currentTerm) return;
        // Someone else writes now: lead no longer (with election the lease is given up and taken
        // again in a new term, by whoever asks first; without, a second replica runs: stop).
        if (this.election !== undefined) void this.election.resign('the Kafka producer was fenced by another writer');
        else this.fencedOut = 'fenced: another writer uses this topic\'s transactional id (a second replica without leader election?); not publishing';
      },
    }, { transactionalId: transactionalIdOf(config.topic, leaseNamespace, config.leaseName) });

    this.running = true;
    this.kinds = new ServedKindsController(api, state, this.log, {
      rediscoverEveryMs: config.rediscoverEveryMs,
      reflectorFor: (kind) => this.reflector(api, kind, state.sinkFor(kind)),
      crdReflector: (kind, sink) => this.reflector(api, kind, sink, true),
    });
    if (config.healthPort >= 0) {
      this.http = await startSyncHttpServer(config.healthHost, config.healthPort, {
        registry: this.metrics.registry,
        health: () => this.health(),
        readiness: () => this.readiness(),
      });
    }
    await this.kinds.start();

    if (config.leaderElection) {
      this.election = new LeaseElection(api, {
        namespace: leaseNamespace,
        name: config.leaseName,
        identity: this.identity,
        onStartedLeading: () => {
          this.leading = true;
          this.metrics.leader.set(1);
          this.log.info({ identity: this.identity, lease: `${leaseNamespace}/${config.leaseName}` }, 'leading: fencing the previous writer, reading the inventory topic, then publishing');
          void this.writer?.startedLeading();
        },
        onStoppedLeading: (reason) => {
          this.leading = false;
          this.metrics.leader.set(0);
          this.writer?.stoppedLeading();
          this.log.warn({ identity: this.identity, reason }, 'no longer leading: stopped publishing');
        },
        onError: (err) => this.log.warn({ err: (err as Error).message }, 'lease request failed'),
      });
      this.election.start();
    } else {
      this.leading = true;
      this.metrics.leader.set(1);
      void this.writer.startedLeading();
    }
    this.gaugeTimer = setInterval(() => this.updateGauges(), 1000);
    this.gaugeTimer.unref();
  }

  private reflector(api: KubeApi, kind: ServedKind, sink: ReflectorSink, quiet = false): KindReflector {
    const id = servedKindId(kind);
    return new KindReflector(api, kind, sink, {
      listed: (count, rv, relist) => {
        if (relist) this.metrics.relists.inc({ kind: id });
        if (!quiet) this.log.info({ kind: id, objects: count, resourceVersion: rv }, relist ? `${kind.kind} listed again` : `${kind.kind} listed`);
      },
      watchRestarted: (reason, err) => {
        this.metrics.watchRestarts.inc({ kind: id, reason });
        if (reason === 'gone') this.log.info({ kind: id }, `${kind.kind}: watch history expired (410 Gone): listing again and reconciling`);
        else if (reason === 'error') this.log.warn({ kind: id, err: (err as Error | undefined)?.message }, `${kind.kind}: watch failed; resuming`);
      },
      forbidden: (verb, err) => {
        const user = /User "([^"]*)"/.exec(err.body?.message ?? '')?.[1] ?? this.userName;
        this.log.error({ kind: id, verb, user, status: 403, message: err.body?.message }, `forbidden: ${user} may not ${verb} ${kind.resource} (${id}); the other kinds keep syncing, retrying every ${Math.round((this.config.forbiddenRetryMs ?? 60_000) / 1000)} s`);
      },
      allowed: () => this.log.info({ kind: id }, `${kind.kind}: access granted now, syncing`),
      listFailed: (err) => this.log.warn({ kind: id, err: (err as Error).message }, `${kind.kind}: list failed; retrying`),
    }, {
      resyncPeriodMs: this.config.resyncPeriodMs,
      forbiddenRetryMs: this.config.forbiddenRetryMs,
      watchTimeoutSeconds: this.config.watchTimeoutSeconds,
    });
  }

  /** Who the API server says we are (SelfSubjectReview), for messages; never fails the start. */
  private async whoAmI(api: KubeApi): Promise<string> {
    try {
      const review = await api.request<{ status?: { userInfo?: { username?: string } } }>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview',
      }, { timeoutMs: 10_000 });
      return review.status?.userInfo?.username ?? 'unknown identity';
    } catch {
      return 'unknown identity';
    }
  }

  private synced(): boolean {
    const reflectors = this.kinds?.reflectors() ?? [];
    return this.kinds?.discovered === true && reflectors.every((r) => r.synced || r.forbidden);
  }

  private updateGauges(): void {
    const state = this.state;
    if (state === undefined) return;
    const reflectors = this.kinds?.reflectors() ?? [];
    this.metrics.objects.reset();
    for (const r of reflectors) this.metrics.objects.set({ kind: servedKindId(r.kind) }, state.objectCount(r.kind));
    this.metrics.forbiddenKinds.set(reflectors.filter((r) => r.forbidden).length);
    this.metrics.pending.set(state.pendingCount);
    if (this.initialSyncAt === undefined && this.synced()) {
      this.initialSyncAt = Date.now();
      this.log.info({ kinds: reflectors.map((r) => servedKindId(r.kind)) }, 'first complete sync: every served kind listed');
    }
    if (!this.firstPublishDone && this.initialSyncAt !== undefined && this.leading && state.loaded && state.pendingCount === 0) {
      this.firstPublishDone = true;
      this.log.info({ topic: this.config.topic }, 'first complete sync published');
    }
  }

  health(): { healthy: boolean; reasons: string[] } {
    const reasons: string[] = [];
    if (!this.running) reasons.push('not running');
    for (const r of this.kinds?.reflectors() ?? []) if (r.phase === 'stopped') reasons.push(`${servedKindId(r.kind)}: reflector stopped`);
    return { healthy: reasons.length === 0, reasons };
  }

  readiness(): { ready: boolean; leader: boolean; reasons: string[] } {
    this.updateGauges();
    const reasons: string[] = [];
    const leader = this.leading && this.mayPublish();
    if (this.initialSyncAt === undefined) {
      const waiting = (this.kinds?.reflectors() ?? []).filter((r) => !r.synced && !r.forbidden).map((r) => servedKindId(r.kind));
      reasons.push(this.kinds?.discovered ? `not listed yet: ${waiting.join(', ')}` : 'discovery not done');
    } else if (leader && !this.firstPublishDone) {
      reasons.push(`leader: ${this.state?.pendingCount ?? 0} changes to publish before the first complete sync is on the topic`);
    }
    for (const r of this.kinds?.reflectors() ?? []) if (r.forbidden) reasons.push(`forbidden: ${servedKindId(r.kind)}`);
    if (this.fencedOut !== undefined) reasons.push(this.fencedOut);
    const ready = this.initialSyncAt !== undefined && (!leader || this.firstPublishDone) && this.fencedOut === undefined;
    return { ready, leader, reasons };
  }

  /** Stops watching, publishes what is pending (while leading), gives the lease up, disconnects. */
  async stop(): Promise<void> {
    if (!this.running) return;
    clearInterval(this.gaugeTimer);
    await this.kinds?.stop();
    const drained = await this.writer?.drain(10_000);
    if (drained === false) this.log.warn({ pending: this.state?.pendingCount }, 'stopping with changes not published (the next leader publishes them)');
    this.running = false;
    await this.election?.stop();
    await this.writer?.stop();
    await this.http?.close();
    this.client?.close();
    this.metrics.leader.set(0);
  }
}

function describeObject(object: ApiObject): string {
  return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
}

