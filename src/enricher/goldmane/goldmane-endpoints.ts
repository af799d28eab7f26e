/**
 * Goldmane names ends, it does not address them: a workload end is a namespace, an owner prefix
 * (`frontend-7d9c5b-*`) and the labels every aggregated pod shares; a host endpoint is its name;
 * network sets and plain networks (`pub`/`pvt`) come without an address at all. Ends are resolved
 * to a representative endpoint by the inventory library's resolver (the one the API's replay
 * uses); this maps Goldmane's endpoint types onto it. Network sets stay unresolved here: a
 * representative address inside a set could sit in another set Calico's verdict was about.
 */
import type { EndpointSnapshot } from '../../inventory/endpoints/endpoint-index.ts';
import { RepresentativeEndpoints } from '../../inventory/endpoints/representative-endpoints.ts';
import { GoldmaneEndpointType } from '../../contract/goldmane/goldmane-flow.ts';

export interface GoldmaneEnd {
  readonly type: number;
  readonly name: string;
  readonly namespace: string;
  /** `key=value` strings as Goldmane reports them. */
  readonly labels: readonly string[];
}

export type EndResolution = { readonly ip: string; readonly key: string } | { readonly ip: null; readonly reason: string };

/** Goldmane ends resolved through RepresentativeEndpoints. */
export class GoldmaneEndpointIndex {
  private readonly ends: RepresentativeEndpoints;

  constructor(endpoints: () => Iterable<EndpointSnapshot>, currentRevision: () => number) {
    this.ends = new RepresentativeEndpoints({ endpoints, networkSets: () => [], revision: currentRevision });
  }

  resolve(end: GoldmaneEnd): EndResolution {
    if (end.type === GoldmaneEndpointType.Network) return { ip: null, reason: `Goldmane reports the ${end.name === 'pub' ? 'public' : 'private'} network end without an address` };
    if (end.type === GoldmaneEndpointType.NetworkSet) return { ip: null, reason: `network set ${end.namespace ? `${end.namespace}/` : ''}${end.name} comes without an address` };
    const kind = end.type === GoldmaneEndpointType.HostEndpoint ? 'host' : end.type === GoldmaneEndpointType.WorkloadEndpoint ? 'workload' : null;
    if (kind === null) return { ip: null, reason: `endpoint type ${end.type} is not one segflow can resolve` };
    const labels = end.labels.map((l) => {
      const eq = l.indexOf('=');
      return eq < 0 ? [l, ''] as const : [l.slice(0, eq), l.slice(eq + 1)] as const;
    });
    const r = this.ends.resolve({ kind, namespace: end.namespace || null, name: end.name, labels });
    return r.ip === null ? { ip: null, reason: r.reason } : r;
  }
}
