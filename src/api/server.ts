/**
 * `ApiServer`: the lifecycle root of `segflow api`. It builds the Fastify application (plugins
 * encapsulated per concern, routes schema-first), starts listening, and stops gracefully:
 * stop accepting, let in-flight requests finish within the shutdown budget, then close the
 * Elasticsearch client and the inventory source.
 *
 * HTTPS: the certificate and key (and the client CA) are re-read on `reloadTls()` (SIGHUP) and
 * whenever one of the files changes; the new context serves new connections, open ones go on.
 */
import { randomUUID, X509Certificate } from 'node:crypto';
import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type https from 'node:https';
import { createSecureContext, type TLSSocket } from 'node:tls';
import type { Client } from '@elastic/elasticsearch';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import { createElasticsearchClient } from '../runtime/elasticsearch-client.ts';
import { createLogger, type Logger } from '../runtime/logger.ts';
import { ANONYMOUS_ADMIN, hasRole, loadTokenFile, type Principal, type TokenTable } from './auth/tokens.ts';
import { resolveApiConfig, type ApiConfig, type ApiConfigInput, type ApiTlsConfig, type ClientCertificateMode } from './config.ts';
import { createApiContext, type ApiContext } from './context.ts';
import { ApiError, clientErrorResponse, quoteInput } from './errors.ts';
import { FlowStore } from './flow-store.ts';
import { FileInventorySource, NoInventorySource, type InventorySource } from './inventory/inventory-source.ts';
import { ApiMetrics } from './metrics.ts';
import { deniedRoutes } from './routes/denied-routes.ts';
import { explainRoutes } from './routes/explain-routes.ts';
import { fixRoutes } from './routes/fix-routes.ts';
import { recommendationRoutes } from './routes/recommendation-routes.ts';
import { flowRoutes } from './routes/flow-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { inventoryRoutes } from './routes/inventory-routes.ts';
import { statsRoutes } from './routes/stats-routes.ts';
import './fastify-types.ts';

