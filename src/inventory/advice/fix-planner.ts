/**
 * The smallest policy change that allows one denied flow (and so its group), found from the
 * verdict trace. Pure: inventories in, edited policy documents out.
 *
 *   const plan = planFix({ resources, documents, flow });
 *   plan.edits     // [{ policy, direction, action, index, rule, reason }]
 *   plan.changes   // [{ key, before, after }] — whole policy documents, apply-ready
 *   plan.after     // the flow's verdict with the change applied
 *
 * Each step takes the side that denies (egress of the source first, as the packet goes), finds
 * its decisive hit and edits the policy that hit names:
 *  - a Deny rule: a rule for exactly this flow inserted *before* it (after it, the deny would
 *    shadow it). Allow, or Pass when that policy already passes approved traffic to later tiers
 *    — the tier's structure says another tier owns the decision; the next step then fixes that
 *    tier;
 *  - an end-of-tier deny: an Allow appended to the tier's policy that is most the endpoint's own
 *    (its namespace, already ruling that direction); appending is safe, no rule of the tier
 *    matched;
 *  - a profile deny (no policy selects the endpoint): a new policy in the default tier.
 * and repeats until the flow is allowed (both sides when both deny; a Pass leads to the next
 * tier). Then the same for the pending verdict, editing only staged policies, so the fix still
 * holds once they are enforced. Kubernetes NetworkPolicies are edited as Kubernetes documents.
 */
import { Inventory } from '../inventory.ts';
import { parseDocument } from '../loader/parse-resource.ts';
import {
  isAdminPolicy, isPolicy, keyOf, POLICY_SHORT_KIND, resourceKey,
  type Policy, type PolicyKind, type Resource,
} from '../model/resources.ts';
import type { CompiledPolicy, TierPlan } from '../policy/policy-index.ts';
import type { PolicyHit } from '../policy/trace.ts';
import type { EndpointRef, FlowInput, ScopeResult, Verdict } from '../policy/verdict-engine.ts';
import { calicoRule, kubernetesCanExpress, kubernetesRule, type FixAction, type FixTarget, type RuleDirection } from './fix-rule.ts';
import { peerSelector } from './stable-labels.ts';

export type PolicyDocument = Readonly<Record<string, unknown>>;

export interface FixRequest {
  /** Every resource of the inventory. */
  readonly resources: readonly Resource[];
  /** The policies' documents as written, by resource key (an edited policy must have one). */
  readonly documents: ReadonlyMap<string, PolicyDocument>;
  /** One flow of the denied group. */
  readonly flow: FlowInput;
  /** The current inventory, when the caller has it (else built from `resources`). */
  readonly inventory?: Inventory;
}

export interface PolicyRef {
  readonly kind: PolicyKind;
  readonly namespace: string | null;
  readonly name: string;
  readonly tier: string;
}

export interface FixEdit {
  readonly policy: PolicyRef;
  /** The policy's resource key. */
  readonly key: string;
  /** Which verdict side this edit fixes (egress = the source's policies). */
  readonly side: 'egress' | 'ingress';
  /** The enforced verdict, or the pending one (an edit to a staged policy). */
  readonly scope: 'enforced' | 'pending';
  readonly action: FixAction;
  /** Position of the new rule in the document's rule list. */
  readonly index: number;
  readonly rule: Record<string, unknown>;
  /** A new policy (nothing selected the endpoint). */
  readonly created: boolean;
  /** The decisive step it answers and why the rule goes where it goes. */
  readonly reason: string;
}

export interface PolicyChange {
  readonly key: string;
  readonly policy: PolicyRef;
  /** null for a new policy. */
  readonly before: PolicyDocument | null;
  readonly after: PolicyDocument;
}

export interface FixPlan {
  readonly before: Verdict;
  readonly after: Verdict;
  /** True when the change makes the flow allowed (enforced verdict). */
  readonly allowed: boolean;
  readonly edits: readonly FixEdit[];
  /** One per policy touched, in edit order. */
  readonly changes: readonly PolicyChange[];
  /** The edited policies as resources (for replay). */
  readonly resources: readonly Resource[];
  /** What the plan could not do, or what the user should know. */
  readonly notes: readonly string[];
}

const DENYING = new Set(['deny', 'end-of-tier-deny', 'profile-deny']);
const MAX_STEPS = 8;

const KIND_OF_SHORT: ReadonlyMap<string, PolicyKind> = new Map(Object.entries(POLICY_SHORT_KIND).map(([k, s]) => [s, k as PolicyKind]));
const STAGED_SHORT: ReadonlySet<string> = new Set(['sgnp', 'snp', 'sknp']);

