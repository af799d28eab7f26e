/**
 * "Who calls whom", derived from an inventory: every ordered pair of endpoints (client, server)
 * on each port the server declares, and every client dialling each Service port through its
 * cluster IP (one route per backend, since the node DNATs each connection to one of them),
 * classified by the inventory's own verdict engine. The result is the set of routes the
 * synthetic traffic model draws connections from.
 *
 * Allowed routes are weighted by intent: when the deciding allow rule on either side names the
 * peer (a selector, nets or a service, as `checkout → payments` does), the pair is a dependency
 * somebody set up and carries most of the traffic; a pair that is allowed only because nothing
 * forbids it (a profile allow, a rule open to every source) gets a little background traffic.
 * Service routes carry more than direct ones, as Kubernetes clients normally dial Services.
 *
 * Verdicts are computed exactly as the enricher computes them — against the backend address and
 * port after DNAT — so a generated flow's `dataplaneVerdict` agrees with its enrichment.
 */
import { Inventory } from '../../../inventory/inventory.ts';
import type { NamedPort, Resource, Rule, Service } from '../../../inventory/model/resources.ts';
import type { EndpointSnapshot } from '../../../inventory/endpoints/endpoint-index.ts';
import type { SideResult } from '../../../inventory/policy/verdict-engine.ts';
import { hitString, type PolicyHit } from '../../../inventory/policy/trace.ts';
import { SeededRandom } from './seeded-random.ts';
import { trafficProfileFor, type TrafficProfile } from './synthetic-traffic-profiles.ts';

const TCP = 6;
const UDP = 17;
/** Protocols the model can simulate (others declared by endpoints are ignored). */
const SIMULATED_PROTOCOLS: ReadonlySet<number> = new Set([TCP, UDP]);
/** Source port used to classify a pair: any ephemeral port (rules on source ports are rare). */
const CLASSIFICATION_SOURCE_PORT = 40000;
/** Weight of a denied route whose client calls nothing on purpose, relative to one from a caller. */
const NON_CALLER_DENY_WEIGHT = 0.2;

/** One end of a route: an endpoint of the inventory, at one of its addresses. */
export interface SyntheticEndpoint {
  /** Inventory key (`Pod/shop/frontend-…`). */
  readonly key: string;
  readonly name: string;
  readonly namespace: string | null;
  /** Node the endpoint runs on, when the inventory says. */
  readonly node: string | null;
  readonly ip: string;
  readonly ipVersion: 4 | 6;
}

/** A way one endpoint reaches another, with the verdict the policies give it. */
export interface SyntheticRoute {
  /** `direct`: the client dials the server's own address; `service`: a Service cluster IP, DNATed to the server. */
  readonly kind: 'direct' | 'service';
  readonly client: SyntheticEndpoint;
  readonly server: SyntheticEndpoint;
  /** IANA protocol number (6 or 17). */
  readonly protocol: number;
  /** The address and port the client dials (the cluster IP and Service port for service routes). */
  readonly dialledIp: string;
  readonly dialledPort: number;
  /** The port the connection reaches on the server (the target port after DNAT). */
  readonly serverPort: number;
  /** The Service dialled, for service routes. */
  readonly service: { readonly namespace: string; readonly name: string } | null;
  readonly verdict: 'allow' | 'deny';
  /** `intended`: a rule names the peer; `incidental`: allowed without anyone asking for it; `denied`. */
  readonly intent: 'intended' | 'incidental' | 'denied';
  /** Relative share of connections among the routes of the same verdict. */
  readonly weight: number;
  /** For denied routes: the policy hit that denied it (what an NFLOG prefix would name); '' otherwise. */
  readonly ruleHint: string;
  readonly profile: TrafficProfile;
}

/** Allowed and denied routes of an inventory. */
export interface SyntheticTrafficPlan {
  readonly allowed: readonly SyntheticRoute[];
  readonly denied: readonly SyntheticRoute[];
  /** Endpoints that took part (had an address). */
  readonly endpoints: number;
  /** Candidate (client, server, port) combinations classified. */
  readonly candidatesClassified: number;
  /** True when there were more candidates than `maxCandidates` and a seeded sample was classified. */
  readonly sampled: boolean;
}

/** Options of {@link deriveTrafficPlan}. */
export interface TrafficPlanOptions {
  /**
   * Most candidate combinations classified (each costs one verdict); beyond it a seeded random
   * sample is taken, so a large inventory still starts quickly. Default 20 000.
   */
  readonly maxCandidates?: number;
  /** Seed of that sample. Default 1. */
  readonly seed?: number;
  /**
   * Keep only routes with an end on this node (what one node's agent would see); null keeps
   * every route. Default null.
   */
  readonly localNode?: string | null;
  /** Weight of an incidental allowed route relative to an intended one. Default 0.05. */
  readonly incidentalWeight?: number;
  /** Weight of dialling through a Service relative to dialling the pod directly. Default 4. */
  readonly serviceWeight?: number;
}

