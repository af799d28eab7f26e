/**
 * IP → endpoint. Workload and host endpoints by exact IP (with a bounded ownership history per
 * IP, so a record resolves to the endpoint that owned the address at the record's time), network
 * sets by prefix, and Service cluster IPs / EndpointSlice backends for DNAT resolution. Every
 * resource is added, updated or deleted incrementally; label inheritance (namespace, service
 * account, profiles) is kept up to date by re-deriving only the dependants of what changed.
 */
import type { Labels } from '../selector/index.ts';
import { parseIp, type IpAddr } from '../model/ip.ts';
import {
  resourceKey,
  type EndpointResource, type EndpointSlice, type Namespace, type NetworkSet, type Node, type Profile, type Service, type ServiceAccount, type ServicePort,
} from '../model/resources.ts';
import {
  DEFAULT_ALLOW, DEFAULT_ALLOW_PROFILE, NAMESPACE_PROFILE_PREFIX, SERVICE_ACCOUNT_PROFILE_PREFIX,
  mergeLabels, namespaceProfile, serviceAccountProfile,
} from './effective-labels.ts';
import { PrefixTable } from './prefix-table.ts';

export type EndpointKind = 'workload' | 'host';

/** One immutable version of an endpoint with its effective labels. */
export interface EndpointSnapshot {
  /** Unique per snapshot: changes whenever the endpoint or anything it inherits changes. */
  readonly uid: number;
  readonly key: string;
  readonly kind: EndpointKind;
  readonly resource: EndpointResource;
  readonly labels: Labels;
}

export interface NetworkSetEntry {
  readonly uid: number;
  readonly key: string;
  readonly resource: NetworkSet;
  readonly labels: Labels;
}

/** One period during which an endpoint snapshot owned an IP: [from, to). */
export interface Ownership {
  readonly snapshot: EndpointSnapshot;
  readonly from: number;
  to: number;
  /** `[snapshot]`, shared so the hot path does not allocate. */
  readonly single: readonly EndpointSnapshot[];
  /** The snapshot uid when it has exactly one IP (then the uid identifies the address too). */
  readonly token: number | undefined;
  /** The address, parsed once here rather than on every flow. */
  readonly addr: IpAddr;
}

const NO_OWNERS: readonly EndpointSnapshot[] = Object.freeze([]);

/** True when `o` held its IP at `time` (now when undefined). */
function ownedAt(o: Ownership, time: number | undefined): boolean {
  return time === undefined ? o.to === Infinity : o.from <= time && time < o.to;
}

export type EndpointListener = (prev: EndpointSnapshot | null, next: EndpointSnapshot | null) => void;

export interface ServiceBackend {
  readonly ip: string;
  readonly protocol: number;
  readonly port: number | null;
  readonly portName: string | null;
}

export interface ServiceResolution {
  readonly namespace: string;
  readonly name: string;
  readonly port: ServicePort | null;
  /** Backends for that port (all backends when no port was matched). */
  readonly backends: readonly ServiceBackend[];
}

export interface EndpointIndexOptions {
  /** Ownership periods kept per IP (oldest closed ones are dropped first). Default 8. */
  readonly historyPerIp?: number;
}

export class EndpointIndex {
  private nextUid = 1;
  private readonly historyPerIp: number;
  private readonly endpoints = new Map<string, EndpointSnapshot>();
  private readonly byIp = new Map<string, Ownership[]>();
  private readonly netsets = new Map<string, NetworkSetEntry>();
  private readonly netsetTable = new PrefixTable<NetworkSetEntry>();
  private readonly namespaces = new Map<string, Namespace>();
  private readonly serviceAccounts = new Map<string, ServiceAccount>();
  private readonly profiles = new Map<string, Profile>();
  /** profile name → keys of endpoints that list it. */
  private readonly profileUsers = new Map<string, Set<string>>();
  private readonly services = new Map<string, Service>();
  private readonly serviceByIp = new Map<string, string>();
  private readonly slices = new Map<string, EndpointSlice>();
  private readonly slicesByService = new Map<string, Set<string>>();
  private readonly backendServices = new Map<string, Set<string>>();
  private readonly listeners: EndpointListener[] = [];
  private readonly nodes = new Map<string, Node>();
  /**
   * Host endpoints that take their node's addresses (interfaceName, no expectedIPs): node name →
   * their keys, and key → the resource as declared (its snapshot holds the addresses filled in).
   */
  private readonly nodeHostEndpoints = new Map<string, Set<string>>();
  private readonly declaredHostEndpoints = new Map<string, EndpointResource>();
  /** Generated profiles (kns./ksa.), memoised until a namespace, service account or profile changes. */
  private readonly generated = new Map<string, Profile | undefined>();

