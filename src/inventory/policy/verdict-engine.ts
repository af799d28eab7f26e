/**
 * Deciding a flow (docs/policy-semantics.md §2.8): the source endpoint's egress and the destination
 * endpoint's ingress, each in the enforced scope (the verdict) and the pending scope (staged
 * policies treated as enforced, reported beside it and never changing the verdict).
 *
 * Results are cached (verdict-cache.ts) keyed by the endpoint snapshots owning both addresses at
 * the flow's time (or the addresses themselves), protocol and destination port / ICMP type+code,
 * and the source port only when some rule constrains it. The cache belongs to one inventory
 * revision: any change starts a fresh one, so a cached verdict never outlives its state.
 */
import { canonicalIp, classifyAddress, parseIp, type IpAddr } from '../model/ip.ts';
import type { Direction, Profile } from '../model/resources.ts';
import type { EndpointIndex, EndpointSnapshot } from '../endpoints/endpoint-index.ts';
import {
  evaluateSide, evaluateStages, PENDING_NO_PROFILE_MATCH_HITS,
  type SideAction, type SideEvaluation, type Stage, type StageResult,
} from './evaluate.ts';
import { HostTopology } from './host-topology.ts';
import type { PolicyIndex, TierPlan } from './policy-index.ts';
import { failsafeMatches } from './host-topology.ts';
import { AddressContext, type FlowKey } from './rule-match.ts';
import { VerdictCache } from './verdict-cache.ts';
import { NO_MATCH, type PolicyHit } from './trace.ts';
import type { EndpointRef, FlowInput, ScopeResult, SideResult, Verdict } from './verdict.ts';

export type { AddressKind, DecidingStage, EndpointRef, FlowInput, ScopeResult, SideResult, Verdict } from './verdict.ts';

export class FlowInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowInputError';
  }
}

export interface VerdictEngineOptions {
  /** Cached verdicts (0 disables the cache). Default 100 000. */
  readonly cacheSize?: number;
}

const ALLOWING: ReadonlySet<SideAction> = new Set(['allow', 'profile-allow', 'no-endpoint']);

function ownLabels(labels: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of labels) if (!k.startsWith('projectcalico.org/') && !k.startsWith('pcns.') && !k.startsWith('pcsa.')) out[k] = v;
  return out;
}

// Verdicts are shared through the cache; they are immutable by type (readonly) rather than by
// Object.freeze, a measurable share of the uncached path's time.
function scopeResult(e: SideEvaluation): ScopeResult & { notes: readonly string[] | undefined } {
  return { action: e.action, trace: e.trace, hits: e.hits, decidingHit: e.hits[e.hits.length - 1] ?? null, notes: e.notes };
}

const NO_ENDPOINT: ScopeResult = Object.freeze({ action: 'no-endpoint', trace: Object.freeze([]), hits: Object.freeze([]), decidingHit: null });
const NO_STAGES: readonly StageResult[] = Object.freeze([]);
const NO_CAVEATS: readonly string[] = Object.freeze([]);
/** A node's traffic to its own workloads: allowed, nothing evaluated (felix/rules/static.go filterOutputChain). */
const HOST_TO_LOCAL: ScopeResult = Object.freeze({ action: 'allow', trace: Object.freeze([]), hits: Object.freeze([]), decidingHit: null });

/**
 * Where one end of a flow is, for the packet path. The engine keeps one per end and refills it
 * for every flow (verdicts are computed synchronously): no allocation on the uncached path.
 */
class Place {
  /** The endpoint owning the address (first owner), if any. */
  owner: EndpointSnapshot | undefined = undefined;
  /** Node of a workload owner. */
  workloadNode: string | null = null;
  /** Node whose own address this is (a host endpoint's or the Node's). */
  hostNode: string | null = null;
}

export class VerdictEngine {
  private readonly endpoints: EndpointIndex;
  private readonly policies: PolicyIndex;
  private readonly revision: () => number;
  private readonly cache: VerdictCache | null;
  private hits = 0;
  private misses = 0;

  /** Nodes, their host endpoints and failsafe ports (fed by the Inventory). */
  readonly topology: HostTopology;