interface Candidate {
  readonly client: SyntheticEndpoint;
  readonly server: SyntheticEndpoint;
  readonly protocol: number;
  readonly serverPort: number;
  readonly portName: string | null;
  readonly service: { namespace: string; name: string; clusterIp: string; port: number; backends: number } | null;
}

/** Builds the inventory from `resources` and derives the routes; see the module comment. */
export function deriveTrafficPlan(resources: readonly Resource[], options: TrafficPlanOptions = {}): SyntheticTrafficPlan {
  return deriveTrafficPlanFromInventory(Inventory.fromResources(resources), resources.filter((r): r is Service => r.kind === 'Service'), options);
}

/**
 * Derives the routes from a built inventory and its Services (the inventory cannot list its
 * Services itself). Deterministic for the same inputs and seed.
 */
export function deriveTrafficPlanFromInventory(inventory: Inventory, services: readonly Service[], options: TrafficPlanOptions = {}): SyntheticTrafficPlan {
  const maxCandidates = options.maxCandidates ?? 20_000;
  const incidentalWeight = options.incidentalWeight ?? 0.05;
  const serviceWeight = options.serviceWeight ?? 4;
  const localNode = options.localNode ?? null;
  const random = new SeededRandom(options.seed ?? 1);

  const snapshots = [...inventory.endpoints.allEndpoints()].filter((s) => s.resource.ips.length > 0);
  snapshots.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const endpoints = snapshots.map((s) => ({ snapshot: s, v4: endpointAt(s, 4), v6: endpointAt(s, 6) }));
  const byIp = new Map<string, { snapshot: EndpointSnapshot; at: SyntheticEndpoint }>();
  for (const e of endpoints) for (const at of [e.v4, e.v6]) if (at) byIp.set(at.ip, { snapshot: e.snapshot, at });

  const candidates: Candidate[] = [];
  // Direct: client → server on each port the server declares.
  const serverPorts = endpoints.map((e) => ({ ...e, ports: e.snapshot.resource.ports.filter((p) => SIMULATED_PROTOCOLS.has(p.protocol)) })).filter((e) => e.ports.length > 0);
  const directTotal = endpoints.length * serverPorts.reduce((n, s) => n + s.ports.length, 0);
  const serviceTargets = serviceCandidatesTargets(inventory, services, byIp);
  const serviceTotal = endpoints.length * serviceTargets.length;
  const sampled = directTotal + serviceTotal > maxCandidates;
  const keep = sampled ? maxCandidates / (directTotal + serviceTotal) : 1;

  for (const client of endpoints) {
    for (const server of serverPorts) {
      if (server.snapshot.key === client.snapshot.key) continue;
      const pair = commonFamily(client, server);
      if (!pair) continue;
      for (const port of server.ports) {
        if (sampled && !random.chance(keep)) continue;
        candidates.push({ client: pair[0], server: pair[1], protocol: port.protocol, serverPort: port.port, portName: port.name, service: null });
      }
    }
    for (const target of serviceTargets) {
      if (target.backend.snapshot.key === client.snapshot.key) continue;
      const at = target.backend.at.ipVersion === 4 ? client.v4 : client.v6;
      if (!at) continue;
      if (sampled && !random.chance(keep)) continue;
      candidates.push({
        client: at, server: target.backend.at, protocol: target.protocol, serverPort: target.targetPort, portName: target.portName,
        service: { namespace: target.namespace, name: target.name, clusterIp: target.clusterIp, port: target.port, backends: target.backends },
      });
    }
  }

  const allowed: SyntheticRoute[] = [];
  const denied: SyntheticRoute[] = [];
  for (const c of candidates) {
    if (localNode !== null && c.client.node !== localNode && c.server.node !== localNode) continue;
    const verdict = inventory.explain({ srcIp: c.client.ip, dstIp: c.server.ip, protocol: c.protocol, srcPort: CLASSIFICATION_SOURCE_PORT, dstPort: c.serverPort });
    const viaService = c.service !== null;
    const routeWeight = viaService ? serviceWeight / c.service!.backends : 1;
    const base = {
      kind: viaService ? ('service' as const) : ('direct' as const),
      client: c.client, server: c.server, protocol: c.protocol,
      dialledIp: c.service?.clusterIp ?? c.server.ip, dialledPort: c.service?.port ?? c.serverPort, serverPort: c.serverPort,
      service: c.service ? { namespace: c.service.namespace, name: c.service.name } : null,
      profile: trafficProfileFor({ port: c.serverPort, name: c.portName }),
    };
    if (verdict.verdict === 'allow') {
      const intended = namesPeer(inventory, verdict.egress, 'egress') || namesPeer(inventory, verdict.ingress, 'ingress');
      allowed.push({ ...base, verdict: 'allow', intent: intended ? 'intended' : 'incidental', weight: routeWeight * (intended ? 1 : incidentalWeight), ruleHint: '' });
    } else {
      const denying = verdict.egress.action === 'allow' || verdict.egress.action === 'profile-allow' ? verdict.ingress : verdict.egress;
      denied.push({ ...base, verdict: 'deny', intent: 'denied', weight: routeWeight, ruleHint: denying.decidingHit ? hitString(denying.decidingHit) : '' });
    }
  }
  // Denied traffic mostly comes from workloads that are clients anyway (a caller with a wrong
  // address or a missing policy), rarely from ones that never call out (a database, a cache).
  const callers = new Set(allowed.filter((r) => r.intent === 'intended').map((r) => r.client.key));
  const weightedDenied = denied.map((r) => (callers.has(r.client.key) ? r : { ...r, weight: r.weight * NON_CALLER_DENY_WEIGHT }));
  return { allowed, denied: weightedDenied, endpoints: endpoints.length, candidatesClassified: candidates.length, sampled };
}