/** Things an embedding (tests, `segflow up`) may supply instead of the defaults. */
export interface ApiServerDependencies {
  /** Default: a client for `config.elasticsearchUrl` (closed on stop). */
  readonly elasticsearch?: Client;
  /** Default: files from `config.resources`, or none. */
  readonly inventory?: InventorySource;
  /** Default: `config.tokensFile` loaded at start, or anonymous loopback access. */
  readonly tokens?: TokenTable;
  readonly logger?: Logger;
  /** Clock (epoch ms). */
  readonly now?: () => number;
  /**
   * Plugins registered at the root after the API's routes: the web UI, which src/cli composes
   * in (the API does not import the UI's folder).
   */
  readonly plugins?: readonly FastifyPluginAsync[];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Maps Fastify/ajv failures to the API's error body; everything unknown becomes a logged 500. */
export function toErrorResponse(err: FastifyError | ApiError | Error, request: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  const fe = err as FastifyError & { validationContext?: string };
  if (fe.validation && fe.validation.length > 0) {
    const v = fe.validation[0] as { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string };
    const where = fe.validationContext === 'body' ? 'body' : 'query';
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (v.keyword === 'additionalProperties') {
      const name = String(v.params.additionalProperty);
      const full = path ? `${path}.${name}` : name;
      return new ApiError(400, where === 'body' ? 'invalid_body' : 'unknown_parameter', `unknown ${where === 'body' ? 'body field' : 'query parameter'} ${quoteInput(full)}${where === 'query' ? ` (see /openapi.json for the parameters of ${request.routeOptions.url ?? 'this route'})` : ''}`, full);
    }
    if (v.keyword === 'required') {
      const name = String(v.params.missingProperty);
      const full = path ? `${path}.${name}` : name;
      return new ApiError(400, where === 'body' ? 'invalid_body' : 'missing_parameter', `${full}: required`, full);
    }
    const name = path || where;
    const detail = v.keyword === 'type' && Array.isArray((request.query as Record<string, unknown> | undefined)?.[name])
      ? 'give the parameter once (use a comma-separated list for several values)'
      : v.message ?? 'invalid';
    return new ApiError(400, where === 'body' ? 'invalid_body' : 'invalid_parameter', `${name}: ${detail}`, name);
  }
  const status = fe.statusCode ?? 500;
  if (status === 413) return new ApiError(413, 'payload_too_large', 'request body too large');
  if (status === 415) return new ApiError(415, 'invalid_body', `unsupported content type; send application/json`);
  if (status === 429) return new ApiError(429, 'rate_limited', err.message);
  if (status === 404) return new ApiError(404, 'not_found', err.message);
  if (status >= 400 && status < 500) return new ApiError(status, 'invalid_body', err.message);
  if (status === 503) return new ApiError(503, 'overloaded', err.message);
  return new ApiError(500, 'internal', 'internal error; the request id in x-request-id identifies it in the server log');
}

/** How the application's server listens: HTTPS options and what client certificates count for. */
export interface ApiListenerOptions {
  readonly https?: https.ServerOptions;
  readonly clientAuth?: ClientCertificateMode;
}

/**
 * The principal a verified client certificate stands for, or undefined when none was presented.
 * A certificate that was presented but fails verification (optional mode) is refused outright.
 */
function certificatePrincipal(request: FastifyRequest, tokens: TokenTable | undefined): Principal | undefined {
  const socket = request.raw.socket as TLSSocket;
  if (socket.encrypted !== true) return undefined;
  const peer = socket.getPeerCertificate();
  if (peer === null || Object.keys(peer).length === 0) return undefined;
  if (!socket.authorized) throw new ApiError(401, 'unauthorized', `client certificate not trusted: ${String(socket.authorizationError ?? 'verification failed')}`);
  const cn = peer.subject?.CN;
  return typeof cn === 'string' ? tokens?.lookupCertificate(cn) : undefined;
}

/** Builds the Fastify application for a context (no listening). */
export async function buildApiApp(ctx: ApiContext, tokens: TokenTable | undefined, logger: Logger, listener: ApiListenerOptions = {}, plugins: readonly FastifyPluginAsync[] = []): Promise<FastifyInstance> {
  const { config } = ctx;
  const clientAuth = listener.clientAuth ?? 'none';
  const app = Fastify({
    ...(listener.https ? { https: listener.https } : {}),
    loggerInstance: logger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    requestTimeout: config.timeouts.requestMs,
    bodyLimit: config.limits.bodyLimitBytes,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    // Requests Node's parser refuses (431 headers too large, 400, 408) get the API's error body too.
    clientErrorHandler: (err, socket) => {
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) socket.write(clientErrorResponse(err as NodeJS.ErrnoException));
      socket.destroy(err);
    },
    // Errors Fastify raises before routing (a malformed URL) take the same shape.
    frameworkErrors: (err, _request, reply: FastifyReply) => {
      void reply.code(400).send(new ApiError(400, 'bad_request', err.message).toBody());
    },
  });

