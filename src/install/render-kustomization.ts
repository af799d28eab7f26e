/**
 * Renders a kustomization the way `kubectl kustomize DIR` does, for the subset of kustomize
 * that segflow's manifests (deploy/kustomize/) use: `resources` (files and nested
 * kustomizations), `namespace`, `labels` (pairs, includeTemplates), `images`, and `patches`
 * holding JSON 6902 operations with a `target` (kind, name, namespace). Anything else is an
 * error naming the file and the field — never silently ignored — so a manifest that uses more
 * of kustomize than this renders fails here instead of being deployed half-transformed.
 *
 * Why a renderer of our own: the tests render the manifests and send them to a real
 * kube-apiserver on machines that have no kustomize binary; the test also compares this
 * output with `kubectl kustomize` where kubectl is installed.
 *
 * YAML is read as YAML 1.1, like Kubernetes' own reader: `defaultMode: 0440` is octal.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { applyJsonPatch, type JsonPatchOperation } from './json-patch.ts';
import { addObjectLabels, setImages, setNamespace, sortLegacy, type ImageOverride, type KubeObject } from './kustomize-transforms.ts';

/** Every problem found while rendering, each naming its file (and field). */
export class KustomizationError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`kustomization: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    this.name = 'KustomizationError';
    this.problems = problems;
  }
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED_FIELDS = ['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches'];

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function readYamlDocuments(file: string, problems: string[]): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    problems.push(`${file}: cannot read: ${(err as Error).message}`);
    return [];
  }
  const out: unknown[] = [];
  for (const [i, doc] of parseAllDocuments(text, { version: '1.1' }).entries()) {
    if (doc.errors.length > 0) {
      problems.push(...doc.errors.map((e) => `${file}: document ${i + 1}: ${e.message}`));
      continue;
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

async function findKustomizationFile(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    try {
      if ((await stat(path.join(dir, name))).isFile()) return path.join(dir, name);
    } catch {
      // try the next name
    }
  }
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readImages(value: unknown, where: string, problems: string[]): ImageOverride[] {
  if (!Array.isArray(value)) {
    problems.push(`${where}: expected a list`);
    return [];
  }
  const out: ImageOverride[] = [];
  for (const [i, entry] of value.entries()) {
    const at = `${where}[${i}]`;
    if (!isRecord(entry) || typeof entry.name !== 'string') {
      problems.push(`${at}: expected {name, newName?, newTag?, digest?}`);
      continue;
    }
    const unknown = Object.keys(entry).filter((k) => !['name', 'newName', 'newTag', 'digest'].includes(k));
    if (unknown.length > 0) problems.push(`${at}: field(s) ${unknown.join(', ')} not supported (name, newName, newTag, digest)`);
    const text = (k: string): string | undefined => (entry[k] === undefined ? undefined : String(entry[k]));
    out.push({ name: entry.name, ...(text('newName') ? { newName: text('newName') } : {}), ...(text('newTag') ? { newTag: text('newTag') } : {}), ...(text('digest') ? { digest: text('digest') } : {}) });
  }
  return out;
}

interface LabelSet { pairs: Record<string, string>; includeTemplates: boolean }

function readLabels(value: unknown, where: string, problems: string[]): LabelSet[] {
  if (!Array.isArray(value)) {
    problems.push(`${where}: expected a list of {pairs, includeTemplates?}`);
    return [];
  }
  const out: LabelSet[] = [];
  for (const [i, entry] of value.entries()) {
    const at = `${where}[${i}]`;
    if (!isRecord(entry) || !isRecord(entry.pairs)) {
      problems.push(`${at}: expected {pairs: {key: value}}`);
      continue;
    }
    if (entry.includeSelectors === true) problems.push(`${at}.includeSelectors: true is not supported (selectors are immutable after the first apply; keep labels out of them)`);
    const unknown = Object.keys(entry).filter((k) => !['pairs', 'includeTemplates', 'includeSelectors'].includes(k));
    if (unknown.length > 0) problems.push(`${at}: field(s) ${unknown.join(', ')} not supported (pairs, includeTemplates, includeSelectors: false)`);
    out.push({ pairs: Object.fromEntries(Object.entries(entry.pairs).map(([k, v]) => [k, String(v)])), includeTemplates: entry.includeTemplates === true });
  }
  return out;
}

interface PatchSpec { operations: JsonPatchOperation[]; target: { kind?: string; name?: string; namespace?: string }; where: string }

async function readPatches(value: unknown, dir: string, where: string, problems: string[]): Promise<PatchSpec[]> {
  if (!Array.isArray(value)) {
    problems.push(`${where}: expected a list`);
    return [];
  }
  const out: PatchSpec[] = [];
  for (const [i, entry] of value.entries()) {
    const at = `${where}[${i}]`;
    if (!isRecord(entry)) {
      problems.push(`${at}: expected {path|patch, target}`);
      continue;
    }
    const unknown = Object.keys(entry).filter((k) => !['path', 'patch', 'target'].includes(k));
    if (unknown.length > 0) problems.push(`${at}: field(s) ${unknown.join(', ')} not supported (path, patch, target)`);
    if (!isRecord(entry.target)) {
      problems.push(`${at}.target: required (kind and name of the object to patch)`);
      continue;
    }
    const targetUnknown = Object.keys(entry.target).filter((k) => !['kind', 'name', 'namespace'].includes(k));
    if (targetUnknown.length > 0) problems.push(`${at}.target: field(s) ${targetUnknown.join(', ')} not supported (kind, name, namespace)`);
    let body: unknown;
    let source = at;
    if (typeof entry.path === 'string') {
      source = path.join(dir, entry.path);
      const docs = await readYamlDocuments(source, problems);
      body = docs.length === 1 ? docs[0] : undefined;
      if (docs.length !== 1) problems.push(`${source}: expected one YAML document (a list of JSON 6902 operations), found ${docs.length}`);
    } else if (typeof entry.patch === 'string') {
      const docs = parseAllDocuments(entry.patch, { version: '1.1' });
      body = docs[0]?.toJS();
    } else {
      problems.push(`${at}: needs path or patch`);
      continue;
    }
    if (!Array.isArray(body) || !body.every((op) => isRecord(op) && typeof op.op === 'string' && typeof op.path === 'string')) {
      problems.push(`${source}: only JSON 6902 patches (a list of {op, path, value}) are supported, not strategic merge patches`);
      continue;
    }
    const target = entry.target;
    out.push({
      operations: body as unknown as JsonPatchOperation[],
      target: {
        ...(typeof target.kind === 'string' ? { kind: target.kind } : {}),
        ...(typeof target.name === 'string' ? { name: target.name } : {}),
        ...(typeof target.namespace === 'string' ? { namespace: target.namespace } : {}),
      },
      where: source,
    });
  }
  return out;
}

function matches(obj: KubeObject, target: PatchSpec['target']): boolean {
  const m = obj.metadata ?? {};
  return (target.kind === undefined || obj.kind === target.kind)
    && (target.name === undefined || m.name === target.name)
    && (target.namespace === undefined || m.namespace === target.namespace);
}

async function renderDirectory(dir: string, problems: string[], seen: Set<string>): Promise<KubeObject[]> {
  const file = await findKustomizationFile(dir);
  if (!file) {
    problems.push(`${dir}: no kustomization.yaml`);
    return [];
  }
  if (seen.has(file)) {
    problems.push(`${file}: included twice (a cycle, or the same base from two places)`);
    return [];
  }
  seen.add(file);
  const [doc, ...extra] = await readYamlDocuments(file, problems);
  if (extra.length > 0) problems.push(`${file}: expected one YAML document`);
  if (!isRecord(doc)) {
    problems.push(`${file}: expected a mapping`);
    return [];
  }
  if (doc.apiVersion !== undefined && doc.apiVersion !== 'kustomize.config.k8s.io/v1beta1') problems.push(`${file}: apiVersion: expected kustomize.config.k8s.io/v1beta1, got ${JSON.stringify(doc.apiVersion)}`);
  if (doc.kind !== undefined && doc.kind !== 'Kustomization') problems.push(`${file}: kind: expected Kustomization, got ${JSON.stringify(doc.kind)}`);
  for (const key of Object.keys(doc)) {
    if (!SUPPORTED_FIELDS.includes(key)) problems.push(`${file}: ${key}: not supported by this renderer (supported: ${SUPPORTED_FIELDS.join(', ')})`);
  }

  const objects: KubeObject[] = [];
  const resources = doc.resources ?? [];
  if (!Array.isArray(resources)) problems.push(`${file}: resources: expected a list`);
  else {
    for (const [i, entry] of resources.entries()) {
      if (typeof entry !== 'string') {
        problems.push(`${file}: resources[${i}]: expected a path`);
        continue;
      }
      if (/^[a-z]+:\/\//i.test(entry) || entry.startsWith('github.com/')) {
        problems.push(`${file}: resources[${i}]: remote resource ${entry} not supported`);
        continue;
      }
      const target = path.join(dir, entry);
      if (await isDirectory(target)) objects.push(...(await renderDirectory(target, problems, seen)));
      else {
        for (const [j, value] of (await readYamlDocuments(target, problems)).entries()) {
          if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !isRecord(value.metadata) || typeof value.metadata.name !== 'string') {
            problems.push(`${target}: document ${j + 1}: not a Kubernetes object (apiVersion, kind, metadata.name)`);
            continue;
          }
          objects.push(value as KubeObject);
        }
      }
    }
  }

  // kustomize's order within one kustomization: patches, namespace, labels, images.
  if (doc.patches !== undefined) {
    for (const patch of await readPatches(doc.patches, dir, `${file}: patches`, problems)) {
      const hits = objects.filter((o) => matches(o, patch.target));
      if (hits.length === 0) problems.push(`${patch.where}: target ${JSON.stringify(patch.target)} matches no resource`);
      for (const hit of hits) {
        try {
          const patched = applyJsonPatch(hit, patch.operations);
          objects[objects.indexOf(hit)] = patched;
        } catch (err) {
          problems.push(`${patch.where}: ${String(hit.kind)} ${String(hit.metadata?.name)}: ${(err as Error).message}`);
        }
      }
    }
  }
  if (doc.namespace !== undefined) {
    if (typeof doc.namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(doc.namespace)) problems.push(`${file}: namespace: ${JSON.stringify(doc.namespace)} is not a namespace name`);
    else setNamespace(objects, doc.namespace);
  }
  if (doc.labels !== undefined) {
    for (const set of readLabels(doc.labels, `${file}: labels`, problems)) addObjectLabels(objects, set.pairs, set.includeTemplates);
  }
  if (doc.images !== undefined) setImages(objects, readImages(doc.images, `${file}: images`, problems));
  return objects;
}

/**
 * Renders the kustomization in `dir` (and the bases it names) into Kubernetes objects, in
 * kustomize's legacy order (Namespace first, ..., workloads).
 * @throws KustomizationError listing every problem found.
 */
export async function renderKustomization(dir: string): Promise<KubeObject[]> {
  const problems: string[] = [];
  const objects = await renderDirectory(path.resolve(dir), problems, new Set());
  const ids = new Map<string, number>();
  for (const obj of objects) {
    const id = `${String(obj.kind)} ${String(obj.metadata?.namespace ?? '')}/${String(obj.metadata?.name)}`;
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  for (const [id, count] of ids) if (count > 1) problems.push(`${id}: defined ${count} times`);
  if (problems.length > 0) throw new KustomizationError(problems);
  return sortLegacy(objects);
}
