/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: a replica takes the
 * lease when it is free or its holder has not renewed it for leaseDuration (measured on this
 * replica's own clock from when it last saw the lease change, so clock skew between replicas does
 * not matter), renews it every few seconds, and writes with the lease's resourceVersion (a 409
 * means someone else won). A leader whose renewals have not succeeded for renewDeadline stops
 * leading on its own — before leaseDuration has passed and another replica may take over.
 */
import { statusOf, type KubeApi } from './kube-client.ts';

export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

export interface LeaseObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; [k: string]: unknown };
  spec?: LeaseSpec;
}

/** What to do with a lease as observed. */
export type LeaseDecision = 'renew' | 'acquire' | 'wait';

/**
 * The pure rule. `observedChangeAt` is when (local monotonic ms) the lease was last seen to change
 * (holder or renew time); the holder's claim is valid until that plus its leaseDurationSeconds.
 */
export function decideLease(spec: LeaseSpec | undefined, identity: string, observedChangeAt: number, now: number, defaultDurationSeconds: number): LeaseDecision {
  const holder = spec?.holderIdentity ?? '';
  if (holder === identity) return 'renew';
  if (holder === '') return 'acquire';
  const duration = (spec?.leaseDurationSeconds ?? defaultDurationSeconds) * 1000;
  return observedChangeAt + duration <= now ? 'acquire' : 'wait';
}

/** Kubernetes MicroTime (RFC 3339 with microseconds). */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The lease spec this replica writes to take or keep the lease. */
export function claimedSpec(previous: LeaseSpec | undefined, identity: string, durationSeconds: number, now: Date): LeaseSpec {
  const taking = (previous?.holderIdentity ?? '') !== identity;
  return {
    holderIdentity: identity,
    leaseDurationSeconds: durationSeconds,
    acquireTime: taking ? microTime(now) : previous?.acquireTime ?? microTime(now),
    renewTime: microTime(now),
    leaseTransitions: (previous?.leaseTransitions ?? 0) + (taking && (previous?.holderIdentity ?? '') !== '' ? 1 : 0),
  };
}

export interface LeaseElectionOptions {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationSeconds?: number;
  /** A leader stops leading when no renewal succeeded for this long (default 10 s). */
  readonly renewDeadlineMs?: number;
  /** Retry interval when not leading or after a failed renewal (default 2 s). */
  readonly retryPeriodMs?: number;
  /** Renewal interval while leading (default 5 s). */
  readonly renewIntervalMs?: number;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: (reason: string) => void;
  readonly onError?: (error: unknown) => void;
  /** Monotonic clock in ms (default performance.now). */
  readonly monotonic?: () => number;
}

export class LeaseElection {
  private timer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private leading = false;
  private lastRenewAt = -Infinity;
  private observed: { holder: string; renewTime: string; resourceVersion: string } | undefined;
  private observedChangeAt = 0;
  private stopped = false;
  private busy: Promise<void> | undefined;
  private readonly duration: number;
  private readonly renewDeadline: number;

  constructor(private readonly api: KubeApi, private readonly options: LeaseElectionOptions) {
    this.duration = options.leaseDurationSeconds ?? 15;
    this.renewDeadline = options.renewDeadlineMs ?? 10_000;
  }

  private now(): number {
    return (this.options.monotonic ?? (() => performance.now()))();
  }

