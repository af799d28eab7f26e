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
import Type, { type Static } from 'typebox';
import { planYaml, renderChanges, stagedTrialVerdict } from '../../inventory/advice/fix-output.ts';
import { planFix, type FixPlan } from '../../inventory/advice/fix-planner.ts';
import { sameIdentity } from '../../inventory/advice/stable-labels.ts';
import { protocolName, type EndpointRef, type FlowInput, type Inventory, type Verdict } from '../../inventory/index.ts';
import { requireInventory, type ApiContext } from '../context.ts';
import { ApiError, errorResponseSchema } from '../errors.ts';
import { scopeAllowsNamespace } from '../query/access-scope.ts';
import { candidateInventory, REPLAY_COUNTING, replayPolicyChange, type ReplayGroup } from '../query/policy-replay.ts';
import { flowFromBody } from './explain-routes.ts';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const Byte = Type.Integer({ minimum: 0, maximum: 255 });

/** The fix request: one flow of the denied group (as /explain takes it), the replay window, options. */
export function fixBody(maxHours: number) {
  return Type.Object({
    src: Type.String({ maxLength: 64, description: 'Source IP of a flow of the denied group (e.g. the example of a /denied group).' }),
    dst: Type.String({ maxLength: 64, description: 'Destination IP (same IP version).' }),
    protocol: Type.Union([Type.String({ maxLength: 16 }), Type.Integer({ minimum: 1, maximum: 255 })], { description: 'tcp, udp, icmp, icmpv6, sctp or a number 1-255.' }),
    dst_port: Type.Optional(Port),
    src_port: Type.Optional(Port),
    icmp_type: Type.Optional(Byte),
    icmp_code: Type.Optional(Byte),
    time: Type.Optional(Type.String({ maxLength: 64, description: 'Resolve addresses as of this ISO 8601 time (the flow\'s time).' })),
    hours: Type.Integer({ minimum: 1, maximum: maxHours, default: 24, description: 'Replay the stored flows of the last N hours.' }),
    staged: Type.Boolean({ default: false, description: 'Also return each changed policy as a staged policy, for a staged trial.' }),
    examples: Type.Integer({ minimum: 0, maximum: 100, default: 10, description: 'Changed flows returned as examples.' }),
  }, { additionalProperties: false });
}
export type FixBody = Static<ReturnType<typeof fixBody>>;

const describeRef = (k: { kind: string; namespace: string | null; name: string }): string => `${k.kind} ${k.namespace ? `${k.namespace}/` : ''}${k.name}`;

/** The side results of a verdict, compactly: action, trace and pending trace per side. */
function traces(v: Verdict): Record<string, unknown> {
  const side = (s: Verdict['egress']): Record<string, unknown> => ({ action: s.action, trace: s.trace, pending: { action: s.pending.action, trace: s.pending.trace } });
  return { verdict: v.verdict, decided_by: v.decidedBy, egress: side(v.egress), ingress: side(v.ingress) };
}

function endpointJson(e: EndpointRef): Record<string, unknown> {
  return { kind: e.kind, namespace: e.namespace, name: e.name, ip: e.ip, labels: e.labels };
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

/** Registers the fix route. */
export async function fixRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/fixes', {
    config: { minRole: 'admin' },
    schema: {
      summary: 'Suggest the smallest policy change that allows a denied flow group, verified by replay',
      description: 'Finds the decisive step of each denying side in the verdict trace and proposes the smallest edit allowing exactly that group (a rule before the deny that would shadow it, or an allow at the end of the denying tier, or a Pass out of a tier that passes approved traffic on), peers by namespace and stable labels, named ports where the destination declares them. Returns the whole edited policies (apply-ready YAML and a diff; staged variants on request) and replays the stored flows of the last N hours with the change applied.',
      tags: ['policy'],
      body: fixBody(ctx.config.limits.previewMaxHours),
      response: { 200: { type: 'object', additionalProperties: true }, '4xx': errorResponseSchema, '5xx': errorResponseSchema },
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
    const groups = (replay?.groups ?? []).map((g) => ({ ...g, target: isTarget(view.inventory, g, v, flow) }));
    const allowedGroups = groups.filter((g) => g.current === 'deny' && g.candidate === 'allow');
    const others = groups.filter((g) => !g.target);
    const staged = body.staged ? stagedTrialVerdict(view.resources, plan, flow) : null;

    return {
      inventory_revision: view.inventory.revision,
      flow: { src: flow.srcIp, dst: flow.dstIp, protocol: protocolName(flow.protocol), dst_port: flow.dstPort ?? null },
      target: {
        source: endpointJson(v.source), destination: endpointJson(v.destination), protocol: protocolName(flow.protocol), port: flow.dstPort ?? null,
      },
      before: traces(v),
      allowed: plan.allowed,
      edits: plan.edits.map((e) => ({
        policy: e.policy, side: e.side, scope: e.scope, action: e.action, index: e.index, created: e.created, rule: e.rule, reason: e.reason,
      })),
      changes: renderChanges(plan, body.staged),
      yaml: planYaml(plan, false),
      ...(body.staged ? { staged_yaml: planYaml(plan, true) } : {}),
      after: traces(plan.after),
      ...(staged ? { staged_trial: { enforced_verdict: staged.verdict, ...traces(staged) } } : {}),
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
      notes: plan.notes,
    };
  });
}
