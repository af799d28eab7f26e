/**
 * `POST /api/v1/fixes` — for one flow of a denied group: the smallest policy change that allows
 * it (src/inventory/advice/fix-planner.ts), as whole apply-ready documents with diffs (and staged
 * variants on request), verified by replaying the stored flows of the last N hours with the
 * change applied: which denied groups it allows (the target among them), which other flows
 * change verdict, with counts, and the target flow's new traces.
 *
 * Scope: a namespaced token gets a fix only for a flow it can see and only when every policy the
 * fix touches is a namespaced policy of one of its namespaces — never a global one; otherwise a
 * 403 naming the policies.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { FixAnswer, fixBody, type FixSide, type FixVerdict } from '../../contract/api/fix.ts';
import { errorResponses } from '../../contract/api/schema-parts.ts';
import { planYaml, renderChanges, stagedTrialVerdict } from '../../inventory/advice/fix-output.ts';
import { planFix, type FixPlan } from '../../inventory/advice/fix-planner.ts';
import { sameIdentity } from '../../inventory/advice/stable-labels.ts';
import {
  protocolName, type EndpointRef, type FlowInput, type Inventory, type ScopeResult, type SideResult, type Verdict,
} from '../../inventory/index.ts';
import { requireInventory, type ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { scopeAllowsNamespace } from '../query/access-scope.ts';
import { candidateInventory, REPLAY_COUNTING, replayPolicyChange, type ReplayGroup, type ReplayResult } from '../query/policy-replay.ts';
import { flowFromBody } from './explain-routes.ts';

export { fixBody, type FixBody } from '../../contract/api/fix.ts';

const describeRef = (k: { kind: string; namespace: string | null; name: string }): string => `${k.kind} ${k.namespace ? `${k.namespace}/` : ''}${k.name}`;

function scopeJson(s: ScopeResult): Omit<FixSide, 'pending' | 'reached'> {
  return {
    action: s.action, trace: [...s.trace],
    // Field by field: the engine shares hit objects between verdicts, and the schema names each field.
    hits: s.hits.map((h) => ({ index: h.index, tier: h.tier, kind: h.kind, namespace: h.namespace, name: h.name, action: h.action, ruleIndex: h.ruleIndex, endOfTier: h.endOfTier, l7Unevaluated: h.l7Unevaluated })),
    deciding_hit: s.decidingHit?.index ?? null,
  };
}

/** The side results of a verdict, compactly: action, trace (as strings and in parts) and pending scope per side. */
function traces(v: Verdict): FixVerdict {
  const side = (s: SideResult): FixSide => ({ ...scopeJson(s), reached: s.reached, pending: scopeJson(s.pending) });
  return { verdict: v.verdict, decided_by: v.decidedBy, egress: side(v.egress), ingress: side(v.ingress) };
}

function endpointJson(e: EndpointRef): FixAnswer['target']['source'] {
  return { kind: e.kind, namespace: e.namespace, name: e.name, ip: e.ip, labels: { ...e.labels } };
}

/** True when the replay group is the target group: both ends the same workloads, same protocol and port. */
function isTarget(inv: Inventory, g: ReplayGroup, target: Verdict, flow: FlowInput): boolean {
  if (g.protocol !== protocolName(flow.protocol) || g.port !== (flow.dstPort ?? null)) return false;
  // A sample resolved by identity holds current representative addresses: resolve them as of now.
  const time = g.sample.time === null || g.sample.by === 'identity' ? undefined : Date.parse(g.sample.time);
  return sameIdentity(inv.resolve(g.sample.src_ip, time), target.source) && sameIdentity(inv.resolve(g.sample.dst_ip, time), target.destination);
}

/** 403 unless every policy the plan touches is a namespaced policy of the caller's namespaces. */
function checkScope(plan: FixPlan, principal: { name: string; scope: { namespaces: readonly string[] | null } }): void {
  const scope = principal.scope;
  if (scope.namespaces === null) return;
  const outside = plan.changes.filter((c) => c.policy.namespace === null || !scopeAllowsNamespace(scope, c.policy.namespace));
  if (outside.length > 0) {
    throw new ApiError(403, 'forbidden', `token ${principal.name} may only get changes to policies of its namespaces (${scope.namespaces.join(', ')}); this fix changes ${outside.map((c) => `${describeRef(c.policy)}${c.policy.namespace === null ? ' (global)' : ''}`).join(', ')}`);
  }
}

