/**
 * Goldmane names ends, it does not address them: a workload end is a namespace, an owner prefix
 * (`frontend-7d9c5b-*`) and the labels every aggregated pod shares; a host endpoint is its name;
 * network sets and plain networks (`pub`/`pvt`) come without an address at all. To evaluate a
 * flow segflow needs addresses, so an end is resolved to a representative endpoint of the
 * inventory: same namespace, same owner prefix (or exact name), carrying every reported label.
 * The first such endpoint by resource key is taken (all replicas of a workload normally share
 * their policies; where they do not, the labels Goldmane reports are what they share).
 */
import type { EndpointSnapshot } from '../../inventory/endpoints/endpoint-index.ts';
import { aggregatedPodName } from '../transform/aggregated-name.ts';
import { GoldmaneEndpointType } from '../../contract/goldmane/goldmane-flow.ts';

export interface GoldmaneEnd {
  readonly type: number;
  readonly name: string;
  readonly namespace: string;
  /** `key=value` strings as Goldmane reports them. */
  readonly labels: readonly string[];
}

export type EndResolution = { readonly ip: string; readonly key: string } | { readonly ip: null; readonly reason: string };

/** Endpoints by namespace and name (owner prefix and exact), rebuilt when the inventory revision moves. */
export class GoldmaneEndpointIndex {
  private revision = -1;
  private byName = new Map<string, EndpointSnapshot[]>();

  constructor(private readonly endpoints: () => Iterable<EndpointSnapshot>, private readonly currentRevision: () => number) {}

  private refresh(): void {
    const revision = this.currentRevision();
    if (revision === this.revision) return;
    this.revision = revision;
    this.byName = new Map();
    const add = (key: string, s: EndpointSnapshot): void => {
      const list = this.byName.get(key);
      if (list) list.push(s);
      else this.byName.set(key, [s]);
    };
    for (const s of this.endpoints()) {
      if (s.resource.ips.length === 0) continue;
      const ns = s.resource.namespace ?? '';
      add(`${s.kind}\u0000${ns}\u0000${s.resource.name}`, s);
      if (s.kind === 'workload') {
        const aggregated = aggregatedPodName(s.resource.name, s.resource.generateName);
        if (aggregated !== s.resource.name) add(`${s.kind}\u0000${ns}\u0000${aggregated}`, s);
      }
    }
    for (const list of this.byName.values()) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  resolve(end: GoldmaneEnd): EndResolution {
    if (end.type === GoldmaneEndpointType.Network) return { ip: null, reason: `Goldmane reports the ${end.name === 'pub' ? 'public' : 'private'} network end without an address` };
    if (end.type === GoldmaneEndpointType.NetworkSet) return { ip: null, reason: `network set ${end.namespace ? `${end.namespace}/` : ''}${end.name} comes without an address` };
    const kind = end.type === GoldmaneEndpointType.HostEndpoint ? 'host' : end.type === GoldmaneEndpointType.WorkloadEndpoint ? 'workload' : null;
    if (kind === null) return { ip: null, reason: `endpoint type ${end.type} is not one segflow can resolve` };
    this.refresh();
    const candidates = this.byName.get(`${kind}\u0000${kind === 'host' ? '' : end.namespace}\u0000${end.name}`) ?? [];
    const wanted = end.labels.map((l) => {
      const eq = l.indexOf('=');
      return eq < 0 ? [l, ''] as const : [l.slice(0, eq), l.slice(eq + 1)] as const;
    });
    const match = candidates.find((s) => wanted.every(([k, v]) => s.labels.get(k) === v));
    if (!match) {
      const where = `${kind} ${end.namespace ? `${end.namespace}/` : ''}${end.name}`;
      return { ip: null, reason: candidates.length === 0 ? `no ${where} in the inventory` : `no ${where} in the inventory carries the labels ${end.labels.join(',')}` };
    }
    return { ip: match.resource.ips[0]!, key: match.key };
  }
}