function isKubernetes(kind: PolicyKind): boolean {
  return kind === 'KubernetesNetworkPolicy' || kind === 'StagedKubernetesNetworkPolicy';
}

function refOf(p: Policy): PolicyRef {
  return { kind: p.kind, namespace: p.namespace, name: p.name, tier: p.tier };
}

function describePolicy(p: PolicyRef): string {
  return `${POLICY_SHORT_KIND[p.kind]}:${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** The document's rule list of `direction` (Calico `spec.ingress`, Kubernetes the same key). */
function rulesOf(doc: PolicyDocument, direction: RuleDirection): unknown[] {
  const spec = (doc.spec ?? {}) as Record<string, unknown>;
  const list = spec[direction];
  return Array.isArray(list) ? list : [];
}

/** `doc` with `rule` inserted at `index` of its `direction` rules (types extended if needed). */
function withRule(doc: PolicyDocument, direction: RuleDirection, index: number, rule: Record<string, unknown>): Record<string, unknown> {
  const out = clone(doc) as Record<string, unknown>;
  const spec = (out.spec ?? {}) as Record<string, unknown>;
  out.spec = spec;
  const rules = Array.isArray(spec[direction]) ? (spec[direction] as unknown[]) : [];
  rules.splice(index, 0, rule);
  spec[direction] = rules;
  return out;
}

interface Working {
  readonly byKey: Map<string, Resource>;
  readonly docs: Map<string, PolicyDocument>;
  readonly changed: Map<string, PolicyChange>;
  readonly edits: FixEdit[];
  readonly notes: string[];
}

function inventoryOf(w: Working): Inventory {
  return Inventory.fromResources(w.byKey.values());
}

/** The side's endpoint and its peer (the other end) for a rule of that side. */
function sideEnds(v: Verdict, side: 'egress' | 'ingress'): { self: EndpointRef; peer: EndpointRef } {
  return side === 'egress' ? { self: v.source, peer: v.destination } : { self: v.destination, peer: v.source };
}

function targetOf(inv: Inventory, v: Verdict, flow: FlowInput, side: 'egress' | 'ingress'): FixTarget {
  const hasPorts = flow.protocol === 6 || flow.protocol === 17 || flow.protocol === 132;
  const dst = inv.endpointAt(flow.dstIp, flow.time);
  const icmp = (flow.protocol === 1 || flow.protocol === 58) && flow.icmpType !== undefined ? { type: flow.icmpType, code: flow.icmpCode ?? null } : null;
  return {
    peer: sideEnds(v, side).peer, protocol: flow.protocol, port: hasPorts ? flow.dstPort ?? null : null,
    destinationPorts: dst?.resource.ports ?? [], icmp,
  };
}

/** Every tier plan the endpoint runs for `direction` (normal and host stages). */
function tierPlans(inv: Inventory, ip: string, time: number | undefined, direction: RuleDirection): readonly TierPlan[] {
  const snap = inv.endpointAt(ip, time);
  if (snap === null) return [];
  const plan = inv.policies.planFor(snap);
  const h = plan.host;
  return direction === 'ingress'
    ? [...plan.ingress, ...h.untrackedIngress, ...h.preDnatIngress, ...h.forwardIngress]
    : [...plan.egress, ...h.untrackedEgress, ...h.forwardEgress];
}

/**
 * The policy of the denying tier to append to: enforced, editable, in the endpoint's namespace
 * if any is, already ruling this direction, else the one the end-of-tier hit names.
 */
function endOfTierPolicy(w: Working, tier: TierPlan | undefined, attributed: Policy, self: EndpointRef, direction: RuleDirection): Policy {
  if (tier === undefined) return attributed;
  const score = (c: CompiledPolicy): number => {
    const p = c.policy;
    return (p.namespace !== null && p.namespace === self.namespace ? 4 : 0) + ((direction === 'ingress' ? p.ingress : p.egress).length > 0 ? 2 : 0)
      + (keyOf(p) === keyOf(attributed) ? 1 : 0);
  };
  const candidates = tier.policies.filter((c) => !c.staged && !isAdminPolicy(c.policy) && w.docs.has(c.key));
  let best: CompiledPolicy | undefined;
  for (const c of candidates) if (best === undefined || score(c) > score(best)) best = c;
  return best?.policy ?? attributed;
}

/** True when the policy already hands approved traffic of `direction` to later tiers. */
function passesApproved(p: Policy, direction: RuleDirection, before: number): boolean {
  return (direction === 'ingress' ? p.ingress : p.egress).slice(0, before).some((r) => r.action === 'Pass');
}

/** Records `after` as the new document of `policy` (and re-parses it into the working set). */
function commit(w: Working, key: string, policy: PolicyRef, before: PolicyDocument | null, after: Record<string, unknown>): string | null {
  const parsed = parseDocument(after, { file: `fix:${describePolicy(policy)}`, document: 1 });
  const error = parsed.issues.find((i) => i.severity === 'error');
  if (error) return `the edited ${describePolicy(policy)} does not load: ${error.message}`;
  for (const r of parsed.resources) w.byKey.set(keyOf(r), r);
  w.docs.set(key, after);
  const first = w.changed.get(key);
  w.changed.set(key, { key, policy, before: first ? first.before : before, after });
  return null;
}

/** A name for a new policy: `<tier>.segflow-fix-<subject>-<direction>`. */
function newPolicyName(self: EndpointRef, direction: RuleDirection): string {
  const id = Object.values(peerSelector(self).labels)[0] ?? self.name ?? 'endpoint';
  const slug = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'endpoint';
  return `default.segflow-fix-${slug}-${direction}`;
}

/** One step: the edit answering the side's decisive hit, applied to the working set. */
function step(w: Working, inv: Inventory, v: Verdict, flow: FlowInput, side: 'egress' | 'ingress', scope: ScopeResult, pending: boolean): boolean {
  const direction: RuleDirection = side;
  const hit: PolicyHit | null = scope.decidingHit;
  const { self } = sideEnds(v, side);
  const target = targetOf(inv, v, flow, side);
  const scopeName = pending ? 'pending' : 'enforced';
  if (hit === null) {
    w.notes.push(`the ${side} side denies without a policy hit (${scope.action}); nothing to edit`);
    return false;
  }
  if (hit.kind === 'pro') {
    if (pending) {
      w.notes.push(`the pending ${side} verdict is decided by profiles; no staged policy to edit`);
      return false;
    }
    return createPolicy(w, self, direction, target, side, `${side}: no policy allowed it and the endpoint's profiles deny (${hit.name}); a policy selecting the endpoint is added in the default tier`);
  }
  if (pending && !STAGED_SHORT.has(hit.kind)) {
    w.notes.push(`the pending ${side} verdict is denied by enforced ${hit.kind}:${hit.namespace ? `${hit.namespace}/` : ''}${hit.name} after the fix; check the trace`);
    return false;
  }
  const kind = KIND_OF_SHORT.get(hit.kind);
  const hitKey = kind === undefined ? undefined : resourceKey(kind, hit.namespace, hit.name);
  const hitPolicy = hitKey === undefined ? undefined : w.byKey.get(hitKey);
  if (hitPolicy === undefined || !isPolicy(hitPolicy)) {
    w.notes.push(`the ${side} side is denied by ${hit.kind}:${hit.name}, which is not in the inventory`);
    return false;
  }
  if (isAdminPolicy(hitPolicy)) {
    w.notes.push(`the ${side} side is denied by admin policy ${describePolicy(refOf(hitPolicy))} (tier ${hitPolicy.tier}); segflow does not edit admin policies — add an Allow or Pass rule for this flow there`);
    return false;
  }
  let policy: Policy;
  let index: number;
  let action: FixAction;
  let reason: string;
  if (hit.ruleIndex >= 0) {
    policy = hitPolicy;
    index = hit.ruleIndex;
    action = passesApproved(policy, direction, index) ? 'Pass' : 'Allow';
    reason = `${side}: ${describePolicy(refOf(policy))} ${direction} rule ${index} denies it (tier ${policy.tier}); the new rule goes before that rule, which would otherwise shadow it`
      + (action === 'Pass' ? `; Pass, because this policy passes approved traffic to later tiers` : '');
  } else {
    const tier = tierPlans(inv, side === 'egress' ? flow.srcIp : flow.dstIp, flow.time, direction)
      .find((t) => t.tier.name === hitPolicy.tier && t.policies.some((c) => c.key === keyOf(hitPolicy)));
    policy = pending ? hitPolicy : endOfTierPolicy(w, tier, hitPolicy, self, direction);
    index = -1; // appended: set from the document below
    action = 'Allow';
    reason = `${side}: no rule of tier ${policy.tier} matched, so its default action denied it (end of tier, attributed to ${describePolicy(refOf(hitPolicy))}); the rule is appended to ${describePolicy(refOf(policy))}`;
  }
  const key = keyOf(policy);
  const doc = w.docs.get(key);
  if (doc === undefined) {
    w.notes.push(`the document of ${describePolicy(refOf(policy))} is not available; cannot edit it`);
    return false;
  }
  let rule: Record<string, unknown>;
  if (isKubernetes(policy.kind)) {
    if (!kubernetesCanExpress(target)) {
      w.notes.push(`Kubernetes NetworkPolicy ${describePolicy(refOf(policy))} cannot express protocol ${target.protocol}`);
      return false;
    }
    rule = kubernetesRule(direction, target, { namespace: policy.namespace });
    // Kubernetes rules expand into several Calico rules: only appending maps onto the document.
    index = rulesOf(doc, direction).length;
  } else {
    if (index < 0) index = rulesOf(doc, direction).length;
    rule = calicoRule(action, direction, target, { namespace: policy.namespace });
  }
  const after = withRule(doc, direction, index, rule);
  const problem = commit(w, key, refOf(policy), doc, after);
  if (problem !== null) {
    w.notes.push(problem);
    return false;
  }
  w.edits.push({ policy: refOf(policy), key, side, scope: scopeName, action: isKubernetes(policy.kind) ? 'Allow' : action, index, rule, created: false, reason });
  return true;
}

