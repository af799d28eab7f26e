/**
 * The reference algorithm (calico-policy.md §2.10): one endpoint, one direction, one scope.
 * Tiers in order; within a tier policies in order and their rules in order; Allow/Deny end
 * everything, Pass leaves the tier, Log never decides; a tier with no decision applies its
 * default action attributed to the last enforced policy (enforced scope) or the first policy
 * (pending scope); then profiles; nothing matched → deny.
 */
import type { Direction, Profile } from '../model/resources.ts';
import type { TierPlan } from './policy-index.ts';
import { compileRule, ruleMatches, type AddressContext, type CompiledRule, type FlowKey } from './rule-match.ts';
import { NO_MATCH, PROFILE_TIER, type HitAction, type PolicyHit } from './trace.ts';

/** How one side was decided. */
export type SideAction = 'allow' | 'deny' | 'end-of-tier-deny' | 'profile-allow' | 'profile-deny' | 'no-endpoint';

export type Scope = 'enforced' | 'pending';

export interface SideEvaluation {
  readonly action: SideAction;
  readonly hits: readonly PolicyHit[];
}

function makeHit(
  hits: PolicyHit[], tier: string, kind: PolicyHit['kind'], namespace: string | null, name: string,
  action: HitAction, ruleIndex: number, endOfTier: boolean, l7Unevaluated = false,
): void {
  hits.push({ index: hits.length, tier, kind, namespace, name, action, ruleIndex, endOfTier, l7Unevaluated });
}

const compiledProfiles = new WeakMap<Profile, { ingress: readonly CompiledRule[]; egress: readonly CompiledRule[] }>();

/** Rules of a profile for a direction, compiled (memoised per profile object). */
function profileRules(p: Profile, dir: Direction): readonly CompiledRule[] {
  let c = compiledProfiles.get(p);
  if (!c) {
    c = { ingress: p.ingress.map(compileRule), egress: p.egress.map(compileRule) };
    compiledProfiles.set(p, c);
  }
  return dir === 'ingress' ? c.ingress : c.egress;
}

export function evaluateSide(
  tiers: readonly TierPlan[], profiles: readonly Profile[], dir: Direction, scope: Scope,
  flow: FlowKey, src: AddressContext, dst: AddressContext,
): SideEvaluation {
  const hits: PolicyHit[] = [];
  const pending = scope === 'pending';
  for (const t of tiers) {
    if (!pending && !t.hasEnforced) continue;
    let passed = false;
    outer: for (const p of t.policies) {
      if (!pending && p.staged) continue;
      const rules = dir === 'ingress' ? p.ingress : p.egress;
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i] as CompiledRule;
        if (r.action === 'Log' || !ruleMatches(r, flow, src, dst)) continue;
        const ns = p.policy.namespace;
        const l7 = r.rule.hasHttp;
        if (r.action === 'Allow') {
          makeHit(hits, t.tier.name, p.shortKind, ns, p.policy.name, 'allow', i, false, l7);
          return { action: 'allow', hits };
        }
        if (r.action === 'Deny') {
          makeHit(hits, t.tier.name, p.shortKind, ns, p.policy.name, 'deny', i, false);
          return { action: 'deny', hits };
        }
        makeHit(hits, t.tier.name, p.shortKind, ns, p.policy.name, 'pass', i, false);
        passed = true;
        break outer;
      }
    }
    if (passed) continue;
    const attributed = pending ? t.policies[0] : t.lastEnforced;
    if (!attributed) continue;
    const ns = attributed.policy.namespace;
    if (t.tier.defaultAction === 'Pass') {
      makeHit(hits, t.tier.name, attributed.shortKind, ns, attributed.policy.name, 'pass', -1, true);
      continue;
    }
    makeHit(hits, t.tier.name, attributed.shortKind, ns, attributed.policy.name, 'deny', -1, true);
    return { action: 'end-of-tier-deny', hits };
  }
  for (const prof of profiles) {
    const rules = profileRules(prof, dir);
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i] as CompiledRule;
      if (r.action === 'Log' || !ruleMatches(r, flow, src, dst)) continue;
      // A Pass (or Deny) rule in a profile denies (BPF program builder / user-space checker).
      const allow = r.action === 'Allow';
      makeHit(hits, PROFILE_TIER, 'pro', null, prof.name, allow ? 'allow' : 'deny', i, false, allow && r.rule.hasHttp);
      return { action: allow ? 'profile-allow' : 'profile-deny', hits };
    }
  }
  if (pending) makeHit(hits, PROFILE_TIER, 'pro', null, PROFILE_TIER, 'deny', -1, false);
  else makeHit(hits, PROFILE_TIER, 'pro', null, NO_MATCH, 'deny', 0, false);
  return { action: 'profile-deny', hits };
}
