/**
 * The enricher's health/metrics endpoint, the same shape as the collector's and the inventory
 * sync's (runtime/role-http-server.ts): `GET /healthz` (200 once consuming, 503 otherwise, with
 * the inventory and Elasticsearch state) and `GET /metrics` (Prometheus text format).
 */
import type { Registry } from 'prom-client';
import { startRoleHttpServer, type RoleHttpServer } from '../runtime/role-http-server.ts';

/** The `/healthz` body. */
export interface EnricherHealth {
  readonly ready: boolean;
  readonly inventoryRevision: number;
  readonly inventory: unknown;
  /** ISO time an Elasticsearch outage began, or null. */
  readonly elasticsearchUnavailableSince: string | null;
}

/** What the server asks the enricher for on each request. */
export interface EnricherHttpHandlers {
  health(): EnricherHealth;
  readonly registry: Registry;
}

/** A started endpoint. */
export type EnricherHttpServer = RoleHttpServer;

/** Starts the endpoint on `host:port`; resolves once listening. */
export function startEnricherHttpServer(host: string, port: number, handlers: EnricherHttpHandlers): Promise<EnricherHttpServer> {
  return startRoleHttpServer(host, port, {
    '/healthz': () => {
      const health = handlers.health();
      return { code: health.ready ? 200 : 503, body: health };
    },
  }, handlers.registry);
}