/** What the answer is made of: the plan, the replay (null when nothing changed) and the staged trial. */
export interface FixAnswerInput {
  readonly inventory: Inventory;
  readonly flow: FlowInput;
  readonly plan: FixPlan;
  readonly replay: ReplayResult | null;
  /** The staged variants were asked for. */
  readonly staged: boolean;
  /** The target flow's verdict with the staged variants beside the current policies (when asked for). */
  readonly stagedTrial: Verdict | null;
}

/** The /fixes answer (pure: the route's I/O is done before). */
export function fixAnswer(input: FixAnswerInput): FixAnswer {
  const { inventory, flow, plan, replay, stagedTrial } = input;
  const v = plan.before;
  const groups = (replay?.groups ?? []).map((g) => ({ ...g, sample: { ...g.sample }, target: isTarget(inventory, g, v, flow) }));
  const allowedGroups = groups.filter((g) => g.current === 'deny' && g.candidate === 'allow');
  const others = groups.filter((g) => !g.target);
  return {
    inventory_revision: inventory.revision,
    flow: { src: flow.srcIp, dst: flow.dstIp, protocol: protocolName(flow.protocol), dst_port: flow.dstPort ?? null },
    target: {
      source: endpointJson(v.source), destination: endpointJson(v.destination), protocol: protocolName(flow.protocol), port: flow.dstPort ?? null,
    },
    before: traces(v),
    allowed: plan.allowed,
    edits: plan.edits.map((e) => ({
      policy: { ...e.policy }, side: e.side, scope: e.scope, action: e.action, index: e.index, created: e.created, rule: e.rule, reason: e.reason,
    })),
    changes: renderChanges(plan, input.staged),
    yaml: planYaml(plan, false),
    ...(input.staged ? { staged_yaml: planYaml(plan, true) } : {}),
    after: traces(plan.after),
    ...(stagedTrial ? { staged_trial: { enforced_verdict: stagedTrial.verdict, ...traces(stagedTrial) } } : {}),
    replay: replay === null ? null : {
      range: replay.range,
      counting: REPLAY_COUNTING,
      ...replay.counts,
      changed: replay.counts.allow_to_deny + replay.counts.deny_to_allow,
      truncated: replay.truncated,
      target_found: groups.some((g) => g.target),
      target_flows: groups.filter((g) => g.target).reduce((n, g) => n + g.flows, 0),
      allowed_groups: allowedGroups,
      other_changes: others,
      other_changed_flows: others.reduce((n, g) => n + g.flows, 0),
      examples: replay.examples,
      unresolved: replay.unresolved,
    },
    notes: [...plan.notes],
  };
}

/** Registers the fix route. */
export async function fixRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/fixes', {
    config: { minRole: 'admin' },
    schema: {
      summary: 'Suggest the smallest policy change that allows a denied flow group, verified by replay',
      description: 'Finds the decisive step of each denying side in the verdict trace and proposes the smallest edit allowing exactly that group (a rule before the deny that would shadow it, or an allow at the end of the denying tier, or a Pass out of a tier that passes approved traffic on), peers by namespace and stable labels, named ports where the destination declares them. Returns the whole edited policies (apply-ready YAML and a diff; staged variants on request) and replays the stored flows of the last N hours with the change applied.',
      tags: ['policy'],
      body: fixBody(ctx.config.limits.previewMaxHours),
      response: { 200: FixAnswer, ...errorResponses },
    },
  }, async (request) => {
    const body = request.body;
    const principal = request.principal;
    const flow = flowFromBody(body);
    const view = requireInventory(ctx);
    let plan: FixPlan;
    try {
      plan = planFix({ resources: view.resources, documents: view.documents ?? new Map(), flow, inventory: view.inventory });
    } catch (err) {
      throw new ApiError(400, 'invalid_body', (err as Error).message);
    }
    const v = plan.before;
    if (!scopeAllowsNamespace(principal.scope, v.source.namespace) && !scopeAllowsNamespace(principal.scope, v.destination.namespace)) {
      throw new ApiError(403, 'forbidden', `token ${principal.name} may only get fixes for flows from or to its namespaces`);
    }
    checkScope(plan, principal);

    const now = ctx.now();
    const range = { fromMs: now - body.hours * 3_600_000, toMs: now };
    const candidate = candidateInventory(view.resources, plan.resources);
    const replay = plan.changes.length === 0 ? null : await replayPolicyChange({
      store: ctx.store, current: view.inventory, candidate, range, scope: principal.scope,
      maxFlows: ctx.config.limits.previewMaxFlows, timeoutMs: ctx.config.timeouts.queryMs, examples: body.examples,
    });
    const stagedTrial = body.staged ? stagedTrialVerdict(view.resources, plan, flow) : null;
    return fixAnswer({ inventory: view.inventory, flow, plan, replay, staged: body.staged, stagedTrial });
  });
}
