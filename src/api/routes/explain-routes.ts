/**
 * `POST /api/v1/explain` — the verdict engine on a flow that need not have happened, answering
 * with exactly the JSON of `segflow explain --output json` — and `POST /api/v1/preview` — a
 * candidate policy replayed against the stored flows of the last N hours: which flows would
 * change verdict, with counts and examples.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ExplainAnswer, ExplainBody, PreviewAnswer, previewBody } from '../../contract/api/explain.ts';
import { errorResponses } from '../../contract/api/schema-parts.ts';
import { isPolicy, loadResourceText, parseDocument, verdictJson, type Resource, type Verdict } from '../../inventory/index.ts';
import type { Principal } from '../auth/tokens.ts';
import { requireInventory, type ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { flowFromExplainBody } from '../query/explain-body.ts';
import { scopeAllowsNamespace } from '../query/access-scope.ts';
import { candidateInventory, REPLAY_COUNTING, replayPolicyChange } from '../query/policy-replay.ts';

/** A flow from an explain-shaped body (also used by `/fixes`, whose body extends it). */
export const flowFromBody = flowFromExplainBody;

/** True when the verdict's flow involves one of the caller's namespaces. */
function verdictVisible(principal: Principal, v: Verdict): boolean {
  return scopeAllowsNamespace(principal.scope, v.source.namespace) || scopeAllowsNamespace(principal.scope, v.destination.namespace);
}

/** Parses the candidate (YAML/JSON text, one object, or a list) into policy and tier resources. */
export function parseCandidate(policy: unknown): Resource[] {
  let resources: Resource[] = [];
  const issues: { severity: string; message: string }[] = [];
  if (typeof policy === 'string') {
    const r = loadResourceText(policy, 'policy');
    resources = r.resources;
    issues.push(...r.issues);
  } else {
    const docs = Array.isArray(policy) ? policy : [policy];
    docs.forEach((doc, i) => {
      const r = parseDocument(doc, { file: 'policy', document: i + 1 });
      resources.push(...r.resources);
      issues.push(...r.issues);
    });
  }
  const error = issues.find((i) => i.severity === 'error');
  if (error) throw new ApiError(400, 'invalid_body', error.message, 'policy');
  if (resources.length === 0) throw new ApiError(400, 'invalid_body', 'policy: no resource found (expected a Calico or Kubernetes policy)', 'policy');
  if (resources.length > 50) throw new ApiError(400, 'invalid_body', `policy: at most 50 resources per preview, got ${resources.length}`, 'policy');
  const other = resources.find((r) => !isPolicy(r) && r.kind !== 'Tier');
  if (other) throw new ApiError(400, 'invalid_body', `policy: only policies and tiers can be previewed, got ${other.kind}`, 'policy');
  return resources;
}

/** Registers explain and preview. */
export async function explainRoutes(fastify: FastifyInstance, ctx: ApiContext): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/explain', {
    schema: {
      summary: 'Explain the verdict for a flow (same JSON as segflow explain --output json)',
      tags: ['policy'],
      body: ExplainBody,
      response: { 200: ExplainAnswer, ...errorResponses },
    },
  }, async (request) => {
    const flow = flowFromExplainBody(request.body);
    const view = requireInventory(ctx);
    let verdict: Verdict;
    try {
      verdict = view.inventory.explain(flow);
    } catch (err) {
      throw new ApiError(400, 'invalid_body', (err as Error).message);
    }
    if (!verdictVisible(request.principal, verdict)) {
      throw new ApiError(403, 'forbidden', `token ${request.principal.name} may only explain flows from or to its namespaces`);
    }
    return verdictJson(verdict) as ExplainAnswer;
  });

  app.post('/preview', {
    config: { minRole: 'admin' },
    schema: {
      summary: 'Preview a candidate policy against stored flows',
      description: 'Replays the last N hours of flows (one report per connection; reports stored without addresses by a representative endpoint per end, see by_identity and skipped_unresolved) against the current inventory with the candidate applied, and reports which flows change verdict.',
      tags: ['policy'],
      body: previewBody(ctx.config.limits.previewMaxHours),
      response: { 200: PreviewAnswer, ...errorResponses },
    },
  }, async (request) => {
    const body = request.body;
    const principal = request.principal;
    const candidates = parseCandidate(body.policy);
    for (const r of candidates) {
      const ns = (r as { namespace?: string | null }).namespace ?? null;
      if (principal.scope.namespaces !== null && (ns === null || !scopeAllowsNamespace(principal.scope, ns))) {
        throw new ApiError(403, 'forbidden', `token ${principal.name} may only preview policies of its namespaces (${principal.scope.namespaces.join(', ')}); ${r.kind} ${ns ? `${ns}/` : ''}${r.name} is not`, 'policy');
      }
    }
    const view = requireInventory(ctx);
    const now = ctx.now();
    const range = { fromMs: now - body.hours * 3_600_000, toMs: now };
    const replay = await replayPolicyChange({
      store: ctx.store, current: view.inventory, candidate: candidateInventory(view.resources, candidates), range, scope: principal.scope,
      maxFlows: ctx.config.limits.previewMaxFlows, timeoutMs: ctx.config.timeouts.queryMs, examples: body.examples,
    });
    const { counts, truncated, examples, unresolved } = replay;
    return {
      range: { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() },
      inventory_revision: view.inventory.revision,
      candidate: candidates.map((r) => ({ kind: r.kind, namespace: (r as { namespace?: string | null }).namespace ?? null, name: r.name })),
      counting: REPLAY_COUNTING,
      ...counts,
      changed: counts.allow_to_deny + counts.deny_to_allow,
      truncated,
      examples,
      unresolved,
    };
  });
}
