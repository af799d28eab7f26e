/**
 * The synthetic flow source (`segflow collect --source synthetic --resources PATH...`):
 * realistic traffic between the endpoints of an inventory, for demos and load tests. The routes
 * come from the inventory itself ({@link deriveTrafficPlan}: who may call whom, who is denied,
 * which Services are dialled); the traffic from {@link SyntheticTrafficGenerator}, driven by the
 * wall clock in small ticks. Records carry `source: 'synthetic'`.
 *
 * ```ts
 * const source = createSyntheticSource({ nodeName: 'node-1', resourcePaths: ['examples/shop'], connectionsPerSecond: 50, seed: 7 });
 * await source.start((records) => batcher.add(records));
 * ```
 */
import { randomInt } from 'node:crypto';
import { loadResourcePaths } from '../../../inventory/loader/load-files.ts';
import type { Resource } from '../../../inventory/model/resources.ts';
import type { FlowRecordData } from '../../../contract/wire/flow-batch-codec.ts';
import type { Logger } from '../../../runtime/logger.ts';
import type { CollectorMetrics } from '../../collector-metrics.ts';
import type { FlowRecordHandler, FlowSource } from '../flow-source.ts';
import { deriveTrafficPlan, type SyntheticTrafficPlan } from './synthetic-traffic-plan.ts';
import { SyntheticTrafficGenerator, type SyntheticTrafficStats } from './synthetic-traffic-model.ts';

/** Options of the synthetic source. */
export interface SyntheticFlowSourceOptions {
  /** Node name written into every record. */
  nodeName: string;
  /** Inventory files or directories (Calico / Kubernetes YAML or JSON) to derive the traffic from. */
  resourcePaths?: readonly string[];
  /** Resources already loaded (used instead of `resourcePaths`). */
  resources?: readonly Resource[];
  /** Mean new connections per second, bursts included; each gives two or more records. Default 20. */
  connectionsPerSecond?: number;
  /** Share of connections the policies deny, 0..1. Default 0.1. */
  denyShare?: number;
  /** Seed of the traffic; the same seed and inventory give the same traffic. Default: random (shown in `status()`). */
  seed?: number;
  /** Report interval of long-lived connections, ms (like the conntrack snapshot interval). Default 10 000. */
  reportIntervalMs?: number;
  /** Only routes with an end on `nodeName`, as one node's agent would see. Default false (every route). */
  localEndpointsOnly?: boolean;
  /** How often the generator is advanced to the clock, ms. Default 250. */
  tickMs?: number;
  /** Clock, Unix ms. Default `Date.now`. */
  clock?: () => number;
  logger?: Logger;
  /** Where produced records are counted (`segflow_collector_records_read_total{source="synthetic"}`). */
  metrics?: Pick<CollectorMetrics, 'recordsRead'>;
}

/** State reported by {@link SyntheticFlowSource.status}. */
export interface SyntheticFlowSourceStatus extends Record<string, unknown> {
  running: boolean;
  seed: number;
  connectionsPerSecond: number;
  denyShare: number;
  routes: { allowed: number; intended: number; denied: number; viaService: number } | null;
  traffic: SyntheticTrafficStats | null;
  /** Times the source fell behind the clock by more than the catch-up limit and skipped new arrivals. */
  stallsSkipped: number;
}

/** Creates the synthetic source (the factory the collector wires to `--source synthetic`). */
export function createSyntheticSource(options: SyntheticFlowSourceOptions): FlowSource {
  return new SyntheticFlowSource(options);
}

/** The synthetic flow source; see the module comment. */
export class SyntheticFlowSource implements FlowSource {
  readonly name = 'synthetic';
  private readonly seed: number;
  private readonly connectionsPerSecond: number;
  private readonly denyShare: number;
  private readonly tickMs: number;
  private readonly clock: () => number;
  private plan: SyntheticTrafficPlan | null = null;
  private generator: SyntheticTrafficGenerator | null = null;
  private onRecords: FlowRecordHandler | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stallsSkipped = 0;

