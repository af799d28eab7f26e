/**
 * Which policies apply to which endpoint, maintained incrementally (docs/policy-semantics.md §2.3 "Tiers", §2.4 "Which policies apply").
 *
 * For every live endpoint the index keeps the set of policies whose effective selector matches
 * its effective labels. A policy change re-tests that one policy against every endpoint; an
 * endpoint change re-tests every policy against that one endpoint. The ordered per-direction
 * plan (tiers in order, policies by order then `name/namespace/Kind`) is derived lazily from that
 * set and cached until the set, a tier or a member policy changes.
 */
import { compileSelector, type Labels } from '../selector/index.ts';
import { keyOf, POLICY_SHORT_KIND, type Direction, type Policy, type PolicyShortKind, type Tier } from '../model/resources.ts';
import type { EndpointSnapshot } from '../endpoints/endpoint-index.ts';
import { compileRule, type CompiledRule } from './rule-match.ts';
import { PolicyHitMemo } from './trace.ts';

export interface CompiledPolicy {
  readonly key: string;
  readonly policy: Policy;
  readonly shortKind: PolicyShortKind;
  readonly staged: boolean;
  readonly matches: (labels: Labels) => boolean;
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
  /** `order` with nil as +∞. */
  readonly order: number;
  /** `<name>/<namespace>/<Kind>` — Felix's tie-break (PolKVLess). */
  readonly sortName: string;
  /** Normal-path policy (not doNotTrack / preDNAT). */
  readonly normal: boolean;
  /** doNotTrack / preDNAT / applyOnForward: takes part in a host endpoint's other stages. */
  readonly hostStage: boolean;
  /** The hits this policy produces in traces, made once. */
  readonly hitMemo: PolicyHitMemo;
  /** Unique per compiled policy: names it in the key of a shared plan. */
  readonly serial: number;
}

export interface TierInfo {
  readonly name: string;
  readonly defaultAction: 'Deny' | 'Pass';
  /** Position in evaluation order. */
  readonly rank: number;
  /** False for tiers referenced by a policy but without a Tier resource. */
  readonly defined: boolean;
}

/** One tier's applicable policies for one endpoint and direction, in evaluation order. */
export interface TierPlan {
  readonly tier: TierInfo;
  /** Enforced and staged policies, in order. */
  readonly policies: readonly CompiledPolicy[];
  readonly hasEnforced: boolean;
  /** No staged policy in this tier. */
  readonly allEnforced: boolean;
  /** Last enforced policy (end-of-tier attribution, enforced scope). */
  readonly lastEnforced: CompiledPolicy | null;
}

/**
 * A host endpoint's other stages (docs/calico-semantics.md §2): doNotTrack policies (raw table,
 * both directions), preDNAT policies (ingress only) and applyOnForward normal policies (forwarded
 * traffic). Calico renders them only for host endpoints; a workload's plan has them empty.
 */
export interface HostStagePlan {
  readonly untrackedIngress: readonly TierPlan[];
  readonly untrackedEgress: readonly TierPlan[];
  readonly preDnatIngress: readonly TierPlan[];
  readonly forwardIngress: readonly TierPlan[];
  readonly forwardEgress: readonly TierPlan[];
  /** Some stage has a policy (else every host stage is a no-op and can be skipped). */
  readonly any: boolean;
}

export interface EndpointPlan {
  /** Normal (filter-table) policies: a workload's whole plan, a host endpoint's normal stage. */
  readonly ingress: readonly TierPlan[];
  readonly egress: readonly TierPlan[];
  readonly host: HostStagePlan;
}

interface Entry {
  snapshot: EndpointSnapshot;
  applicable: Set<CompiledPolicy>;
  plan: EndpointPlan | null;
  planEpoch: number;
}

const FELIX_KIND: Readonly<Record<Policy['kind'], string>> = {
  GlobalNetworkPolicy: 'GlobalNetworkPolicy',
  NetworkPolicy: 'NetworkPolicy',
  KubernetesNetworkPolicy: 'KubernetesNetworkPolicy',
  StagedGlobalNetworkPolicy: 'StagedGlobalNetworkPolicy',
  StagedNetworkPolicy: 'StagedNetworkPolicy',
  StagedKubernetesNetworkPolicy: 'StagedKubernetesNetworkPolicy',
  AdminNetworkPolicy: 'AdminNetworkPolicy',
  BaselineAdminNetworkPolicy: 'BaselineAdminNetworkPolicy',
  ClusterNetworkPolicy: 'KubernetesClusterNetworkPolicy',
};

