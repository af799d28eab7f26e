/**
 * How segflow reaches a secured Elasticsearch: HTTPS trusting a CA file or a CA pinned by its
 * SHA-256 fingerprint, and one of basic auth, an API key (`Authorization: ApiKey`) or a bearer
 * token. Secrets stay {@link Secret}s until the client is built.
 *
 * The CA fingerprint is resolved here rather than handed to the client's `caFingerprint`: the
 * client checks the fingerprint with certificate verification turned off (`rejectUnauthorized:
 * false`), which leaves the server certificate's signature and host name unchecked. segflow
 * instead reads the chain the server presents once, takes the certificate whose SHA-256
 * fingerprint is the pinned one, and then trusts exactly that certificate as its CA with full
 * verification (signature, validity, host name).
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { Secret } from './role-config/secret-value.ts';
import { registerSecret } from './role-config/secret-redaction.ts';

export type ElasticsearchAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: Secret }
  | { readonly kind: 'apiKey'; readonly apiKey: Secret }
  | { readonly kind: 'bearer'; readonly token: Secret };

/** What the options say (files not yet read, fingerprint not yet resolved). */
export interface ElasticsearchConnectionSettings {
  /** Base URL; http or https. Credentials embedded in it still work (with a warning on argv). */
  readonly url: string;
  readonly caFile?: string;
  /** SHA-256 of the CA certificate, hex with or without colons (Elasticsearch prints it at first start). */
  readonly caFingerprint?: string;
  readonly auth: ElasticsearchAuth | null;
}

/** Ready for a client: the CA is in memory. */
export interface ElasticsearchConnection {
  readonly url: string;
  /** PEM of the CA to trust instead of the system CAs. */
  readonly caPem?: string;
  readonly auth: ElasticsearchAuth | null;
}

/** `AA:BB:…` or `aabb…` → 64 lower-case hex digits, or undefined when it is not a SHA-256. */
export function normalizeFingerprint(text: string): string | undefined {
  const hex = text.trim().replace(/:/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/** The API key as Elasticsearch expects it: the base64 `encoded` form; an `id:key` pair is encoded. */
export function encodedApiKey(apiKey: string): string {
  const encoded = apiKey.includes(':') ? Buffer.from(apiKey, 'utf8').toString('base64') : apiKey;
  registerSecret(encoded);
  return encoded;
}

/** Reads the chain `url`'s server presents (without trusting it) and returns the PEM of the certificate with `fingerprint`. */
export async function fetchPinnedCertificate(url: string, fingerprint: string, timeoutMs = 10_000): Promise<string> {
  const wanted = normalizeFingerprint(fingerprint);
  if (wanted === undefined) throw new Error(`--elasticsearch-ca-fingerprint: expected a SHA-256 fingerprint (64 hex digits, colons allowed), got ${JSON.stringify(fingerprint)}`);
  const target = new URL(url);
  if (target.protocol !== 'https:') throw new Error('--elasticsearch-ca-fingerprint: the Elasticsearch URL is not https');
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const chain = await new Promise<X509Certificate[]>((resolve, reject) => {
    // Verification is off only for this look at the chain; nothing is sent over this socket.
    const socket = tls.connect({ host, port: Number(target.port || 443), ...(isIP(host) ? {} : { servername: host }), rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const certs: X509Certificate[] = [];
      const seen = new Set<string>();
      for (let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true); c?.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
        seen.add(c.fingerprint256);
        certs.push(new X509Certificate(c.raw));
      }
      socket.end();
      resolve(certs);
    });
    socket.once('timeout', () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.once('error', reject);
  }).catch((error: unknown) => {
    throw new Error(`--elasticsearch-ca-fingerprint: cannot read the certificate chain of ${target.host}: ${(error as Error).message}`, { cause: error });
  });
  const match = chain.find((cert) => normalizeFingerprint(cert.fingerprint256) === wanted);
  if (match === undefined) {
    const seen = chain.map((c) => `${c.subject.replace(/\n/g, ', ')} (${c.fingerprint256})`).join('; ');
    throw new Error(`--elasticsearch-ca-fingerprint: no certificate in the chain ${target.host} presents has that fingerprint (the server sent: ${seen || 'nothing'}); the server must send its CA certificate in the chain, or give the CA with --elasticsearch-ca-file`);
  }
  return match.toString();
}

/** Reads the CA file or resolves the pinned CA. */
export async function openElasticsearchConnection(settings: ElasticsearchConnectionSettings): Promise<ElasticsearchConnection> {
  let caPem: string | undefined;
  if (settings.caFile !== undefined) {
    try {
      caPem = await readFile(settings.caFile, 'utf8');
    } catch (error) {
      throw new Error(`--elasticsearch-ca-file ${settings.caFile}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
    }
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`--elasticsearch-ca-file ${settings.caFile}: no PEM certificate in it`);
  } else if (settings.caFingerprint !== undefined) {
    caPem = await fetchPinnedCertificate(settings.url, settings.caFingerprint);
  }
  return { url: settings.url, ...(caPem !== undefined ? { caPem } : {}), auth: settings.auth };
}

/** How the connection authenticates, for error messages (never the secret). */
export function describeElasticsearchAuth(connection: Pick<ElasticsearchConnection, 'url' | 'auth'>): string {
  const auth = connection.auth;
  if (auth === null) {
    const url = new URL(connection.url);
    return url.username ? `user ${decodeURIComponent(url.username)} from the URL` : 'no credentials';
  }
  switch (auth.kind) {
    case 'basic': return `user ${auth.username} with the password ${auth.password.toString()}`;
    case 'apiKey': return `the API key ${auth.apiKey.toString()}`;
    case 'bearer': return `the bearer token ${auth.token.toString()}`;
  }
}
