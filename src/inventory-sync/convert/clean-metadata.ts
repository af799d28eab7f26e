/**
 * The identity part of an inventory document: name, namespace, generateName, uid,
 * creationTimestamp and labels. Everything else in `metadata` (resourceVersion, generation,
 * managedFields, ownerReferences, finalizers, annotations, deletionTimestamp) is dropped: the
 * loader reads none of it, and it changes on no-op updates, which would defeat the sync's
 * suppression of identical documents.
 */
import { fieldPath, setDefined, type FieldProblems, type JsonMap } from './field-problems.ts';

export type Scope = 'namespaced' | 'cluster';

/** What no object name of these kinds contains (a key segment separator, whitespace). */
const NAME_FORBIDDEN = /[/\s]/;
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Canonical metadata (fixed key order, labels sorted, no empty fields) from `meta`, which is at
 * `path` in the object. Problems are reported against `path`.
 */
export function cleanMetadata(meta: JsonMap, scope: Scope, problems: FieldProblems, path = 'metadata'): JsonMap {
  const out: JsonMap = {};
  const name = problems.string(meta, 'name', path, true);
  if (name !== undefined) {
    if (name.length > 253 || NAME_FORBIDDEN.test(name)) problems.add(fieldPath(path, 'name'), `invalid name ${JSON.stringify(name)}`);
    else out.name = name;
  }
  const namespace = problems.string(meta, 'namespace', path);
  if (scope === 'namespaced') {
    if (namespace === undefined || namespace === '') problems.add(fieldPath(path, 'namespace'), 'missing (the kind is namespaced)');
    else if (namespace.length > 63 || !NAMESPACE_NAME.test(namespace)) problems.add(fieldPath(path, 'namespace'), `invalid namespace ${JSON.stringify(namespace)}`);
    else out.namespace = namespace;
  } else if (namespace !== undefined && namespace !== '') {
    problems.add(fieldPath(path, 'namespace'), `must be empty: the kind is cluster-scoped, got ${JSON.stringify(namespace)}`);
  }
  const generateName = problems.string(meta, 'generateName', path);
  if (generateName !== undefined && generateName !== '') out.generateName = generateName;
  const uid = problems.string(meta, 'uid', path);
  if (uid !== undefined && uid !== '') out.uid = uid;
  const created = problems.string(meta, 'creationTimestamp', path);
  if (created !== undefined && created !== '') {
    if (Number.isNaN(Date.parse(created))) problems.add(fieldPath(path, 'creationTimestamp'), `invalid timestamp ${JSON.stringify(created)}`);
    else out.creationTimestamp = created;
  }
  const labels = problems.stringMap(meta, 'labels', path);
  if (labels !== undefined && Object.keys(labels).length > 0) setDefined(out, 'labels', labels);
  return out;
}

/** Labels with `key` set to `value` when missing (keys kept sorted). */
export function withDefaultLabel(labels: Record<string, string> | undefined, key: string, value: string): Record<string, string> {
  if (labels?.[key] !== undefined) return labels;
  const merged: Record<string, string> = { ...(labels ?? {}), [key]: value };
  return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k] as string]));
}
