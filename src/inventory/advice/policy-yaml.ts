/**
 * A fix's output: whole policy documents as apply-ready YAML (`calicoctl apply -f` for Calico
 * kinds, `kubectl apply -f` for Kubernetes ones), a unified diff against the document as it was,
 * and a staged variant for a trial (`StagedNetworkPolicy` & co.). Pure.
 */
import { stringify } from 'yaml';
import type { PolicyDocument } from './fix-planner.ts';

/** The document as YAML, keys in the order they were written. */
export function policyYaml(doc: PolicyDocument): string {
  return stringify(doc, { lineWidth: 0 });
}

const STAGED_KIND: Readonly<Record<string, string>> = {
  GlobalNetworkPolicy: 'StagedGlobalNetworkPolicy',
  NetworkPolicy: 'StagedNetworkPolicy',
};

/**
 * The document as a staged policy of the same name: Calico kinds become their Staged kinds,
 * a Kubernetes NetworkPolicy a `StagedKubernetesNetworkPolicy`; staged documents stay as they
 * are. The copy's order is just below the original's so that, in the pending verdict, it is
 * evaluated before the enforced original it copies (staged policies are evaluated beside enforced
 * ones, not instead of them; docs/policy-semantics.md §2.9) — the pending verdict then shows the
 * edited policy's effect.
 */
export function stagedVariant(doc: PolicyDocument): Record<string, unknown> {
  const out = structuredClone(doc) as Record<string, unknown>;
  const kind = String(out.kind);
  const apiVersion = String(out.apiVersion);
  if (kind.startsWith('Staged')) return out;
  if (apiVersion.startsWith('networking.k8s.io/')) {
    return { apiVersion: 'projectcalico.org/v3', kind: 'StagedKubernetesNetworkPolicy', metadata: out.metadata, spec: out.spec };
  }
  const staged = STAGED_KIND[kind];
  if (staged === undefined) return out;
  out.kind = staged;
  const spec = { ...((out.spec ?? {}) as Record<string, unknown>) };
  const order = typeof spec.order === 'number' ? spec.order : null;
  // Calico sorts a nil order last; 1e9 keeps the copy after every ordered policy but before it.
  spec.order = order === null ? 1e9 : order - 0.001;
  out.spec = spec;
  return out;
}

/** Line-based unified diff (`---`/`+++`, `@@` hunks with 3 lines of context); '' when equal. */
export function unifiedDiff(before: string, after: string, beforeName: string, afterName: string): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  // Longest common subsequence table: policies are short, O(n·m) is fine.
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  type Op = { t: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { ops.push({ t: ' ', line: a[i]!, ai: i, bi: j }); i++; j++; }
    else if (j < m && (i >= n || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) { ops.push({ t: '+', line: b[j]!, ai: i, bi: j }); j++; }
    else { ops.push({ t: '-', line: a[i]!, ai: i, bi: j }); i++; }
  }
  if (!ops.some((o) => o.t !== ' ')) return '';
  const CONTEXT = 3;
  const out = [`--- ${beforeName}`, `+++ ${afterName}`];
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k]!.t === ' ') k++;
    if (k >= ops.length) break;
    const start = Math.max(0, k - CONTEXT);
    let end = k;
    // Extend the hunk while changes are within 2·CONTEXT lines of each other.
    for (;;) {
      while (end < ops.length && ops[end]!.t !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.t === ' ') next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) { end = next; continue; }
      end = Math.min(ops.length, end + CONTEXT);
      break;
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk[0]!.ai;
    const bStart = hunk[0]!.bi;
    const aLen = hunk.filter((o) => o.t !== '+').length;
    const bLen = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${aLen === 0 ? aStart : aStart + 1},${aLen} +${bLen === 0 ? bStart : bStart + 1},${bLen} @@`);
    for (const o of hunk) out.push(`${o.t}${o.line}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}

/** Where a document is applied with: calicoctl for projectcalico.org kinds, else kubectl. */
export function applyTool(doc: PolicyDocument): 'calicoctl' | 'kubectl' {
  return String(doc.apiVersion).startsWith('projectcalico.org/') ? 'calicoctl' : 'kubectl';
}
