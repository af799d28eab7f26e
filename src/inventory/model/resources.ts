/**
 * The normalised resource model: what the loader produces from Calico v3 / Kubernetes YAML and
 * what the indexes consume. Selectors are stored already rewritten to their *effective* form
 * (docs/policy-semantics.md §1.9, "Effective labels"), so nothing downstream needs to know about namespaces or prefixes.
 */
import type { SelectorNode } from '../selector/index.ts';
import type { Cidr } from './ip.ts';

export type PolicyKind =
  | 'GlobalNetworkPolicy'
  | 'NetworkPolicy'
  | 'KubernetesNetworkPolicy'
  | 'StagedGlobalNetworkPolicy'
  | 'StagedNetworkPolicy'
  | 'StagedKubernetesNetworkPolicy'
  | AdminPolicyKind;

/**
 * Short kinds used in Calico ≥ 3.32 policy-hit strings; `kanp` / `kbanp` are Felix 3.29–3.31's
 * short kinds for the admin policies (docs/calico-semantics.md §4), written in the same form.
 */
export type PolicyShortKind = 'gnp' | 'np' | 'knp' | 'sgnp' | 'snp' | 'sknp' | 'kanp' | 'kbanp' | 'kcnp';

export const POLICY_SHORT_KIND: Readonly<Record<PolicyKind, PolicyShortKind>> = Object.freeze({
  GlobalNetworkPolicy: 'gnp',
  NetworkPolicy: 'np',
  KubernetesNetworkPolicy: 'knp',
  StagedGlobalNetworkPolicy: 'sgnp',
  StagedNetworkPolicy: 'snp',
  StagedKubernetesNetworkPolicy: 'sknp',
  AdminNetworkPolicy: 'kanp',
  BaselineAdminNetworkPolicy: 'kbanp',
  ClusterNetworkPolicy: 'kcnp',
});

export type ResourceKind =
  | 'Tier'
  | PolicyKind
  | 'GlobalNetworkSet'
  | 'NetworkSet'
  | 'HostEndpoint'
  | 'WorkloadEndpoint'
  | 'Profile'
  | 'Pod'
  | 'Namespace'
  | 'ServiceAccount'
  | 'Service'
  | 'EndpointSlice'
  | 'Node'
  | 'FelixConfiguration';

/**
 * The `policy.networking.k8s.io` admin policy kinds, converted as Calico converts them into
 * global policies of its admin tiers (docs/calico-semantics.md §4).
 */
export type AdminPolicyKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';

export type RuleAction = 'Allow' | 'Deny' | 'Pass' | 'Log';
export type Direction = 'ingress' | 'egress';

/** A port constraint: an inclusive numeric range or a named port. */
export type PortMatch = { readonly kind: 'range'; readonly min: number; readonly max: number } | { readonly kind: 'named'; readonly name: string };

/** A selector in both forms: the text the user wrote (for messages) and the effective AST. */
export interface SelectorSpec {
  readonly text: string;
  readonly ast: SelectorNode;
}

export interface EntityRule {
  readonly nets: readonly Cidr[];
  readonly notNets: readonly Cidr[];
  /** Effective positive selector (namespace clause / namespaceSelector / serviceAccounts folded in). */
  readonly selector: SelectorSpec | null;
  /** Raw notSelector (never namespaced or prefixed). */
  readonly notSelector: SelectorSpec | null;
  readonly ports: readonly PortMatch[];
  readonly notPorts: readonly PortMatch[];
  readonly services: { readonly name: string; readonly namespace: string } | null;
}

export interface IcmpMatch {
  readonly type: number;
  readonly code: number | null;
}

export interface Rule {
  readonly action: RuleAction;
  readonly ipVersion: 4 | 6 | null;
  /** IANA protocol number. */
  readonly protocol: number | null;
  readonly notProtocol: number | null;
  readonly icmp: IcmpMatch | null;
  readonly notICMP: IcmpMatch | null;
  readonly source: EntityRule;
  readonly destination: EntityRule;
  /** The rule carries L7 (http) criteria that an L4 evaluator cannot check. */
  readonly hasHttp: boolean;
}

