/**
 * Policy hits and their Calico ≥ 3.32 string form
 * `<index>|<tier>|<kind>:[<namespace>/]<name>|<action>|<rule index>` (docs/policy-semantics.md §3.2).
 */
import type { PolicyShortKind } from '../model/resources.ts';

export type HitAction = 'allow' | 'deny' | 'pass';
export type HitKind = PolicyShortKind | 'pro';

/** The tier name Calico uses for profile hits. */
export const PROFILE_TIER = '__PROFILE__';
/** Name used for the enforced "no profile matched" hit (`pro:__NO_MATCH__|deny|0`). */
export const NO_MATCH = '__NO_MATCH__';

export interface PolicyHit {
  /** Position in its trace (enforced and pending traces count separately). */
  readonly index: number;
  readonly tier: string;
  readonly kind: HitKind;
  readonly namespace: string | null;
  readonly name: string;
  readonly action: HitAction;
  /** Rule index; -1 = end-of-tier (or pending no-profile-match). */
  readonly ruleIndex: number;
  /** This hit is a tier's default action, attributed to `name`. */
  readonly endOfTier: boolean;
  /** The matched rule has L7 (http) criteria that were not evaluated. */
  readonly l7Unevaluated: boolean;
}

export function hitString(h: PolicyHit): string {
  return `${h.index}|${h.tier}|${h.kind}:${h.namespace ? `${h.namespace}/` : ''}${h.name}|${h.action}|${h.ruleIndex}`;
}

const HIT_KINDS: ReadonlySet<string> = new Set<HitKind>(['gnp', 'np', 'knp', 'sgnp', 'snp', 'sknp', 'kanp', 'kbanp', 'kcnp', 'pro']);

/** Parses a 3.32+ hit string back into its parts; null when malformed. */
export function parseHitString(s: string): Omit<PolicyHit, 'endOfTier' | 'l7Unevaluated'> | null {
  const parts = s.split('|');
  if (parts.length !== 5) return null;
  const [idx, tier, id, action, rule] = parts as [string, string, string, string, string];
  if (!/^[0-9]+$/.test(idx) || !/^-?[0-9]+$/.test(rule) || tier === '') return null;
  if (action !== 'allow' && action !== 'deny' && action !== 'pass') return null;
  const colon = id.indexOf(':');
  if (colon < 0) return null;
  const kind = id.slice(0, colon) as HitKind;
  if (!HIT_KINDS.has(kind)) return null;
  const rest = id.slice(colon + 1);
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : null;
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  if (name === '') return null;
  return { index: Number(idx), tier, kind, namespace, name, action, ruleIndex: Number(rule) };
}

const ACTION_CODE: Readonly<Record<HitAction, number>> = { allow: 0, deny: 1, pass: 2 };

/**
 * The hits one policy (or profile) can produce, each made once with its string form: verdicts
 * share them, so the uncached path neither allocates hits nor formats trace strings. A hit is
 * fixed by its trace position, rule index and action (the action covers end-of-tier hits, whose
 * action follows the tier's default); everything else belongs to the policy.
 */
export class PolicyHitMemo {
  private readonly byKey = new Map<number, { hit: PolicyHit; text: string }>();

  constructor(
    private readonly tier: string,
    private readonly kind: HitKind,
    private readonly namespace: string | null,
    private readonly name: string,
    /** The policy's conversion notes: a verdict this policy takes part in repeats them. */
    readonly notes: readonly string[] = [],
  ) {}

  /** The hit at trace position `index` (ruleIndex -1 = the tier's default action). */
  hit(index: number, action: HitAction, ruleIndex: number, l7Unevaluated: boolean): { hit: PolicyHit; text: string } {
    // l7Unevaluated follows from the rule and the action, so it is not part of the key.
    const key = ((ruleIndex + 1) * 1024 + index) * 4 + ACTION_CODE[action];
    let m = index < 1024 ? this.byKey.get(key) : undefined;
    if (m === undefined) {
      const hit: PolicyHit = {
        index, tier: this.tier, kind: this.kind, namespace: this.namespace, name: this.name, action, ruleIndex,
        endOfTier: ruleIndex === -1 && this.kind !== 'pro', l7Unevaluated,
      };
      m = { hit, text: hitString(hit) };
      if (index < 1024) this.byKey.set(key, m);
    }
    return m;
  }
}
