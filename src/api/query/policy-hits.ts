/**
 * Per-policy and per-rule hit counts, joined with the policy index so rules that never matched
 * in the range show up with zero hits (Calico Enterprise's "unused rules"). Pure.
 */
import type { CompiledPolicy } from '../../inventory/index.ts';
import type { RuleHit } from './flow-stats.ts';

/** Hit count of one rule of one policy. */
export interface RuleHitCount {
  direction: 'egress' | 'ingress';
  /** Rule index; -1 is the tier's default action attributed to this policy (end of tier). */
  rule_index: number;
  action: string;
  hits: number;
}

/** One policy with its rules' hit counts. */
export interface PolicyHitSummary {
  kind: string;
  namespace: string | null;
  name: string;
  tier: string;
  /** False when the policy is in the traces but no longer in the policy index. */
  known: boolean;
  hits: number;
  rules: RuleHitCount[];
  /** Rules (by direction and index) with zero hits in the range. */
  never_matched: { direction: 'egress' | 'ingress'; rule_index: number }[];
}

const keyOf = (kind: string, namespace: string | null, name: string): string => `${kind}\0${namespace ?? ''}\0${name}`;

/**
 * Joins trace hits with the enforced policies of the index (staged policies never appear in
 * enforced traces, so they are left out). Policies are ordered by hits, then name.
 */
export function summarisePolicyHits(hits: readonly RuleHit[], policies: Iterable<CompiledPolicy>): PolicyHitSummary[] {
  const byPolicy = new Map<string, PolicyHitSummary>();
  for (const p of policies) {
    if (p.staged) continue;
    const pol = p.policy;
    const rules: RuleHitCount[] = [];
    for (const direction of ['egress', 'ingress'] as const) {
      pol[direction].forEach((rule, i) => rules.push({ direction, rule_index: i, action: rule.action.toLowerCase(), hits: 0 }));
    }
    byPolicy.set(keyOf(p.shortKind, pol.namespace, pol.name), { kind: p.shortKind, namespace: pol.namespace, name: pol.name, tier: pol.tier, known: true, hits: 0, rules, never_matched: [] });
  }
  for (const h of hits) {
    if (h.kind === 'pro') continue; // profiles are not policies
    const k = keyOf(h.kind, h.namespace, h.name);
    let summary = byPolicy.get(k);
    if (summary === undefined) {
      summary = { kind: h.kind, namespace: h.namespace, name: h.name, tier: h.tier, known: false, hits: 0, rules: [], never_matched: [] };
      byPolicy.set(k, summary);
    }
    summary.hits += h.hits;
    const rule = summary.rules.find((r) => r.direction === h.direction && r.rule_index === h.ruleIndex);
    if (rule) rule.hits += h.hits;
    else summary.rules.push({ direction: h.direction, rule_index: h.ruleIndex, action: h.action, hits: h.hits });
  }
  const out = [...byPolicy.values()];
  for (const s of out) {
    s.rules.sort((a, b) => (a.direction === b.direction ? a.rule_index - b.rule_index : a.direction < b.direction ? -1 : 1));
    s.never_matched = s.rules.filter((r) => r.hits === 0 && r.rule_index >= 0).map((r) => ({ direction: r.direction, rule_index: r.rule_index }));
  }
  return out.sort((a, b) => b.hits - a.hits || a.name.localeCompare(b.name));
}
