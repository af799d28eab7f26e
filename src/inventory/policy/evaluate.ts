/**
 * The evaluation order segflow implements (docs/policy-semantics.md §2.10, "Reference algorithm"): one endpoint, one direction, one scope.
 * Tiers in order; within a tier policies in order and their rules in order; Allow/Deny end
 * everything, Pass leaves the tier, Log never decides; a tier with no decision applies its
 * default action attributed to the last enforced policy (enforced scope) or the first policy
 * (pending scope); then profiles; nothing matched → deny.
 */
import type { Direction, FailsafePort, Profile } from '../model/resources.ts';
import type { TierPlan } from './policy-index.ts';
import { failsafeMatches } from './host-topology.ts';
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
  /** Conversion notes of the policies hit (see Policy.notes); undefined when none. */
  readonly notes: readonly string[] | undefined;
}

/** Collects a side's hits and their strings (both shared with every other verdict). */
class SideTrace {
  readonly hits: PolicyHit[] = [];
  readonly trace: string[] = [];
  private notes: string[] | null = null;

  add(memo: PolicyHitMemo, action: HitAction, ruleIndex: number, l7Unevaluated = false): void {
    const m = memo.hit(this.hits.length, action, ruleIndex, l7Unevaluated);
    this.hits.push(m.hit);
    this.trace.push(m.text);
    if (memo.notes.length > 0) {
      this.notes ??= [];
      for (const n of memo.notes) if (!this.notes.includes(n)) this.notes.push(n);
    }
  }

  done(action: SideAction): SideEvaluation {
    return { action, hits: this.hits, trace: this.trace, notes: this.notes ?? undefined };
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

/** What a run of tiers decided: a rule's or the end of a tier's action, or nothing (passed through). */
type TierOutcome = 'allow' | 'deny' | 'end-of-tier-deny' | null;

/**
 * Tiers in order (docs/policy-semantics.md §2.10). With `passDefault` every tier behaves as
 * defaultAction Pass and adds no end-of-tier hit: the untracked and pre-DNAT stages, whose tiers
 * Felix renders with Pass and without NFLOG (event_sequencer.go tierInfoToProtoTierInfo).
 */
function evaluateTiers(
  out: SideTrace, tiers: readonly TierPlan[], dir: Direction, pending: boolean, passDefault: boolean,
  flow: FlowKey, src: AddressContext, dst: AddressContext,
): TierOutcome {
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
          return 'allow';
        }
        if (r.action === 'Deny') {
          out.add(p.hitMemo, 'deny', i);
          return 'deny';
        }
        out.add(p.hitMemo, 'pass', i);
        passed = true;
        break outer;
      }
    }
    if (passed || passDefault) continue;
    const attributed = pending ? t.policies[0] : t.lastEnforced;
    if (!attributed) continue;
    if (t.tier.defaultAction === 'Pass') {
      out.add(attributed.hitMemo, 'pass', -1);
      continue;
    }
    out.add(attributed.hitMemo, 'deny', -1);
    return 'end-of-tier-deny';
  }
  return null;
}

/** Profiles in order, then "no profile matched". */
function evaluateProfiles(
  out: SideTrace, profiles: readonly Profile[], dir: Direction, pending: boolean, flow: FlowKey, src: AddressContext, dst: AddressContext,
): SideAction {
  for (const prof of profiles) {
    const c = compiledProfile(prof);
    const rules = dir === 'ingress' ? c.ingress : c.egress;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i] as CompiledRule;
      if (r.action === 'Log' || !ruleMatches(r, flow, src, dst)) continue;
      // A Pass (or Deny) rule in a profile denies (BPF program builder / user-space checker).
      const allow = r.action === 'Allow';
      out.add(c.hitMemo, allow ? 'allow' : 'deny', i, allow && r.rule.hasHttp);
      return allow ? 'profile-allow' : 'profile-deny';
    }
  }
  if (pending) out.add(PENDING_NO_PROFILE_MATCH_HITS, 'deny', -1);
  else out.add(NO_PROFILE_MATCH_HITS, 'deny', 0);
  return 'profile-deny';
}

export function evaluateSide(
  tiers: readonly TierPlan[], profiles: readonly Profile[], dir: Direction, scope: Scope,
  flow: FlowKey, src: AddressContext, dst: AddressContext,
): SideEvaluation {
  const out = new SideTrace();
  const pending = scope === 'pending';
  const decided = evaluateTiers(out, tiers, dir, pending, false, flow, src, dst);
  return out.done(decided ?? evaluateProfiles(out, profiles, dir, pending, flow, src, dst));
}

// ---------------------------------------------------------------------------------------------
// The host endpoint packet path (docs/calico-semantics.md §2)

/**
 * One policy stage a packet meets on its way: a host endpoint's untracked (raw table), pre-DNAT
 * (mangle), normal (filter INPUT/OUTPUT) or forward (filter FORWARD, applyOnForward) policies,
 * or a workload endpoint's policies.
 */
export type StageKind = 'untracked' | 'pre-dnat' | 'host' | 'forward' | 'workload';

