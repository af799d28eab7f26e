/// <reference lib="dom" />
/**
 * Renders a policy trace — the ordered policy hits of one side, tier → policy → rule → action —
 * with the deciding hit marked, for stored flow documents and for explain answers alike.
 */
import { el } from './dom.ts';
import type { ExplainSide, StoredPolicySide } from './flow-types.ts';
import { ruleIdInWords, stepInWords } from './rule-words.ts';

/** A hit in the one shape the renderer uses. */
export interface TraceHit {
  readonly index: number;
  readonly tier: string;
  /** `kind:[namespace/]name`. */
  readonly policy: string;
  readonly action: string;
  /** Rule index; negative for the end-of-tier default (and -2 when unknown). */
  readonly rule: number;
  readonly endOfTier: boolean;
  /** For end-of-tier hits: the policy that selected the endpoint. */
  readonly trigger?: string;
}

/** One side of a flow: its verdict, its hits and which hit decided. */
export interface TraceSide {
  readonly verdict: string | undefined;
  readonly hits: readonly TraceHit[];
  /** Index into `hits` of the deciding hit, if any. */
  readonly deciding: number | undefined;
}

function policyName(kind: string | undefined, namespace: string | null | undefined, name: string | undefined): string {
  return `${kind ? `${kind}:` : ''}${namespace ? `${namespace}/` : ''}${name ?? '?'}`;
}

/**
 * A stored side. The trace is ordered by `policy_index`; evaluation stops at the first allow
 * or deny, so the deciding hit is the last one (a trace of passes only ends at the profile).
 */
export function storedSide(side: StoredPolicySide | undefined): TraceSide {
  const hits = [...(side?.enforced ?? [])]
    .sort((a, b) => (a.policy_index ?? 0) - (b.policy_index ?? 0))
    .map((h, i): TraceHit => ({
      index: h.policy_index ?? i, tier: h.tier ?? '?', policy: policyName(h.kind, h.namespace, h.name), action: h.action ?? '?',
      rule: h.rule_index ?? -2, endOfTier: h.rule_index === -1, ...(h.trigger ? { trigger: h.trigger } : {}),
    }));
  const last = hits.length - 1;
  return { verdict: side?.verdict, hits, deciding: last >= 0 && hits[last]?.action !== 'pass' ? last : undefined };
}

/**
 * An explain side (the verdict engine says which hit decided). `/fixes` answers carry the same
 * parts of a side (its action, hits and deciding hit), so they render through here too.
 */
export function explainSide(side: Pick<ExplainSide, 'action' | 'hits' | 'decidingHit'>): TraceSide {
  const hits = side.hits.map((h): TraceHit => ({ index: h.index, tier: h.tier, policy: policyName(h.kind, h.namespace, h.name), action: h.action, rule: h.ruleIndex, endOfTier: h.endOfTier }));
  const deciding = side.decidingHit === null ? undefined : hits.findIndex((h) => h.index === side.decidingHit);
  return { verdict: side.action, hits, deciding: deciding === undefined || deciding < 0 ? undefined : deciding };
}

function ruleText(hit: TraceHit): string {
  // Profiles are named like the CLI names them (policy-trace keeps `pro:<name>` as the policy).
  return hit.policy.startsWith('pro:') ? stepInWords('pro', hit.policy.slice(4), hit.rule) : stepInWords(undefined, hit.policy, hit.rule);
}

/** The "tier → policy → rule" line of one hit. */
export function hitPath(hit: TraceHit): string {
  return `${hit.tier} → ${hit.policy} → ${ruleText(hit)}`;
}

/** A titled block with the hits of one side, the deciding hit marked. */
export function renderTraceSide(title: string, side: TraceSide, emptyText: string = 'no policy selected this endpoint: the profile decided'): HTMLElement {
  const list = el('ol', { class: 'trace' });
  side.hits.forEach((hit, i) => {
    const deciding = i === side.deciding;
    list.append(el('li', { class: `hit action-${hit.action}${deciding ? ' deciding' : ''}`, 'data-deciding': deciding ? 'true' : undefined },
      el('span', { class: 'tier' }, hit.tier), ' → ',
      el('span', { class: 'policy' }, hit.policy), ' → ',
      el('span', { class: 'rule' }, ruleText(hit)), ' ',
      el('span', { class: `badge action action-${hit.action}` }, hit.action),
      deciding ? el('span', { class: 'badge deciding-tag' }, 'deciding') : null,
      hit.trigger ? el('span', { class: 'trigger' }, ` selected by ${hit.trigger}`) : null,
    ));
  });
  return el('section', { class: 'trace-side' },
    el('h4', {}, title, ' ', side.verdict ? el('span', { class: `badge verdict-${side.verdict.replace(/[^a-z-]/g, '')}` }, side.verdict) : null),
    side.hits.length > 0 ? list : el('p', { class: 'muted' }, emptyText),
  );
}

/** Both sides of a stored flow, plus the deciding rule from the document's `rule.*` fields. */
export function renderStoredTraces(policy: { egress?: StoredPolicySide; ingress?: StoredPolicySide } | undefined, decidingRule: { name?: string; ruleset?: string; uuid?: string } | undefined): HTMLElement {
  const egress = storedSide(policy?.egress);
  const ingress = storedSide(policy?.ingress);
  const denyingSide = egress.verdict === 'deny' ? 'egress' : ingress.verdict === 'deny' ? 'ingress' : undefined;
  const side = denyingSide === 'egress' ? egress : denyingSide === 'ingress' ? ingress : undefined;
  const hit = side?.deciding !== undefined ? side.hits[side.deciding] : undefined;
  const summary = hit
    ? el('p', { class: 'deciding-rule' }, 'Denied on the ', el('strong', {}, denyingSide === 'egress' ? 'source (egress)' : 'destination (ingress)'), ' side by ',
      el('strong', { class: 'deciding-policy' }, hit.policy), ` in tier ${hit.tier}, ${ruleText(hit)}.`)
    : decidingRule?.name
      ? el('p', { class: 'deciding-rule' }, 'Decided by ', el('strong', { class: 'deciding-policy' }, decidingRule.name), decidingRule.ruleset ? ` in tier ${decidingRule.ruleset}` : '', decidingRule.uuid ? `: ${ruleIdInWords(decidingRule.uuid, decidingRule.ruleset ?? null)}` : '', '.')
      : el('p', { class: 'deciding-rule muted' }, 'No policy decided: the endpoints\' profiles did.');
  // The engine stops at the source's egress deny, so the destination's ingress was never evaluated.
  const ingressEmpty = egress.verdict === 'deny' && ingress.verdict === undefined ? 'not evaluated: the source side denied first' : undefined;
  return el('div', { class: 'traces' }, summary,
    el('div', { class: 'trace-sides' }, renderTraceSide('Egress — source side', egress), renderTraceSide('Ingress — destination side', ingress, ingressEmpty)));
}
