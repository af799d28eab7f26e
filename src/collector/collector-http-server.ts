/**
 * The agent's small HTTP endpoint: `GET /healthz` (200 while running and the sources are alive,
 * 503 otherwise, JSON body with the reason), `GET /status` (full JSON status) and `GET /metrics`
 * (Prometheus text format).
 */
import type { Registry } from 'prom-client';
import { startRoleHttpServer, type RoleHttpServer } from '../runtime/role-http-server.ts';

/** What the server asks the collector for on each request. */
export interface CollectorHttpHandlers {
  /** Health verdict and the reasons behind it. */
  health(): { healthy: boolean; reasons: string[] };
  /** Full status document. */
  status(): unknown;
  registry: Registry;
}

/** A started HTTP endpoint. */
export type CollectorHttpServer = RoleHttpServer;

/** Starts the endpoint on `host:port`; resolves once listening. */
export function startCollectorHttpServer(host: string, port: number, handlers: CollectorHttpHandlers): Promise<CollectorHttpServer> {
  return startRoleHttpServer(host, port, {
    '/healthz': () => {
      const { healthy, reasons } = handlers.health();
      return { code: healthy ? 200 : 503, body: { status: healthy ? 'ok' : 'unhealthy', reasons } };
    },
    '/status': () => ({ code: 200, body: handlers.status() }),
  }, handlers.registry);
}
