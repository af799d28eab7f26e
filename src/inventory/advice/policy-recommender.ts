/**
 * Recommended policies from observed traffic: for one namespace (or one workload of it), the
 * policies that allow exactly the allowed flows that were seen — per workload, ingress and
 * egress — plus DNS to the cluster DNS, and nothing else. Pure: flows in, manifests out.
 *
 *   const rec = recommendPolicies(flows, { namespace: 'data', output: 'staged', tier: 'default' });
 *   rec.documents   // NetworkSets, then one policy per workload, in a stable order
 *
 * Choices (docs/recommendations.md): peers are namespace + identity labels (stable-labels.ts), so
 * a policy survives rollouts; addresses outside the cluster become exact /32 (/128) nets grouped
 * by the ports they were reached on into one suggested NetworkSet per group; ports are the ones
 * seen, contiguous runs written as ranges; every workload gets both directions (a direction with
 * no observed traffic then denies everything, which is what "nothing else" means).
 */
import { parseIp } from '../model/ip.ts';
import { protocolName } from '../model/resources.ts';
import { identityLabels, selectorText } from './stable-labels.ts';

/** What one end of a stored flow resolved to (the flow document's `segflow.source.*` fields). */
export interface ObservedEndpoint {
  readonly kind: 'workload' | 'host' | 'networkset' | 'public' | 'private';
  /** null when aggregation dropped the address. */
  readonly ip: string | null;
  readonly namespace: string | null;
  /** Aggregated name (`frontend-7d9c5b-*`), host or set name, `pub`/`pvt`. */
  readonly name: string | null;
  readonly labels: Readonly<Record<string, string>>;
}

/** One observed, allowed connection shape. */
export interface ObservedFlow {
  readonly source: ObservedEndpoint;
  readonly destination: ObservedEndpoint;
  /** IANA protocol number. */
  readonly protocol: number;
  /** Destination port (post-DNAT); null for protocols without ports or when aggregated away. */
  readonly dstPort: number | null;
  /** Reports this shape stands for (for summaries only). */
  readonly count: number;
}

/** Where the cluster's DNS answers: kept reachable from every recommended workload. */
export interface DnsTarget {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly protocol: number; readonly port: number }[];
}

/** CoreDNS / kube-dns as every Kubernetes distribution labels it. */
export const CLUSTER_DNS: DnsTarget = Object.freeze({
  namespace: 'kube-system',
  labels: Object.freeze({ 'k8s-app': 'kube-dns' }),
  ports: Object.freeze([Object.freeze({ protocol: 17, port: 53 }), Object.freeze({ protocol: 6, port: 53 })]),
});

/** The label Kubernetes puts on every namespace (GA since 1.22): how peers name their namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** The label on suggested NetworkSets that the rules select them by. */
export const NETWORK_SET_LABEL = 'segflow.io/network-set';

export type RecommendationOutput = 'staged' | 'calico' | 'kubernetes';

export interface RecommendationOptions {
  readonly namespace: string;
  /** One workload (a name from `workloads[].name`), or null for every workload of the namespace. */
  readonly workload?: string | null;
  /** `staged`: Calico StagedNetworkPolicy; `calico`: enforced Calico NetworkPolicy; `kubernetes`: networking.k8s.io/v1. */
  readonly output: RecommendationOutput;
  /** Calico tier (ignored for Kubernetes output, which always lands in the default tier). */
  readonly tier?: string;
  readonly order?: number;
  /** null: add no DNS rule. */
  readonly dns?: DnsTarget | null;
  /** Suggested sets as NetworkSets of the namespace, or as GlobalNetworkSets. */
  readonly networkSetScope?: 'namespaced' | 'global';
  /** Written into each document's annotations (e.g. the observed range). */
  readonly provenance?: string;
}

/** A Kubernetes-style manifest (apiVersion, kind, metadata, spec). */
export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