export interface Tier {
  readonly kind: 'Tier';
  readonly name: string;
  readonly order: number | null;
  readonly defaultAction: 'Deny' | 'Pass';
}

export interface Policy {
  readonly kind: PolicyKind;
  readonly name: string;
  /** null for the cluster-scoped kinds. */
  readonly namespace: string | null;
  readonly tier: string;
  readonly order: number | null;
  readonly staged: boolean;
  /** Effective endpoint selector (§1.9). */
  readonly selector: SelectorSpec;
  readonly types: { readonly ingress: boolean; readonly egress: boolean };
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
  /** doNotTrack / preDNAT policies run in host raw/mangle stages and never in the normal path. */
  readonly doNotTrack: boolean;
  readonly preDNAT: boolean;
  readonly applyOnForward: boolean;
  /**
   * What the conversion could not carry over as written (an admin policy rule Calico replaces by
   * a deny-all, a named port Calico 3.29–3.31 read as every port): a verdict this policy decides
   * repeats them.
   */
  readonly notes: readonly string[];
}

export interface NetworkSet {
  readonly kind: 'NetworkSet' | 'GlobalNetworkSet';
  readonly name: string;
  readonly namespace: string | null;
  readonly labels: ReadonlyMap<string, string>;
  readonly nets: readonly Cidr[];
}

/** A port an endpoint declares (pod containerPorts with a name, WEP/HEP `ports`). */
export interface NamedPort {
  readonly name: string;
  /** IANA protocol number. */
  readonly protocol: number;
  readonly port: number;
}

/** Pods, Calico WorkloadEndpoints and HostEndpoints, before label inheritance. */
export interface EndpointResource {
  readonly kind: 'Pod' | 'WorkloadEndpoint' | 'HostEndpoint';
  readonly name: string;
  readonly namespace: string | null;
  readonly node: string | null;
  /** Canonical IP strings (v4 dotted, v6 RFC 5952). */
  readonly ips: readonly string[];
  /** Own labels plus the system labels Calico adds (projectcalico.org/namespace, …). */
  readonly labels: ReadonlyMap<string, string>;
  readonly serviceAccount: string | null;
  readonly profiles: readonly string[];
  readonly ports: readonly NamedPort[];
  readonly interfaceName: string | null;
  /** Pod `metadata.generateName`, for aggregated names. */
  readonly generateName: string | null;
  /** Epoch ms from `metadata.creationTimestamp`, if given. */
  readonly createdAt: number | null;
}

export interface Profile {
  readonly kind: 'Profile';
  readonly name: string;
  readonly ingress: readonly Rule[];
  readonly egress: readonly Rule[];
  readonly labelsToApply: ReadonlyMap<string, string>;
}

export interface Namespace {
  readonly kind: 'Namespace';
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
}

export interface ServiceAccount {
  readonly kind: 'ServiceAccount';
  readonly name: string;
  readonly namespace: string;
  readonly labels: ReadonlyMap<string, string>;
}

export interface ServicePort {
  readonly name: string | null;
  readonly protocol: number;
  readonly port: number;
  readonly targetPort: number | string | null;
}

export interface Service {
  readonly kind: 'Service';
  readonly name: string;
  readonly namespace: string;
  readonly clusterIPs: readonly string[];
  readonly ports: readonly ServicePort[];
}

export interface EndpointSlicePort {
  readonly name: string | null;
  readonly protocol: number;
  readonly port: number | null;
}

export interface EndpointSlice {
  readonly kind: 'EndpointSlice';
  readonly name: string;
  readonly namespace: string;
  readonly serviceName: string | null;
  readonly addresses: readonly string[];
  readonly ports: readonly EndpointSlicePort[];
}