/**
 * Built-in tiers: `default`; Calico 3.32's `kube-admin` / `kube-baseline` (ClusterNetworkPolicy);
 * Calico 3.29–3.31's `adminnetworkpolicy` / `baselineadminnetworkpolicy` (AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy; clientv3 ensureTierExists). Same orders, so on a tie the names
 * decide: adminnetworkpolicy before kube-admin, baselineadminnetworkpolicy before kube-baseline.
 */
const BUILTIN_TIERS: readonly Tier[] = [
  { kind: 'Tier', name: 'default', order: 1_000_000, defaultAction: 'Deny' },
  { kind: 'Tier', name: 'kube-admin', order: 1000, defaultAction: 'Pass' },
  { kind: 'Tier', name: 'kube-baseline', order: 10_000_000, defaultAction: 'Pass' },
  { kind: 'Tier', name: 'adminnetworkpolicy', order: 1000, defaultAction: 'Pass' },
  { kind: 'Tier', name: 'baselineadminnetworkpolicy', order: 10_000_000, defaultAction: 'Pass' },
];

const NO_HOST_STAGES: HostStagePlan = Object.freeze({
  untrackedIngress: [], untrackedEgress: [], preDnatIngress: [], forwardIngress: [], forwardEgress: [], any: false,
});

function byteLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

let nextPolicySerial = 1;

export function compilePolicy(policy: Policy): CompiledPolicy {
  return {
    serial: nextPolicySerial++,
    key: keyOf(policy),
    policy,
    shortKind: POLICY_SHORT_KIND[policy.kind],
    staged: policy.staged,
    matches: compileSelector(policy.selector.ast).matches,
    ingress: policy.ingress.map(compileRule),
    egress: policy.egress.map(compileRule),
    order: policy.order ?? Infinity,
    sortName: `${policy.name}/${policy.namespace ?? ''}/${FELIX_KIND[policy.kind]}`,
    normal: !policy.doNotTrack && !policy.preDNAT,
    hostStage: policy.doNotTrack || policy.preDNAT || policy.applyOnForward,
    hitMemo: new PolicyHitMemo(
      policy.tier, POLICY_SHORT_KIND[policy.kind], policy.namespace, policy.name,
      policy.notes.map((n) => `${POLICY_SHORT_KIND[policy.kind]}:${policy.namespace ? `${policy.namespace}/` : ''}${policy.name}: ${n}`),
    ),
  };
}

export function comparePolicies(a: CompiledPolicy, b: CompiledPolicy): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return byteLess(a.sortName, b.sortName);
}

export class PolicyIndex {
  private readonly tierResources = new Map<string, Tier>();
  private readonly policies = new Map<string, CompiledPolicy>();
  private readonly entries = new Map<string, Entry>();
  private tierInfo = new Map<string, TierInfo>();
  /** Bumped when tier order changes: every plan is re-derived. */
  private epoch = 0;
  /** Bumped by every policy or tier change: invalidates the plans kept on snapshots. */
  private changes = 0;
  /** Plans by their set of applicable policies (see sharedPlan), as of `sharedPlansAt` changes. */
  private readonly sharedPlans = new Map<string, EndpointPlan>();
  private sharedPlansAt = -1;
  private sourcePortRules = 0;
  private hostStagePolicies = 0;

  constructor() {
    for (const t of BUILTIN_TIERS) this.tierResources.set(t.name, t);
    this.rankTiers();
  }

  // -------------------------------------------------------------------------------------------
  // Tiers

  private rankTiers(): void {
    this.changes++;
    const referenced = new Set<string>();
    for (const p of this.policies.values()) if (!this.tierResources.has(p.policy.tier)) referenced.add(p.policy.tier);
    // TierLess: defined tiers first, by order then name (the loader reads a nil order as 1,000,000, as Calico does); undefined tiers after them.
    const defined = [...this.tierResources.values()].sort((a, b) => {
      const ao = a.order ?? Infinity;
      const bo = b.order ?? Infinity;
      if (ao !== bo) return ao < bo ? -1 : 1;
      return byteLess(a.name, b.name);
    });
    const info = new Map<string, TierInfo>();
    let rank = 0;
    for (const t of defined) info.set(t.name, { name: t.name, defaultAction: t.defaultAction, rank: rank++, defined: true });
    for (const name of [...referenced].sort(byteLess)) info.set(name, { name, defaultAction: 'Deny', rank: rank++, defined: false });
    const changed = info.size !== this.tierInfo.size || [...info].some(([n, t]) => {
      const old = this.tierInfo.get(n);
      return !old || old.rank !== t.rank || old.defaultAction !== t.defaultAction;
    });
    this.tierInfo = info;
    if (changed) this.epoch++;
  }