export interface Stage {
  readonly kind: StageKind;
  readonly dir: Direction;
  /** Key of the endpoint whose policies run (a HostEndpoint or a workload). */
  readonly endpoint: string;
  readonly tiers: readonly TierPlan[];
  /** Profiles (normal host stage and workloads only). */
  readonly profiles: readonly Profile[];
  /** Failsafe entries checked first (untracked, pre-DNAT and normal host stages; null = none). */
  readonly failsafes: readonly FailsafePort[] | null;
}

/** How one stage went: decided (allow/deny), let the packet on (continue), or was not run. */
export type StageOutcome = 'allow' | 'deny' | 'continue' | 'failsafe' | 'skipped';

export interface StageResult {
  readonly stage: StageKind;
  readonly direction: Direction;
  readonly endpoint: string;
  readonly outcome: StageOutcome;
  /** The stage's hits are trace[from, to). */
  readonly from: number;
  readonly to: number;
}

export interface StagedEvaluation extends SideEvaluation {
  readonly stages: readonly StageResult[];
  /** The stage that decided the side (failsafe counts as its own stage), null when none ran. */
  readonly decidedStage: StageKind | 'failsafe' | null;
}

/**
 * Runs a side's stages in packet order. An untracked allow skips the pre-DNAT, normal host and
 * incoming forward stages (the raw table accepted it, later chains accept marked packets); a
 * pre-DNAT allow skips the normal host and incoming forward stages; a failsafe port skips the
 * untracked and pre-DNAT stages and allows at the normal host stage (felix/rules/static.go,
 * endpoints.go). Forward stages have no profiles and allow when no policy decides.
 */
export function evaluateStages(
  stages: readonly Stage[], scope: Scope, flow: FlowKey, src: AddressContext, dst: AddressContext,
): StagedEvaluation {
  const out = new SideTrace();
  const pending = scope === 'pending';
  const results: StageResult[] = [];
  let acceptedEarly: 'untracked' | 'pre-dnat' | null = null;
  let action: SideAction = 'allow';
  let decidedStage: StagedEvaluation['decidedStage'] = null;
  const record = (st: Stage, outcome: StageOutcome, from: number): void => {
    results.push({ stage: st.kind, direction: st.dir, endpoint: st.endpoint, outcome, from, to: out.hits.length });
  };
  for (const st of stages) {
    const from = out.hits.length;
    const skip = acceptedEarly !== null && (st.kind === 'pre-dnat' || st.kind === 'host' || (st.kind === 'forward' && st.dir === 'ingress'));
    if (skip) {
      record(st, 'skipped', from);
      continue;
    }
    const failsafe = st.failsafes !== null && failsafeMatches(st.failsafes, flow.protocol, flow.dstPort, st.dir === 'ingress' ? src.addr : dst.addr);
    switch (st.kind) {
      case 'untracked': case 'pre-dnat': {
        if (failsafe) {
          record(st, 'failsafe', from);
          continue;
        }
        const r = evaluateTiers(out, st.tiers, st.dir, pending, true, flow, src, dst);
        if (r === 'allow') {
          acceptedEarly = st.kind;
          action = 'allow';
          decidedStage = st.kind;
          record(st, 'allow', from);
          continue;
        }
        if (r !== null) {
          record(st, 'deny', from);
          return { ...out.done('deny'), stages: results, decidedStage: st.kind };
        }
        record(st, 'continue', from);
        continue;
      }
      case 'host': {
        if (failsafe) {
          record(st, 'failsafe', from);
          return { ...out.done('allow'), stages: results, decidedStage: 'failsafe' };
        }
        const r = evaluateTiers(out, st.tiers, st.dir, pending, false, flow, src, dst) ?? evaluateProfiles(out, st.profiles, st.dir, pending, flow, src, dst);
        const allowed = r === 'allow' || r === 'profile-allow';
        record(st, allowed ? 'allow' : 'deny', from);
        if (!allowed) return { ...out.done(r), stages: results, decidedStage: 'host' };
        action = r;
        decidedStage = 'host';
        continue;
      }
      case 'forward': {
        const r = evaluateTiers(out, st.tiers, st.dir, pending, false, flow, src, dst);
        if (r === 'deny' || r === 'end-of-tier-deny') {
          record(st, 'deny', from);
          return { ...out.done(r), stages: results, decidedStage: 'forward' };
        }
        // No applyOnForward policy for this endpoint and direction, or none decided: forwarded
        // traffic goes on (endpoints.go: "Allow forwarded traffic by default").
        // An allow here is the side's last word (its hit ends the trace); passing through is not.
        if (r === 'allow') {
          decidedStage = 'forward';
          action = 'allow';
        }
        record(st, r === 'allow' ? 'allow' : 'continue', from);
        continue;
      }
      case 'workload': {
        const r = evaluateTiers(out, st.tiers, st.dir, pending, false, flow, src, dst) ?? evaluateProfiles(out, st.profiles, st.dir, pending, flow, src, dst);
        const allowed = r === 'allow' || r === 'profile-allow';
        record(st, allowed ? 'allow' : 'deny', from);
        if (!allowed) return { ...out.done(r), stages: results, decidedStage: 'workload' };
        action = r;
        decidedStage = 'workload';
        continue;
      }
    }
  }
  return { ...out.done(action), stages: results, decidedStage };
}