  constructor(private readonly options: SyntheticFlowSourceOptions) {
    this.seed = options.seed ?? randomInt(1, 2 ** 31);
    this.connectionsPerSecond = options.connectionsPerSecond ?? 20;
    this.denyShare = options.denyShare ?? 0.1;
    this.tickMs = options.tickMs ?? 250;
    this.clock = options.clock ?? Date.now;
    if (!(this.tickMs > 0)) throw new Error(`synthetic source: tickMs must be > 0, got ${this.tickMs}`);
  }

  /**
   * Loads the inventory (rejecting, with every problem named, when it has errors or yields no
   * route) and starts producing.
   */
  async start(onRecords: FlowRecordHandler): Promise<void> {
    if (this.timer) throw new Error('synthetic source is already running');
    const resources = await this.loadResources();
    this.plan = deriveTrafficPlan(resources, { seed: this.seed, localNode: this.options.localEndpointsOnly ? this.options.nodeName : null });
    this.generator = new SyntheticTrafficGenerator(this.plan, {
      nodeName: this.options.nodeName,
      seed: this.seed,
      connectionsPerSecond: this.connectionsPerSecond,
      denyShare: this.denyShare,
      startTimeMs: this.clock(),
      ...(this.options.reportIntervalMs !== undefined ? { reportIntervalMs: this.options.reportIntervalMs } : {}),
    });
    this.onRecords = onRecords;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.options.logger?.info({ seed: this.seed, connectionsPerSecond: this.connectionsPerSecond, denyShare: this.denyShare, routes: this.routeCounts() }, 'synthetic source started');
  }

  /** Stops the clock and reports what open connections carried since their last report. */
  async stop(): Promise<void> {
    if (!this.timer || !this.generator) return;
    clearInterval(this.timer);
    this.timer = null;
    this.emit(this.generator.reportOpenConnections(Math.max(this.clock(), this.generator.timeMs)));
    this.onRecords = null;
  }

  status(): SyntheticFlowSourceStatus {
    return {
      running: this.timer !== null,
      seed: this.seed,
      connectionsPerSecond: this.connectionsPerSecond,
      denyShare: this.denyShare,
      routes: this.routeCounts(),
      traffic: this.generator?.stats() ?? null,
      stallsSkipped: this.stallsSkipped,
    };
  }

  private async loadResources(): Promise<readonly Resource[]> {
    if (this.options.resources) return this.options.resources;
    const paths = this.options.resourcePaths ?? [];
    if (paths.length === 0) throw new Error('synthetic source: no inventory given (resource paths or resources)');
    const { resources, issues } = await loadResourcePaths(paths);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) throw new Error(`synthetic source: the inventory has errors:\n${errors.map((i) => `  ${i.message}`).join('\n')}`);
    return resources;
  }

  private tick(): void {
    const generator = this.generator;
    if (!generator) return;
    const now = this.clock();
    // After a long stall (a suspended laptop, a debugger), catching up would back-date minutes
    // of new connections at once; open connections still report, new ones start from now.
    const catchUpLimitMs = Math.max(5000, 20 * this.tickMs);
    const stalled = now - generator.timeMs > catchUpLimitMs;
    if (stalled) {
      this.stallsSkipped++;
      this.options.logger?.warn({ behindMs: now - generator.timeMs }, 'synthetic source fell behind the clock: skipping new connections for the gap');
    }
    this.emit(generator.advanceTo(now, { arrivals: !stalled }));
  }

  private emit(records: FlowRecordData[]): void {
    if (records.length === 0 || !this.onRecords) return;
    this.options.metrics?.recordsRead.inc({ source: this.name }, records.length);
    try {
      this.onRecords(records);
    } catch (err) {
      this.options.logger?.error({ err: (err as Error).message }, 'synthetic source: record handler failed');
    }
  }

  private routeCounts(): SyntheticFlowSourceStatus['routes'] {
    const plan = this.plan;
    if (!plan) return null;
    return {
      allowed: plan.allowed.length,
      intended: plan.allowed.filter((r) => r.intent === 'intended').length,
      denied: plan.denied.length,
      viaService: plan.allowed.filter((r) => r.kind === 'service').length + plan.denied.filter((r) => r.kind === 'service').length,
    };
  }
}