  constructor(options: EndpointIndexOptions = {}) {
    this.historyPerIp = Math.max(1, options.historyPerIp ?? 8);
  }

  /** Called synchronously for every endpoint snapshot change (add: prev null; delete: next null). */
  onEndpointChange(listener: EndpointListener): void {
    this.listeners.push(listener);
  }

  // -------------------------------------------------------------------------------------------
  // Endpoints

  /** Profiles as the dataplane sees them: explicit Profile resources, else Calico's generated ones. */
  profile(name: string): Profile | undefined {
    const explicit = this.profiles.get(name);
    if (explicit) return explicit;
    if (name === DEFAULT_ALLOW_PROFILE) return DEFAULT_ALLOW;
    if (this.generated.has(name)) return this.generated.get(name);
    const p = this.generateProfile(name);
    this.generated.set(name, p);
    return p;
  }

  private generateProfile(name: string): Profile | undefined {
    if (name.startsWith(NAMESPACE_PROFILE_PREFIX)) {
      const ns = name.slice(NAMESPACE_PROFILE_PREFIX.length);
      // Kubernetes never has a pod without its namespace, so the profile exists even when the
      // Namespace resource was not loaded.
      return namespaceProfile(ns, this.namespaces.get(ns)?.labels);
    }
    if (name.startsWith(SERVICE_ACCOUNT_PROFILE_PREFIX)) {
      const rest = name.slice(SERVICE_ACCOUNT_PROFILE_PREFIX.length);
      const dot = rest.indexOf('.');
      if (dot > 0) {
        const ns = rest.slice(0, dot);
        const sa = rest.slice(dot + 1);
        return serviceAccountProfile(ns, sa, this.serviceAccounts.get(`${ns}/${sa}`)?.labels);
      }
    }
    return undefined;
  }

  private effectiveLabels(r: EndpointResource): Labels {
    const inherited: Labels[] = [];
    for (const name of r.profiles) {
      const p = this.profile(name);
      if (p && p.labelsToApply.size > 0) inherited.push(p.labelsToApply);
    }
    return mergeLabels(r.labels, inherited);
  }

  private emit(prev: EndpointSnapshot | null, next: EndpointSnapshot | null): void {
    for (const l of this.listeners) l(prev, next);
  }

  private open(ip: string, snapshot: EndpointSnapshot, from: number): void {
    let list = this.byIp.get(ip);
    if (!list) {
      list = [];
      this.byIp.set(ip, list);
    }
    const addr = list[0]?.addr ?? (parseIp(ip) as IpAddr);
    list.push({ snapshot, from, to: Infinity, single: Object.freeze([snapshot]), token: snapshot.resource.ips.length === 1 ? snapshot.uid : undefined, addr });
    while (list.length > this.historyPerIp) {
      const closed = list.findIndex((o) => o.to !== Infinity);
      list.splice(closed >= 0 ? closed : 0, 1);
    }
  }

  /**
   * Ends `key`'s open ownership of `ip` at `at`, never before it began (change times can go
   * backwards across producers; an interval with to < from would be nonsense). Returns the time
   * it ended, where a continuing ownership picks up.
   */
  private close(ip: string, key: string, at: number): number {
    const list = this.byIp.get(ip);
    let closedAt = at;
    if (!list) return closedAt;
    for (const o of list) {
      if (o.to === Infinity && o.snapshot.key === key) {
        o.to = Math.max(at, o.from);
        closedAt = o.to;
      }
    }
    return closedAt;
  }

  /** The latest time an ownership of `ip` ended (-Infinity when none has). */
  private lastRelease(ip: string): number {
    let released = -Infinity;
    for (const o of this.byIp.get(ip) ?? []) if (o.to !== Infinity && o.to > released) released = o.to;
    return released;
  }

