/**
 * A small Kubernetes API client on node:http(s): JSON requests and streaming watches, with the
 * kubeconfig's CA, client certificate and bearer token. No dependency beyond Node (client-node 2.x
 * needs Node 22; this works on 20 and 24). The token is never logged; a token file is re-read
 * every minute because bound service-account tokens rotate.
 */
import http from 'node:http';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import type { KubeConnection } from './kube-config.ts';
import { registerSecret } from '../runtime/role-config/secret-redaction.ts';

/** The `Status` object the API server answers errors with. */
export interface KubeStatus {
  readonly kind?: string;
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: Record<string, unknown>;
}

/** A request the API server refused (HTTP status ≥ 400) or an ERROR watch event. */
export class KubeApiError extends Error {
  constructor(readonly status: number, readonly method: string, readonly path: string, readonly body: KubeStatus | undefined, text?: string) {
    super(`${method} ${path}: ${status}${body?.reason ? ` ${body.reason}` : ''}: ${body?.message ?? text?.slice(0, 300) ?? 'no message'}`);
    this.name = 'KubeApiError';
  }
}

/** One line of a watch stream. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: Record<string, unknown>;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Whole-request deadline in ms (default 30 s). */
  readonly timeoutMs?: number;
}

export interface WatchOptions {
  readonly signal?: AbortSignal;
  /** The stream is given up as dead after this long without a byte (bookmarks keep a healthy one busy). */
  readonly idleTimeoutMs: number;
}

/** What the reflector and the lease need from the API server (fakes implement it in unit tests). */
export interface KubeApi {
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  /** Streams events to `onEvent` until the server ends the watch (resolves) or it fails (rejects). */
  watch(path: string, onEvent: (event: WatchEvent) => void, options: WatchOptions): Promise<void>;
}

/** A bearer token that follows its file (re-read at most once a minute, and after a 401). */
class BearerToken {
  private cached: string | undefined;
  private readAt = 0;

  constructor(private readonly source: KubeConnection['token']) {
    // Whatever a library error or a log line might quote, the token is redacted from it.
    if (source?.kind === 'static') registerSecret(source.value);
  }

  async value(): Promise<string | undefined> {
    const source = this.source;
    if (source === undefined) return undefined;
    if (source.kind === 'static') return source.value;
    if (this.cached === undefined || Date.now() - this.readAt > 60_000) {
      this.cached = (await readFile(source.path, 'utf8')).trim();
      registerSecret(this.cached);
      this.readAt = Date.now();
    }
    return this.cached;
  }

  /** After a 401 the file may have been rotated under us: read it again next time. */
  invalidate(): void {
    this.readAt = 0;
  }
}

export class KubeClient implements KubeApi {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly token: BearerToken;

  constructor(readonly connection: KubeConnection) {
    this.base = new URL(connection.server);
    this.token = new BearerToken(connection.token);
    this.agent = this.base.protocol === 'https:'
      ? new https.Agent({
        keepAlive: true,
        ca: connection.ca,
        cert: connection.clientCertificate,
        key: connection.clientKey,
        rejectUnauthorized: !connection.insecureSkipTlsVerify,
        servername: connection.tlsServerName,
      })
      : new http.Agent({ keepAlive: true });
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  private async open(method: string, path: string, body: string | undefined, signal: AbortSignal | undefined): Promise<{ req: http.ClientRequest; res: Promise<http.IncomingMessage> }> {
    const url = new URL(path, this.base);
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json', 'user-agent': 'segflow-inventory-sync' };
    const token = await this.token.value();
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const send = url.protocol === 'https:' ? https.request : http.request;
    const req = send(url, { method, headers, agent: this.agent, signal });
    const res = new Promise<http.IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
    });
    req.end(body);
    return { req, res };
  }

  private async failure(method: string, path: string, res: http.IncomingMessage): Promise<KubeApiError> {
    const text = await readBody(res).catch(() => '');
    if (res.statusCode === 401) this.token.invalidate();
    let status: KubeStatus | undefined;
    try {
      status = JSON.parse(text) as KubeStatus;
    } catch {
      status = undefined;
    }
    return new KubeApiError(res.statusCode ?? 0, method, path, status, text);
  }

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const { res } = await this.open(method, path, body === undefined ? undefined : JSON.stringify(body), signal);
    const response = await res;
    if ((response.statusCode ?? 0) >= 400) throw await this.failure(method, path, response);
    return JSON.parse(await readBody(response)) as T;
  }

  async watch(path: string, onEvent: (event: WatchEvent) => void, options: WatchOptions): Promise<void> {
    const { req, res } = await this.open('GET', path, undefined, options.signal);
    // A server that vanished without closing the socket (network partition) is noticed by the silence.
    req.setTimeout(options.idleTimeoutMs, () => req.destroy(new Error(`watch ${path}: no data for ${options.idleTimeoutMs} ms`)));
    const response = await res;
    if ((response.statusCode ?? 0) >= 400) throw await this.failure('GET', path, response);
    response.setEncoding('utf8');
    let buffered = '';
    for await (const chunk of response as AsyncIterable<string>) {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== '') onEvent(JSON.parse(line) as WatchEvent);
        newline = buffered.indexOf('\n');
      }
    }
    if (!response.complete) throw new Error(`watch ${path}: connection closed before the response ended`);
    if (buffered.trim() !== '') onEvent(JSON.parse(buffered) as WatchEvent);
  }
}

async function readBody(res: http.IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res as AsyncIterable<string>) text += chunk;
  return text;
}

/** The HTTP status of an error from {@link KubeApi}, or undefined for network errors. */
export function statusOf(err: unknown): number | undefined {
  return err instanceof KubeApiError ? err.status : undefined;
}
