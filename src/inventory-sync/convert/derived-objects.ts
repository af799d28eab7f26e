/**
 * Objects that are Calico's read-only view of another object the sync publishes itself. They are
 * not published: the loader derives the same thing from the source object, and publishing both
 * would give one workload two endpoints (or one policy twice) under different keys.
 */
import { isMap, type JsonMap } from './field-problems.ts';

/** K8sNetworkPolicyNamePrefix of older libcalico-go/lib/names/policy.go. */
const KNP_PREFIX = 'knp.default.';
const NAMESPACE_PROFILE_PREFIX = 'kns.';
const SERVICE_ACCOUNT_PROFILE_PREFIX = 'ksa.';
const DEFAULT_ALLOW_PROFILE = 'projectcalico-default-allow';

/**
 * What `object` (a Calico object in v3 form, with its v3 name) is derived from, e.g.
 * `Pod shop/web-1`, or null when it is an object of its own.
 */
export function derivedSourceOf(kind: string, name: string, namespace: string | undefined, spec: JsonMap | undefined): string | null {
  switch (kind) {
    case 'NetworkPolicy':
      // Older Calico API servers list Kubernetes NetworkPolicies among Calico's as
      // `knp.default.<name>` and refuse writes to them (apiserver/pkg/storage/calico/policy_storage.go).
      if (name.startsWith(KNP_PREFIX)) return `NetworkPolicy (networking.k8s.io/v1) ${namespace ?? ''}/${name.slice(KNP_PREFIX.length)}`;
      return null;
    case 'WorkloadEndpoint': {
      // With the Kubernetes datastore every workload endpoint of orchestrator k8s is a Pod
      // (libcalico-go/lib/backend/k8s/resources/workloadendpoint.go).
      const orchestrator = isMap(spec) ? spec.orchestrator : undefined;
      const pod = isMap(spec) && typeof spec.pod === 'string' ? spec.pod : '?';
      return orchestrator === 'k8s' ? `Pod ${namespace ?? ''}/${pod}` : null;
    }
    case 'Profile':
      // libcalico-go/lib/backend/k8s/resources/profile.go: kns.<ns> from a Namespace, ksa.<ns>.<sa>
      // from a ServiceAccount, and the built-in default-allow profile.
      if (name === DEFAULT_ALLOW_PROFILE) return 'Calico (built-in profile)';
      if (name.startsWith(NAMESPACE_PROFILE_PREFIX)) return `Namespace ${name.slice(NAMESPACE_PROFILE_PREFIX.length)}`;
      if (name.startsWith(SERVICE_ACCOUNT_PROFILE_PREFIX)) {
        const rest = name.slice(SERVICE_ACCOUNT_PROFILE_PREFIX.length);
        const dot = rest.indexOf('.');
        return dot < 0 ? `ServiceAccount ${rest}` : `ServiceAccount ${rest.slice(0, dot)}/${rest.slice(dot + 1)}`;
      }
      return null;
    default:
      return null;
  }
}
