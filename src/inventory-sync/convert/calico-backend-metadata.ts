/**
 * `crd.projectcalico.org/v1` metadata → the `projectcalico.org/v3` metadata Calico shows for the
 * same object, as libcalico-go's Kubernetes backend reads it
 * (libcalico-go/lib/backend/k8s/resources/resources.go, ConvertK8sResourceToCalicoResource and
 * determinePolicyName; docs/kubernetes-conversion.md lists every rule):
 *
 * - the UID is Calico's transform of the custom resource's UID (calico-uid.ts);
 * - when the `projectcalico.org/metadata` annotation is present it holds the v3 metadata Calico
 *   wrote: its labels are merged over the custom resource's (the annotation wins), its
 *   creationTimestamp is used when set, and its name is the v3 name; for the four tiered policy
 *   kinds an annotation without a name (objects written before Calico 3.30) means the name is
 *   the backend name with a `default.` prefix removed when the tier is `default`;
 * - without the annotation the custom resource's own metadata is used as it is.
 */
import { calicoUidOf } from './calico-uid.ts';
import { fieldPath, isMap, type FieldProblems, type JsonMap } from './field-problems.ts';

export const CALICO_METADATA_ANNOTATION = 'projectcalico.org/metadata';

/** Kinds whose backend name may carry the tier prefix (resources.go's switch). */
const TIERED_POLICY_KINDS: ReadonlySet<string> = new Set(['GlobalNetworkPolicy', 'NetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy']);

/** The v3 name of a tiered policy whose stored metadata has no name (resources.go determinePolicyName). */
export function policyNameFromBackend(backendName: string, tier: string | undefined): string {
  if (tier === undefined || tier === '' || tier === 'default') {
    return backendName.startsWith('default.') ? backendName.slice('default.'.length) : backendName;
  }
  return backendName;
}

/** A timestamp Go wrote for a metav1.Time: null/absent or the zero time mean "not set". */
function setTimestamp(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '' || v.startsWith('0001-01-01')) return undefined;
  return v;
}

/**
 * The v3 metadata (ObjectMeta-shaped: name, namespace, generateName, uid, creationTimestamp,
 * labels) of a backend object whose metadata is `meta`; `tier` is its `spec.tier`.
 */
export function v3MetadataOfBackend(meta: JsonMap, kind: string, tier: string | undefined, problems: FieldProblems): JsonMap {
  const path = 'metadata';
  const out: JsonMap = {};
  // Name, namespace, generateName and creationTimestamp are checked on the result (cleanMetadata).
  const crName = typeof meta.name === 'string' ? meta.name : undefined;
  out.namespace = meta.namespace;
  out.generateName = meta.generateName;
  out.creationTimestamp = meta.creationTimestamp;

  const uid = problems.string(meta, 'uid', path);
  if (uid !== undefined && uid !== '') {
    const converted = calicoUidOf(uid);
    if (converted === null) problems.add(fieldPath(path, 'uid'), `${JSON.stringify(uid)} is not a UUID (Calico cannot convert it)`);
    else out.uid = converted;
  }

  const labels: Record<string, string> = problems.stringMap(meta, 'labels', path) ?? {};
  const annotations = problems.map(meta, 'annotations', path);
  const annotationPath = fieldPath(fieldPath(path, 'annotations'), CALICO_METADATA_ANNOTATION);
  const raw = annotations?.[CALICO_METADATA_ANNOTATION];
  if (raw === undefined || raw === null) {
    out.name = meta.name;
    out.labels = labels;
    return out;
  }
  let stored: unknown;
  if (typeof raw !== 'string') {
    problems.add(annotationPath, 'expected a string holding JSON');
  } else {
    try {
      stored = JSON.parse(raw);
    } catch (err) {
      problems.add(annotationPath, `invalid JSON: ${(err as Error).message}`);
    }
  }
  if (stored !== undefined && !isMap(stored)) {
    problems.add(annotationPath, 'expected a JSON object (Calico\'s v3 metadata)');
    stored = undefined;
  }
  const v3 = (stored ?? {}) as JsonMap;
  const storedName = problems.string(v3, 'name', annotationPath);
  const storedLabels = problems.stringMap(v3, 'labels', annotationPath) ?? {};
  const storedGenerateName = problems.string(v3, 'generateName', annotationPath);
  const merged: Record<string, string> = { ...labels, ...storedLabels };
  out.labels = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k] as string]));
  // Everything else comes from the annotation alone: Calico replaces the metadata with it.
  out.generateName = storedGenerateName;
  const storedCreated = setTimestamp(v3.creationTimestamp);
  if (storedCreated !== undefined) out.creationTimestamp = storedCreated;
  if (storedName) out.name = storedName;
  else if (crName !== undefined && crName !== '') out.name = TIERED_POLICY_KINDS.has(kind) ? policyNameFromBackend(crName, tier) : crName;
  return out;
}