  constructor(endpoints: EndpointIndex, policies: PolicyIndex, revision: () => number, options: VerdictEngineOptions = {}, topology: HostTopology = new HostTopology()) {
    this.endpoints = endpoints;
    this.policies = policies;
    this.topology = topology;
    this.revision = revision;
    const size = options.cacheSize ?? 100_000;
    this.cache = size > 0 ? new VerdictCache(size) : null;
  }

  get cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.hits, misses: this.misses, size: this.cache?.size ?? 0 };
  }

  clearCache(): void {
    this.cache?.clear();
  }

  /**
   * Cache-key token for one side: the snapshot uid when a single endpoint with a single IP owns
   * the address (the uid then implies the address), else address plus owner uids.
   */
  private static token(ip: string, owners: readonly EndpointSnapshot[]): string | number {
    if (owners.length === 1) {
      const o = owners[0] as EndpointSnapshot;
      return o.resource.ips.length === 1 ? o.uid : `${ip}#${o.uid}`;
    }
    if (owners.length === 0) return ip;
    return `${ip}#${owners.map((o) => o.uid).join(',')}`;
  }

  private resolve(ip: string, time: number | undefined, what: string): { ip: string; owners: readonly EndpointSnapshot[] } {
    const fast = this.endpoints.ownersIfIndexed(ip, time);
    if (fast !== undefined) return { ip, owners: fast };
    const canonical = canonicalIp(ip);
    if (canonical === null) throw new FlowInputError(`invalid ${what} IP ${JSON.stringify(ip)}`);
    return { ip: canonical, owners: this.endpoints.resolveOwners(canonical, time) };
  }

  /** Decides a flow (cached). Throws FlowInputError for invalid addresses. */
  explain(flow: FlowInput): Verdict {
    const cache = this.cache;
    if (cache === null) return this.explainUncached(flow);
    const time = flow.time;
    // Fast path: both addresses are single-IP endpoints spelled canonically (no allocation).
    let srcIp = flow.srcIp;
    let dstIp = flow.dstIp;
    let srcOwners: readonly EndpointSnapshot[] | undefined;
    let dstOwners: readonly EndpointSnapshot[] | undefined;
    let srcTok: string | number | undefined = this.endpoints.fastToken(srcIp, time);
    let dstTok: string | number | undefined = this.endpoints.fastToken(dstIp, time);
    if (srcTok === undefined) {
      ({ ip: srcIp, owners: srcOwners } = this.resolve(srcIp, time, 'source'));
      srcTok = VerdictEngine.token(srcIp, srcOwners);
    }
    if (dstTok === undefined) {
      ({ ip: dstIp, owners: dstOwners } = this.resolve(dstIp, time, 'destination'));
      dstTok = VerdictEngine.token(dstIp, dstOwners);
    }
    const proto = flow.protocol;
    const portField = proto === 1 || proto === 58
      ? (flow.icmpType === undefined ? undefined : flow.icmpType * 256 + (flow.icmpCode ?? 255))
      : flow.dstPort;
    const cached = cache.lookup(this.revision(), srcTok, dstTok, flow.srcPort, this.policies.usesSourcePorts || this.profilesUseSourcePorts(), proto, portField);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    this.misses++;
    srcOwners ??= this.endpoints.resolveOwners(srcIp, time);
    dstOwners ??= this.endpoints.resolveOwners(dstIp, time);
    const v = this.compute(flow, srcIp, dstIp, srcOwners, dstOwners);
    cache.set(v);
    return v;
  }

  private profileCheckRevision = -1;
  private profileSourcePorts = false;

  private profilesUseSourcePorts(): boolean {
    const rev = this.revision();
    if (rev !== this.profileCheckRevision) {
      this.profileCheckRevision = rev;
      this.profileSourcePorts = false;
      for (const p of this.endpoints.explicitProfiles()) {
        for (const r of [...p.ingress, ...p.egress]) if (r.source.ports.length > 0 || r.source.notPorts.length > 0) this.profileSourcePorts = true;
      }
    }
    return this.profileSourcePorts;
  }

  /** Decides a flow without the cache (the "cold" path). */
  explainUncached(flow: FlowInput): Verdict {
    const src = this.resolve(flow.srcIp, flow.time, 'source');
    const dst = this.resolve(flow.dstIp, flow.time, 'destination');
    return this.compute(flow, src.ip, dst.ip, src.owners, dst.owners);
  }

  /** Describes an address as of `time`: endpoint, network set or public/private. */
  describe(ip: string, time?: number, localNamespace: string | null = null): EndpointRef {
    const addr = parseIp(ip);
    if (!addr) throw new FlowInputError(`invalid IP ${JSON.stringify(ip)}`);
    return this.describeAddr(addr, this.endpoints.resolveOwners(addr.text, time), localNamespace);
  }

  /** Endpoint descriptions are shared by every verdict about the same snapshot and IP. */
  private readonly refs = new WeakMap<EndpointSnapshot, Map<string, EndpointRef>>();

  private describeAddr(addr: IpAddr, owners: readonly EndpointSnapshot[], localNamespace: string | null): EndpointRef {
    const o = owners[0];
    if (o) {
      let byIp = this.refs.get(o);
      if (!byIp) {
        byIp = new Map();
        this.refs.set(o, byIp);
      }
      let ref = byIp.get(addr.text);
      if (!ref) {
        const r = o.resource;
        ref = Object.freeze({
          kind: o.kind, ip: addr.text, name: r.name, namespace: r.namespace, labels: Object.freeze(ownLabels(r.labels)), key: o.key,
          node: r.node, serviceAccount: r.serviceAccount,
        });
        byIp.set(addr.text, ref);
      }
      return ref;
    }
    const set = this.endpoints.networkSetFor(addr, localNamespace);
    if (set) {
      return {
        kind: 'networkset', ip: addr.text, name: set.resource.name, namespace: set.resource.namespace, labels: ownLabels(set.resource.labels),
        key: set.key, node: null, serviceAccount: null,
      };
    }
    return { kind: classifyAddress(addr), ip: addr.text, name: null, namespace: null, labels: {}, key: null, node: null, serviceAccount: null };
  }

  /** Profiles of an endpoint, in its order (generated kns./ksa. ones included). */
  profilesOf(s: EndpointSnapshot): readonly Profile[] {
    // A profile change re-installs its users, so a snapshot's profiles never change.
    const memo = this.profileMemo.get(s);
    if (memo) return memo;
    const out: Profile[] = [];
    for (const name of s.resource.profiles) {
      const p = this.endpoints.profile(name);
      if (p) out.push(p);
    }
    this.profileMemo.set(s, out);
    return out;
  }

  private readonly profileMemo = new WeakMap<EndpointSnapshot, readonly Profile[]>();

  private side(owner: EndpointSnapshot | undefined, dir: Direction, flow: FlowKey, src: AddressContext, dst: AddressContext, reached: boolean): SideResult {
    if (!owner) return { action: NO_ENDPOINT.action, trace: NO_ENDPOINT.trace, hits: NO_ENDPOINT.hits, decidingHit: null, reached, pending: NO_ENDPOINT, stage: null, stages: NO_STAGES };
    const plan = this.policies.planFor(owner);
    const tiers = dir === 'ingress' ? plan.ingress : plan.egress;
    const profiles = this.profilesOf(owner);
    const enforced = scopeResult(evaluateSide(tiers, profiles, dir, 'enforced', flow, src, dst));
    // Pending differs from enforced when staged policies apply or an end-of-tier hit is
    // attributed (pending attributes to the first policy of the tier, enforced to the last).
    const hasStaged = tiers.some((t) => !t.allEnforced);
    const pending = hasStaged ? scopeResult(evaluateSide(tiers, profiles, dir, 'pending', flow, src, dst)) : pendingFromEnforced(enforced, tiers);
    return {
      action: enforced.action, trace: enforced.trace, hits: enforced.hits, decidingHit: enforced.decidingHit, reached, pending,
      // One shape for every side (no conditional spread): the uncached path builds one per side.
      stage: owner.kind === 'host' ? 'host' : 'workload', stages: NO_STAGES, notes: enforced.notes,
    };
  }

  /** A side through several stages (host endpoints on the way): both scopes evaluated in full. */
  private stagedSide(stages: readonly Stage[], flow: FlowKey, src: AddressContext, dst: AddressContext, reached: boolean): SideResult {
    const e = evaluateStages(stages, 'enforced', flow, src, dst);
    const p = evaluateStages(stages, 'pending', flow, src, dst);
    const enforced = scopeResult(e);
    return {
      action: enforced.action, trace: enforced.trace, hits: enforced.hits, decidingHit: enforced.decidingHit, reached, pending: scopeResult(p),
      stage: e.decidedStage, stages: e.stages, notes: enforced.notes,
    };
  }

  private readonly srcPlace = new Place();
  private readonly dstPlace = new Place();

  private place(p: Place, owners: readonly EndpointSnapshot[], ip: string): Place {
    const owner = owners[0];
    p.owner = owner;
    if (owner !== undefined && owner.kind === 'workload') {
      p.workloadNode = owner.resource.node;
      p.hostNode = null;
    } else {
      p.workloadNode = null;
      p.hostNode = owner !== undefined ? owner.resource.node : this.topology.nodeOfAddress(ip);
    }
    return p;
  }

  /** A stage of host endpoint `hep` (tiers of that stage and direction from its plan). */
  private hostStage(hep: EndpointSnapshot, kind: 'untracked' | 'pre-dnat' | 'host' | 'forward', dir: Direction): Stage {
    const plan = this.policies.planFor(hep);
    let tiers: readonly TierPlan[];
    switch (kind) {
      case 'untracked': tiers = dir === 'ingress' ? plan.host.untrackedIngress : plan.host.untrackedEgress; break;
      case 'pre-dnat': tiers = plan.host.preDnatIngress; break;
      case 'forward': tiers = dir === 'ingress' ? plan.host.forwardIngress : plan.host.forwardEgress; break;
      default: tiers = dir === 'ingress' ? plan.ingress : plan.egress;
    }
    const failsafes = kind === 'forward' ? null : this.topology.failsafesOf(hep.resource.node);
    return {
      kind, dir, endpoint: hep.key, tiers, profiles: kind === 'host' ? this.profilesOf(hep) : [],
      failsafes: failsafes === null ? null : dir === 'ingress' ? failsafes.inbound : failsafes.outbound,
    };
  }

  private workloadStage(w: EndpointSnapshot, dir: Direction): Stage {
    const plan = this.policies.planFor(w);
    return { kind: 'workload', dir, endpoint: w.key, tiers: dir === 'ingress' ? plan.ingress : plan.egress, profiles: this.profilesOf(w), failsafes: null };
  }

  /** The node's host endpoint when it has stage policies that could matter (else null: nothing to add). */
  private activeHostEndpoint(node: string | null): EndpointSnapshot | null {
    // Without any doNotTrack / preDNAT / applyOnForward policy no host endpoint adds a stage.
    if (node === null || !this.policies.hasHostStagePolicies) return null;
    const hep = this.topology.hostEndpointOf(node);
    return hep !== null && this.policies.planFor(hep).host.any ? hep : null;
  }

  /**
   * The source side in packet order (docs/calico-semantics.md §2.2): a workload's egress, then —
   * when the packet leaves its node — the node host endpoint's forward stages; a host's own
   * traffic through its host endpoint's untracked and normal egress.
   */
  private egressSide(s: Place, d: Place, flow: FlowKey, src: AddressContext, dst: AddressContext): SideResult {
    if (s.workloadNode !== null || (s.owner !== undefined && s.owner.kind === 'workload')) {
      const w = s.owner as EndpointSnapshot;
      const hep = this.activeHostEndpoint(s.workloadNode);
      if (hep === null) return this.side(w, 'egress', flow, src, dst, true);
      const all = hep.resource.interfaceName === '*';
      const local = d.workloadNode === s.workloadNode;
      const toOwnHost = d.hostNode === s.workloadNode;
      if (toOwnHost || (local && !all)) return this.side(w, 'egress', flow, src, dst, true);
      const stages: Stage[] = [this.workloadStage(w, 'egress')];
      // An all-interfaces host endpoint also sees the packet come in from the workload.
      if (all) stages.push(this.hostStage(hep, 'forward', 'ingress'));
      if (!local) stages.push(this.hostStage(hep, 'forward', 'egress'));
      return this.stagedSide(stages, flow, src, dst, true);
    }
    if (s.hostNode !== null && d.workloadNode === s.hostNode) {
      // A node's traffic to its own workloads is never policed.
      if (s.owner === undefined) return this.side(undefined, 'egress', flow, src, dst, true);
      return { ...HOST_TO_LOCAL, reached: true, pending: HOST_TO_LOCAL, stage: 'host-to-local-workload', stages: NO_STAGES };
    }
    const hep = s.owner ?? (s.hostNode !== null ? this.topology.hostEndpointOf(s.hostNode) : null);
    if (hep === null) return this.side(undefined, 'egress', flow, src, dst, true);
    if (!this.policies.planFor(hep).host.any && s.owner !== undefined) return this.withFailsafe(hep, 'egress', flow, src, dst, true);
    return this.stagedSide([this.hostStage(hep, 'untracked', 'egress'), this.hostStage(hep, 'host', 'egress')], flow, src, dst, true);
  }

  /**
   * The destination side in packet order: for a workload reached from another machine, its
   * node host endpoint's untracked, pre-DNAT and forward ingress first; for a host address, the
   * host endpoint's untracked, pre-DNAT and normal ingress.
   */
  private ingressSide(s: Place, d: Place, flow: FlowKey, src: AddressContext, dst: AddressContext, reached: boolean): SideResult {
    if (d.owner !== undefined && d.owner.kind === 'workload') {
      const w = d.owner;
      const node = d.workloadNode;
      if (node !== null && s.hostNode === node) {
        return { ...HOST_TO_LOCAL, reached, pending: HOST_TO_LOCAL, stage: 'host-to-local-workload', stages: NO_STAGES };
      }
      const hep = this.activeHostEndpoint(node);
      if (hep === null) return this.side(w, 'ingress', flow, src, dst, reached);
      const all = hep.resource.interfaceName === '*';
      const local = s.workloadNode === node;
      if (local && !all) return this.side(w, 'ingress', flow, src, dst, reached);
      const stages: Stage[] = [];
      if (!local) stages.push(this.hostStage(hep, 'untracked', 'ingress'), this.hostStage(hep, 'pre-dnat', 'ingress'), this.hostStage(hep, 'forward', 'ingress'));
      // An all-interfaces host endpoint also sees the packet go out to the workload.
      if (all) stages.push(this.hostStage(hep, 'forward', 'egress'));
      stages.push(this.workloadStage(w, 'ingress'));
      return this.stagedSide(stages, flow, src, dst, reached);
    }
    const hep = d.owner ?? (d.hostNode !== null ? this.topology.hostEndpointOf(d.hostNode) : null);
    if (hep === null) return this.side(undefined, 'ingress', flow, src, dst, reached);
    // A workload reaching its own host goes through Felix's workload-to-host chain, not through a
    // named host endpoint (DefaultEndpointToHostAction; Calico's manifests set Accept); only an
    // all-interfaces host endpoint polices it.
    if (s.workloadNode !== null && s.workloadNode === hep.resource.node && hep.resource.interfaceName !== '*') {
      return { ...HOST_TO_LOCAL, reached, pending: HOST_TO_LOCAL, stage: 'host-to-local-workload', stages: NO_STAGES };
    }
    if (!this.policies.planFor(hep).host.any && d.owner !== undefined) return this.withFailsafe(hep, 'ingress', flow, src, dst, reached);
    return this.stagedSide([this.hostStage(hep, 'untracked', 'ingress'), this.hostStage(hep, 'pre-dnat', 'ingress'), this.hostStage(hep, 'host', 'ingress')], flow, src, dst, reached);
  }

  /** A host endpoint's normal stage alone (no other stage has a policy), failsafe ports first. */
  private withFailsafe(hep: EndpointSnapshot, dir: Direction, flow: FlowKey, src: AddressContext, dst: AddressContext, reached: boolean): SideResult {
    const f = this.topology.failsafesOf(hep.resource.node);
    if (failsafeMatches(dir === 'ingress' ? f.inbound : f.outbound, flow.protocol, flow.dstPort, dir === 'ingress' ? src.addr : dst.addr)) {
      return this.stagedSide([this.hostStage(hep, 'host', dir)], flow, src, dst, reached);
    }
    return this.side(hep, dir, flow, src, dst, reached);
  }

  private compute(flow: FlowInput, srcIp: string, dstIp: string, srcOwners: readonly EndpointSnapshot[], dstOwners: readonly EndpointSnapshot[]): Verdict {
    const srcAddr = this.endpoints.parsedIfIndexed(srcIp) ?? (parseIp(srcIp) as IpAddr);
    const dstAddr = this.endpoints.parsedIfIndexed(dstIp) ?? (parseIp(dstIp) as IpAddr);
    if (srcAddr.version !== dstAddr.version) throw new FlowInputError(`source ${srcIp} and destination ${dstIp} are of different IP versions`);
    const key: FlowKey = {
      version: srcAddr.version, protocol: flow.protocol, srcPort: flow.srcPort, dstPort: flow.dstPort,
      icmpType: flow.icmpType, icmpCode: flow.icmpCode,
    };
    const src = new AddressContext(srcAddr, srcOwners, this.endpoints);
    const dst = new AddressContext(dstAddr, dstOwners, this.endpoints);
    const sp = this.place(this.srcPlace, srcOwners, srcAddr.text);
    const dp = this.place(this.dstPlace, dstOwners, dstAddr.text);
    const egress = this.egressSide(sp, dp, key, src, dst);
    const egressAllows = ALLOWING.has(egress.action);
    const ingress = this.ingressSide(sp, dp, key, src, dst, egressAllows);
    const ingressAllows = ALLOWING.has(ingress.action);
    const verdict = egressAllows && ingressAllows ? 'allow' : 'deny';
    let decidedBy: Verdict['decidedBy'];
    if (!egressAllows) decidedBy = 'egress';
    else if (!ingressAllows) decidedBy = 'ingress';
    else if (egress.action === 'no-endpoint') decidedBy = ingress.action === 'no-endpoint' ? 'none' : 'ingress';
    else decidedBy = ingress.action === 'no-endpoint' ? 'egress' : 'both';
    const srcNs = srcOwners[0]?.resource.namespace ?? null;
    const dstNs = dstOwners[0]?.resource.namespace ?? null;
    const l7 = (egress.decidingHit?.l7Unevaluated ?? false) || (ingress.reached && (ingress.decidingHit?.l7Unevaluated ?? false));
    return {
      verdict, revision: this.revision(),
      source: this.describeAddr(srcAddr, srcOwners, dstNs),
      destination: this.describeAddr(dstAddr, dstOwners, srcNs),
      egress, ingress, decidedBy, l7Unevaluated: l7, caveats: caveatsOf(egress, ingress),
    };
  }
}