export interface WorkloadSummary {
  readonly name: string;
  readonly policy: string;
  readonly selector: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ingressRules: number;
  readonly egressRules: number;
  /** Observed reports this workload's rules stand for. */
  readonly flows: number;
}

export interface Recommendation {
  readonly documents: readonly Manifest[];
  readonly workloads: readonly WorkloadSummary[];
  readonly networkSets: readonly { readonly name: string; readonly namespace: string | null; readonly nets: readonly string[] }[];
  readonly dns: { readonly kept: boolean; readonly observedFlows: number; readonly target: string | null; readonly note: string };
  /** Observed reports not turned into rules, by reason. */
  readonly excluded: { readonly outOfScope: number; readonly noAddress: number };
  readonly warnings: readonly string[];
}

/** Thrown for options that cannot produce a recommendation (all problems in one message). */
export class RecommendationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'RecommendationError';
  }
}

type Peer =
  | { readonly type: 'workload'; readonly namespace: string; readonly labels: Readonly<Record<string, string>> }
  | { readonly type: 'host'; readonly cidr: string }
  | { readonly type: 'set'; readonly name: string; readonly cidrs: readonly string[] };

interface RuleDraft {
  readonly peer: Peer;
  readonly protocol: number;
  /** Ports seen; empty with anyPort false for protocols without ports. */
  readonly ports: Set<number>;
  anyPort: boolean;
}

interface WorkloadDraft {
  readonly labels: Readonly<Record<string, string>>;
  readonly aggregatedNames: Set<string>;
  readonly ingress: Map<string, RuleDraft>;
  readonly egress: Map<string, RuleDraft>;
  /** External address → protocol → ports, per direction (grouped into sets at the end). */
  readonly external: { readonly ingress: Map<string, Map<number, PortSeen>>; readonly egress: Map<string, Map<number, PortSeen>> };
  flows: number;
}

interface PortSeen { readonly ports: Set<number>; anyPort: boolean }

const PORTED = new Set([6, 17, 132]);
const DNS_PORT = 53;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function labelsKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

/** `10.0.0.1` → `10.0.0.1/32`, v6 → `/128`; null when not an address. */
function hostCidr(ip: string): string | null {
  const parsed = parseIp(ip);
  if (parsed === null) return null;
  return `${ip}/${parsed.version === 4 ? 32 : 128}`;
}

/** A DNS-1123 label from free text (for policy and set names). */
function dnsLabel(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return s.slice(0, 50).replace(/-$/, '') || 'workload';
}

/** Label keys in the order their values make a workload's name (`web-blue`: name, then instance). */
const NAME_KEYS: readonly string[] = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name', 'component', 'app.kubernetes.io/instance', 'app.kubernetes.io/component'];

/** The workload's short name: its identity label values, else its aggregated name without the pod suffix. */
function workloadBaseName(labels: Readonly<Record<string, string>>, aggregated: string | null): string {
  const rank = (k: string): number => (NAME_KEYS.indexOf(k) >= 0 ? NAME_KEYS.indexOf(k) : NAME_KEYS.length);
  const values = Object.keys(labels).sort((a, b) => rank(a) - rank(b) || compare(a, b)).map((k) => labels[k] as string);
  if (values.length > 0) return dnsLabel(values.join('-'));
  return dnsLabel((aggregated ?? 'workload').replace(/-\*$/, '').replace(/-[a-z0-9]{5,10}$/, ''));
}

/** Sorted ports as runs: `[80, 8080, 8081, 8082]` → `[[80,80],[8080,8082]]`. */
export function collapsePorts(ports: Iterable<number>): [number, number][] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const p of sorted) {
    const last = runs[runs.length - 1];
    if (last !== undefined && p === last[1] + 1) last[1] = p;
    else runs.push([p, p]);
  }
  return runs;
}

