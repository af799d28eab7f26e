/**
 * YAML/JSON text → resources (pure; the file system side is in load-files.ts). Multi-document
 * YAML is split with the `yaml` package; each document is parsed independently so one bad
 * document never hides the others.
 */
import { parseAllDocuments } from 'yaml';
import type { Resource } from '../model/resources.ts';
import { makeIssue, type LoadIssue } from './errors.ts';
import { parseDocument } from './parse-resource.ts';

export interface LoadResult {
  readonly resources: Resource[];
  /** Errors (document skipped) and warnings (unknown kinds, skipped). */
  readonly issues: LoadIssue[];
}

/** Parses every document in `text`; `file` names the source in messages. */
export function loadResourceText(text: string, file: string): LoadResult {
  const resources: Resource[] = [];
  const issues: LoadIssue[] = [];
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const [i, doc] of list.entries()) {
    const document = i + 1;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = e.linePos?.[0];
        const where = pos ? ` (line ${pos.line}, column ${pos.col})` : '';
        const reason = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        issues.push(makeIssue('error', file, document, '', `YAML syntax error${where}: ${reason}`));
      }
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    const result = parseDocument(value, { file, document });
    resources.push(...result.resources);
    issues.push(...result.issues);
  }
  return { resources, issues };
}
