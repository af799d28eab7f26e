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
import { NO_MATCH, PolicyHitMemo, PROFILE_TIER, type HitAction, type PolicyHit } from './trace.ts';

/** How one side was decided. */
export type SideAction = 'allow' | 'deny' | 'end-of-tier-deny' | 'profile-allow' | 'profile-deny' | 'no-endpoint';

export type Scope = 'enforced' | 'pending';

export interface SideEvaluation {
  readonly action: SideAction;
  readonly hits: readonly PolicyHit[];
  /** The hits' string forms, in order. */
  readonly trace: readonly string[];
}

/** Collects a side's hits and their strings (both shared with every other verdict). */
class SideTrace {
  readonly hits: PolicyHit[] = [];
  readonly trace: string[] = [];

  add(memo: PolicyHitMemo, action: HitAction, ruleIndex: number, l7Unevaluated = false): void {
    const m = memo.hit(this.hits.length, action, ruleIndex, l7Unevaluated);
    this.hits.push(m.hit);
    this.trace.push(m.text);
  }

  done(action: SideAction): SideEvaluation {
    return { action, hits: this.hits, trace: this.trace };
  }
}

interface CompiledProfile {
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
  readonly hitMemo: PolicyHitMemo;
}

const compiledProfiles = new WeakMap<Profile, CompiledProfile>();

/** A profile's rules compiled, with its hits (memoised per profile object). */
function compiledProfile(p: Profile): CompiledProfile {
  let c = compiledProfiles.get(p);
  if (!c) {
    c = { ingress: p.ingress.map(compileRule), egress: p.egress.map(compileRule), hitMemo: new PolicyHitMemo(PROFILE_TIER, 'pro', null, p.name) };
    compiledProfiles.set(p, c);
  }
  return c;
}

/** "No profile matched": `pro:__NO_MATCH__|deny|0` enforced, `pro:__PROFILE__|deny|-1` pending. */
export const NO_PROFILE_MATCH_HITS = new PolicyHitMemo(PROFILE_TIER, 'pro', null, NO_MATCH);
export const PENDING_NO_PROFILE_MATCH_HITS = new PolicyHitMemo(PROFILE_TIER, 'pro', null, PROFILE_TIER);

export function evaluateSide(
  tiers: readonly TierPlan[], profiles: readonly Profile[], dir: Direction, scope: Scope,
  flow: FlowKey, src: AddressContext, dst: AddressContext,
): SideEvaluation {
  const out = new SideTrace();
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
        if (r.action === 'Allow') {
          out.add(p.hitMemo, 'allow', i, r.rule.hasHttp);
          return out.done('allow');
        }
        if (r.action === 'Deny') {
          out.add(p.hitMemo, 'deny', i);
          return out.done('deny');
        }
        out.add(p.hitMemo, 'pass', i);
        passed = true;
        break outer;
      }
    }
    if (passed) continue;
    const attributed = pending ? t.policies[0] : t.lastEnforced;
    if (!attributed) continue;
    if (t.tier.defaultAction === 'Pass') {
      out.add(attributed.hitMemo, 'pass', -1);
      continue;
    }
    out.add(attributed.hitMemo, 'deny', -1);
    return out.done('end-of-tier-deny');
  }
  for (const prof of profiles) {
    const c = compiledProfile(prof);
    const rules = dir === 'ingress' ? c.ingress : c.egress;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i] as CompiledRule;
      if (r.action === 'Log' || !ruleMatches(r, flow, src, dst)) continue;
      // A Pass (or Deny) rule in a profile denies (BPF program builder / user-space checker).
      const allow = r.action === 'Allow';
      out.add(c.hitMemo, allow ? 'allow' : 'deny', i, allow && r.rule.hasHttp);
      return out.done(allow ? 'profile-allow' : 'profile-deny');
    }
  }
  if (pending) out.add(PENDING_NO_PROFILE_MATCH_HITS, 'deny', -1);
  else out.add(NO_PROFILE_MATCH_HITS, 'deny', 0);
  return out.done('profile-deny');
}