function peerKey(peer: Peer): string {
  // Sort order of rules: workloads (by namespace, labels), then hosts, then sets.
  switch (peer.type) {
    case 'workload': return `0|${peer.namespace}|${labelsKey(peer.labels)}`;
    case 'host': return `1|${peer.cidr}`;
    case 'set': return `2|${peer.name}`;
  }
}

function addRule(rules: Map<string, RuleDraft>, peer: Peer, protocol: number, port: number | null): void {
  const key = `${peerKey(peer)}|${String(protocol).padStart(3, '0')}`;
  let rule = rules.get(key);
  if (rule === undefined) {
    rule = { peer, protocol, ports: new Set(), anyPort: false };
    rules.set(key, rule);
  }
  if (PORTED.has(protocol)) {
    if (port === null) rule.anyPort = true;
    else rule.ports.add(port);
  }
}

function addExternal(map: Map<string, Map<number, PortSeen>>, cidr: string, protocol: number, port: number | null): void {
  let byProtocol = map.get(cidr);
  if (byProtocol === undefined) map.set(cidr, (byProtocol = new Map()));
  let seen = byProtocol.get(protocol);
  if (seen === undefined) byProtocol.set(protocol, (seen = { ports: new Set(), anyPort: false }));
  if (PORTED.has(protocol)) {
    if (port === null) seen.anyPort = true;
    else seen.ports.add(port);
  }
}

function signatureOf(byProtocol: Map<number, PortSeen>): string {
  return [...byProtocol.entries()].sort(([a], [b]) => a - b)
    .map(([p, s]) => `${p}:${s.anyPort ? '*' : collapsePorts(s.ports).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`).join(';');
}

/**
 * Builds the recommendation. Only flows with an end in the namespace (and the workload, when
 * named) count; callers pass allowed flows only (a denied flow is the fix's business, not a
 * recommendation's).
 */
