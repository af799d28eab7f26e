/**
 * The API kinds the sync follows, and which of them a cluster serves (from discovery). Calico's
 * kinds exist in two forms: `projectcalico.org/v3` (served by the Calico API server or, in recent
 * releases, v3 CRDs) and `crd.projectcalico.org/v1` (the CRDs Calico stores its backend form in).
 * When v3 serves a kind it is used, never both: the two are the same objects.
 */

/** A kind the sync may follow: `family` names it independently of the Calico API form. */
export interface WantedKind {
  /** `calico/NetworkPolicy`, `core/Pod`, ...: one identity for both Calico forms. */
  readonly family: string;
  readonly kind: string;
  /** Groups (with versions) to try, most preferred first; '' = the core group. */
  readonly sources: readonly { readonly group: string; readonly version: string }[];
}

const CALICO_V3 = { group: 'projectcalico.org', version: 'v3' };
const CALICO_BACKEND = { group: 'crd.projectcalico.org', version: 'v1' };

const core = (kind: string): WantedKind => ({ family: `core/${kind}`, kind, sources: [{ group: '', version: 'v1' }] });
const calico = (kind: string): WantedKind => ({ family: `calico/${kind}`, kind, sources: [CALICO_V3, CALICO_BACKEND] });

export const WANTED_KINDS: readonly WantedKind[] = [
  core('Namespace'), core('Pod'), core('ServiceAccount'), core('Service'), core('Node'),
  { family: 'discovery/EndpointSlice', kind: 'EndpointSlice', sources: [{ group: 'discovery.k8s.io', version: 'v1' }] },
  { family: 'networking/NetworkPolicy', kind: 'NetworkPolicy', sources: [{ group: 'networking.k8s.io', version: 'v1' }] },
  calico('Tier'), calico('GlobalNetworkPolicy'), calico('NetworkPolicy'), calico('StagedGlobalNetworkPolicy'),
  calico('StagedNetworkPolicy'), calico('StagedKubernetesNetworkPolicy'), calico('GlobalNetworkSet'), calico('NetworkSet'),
  calico('HostEndpoint'), calico('WorkloadEndpoint'),
  { family: 'policy/AdminNetworkPolicy', kind: 'AdminNetworkPolicy', sources: [{ group: 'policy.networking.k8s.io', version: 'v1alpha1' }] },
  { family: 'policy/BaselineAdminNetworkPolicy', kind: 'BaselineAdminNetworkPolicy', sources: [{ group: 'policy.networking.k8s.io', version: 'v1alpha1' }] },
  { family: 'policy/ClusterNetworkPolicy', kind: 'ClusterNetworkPolicy', sources: [{ group: 'policy.networking.k8s.io', version: 'v1alpha2' }] },
];

/** A kind as a cluster serves it: where to list and watch it. */
export interface ServedKind {
  readonly family: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name, e.g. `networkpolicies`. */
  readonly resource: string;
  readonly namespaced: boolean;
}

/** `v1` for the core group, else `group/version`. */
export function apiVersionOf(kind: { group: string; version: string }): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** The collection path (all namespaces), e.g. `/apis/networking.k8s.io/v1/networkpolicies`. */
export function collectionPath(kind: ServedKind): string {
  return `${kind.group === '' ? '/api' : `/apis/${kind.group}`}/${kind.version}/${kind.resource}`;
}

/** A stable identity of a served kind (changes when the served form changes). */
export function servedKindId(kind: ServedKind): string {
  return `${apiVersionOf(kind)}/${kind.kind}`;
}

/** One resource of an `APIResourceList` (discovery), as far as the sync needs it. */
export interface DiscoveredResource { readonly name: string; readonly kind: string; readonly namespaced: boolean; readonly verbs?: readonly string[] }

/**
 * What discovery said about each group/version: its resources, `absent` when the API server does
 * not serve it, or `unknown` when asking failed (an aggregated API that is down, say): a kind is
 * then neither synced nor treated as gone.
 */
export type GroupVersionDiscovery = { readonly state: 'served'; readonly resources: readonly DiscoveredResource[] } | { readonly state: 'absent' } | { readonly state: 'unknown'; readonly reason: string };

/** The decision for each wanted kind. */
export type KindResolution =
  | { readonly state: 'served'; readonly served: ServedKind }
  | { readonly state: 'absent'; readonly wanted: WantedKind; readonly tried: string }
  | { readonly state: 'unknown'; readonly wanted: WantedKind; readonly reason: string };

/**
 * Resolves every wanted kind against discovery. The first source that serves the kind (with
 * list and watch) wins; if a more preferred source is `unknown`, the kind is `unknown` too, so a
 * Calico API server that is briefly unavailable does not flip the sync to the backend CRDs.
 */
export function resolveKinds(discovery: ReadonlyMap<string, GroupVersionDiscovery>, wanted: readonly WantedKind[] = WANTED_KINDS): KindResolution[] {
  return wanted.map((w): KindResolution => {
    for (const source of w.sources) {
      const gv = apiVersionOf(source);
      const found = discovery.get(gv) ?? { state: 'unknown', reason: `${gv} was not asked` };
      if (found.state === 'unknown') return { state: 'unknown', wanted: w, reason: `${gv}: ${found.reason}` };
      if (found.state === 'absent') continue;
      const resource = found.resources.find((r) => r.kind === w.kind && !r.name.includes('/'));
      if (resource === undefined) continue;
      if (resource.verbs !== undefined && !(resource.verbs.includes('list') && resource.verbs.includes('watch'))) continue;
      return { state: 'served', served: { family: w.family, group: source.group, version: source.version, kind: w.kind, resource: resource.name, namespaced: resource.namespaced } };
    }
    return { state: 'absent', wanted: w, tried: w.sources.map(apiVersionOf).join(', ') };
  });
}

/** Every group/version the wanted kinds may come from. */
export function wantedGroupVersions(wanted: readonly WantedKind[] = WANTED_KINDS): string[] {
  return [...new Set(wanted.flatMap((w) => w.sources.map(apiVersionOf)))];
}