  applyTier(t: Tier): void {
    this.tierResources.set(t.name, t);
    this.rankTiers();
  }

  deleteTier(name: string): boolean {
    const builtin = BUILTIN_TIERS.find((t) => t.name === name);
    const had = this.tierResources.has(name);
    if (builtin) this.tierResources.set(name, builtin);
    else this.tierResources.delete(name);
    this.rankTiers();
    return had;
  }

  tiers(): TierInfo[] {
    return [...this.tierInfo.values()].sort((a, b) => a.rank - b.rank);
  }

  // -------------------------------------------------------------------------------------------
  // Policies

  private countSourcePorts(p: CompiledPolicy, sign: 1 | -1): void {
    for (const r of [...p.ingress, ...p.egress]) if (r.usesSourcePort) this.sourcePortRules += sign;
    if (p.hostStage) this.hostStagePolicies += sign;
  }

  /** Some policy is doNotTrack, preDNAT or applyOnForward (else no host endpoint has other stages). */
  get hasHostStagePolicies(): boolean {
    return this.hostStagePolicies > 0;
  }

  applyPolicy(policy: Policy): CompiledPolicy {
    this.changes++;
    const compiled = compilePolicy(policy);
    const prev = this.policies.get(compiled.key);
    if (prev) this.countSourcePorts(prev, -1);
    this.policies.set(compiled.key, compiled);
    this.countSourcePorts(compiled, 1);
    if (!prev || prev.policy.tier !== policy.tier) this.rankTiers();
    for (const e of this.entries.values()) {
      const had = prev ? e.applicable.delete(prev) : false;
      const has = compiled.matches(e.snapshot.labels);
      if (has) e.applicable.add(compiled);
      if (had || has) e.plan = null;
    }
    return compiled;
  }

  deletePolicy(key: string): boolean {
    const prev = this.policies.get(key);
    if (!prev) return false;
    this.changes++;
    this.policies.delete(key);
    this.countSourcePorts(prev, -1);
    for (const e of this.entries.values()) if (e.applicable.delete(prev)) e.plan = null;
    this.rankTiers();
    return true;
  }

  getPolicy(key: string): CompiledPolicy | undefined {
    return this.policies.get(key);
  }

  get policyCount(): number {
    return this.policies.size;
  }

  allPolicies(): IterableIterator<CompiledPolicy> {
    return this.policies.values();
  }

