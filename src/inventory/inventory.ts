/**
 * The Inventory facade: apply/delete resources, ask for verdicts. Owns the endpoint index, the
 * policy index and the verdict engine, and a `revision` that increments on every change (the
 * enricher stamps it on documents; the verdict cache keys on it).
 */
import { isNamespacedKind, keyOf, resourceKey, type Resource } from './model/resources.ts';
import { EndpointIndex, type EndpointIndexOptions, type EndpointSnapshot, type ServiceResolution } from './endpoints/endpoint-index.ts';
import { PolicyIndex } from './policy/policy-index.ts';
import { HostTopology } from './policy/host-topology.ts';
import { VerdictEngine, type EndpointRef, type FlowInput, type Verdict, type VerdictEngineOptions } from './policy/verdict-engine.ts';
import { internalKind, parseDocument, type DocumentOrigin } from './loader/parse-resource.ts';
import type { LoadIssue } from './loader/errors.ts';

/**
 * The inventory key (`kind/namespace/name`, internal kind) of a raw document's identity. Needs the
 * apiVersion because `NetworkPolicy` is two kinds (Calico v3 and networking.k8s.io/v1); a
 * namespaced kind without namespace is in `default`. Null for kinds segflow does not know.
 */
export function documentResourceKey(apiVersion: string, kind: string, namespace: string | undefined, name: string): string | null {
  const internal = internalKind(apiVersion, kind);
  if (internal === undefined) return null;
  return resourceKey(internal, isNamespacedKind(internal) ? namespace || 'default' : null, name);
}

/** Compile-time exhaustiveness check of a switch over resource kinds. */
function unhandledKind(r: never): never {
  throw new Error(`inventory: unhandled resource kind ${(r as { kind?: unknown }).kind as string}`);
}

export interface InventoryOptions extends EndpointIndexOptions, VerdictEngineOptions {}

export interface ApplyOptions {
  /** When the change happened (epoch ms); drives the per-IP ownership history. Default now. */
  readonly at?: number;
}

export class Inventory {
  readonly endpoints: EndpointIndex;
  readonly policies: PolicyIndex;
  readonly engine: VerdictEngine;
  /** Nodes, their host endpoints and failsafe ports (the host endpoint packet path). */
  readonly topology: HostTopology;
  private rev = 0;
  private readonly resources = new Map<string, Resource>();

  constructor(options: InventoryOptions = {}) {
    this.endpoints = new EndpointIndex(options);
    this.policies = new PolicyIndex();
    this.topology = new HostTopology();
    this.endpoints.onEndpointChange(this.policies.onEndpointChange);
    this.endpoints.onEndpointChange(this.topology.onEndpointChange);
    this.engine = new VerdictEngine(this.endpoints, this.policies, () => this.rev, options, this.topology);
  }

  /** Builds an inventory from loaded resources, all known since forever unless they say otherwise. */
  static fromResources(resources: Iterable<Resource>, options: InventoryOptions = {}): Inventory {
    const inv = new Inventory(options);
    for (const r of resources) inv.apply(r, { at: -Infinity });
    return inv;
  }

  /** Increments on every change. */
  get revision(): number {
    return this.rev;
  }

  /** Number of resources held, by kind. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.resources.values()) out[r.kind] = (out[r.kind] ?? 0) + 1;
    return out;
  }

  get(key: string): Resource | undefined {
    return this.resources.get(key);
  }

  /** Adds or replaces a resource (keyed `kind/namespace/name`). */
  apply(r: Resource, options: ApplyOptions = {}): void {
    const at = options.at ?? Date.now();
    this.resources.set(keyOf(r), r);
    // Every kind is listed, so a new kind fails to compile until it is handled here and in delete.
    switch (r.kind) {
      case 'GlobalNetworkPolicy': case 'NetworkPolicy': case 'KubernetesNetworkPolicy':
      case 'StagedGlobalNetworkPolicy': case 'StagedNetworkPolicy': case 'StagedKubernetesNetworkPolicy':
      case 'AdminNetworkPolicy': case 'BaselineAdminNetworkPolicy': case 'ClusterNetworkPolicy':
        this.policies.applyPolicy(r); break;
      case 'Pod': case 'WorkloadEndpoint': case 'HostEndpoint': this.endpoints.applyEndpoint(r, at); break;
      case 'Tier': this.policies.applyTier(r); break;
      case 'NetworkSet': case 'GlobalNetworkSet': this.endpoints.applyNetworkSet(r); break;
      case 'Namespace': this.endpoints.applyNamespace(r, at); break;
      case 'ServiceAccount': this.endpoints.applyServiceAccount(r, at); break;
      case 'Profile': this.endpoints.applyProfile(r, at); break;
      case 'Service': this.endpoints.applyService(r); break;
      case 'EndpointSlice': this.endpoints.applyEndpointSlice(r); break;
      case 'Node': this.topology.applyNode(r); this.endpoints.applyNode(r, at); break;
      case 'FelixConfiguration': this.topology.applyFelixConfiguration(r); break;
      default: unhandledKind(r);
    }
    this.rev++;
  }