  /**
   * Start of a new ownership of `ip` by `r`, changed at `at`:
   * - an endpoint already known that gains the IP got it at the change time;
   * - an endpoint seen for the first time owned it since its creation when that is known (the
   *   inventory may hear of a pod long after it started); without a creation time, since the
   *   previous owner let go, or since forever when the IP has no history, or from `at` when
   *   another endpoint still holds it;
   * - and never before the previous owner's release: a reused IP's creationTimestamp can precede
   *   the old pod's deletion (and change times can go backwards across producers), so a flow at
   *   time t resolves to the endpoint that held the IP at t.
   */
  private startOf(ip: string, r: EndpointResource, at: number, known: boolean): number {
    let from: number;
    if (known) from = at;
    else if (r.createdAt !== null) from = Math.min(r.createdAt, at);
    else {
      const list = this.byIp.get(ip) ?? [];
      from = list.length === 0 ? -Infinity : list.some((o) => o.to === Infinity) ? at : Math.min(this.lastRelease(ip), at);
    }
    return Math.max(from, this.lastRelease(ip));
  }

  /** A host endpoint with an interface and no expectedIPs has its node's addresses, as Calico's auto host endpoints do. */
  private takesNodeAddresses(r: EndpointResource): r is EndpointResource & { node: string } {
    return r.kind === 'HostEndpoint' && r.ips.length === 0 && r.interfaceName !== null && r.node !== null;
  }

  /** The resource as indexed: `r` itself, or a node-address host endpoint with the node's current addresses. */
  private effective(key: string, r: EndpointResource): EndpointResource {
    this.forgetDeclared(key);
    if (!this.takesNodeAddresses(r)) return r;
    this.declaredHostEndpoints.set(key, r);
    let keys = this.nodeHostEndpoints.get(r.node);
    if (!keys) {
      keys = new Set();
      this.nodeHostEndpoints.set(r.node, keys);
    }
    keys.add(key);
    const addresses = this.nodes.get(r.node)?.addresses ?? [];
    return addresses.length === 0 ? r : { ...r, ips: addresses };
  }

  private forgetDeclared(key: string): void {
    const declared = this.declaredHostEndpoints.get(key);
    if (!declared) return;
    this.declaredHostEndpoints.delete(key);
    if (declared.node !== null) this.nodeHostEndpoints.get(declared.node)?.delete(key);
  }

  /** Indexes `declared` under `key` as of `at`: closes what the previous version owned, opens what this one owns. */
  private install(key: string, declared: EndpointResource, at: number): void {
    const prev = this.endpoints.get(key) ?? null;
    const r = this.effective(key, declared);
    const snapshot: EndpointSnapshot = {
      uid: this.nextUid++, key, kind: r.kind === 'HostEndpoint' ? 'host' : 'workload', resource: r, labels: this.effectiveLabels(r),
    };
    const closedAt = new Map<string, number>();
    if (prev) {
      for (const ip of prev.resource.ips) closedAt.set(ip, this.close(ip, key, at));
      for (const name of prev.resource.profiles) this.profileUsers.get(name)?.delete(key);
    }
    this.endpoints.set(key, snapshot);
    for (const ip of r.ips) {
      // An unchanged IP continues seamlessly from the previous snapshot.
      this.open(ip, snapshot, closedAt.get(ip) ?? this.startOf(ip, r, at, prev !== null));
    }
    for (const name of r.profiles) {
      let users = this.profileUsers.get(name);
      if (!users) {
        users = new Set();
        this.profileUsers.set(name, users);
      }
      users.add(key);
    }
    this.emit(prev, snapshot);
  }

  /**
   * Adds or replaces a Pod / WorkloadEndpoint / HostEndpoint, effective at time `at` (ms). A
   * change cannot have happened before the object was created: a change time earlier than the
   * resource's creationTimestamp (a producer clock behind the API server's) counts as the
   * creation time.
   */
  applyEndpoint(r: EndpointResource, at: number = Date.now()): EndpointSnapshot {
    const key = resourceKey(r.kind, r.namespace, r.name);
    if (r.createdAt !== null && Number.isFinite(at) && at < r.createdAt) at = r.createdAt;
    this.install(key, r, at);
    return this.endpoints.get(key) as EndpointSnapshot;
  }

  /** Removes an endpoint; its IPs stay resolvable for times before `at`. */
  deleteEndpoint(key: string, at: number = Date.now()): boolean {
    const prev = this.endpoints.get(key);
    if (!prev) return false;
    for (const ip of prev.resource.ips) this.close(ip, key, at);
    for (const name of prev.resource.profiles) this.profileUsers.get(name)?.delete(key);
    this.forgetDeclared(key);
    this.endpoints.delete(key);
    this.emit(prev, null);
    return true;
  }