function endpointAt(s: EndpointSnapshot, family: 4 | 6): SyntheticEndpoint | null {
  const ip = s.resource.ips.find((a) => (family === 4 ? !a.includes(':') : a.includes(':')));
  if (ip === undefined) return null;
  return { key: s.key, name: s.resource.name, namespace: s.resource.namespace, node: s.resource.node, ip, ipVersion: family };
}

function commonFamily(a: { v4: SyntheticEndpoint | null; v6: SyntheticEndpoint | null }, b: { v4: SyntheticEndpoint | null; v6: SyntheticEndpoint | null }): [SyntheticEndpoint, SyntheticEndpoint] | null {
  if (a.v4 && b.v4) return [a.v4, b.v4];
  if (a.v6 && b.v6) return [a.v6, b.v6];
  return null;
}

interface ServiceTarget {
  readonly namespace: string;
  readonly name: string;
  readonly clusterIp: string;
  readonly port: number;
  readonly protocol: number;
  readonly portName: string | null;
  readonly targetPort: number;
  readonly backend: { snapshot: EndpointSnapshot; at: SyntheticEndpoint };
  /** Backends of this Service port that are endpoints of the inventory. */
  readonly backends: number;
}

/** Every (cluster IP, Service port, backend endpoint) combination a client could dial. */
function serviceCandidatesTargets(inventory: Inventory, services: readonly Service[], byIp: Map<string, { snapshot: EndpointSnapshot; at: SyntheticEndpoint }>): ServiceTarget[] {
  const out: ServiceTarget[] = [];
  const sorted = [...services].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
  for (const service of sorted) {
    for (const clusterIp of service.clusterIPs) {
      for (const port of service.ports) {
        if (!SIMULATED_PROTOCOLS.has(port.protocol)) continue;
        const resolution = inventory.resolveService(clusterIp, port.protocol, port.port);
        if (!resolution) continue;
        const targets: ServiceTarget[] = [];
        for (const backend of resolution.backends) {
          const endpoint = byIp.get(backend.ip);
          // Only backends that are endpoints of the inventory: the model simulates traffic between endpoints.
          if (!endpoint || endpoint.at.ipVersion !== (clusterIp.includes(':') ? 6 : 4)) continue;
          const targetPort = backend.port ?? resolveTargetPort(port.targetPort, port.port, endpoint.snapshot.resource.ports);
          if (targetPort === null) continue;
          targets.push({
            namespace: service.namespace, name: service.name, clusterIp, port: port.port, protocol: port.protocol,
            portName: backend.portName ?? port.name, targetPort, backend: endpoint, backends: 0,
          });
        }
        for (const t of targets) out.push({ ...t, backends: targets.length });
      }
    }
  }
  return out;
}

/** A Service port's target: a number, a name the backend declares, or (when absent) the Service port itself. */
function resolveTargetPort(targetPort: number | string | null, servicePort: number, backendPorts: readonly NamedPort[]): number | null {
  if (typeof targetPort === 'number') return targetPort;
  if (targetPort === null) return servicePort;
  return backendPorts.find((p) => p.name === targetPort)?.port ?? null;
}

/**
 * Whether the rule behind an allowing side names the peer: a selector (namespace and service
 * account clauses are folded into it), nets or a service on the peer's end of the rule.
 */
function namesPeer(inventory: Inventory, side: SideResult, direction: 'ingress' | 'egress'): boolean {
  if (side.action !== 'allow') return false;
  const hit = side.decidingHit;
  if (!hit || hit.endOfTier || hit.ruleIndex < 0) return false;
  const rule = ruleOf(inventory, hit, direction);
  if (!rule) return false;
  const peer = direction === 'ingress' ? rule.source : rule.destination;
  return peer.selector !== null || peer.nets.length > 0 || peer.services !== null;
}

function ruleOf(inventory: Inventory, hit: PolicyHit, direction: 'ingress' | 'egress'): Rule | undefined {
  for (const compiled of inventory.policies.allPolicies()) {
    const p = compiled.policy;
    if (compiled.shortKind === hit.kind && p.name === hit.name && (p.namespace ?? null) === hit.namespace) return p[direction][hit.ruleIndex];
  }
  return undefined;
}
