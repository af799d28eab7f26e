/**
 * Configuration of `segflow api`, with defaults for everything. `resolveApiConfig` merges a
 * partial configuration (from the command line or a test) over the defaults and validates it,
 * so an `ApiServer` never starts with a nonsensical setting.
 */
import { randomBytes } from 'node:crypto';
import { assertValidFlowIndexPrefix, DEFAULT_FLOW_INDEX_PREFIX } from '../contract/flow-index-names.ts';
import type { ElasticsearchConnection } from '../runtime/elasticsearch-security.ts';

/** How clients' certificates are treated: not asked for, required of every client, or optional (then verified when sent). */
export type ClientCertificateMode = 'none' | 'require' | 'optional';

/** HTTPS of the API: PEM files, re-read on SIGHUP and when they change. */
export interface ApiTlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA that signs client certificates; required for clientAuth require/optional. */
  readonly clientCaFile?: string;
  readonly clientAuth: ClientCertificateMode;
}

/** Everything `segflow api` can be told. */
export interface ApiConfig {
  /** Address to listen on. Default 127.0.0.1 (loopback: put a proxy or load balancer in front). */
  readonly host: string;
  /** TCP port; 0 picks a free one (tests). Default 8080. */
  readonly port: number;
  /** Elasticsearch URL (credentials may be embedded). Default http://127.0.0.1:9200. */
  readonly elasticsearchUrl: string;
  /** The resolved connection (https CA, credentials); when set it is used instead of elasticsearchUrl. */
  readonly elasticsearch?: ElasticsearchConnection;
  /** HTTPS; null = plain HTTP (loopback, or behind a TLS-terminating proxy). Default null. */
  readonly tls: ApiTlsConfig | null;
  /**
   * A second port for /metrics without authentication, bound to 127.0.0.1 only (for a
   * Prometheus agent on the same host or pod). null = none; /metrics on the main port needs an
   * admin token whenever a tokens file is in use. Default null.
   */
  readonly metricsPort: number | null;
  /** Prefix of the daily flow indices to read (`<prefix>-YYYY.MM.DD`). Default segflow-flows. */
  readonly indexPrefix: string;
  /**
   * Bearer-token file (YAML or JSON). Without one, the API accepts anonymous requests with full
   * access — allowed only when listening on loopback, so an unauthenticated API never faces a
   * network.
   */
  readonly tokensFile: string | undefined;
  /** Calico/Kubernetes resource files or directories for the inventory (explain, preview, views). */
  readonly resources: readonly string[];
  /** Per-token rate limit: at most `max` requests per `windowMs`. Default 600 per minute. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  readonly timeouts: {
    /** Client-side budget of one Elasticsearch call; exceeded → 504 timeout. Default 15 s. */
    readonly queryMs: number;
    /** Longest a whole request may take to arrive and be answered (Node's requestTimeout). Default 60 s. */
    readonly requestMs: number;
    /** How long shutdown waits for in-flight requests before closing connections. Default 10 s. */
    readonly shutdownMs: number;
    /** Point-in-time keep-alive between pages of /flows. Default 2 min. */
    readonly pageKeepAliveMs: number;
    /**
     * How old a point in time may be and still serve the first page of a new /flows search
     * (see shared-point-in-time.ts). Elasticsearch shows new documents at its next refresh (1 s
     * by default), so the default of 1 s keeps results as fresh as the indices are; 0 opens a
     * point in time per search.
     */
    readonly sharedPitMaxAgeMs: number;
    /** Budget of the Elasticsearch check of /readyz. Default 2 s. */
    readonly readinessMs: number;
  };
  readonly limits: {
    /** Longest time range one query may cover. Default 31 days. */
    readonly maxRangeMs: number;
    /** Range used when `from` is absent. Default 15 minutes. */
    readonly defaultRangeMs: number;
    /** Largest page of /flows. Default 1000; the default page is 100. */
    readonly maxPageSize: number;
    readonly defaultPageSize: number;
    /** Most groups /denied and top lists compute before truncating (composite buckets). Default 10 000. */
    readonly maxGroups: number;
    /** Most distinct label values a contains/endsWith selector may expand to. Default 10 000. */
    readonly maxLabelValues: number;
    /** Most flow documents one preview re-evaluates. Default 20 000. */
    readonly previewMaxFlows: number;
    /** Longest look-back of a preview, in hours. Default 168 (7 days). */
    readonly previewMaxHours: number;
    /** Largest request body (explain/preview), bytes. Default 1 MiB. */
    readonly bodyLimitBytes: number;
    /**
     * Event-loop delay above which requests get 503 overloaded rather than queueing behind a
     * stalled process. Default 2 s, or SEGFLOW_API_MAX_EVENT_LOOP_DELAY_MS; 0 turns the guard off.
     */
    readonly maxEventLoopDelayMs: number;
  };
  /**
   * Secret signing pagination cursors. Give every replica behind one load balancer the same
   * secret so any replica can continue any cursor; default: random per process.
   */
  readonly cursorSecret: Buffer;
  /** Origins allowed by CORS; empty = CORS off (no headers sent). Default empty. */
  readonly corsOrigins: readonly string[];
  /** Serve the OpenAPI document at /openapi.json and the docs page at /docs. Default true. */
  readonly docs: boolean;
  /** pino log level. Default info (SEGFLOW_LOG_LEVEL). */
  readonly logLevel: string;
  /**
   * Memory budget, in MiB, of the stats view's cache of summary entries (query/summary-block-cache.ts:
   * closed blocks by start and fingerprint, so answers stay exact). 0 turns it off. Default 64.
   */
  readonly statsCacheMiB: number;
}

