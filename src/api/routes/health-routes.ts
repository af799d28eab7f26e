/**
 * Operational routes: `/healthz` (the process answers) and `/readyz` (Elasticsearch reachable
 * and the inventory loaded: only then should a load balancer send traffic) without a token;
 * `/metrics` (Prometheus text format) with an admin token, since request counts per route and
 * token name tell an outsider who uses the API how (`segflow api --metrics-port` serves it
 * without a token on loopback instead).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HealthAnswer, ReadyAnswer } from '../../contract/api/health.ts';
import type { ApiContext } from '../context.ts';

/** Registers the health, readiness and metrics routes. */
export async function healthRoutes(fastify: FastifyInstance, ctx: ApiContext): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const open = { public: true, rateLimit: false } as const;

  app.get('/healthz', {
    // Liveness stays answered under the overload guard: a 503 here would make Kubernetes restart
    // an API that is only busy. /readyz does shed (it takes the pod out of rotation instead).
    config: { ...open, pressureHandler: () => undefined },
    schema: { summary: 'Liveness', tags: ['operations'], security: [], response: { 200: HealthAnswer } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: open,
    schema: { summary: 'Readiness: Elasticsearch reachable and inventory loaded', tags: ['operations'], security: [], response: { 200: ReadyAnswer, 503: ReadyAnswer } },
  }, async (_request, reply) => {
    const es = await ctx.store.ping(ctx.config.timeouts.readinessMs);
    const view = ctx.inventory.current();
    if (view) ctx.metrics.inventoryRevision.set(view.inventory.revision);
    const inventory = view
      ? { ok: true, source: ctx.inventory.description, revision: view.inventory.revision, resources: view.resources.length, loaded_at: new Date(view.loadedAtMs).toISOString() }
      : { ok: false, source: ctx.inventory.description };
    const ready = es.ok && inventory.ok;
    void reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', checks: { elasticsearch: es.ok ? { ok: true } : { ok: false, error: es.error }, inventory } };
  });

  app.get('/metrics', {
    config: { minRole: 'admin', rateLimit: false },
    schema: { summary: 'Prometheus metrics (admin token)', tags: ['operations'] },
  }, async (_request, reply) => {
    void reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