export function recommendPolicies(flows: readonly ObservedFlow[], options: RecommendationOptions): Recommendation {
  const tier = options.tier ?? 'default';
  const order = options.order ?? 1000;
  const dns = options.dns === undefined ? CLUSTER_DNS : options.dns;
  const setScope = options.networkSetScope ?? 'namespaced';
  const problems: string[] = [];
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.namespace)) problems.push(`namespace: "${options.namespace}" is not a namespace name`);
  if (options.output !== 'kubernetes' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(tier)) problems.push(`tier: "${tier}" is not a tier name`);
  if (!Number.isFinite(order) || order < 0) problems.push(`order: ${order} is not a non-negative number`);
  if (options.output === 'kubernetes' && setScope === 'global') problems.push('networkSetScope: Kubernetes NetworkPolicy has no network sets (addresses are written as ipBlocks); leave it namespaced');
  if (problems.length > 0) throw new RecommendationError(problems);

  const warnings = new Set<string>();
  const workloads = new Map<string, WorkloadDraft>();
  const excluded = { outOfScope: 0, noAddress: 0 };
  let dnsObserved = 0;

  const inScope = (e: ObservedEndpoint): boolean => e.kind === 'workload' && e.namespace === options.namespace;
  const draftFor = (e: ObservedEndpoint): WorkloadDraft => {
    const labels = identityLabels(e.labels);
    const key = labelsKey(labels);
    let d = workloads.get(key);
    if (d === undefined) {
      d = { labels, aggregatedNames: new Set(), ingress: new Map(), egress: new Map(), external: { ingress: new Map(), egress: new Map() }, flows: 0 };
      workloads.set(key, d);
    }
    if (e.name !== null) d.aggregatedNames.add(e.name);
    return d;
  };
  /** The peer for the far end, or null when it cannot be written (then counted as noAddress). */
  const peerOf = (e: ObservedEndpoint): Peer | 'external' | null => {
    if (e.kind === 'workload' && e.namespace !== null) return { type: 'workload', namespace: e.namespace, labels: identityLabels(e.labels) };
    if (e.ip === null) return null;
    const cidr = hostCidr(e.ip);
    if (cidr === null) return null;
    if (e.kind === 'host') return { type: 'host', cidr };
    return 'external';
  };

  for (const flow of flows) {
    const srcIn = inScope(flow.source);
    const dstIn = inScope(flow.destination);
    if (!srcIn && !dstIn) { excluded.outOfScope += flow.count; continue; }
    const port = PORTED.has(flow.protocol) ? flow.dstPort : null;
    for (const [direction, self, far] of [['egress', flow.source, flow.destination], ['ingress', flow.destination, flow.source]] as const) {
      if (!(direction === 'egress' ? srcIn : dstIn)) continue;
      const draft = draftFor(self);
      const peer = peerOf(far);
      if (peer === null) {
        excluded.noAddress += flow.count;
        warnings.add('some flows reached a peer whose address was aggregated away (no workload, no address): they get no rule; store allowed flows at aggregation level 1 to recommend for external peers');
        continue;
      }
      draft.flows += flow.count;
      if (direction === 'egress' && port === DNS_PORT) dnsObserved += flow.count;
      if (PORTED.has(flow.protocol) && flow.dstPort === null) warnings.add(`some ${protocolName(flow.protocol)} flows carry no destination port (aggregated away): their rules allow every port of that protocol`);
      if (peer === 'external') addExternal(draft.external[direction], hostCidr(far.ip as string) as string, flow.protocol, port);
      else addRule(draft[direction], peer, flow.protocol, port);
    }
  }

  // Names: identity label values, made unique in a stable order.
  const ordered = [...workloads.entries()].sort(([a], [b]) => compare(a, b));
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const [key, d] of ordered) {
    const base = workloadBaseName(d.labels, [...d.aggregatedNames].sort()[0] ?? null);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    names.set(key, name);
  }
  const wanted = options.workload ?? null;
  if (wanted !== null && ![...names.values()].includes(wanted)) {
    const known = [...names.values()].sort();
    throw new RecommendationError([`workload: no observed workload "${wanted}" in namespace ${options.namespace}${known.length > 0 ? ` (observed: ${known.join(', ')})` : ' (no allowed flows observed there)'}`]);
  }

  const documents: Manifest[] = [];
  const setDocuments: Manifest[] = [];
  const networkSets: { name: string; namespace: string | null; nets: string[] }[] = [];
  const summaries: WorkloadSummary[] = [];
  const annotations = options.provenance !== undefined ? { 'segflow.io/recommended-from': options.provenance } : undefined;

  for (const [key, d] of ordered) {
    const name = names.get(key) as string;
    if (wanted !== null && name !== wanted) continue;
    if (Object.keys(d.labels).length === 0) warnings.add(`workload ${name} has no identity labels: its policy selects every pod of namespace ${options.namespace}`);
    if (dns !== null) for (const p of dns.ports) addRule(d.egress, { type: 'workload', namespace: dns.namespace, labels: dns.labels }, p.protocol, p.port);
    // External addresses, grouped by the ports they were reached on: one suggested set per group.
    for (const direction of ['ingress', 'egress'] as const) {
      const groups = new Map<string, { cidrs: string[]; byProtocol: Map<number, PortSeen> }>();
      for (const [cidr, byProtocol] of [...d.external[direction].entries()].sort(([a], [b]) => compare(a, b))) {
        const sig = signatureOf(byProtocol);
        const g = groups.get(sig);
        if (g === undefined) groups.set(sig, { cidrs: [cidr], byProtocol });
        else g.cidrs.push(cidr);
      }
      const sorted = [...groups.entries()].sort(([a], [b]) => compare(a, b));
      sorted.forEach(([, g], i) => {
        const setName = `${name}-${direction}-external${sorted.length > 1 ? `-${i + 1}` : ''}`;
        const peer: Peer = { type: 'set', name: setName, cidrs: g.cidrs };
        for (const [protocol, seen] of [...g.byProtocol.entries()].sort(([a], [b]) => a - b)) {
          if (seen.anyPort || seen.ports.size === 0) addRule(d[direction], peer, protocol, null);
          for (const p of seen.ports) addRule(d[direction], peer, protocol, p);
        }
        if (options.output !== 'kubernetes') {
          const namespace = setScope === 'namespaced' ? options.namespace : null;
          networkSets.push({ name: setName, namespace, nets: g.cidrs });
          setDocuments.push(networkSetManifest(setName, namespace, g.cidrs, annotations));
        }
      });
    }
    const ingress = [...d.ingress.entries()].sort(([a], [b]) => compare(a, b)).map(([, r]) => r);
    const egress = [...d.egress.entries()].sort(([a], [b]) => compare(a, b)).map(([, r]) => r);
    if (options.output === 'kubernetes') {
      for (const r of [...ingress, ...egress]) {
        if (!PORTED.has(r.protocol)) warnings.add(`Kubernetes NetworkPolicy cannot name protocol ${protocolName(r.protocol)}: workload ${name}'s rule for it allows every protocol from/to that peer`);
      }
    }
    const policyName = options.output === 'kubernetes' ? `recommended-${name}` : `${tier}.recommended-${name}`;
    const ctx: RenderContext = { namespace: options.namespace, setScope };
    documents.push(options.output === 'kubernetes'
      ? kubernetesPolicy(policyName, options.namespace, d.labels, ingress, egress, ctx, annotations)
      : calicoPolicy(options.output === 'staged', policyName, options.namespace, tier, order, d.labels, ingress, egress, ctx, annotations));
    summaries.push({ name, policy: policyName, selector: selectorText(d.labels), labels: d.labels, ingressRules: ingress.length, egressRules: egress.length, flows: d.flows });
  }

  const dnsTarget = dns === null ? null : `${dns.namespace}/${selectorText(dns.labels)} ${dns.ports.map((p) => `${protocolName(p.protocol)}/${p.port}`).join(', ')}`;
  const dnsNote = dns === null
    ? 'no DNS rule was added (dns: none): workloads that resolve names need one'
    : dnsObserved > 0
      ? `${dnsObserved} DNS report(s) observed; every policy also allows ${dnsTarget} so resolution keeps working`
      : `no DNS flows were observed in the range; every policy allows ${dnsTarget} anyway so resolution keeps working once egress is enforced`;
  return {
    documents: [...setDocuments, ...documents],
    workloads: summaries,
    networkSets,
    dns: { kept: dns !== null, observedFlows: dnsObserved, target: dnsTarget, note: dnsNote },
    excluded,
    warnings: [...warnings].sort(),
  };
}