/** The notes of the policies either side hit (the ingress side's only when reached). */
function caveatsOf(egress: SideResult, ingress: SideResult): readonly string[] {
  const e = egress.notes;
  const i = ingress.reached ? ingress.notes : undefined;
  if (e === undefined && i === undefined) return NO_CAVEATS;
  return [...new Set([...(e ?? []), ...(i ?? [])])];
}

/**
 * Without staged policies the pending evaluation takes exactly the enforced path; only the
 * attribution differs: end-of-tier hits name the tier's first policy (not its last enforced
 * one) and "no profile matched" is written `pro:__PROFILE__|deny|-1`.
 */
function pendingFromEnforced(e: ScopeResult, tiers: readonly TierPlan[]): ScopeResult {
  // Most sides need no change: copy only once a hit differs.
  let hits: PolicyHit[] | null = null;
  let trace: string[] | null = null;
  for (let i = 0; i < e.hits.length; i++) {
    const m = pendingHit(e.hits[i] as PolicyHit, tiers);
    if (m === null) continue;
    hits ??= e.hits.slice();
    trace ??= e.trace.slice();
    hits[i] = m.hit;
    trace[i] = m.text;
  }
  if (hits === null || trace === null) return e;
  return { action: e.action, trace, hits, decidingHit: hits[hits.length - 1] ?? null };
}

/**
 * The pending attribution of one enforced hit, or null when it is the same. A module function,
 * not a closure in pendingFromEnforced: tsx compiles with keepNames, so a named closure costs an
 * Object.defineProperty each time it is created (4% of the uncached verdict path).
 */
function pendingHit(h: PolicyHit, tiers: readonly TierPlan[]): { hit: PolicyHit; text: string } | null {
  if (h.endOfTier) {
    const first = tiers.find((t) => t.tier.name === h.tier)?.policies[0];
    if (first && (first.policy.name !== h.name || first.policy.namespace !== h.namespace || first.shortKind !== h.kind)) {
      return first.hitMemo.hit(h.index, h.action, -1, false);
    }
  } else if (h.kind === 'pro' && h.name === NO_MATCH) {
    return PENDING_NO_PROFILE_MATCH_HITS.hit(h.index, 'deny', -1, false);
  }
  return null;
}
