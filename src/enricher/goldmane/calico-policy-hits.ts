/**
 * Calico's policy hits as Goldmane reports them (`goldmane.PolicyHit`) in segflow's vocabulary:
 * the nested trace documents and the policy-hit strings `index|tier|kind:[ns/]name|action|rule`
 * segflow's own traces use, so the two can be compared as they stand.
 *
 * Kinds: Goldmane's enum → Calico's short kinds. An `EndOfTier` hit is a tier's default action:
 * it names the policy that selected the endpoint in its `trigger`, and becomes that policy with
 * rule index -1 (how segflow and Calico's policy strings write an end-of-tier hit).
 */
import type { PolicyHitDocument } from '../../contract/flow-fields.ts';
import { GoldmaneAction, GoldmanePolicyKind, type GoldmanePolicyHit } from '../../contract/goldmane/goldmane-flow.ts';

const SHORT_KIND = new Map<number, PolicyHitDocument['kind']>([
  [GoldmanePolicyKind.CalicoNetworkPolicy, 'np'],
  [GoldmanePolicyKind.GlobalNetworkPolicy, 'gnp'],
  [GoldmanePolicyKind.StagedNetworkPolicy, 'snp'],
  [GoldmanePolicyKind.StagedGlobalNetworkPolicy, 'sgnp'],
  [GoldmanePolicyKind.StagedKubernetesNetworkPolicy, 'sknp'],
  [GoldmanePolicyKind.NetworkPolicy, 'knp'],
  // Kubernetes ClusterNetworkPolicy in its admin and baseline tiers (the tier tells them apart).
  [GoldmanePolicyKind.ClusterNetworkPolicyAdminTier, 'kcnp'],
  [GoldmanePolicyKind.ClusterNetworkPolicyBaselineTier, 'kcnp'],
  [GoldmanePolicyKind.Profile, 'pro'],
]);

const ACTION = new Map<number, PolicyHitDocument['action']>([[GoldmaneAction.Allow, 'allow'], [GoldmaneAction.Deny, 'deny'], [GoldmaneAction.Pass, 'pass']]);

/** `allow`/`deny`/`pass` of a Goldmane action number; undefined for unspecified or unknown. */
export function calicoAction(action: number): PolicyHitDocument['action'] | undefined {
  return ACTION.get(action);
}

/** Every problem of a trace's hits (unknown kinds and actions), with `field` paths. */
export function checkCalicoHits(hits: readonly GoldmanePolicyHit[], field: string): string[] {
  const problems: string[] = [];
  hits.forEach((h, i) => {
    const kindOf = h.kind === GoldmanePolicyKind.EndOfTier ? h.trigger?.kind : h.kind;
    if (kindOf === undefined) problems.push(`${field}[${i}].trigger: an EndOfTier hit must name its trigger policy`);
    else if (!SHORT_KIND.has(kindOf)) problems.push(`${field}[${i}].kind: ${kindOf} is not a policy kind segflow knows`);
    if (!ACTION.has(h.action)) problems.push(`${field}[${i}].action: ${h.action} is not allow, deny or pass`);
    if (!h.tier) problems.push(`${field}[${i}].tier: is empty`);
  });
  return problems;
}

/** One hit as a trace document; call only on hits checkCalicoHits accepted. */
export function calicoHitDocument(h: GoldmanePolicyHit, position: number): PolicyHitDocument {
  const endOfTier = h.kind === GoldmanePolicyKind.EndOfTier;
  const policy = endOfTier && h.trigger ? h.trigger : h;
  const kind = SHORT_KIND.get(policy.kind) ?? 'pro';
  const name = policy.name || h.name;
  const namespace = policy.namespace || h.namespace;
  return {
    policy_index: h.policyIndex >= 0 ? h.policyIndex : position, tier: h.tier, kind, name, action: ACTION.get(h.action) ?? 'deny',
    rule_index: endOfTier ? -1 : h.ruleIndex,
    ...(namespace ? { namespace } : {}),
    ...(endOfTier ? { trigger: `${kind}:${namespace ? `${namespace}/` : ''}${name}` } : {}),
  };
}

/** The policy-hit string of a trace document (segflow's and Calico's 3.32 form). */
export function hitDocumentString(h: PolicyHitDocument): string {
  return `${h.policy_index}|${h.tier}|${h.kind}:${h.namespace ? `${h.namespace}/` : ''}${h.name}|${h.action}|${h.rule_index}`;
}