interface RenderContext {
  readonly namespace: string;
  readonly setScope: 'namespaced' | 'global';
}

function networkSetManifest(name: string, namespace: string | null, nets: readonly string[], annotations: Record<string, string> | undefined): Manifest {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: namespace === null ? 'GlobalNetworkSet' : 'NetworkSet',
    metadata: { name, ...(namespace !== null ? { namespace } : {}), labels: { [NETWORK_SET_LABEL]: name }, ...(annotations ? { annotations } : {}) },
    spec: { nets: [...nets] },
  };
}

function calicoPorts(rule: RuleDraft): (number | string)[] | undefined {
  if (!PORTED.has(rule.protocol) || rule.anyPort) return undefined;
  return collapsePorts(rule.ports).map(([a, b]) => (a === b ? a : `${a}:${b}`));
}

function calicoProtocol(n: number): string | number {
  const name = protocolName(n);
  return name === String(n) ? n : name.toUpperCase();
}

function calicoPeer(peer: Peer, ctx: RenderContext): Record<string, unknown> {
  switch (peer.type) {
    case 'workload':
      return peer.namespace === ctx.namespace
        ? { selector: selectorText(peer.labels) }
        : { namespaceSelector: `${NAMESPACE_NAME_LABEL} == '${peer.namespace}'`, selector: selectorText(peer.labels) };
    case 'host': return { nets: [peer.cidr] };
    case 'set': return ctx.setScope === 'global'
      ? { namespaceSelector: 'global()', selector: `${NETWORK_SET_LABEL} == '${peer.name}'` }
      : { selector: `${NETWORK_SET_LABEL} == '${peer.name}'` };
  }
}