/** A Kubernetes Node: the addresses a host endpoint without expectedIPs takes (§2.7). */
export interface Node {
  readonly kind: 'Node';
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  /** Canonical InternalIP and ExternalIP addresses, in the order the Node lists them. */
  readonly addresses: readonly string[];
  readonly podCIDRs: readonly Cidr[];
}

/** One failsafe entry of a FelixConfiguration (`{protocol, port, net}`). */
export interface FailsafePort {
  /** IANA protocol number (tcp 6, udp 17, sctp 132). */
  readonly protocol: number;
  readonly port: number;
  /** Inbound: the source must be in it; outbound: the destination. Null = any address. */
  readonly net: Cidr | null;
}

/**
 * `projectcalico.org/v3` FelixConfiguration: only the failsafe port lists are read (the rest is
 * dataplane tuning that an L4 evaluator does not model). `default` applies to every node,
 * `node.<name>` overrides it for one node; a list left out (null) falls back.
 */
export interface FelixConfiguration {
  readonly kind: 'FelixConfiguration';
  readonly name: string;
  readonly failsafeInboundHostPorts: readonly FailsafePort[] | null;
  readonly failsafeOutboundHostPorts: readonly FailsafePort[] | null;
}

export type Resource =
  | Tier
  | Policy
  | NetworkSet
  | EndpointResource
  | Profile
  | Namespace
  | ServiceAccount
  | Service
  | EndpointSlice
  | Node
  | FelixConfiguration;

const CLUSTER_SCOPED: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  'Tier', 'GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy', 'GlobalNetworkSet', 'HostEndpoint', 'Profile', 'Namespace',
  'Node', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy', 'FelixConfiguration',
]);

export function isNamespacedKind(kind: ResourceKind): boolean {
  return !CLUSTER_SCOPED.has(kind);
}

/** `kind/namespace/name` (namespace empty for cluster-scoped kinds): the inventory topic key. */
export function resourceKey(kind: ResourceKind, namespace: string | null, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export function keyOf(r: Resource): string {
  return resourceKey(r.kind, 'namespace' in r ? r.namespace : null, r.name);
}

export function parseResourceKey(key: string): { kind: ResourceKind; namespace: string | null; name: string } | null {
  const parts = key.split('/');
  if (parts.length !== 3) return null;
  const [kind, ns, name] = parts as [string, string, string];
  if (!name) return null;
  return { kind: kind as ResourceKind, namespace: ns === '' ? null : ns, name };
}

export function isPolicy(r: Resource): r is Policy {
  return r.kind in POLICY_SHORT_KIND;
}

const ADMIN_POLICY_KINDS: ReadonlySet<string> = new Set<AdminPolicyKind>(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy']);

export function isAdminPolicy(r: Resource): r is Policy & { kind: AdminPolicyKind } {
  return ADMIN_POLICY_KINDS.has(r.kind);
}

export function isEndpointResource(r: Resource): r is EndpointResource {
  return r.kind === 'Pod' || r.kind === 'WorkloadEndpoint' || r.kind === 'HostEndpoint';
}

export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = Object.freeze({
  tcp: 6, udp: 17, icmp: 1, icmpv6: 58, sctp: 132, udplite: 136,
});

const PROTOCOL_NAMES: ReadonlyMap<number, string> = new Map([[6, 'tcp'], [17, 'udp'], [1, 'icmp'], [58, 'icmpv6'], [132, 'sctp'], [136, 'udplite']]);

/** Lower-case name for a protocol number (`tcp`), or the number as a string. */
export function protocolName(n: number): string {
  return PROTOCOL_NAMES.get(n) ?? String(n);
}

/** Parses a protocol name (case-insensitive) or number 1–255; null when invalid. */
export function parseProtocol(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 1 && v <= 255 ? v : null;
  if (typeof v !== 'string') return null;
  const lower = v.toLowerCase();
  const named = PROTOCOL_NUMBERS[lower];
  if (named !== undefined) return named;
  if (/^[0-9]{1,3}$/.test(v)) return parseProtocol(Number(v));
  return null;
}
