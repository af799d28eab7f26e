/**
 * The one place segflow builds Elasticsearch clients. @elastic/elasticsearch 8.19 sends
 * `compatible-with=8` headers, which Elasticsearch 8.x and 9.x both accept.
 *
 * Failures are rewritten once, here, into what an operator can act on (an untrusted
 * certificate, rejected credentials, a missing privilege) and stripped of credentials; the error
 * objects keep their classes, so callers that look at `statusCode` or `meta` work as before.
 */
import { readFileSync, statSync } from 'node:fs';
import { Client, errors, SniffingTransport, type ClientOptions, type TransportRequestOptions, type TransportRequestParams } from '@elastic/elasticsearch';
import { describeElasticsearchAuth, encodedApiKey, type ElasticsearchConnection } from './elasticsearch-security.ts';
import { redactSecrets, registerSecret } from './role-config/secret-redaction.ts';

/** Where a failed request went, for the explanation. */
interface FailureContext {
  readonly origin: string;
  readonly authDescription: string;
}

const UNTRUSTED_CERTIFICATE = /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate (has expired|is not yet valid)|CA fingerprint does not match|Hostname\/IP does not match|altnames/i;

function reasonOf(error: errors.ResponseError): string | undefined {
  const body = error.meta.body as { error?: { reason?: string; root_cause?: Array<{ reason?: string }> } | string } | undefined;
  if (typeof body?.error === 'string') return body.error;
  return body?.error?.reason ?? body?.error?.root_cause?.[0]?.reason;
}

/** Rewrites the message of an Elasticsearch failure in place to say what failed and how to fix it. */
export function explainElasticsearchError(error: unknown, params: Pick<TransportRequestParams, 'method' | 'path'>, context: FailureContext): unknown {
  if (!(error instanceof Error)) return error;
  const request = `${params.method} ${params.path}`;
  let message: string | undefined;
  if (error instanceof errors.ResponseError) {
    const reason = reasonOf(error);
    if (error.statusCode === 401) {
      message = `Elasticsearch at ${context.origin} rejected the credentials (401 Unauthorized) for ${request}, using ${context.authDescription}${reason ? `: ${reason}` : ''}`;
    } else if (error.statusCode === 403) {
      message = `Elasticsearch at ${context.origin} forbids ${request} (403 Forbidden) for ${context.authDescription}: ${reason ?? 'no reason given'}; grant the privilege named there`;
    }
  } else if (error instanceof errors.ConnectionError && UNTRUSTED_CERTIFICATE.test(error.message)) {
    message = `Elasticsearch at ${context.origin}: TLS certificate not trusted (${error.message.split(' - Local:')[0]}); give the CA that signed it with --elasticsearch-ca-file or --elasticsearch-ca-fingerprint`;
  } else if (error instanceof errors.ConnectionError) {
    message = `Elasticsearch at ${context.origin} unreachable for ${request}: ${error.message}`;
  }
  try {
    error.message = redactSecrets(message ?? error.message);
    if (error.stack) error.stack = redactSecrets(error.stack);
  } catch {
    // read-only message: leave it; the log redaction still applies.
  }
  return error;
}

/**
 * A bearer token read from a file that something else rotates (a projected service-account
 * token, a sidecar refreshing an OAuth token): the file is checked for a change at most every
 * `checkEveryMs`, and at once after a 401, so a rotated token is picked up without a restart.
 */
export class BearerTokenFile {
  #token: string;
  #stamp: string;
  #checkedAt = Date.now();

  constructor(readonly path: string, initial: string, private readonly checkEveryMs = 30_000) {
    this.#token = initial;
    this.#stamp = BearerTokenFile.#stampOf(path);
  }

