/**
 * `POST /api/v1/recommendations` — policies that allow exactly the allowed traffic a namespace
 * (or one workload of it) had in a range, with the proof: the recommendation, enforced, is
 * replayed over the same stored flows, and every flow that would change verdict is reported
 * (expected: none of the observed allowed flows).
 *
 * Scope: a namespaced token may ask only for its own namespaces and never for global resources
 * (GlobalNetworkSets). Every flow the recommendation can change has an end in the namespace, so
 * the caller's scoped view of the history is the whole of what the replay needs.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { RecommendationAnswer, RecommendationBody, type RecommendedDocument } from '../../contract/api/recommendations.ts';
import { errorResponses } from '../../contract/api/schema-parts.ts';
import {
  CLUSTER_DNS, enforcedDocuments, recommendPolicies, RecommendationError, type DnsTarget, type Recommendation, type RecommendationOutput,
} from '../../inventory/advice/policy-recommender.ts';
import { ADMIN_TIERS, parseDocument, PROTOCOL_NUMBERS, type Resource } from '../../inventory/index.ts';
import { requireInventory, type ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { scopeAllowsNamespace } from '../query/access-scope.ts';
import { collectObservedFlows, type ObservedTraffic } from '../query/observed-flows.ts';
import { candidateInventory, REPLAY_COUNTING, replayPolicyChange, type ReplayResult } from '../query/policy-replay.ts';
import { resolveTimeRange } from '../query/time-range.ts';

export { RecommendationBody, type RecommendationBody as RecommendationRequestBody } from '../../contract/api/recommendations.ts';

/** Documents as one multi-document YAML text (`kubectl apply -f` / `calicoctl apply -f` ready). */
function yamlOf(documents: readonly unknown[]): string {
  return documents.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

/** Tiers a recommendation may name: the inventory's, plus the built-in ones. */
function knownTiers(resources: readonly Resource[]): string[] {
  const tiers = new Set<string>(['default', ...Object.values(ADMIN_TIERS)]);
  for (const r of resources) if (r.kind === 'Tier') tiers.add(r.name);
  return [...tiers].sort();
}

/** What the answer is made of: the request's choices, the observed traffic, the recommendation and its replay. */
export interface RecommendationAnswerInput {
  readonly namespace: string;
  readonly workload: string | null;
  readonly range: { readonly fromMs: number; readonly toMs: number };
  readonly revision: number;
  readonly output: RecommendationOutput;
  readonly tier: string;
  readonly observed: ObservedTraffic;
  readonly recommendation: Recommendation;
  readonly replay: ReplayResult;
}

/** The /recommendations answer (pure: the route's I/O is done before). */
export function recommendationAnswer(input: RecommendationAnswerInput): RecommendationAnswer {
  const { observed, recommendation, replay } = input;
  const sum = (current: string, candidate: string): number => replay.groups.filter((g) => g.current === current && g.candidate === candidate).reduce((n, g) => n + g.flows, 0);
  const changedGroups = replay.groups.filter((g) => g.current !== g.candidate);
  const allowedKept = sum('allow', 'allow');
  // Allowed reports the replay could not evaluate: ends with neither an address nor a representative.
  const allowedUnreplayed = replay.allowedNotReplayed;
  // Manifests are spec-and-metadata objects; the schema (and its unit test) holds them to that.
  const documents = recommendation.documents as readonly RecommendedDocument[];
  return {
    namespace: input.namespace,
    workload: input.workload,
    range: { from: new Date(input.range.fromMs).toISOString(), to: new Date(input.range.toMs).toISOString() },
    inventory_revision: input.revision,
    output: input.output, tier: input.tier,
    observed: { scanned: observed.scanned, allowed: observed.allowed, denied_not_recommended: observed.denied, unreadable: observed.unreadable, shapes: observed.flows.length, truncated: observed.truncated },
    workloads: recommendation.workloads.map((w) => ({ name: w.name, policy: w.policy, selector: w.selector, labels: { ...w.labels }, ingress_rules: w.ingressRules, egress_rules: w.egressRules, flows: w.flows })),
    network_sets: recommendation.networkSets.map((n) => ({ name: n.name, namespace: n.namespace, nets: [...n.nets] })),
    dns: { kept: recommendation.dns.kept, observed_flows: recommendation.dns.observedFlows, target: recommendation.dns.target, note: recommendation.dns.note },
    excluded: { out_of_scope: recommendation.excluded.outOfScope, no_address: recommendation.excluded.noAddress },
    warnings: [...recommendation.warnings],
    documents: [...documents],
    yaml: yamlOf(recommendation.documents),
    replay: {
      counting: `${REPLAY_COUNTING}; the recommendation evaluated as enforced`,
      ...replay.counts,
      allowed_kept: allowedKept,
      denied_kept: sum('deny', 'deny'),
      allowed_not_replayed: allowedUnreplayed,
      // The promise: every observed allowed flow was replayed and none turns to deny.
      verified: replay.counts.allow_to_deny === 0 && !replay.truncated && !observed.truncated && allowedUnreplayed === 0,
      changed_groups: changedGroups,
      truncated: replay.truncated,
      examples: replay.examples,
      unresolved: replay.unresolved,
    },
  };
}

/** Registers the recommendation route. */
export async function recommendationRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/recommendations', {
    schema: {
      summary: 'Recommend policies from observed traffic, verified by replay',
      description: 'Builds policies that allow exactly the allowed flows seen in the range with an end in the namespace (per workload, ingress and egress; peers by namespace and stable labels; external addresses in suggested network sets; DNS to the cluster DNS kept; ports as seen), then replays the stored flows of the range with the recommendation enforced and reports every verdict it would change.',
      tags: ['policy'],
      body: RecommendationBody,
      response: { 200: RecommendationAnswer, ...errorResponses },
    },
  }, async (request) => {
    const body = request.body;
    const principal = request.principal;
    const output = body.output ?? 'staged';
    const networkSets = body.network_sets ?? 'namespaced';
    if (!scopeAllowsNamespace(principal.scope, body.namespace)) {
      throw new ApiError(403, 'forbidden', `token ${principal.name} may only get recommendations for its namespaces (${(principal.scope.namespaces ?? []).join(', ')}); ${body.namespace} is not one`, 'namespace');
    }
    if (networkSets === 'global' && principal.scope.namespaces !== null) {
      throw new ApiError(403, 'forbidden', `token ${principal.name} is limited to namespaces and may not get global resources (GlobalNetworkSets); use network_sets: namespaced`, 'network_sets');
    }
    const view = requireInventory(ctx);
    const tier = body.tier ?? 'default';
    if (output !== 'kubernetes') {
      const tiers = knownTiers(view.resources);
      if (!tiers.includes(tier)) throw new ApiError(400, 'invalid_body', `tier: no tier "${tier}" in the inventory (tiers: ${tiers.join(', ')}); create it first or name another`, 'tier');
    }
    const now = ctx.now();
    const maxRangeMs = ctx.config.limits.previewMaxHours * 3_600_000;
    const range = resolveTimeRange(body.from, body.to, now, { maxRangeMs, defaultRangeMs: Math.min(24 * 3_600_000, maxRangeMs) });
    const dns: DnsTarget | null = body.dns === false ? null : {
      namespace: body.dns_namespace ?? CLUSTER_DNS.namespace,
      labels: body.dns_labels ?? CLUSTER_DNS.labels,
      ports: [{ protocol: PROTOCOL_NUMBERS.udp as number, port: 53 }, { protocol: PROTOCOL_NUMBERS.tcp as number, port: 53 }],
    };

    const limits = { maxFlows: ctx.config.limits.previewMaxFlows, timeoutMs: ctx.config.timeouts.queryMs };
    const observed = await collectObservedFlows({ store: ctx.store, range, scope: principal.scope, namespace: body.namespace, ...limits });
    let recommendation;
    try {
      recommendation = recommendPolicies(observed.flows, {
        namespace: body.namespace, workload: body.workload ?? null, output, tier, order: body.order ?? 1000, dns, networkSetScope: networkSets,
        provenance: `${new Date(range.fromMs).toISOString()}/${new Date(range.toMs).toISOString()}`,
      });
    } catch (err) {
      if (err instanceof RecommendationError) throw new ApiError(400, 'invalid_body', err.message, body.workload !== undefined && /^workload:/.test(err.message) ? 'workload' : undefined);
      throw err;
    }

    // Replay with the recommendation enforced (a staged policy decides nothing by itself).
    const candidates: Resource[] = [];
    const problems: string[] = [];
    enforcedDocuments(recommendation.documents).forEach((doc, i) => {
      const r = parseDocument(doc, { file: 'recommendation', document: i + 1 });
      candidates.push(...r.resources);
      for (const issue of r.issues) if (issue.severity === 'error') problems.push(issue.message);
    });
    if (problems.length > 0) throw new Error(`the recommendation does not load: ${problems.join('; ')}`);
    const replay = await replayPolicyChange({
      store: ctx.store, current: view.inventory, candidate: candidateInventory(view.resources, candidates), range, scope: principal.scope,
      examples: body.examples ?? 20, groupUnchanged: true, ...limits,
      filters: [{ bool: { should: [{ term: { 'segflow.source.namespace': body.namespace } }, { term: { 'segflow.destination.namespace': body.namespace } }], minimum_should_match: 1 } }],
    });
    return recommendationAnswer({
      namespace: body.namespace, workload: body.workload ?? null, range, revision: view.inventory.revision,
      output, tier: output === 'kubernetes' ? 'default' : tier, observed, recommendation, replay,
    });
  });
}