  /** Re-indexes endpoints (by key) as of `at`, from what they declared. */
  private reinstall(keys: Iterable<string>, at: number): void {
    for (const key of [...keys]) {
      const snap = this.endpoints.get(key);
      if (snap) this.install(key, this.declaredHostEndpoints.get(key) ?? snap.resource, at);
    }
  }

  private refreshProfileUsers(profileName: string, at: number): void {
    const users = this.profileUsers.get(profileName);
    if (users) this.reinstall(users, at);
  }

  // -------------------------------------------------------------------------------------------
  // Nodes

  /** Adds or replaces a Node; host endpoints that take its addresses follow as of `at`. */
  applyNode(r: Node, at: number = Date.now()): void {
    const prev = this.nodes.get(r.name);
    this.nodes.set(r.name, r);
    const same = prev !== undefined && prev.addresses.length === r.addresses.length && prev.addresses.every((a, i) => r.addresses[i] === a);
    if (!same) this.reinstall(this.nodeHostEndpoints.get(r.name) ?? [], at);
  }

  /** Removes a Node; host endpoints that took its addresses lose them as of `at`. */
  deleteNode(name: string, at: number = Date.now()): boolean {
    const had = this.nodes.delete(name);
    if (had) this.reinstall(this.nodeHostEndpoints.get(name) ?? [], at);
    return had;
  }

  getNode(name: string): Node | undefined {
    return this.nodes.get(name);
  }

  getEndpoint(key: string): EndpointSnapshot | undefined {
    return this.endpoints.get(key);
  }

  allEndpoints(): IterableIterator<EndpointSnapshot> {
    return this.endpoints.values();
  }

  get endpointCount(): number {
    return this.endpoints.size;
  }

  /**
   * Every endpoint snapshot that owned `ip` at `time` (current owners when `time` is
   * undefined), the most recent ownership first. `ip` must be canonical.
   */
  ownersAt(ip: string, time?: number): EndpointSnapshot[] {
    const list = this.byIp.get(ip);
    if (!list) return [];
    const out: EndpointSnapshot[] = [];
    for (let i = list.length - 1; i >= 0; i--) {
      const o = list[i] as Ownership;
      if (ownedAt(o, time)) out.push(o.snapshot);
    }
    if (out.length > 1) out.sort((a, b) => this.fromOf(ip, b) - this.fromOf(ip, a));
    return out;
  }

  private fromOf(ip: string, s: EndpointSnapshot): number {
    return this.byIp.get(ip)?.find((o) => o.snapshot === s)?.from ?? -Infinity;
  }

  /**
   * Like ownersAt but without allocating in the common single-owner case (the result is
   * shared and must not be modified).
   */
  resolveOwners(ip: string, time?: number): readonly EndpointSnapshot[] {
    return this.ownersIfIndexed(ip, time) ?? NO_OWNERS;
  }

  /**
   * Owners of `ip` at `time` when `ip` is a known endpoint address spelled canonically;
   * undefined when the text is not a key of the index (unknown address or non-canonical text).
   * The hot path tries this before canonicalising.
   */
  ownersIfIndexed(ip: string, time?: number): readonly EndpointSnapshot[] | undefined {
    const list = this.byIp.get(ip);
    if (!list) return undefined;
    if (list.length === 1) {
      const o = list[0] as Ownership;
      return ownedAt(o, time) ? o.single : NO_OWNERS;
    }
    const owners = this.ownersAt(ip, time);
    return owners.length === 0 ? NO_OWNERS : owners;
  }

  /** The parsed form of `ip` when it is an endpoint address spelled canonically (no parsing). */
  parsedIfIndexed(ip: string): IpAddr | undefined {
    return this.byIp.get(ip)?.[0]?.addr;
  }

  /**
   * Hot-path shortcut: the owning snapshot's uid when `ip` (canonical text) has exactly one
   * ownership period, it covers `time`, and the endpoint has a single IP; else undefined.
   */
  fastToken(ip: string, time?: number): number | undefined {
    const list = this.byIp.get(ip);
    if (list === undefined || list.length !== 1) return undefined;
    const o = list[0] as Ownership;
    return ownedAt(o, time) ? o.token : undefined;
  }

  /** The endpoint that owned `ip` at `time` (now when undefined), or null. */
  endpointAt(ip: string, time?: number): EndpointSnapshot | null {
    const list = this.byIp.get(ip);
    if (!list) return null;
    if (list.length === 1) {
      const o = list[0] as Ownership;
      return ownedAt(o, time) ? o.snapshot : null;
    }
    return this.ownersAt(ip, time)[0] ?? null;
  }

