/**
 * Deciding steps in words, as `segflow explain` prints them: a rule by its index, the end of a
 * tier (rule index -1: a policy selected the endpoint, no rule matched, the tier's default
 * applied) and a profile (no policy decided). Pure.
 */

/** The parts of a rule id `<kind>:<namespace>/<name>:<direction>:<index>` (`rule.uuid`), or undefined. */
export function parseRuleId(id: string): { kind: string; policy: string; direction: string; index: number } | undefined {
  const m = /^([a-z]+):(.+):(ingress|egress):(-?\d+)$/.exec(id);
  if (m === null) return undefined;
  return { kind: m[1] as string, policy: m[2] as string, direction: m[3] as string, index: Number(m[4]) };
}

/** One step (a policy hit) in words: `rule 2`, `end of tier`, `profile kns.shop`, `profile kns.shop rule 0`. */
export function stepInWords(kind: string | undefined, name: string, ruleIndex: number): string {
  if (kind === 'pro') return `profile ${name}${ruleIndex >= 0 ? ` rule ${ruleIndex}` : ''}`;
  if (ruleIndex === -1) return 'end of tier';
  if (ruleIndex < 0) return 'rule unknown';
  return `rule ${ruleIndex}`;
}

/** A deciding rule id in words, with its tier: how the denied view names what decided. */
export function ruleIdInWords(id: string, tier: string | null): string {
  const r = parseRuleId(id);
  if (r === undefined) return id;
  const side = r.direction === 'ingress' ? 'on ingress' : 'on egress';
  if (r.kind === 'pro') {
    return r.index >= 0
      ? `profile ${r.policy} rule ${r.index} ${side}`
      : `profile ${r.policy} ${side}: no policy selected the endpoint and the profile did not allow it`;
  }
  if (r.index === -1) return `end of tier${tier ? ` ${tier}` : ''} ${side}: ${r.kind}:${r.policy} selected the endpoint, no rule matched`;
  return `rule ${r.index} of ${r.kind}:${r.policy} ${side}`;
}