function createPolicy(w: Working, self: EndpointRef, direction: RuleDirection, target: FixTarget, side: 'egress' | 'ingress', reason: string): boolean {
  const sel = peerSelector(self);
  const global = self.namespace === null;
  const name = newPolicyName(self, direction);
  const metadata: Record<string, unknown> = global ? { name } : { name, namespace: self.namespace };
  const rule = calicoRule('Allow', direction, target, { namespace: self.namespace });
  const doc: Record<string, unknown> = {
    apiVersion: 'projectcalico.org/v3', kind: global ? 'GlobalNetworkPolicy' : 'NetworkPolicy', metadata,
    spec: { tier: 'default', selector: sel.selector, types: [direction === 'ingress' ? 'Ingress' : 'Egress'], [direction]: [rule] },
  };
  const policy: PolicyRef = { kind: global ? 'GlobalNetworkPolicy' : 'NetworkPolicy', namespace: self.namespace, name, tier: 'default' };
  const key = resourceKey(policy.kind, policy.namespace, name);
  const problem = commit(w, key, policy, null, doc);
  if (problem !== null) {
    w.notes.push(problem);
    return false;
  }
  w.notes.push(`${describePolicy(policy)} is new: once a policy selects ${self.name ?? self.ip}, its other ${direction} traffic no longer falls to profiles — check the replay`);
  w.edits.push({ policy, key, side, scope: 'enforced', action: 'Allow', index: 0, rule, created: true, reason });
  return true;
}

