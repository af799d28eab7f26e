/**
 * Deciding a flow (calico-policy.md §2.8): the source endpoint's egress and the destination
 * endpoint's ingress, each in the enforced scope (the verdict) and the pending scope (staged
 * policies treated as enforced, reported beside it and never changing the verdict).
 *
 * Results are cached in an LRU keyed by the inventory revision, both addresses, the endpoint
 * snapshots owning them at the flow's time, protocol and destination port (source port and
 * ICMP type/code only when they can matter). Any inventory change bumps the revision, so a
 * cached verdict never outlives the state it was computed from.
 */
import { LRUCache } from 'lru-cache';
import { canonicalIp, classifyAddress, parseIp, type IpAddr } from '../model/ip.ts';
import type { Direction, Profile } from '../model/resources.ts';
import type { EndpointIndex, EndpointSnapshot } from '../endpoints/endpoint-index.ts';
import { evaluateSide, type SideAction, type SideEvaluation } from './evaluate.ts';
import type { PolicyIndex } from './policy-index.ts';
import { AddressContext, type FlowKey } from './rule-match.ts';
import { hitString, type PolicyHit } from './trace.ts';

export interface FlowInput {
  readonly srcIp: string;
  readonly dstIp: string;
  /** IANA protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6, 132 sctp, …). */
  readonly protocol: number;
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Epoch ms; endpoints are resolved as of this time (now when omitted). */
  readonly time?: number;
}

export type AddressKind = 'workload' | 'host' | 'networkset' | 'public' | 'private';

export interface EndpointRef {
  readonly kind: AddressKind;
  readonly ip: string;
  /** Pod / WEP / HEP / network-set name; null for unknown addresses. */
  readonly name: string | null;
  readonly namespace: string | null;
  /** The resource's own labels (without `projectcalico.org/*` system labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** Resource key (`Pod/prod/frontend-…`), null for unknown addresses. */
  readonly key: string | null;
  readonly node: string | null;
  readonly serviceAccount: string | null;
}

export interface ScopeResult {
  readonly action: SideAction;
  /** Calico policy-hit strings. */
  readonly trace: readonly string[];
  readonly hits: readonly PolicyHit[];
  /** The hit that decided this side (the last one), null for no-endpoint. */
  readonly decidingHit: PolicyHit | null;
}

export interface SideResult extends ScopeResult {
  /** False for the ingress side when the source's egress already denied (Calico never gets there). */
  readonly reached: boolean;
  readonly pending: ScopeResult;
}

export interface Verdict {
  readonly verdict: 'allow' | 'deny';
  /** Inventory revision the verdict was computed at. */
  readonly revision: number;
  readonly source: EndpointRef;
  readonly destination: EndpointRef;
  readonly egress: SideResult;
  readonly ingress: SideResult;
  /** Which side decided: the denying side, both sides, or none (no endpoint on either side). */
  readonly decidedBy: 'egress' | 'ingress' | 'both' | 'none';
  /** A deciding Allow rule carried http criteria an L4 evaluator cannot check. */
  readonly l7Unevaluated: boolean;
}

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

function scopeResult(e: SideEvaluation): ScopeResult {
  return Object.freeze({ action: e.action, trace: Object.freeze(e.hits.map(hitString)), hits: Object.freeze(e.hits), decidingHit: e.hits[e.hits.length - 1] ?? null });
}

const NO_ENDPOINT: ScopeResult = Object.freeze({ action: 'no-endpoint', trace: Object.freeze([]), hits: Object.freeze([]), decidingHit: null });

export class VerdictEngine {
  private readonly endpoints: EndpointIndex;
  private readonly policies: PolicyIndex;
  private readonly revision: () => number;
  private readonly cache: LRUCache<string, Verdict> | null;
  private hits = 0;
  private misses = 0;

  constructor(endpoints: EndpointIndex, policies: PolicyIndex, revision: () => number, options: VerdictEngineOptions = {}) {
    this.endpoints = endpoints;
    this.policies = policies;
    this.revision = revision;
    const size = options.cacheSize ?? 100_000;
    this.cache = size > 0 ? new LRUCache<string, Verdict>({ max: size }) : null;
  }