  /** True when some policy rule constrains the source port (so it must be part of cache keys). */
  get usesSourcePorts(): boolean {
    return this.sourcePortRules > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Endpoints

  private applicableFor(labels: Labels): Set<CompiledPolicy> {
    const out = new Set<CompiledPolicy>();
    for (const p of this.policies.values()) if (p.matches(labels)) out.add(p);
    return out;
  }

  /** Endpoint-index listener: keeps the applicable sets in step with endpoint snapshots. */
  readonly onEndpointChange = (prev: EndpointSnapshot | null, next: EndpointSnapshot | null): void => {
    if (next === null) {
      if (prev) this.entries.delete(prev.key);
      return;
    }
    const old = this.entries.get(next.key);
    if (old && old.snapshot.labels === next.labels) {
      old.snapshot = next;
      return;
    }
    this.entries.set(next.key, { snapshot: next, applicable: this.applicableFor(next.labels), plan: null, planEpoch: -1 });
  };

  /** Orders a set of applicable policies into per-direction tier plans, per stage. */
  buildPlan(applicable: Iterable<CompiledPolicy>): EndpointPlan {
    const all = [...applicable];
    const build = (dir: Direction, keep: (p: CompiledPolicy) => boolean): TierPlan[] => {
      const byTier = new Map<string, CompiledPolicy[]>();
      for (const p of all) {
        if (!keep(p) || !(dir === 'ingress' ? p.policy.types.ingress : p.policy.types.egress)) continue;
        const list = byTier.get(p.policy.tier);
        if (list) list.push(p);
        else byTier.set(p.policy.tier, [p]);
      }
      const plans: TierPlan[] = [];
      for (const [name, list] of byTier) {
        const tier = this.tierInfo.get(name) ?? { name, defaultAction: 'Deny' as const, rank: Infinity, defined: false };
        list.sort(comparePolicies);
        let lastEnforced: CompiledPolicy | null = null;
        for (const p of list) if (!p.staged) lastEnforced = p;
        plans.push({ tier, policies: list, hasEnforced: lastEnforced !== null, allEnforced: list.every((p) => !p.staged), lastEnforced });
      }
      plans.sort((a, b) => a.tier.rank - b.tier.rank || byteLess(a.tier.name, b.tier.name));
      return plans;
    };
    // event_sequencer.go tierInfoToProtoTierInfo: doNotTrack → untracked; preDNAT → pre-DNAT
    // (ingress only); other policies → normal, and also forward when applyOnForward.
    const normal = (p: CompiledPolicy): boolean => p.normal;
    const untracked = (p: CompiledPolicy): boolean => p.policy.doNotTrack;
    const preDnat = (p: CompiledPolicy): boolean => p.policy.preDNAT;
    const forward = (p: CompiledPolicy): boolean => p.normal && p.policy.applyOnForward;
    const anyHost = all.some((p) => p.hostStage);
    const host: HostStagePlan = anyHost ? {
      untrackedIngress: build('ingress', untracked), untrackedEgress: build('egress', untracked),
      preDnatIngress: build('ingress', preDnat), forwardIngress: build('ingress', forward), forwardEgress: build('egress', forward), any: true,
    } : NO_HOST_STAGES;
    return { ingress: build('ingress', normal), egress: build('egress', normal), host };
  }

  /**
   * One plan object per distinct set of applicable policies: the replicas of a workload share
   * theirs, so the uncached verdict path walks a few thousand plans rather than one per endpoint
   * (and the index holds fewer). Forgotten at every policy or tier change.
   */
  private sharedPlan(applicable: Iterable<CompiledPolicy>): EndpointPlan {
    if (this.sharedPlansAt !== this.changes) {
      this.sharedPlans.clear();
      this.sharedPlansAt = this.changes;
    }
    const key = Array.from(applicable, (p) => p.serial).sort((a, b) => a - b).join(',');
    let plan = this.sharedPlans.get(key);
    if (plan === undefined) {
      plan = this.buildPlan(applicable);
      this.sharedPlans.set(key, plan);
    }
    return plan;
  }

  /** Each snapshot's plan and the policy-change count it was made at; dropped with the snapshot. */
  private readonly snapshotPlans = new WeakMap<EndpointSnapshot, { readonly plan: EndpointPlan; readonly at: number }>();

  /** The ordered plan for an endpoint snapshot (computed on demand for non-live snapshots). */
  planFor(snapshot: EndpointSnapshot): EndpointPlan {
    // First the plan memoised for this snapshot object: no lookup by key on every uncached
    // verdict. A plan depends only on the labels (fixed per snapshot) and the policies and tiers
    // (any change bumps `changes`), so a memo made at the current count is exact.
    const memo = this.snapshotPlans.get(snapshot);
    if (memo !== undefined && memo.at === this.changes) return memo.plan;
    let plan: EndpointPlan;
    const e = this.entries.get(snapshot.key);
    if (e && e.snapshot.labels === snapshot.labels) {
      if (e.plan === null || e.planEpoch !== this.epoch) {
        e.plan = this.sharedPlan(e.applicable);
        e.planEpoch = this.epoch;
      }
      plan = e.plan;
    } else {
      // A snapshot that is no longer live (IP history lookup): evaluate against current policies.
      plan = this.sharedPlan(this.applicableFor(snapshot.labels));
    }
    this.snapshotPlans.set(snapshot, { plan, at: this.changes });
    return plan;
  }

  /** Applicable policies of a live endpoint (unordered), for tests and diagnostics. */
  applicableTo(endpointKey: string): CompiledPolicy[] {
    return [...(this.entries.get(endpointKey)?.applicable ?? [])];
  }

  /** Rough heap estimate of the index structures (bytes). */
  estimateMemoryBytes(): number {
    let refs = 0;
    for (const e of this.entries.values()) refs += e.applicable.size;
    return this.entries.size * 200 + refs * 40;
  }
}
