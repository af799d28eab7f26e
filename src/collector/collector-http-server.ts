/**
 * The agent's small HTTP endpoint (node:http): `GET /healthz` (200 while running and the
 * sources are alive, 503 otherwise, JSON body with the reason), `GET /status` (full JSON
 * status) and `GET /metrics` (Prometheus text format).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What the server asks the collector for on each request. */
export interface CollectorHttpHandlers {
  /** Health verdict and the reasons behind it. */
  health(): { healthy: boolean; reasons: string[] };
  /** Full status document. */
  status(): unknown;
  registry: Registry;
}

/** A started HTTP endpoint. */
export interface CollectorHttpServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** Starts the endpoint on `host:port`; resolves once listening. */
export async function startCollectorHttpServer(host: string, port: number, handlers: CollectorHttpHandlers): Promise<CollectorHttpServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://collector');
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
      case '/status':
        return json(200, handlers.status());
      case '/metrics':
        handlers.registry
          .metrics()
          .then((text) => {
            res.writeHead(200, { 'content-type': handlers.registry.contentType });
            res.end(text);
          })
          .catch((err: Error) => json(500, { error: err.message }));
        return;
      default:
        return json(404, { error: 'not found', endpoints: ['/healthz', '/status', '/metrics'] });
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
