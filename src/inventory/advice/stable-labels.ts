/**
 * Which of an endpoint's labels say *what* it is (stable across restarts, rollouts and
 * rescheduling) and the peer selector built from them. Pure.
 *
 *   stableLabels({ app: 'shop', 'pod-template-hash': '7c9d' })   → { app: 'shop' }
 *   identityLabels(labels)   → the workload's app labels when it has any, else every stable label
 *   peerSelector({ namespace: 'shop', labels })
 *     → { namespace: 'shop', labels: { app: 'frontend' }, selector: "app == 'frontend'" }
 *
 * A selector built from identity labels matches every replica of the workload and keeps matching
 * after a rollout; one built from a pod-template-hash would match one ReplicaSet only and break at
 * the next deploy — the complaint users have about generated policies.
 */

/** Labels controllers stamp per pod, revision, job run or index: never identity. */
const VOLATILE_KEYS: ReadonlySet<string> = new Set([
  'pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'rollouts-pod-template-hash',
  'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'job-name', 'controller-uid',
  'app.kubernetes.io/version', 'helm.sh/chart', 'security.istio.io/tlsMode', 'service.istio.io/canonical-revision',
]);

/** Prefixes of system or per-run labels (Calico's own, Job bookkeeping). */
const VOLATILE_PREFIXES: readonly string[] = ['projectcalico.org/', 'pcns.', 'pcsa.', 'batch.kubernetes.io/'];

/**
 * Workload identity keys, most preferred first. `app.kubernetes.io/name` is refined by its
 * instance and component siblings when present (they separate e.g. a chart's web and db pods).
 */
const APP_KEYS: readonly string[] = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name', 'component'];
const APP_REFINERS: readonly string[] = ['app.kubernetes.io/instance', 'app.kubernetes.io/component'];

export type LabelInput = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

function entries(labels: LabelInput): [string, string][] {
  return labels instanceof Map ? [...labels.entries()] : Object.entries(labels as Record<string, string>);
}

/** True when the label key is per-pod, per-revision or system bookkeeping. */
export function isVolatileLabel(key: string): boolean {
  return VOLATILE_KEYS.has(key) || VOLATILE_PREFIXES.some((p) => key.startsWith(p));
}

/** The labels that survive restarts and rollouts, sorted by key. */
export function stableLabels(labels: LabelInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (!isVolatileLabel(k)) out[k] = v;
  return out;
}

/**
 * The labels that name the workload: its first app key (with the app.kubernetes.io refiners it
 * has), else every stable label; empty when it has none (the namespace alone then identifies it).
 */
export function identityLabels(labels: LabelInput): Record<string, string> {
  const stable = stableLabels(labels);
  for (const key of APP_KEYS) {
    const value = stable[key];
    if (value === undefined) continue;
    const out: Record<string, string> = { [key]: value };
    if (key === 'app.kubernetes.io/name') for (const r of APP_REFINERS) if (stable[r] !== undefined) out[r] = stable[r];
    return out;
  }
  return stable;
}

/** A peer (or policy subject) as both policy dialects need it. */
export interface PeerSelector {
  /** The endpoint's namespace; null for cluster-scoped endpoints (host endpoints, global sets). */
  readonly namespace: string | null;
  /** Identity labels, sorted by key: a Kubernetes `matchLabels`. */
  readonly labels: Readonly<Record<string, string>>;
  /** The same as a Calico selector (`all()` when no label identifies it). */
  readonly selector: string;
}

/** Calico selector text for equality on every label (`a == 'x' && b == 'y'`, or `all()`). */
export function selectorText(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return 'all()';
  return keys.map((k) => `${k} == '${labels[k]}'`).join(' && ');
}

/** The selector for one endpoint (its identity labels within its namespace). */
export function peerSelector(endpoint: { readonly namespace: string | null; readonly labels: LabelInput }): PeerSelector {
  const labels = identityLabels(endpoint.labels);
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) sorted[k] = labels[k] as string;
  return { namespace: endpoint.namespace, labels: sorted, selector: selectorText(sorted) };
}

/**
 * True when two endpoints are the same workload by identity: same namespace and identity labels
 * (two replicas of one Deployment are; a pod and its rollout successor are). Endpoints without
 * labels are the same only at the same address.
 */
export function sameIdentity(
  a: { readonly namespace: string | null; readonly labels: LabelInput; readonly ip?: string },
  b: { readonly namespace: string | null; readonly labels: LabelInput; readonly ip?: string },
): boolean {
  if (a.namespace !== b.namespace) return false;
  const la = peerSelector(a);
  const lb = peerSelector(b);
  if (Object.keys(la.labels).length === 0 || Object.keys(lb.labels).length === 0) return a.ip !== undefined && a.ip === b.ip;
  return la.selector === lb.selector;
}