function denyingSide(v: Verdict, pending: boolean): 'egress' | 'ingress' | null {
  const e = pending ? v.egress.pending : v.egress;
  const i = pending ? v.ingress.pending : v.ingress;
  if (DENYING.has(e.action)) return 'egress';
  if (DENYING.has(i.action)) return 'ingress';
  return null;
}

/** Plans the change (see the module comment). */
export function planFix(req: FixRequest): FixPlan {
  const w: Working = {
    byKey: new Map(req.resources.map((r) => [keyOf(r), r])), docs: new Map(req.documents), changed: new Map(), edits: [], notes: [],
  };
  const current = req.inventory ?? inventoryOf(w);
  const before = current.explain(req.flow);
  let inv = current;
  let v = before;
  if (before.verdict === 'allow') w.notes.push('the flow is allowed already; nothing to change');
  for (let n = 0; n < MAX_STEPS && v.verdict === 'deny'; n++) {
    const side = denyingSide(v, false);
    if (side === null || !step(w, inv, v, req.flow, side, side === 'egress' ? v.egress : v.ingress, false)) break;
    inv = inventoryOf(w);
    v = inv.explain(req.flow);
  }
  // Staged policies: the fix should survive their enforcement.
  if (v.verdict === 'allow') {
    for (let n = 0; n < MAX_STEPS; n++) {
      const side = denyingSide(v, true);
      if (side === null) break;
      if (!step(w, inv, v, req.flow, side, side === 'egress' ? v.egress.pending : v.ingress.pending, true)) break;
      inv = inventoryOf(w);
      v = inv.explain(req.flow);
    }
  }
  if (before.verdict === 'deny' && v.verdict === 'deny') w.notes.push(`no complete fix found after ${w.edits.length} edit(s)`);
  const resources = [...w.changed.keys()].map((k) => w.byKey.get(k)).filter((r): r is Resource => r !== undefined);
  return { before, after: v, allowed: v.verdict === 'allow', edits: w.edits, changes: [...w.changed.values()], resources, notes: w.notes };
}
