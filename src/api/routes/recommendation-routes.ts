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
import Type, { type Static } from 'typebox';
import { stringify } from 'yaml';
import {
  CLUSTER_DNS, enforcedDocuments, recommendPolicies, RecommendationError, type DnsTarget,
} from '../../inventory/advice/policy-recommender.ts';
import { ADMIN_TIERS, parseDocument, PROTOCOL_NUMBERS, type Resource } from '../../inventory/index.ts';
import { requireInventory, type ApiContext } from '../context.ts';
import { ApiError, errorResponseSchema } from '../errors.ts';
import { scopeAllowsNamespace } from '../query/access-scope.ts';
import { collectObservedFlows } from '../query/observed-flows.ts';
import { candidateInventory, REPLAY_COUNTING, replayPolicyChange } from '../query/policy-replay.ts';
import { resolveTimeRange } from '../query/time-range.ts';

const NAME = { minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };

export const RecommendationBody = Type.Object({
  namespace: Type.String({ ...NAME, description: 'Namespace whose workloads get policies.' }),
  workload: Type.Optional(Type.String({ ...NAME, description: 'Only this workload (a name from a previous answer\'s workloads[].name).' })),
  from: Type.Optional(Type.String({ maxLength: 64, description: 'Start of the observed range: ISO 8601 with a zone or now-<n><s|m|h|d|w>. Default: to minus 24 hours.' })),
  to: Type.Optional(Type.String({ maxLength: 64, description: 'End of the observed range (default now).' })),
  output: Type.Optional(Type.Union([Type.Literal('staged'), Type.Literal('calico'), Type.Literal('kubernetes')], { description: 'staged: Calico StagedNetworkPolicy (default); calico: enforced Calico NetworkPolicy; kubernetes: networking.k8s.io/v1 NetworkPolicy.' })),
  tier: Type.Optional(Type.String({ ...NAME, description: 'Calico tier of the policies (default: default). Must exist.' })),
  order: Type.Optional(Type.Number({ minimum: 0, maximum: 1e9, description: 'Calico order within the tier (default 1000).' })),
  dns: Type.Optional(Type.Boolean({ description: 'Keep DNS to the cluster DNS working (default true).' })),
  dns_namespace: Type.Optional(Type.String({ ...NAME, description: 'Namespace of the cluster DNS (default kube-system).' })),
  dns_labels: Type.Optional(Type.Record(Type.String({ maxLength: 253 }), Type.String({ maxLength: 63 }), { description: 'Labels of the cluster DNS pods (default k8s-app: kube-dns).' })),
  network_sets: Type.Optional(Type.Union([Type.Literal('namespaced'), Type.Literal('global')], { description: 'External addresses as NetworkSets of the namespace (default) or GlobalNetworkSets (unrestricted tokens only).' })),
  examples: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Changed flows to return as examples (default 20).' })),
}, { additionalProperties: false });

export type RecommendationRequestBody = Static<typeof RecommendationBody>;

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

/** Registers the recommendation route. */
export async function recommendationRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/recommendations', {
    schema: {
      summary: 'Recommend policies from observed traffic, verified by replay',
      description: 'Builds policies that allow exactly the allowed flows seen in the range with an end in the namespace (per workload, ingress and egress; peers by namespace and stable labels; external addresses in suggested network sets; DNS to the cluster DNS kept; ports as seen), then replays the stored flows of the range with the recommendation enforced and reports every verdict it would change.',
      tags: ['policy'],
      body: RecommendationBody,
      response: { 200: { type: 'object', additionalProperties: true }, '4xx': errorResponseSchema, '5xx': errorResponseSchema },
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
    const sum = (current: string, candidate: string): number => replay.groups.filter((g) => g.current === current && g.candidate === candidate).reduce((n, g) => n + g.flows, 0);
    const changedGroups = replay.groups.filter((g) => g.current !== g.candidate);
    const allowedKept = sum('allow', 'allow');
    // Allowed reports the replay could not evaluate: ends with neither an address nor a representative.
    const allowedUnreplayed = replay.allowedNotReplayed;

    return {
      namespace: body.namespace,
      workload: body.workload ?? null,
      range: { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() },
      inventory_revision: view.inventory.revision,
      output, tier: output === 'kubernetes' ? 'default' : tier,
      observed: { scanned: observed.scanned, allowed: observed.allowed, denied_not_recommended: observed.denied, unreadable: observed.unreadable, shapes: observed.flows.length, truncated: observed.truncated },
      workloads: recommendation.workloads.map((w) => ({ name: w.name, policy: w.policy, selector: w.selector, labels: w.labels, ingress_rules: w.ingressRules, egress_rules: w.egressRules, flows: w.flows })),
      network_sets: recommendation.networkSets,
      dns: { kept: recommendation.dns.kept, observed_flows: recommendation.dns.observedFlows, target: recommendation.dns.target, note: recommendation.dns.note },
      excluded: { out_of_scope: recommendation.excluded.outOfScope, no_address: recommendation.excluded.noAddress },
      warnings: recommendation.warnings,
      documents: recommendation.documents,
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
  });
}
