/**
 * A live Kubernetes API object → the inventory document `segflow inventory apply` accepts (the
 * loader's parseDocument), reduced to what the loader reads plus identity, so that a no-op change
 * (resourceVersion, managedFields, status heartbeats) converts to an identical document and the
 * sync need not republish it. Calico's backend form (`crd.projectcalico.org/v1`) becomes the
 * `projectcalico.org/v3` form Calico shows for it. Rules and their sources:
 * docs/kubernetes-conversion.md. Pure; never throws for bad input.
 */
import { parseDocument } from '../../inventory/loader/parse-resource.ts';
import { v3MetadataOfBackend } from './calico-backend-metadata.ts';
import { CALICO_BACKEND_KINDS, CALICO_KINDS, calicoBodyOf, tierOf } from './calico-resources.ts';
import { cleanMetadata } from './clean-metadata.ts';
import { derivedSourceOf } from './derived-objects.ts';
import { FieldProblems, isMap, type JsonMap } from './field-problems.ts';
import { KUBERNETES_KINDS } from './kubernetes-resources.ts';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>;
    annotations?: Record<string, string>; creationTimestamp?: string; deletionTimestamp?: string; [k: string]: unknown;
  };
  [k: string]: unknown;
}

export type DocumentConversion =
  | { readonly ok: true; readonly document: Record<string, unknown>; readonly warnings: readonly string[] }
  | {
    readonly ok: false;
    /** Every problem, each naming the field path (`metadata.name: missing`). */
    readonly errors: readonly string[];
    /**
     * Set when the object is Calico's read-only view of another object (e.g. `Pod shop/web-1`)
     * that the sync publishes itself: not a fault of the object; skip it quietly.
     */
    readonly derivedFrom?: string;
  };

export const CALICO_V3 = 'projectcalico.org/v3';
export const CALICO_BACKEND = 'crd.projectcalico.org/v1';

/** Origin named in the loader's messages (only the path and reason are kept). */
const LOADER_ORIGIN = { file: '<kubernetes>', document: 1 };

function calicoDocument(object: JsonMap, kind: string, backend: boolean, problems: FieldProblems, warnings: string[]): { document: JsonMap; derivedFrom: string | null } {
  const scope = CALICO_KINDS.get(kind) ?? 'cluster';
  const rawMeta = problems.map(object, 'metadata', '', true) ?? {};
  const source = backend ? v3MetadataOfBackend(rawMeta, kind, tierOf(isMap(object.spec) ? object.spec : undefined, new FieldProblems() /* reported by calicoBodyOf */), problems) : rawMeta;
  const metadata = cleanMetadata(source, scope, problems);
  const body = calicoBodyOf(kind, object, metadata.labels as Record<string, string> | undefined, problems, warnings);
  if (body.labels !== undefined && Object.keys(body.labels).length > 0) metadata.labels = body.labels;
  const document: JsonMap = { apiVersion: CALICO_V3, kind, metadata, spec: body.spec };
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return { document, derivedFrom: name === '' ? null : derivedSourceOf(kind, name, namespace, body.spec) };
}

/** Converts one API object; every problem is reported, each with its field path. */
export function inventoryDocumentOf(object: KubeObject): DocumentConversion {
  const problems = new FieldProblems();
  const warnings: string[] = [];
  if (!isMap(object)) return { ok: false, errors: ['(object): expected an API object (a map)'] };
  const apiVersion = problems.string(object, 'apiVersion', '', true);
  const kind = problems.string(object, 'kind', '', true);
  if (!isMap(object.metadata)) problems.map(object, 'metadata', '', true);
  if (apiVersion === undefined || kind === undefined) return { ok: false, errors: problems.messages };

  let document: JsonMap | undefined;
  let derivedFrom: string | null = null;
  const kubernetes = KUBERNETES_KINDS.get(`${apiVersion}/${kind}`);
  if (kubernetes !== undefined) {
    const metadata = cleanMetadata(isMap(object.metadata) ? object.metadata : {}, kubernetes.scope, problems);
    document = { apiVersion, kind, metadata, ...kubernetes.bodyOf(object, problems, warnings) };
  } else if (apiVersion === CALICO_V3 && CALICO_KINDS.has(kind)) {
    ({ document, derivedFrom } = calicoDocument(object, kind, false, problems, warnings));
  } else if (apiVersion === CALICO_BACKEND && CALICO_BACKEND_KINDS.has(kind)) {
    ({ document, derivedFrom } = calicoDocument(object, kind, true, problems, warnings));
  } else if (apiVersion === CALICO_BACKEND && CALICO_KINDS.has(kind)) {
    problems.add('kind', `Calico does not store ${kind} in ${CALICO_BACKEND} (with the Kubernetes datastore it derives ${kind === 'Profile' ? 'profiles from Namespaces and ServiceAccounts' : 'workload endpoints from Pods'})`);
  } else {
    problems.add('kind', `unsupported kind ${JSON.stringify(kind)} of apiVersion ${JSON.stringify(apiVersion)}`);
  }
  if (!problems.empty || document === undefined) return { ok: false, errors: problems.messages };

  if (derivedFrom !== null) {
    const m = document.metadata as JsonMap;
    const id = `${typeof m.namespace === 'string' ? `${m.namespace}/` : ''}${String(m.name)}`;
    return { ok: false, derivedFrom, errors: [`metadata.name: ${kind} ${id} is Calico's view of ${derivedFrom}, which is published itself; not published`] };
  }

  // The loader has the last word: a document it would refuse is never published.
  const parsed = parseDocument(document, LOADER_ORIGIN);
  const loaderErrors = parsed.issues.filter((i) => i.severity === 'error').map((i) => `${i.path || '(document)'}: ${i.reason}`);
  if (loaderErrors.length > 0) return { ok: false, errors: loaderErrors };
  for (const w of parsed.issues) if (w.severity === 'warning') warnings.push(`${w.path || '(document)'}: ${w.reason}`);
  return { ok: true, document, warnings };
}