  private get path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.options.namespace)}/leases`;
  }

  /** True while this replica holds the lease and renewed it within the renew deadline. */
  isLeader(): boolean {
    return this.leading && this.now() - this.lastRenewAt < this.renewDeadline;
  }

  start(): void {
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.busy = this.tick().finally(() => (this.busy = undefined));
    }, ms);
  }

  private stopLeading(reason: string): void {
    if (!this.leading) return;
    this.leading = false;
    clearTimeout(this.deadlineTimer);
    this.options.onStoppedLeading(reason);
  }

  private async tick(): Promise<void> {
    let next = this.options.retryPeriodMs ?? 2000;
    try {
      const ok = await this.tryAcquireOrRenew();
      if (ok) next = this.options.renewIntervalMs ?? 5000;
    } catch (err) {
      this.options.onError?.(err);
    }
    if (this.leading && !this.isLeader()) this.stopLeading(`no successful renewal for ${this.renewDeadline} ms`);
    this.schedule(next);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    let lease: LeaseObject | undefined;
    try {
      lease = await this.api.request<LeaseObject>('GET', `${this.path}/${encodeURIComponent(this.options.name)}`, undefined, { timeoutMs: this.options.retryPeriodMs ?? 2000 });
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    if (this.stopped) return false;
    if (lease === undefined) {
      const created: LeaseObject = {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
        metadata: { name: this.options.name, namespace: this.options.namespace },
        spec: claimedSpec(undefined, this.options.identity, this.duration, new Date()),
      };
      try {
        await this.api.request('POST', this.path, created, { timeoutMs: this.options.retryPeriodMs ?? 2000 });
      } catch (err) {
        if (statusOf(err) === 409) return false;
        throw err;
      }
      this.renewed(now);
      return true;
    }
    const seen = { holder: lease.spec?.holderIdentity ?? '', renewTime: lease.spec?.renewTime ?? '', resourceVersion: lease.metadata.resourceVersion ?? '' };
    if (this.observed === undefined || this.observed.holder !== seen.holder || this.observed.renewTime !== seen.renewTime || this.observed.resourceVersion !== seen.resourceVersion) {
      this.observed = seen;
      this.observedChangeAt = now;
    }
    const decision = decideLease(lease.spec, this.options.identity, this.observedChangeAt, now, this.duration);
    if (decision === 'wait') {
      this.stopLeading(`lease held by ${seen.holder}`);
      return false;
    }
    const updated: LeaseObject = { ...lease, spec: claimedSpec(lease.spec, this.options.identity, this.duration, new Date()) };
    try {
      await this.api.request('PUT', `${this.path}/${encodeURIComponent(this.options.name)}`, updated, { timeoutMs: this.options.retryPeriodMs ?? 2000 });
    } catch (err) {
      if (statusOf(err) === 409) {
        this.stopLeading('lease changed by another replica (409 conflict)');
        return false;
      }
      throw err;
    }
    this.renewed(now);
    return true;
  }

  private renewed(at: number): void {
    this.lastRenewAt = at;
    if (this.stopped) return;
    // Stop leading the moment the deadline passes without a renewal, not at the next tick.
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(() => {
      if (this.leading && !this.isLeader()) this.stopLeading(`no successful renewal for ${this.renewDeadline} ms`);
    }, this.renewDeadline + 5);
    if (!this.leading) {
      this.leading = true;
      this.options.onStartedLeading();
    }
  }

  /**
   * Stops leading now and gives the lease up (holder cleared), but keeps taking part: this
   * replica, or another, takes it again at its next attempt and starts a new term. For a leader
   * that can no longer write (its Kafka producer was fenced).
   */
  async resign(reason: string): Promise<void> {
    if (!this.leading || this.stopped) return;
    this.stopLeading(reason);
    await this.release();
  }

  /** Clears the holder of a lease this replica holds, so that whoever asks next takes it at once. */
  private async release(): Promise<void> {
    try {
      const lease = await this.api.request<LeaseObject>('GET', `${this.path}/${encodeURIComponent(this.options.name)}`, undefined, { timeoutMs: 2000 });
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      const now = new Date();
      const released: LeaseObject = { ...lease, spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime(now), acquireTime: microTime(now) } };
      await this.api.request('PUT', `${this.path}/${encodeURIComponent(this.options.name)}`, released, { timeoutMs: 2000 });
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  /** Stops the loop; a leader gives the lease up (holder cleared) so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.deadlineTimer);
    await this.busy;
    const wasLeading = this.leading;
    this.stopLeading('stopping');
    if (!wasLeading) return;
    await this.release();
  }
}