  /** The ownership history of an IP (oldest first), for diagnostics and tests. */
  history(ip: string): readonly Ownership[] {
    return this.byIp.get(ip) ?? [];
  }

  // -------------------------------------------------------------------------------------------
  // Network sets

  private netsetLabels(r: NetworkSet): Labels {
    if (r.namespace === null) return mergeLabels(r.labels, []);
    const p = this.profile(`${NAMESPACE_PROFILE_PREFIX}${r.namespace}`);
    return mergeLabels(r.labels, p ? [p.labelsToApply] : []);
  }

  applyNetworkSet(r: NetworkSet): void {
    const key = resourceKey(r.kind, r.namespace, r.name);
    this.removeNetworkSet(key);
    const entry: NetworkSetEntry = { uid: this.nextUid++, key, resource: r, labels: this.netsetLabels(r) };
    this.netsets.set(key, entry);
    for (const c of r.nets) this.netsetTable.add(c, entry);
  }

  deleteNetworkSet(key: string): boolean {
    return this.removeNetworkSet(key);
  }

  private removeNetworkSet(key: string): boolean {
    const prev = this.netsets.get(key);
    if (!prev) return false;
    for (const c of prev.resource.nets) this.netsetTable.remove(c, prev);
    this.netsets.delete(key);
    return true;
  }

  /** Every network set with a CIDR containing `addr`, longest prefix first. */
  networkSetsContaining(addr: IpAddr): NetworkSetEntry[] {
    if (this.netsetTable.size === 0) return [];
    const all = this.netsetTable.containing(addr);
    return all.length > 1 ? [...new Set(all)] : all;
  }

