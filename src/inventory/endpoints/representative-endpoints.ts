/**
 * Flow documents aggregated at level 2 and Goldmane flows name their ends instead of addressing
 * them: a workload end is a namespace, an owner prefix (`frontend-7d9c5b-*`) or exact name, and
 * the labels every aggregated endpoint shared; a host endpoint is its name; a network set its
 * (namespace and) name; unknown addresses only `pub`/`pvt`. Evaluating such a flow needs
 * addresses, so an end is resolved to a representative of the inventory: an endpoint of the same
 * kind and namespace whose owner prefix or exact name matches and that carries every named label
 * (the first by resource key, so the choice is deterministic), or an address inside a network
 * set's nets. Replicas of one workload normally share their policies; where they do not, the
 * labels every aggregated endpoint carried are what the representative is chosen by.
 *
 *   const ends = new RepresentativeEndpoints({ endpoints: () => inv.endpoints.allEndpoints(),
 *     networkSets: () => inv.endpoints.allNetworkSets(), revision: () => inv.revision });
 *   ends.resolve({ kind: 'workload', namespace: 'shop', name: 'frontend-7d9c5b-*', labels: [['app', 'frontend']] });
 *   // → { ip: '10.0.1.5', key: 'Pod/shop/frontend-7d9c5b-abcde' } or { ip: null, code, reason }
 */
import ipaddr from 'ipaddr.js';
import { canonicalIp, type Cidr } from '../model/ip.ts';
import { aggregatedPodName } from './aggregated-name.ts';
import type { EndpointSnapshot, NetworkSetEntry } from './endpoint-index.ts';

/** What names one end (labels as `[key, value]` pairs, in the order a reason should list them). */
export interface EndIdentity {
  /** `workload`, `host`, `networkset`, `public` or `private` (anything else is unresolvable). */
  readonly kind: string;
  readonly namespace: string | null;
  /** Owner prefix or exact name; network-set or host-endpoint name. */
  readonly name: string;
  readonly labels: readonly (readonly [string, string])[];
}

/** Why an end has no representative. */
export type UnresolvedCode = 'no-address' | 'not-in-inventory' | 'label-mismatch' | 'unknown-kind';

export type Representative =
  | { readonly ip: string; readonly key: string }
  | { readonly ip: null; readonly code: UnresolvedCode; readonly reason: string };

export interface RepresentativeSource {
  endpoints(): Iterable<EndpointSnapshot>;
  networkSets(): Iterable<NetworkSetEntry>;
  /** Moves whenever the inventory changes (the index is rebuilt lazily then). */
  revision(): number;
}

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** An address inside `c`: the network address plus one (the address itself for a /32, /31, /128, /127). */
export function addressInside(c: Cidr): string {
  const base = c.text.slice(0, c.text.indexOf('/'));
  if (c.prefix >= (c.version === 4 ? 31 : 127)) return base;
  const bytes = ipaddr.parse(base).toByteArray();
  // Host bits are cleared and at least two of them exist, so the last byte's low bit is 0.
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) + 1;
  return canonicalIp(ipaddr.fromByteArray(bytes).toString()) as string;
}

function describe(kind: string, namespace: string | null, name: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** Endpoints by kind, namespace and name (owner prefix and exact), rebuilt when the revision moves. */
export class RepresentativeEndpoints {
  private revision = Number.NaN;
  private byName = new Map<string, EndpointSnapshot[]>();
  private sets = new Map<string, NetworkSetEntry>();

  constructor(private readonly source: RepresentativeSource) {}

  private refresh(): void {
    const revision = this.source.revision();
    if (revision === this.revision) return;
    this.revision = revision;
    this.byName = new Map();
    this.sets = new Map();
    const add = (key: string, s: EndpointSnapshot): void => {
      const list = this.byName.get(key);
      if (list) list.push(s);
      else this.byName.set(key, [s]);
    };
    for (const s of this.source.endpoints()) {
      if (s.resource.ips.length === 0) continue;
      const ns = s.kind === 'host' ? '' : s.resource.namespace ?? '';
      add(`${s.kind}\u0000${ns}\u0000${s.resource.name}`, s);
      if (s.kind === 'workload') {
        const aggregated = aggregatedPodName(s.resource.name, s.resource.generateName);
        if (aggregated !== s.resource.name) add(`${s.kind}\u0000${ns}\u0000${aggregated}`, s);
      }
    }
    for (const list of this.byName.values()) list.sort(byKey);
    for (const e of this.source.networkSets()) this.sets.set(`${e.resource.namespace ?? ''}\u0000${e.resource.name}`, e);
  }

  resolve(end: EndIdentity): Representative {
    if (end.kind === 'public' || end.kind === 'private') {
      return { ip: null, code: 'no-address', reason: `${end.kind} network ends (${end.name}) are stored without an address` };
    }
    this.refresh();
    if (end.kind === 'networkset') {
      // A global set is stored without a namespace; a namespaced one with its own.
      const set = this.sets.get(`${end.namespace ?? ''}\u0000${end.name}`);
      const net = set?.resource.nets[0];
      if (set === undefined) return { ip: null, code: 'not-in-inventory', reason: `no ${describe('network set', end.namespace, end.name)} in the inventory` };
      if (net === undefined) return { ip: null, code: 'no-address', reason: `${describe('network set', end.namespace, end.name)} has no nets` };
      return { ip: addressInside(net), key: set.key };
    }
    if (end.kind !== 'workload' && end.kind !== 'host') return { ip: null, code: 'unknown-kind', reason: `endpoint kind ${JSON.stringify(end.kind)} is not one segflow can resolve` };
    const candidates = this.byName.get(`${end.kind}\u0000${end.kind === 'host' ? '' : end.namespace ?? ''}\u0000${end.name}`) ?? [];
    const match = candidates.find((s) => end.labels.every(([k, v]) => s.labels.get(k) === v));
    if (match) return { ip: match.resource.ips[0] as string, key: match.key };
    const where = describe(end.kind, end.kind === 'host' ? null : end.namespace, end.name);
    return candidates.length === 0
      ? { ip: null, code: 'not-in-inventory', reason: `no ${where} in the inventory` }
      : { ip: null, code: 'label-mismatch', reason: `no ${where} in the inventory carries the labels ${end.labels.map(([k, v]) => `${k}=${v}`).join(',')}` };
  }
}
