/**
 * Resource files → the documents the inventory topic carries. The topic holds each resource as
 * the user wrote it (JSON of the YAML document), keyed by `kind/namespace/name`, so a newer
 * enricher re-parses it with its own loader rather than trusting an old in-memory model.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { makeIssue, type LoadIssue } from '../loader/errors.ts';
import { parseDocument } from '../loader/parse-resource.ts';
import { documentResourceKey } from '../inventory.ts';
import type { Resource } from '../model/resources.ts';

/** One resource document ready to publish. */
export interface ResourceDocument {
  /** Topic key (see {@link documentKey}), e.g. `NetworkPolicy/shop/default.frontend`. */
  readonly key: string;
  /** The document as the user wrote it (a single resource, never a List). */
  readonly document: Record<string, unknown>;
  /** Where it came from, for messages. */
  readonly origin: string;
  /** What the loader made of it (validation; also what an applier would index). */
  readonly resources: Resource[];
}

const EXTENSIONS = /\.(ya?ml|json)$/i;

async function resourceFiles(p: string): Promise<string[]> {
  if (!(await stat(p)).isDirectory()) return [p];
  const out: string[] = [];
  for (const entry of (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(p, entry.name);
    if (entry.isDirectory()) out.push(...(await resourceFiles(full)));
    else if (EXTENSIONS.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * The topic key of a raw document: `<kind>/<namespace or empty>/<name>`, with segflow's internal
 * kind so that a Kubernetes NetworkPolicy (`KubernetesNetworkPolicy/...`) and a Calico one
 * (`NetworkPolicy/...`) of the same name never share a key. Namespaced kinds without a namespace
 * belong to `default`, as `kubectl apply` treats them.
 */
export function documentKey(document: Record<string, unknown>): string | null {
  const metadata = (document.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return documentResourceKey(String(document.apiVersion), String(document.kind), typeof metadata.namespace === 'string' ? metadata.namespace : undefined, String(metadata.name));
}

/** Splits YAML text into single-resource documents (Lists expanded), validating each. */
export function resourceDocumentsFromText(text: string, file: string): { documents: ResourceDocument[]; issues: LoadIssue[] } {
  const documents: ResourceDocument[] = [];
  const issues: LoadIssue[] = [];
  for (const [i, doc] of parseAllDocuments(text, { uniqueKeys: true }).entries()) {
    const number = i + 1;
    if (doc.errors.length > 0) {
      // The first syntax error is the useful one; the parser's follow-on errors repeat it.
      const e = doc.errors[0]!;
      const pos = e.linePos?.[0];
      issues.push(makeIssue('error', file, number, '', `YAML syntax error${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}: ${e.message.split('\n')[0]}`));
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    const isList = typeof value === 'object' && !Array.isArray(value) && String((value as { kind?: unknown }).kind ?? '').endsWith('List') && Array.isArray((value as { items?: unknown }).items);
    const items: unknown[] = isList ? ((value as { items: unknown[] }).items) : [value];
    for (const [j, item] of items.entries()) {
      const origin = { file, document: number };
      const parsed = parseDocument(item, origin, isList ? `items[${j}]` : '');
      issues.push(...parsed.issues);
      if (parsed.issues.some((x) => x.severity === 'error') || parsed.resources.length === 0) continue;
      const document = item as Record<string, unknown>;
      const key = documentKey(document);
      if (key === null) continue;
      documents.push({ key, document, origin: `${file}: document ${number}${isList ? `: items[${j}]` : ''}`, resources: parsed.resources });
    }
  }
  return { documents, issues };
}

/** Reads files and directories (recursively, `.yaml`/`.yml`/`.json`) into resource documents. */
export async function readResourceDocuments(paths: readonly string[]): Promise<{ documents: ResourceDocument[]; issues: LoadIssue[] }> {
  const documents: ResourceDocument[] = [];
  const issues: LoadIssue[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = await resourceFiles(p);
    } catch (err) {
      issues.push(makeIssue('error', p, 0, '', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
      continue;
    }
    for (const file of files) {
      const result = resourceDocumentsFromText(await readFile(file, 'utf8'), file);
      documents.push(...result.documents);
      issues.push(...result.issues);
    }
  }
  return { documents, issues };
}
