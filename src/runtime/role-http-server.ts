/**
 * The small HTTP endpoint every long-running role without Fastify serves (node:http): JSON GET
 * routes of the role's own (`/healthz`, `/readyz`, `/status`, ...) and `GET /metrics` in the
 * Prometheus text format. One shape for the collector and the inventory sync.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A JSON route: the status code and the body it answers now. */
export type JsonRoute = () => { readonly code: number; readonly body: unknown };

export interface RoleHttpServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the endpoint on `host:port` with `routes` and `/metrics`; resolves once listening. */
export async function startRoleHttpServer(host: string, port: number, routes: Readonly<Record<string, JsonRoute>>, registry: Registry): Promise<RoleHttpServer> {
  const endpoints = [...Object.keys(routes), '/metrics'];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://role');
    const json = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    if (req.method !== 'GET') return json(405, { error: 'method not allowed' });
    if (url.pathname === '/metrics') {
      registry.metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        })
        .catch((err: Error) => json(500, { error: err.message }));
      return;
    }
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (!route) return json(404, { error: 'not found', endpoints });
    const { code, body } = route();
    return json(code, body);
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