  // null until the auth hook sets it; handlers of non-public routes only run after the hook.
  app.decorateRequest('principal', null as unknown as Principal);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const apiErr = toErrorResponse(err, request);
    if (!(err instanceof ApiError) && apiErr.statusCode >= 500) request.log.error({ err }, 'request failed');
    else if (apiErr.statusCode >= 500) request.log.warn({ code: apiErr.code }, apiErr.message);
    ctx.metrics.rejected.inc({ code: apiErr.code });
    void reply.code(apiErr.statusCode).send(apiErr.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    ctx.metrics.rejected.inc({ code: 'not_found' });
    void reply.code(404).send(new ApiError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`).toBody());
  });

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    ctx.metrics.requestSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  // Authentication runs first on every request; routes marked public skip it.
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const routeConfig = request.routeOptions.config;
    // The docs page is public like the OpenAPI document it renders (it holds no flow data).
    const url = request.routeOptions.url;
    if (routeConfig?.public === true || url === undefined || url === '/docs' || url.startsWith('/docs/')) return;
    let principal = ANONYMOUS_ADMIN;
    const byCertificate = clientAuth === 'none' ? undefined : certificatePrincipal(request, tokens);
    const header = request.headers.authorization;
    if (tokens !== undefined && (header !== undefined || byCertificate === undefined)) {
      const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,512})$/.exec(header) : null;
      if (!match) throw new ApiError(401, 'unauthorized', clientAuth === 'none' ? 'send Authorization: Bearer <token>' : 'send Authorization: Bearer <token> or a client certificate listed in the tokens file');
      const found = tokens.lookup(match[1] as string);
      if (found === undefined) throw new ApiError(401, 'unauthorized', 'unknown token');
      principal = found;
    } else if (byCertificate !== undefined) {
      principal = byCertificate;
    }
    request.principal = principal;
    const minRole = routeConfig?.minRole ?? 'viewer';
    if (!hasRole(principal, minRole)) throw new ApiError(403, 'forbidden', `this route needs role ${minRole}; token ${principal.name} has ${principal.role}`);
    request.log.debug({ principal: principal.name }, 'authenticated');
  });

  await app.register(underPressure, {
    maxEventLoopDelay: config.limits.maxEventLoopDelayMs,
    exposeStatusRoute: false,
    pressureHandler: (_req, reply, type, value) => {
      ctx.metrics.rejected.inc({ code: 'overloaded' });
      void reply.code(503).header('retry-after', '5').send(new ApiError(503, 'overloaded', `server overloaded (${type}${value !== undefined ? ` ${value}` : ''}); retry later`).toBody());
    },
  });

  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: config.rateLimit.windowMs,
    max: (request) => {
      const perMinute = (request.principal as Principal | null)?.rateLimitPerMinute;
      return perMinute !== undefined ? Math.max(1, Math.round(perMinute * config.rateLimit.windowMs / 60_000)) : config.rateLimit.max;
    },
    // Per token; anonymous callers (no tokens file, or unmatched routes) per client address.
    keyGenerator: (request) => {
      const principal = request.principal as Principal | null;
      return principal === null || principal === ANONYMOUS_ADMIN ? `ip:${request.ip}` : `token:${principal.name}`;
    },
    errorResponseBuilder: (_request, context) => new ApiError(429, 'rate_limited', `rate limit of ${context.max} requests per ${context.after} exceeded; retry in ${Math.ceil(context.ttl / 1000)}s`),
  });

  if (config.corsOrigins.length > 0) {
    await app.register(cors, { origin: [...config.corsOrigins], methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'x-request-id'], exposedHeaders: ['x-request-id'] });
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'segflow API', version: '1', description: 'Search and aggregate enriched flow logs, troubleshoot denied connections, explain and preview policy verdicts.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  if (config.docs) {
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  }
  app.get('/openapi.json', { schema: { hide: true }, config: { public: true, rateLimit: false } }, async () => app.swagger());

  await app.register(async (scope) => healthRoutes(scope, ctx));
  await app.register(async (scope) => {
    await flowRoutes(scope, ctx);
    await statsRoutes(scope, ctx);
    await deniedRoutes(scope, ctx);
    await inventoryRoutes(scope, ctx);
    await explainRoutes(scope, ctx);
    await fixRoutes(scope, ctx);
    await recommendationRoutes(scope, ctx);
  }, { prefix: '/api/v1' });
  // The web UI at / when composed in (static assets; it talks to /api/v1 like any other client).
  for (const plugin of plugins) await app.register(plugin);
  // The pino Logger type is wider than FastifyBaseLogger; the instance is the same.
  return app as unknown as FastifyInstance;
}

/** The `segflow api` server: new → start → stop. */
export class ApiServer {
  readonly config: ApiConfig;
  private readonly deps: ApiServerDependencies;
  private readonly logger: Logger;
  private readonly metrics = new ApiMetrics();
  private client: Client | undefined;
  private ownsClient = false;
  private inventory: InventorySource | undefined;
  private app: FastifyInstance | undefined;
  private metricsServer: http.Server | undefined;
  private readonly watchedTlsFiles: string[] = [];
  private tlsReloadTimer: NodeJS.Timeout | undefined;
  private tlsReloading: Promise<boolean> | undefined;

  constructor(config: ApiConfigInput | ApiConfig, deps: ApiServerDependencies = {}) {
    this.config = resolveApiConfig(config as ApiConfigInput);
    this.deps = deps;
    this.logger = deps.logger ?? createLogger('api', this.config.logLevel);
  }

  /** Builds the application without listening (for `inject` in tests); idempotent. */
  async ready(): Promise<FastifyInstance> {
    if (this.app) return this.app;
    const tokens = this.deps.tokens ?? (this.config.tokensFile !== undefined ? await loadTokenFile(this.config.tokensFile) : undefined);
    if (tokens === undefined) this.logger.warn('no tokens file: every request has full access (listening on loopback only)');
    for (const warning of tokens?.warnings ?? []) this.logger.warn(warning);
    const tls = this.config.tls;
    const listener: ApiListenerOptions = tls === null ? {} : {
      https: {
        ...await readTlsFiles(tls),
        // require: the handshake refuses clients without a certificate from the client CA;
        // optional: a certificate is asked for, and checked per request when one is sent.
        requestCert: tls.clientAuth !== 'none',
        rejectUnauthorized: tls.clientAuth === 'require',
      },
      clientAuth: tls.clientAuth,
    };
    this.client = this.deps.elasticsearch;
    if (this.client === undefined) {
      this.client = createElasticsearchClient(this.config.elasticsearch ?? this.config.elasticsearchUrl, { maxRetries: 1 });
      this.ownsClient = true;
    }
    this.inventory = this.deps.inventory ?? (this.config.resources.length > 0 ? new FileInventorySource(this.config.resources) : new NoInventorySource());
    await this.inventory.start();
    const view = this.inventory.current();
    if (view) this.metrics.inventoryRevision.set(view.inventory.revision);
    this.logger.info({ inventory: this.inventory.description, revision: view?.inventory.revision ?? null }, 'inventory source started');
    const metrics = this.metrics;
    const store = new FlowStore(this.client, this.config.indexPrefix, (operation, seconds, ok) => metrics.elasticsearchSeconds.observe({ operation, outcome: ok ? 'ok' : 'error' }, seconds));
    const ctx = createApiContext({ config: this.config, store, inventory: this.inventory, metrics, now: this.deps.now ?? Date.now });
    this.app = await buildApiApp(ctx, tokens, this.logger, listener, this.deps.plugins);
    await this.app.ready();
    return this.app;
  }

  /** Builds (if needed) and listens; resolves with the base URL. */
  async start(): Promise<string> {
    const app = await this.ready();
    const address = await app.listen({ host: this.config.host, port: this.config.port });
    if (this.config.tls !== null) {
      this.logger.info({ address, certificate: certificateSummary(await readFile(this.config.tls.certFile)), clientAuth: this.config.tls.clientAuth }, 'segflow api listening (https)');
      this.watchTlsFiles(this.config.tls);
    } else {
      this.logger.info({ address }, 'segflow api listening');
    }
    if (this.config.metricsPort !== null) await this.startMetricsServer(this.config.metricsPort);
    return address;
  }

  /**
   * Re-reads the certificate, key and client CA and serves new connections with them; open
   * connections keep the context they started with. A bad or mismatched pair is logged and the
   * current one kept. Resolves true when the new files are in use.
   */
  reloadTls(): Promise<boolean> {
    const tls = this.config.tls;
    const server = this.app?.server as https.Server | undefined;
    if (tls === null || server === undefined) return Promise.resolve(false);
    // One reload at a time; a request during one waits for it and then reloads again.
    const run = async (): Promise<boolean> => {
      try {
        const files = await readTlsFiles(tls);
        createSecureContext(files); // throws on a bad PEM or a key that does not match the certificate
        server.setSecureContext(files);
        this.logger.info({ certificate: certificateSummary(files.cert) }, 'TLS certificate reloaded');
        return true;
      } catch (error) {
        this.logger.error({ error: (error as Error).message, certFile: tls.certFile, keyFile: tls.keyFile }, 'TLS reload failed; still serving the previous certificate');
        return false;
      }
    };
    const next = (this.tlsReloading ?? Promise.resolve(true)).then(run);
    this.tlsReloading = next;
    return next;
  }

  private watchTlsFiles(tls: ApiTlsConfig): void {
    // Polling (stat once a second) follows renames and symlink swaps (Kubernetes secret volumes), which fs.watch misses.
    for (const file of [tls.certFile, tls.keyFile, ...(tls.clientCaFile ? [tls.clientCaFile] : [])]) {
      watchFile(file, { interval: 1000, persistent: false }, (current, previous) => {
        if (current.mtimeMs === previous.mtimeMs && current.ino === previous.ino && current.size === previous.size) return;
        // A certificate and its key are rarely replaced in the same instant: wait for both.
        clearTimeout(this.tlsReloadTimer);
        this.tlsReloadTimer = setTimeout(() => void this.reloadTls(), 500);
      });
      this.watchedTlsFiles.push(file);
    }
  }

  private startMetricsServer(port: number): Promise<void> {
    const registry = this.metrics.registry;
    this.metricsServer = http.createServer((req, res) => {
      if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
        void registry.metrics().then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('only /metrics here\n');
      }
    });
    return new Promise((resolve, reject) => {
      this.metricsServer!.once('error', reject);
      // Loopback only: this port has no authentication.
      this.metricsServer!.listen(port, '127.0.0.1', () => {
        this.logger.info({ address: `http://127.0.0.1:${this.metricsPort ?? port}/metrics` }, 'metrics without authentication on loopback');
        resolve();
      });
    });
  }

  /** The port of the loopback metrics server, when one runs. */
  get metricsPort(): number | undefined {
    const addr = this.metricsServer?.address();
    return typeof addr === 'object' && addr !== null ? addr.port : undefined;
  }

  /** The port actually bound (useful with port 0). */
  get port(): number {
    const addr = this.app?.server.address();
    return typeof addr === 'object' && addr !== null ? addr.port : this.config.port;
  }

  /**
   * Stops gracefully: no new requests (503 while closing), in-flight ones finish within
   * `timeouts.shutdownMs`, then remaining connections are cut and resources released.
   */
  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    for (const file of this.watchedTlsFiles.splice(0)) unwatchFile(file);
    clearTimeout(this.tlsReloadTimer);
    await new Promise<void>((resolve) => (this.metricsServer ? this.metricsServer.close(() => resolve()) : resolve()));
    this.metricsServer = undefined;
    if (app) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), this.config.timeouts.shutdownMs); });
      const outcome = await Promise.race([app.close().then(() => 'closed' as const), deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        this.logger.warn('shutdown budget exceeded: closing remaining connections');
        app.server.closeAllConnections();
      }
    }
    await this.inventory?.stop();
    if (this.ownsClient) await this.client?.close();
    this.logger.info('segflow api stopped');
  }
}

/** The PEM files of the API's HTTPS, read. */
async function readTlsFiles(tls: ApiTlsConfig): Promise<{ cert: Buffer; key: Buffer; ca?: Buffer }> {
  const read = async (flag: string, file: string): Promise<Buffer> => {
    try {
      return await readFile(file);
    } catch (error) {
      throw new Error(`${flag} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
    }
  };
  const [cert, key, ca] = await Promise.all([
    read('--tls-cert-file', tls.certFile),
    read('--tls-key-file', tls.keyFile),
    tls.clientCaFile !== undefined ? read('--tls-client-ca-file', tls.clientCaFile) : undefined,
  ]);
  return { cert, key, ...(ca !== undefined ? { ca } : {}) };
}

/** Subject, expiry and SHA-256 fingerprint of the first certificate in a PEM, for logs. */
function certificateSummary(pem: Buffer): { subject: string; validTo: string; sha256: string } | { error: string } {
  try {
    const cert = new X509Certificate(pem);
    return { subject: cert.subject.replace(/\n/g, ', '), validTo: cert.validTo, sha256: cert.fingerprint256 };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