/** A configuration where anything may be left out. */
export type ApiConfigInput = Partial<Omit<ApiConfig, 'rateLimit' | 'timeouts' | 'limits' | 'cursorSecret'>> & {
  readonly rateLimit?: Partial<ApiConfig['rateLimit']>;
  readonly timeouts?: Partial<ApiConfig['timeouts']>;
  readonly limits?: Partial<ApiConfig['limits']>;
  readonly cursorSecret?: Buffer | string;
};

const DAY = 86_400_000;

/** The defaults, as documented on each option. */
export function defaultApiConfig(): ApiConfig {
  return {
    host: '127.0.0.1',
    port: 8080,
    elasticsearchUrl: 'http://127.0.0.1:9200',
    tls: null,
    metricsPort: null,
    indexPrefix: DEFAULT_FLOW_INDEX_PREFIX,
    tokensFile: undefined,
    resources: [],
    rateLimit: { max: 600, windowMs: 60_000 },
    timeouts: { queryMs: 15_000, requestMs: 60_000, shutdownMs: 10_000, pageKeepAliveMs: 120_000, sharedPitMaxAgeMs: 1_000, readinessMs: 2_000 },
    limits: {
      maxRangeMs: 31 * DAY, defaultRangeMs: 15 * 60_000, maxPageSize: 1_000, defaultPageSize: 100, maxGroups: 10_000,
      maxLabelValues: 10_000, previewMaxFlows: 20_000, previewMaxHours: 168, bodyLimitBytes: 1_048_576,
      maxEventLoopDelayMs: Number(process.env.SEGFLOW_API_MAX_EVENT_LOOP_DELAY_MS ?? 2_000),
    },
    cursorSecret: randomBytes(32),
    corsOrigins: [],
    docs: true,
    logLevel: process.env.SEGFLOW_LOG_LEVEL ?? 'info',
    statsCacheMiB: 64,
  };
}

function positiveInt(name: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`api config: ${name} must be an integer ≥ ${min}, got ${v}`);
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Merges `input` over the defaults and validates the result.
 * @throws Error naming the bad option.
 */
export function resolveApiConfig(input: ApiConfigInput = {}): ApiConfig {
  const d = defaultApiConfig();
  const secret = input.cursorSecret === undefined ? d.cursorSecret : Buffer.isBuffer(input.cursorSecret) ? input.cursorSecret : Buffer.from(input.cursorSecret, 'utf8');
  const c: ApiConfig = {
    ...d,
    ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    rateLimit: { ...d.rateLimit, ...input.rateLimit },
    timeouts: { ...d.timeouts, ...input.timeouts },
    limits: { ...d.limits, ...input.limits },
    cursorSecret: secret,
  } as ApiConfig;
  positiveInt('port', c.port, 0);
  if (c.port > 65535) throw new Error(`api config: port must be ≤ 65535, got ${c.port}`);
  try {
    new URL(c.elasticsearchUrl);
  } catch {
    throw new Error(`api config: elasticsearchUrl is not a URL: ${c.elasticsearchUrl}`);
  }
  assertValidFlowIndexPrefix(c.indexPrefix);
  positiveInt('rateLimit.max', c.rateLimit.max);
  positiveInt('rateLimit.windowMs', c.rateLimit.windowMs);
  for (const [k, v] of Object.entries(c.timeouts)) positiveInt(`timeouts.${k}`, v, k === 'sharedPitMaxAgeMs' ? 0 : 1);
  for (const [k, v] of Object.entries(c.limits)) positiveInt(`limits.${k}`, v, k === 'maxEventLoopDelayMs' ? 0 : 1);
  positiveInt('statsCacheMiB', c.statsCacheMiB, 0);
  if (c.limits.defaultPageSize > c.limits.maxPageSize) throw new Error('api config: limits.defaultPageSize exceeds limits.maxPageSize');
  if (c.limits.defaultRangeMs > c.limits.maxRangeMs) throw new Error('api config: limits.defaultRangeMs exceeds limits.maxRangeMs');
  if (c.cursorSecret.length < 16) throw new Error('api config: cursorSecret must be at least 16 bytes');
  if (c.metricsPort !== null) {
    positiveInt('metricsPort', c.metricsPort, 0);
    if (c.metricsPort > 65535) throw new Error(`api config: metricsPort must be ≤ 65535, got ${c.metricsPort}`);
  }
  if (c.tls !== null) {
    if (!['none', 'require', 'optional'].includes(c.tls.clientAuth)) throw new Error(`api config: tls.clientAuth must be none, require or optional, got ${String(c.tls.clientAuth)}`);
    if (c.tls.clientAuth !== 'none' && c.tls.clientCaFile === undefined) throw new Error(`api config: --tls-client-auth ${c.tls.clientAuth} needs --tls-client-ca-file (the CA that signs client certificates)`);
  }
  if (c.tokensFile === undefined && !isLoopbackHost(c.host)) {
    throw new Error(`api config: listening on ${c.host} without a tokens file would expose every flow unauthenticated; give --tokens FILE or listen on 127.0.0.1`);
  }
  return c;
}