  get cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.hits, misses: this.misses, size: this.cache?.size ?? 0 };
  }

  clearCache(): void {
    this.cache?.clear();
  }

  private uidKey(owners: readonly EndpointSnapshot[]): string | number {
    if (owners.length === 1) return (owners[0] as EndpointSnapshot).uid;
    if (owners.length === 0) return '-';
    return owners.map((o) => o.uid).join(',');
  }

  /** Decides a flow (cached). Throws FlowInputError for invalid addresses. */
  explain(flow: FlowInput): Verdict {
    const srcIp = canonicalIp(flow.srcIp);
    const dstIp = canonicalIp(flow.dstIp);
    if (srcIp === null) throw new FlowInputError(`invalid source IP ${JSON.stringify(flow.srcIp)}`);
    if (dstIp === null) throw new FlowInputError(`invalid destination IP ${JSON.stringify(flow.dstIp)}`);
    const srcOwners = this.endpoints.resolveOwners(srcIp, flow.time);
    const dstOwners = this.endpoints.resolveOwners(dstIp, flow.time);
    if (this.cache === null) return this.compute(flow, srcIp, dstIp, srcOwners, dstOwners);
    const icmp = flow.protocol === 1 || flow.protocol === 58 ? `${flow.icmpType}/${flow.icmpCode}` : '';
    const sport = this.policies.usesSourcePorts || this.profilesUseSourcePorts() ? flow.srcPort : '';
    const key = `${this.revision()}|${srcIp}|${this.uidKey(srcOwners)}|${dstIp}|${this.uidKey(dstOwners)}|${flow.protocol}|${flow.dstPort}|${sport}|${icmp}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const v = this.compute(flow, srcIp, dstIp, srcOwners, dstOwners);
    this.cache.set(key, v);
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
    const srcIp = canonicalIp(flow.srcIp);
    const dstIp = canonicalIp(flow.dstIp);
    if (srcIp === null) throw new FlowInputError(`invalid source IP ${JSON.stringify(flow.srcIp)}`);
    if (dstIp === null) throw new FlowInputError(`invalid destination IP ${JSON.stringify(flow.dstIp)}`);
    return this.compute(flow, srcIp, dstIp, this.endpoints.resolveOwners(srcIp, flow.time), this.endpoints.resolveOwners(dstIp, flow.time));
  }

  /** Describes an address as of `time`: endpoint, network set or public/private. */
  describe(ip: string, time?: number, localNamespace: string | null = null): EndpointRef {
    const addr = parseIp(ip);
    if (!addr) throw new FlowInputError(`invalid IP ${JSON.stringify(ip)}`);
    return this.describeAddr(addr, this.endpoints.resolveOwners(addr.text, time), localNamespace);
  }

  private describeAddr(addr: IpAddr, owners: readonly EndpointSnapshot[], localNamespace: string | null): EndpointRef {
    const o = owners[0];
    if (o) {
      const r = o.resource;
      return {
        kind: o.kind, ip: addr.text, name: r.name, namespace: r.namespace, labels: ownLabels(r.labels), key: o.key,
        node: r.node, serviceAccount: r.serviceAccount,
      };
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

  private profilesOf(s: EndpointSnapshot): Profile[] {
    const out: Profile[] = [];
    for (const name of s.resource.profiles) {
      const p = this.endpoints.profile(name);
      if (p) out.push(p);
    }
    return out;
  }

  private side(owner: EndpointSnapshot | undefined, dir: Direction, flow: FlowKey, src: AddressContext, dst: AddressContext, reached: boolean): SideResult {
    if (!owner) return Object.freeze({ ...NO_ENDPOINT, reached, pending: NO_ENDPOINT });
    const plan = this.policies.planFor(owner);
    const tiers = dir === 'ingress' ? plan.ingress : plan.egress;
    const profiles = this.profilesOf(owner);
    const enforced = scopeResult(evaluateSide(tiers, profiles, dir, 'enforced', flow, src, dst));
    // Pending differs from enforced when staged policies apply or an end-of-tier hit is
    // attributed (pending attributes to the first policy of the tier, enforced to the last).
    const differs = enforced.hits.some((h) => h.endOfTier) || tiers.some((t) => t.policies.some((p) => p.staged));
    const pending = differs ? scopeResult(evaluateSide(tiers, profiles, dir, 'pending', flow, src, dst)) : pendingFromEnforced(enforced);
    return Object.freeze({ ...enforced, reached, pending });
  }

  private compute(flow: FlowInput, srcIp: string, dstIp: string, srcOwners: readonly EndpointSnapshot[], dstOwners: readonly EndpointSnapshot[]): Verdict {
    const srcAddr = parseIp(srcIp) as IpAddr;
    const dstAddr = parseIp(dstIp) as IpAddr;
    if (srcAddr.version !== dstAddr.version) throw new FlowInputError(`source ${srcIp} and destination ${dstIp} are of different IP versions`);
    const key: FlowKey = {
      version: srcAddr.version, protocol: flow.protocol, srcPort: flow.srcPort, dstPort: flow.dstPort,
      icmpType: flow.icmpType, icmpCode: flow.icmpCode,
    };
    const src = new AddressContext(srcAddr, srcOwners, this.endpoints);
    const dst = new AddressContext(dstAddr, dstOwners, this.endpoints);
    const egress = this.side(srcOwners[0], 'egress', key, src, dst, true);
    const egressAllows = ALLOWING.has(egress.action);
    const ingress = this.side(dstOwners[0], 'ingress', key, src, dst, egressAllows);
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
    return Object.freeze({
      verdict, revision: this.revision(),
      source: this.describeAddr(srcAddr, srcOwners, dstNs),
      destination: this.describeAddr(dstAddr, dstOwners, srcNs),
      egress, ingress, decidedBy, l7Unevaluated: l7,
    });
  }
}

/**
 * Without staged policies the pending evaluation equals the enforced one, except that the
 * pending checker writes "no profile matched" as `pro:__PROFILE__|deny|-1`.
 */
function pendingFromEnforced(e: ScopeResult): ScopeResult {
  const last = e.decidingHit;
  if (!last || last.kind !== 'pro' || last.name !== '__NO_MATCH__') return e;
  const hits = [...e.hits.slice(0, -1), { ...last, name: '__PROFILE__', ruleIndex: -1 }];
  return Object.freeze({ action: e.action, trace: Object.freeze(hits.map(hitString)), hits: Object.freeze(hits), decidingHit: hits[hits.length - 1] ?? null });
}
