/**
 * The spec of Calico resources, the same in both API forms (`crd.projectcalico.org/v1` stores
 * the v3 spec unchanged: the two CRD schemas are identical), with the defaults Calico applies
 * when it reads a stored object and that the loader would otherwise fill in differently
 * (docs/kubernetes-conversion.md, "Calico resources"). `status` is dropped: the loader reads none.
 */
import { withDefaultLabel, type Scope } from './clean-metadata.ts';
import { copyJson, type FieldProblems, type JsonMap } from './field-problems.ts';

/** Calico kinds and their scope (api/pkg/apis/projectcalico/v3). */
export const CALICO_KINDS: ReadonlyMap<string, Scope> = new Map<string, Scope>([
  ['Tier', 'cluster'],
  ['GlobalNetworkPolicy', 'cluster'],
  ['NetworkPolicy', 'namespaced'],
  ['StagedGlobalNetworkPolicy', 'cluster'],
  ['StagedNetworkPolicy', 'namespaced'],
  ['StagedKubernetesNetworkPolicy', 'namespaced'],
  ['GlobalNetworkSet', 'cluster'],
  ['NetworkSet', 'namespaced'],
  ['HostEndpoint', 'cluster'],
  ['WorkloadEndpoint', 'namespaced'],
  ['Profile', 'cluster'],
]);

/**
 * The kinds Calico stores as `crd.projectcalico.org/v1` custom resources (manifests/crds.yaml).
 * WorkloadEndpoints and Profiles are not stored: with the Kubernetes datastore Calico derives
 * them from Pods, Namespaces and ServiceAccounts.
 */
export const CALICO_BACKEND_KINDS: ReadonlySet<string> = new Set([...CALICO_KINDS.keys()].filter((k) => k !== 'WorkloadEndpoint' && k !== 'Profile'));

export const TIERED_POLICY_KINDS: ReadonlySet<string> = new Set(['GlobalNetworkPolicy', 'NetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy']);

export const TIER_LABEL = 'projectcalico.org/tier';
export const DEFAULT_TIER = 'default';
/** api/pkg/apis/projectcalico/v3/tier.go DefaultTierOrder. */
export const DEFAULT_TIER_ORDER = 1_000_000;

/** `spec.tier` of a tiered policy as Calico reads it (names.TierOrDefault): '' or absent → default. */
export function tierOf(spec: JsonMap | undefined, problems: FieldProblems): string {
  if (spec === undefined) return DEFAULT_TIER;
  const tier = problems.string(spec, 'tier', 'spec');
  return tier === undefined || tier === '' ? DEFAULT_TIER : tier;
}

export interface CalicoBody {
  /** The document's `spec`. */
  readonly spec: JsonMap;
  /** Labels after Calico's defaults (the tier label of tiered policies). */
  readonly labels: Record<string, string> | undefined;
}

/** The spec (and labels) of a Calico object of `kind`, with Calico's read-side defaults. */
export function calicoBodyOf(kind: string, object: JsonMap, labels: Record<string, string> | undefined, problems: FieldProblems, warnings: string[]): CalicoBody {
  const raw = problems.map(object, 'spec', '');
  const spec: JsonMap = raw === undefined ? {} : copyJson(raw);
  if (TIERED_POLICY_KINDS.has(kind)) {
    const tier = tierOf(raw, problems);
    spec.tier = tier;
    defaultPolicyTypes(spec, problems, warnings);
    // api/pkg/defaults/networkpolicy.go setTierLabel (and the tierlabel admission policy for v3 CRDs).
    return { spec, labels: withDefaultLabel(labels, TIER_LABEL, tier) };
  }
  if (kind === 'StagedKubernetesNetworkPolicy') defaultKubernetesPolicyTypes(spec, problems, warnings);
  if (kind === 'Tier') defaultTierFields(spec, problems);
  return { spec, labels };
}

/**
 * A policy stored without `types` reaches Felix without them, and Felix then applies it to both
 * directions (felix/calc/policy_sorter.go: "no Types means Ingress and Egress"); Calico's own
 * clients default types from the rules only when writing (api/pkg/defaults). The loader reads an
 * absent `types` as a file to be written through those clients would be, so the document says
 * what Felix will do: `types: []`.
 */
function defaultPolicyTypes(spec: JsonMap, problems: FieldProblems, warnings: string[]): void {
  const types = problems.list(spec, 'types', 'spec');
  if (types.length > 0) return;
  spec.types = [];
  warnings.push('spec.types: not set in the stored object: Calico applies such a policy to both ingress and egress (document has types: [])');
}

/**
 * A StagedKubernetesNetworkPolicy is converted as a Kubernetes NetworkPolicy with its
 * policyTypes as stored; nothing defaults them (no API server defaulting for a CRD, and
 * api/pkg/defaults has none for this kind), and Calico's conversion reads no types as Ingress
 * only (libcalico-go/lib/backend/k8s/conversion/conversion.go, K8sNetworkPolicyToCalico). The
 * loader would default them as the Kubernetes API server does for NetworkPolicy, so the document
 * carries Calico's reading.
 */
function defaultKubernetesPolicyTypes(spec: JsonMap, problems: FieldProblems, warnings: string[]): void {
  const types = problems.list(spec, 'policyTypes', 'spec');
  if (types.length > 0) return;
  spec.policyTypes = ['Ingress'];
  const egress = problems.list(spec, 'egress', 'spec');
  warnings.push(`spec.policyTypes: not set in the stored object: Calico reads it as [Ingress]${egress.length > 0 ? `, so its ${egress.length} egress rule(s) are not applied` : ''}`);
}

/** libcalico-go/lib/resources/tier.go DefaultTierFields, which the backend applies on every read. */
function defaultTierFields(spec: JsonMap, problems: FieldProblems): void {
  if (problems.number(spec, 'order', 'spec') === undefined && (spec.order === undefined || spec.order === null)) spec.order = DEFAULT_TIER_ORDER;
  const action = problems.string(spec, 'defaultAction', 'spec');
  if (action === undefined && (spec.defaultAction === undefined || spec.defaultAction === null)) spec.defaultAction = 'Deny';
}