  /**
   * The network set that names an address in flow logs (felix networkset_lookup_cache): sets in
   * the local endpoint's namespace first, then global sets, then other namespaces in name order;
   * longest prefix first within each group.
   */
  networkSetFor(addr: IpAddr, localNamespace: string | null = null): NetworkSetEntry | null {
    const all = this.networkSetsContaining(addr);
    if (all.length === 0) return null;
    if (localNamespace !== null) {
      const local = all.find((e) => e.resource.namespace === localNamespace);
      if (local) return local;
    }
    const global = all.find((e) => e.resource.namespace === null);
    if (global) return global;
    return [...all].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))[0] ?? null;
  }

  allNetworkSets(): IterableIterator<NetworkSetEntry> {
    return this.netsets.values();
  }

  get networkSetCount(): number {
    return this.netsets.size;
  }

  // -------------------------------------------------------------------------------------------
  // Namespaces, service accounts, profiles (label sources)

  applyNamespace(r: Namespace, at: number = Date.now()): void {
    this.namespaces.set(r.name, r);
    this.generated.clear();
    this.namespaceChanged(r.name, at);
  }

  deleteNamespace(name: string, at: number = Date.now()): boolean {
    const had = this.namespaces.delete(name);
    this.generated.clear();
    if (had) this.namespaceChanged(name, at);
    return had;
  }

  private namespaceChanged(name: string, at: number): void {
    this.refreshProfileUsers(`${NAMESPACE_PROFILE_PREFIX}${name}`, at);
    for (const e of [...this.netsets.values()]) if (e.resource.namespace === name) this.applyNetworkSet(e.resource);
  }

  applyServiceAccount(r: ServiceAccount, at: number = Date.now()): void {
    this.serviceAccounts.set(`${r.namespace}/${r.name}`, r);
    this.generated.clear();
    this.refreshProfileUsers(`${SERVICE_ACCOUNT_PROFILE_PREFIX}${r.namespace}.${r.name}`, at);
  }

  deleteServiceAccount(namespace: string, name: string, at: number = Date.now()): boolean {
    const had = this.serviceAccounts.delete(`${namespace}/${name}`);
    this.generated.clear();
    if (had) this.refreshProfileUsers(`${SERVICE_ACCOUNT_PROFILE_PREFIX}${namespace}.${name}`, at);
    return had;
  }

  applyProfile(r: Profile, at: number = Date.now()): void {
    this.profiles.set(r.name, r);
    this.generated.clear();
    this.refreshProfileUsers(r.name, at);
    if (r.name.startsWith(NAMESPACE_PROFILE_PREFIX)) this.namespaceChanged(r.name.slice(NAMESPACE_PROFILE_PREFIX.length), at);
  }

  deleteProfile(name: string, at: number = Date.now()): boolean {
    const had = this.profiles.delete(name);
    this.generated.clear();
    if (had) {
      this.refreshProfileUsers(name, at);
      if (name.startsWith(NAMESPACE_PROFILE_PREFIX)) this.namespaceChanged(name.slice(NAMESPACE_PROFILE_PREFIX.length), at);
    }
    return had;
  }

  /** Profile resources loaded explicitly (not the generated kns./ksa. ones). */
  explicitProfiles(): IterableIterator<Profile> {
    return this.profiles.values();
  }

  namespaceLabels(name: string): Labels | undefined {
    return this.namespaces.get(name)?.labels;
  }

  // -------------------------------------------------------------------------------------------
  // Services

  applyService(r: Service): void {
    const key = `${r.namespace}/${r.name}`;
    this.deleteService(r.namespace, r.name);
    this.services.set(key, r);
    for (const ip of r.clusterIPs) this.serviceByIp.set(ip, key);
  }

  deleteService(namespace: string, name: string): boolean {
    const key = `${namespace}/${name}`;
    const prev = this.services.get(key);
    if (!prev) return false;
    for (const ip of prev.clusterIPs) if (this.serviceByIp.get(ip) === key) this.serviceByIp.delete(ip);
    this.services.delete(key);
    return true;
  }

  applyEndpointSlice(r: EndpointSlice): void {
    this.deleteEndpointSlice(r.namespace, r.name);
    const key = `${r.namespace}/${r.name}`;
    this.slices.set(key, r);
    if (r.serviceName !== null) {
      const svcKey = `${r.namespace}/${r.serviceName}`;
      let set = this.slicesByService.get(svcKey);
      if (!set) {
        set = new Set();
        this.slicesByService.set(svcKey, set);
      }
      set.add(key);
      for (const ip of r.addresses) {
        let s = this.backendServices.get(ip);
        if (!s) {
          s = new Set();
          this.backendServices.set(ip, s);
        }
        s.add(svcKey);
      }
    }
  }

  deleteEndpointSlice(namespace: string, name: string): boolean {
    const key = `${namespace}/${name}`;
    const prev = this.slices.get(key);
    if (!prev) return false;
    this.slices.delete(key);
    if (prev.serviceName !== null) {
      const svcKey = `${namespace}/${prev.serviceName}`;
      this.slicesByService.get(svcKey)?.delete(key);
      for (const ip of prev.addresses) {
        const stillBacked = [...(this.slicesByService.get(svcKey) ?? [])].some((k) => this.slices.get(k)?.addresses.includes(ip));
        if (!stillBacked) this.backendServices.get(ip)?.delete(svcKey);
      }
    }
    return true;
  }

  /** Backends (address × slice port) of a Service, from its EndpointSlices. */
  serviceBackends(namespace: string, name: string): ServiceBackend[] {
    const out: ServiceBackend[] = [];
    for (const key of this.slicesByService.get(`${namespace}/${name}`) ?? []) {
      const s = this.slices.get(key);
      if (!s) continue;
      const ports = s.ports.length > 0 ? s.ports : [{ name: null, protocol: 6, port: null }];
      for (const ip of s.addresses) for (const p of ports) out.push({ ip, protocol: p.protocol, port: p.port, portName: p.name });
    }
    return out;
  }

  /** True when `ip` is a backend address of the Service. */
  isServiceBackend(ip: string, namespace: string, name: string): boolean {
    return this.backendServices.get(ip)?.has(`${namespace}/${name}`) ?? false;
  }

  /**
   * The Service whose cluster IP is `ip`, with the service port matching (protocol, port) and
   * the backends that port DNATs to (a later enricher uses this to resolve DNAT).
   */
  resolveService(ip: string, protocol?: number, port?: number): ServiceResolution | null {
    const canonical = parseIp(ip)?.text ?? ip;
    const key = this.serviceByIp.get(canonical);
    if (!key) return null;
    const svc = this.services.get(key) as Service;
    const sp = port === undefined ? null : svc.ports.find((p) => p.port === port && (protocol === undefined || p.protocol === protocol)) ?? null;
    let backends = this.serviceBackends(svc.namespace, svc.name);
    if (sp) backends = backends.filter((b) => b.protocol === sp.protocol && (b.portName ?? null) === (sp.name ?? null));
    return { namespace: svc.namespace, name: svc.name, port: sp, backends };
  }

  /** Services that have `ip` as a backend address (`namespace/name`). */
  servicesBackedBy(ip: string): string[] {
    return [...(this.backendServices.get(ip) ?? [])];
  }
}
