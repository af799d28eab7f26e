/**
 * Keeps one reflector per wanted kind the API server serves. Discovery decides (again every
 * minute, and soon after any CustomResourceDefinition of a wanted group changes, so a CRD
 * installed after start is followed without a restart): a kind that appears gets a reflector, one
 * whose API went away loses it and its objects are deleted from the topic, a Calico kind that
 * becomes served as projectcalico.org/v3 switches from the backend CRDs to v3. Each change of a
 * kind's state is logged once.
 */
import type { Logger } from '../runtime/logger.ts';
import { discoverGroupVersions } from './api-discovery.ts';
import type { ClusterInventoryState } from './cluster-inventory-state.ts';
import type { KubeApi } from './kube-client.ts';
import type { ApiObject, KindReflector, ReflectorSink } from './kind-reflector.ts';
import { resolveKinds, servedKindId, WANTED_KINDS, type ServedKind } from './synced-kinds.ts';

const CRD_KIND: ServedKind = { family: 'apiextensions/CustomResourceDefinition', group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions', namespaced: false };

export interface ServedKindsOptions {
  readonly rediscoverEveryMs?: number;
  /** Builds the reflector of a kind (the sync wires sinks, observers and options). */
  readonly reflectorFor: (kind: ServedKind) => KindReflector;
  /** Builds the CRD watcher (options such as backoff; its sink is given). */
  readonly crdReflector: (kind: ServedKind, sink: ReflectorSink) => KindReflector;
}

export class ServedKindsController {
  private readonly running = new Map<string, KindReflector>();
  private readonly reportedState = new Map<string, string>();
  private crdWatch: KindReflector | undefined;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout[] = [];
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Resolves after the first discovery decided every kind (served, absent or unknown). */
  discovered = false;

  constructor(private readonly api: KubeApi, private readonly state: ClusterInventoryState, private readonly log: Logger, private readonly options: ServedKindsOptions) {}

  /** The reflectors running now. */
  reflectors(): KindReflector[] {
    return [...this.running.values()];
  }

  async start(): Promise<void> {
    await this.rediscover();
    const wantedGroups = new Set(WANTED_KINDS.flatMap((w) => w.sources.map((s) => s.group)));
    const crdChanged = (crd: ApiObject): void => {
      const group = (crd.spec as { group?: unknown } | undefined)?.group;
      if (typeof group === 'string' && wantedGroups.has(group)) this.rediscoverSoon();
    };
    this.crdWatch = this.options.crdReflector(CRD_KIND, {
      replace: (objects) => objects.forEach(crdChanged),
      upsert: crdChanged,
      remove: crdChanged,
    });
    this.crdWatch.start();
    this.timer = setInterval(() => void this.rediscover(), this.options.rediscoverEveryMs ?? 60_000);
    this.timer.unref();
  }

  /** Discovery lags a CRD's Established condition a little: ask now and again shortly after. */
  private rediscoverSoon(): void {
    if (this.stopped) return;
    for (const t of this.soon) clearTimeout(t);
    this.soon = [500, 3000, 10_000].map((ms) => setTimeout(() => void this.rediscover(), ms));
  }

  /** Runs one discovery and applies it (serialised: one at a time). */
  rediscover(): Promise<void> {
    this.queue = this.queue.then(() => this.apply()).catch((err: Error) => {
      this.log.error({ err: err.message }, 'discovery failed; the kinds followed stay as they are');
    });
    return this.queue;
  }

  private report(family: string, state: string, log: () => void): void {
    if (this.reportedState.get(family) === state) return;
    this.reportedState.set(family, state);
    log();
  }

  private async apply(): Promise<void> {
    if (this.stopped) return;
    const discovery = await discoverGroupVersions(this.api);
    if (this.stopped) return;
    const at = Date.now();
    for (const resolution of resolveKinds(discovery)) {
      if (resolution.state === 'unknown') {
        this.report(resolution.wanted.family, `unknown:${resolution.reason}`, () =>
          this.log.warn({ kind: resolution.wanted.kind, reason: resolution.reason }, `cannot tell whether ${resolution.wanted.kind} is served; keeping what is followed`));
        continue;
      }
      if (resolution.state === 'absent') {
        const family = resolution.wanted.family;
        const current = this.running.get(family);
        if (current !== undefined) {
          this.running.delete(family);
          await current.stop();
          this.state.dropKind(current.kind, at);
          this.log.info({ kind: servedKindId(current.kind) }, `${current.kind.kind} is no longer served (its API or CRD was removed): stopped following it, its objects are deleted from the inventory`);
        }
        this.state.markAbsent(family);
        this.report(family, 'absent', () => this.log.info({ kind: resolution.wanted.kind, tried: resolution.tried }, `${resolution.wanted.kind} is not served by this cluster (${resolution.tried}): skipped`));
        continue;
      }
      const served = resolution.served;
      const current = this.running.get(served.family);
      if (current !== undefined && servedKindId(current.kind) === servedKindId(served) && current.kind.resource === served.resource) continue;
      if (current !== undefined) {
        // Switching API form (backend CRDs → projectcalico.org/v3): the new list replaces the old objects in one step.
        await current.stop();
        this.state.uncover(served.family);
        this.log.info({ from: servedKindId(current.kind), to: servedKindId(served) }, `${served.kind}: following ${servedKindId(served)} instead of ${servedKindId(current.kind)}`);
      }
      const reflector = this.options.reflectorFor(served);
      this.running.set(served.family, reflector);
      reflector.start();
      this.report(served.family, `served:${servedKindId(served)}`, () => this.log.info({ kind: servedKindId(served), resource: served.resource }, `following ${servedKindId(served)}`));
    }
    this.discovered = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const t of this.soon) clearTimeout(t);
    await this.queue;
    await Promise.all([this.crdWatch?.stop(), ...[...this.running.values()].map((r) => r.stop())]);
  }
}