  /** What changes when the file is rewritten or replaced (a rename-over keeps no inode). */
  static #stampOf(path: string): string {
    try {
      const stat = statSync(path);
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return 'absent';
    }
  }

  /** The token to send now (re-read when the file changed since the last check). */
  current(): string {
    if (Date.now() - this.#checkedAt >= this.checkEveryMs) this.refresh();
    return this.#token;
  }

  /** Re-reads the file if it changed; true when the token is now different. */
  refresh(): boolean {
    this.#checkedAt = Date.now();
    const stamp = BearerTokenFile.#stampOf(this.path);
    if (stamp === this.#stamp) return false;
    this.#stamp = stamp;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8').replace(/(\r?\n)+$/, '');
    } catch {
      return false; // mid-rotation or gone: keep the last token; the next check tries again
    }
    if (text.length === 0 || text === this.#token) return false;
    registerSecret(text);
    this.#token = text;
    return true;
  }
}

type RequestFunction = (p: TransportRequestParams, o?: TransportRequestOptions) => Promise<never>;

function transportExplaining(context: FailureContext, tokenFile: BearerTokenFile | undefined): typeof SniffingTransport {
  const withToken = (options: TransportRequestOptions | undefined): TransportRequestOptions | undefined =>
    tokenFile === undefined ? options : { ...options, headers: { ...options?.headers, authorization: `Bearer ${tokenFile.current()}` } };
  return class ExplainingTransport extends SniffingTransport {
    // The overloads of request() all funnel through here; only failures are touched.
    override async request(params: TransportRequestParams, options?: TransportRequestOptions): Promise<never> {
      const send = super.request.bind(this) as RequestFunction;
      try {
        try {
          return await send(params, withToken(options));
        } catch (error) {
          // A 401 with a token file: the token may have been rotated since the last check.
          if (tokenFile !== undefined && error instanceof errors.ResponseError && error.statusCode === 401 && tokenFile.refresh()) return await send(params, withToken(options));
          throw error;
        }
      } catch (error) {
        throw explainElasticsearchError(error, params, context);
      }
    }
  } as typeof SniffingTransport;
}

/** The client options for a connection: node, CA, authentication. */
export function connectionClientOptions(connection: ElasticsearchConnection): Partial<ClientOptions> {
  const { auth } = connection;
  if (auth?.kind === 'basic') registerSecret(Buffer.from(`${auth.username}:${auth.password.reveal()}`, 'utf8').toString('base64'));
  return {
    node: connection.url,
    ...(connection.caPem !== undefined ? { tls: { ca: connection.caPem } } : {}),
    ...(auth === null ? {}
      : auth.kind === 'basic' ? { auth: { username: auth.username, password: auth.password.reveal() } }
        : auth.kind === 'apiKey' ? { auth: { apiKey: encodedApiKey(auth.apiKey.reveal()) } }
          : { auth: { bearer: auth.token.reveal() } }),
  };
}

/**
 * Creates a client for a URL (credentials may be embedded: http://user:pass@host:9200) or a
 * resolved connection (HTTPS with its CA, basic auth, API key or bearer token).
 */
export function createElasticsearchClient(target: string | ElasticsearchConnection, overrides: Partial<ClientOptions> = {}): Client {
  const connection: ElasticsearchConnection = typeof target === 'string' ? { url: target, auth: null } : target;
  const url = new URL(connection.url);
  if (url.password) {
    // The Basic header derived from URL credentials must be as unloggable as the password.
    registerSecretsOfUrl(url);
  }
  const context: FailureContext = { origin: `${url.protocol}//${url.host}`, authDescription: describeElasticsearchAuth(connection) };
  const { auth } = connection;
  const tokenFile = auth?.kind === 'bearer' && auth.token.origin.kind === 'file' ? new BearerTokenFile(auth.token.origin.path, auth.token.reveal()) : undefined;
  return new Client({
    requestTimeout: 60_000,
    maxRetries: 3,
    Transport: transportExplaining(context, tokenFile),
    ...connectionClientOptions(connection),
    ...overrides,
  });
}

function registerSecretsOfUrl(url: URL): void {
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  registerSecret(password);
  registerSecret(Buffer.from(`${user}:${password}`, 'utf8').toString('base64'));
}
