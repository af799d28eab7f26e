/**
 * A real TLS-terminating, credential-checking proxy in front of the shared dev Elasticsearch:
 * Debian's nginx (nginx-light), configured per test with a test CA's server certificate and a
 * `map` of the Authorization headers it accepts (API keys and basic-auth users, some read-only).
 * It answers like Elasticsearch's security layer: 401 for unknown credentials, 403 naming the
 * action for a read-only key that tries to write. Started on a free loopback port, reloaded
 * (SIGHUP) when the accepted credentials change, stopped by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { freePort } from './free-port.ts';
import path from 'node:path';
import tls from 'node:tls';

export interface ProxyCredentials {
  /** Encoded API keys (what `Authorization: ApiKey <key>` carries) allowed to read and write. */
  readonly apiKeys?: readonly string[];
  /** API keys that may only read (GET, HEAD, and POST searches): writes get 403. */
  readonly readOnlyApiKeys?: readonly string[];
  readonly basicUsers?: readonly { user: string; password: string }[];
  /** Bearer tokens (`Authorization: Bearer <token>`) allowed to read and write. */
  readonly bearerTokens?: readonly string[];
}

export interface NginxTlsProxy {
  readonly url: string;
  readonly port: number;
  /** Replaces the accepted credentials and reloads nginx (resolves once the new set answers). */
  setCredentials(credentials: ProxyCredentials): Promise<void>;
  stop(): Promise<void>;
}

const UNAUTHENTICATED = JSON.stringify({ error: { root_cause: [{ type: 'security_exception', reason: 'unable to authenticate with provided credentials and anonymous access is not allowed for this request' }], type: 'security_exception', reason: 'unable to authenticate with provided credentials and anonymous access is not allowed for this request' }, status: 401 });
const forbidden = (action: string): string => JSON.stringify({ error: { root_cause: [{ type: 'security_exception', reason: `action [${action}] is unauthorized for API key id [read-only] of user [segflow-reader], this action is granted by the index privileges [create_doc,create,index,write,all]` }], type: 'security_exception', reason: `action [${action}] is unauthorized for API key id [read-only] of user [segflow-reader], this action is granted by the index privileges [create_doc,create,index,write,all]` }, status: 403 });

/** nginx string literal: single-quoted, with quotes and backslashes escaped. */
const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function configText(o: { dir: string; port: number; upstream: URL; certFile: string; keyFile: string; credentials: ProxyCredentials }): string {
  const entries = [
    ...(o.credentials.apiKeys ?? []).map((k) => [`ApiKey ${k}`, 'write']),
    ...(o.credentials.readOnlyApiKeys ?? []).map((k) => [`ApiKey ${k}`, 'read']),
    ...(o.credentials.basicUsers ?? []).map((u) => [`Basic ${Buffer.from(`${u.user}:${u.password}`).toString('base64')}`, 'write']),
    ...(o.credentials.bearerTokens ?? []).map((t) => [`Bearer ${t}`, 'write']),
  ];
  const tmp = path.join(o.dir, 'tmp');
  return `
${process.getuid?.() === 0 ? 'user root root;' : ''}
worker_processes 1;
daemon off;
pid ${path.join(o.dir, 'nginx.pid')};
error_log ${path.join(o.dir, 'error.log')} notice;
events { worker_connections 128; }
http {
  access_log ${path.join(o.dir, 'access.log')};
  client_body_temp_path ${tmp}/body; proxy_temp_path ${tmp}/proxy; fastcgi_temp_path ${tmp}/fastcgi; uwsgi_temp_path ${tmp}/uwsgi; scgi_temp_path ${tmp}/scgi;
  client_max_body_size 100m;
  map_hash_bucket_size 256;
  map $http_authorization $segflow_access {
    default none;
${entries.map(([header, access]) => `    ${quote(header!)} ${access};`).join('\n')}
  }
  upstream elasticsearch { server ${o.upstream.host}; keepalive 8; }
  server {
    listen 127.0.0.1:${o.port} ssl;
    ssl_certificate ${o.certFile};
    ssl_certificate_key ${o.keyFile};
    default_type application/json;
    location / {
      if ($segflow_access = none) {
        add_header WWW-Authenticate 'ApiKey, Basic realm="security", charset="UTF-8"' always;
        add_header X-elastic-product Elasticsearch always;
        return 401 ${quote(UNAUTHENTICATED)};
      }
      set $segflow_write "$segflow_access:$request_method";
      # Elasticsearch's own answers carry its product header; the proxied ones bring it from upstream.
      if ($segflow_write = "read:PUT") { add_header X-elastic-product Elasticsearch always; return 403 ${quote(forbidden('indices:admin/index_template/put'))}; }
      if ($segflow_write = "read:DELETE") { add_header X-elastic-product Elasticsearch always; return 403 ${quote(forbidden('indices:admin/delete'))}; }
      proxy_pass http://elasticsearch;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "";
      proxy_read_timeout 120s;
    }
  }
}
`;
}

/** Starts nginx in `dir` (which must exist) in front of `upstream`. */
export async function startNginxTlsProxy(options: { dir: string; upstream: string; certFile: string; keyFile: string; credentials: ProxyCredentials }): Promise<NginxTlsProxy> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== 'http:') throw new Error(`the test proxy forwards to plain http, got ${options.upstream}`);
  await mkdir(path.join(options.dir, 'tmp'), { recursive: true });
  const port = await freePort();
  const confFile = path.join(options.dir, 'nginx.conf');
  const write = (credentials: ProxyCredentials): Promise<void> => writeFile(confFile, configText({ ...options, dir: options.dir, port, upstream, credentials }));
  await write(options.credentials);
  let child: ChildProcess;
  try {
    child = spawn('nginx', ['-p', options.dir, '-c', confFile, '-e', path.join(options.dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`cannot start nginx (apt-get install nginx-light): ${(error as Error).message}`, { cause: error });
  }
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', () => undefined);
  const ready = async (): Promise<void> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => { socket.end(); resolve(true); });
        socket.once('error', () => resolve(false));
      });
      if (ok) return;
      if (child.exitCode !== null || Date.now() > deadline) {
        const log = await readFile(path.join(options.dir, 'error.log'), 'utf8').catch(() => '');
        throw new Error(`nginx did not start (exit ${child.exitCode}): ${stderr.trim()} ${log.trim()}`.trim());
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await ready();
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    async setCredentials(credentials: ProxyCredentials): Promise<void> {
      await write(credentials);
      const pidText = await readFile(path.join(options.dir, 'nginx.pid'), 'utf8');
      const before = (await readFile(path.join(options.dir, 'error.log'), 'utf8').catch(() => '')).length;
      process.kill(Number(pidText.trim()), 'SIGHUP');
      // The master logs the start of new workers; old workers finish their requests and go.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const log = (await readFile(path.join(options.dir, 'error.log'), 'utf8').catch(() => '')).slice(before);
        if (/reconfiguring|start worker process/.test(log) || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300));
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