function calicoRule(rule: RuleDraft, direction: 'ingress' | 'egress', ctx: RenderContext): Record<string, unknown> {
  const ports = calicoPorts(rule);
  const peer = calicoPeer(rule.peer, ctx);
  const out: Record<string, unknown> = { action: 'Allow', protocol: calicoProtocol(rule.protocol) };
  if (direction === 'ingress') {
    out.source = peer;
    if (ports) out.destination = { ports };
  } else {
    out.destination = { ...peer, ...(ports ? { ports } : {}) };
  }
  return out;
}

function calicoPolicy(
  staged: boolean, name: string, namespace: string, tier: string, order: number, labels: Readonly<Record<string, string>>,
  ingress: readonly RuleDraft[], egress: readonly RuleDraft[], ctx: RenderContext, annotations: Record<string, string> | undefined,
): Manifest {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: staged ? 'StagedNetworkPolicy' : 'NetworkPolicy',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: {
      ...(staged ? { stagedAction: 'Set' } : {}),
      tier, order, selector: selectorText(labels), types: ['Ingress', 'Egress'],
      ingress: ingress.map((r) => calicoRule(r, 'ingress', ctx)),
      egress: egress.map((r) => calicoRule(r, 'egress', ctx)),
    },
  };
}

function kubernetesPeers(peer: Peer, ctx: RenderContext): Record<string, unknown>[] {
  switch (peer.type) {
    case 'workload': {
      const podSelector = { matchLabels: { ...peer.labels } };
      return [peer.namespace === ctx.namespace ? { podSelector } : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } }, podSelector }];
    }
    case 'host': return [{ ipBlock: { cidr: peer.cidr } }];
    case 'set': return peer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
  }
}

function kubernetesRule(rule: RuleDraft, direction: 'ingress' | 'egress', ctx: RenderContext): Record<string, unknown> {
  const peers = kubernetesPeers(rule.peer, ctx);
  // Kubernetes can only name TCP, UDP and SCTP; other protocols get a rule without ports (every protocol).
  const ports = !PORTED.has(rule.protocol)
    ? undefined
    : rule.anyPort
      ? [{ protocol: protocolName(rule.protocol).toUpperCase() }]
      : collapsePorts(rule.ports).map(([a, b]) => ({ protocol: protocolName(rule.protocol).toUpperCase(), port: a, ...(b !== a ? { endPort: b } : {}) }));
  return { [direction === 'ingress' ? 'from' : 'to']: peers, ...(ports ? { ports } : {}) };
}

function kubernetesPolicy(
  name: string, namespace: string, labels: Readonly<Record<string, string>>, ingress: readonly RuleDraft[], egress: readonly RuleDraft[],
  ctx: RenderContext, annotations: Record<string, string> | undefined,
): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: {
      podSelector: Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingress.map((r) => kubernetesRule(r, 'ingress', ctx)),
      egress: egress.map((r) => kubernetesRule(r, 'egress', ctx)),
    },
  };
}

/**
 * The documents as they would act when enforced: a StagedNetworkPolicy becomes the
 * NetworkPolicy it stages (what the replay evaluates — a staged policy decides nothing).
 */
export function enforcedDocuments(documents: readonly Manifest[]): Manifest[] {
  return documents.map((d) => {
    if (d.kind !== 'StagedNetworkPolicy') return d;
    const spec = { ...(d.spec as Record<string, unknown>) };
    delete spec.stagedAction;
    return { ...d, kind: 'NetworkPolicy', spec };
  });
}