  /** Deletes by key (`kind/namespace/name`, the inventory topic key). False if unknown. */
  delete(key: string, options: ApplyOptions = {}): boolean {
    const at = options.at ?? Date.now();
    const r = this.resources.get(key);
    if (!r) return false;
    this.resources.delete(key);
    switch (r.kind) {
      case 'GlobalNetworkPolicy': case 'NetworkPolicy': case 'KubernetesNetworkPolicy':
      case 'StagedGlobalNetworkPolicy': case 'StagedNetworkPolicy': case 'StagedKubernetesNetworkPolicy':
      case 'AdminNetworkPolicy': case 'BaselineAdminNetworkPolicy': case 'ClusterNetworkPolicy':
        this.policies.deletePolicy(key); break;
      case 'Pod': case 'WorkloadEndpoint': case 'HostEndpoint': this.endpoints.deleteEndpoint(key, at); break;
      case 'Tier': this.policies.deleteTier(r.name); break;
      case 'NetworkSet': case 'GlobalNetworkSet': this.endpoints.deleteNetworkSet(key); break;
      case 'Namespace': this.endpoints.deleteNamespace(r.name, at); break;
      case 'ServiceAccount': this.endpoints.deleteServiceAccount(r.namespace, r.name, at); break;
      case 'Profile': this.endpoints.deleteProfile(r.name, at); break;
      case 'Service': this.endpoints.deleteService(r.namespace, r.name); break;
      case 'EndpointSlice': this.endpoints.deleteEndpointSlice(r.namespace, r.name); break;
      case 'Node': this.topology.deleteNode(r.name); this.endpoints.deleteNode(r.name, at); break;
      case 'FelixConfiguration': this.topology.deleteFelixConfiguration(r.name); break;
      default: unhandledKind(r);
    }
    this.rev++;
    return true;
  }

  /**
   * Parses a raw document (as read from YAML/JSON or the inventory topic) and applies what is
   * valid. Returns the issues (errors skip the document; unknown kinds are warnings).
   */
  applyObject(doc: unknown, origin: DocumentOrigin = { file: '<object>', document: 1 }, options: ApplyOptions = {}): LoadIssue[] {
    const { resources, issues } = parseDocument(doc, origin);
    for (const r of resources) this.apply(r, options);
    // A staged policy switched to `stagedAction: Delete` is dropped, as Calico's processor does.
    if (resources.length === 0 && issues.length === 0 && typeof doc === 'object' && doc !== null) {
      const d = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; spec?: { stagedAction?: unknown } };
      if (d.spec?.stagedAction === 'Delete' && typeof d.apiVersion === 'string' && typeof d.kind === 'string' && typeof d.metadata?.name === 'string') {
        const key = documentResourceKey(d.apiVersion, d.kind, typeof d.metadata.namespace === 'string' ? d.metadata.namespace : undefined, d.metadata.name);
        if (key) this.delete(key, options);
      }
    }
    return issues;
  }

  /** Deletes by the identity a raw document carries (apiVersion, kind, namespace, name). */
  deleteDocument(apiVersion: string, kind: string, namespace: string | undefined, name: string, options: ApplyOptions = {}): boolean {
    const key = documentResourceKey(apiVersion, kind, namespace, name);
    return key !== null && this.delete(key, options);
  }

  /** Decides a flow: verdict, both sides' actions, traces and pending traces (cached). */
  explain(flow: FlowInput): Verdict {
    return this.engine.explain(flow);
  }

  /** Describes an address as of `time`: workload/host endpoint, network set, or public/private. */
  resolve(ip: string, time?: number): EndpointRef {
    return this.engine.describe(ip, time);
  }

  /** The endpoint snapshot owning an IP at `time` (now when omitted). */
  endpointAt(ip: string, time?: number): EndpointSnapshot | null {
    return this.endpoints.endpointAt(ip, time);
  }

  /** Service behind a cluster IP, with the backends for (protocol, port). */
  resolveService(ip: string, protocol?: number, port?: number): ServiceResolution | null {
    return this.endpoints.resolveService(ip, protocol, port);
  }
}
