/**
 * A fix plan as the user gets it: per policy touched, the whole document as apply-ready YAML
 * with a diff against what it was, and (for a staged trial) the staged variant with the pending
 * verdict it gives the target flow. Pure.
 */
import { Inventory } from '../inventory.ts';
import { parseDocument } from '../loader/parse-resource.ts';
import { keyOf, type Resource } from '../model/resources.ts';
import type { FlowInput, Verdict } from '../policy/verdict-engine.ts';
import type { FixPlan, PolicyChange } from './fix-planner.ts';
import { applyTool, policyYaml, stagedVariant, unifiedDiff } from './policy-yaml.ts';

export interface RenderedChange {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly tier: string;
  readonly created: boolean;
  /** `calicoctl apply -f` or `kubectl apply -f`. */
  readonly apply_with: 'calicoctl' | 'kubectl';
  readonly yaml: string;
  readonly diff: string;
  /** The staged variant (when asked for). */
  readonly staged_yaml?: string;
}

function fileName(c: PolicyChange): string {
  return `${c.policy.kind}/${c.policy.namespace ? `${c.policy.namespace}/` : ''}${c.policy.name}.yaml`;
}

/** The plan's changes rendered; `staged` adds each one's staged variant. */
export function renderChanges(plan: FixPlan, staged: boolean): RenderedChange[] {
  return plan.changes.map((c) => {
    const yaml = policyYaml(c.after);
    const before = c.before === null ? '' : policyYaml(c.before);
    return {
      kind: c.policy.kind, namespace: c.policy.namespace, name: c.policy.name, tier: c.policy.tier,
      created: c.before === null, apply_with: applyTool(c.after), yaml,
      diff: unifiedDiff(before, yaml, c.before === null ? '/dev/null' : `a/${fileName(c)}`, `b/${fileName(c)}`),
      ...(staged ? { staged_yaml: policyYaml(stagedVariant(c.after)) } : {}),
    };
  });
}

/** Every document of the plan, as one multi-document YAML stream (enforced, or staged variants). */
export function planYaml(plan: FixPlan, staged: boolean): string {
  return plan.changes.map((c) => policyYaml(staged ? stagedVariant(c.after) : c.after)).join('---\n');
}

/**
 * The target flow's verdict with the staged variants added beside the current resources: its
 * pending side shows what the staged trial would report, the enforced side must be unchanged.
 */
export function stagedTrialVerdict(resources: readonly Resource[], plan: FixPlan, flow: FlowInput): Verdict {
  const staged: Resource[] = [];
  for (const c of plan.changes) {
    staged.push(...parseDocument(stagedVariant(c.after), { file: 'staged-trial', document: 1 }).resources);
  }
  const replaced = new Set(staged.map(keyOf));
  return Inventory.fromResources([...resources.filter((r) => !replaced.has(keyOf(r))), ...staged]).explain(flow);
}
