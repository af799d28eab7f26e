/**
 * The kustomize transformers segflow's manifests use, with kustomize's semantics (v5, as in
 * `kubectl kustomize`): namespace, labels, images, and the output order. Pure functions over
 * parsed objects; render-kustomization.ts reads the files and applies them.
 */

export type KubeObject = Record<string, unknown> & { apiVersion?: unknown; kind?: unknown; metadata?: Record<string, unknown> };

/** Kinds that have no namespace (the built-in ones kustomize knows, plus the Calico and policy kinds segflow deals with). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'PriorityClass', 'RuntimeClass',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'IngressClass',
  'CertificateSigningRequest', 'PodSecurityPolicy', 'ComponentStatus', 'TokenReview', 'SelfSubjectAccessReview',
  'SelfSubjectRulesReview', 'SubjectAccessReview', 'FlowSchema', 'PriorityLevelConfiguration',
  'GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy', 'GlobalNetworkSet', 'HostEndpoint', 'Tier',
  'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

function meta(obj: KubeObject): Record<string, unknown> {
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
  return obj.metadata;
}

function child(parent: unknown, ...keys: string[]): Record<string, unknown> | undefined {
  let node = parent;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}

/**
 * `namespace:`: sets the namespace of every namespaced object, renames Namespace objects, and
 * (kustomize's default, "defaultOnly") moves binding subjects that are the ServiceAccount
 * named `default` — any other subject keeps the namespace it names.
 */
export function setNamespace(objects: KubeObject[], namespace: string): void {
  for (const obj of objects) {
    const kind = String(obj.kind);
    if (kind === 'Namespace') meta(obj).name = namespace;
    else if (!isClusterScoped(kind)) meta(obj).namespace = namespace;
    if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && Array.isArray(obj.subjects)) {
      for (const subject of obj.subjects as Array<Record<string, unknown>>) {
        if (subject.kind === 'ServiceAccount' && subject.name === 'default') subject.namespace = namespace;
      }
    }
  }
}

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job']);

function addLabels(target: Record<string, unknown>, pairs: Record<string, string>): void {
  const labels = (typeof target.labels === 'object' && target.labels !== null ? target.labels : (target.labels = {})) as Record<string, unknown>;
  Object.assign(labels, pairs);
}

/** `labels: [{pairs, includeTemplates}]` (no selectors): object labels, and pod template labels when asked. */
export function addObjectLabels(objects: KubeObject[], pairs: Record<string, string>, includeTemplates: boolean): void {
  for (const obj of objects) {
    addLabels(meta(obj), pairs);
    if (!includeTemplates) continue;
    const kind = String(obj.kind);
    const templates = POD_TEMPLATE_KINDS.has(kind)
      ? [child(obj, 'spec', 'template')]
      : kind === 'CronJob' ? [child(obj, 'spec', 'jobTemplate'), child(obj, 'spec', 'jobTemplate', 'spec', 'template')] : [];
    for (const template of templates) {
      if (!template) continue;
      if (typeof template.metadata !== 'object' || template.metadata === null) template.metadata = {};
      addLabels(template.metadata as Record<string, unknown>, pairs);
    }
  }
}

export interface ImageOverride {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

/** Splits `registry:5000/repo/name:tag@sha256:…` into name, tag and digest. */
export function parseImageReference(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  return { name: hasTag ? rest.slice(0, colon) : rest, ...(hasTag ? { tag: rest.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}

function podSpecsOf(obj: KubeObject): Array<Record<string, unknown>> {
  const kind = String(obj.kind);
  const spec = kind === 'Pod' ? child(obj, 'spec')
    : kind === 'CronJob' ? child(obj, 'spec', 'jobTemplate', 'spec', 'template', 'spec')
      : child(obj, 'spec', 'template', 'spec');
  return spec ? [spec] : [];
}

/** `images:`: containers (and init containers) whose image name matches get the new name, tag or digest. */
export function setImages(objects: KubeObject[], overrides: readonly ImageOverride[]): void {
  for (const obj of objects) {
    for (const spec of podSpecsOf(obj)) {
      for (const list of [spec.initContainers, spec.containers]) {
        if (!Array.isArray(list)) continue;
        for (const container of list as Array<Record<string, unknown>>) {
          if (typeof container.image !== 'string') continue;
          const ref = parseImageReference(container.image);
          const override = overrides.find((o) => o.name === ref.name);
          if (!override) continue;
          const name = override.newName ?? ref.name;
          if (override.digest) container.image = `${name}@${override.digest}`;
          else if (override.newTag) container.image = `${name}:${override.newTag}`;
          else container.image = `${name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
        }
      }
    }
  }
}

/** kustomize's "legacy" output order: what others depend on first, webhooks last. */
const ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role',
  'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange',
  'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function rank(kind: string): number {
  const first = ORDER_FIRST.indexOf(kind);
  if (first >= 0) return first;
  const last = ORDER_LAST.indexOf(kind);
  return last >= 0 ? 1000 + last : 500;
}

function idOf(obj: KubeObject): string {
  const m = obj.metadata ?? {};
  return `${String(obj.apiVersion)}|${String(obj.kind)}|${String(m.namespace ?? '')}|${String(m.name ?? '')}`;
}

/** Sorts in kustomize's legacy order (kind rank, then group/version/kind, namespace and name). */
export function sortLegacy(objects: KubeObject[]): KubeObject[] {
  return [...objects].sort((a, b) => rank(String(a.kind)) - rank(String(b.kind)) || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
}
