/**
 * The sync's HTTP endpoint (node:http, the same shape as the collector's): `GET /healthz` (200
 * while its loops run), `GET /readyz` (200 once the first complete sync is published — or, on a
 * warm follower, listed — the body says whether this replica leads) and `GET /metrics`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface SyncHttpHandlers {
  health(): { healthy: boolean; reasons: string[] };
  readiness(): { ready: boolean; leader: boolean; reasons: string[] };
  registry: Registry;
}

export interface SyncHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startSyncHttpServer(host: string, port: number, handlers: SyncHttpHandlers): Promise<SyncHttpServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://inventory-sync');
    const json = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    if (req.method !== 'GET') return json(405, { error: 'method not allowed' });
    switch (url.pathname) {
      case '/healthz': {
        const { healthy, reasons } = handlers.health();
        return json(healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', reasons });
      }
      case '/readyz': {
        const { ready, leader, reasons } = handlers.readiness();
        return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', leader, reasons });
      }
      case '/metrics':
        handlers.registry.metrics()
          .then((text) => {
            res.writeHead(200, { 'content-type': handlers.registry.contentType });
            res.end(text);
          })
          .catch((err: Error) => json(500, { error: err.message }));
        return;
      default:
        return json(404, { error: 'not found', endpoints: ['/healthz', '/readyz', '/metrics'] });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
