/**
 * The sync's HTTP endpoint: `GET /healthz` (200 while its loops run), `GET /readyz` (200 once
 * the first complete sync is published — or, on a warm follower, listed — the body says whether
 * this replica leads) and `GET /metrics`.
 */
import type { Registry } from 'prom-client';
import { startRoleHttpServer, type RoleHttpServer } from '../runtime/role-http-server.ts';

export interface SyncHttpHandlers {
  health(): { healthy: boolean; reasons: string[] };
  readiness(): { ready: boolean; leader: boolean; reasons: string[] };
  registry: Registry;
}

export type SyncHttpServer = RoleHttpServer;

export function startSyncHttpServer(host: string, port: number, handlers: SyncHttpHandlers): Promise<SyncHttpServer> {
  return startRoleHttpServer(host, port, {
    '/healthz': () => {
      const { healthy, reasons } = handlers.health();
      return { code: healthy ? 200 : 503, body: { status: healthy ? 'ok' : 'unhealthy', reasons } };
    },
    '/readyz': () => {
      const { ready, leader, reasons } = handlers.readiness();
      return { code: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', leader, reasons } };
    },
  }, handlers.registry);
}
