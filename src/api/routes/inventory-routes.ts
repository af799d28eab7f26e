/**
 * Inventory views: `GET /api/v1/endpoints`, `/policies`, `/tiers`, with the selector matches
 * (which endpoints a policy selects, which policies apply to an endpoint). Answers come from the
 * inventory source's current view. A namespaced caller sees endpoints of its namespaces, the
 * namespaced policies of its namespaces, and global policies only when they select one of its
 * endpoints (and then only its endpoints among the matches).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  EndpointsAnswer, EndpointsQuery, PoliciesAnswer, PoliciesQuery, TiersAnswer, TiersQuery, type PolicyRef,
} from '../../contract/api/inventory.ts';
import { errorResponses } from '../../contract/api/schema-parts.ts';
import type { CompiledPolicy, EndpointSnapshot } from '../../inventory/index.ts';
import { parseSelector, SelectorError } from '../../inventory/selector/index.ts';
import type { AccessScope } from '../query/access-scope.ts';
import { scopeAllowsNamespace } from '../query/access-scope.ts';
import { requireInventory, type ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';

function ownLabels(labels: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of labels) if (!k.startsWith('projectcalico.org/') && !k.startsWith('pcns.') && !k.startsWith('pcsa.')) out[k] = v;
  return out;
}

function endpointVisible(scope: AccessScope, e: EndpointSnapshot): boolean {
  return scopeAllowsNamespace(scope, e.resource.namespace);
}

function policyRef(p: CompiledPolicy): PolicyRef {
  return { kind: p.shortKind, namespace: p.policy.namespace, name: p.policy.name, tier: p.policy.tier };
}

function selectorParam(name: string, text: string | undefined): ((labels: ReadonlyMap<string, string>) => boolean) | undefined {
  if (text === undefined) return undefined;
  try {
    return parseSelector(text).matches;
  } catch (err) {
    if (err instanceof SelectorError) throw new ApiError(400, 'invalid_selector', `${name}: ${err.message}`, name);
    throw err;
  }
}

/** Registers the inventory view routes. */
export async function inventoryRoutes(fastify: FastifyInstance, ctx: ApiContext): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/endpoints', {
    schema: {
      summary: 'Endpoints with their effective labels and the policies that apply to them',
      tags: ['inventory'],
      querystring: EndpointsQuery,
      response: { 200: EndpointsAnswer, ...errorResponses },
    },
  }, async (request) => {
    const q = request.query;
    const view = requireInventory(ctx);
    const matches = selectorParam('selector', q.selector);
    const out: EndpointsAnswer['endpoints'] = [];
    let total = 0;
    for (const e of view.inventory.endpoints.allEndpoints()) {
      if (!endpointVisible(request.principal.scope, e)) continue;
      if (q.namespace !== undefined && e.resource.namespace !== q.namespace) continue;
      if (q.kind !== undefined && e.kind !== q.kind) continue;
      if (matches && !matches(e.labels)) continue;
      total++;
      if (out.length >= q.limit) continue;
      out.push({
        key: e.key, kind: e.kind, namespace: e.resource.namespace, name: e.resource.name, node: e.resource.node, ips: [...e.resource.ips],
        labels: ownLabels(e.labels), service_account: e.resource.serviceAccount,
        policies: view.inventory.policies.applicableTo(e.key).map(policyRef),
      });
    }
    return { revision: view.inventory.revision, total, endpoints: out };
  });

  app.get('/policies', {
    schema: {
      summary: 'Policies with the endpoints their selectors match',
      tags: ['inventory'],
      querystring: PoliciesQuery,
      response: { 200: PoliciesAnswer, ...errorResponses },
    },
  }, async (request) => {
    const q = request.query;
    const view = requireInventory(ctx);
    const scope = request.principal.scope;
    const endpoints = [...view.inventory.endpoints.allEndpoints()];
    const policies = [...view.inventory.policies.allPolicies()].sort((a, b) => a.order - b.order || (a.sortName < b.sortName ? -1 : 1));
    const out: PoliciesAnswer['policies'] = [];
    let total = 0;
    for (const p of policies) {
      if (q.namespace !== undefined && p.policy.namespace !== q.namespace) continue;
      if (q.tier !== undefined && p.policy.tier !== q.tier) continue;
      if (p.policy.namespace !== null && !scopeAllowsNamespace(scope, p.policy.namespace)) continue;
      const selected = endpoints.filter((e) => endpointVisible(scope, e) && p.matches(e.labels));
      if (p.policy.namespace === null && scope.namespaces !== null && selected.length === 0) continue;
      total++;
      if (out.length >= q.limit) continue;
      out.push({
        ...policyRef(p), order: p.policy.order, staged: p.staged, selector: p.policy.selector.text, types: p.policy.types,
        ingress_rules: p.policy.ingress.length, egress_rules: p.policy.egress.length,
        selects: { count: selected.length, endpoints: selected.slice(0, q.matches_limit).map((e) => e.key) },
      });
    }
    return { revision: view.inventory.revision, total, policies: out };
  });

  app.get('/tiers', {
    schema: {
      summary: 'Tiers in evaluation order with their policies',
      tags: ['inventory'],
      querystring: TiersQuery,
      response: { 200: TiersAnswer, ...errorResponses },
    },
  }, async (request) => {
    const view = requireInventory(ctx);
    const scope = request.principal.scope;
    const endpoints = [...view.inventory.endpoints.allEndpoints()].filter((e) => endpointVisible(scope, e));
    const policies = [...view.inventory.policies.allPolicies()].sort((a, b) => a.order - b.order || (a.sortName < b.sortName ? -1 : 1));
    const visible = policies.filter((p) => (p.policy.namespace !== null ? scopeAllowsNamespace(scope, p.policy.namespace) : scope.namespaces === null || endpoints.some((e) => p.matches(e.labels))));
    const tiers = view.inventory.policies.tiers().sort((a, b) => a.rank - b.rank).map((t) => ({
      name: t.name, rank: t.rank, default_action: t.defaultAction.toLowerCase(), defined: t.defined,
      policies: visible.filter((p) => p.policy.tier === t.name).map((p) => ({ ...policyRef(p), order: p.policy.order, staged: p.staged })),
    }));
    return { revision: view.inventory.revision, tiers };
  });
}
