/**
 * Bearer tokens (and client certificates) from a configuration file (YAML or JSON):
 *
 *   tokens:
 *     - name: ops                 # shown in logs and metrics, never the secret
 *       sha256: "9f86d0…"         # SHA-256 (hex) of the token: `segflow api hash-token` prints it
 *       role: admin               # admin | viewer
 *     - name: shop-team
 *       sha256: "60303a…"
 *       role: viewer
 *       namespaces: [shop, shop-staging]   # optional: sees only flows/resources involving these
 *       rateLimitPerMinute: 120   # optional override of the per-token rate limit
 *     - name: reporting-job
 *       certificateCN: reporting  # a client certificate with this subject CN (verified against --tls-client-ca-file)
 *       role: viewer
 *
 * `token: "<the secret itself>"` still works but is reported as a warning: the file then holds
 * a usable secret, where a digest is useless to whoever reads it. Lookups hash the presented
 * token and look the digest up, so comparing never leaks timing about the stored secrets.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { AccessScope } from '../query/access-scope.ts';

/** Roles, weakest first. `viewer` reads flows, stats and inventory and asks explain; `admin` may also run previews. */
export const ROLES = ['viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by authentication. */
export interface Principal {
  /** Token name (or `anonymous`). */
  readonly name: string;
  readonly role: Role;
  readonly scope: AccessScope;
  /** Requests per rate-limit window, when the token overrides the default. */
  readonly rateLimitPerMinute?: number;
}

/** The principal of every request when no tokens file is configured (loopback only). */
export const ANONYMOUS_ADMIN: Principal = Object.freeze({ name: 'anonymous', role: 'admin', scope: { namespaces: null } });

/** True when `principal` holds `role` or a stronger one. */
export function hasRole(principal: Principal, role: Role): boolean {
  return ROLES.indexOf(principal.role) >= ROLES.indexOf(role);
}

/** SHA-256 hex of a token. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Token digests (and client-certificate CNs) → principals. */
export class TokenTable {
  private readonly byDigest: ReadonlyMap<string, Principal>;
  private readonly byCertificateCN: ReadonlyMap<string, Principal>;
  /** Things that work but should change (plain-text tokens), one line each. */
  readonly warnings: readonly string[];

  constructor(byDigest: ReadonlyMap<string, Principal>, byCertificateCN: ReadonlyMap<string, Principal> = new Map(), warnings: readonly string[] = []) {
    this.byDigest = byDigest;
    this.byCertificateCN = byCertificateCN;
    this.warnings = warnings;
  }

  /** The principal for a presented token, or undefined. */
  lookup(token: string): Principal | undefined {
    return this.byDigest.get(tokenDigest(token));
  }

  /** The principal for a verified client certificate's subject CN, or undefined. */
  lookupCertificate(commonName: string): Principal | undefined {
    return this.byCertificateCN.get(commonName);
  }

  get size(): number {
    return this.byDigest.size + this.byCertificateCN.size;
  }
}

/** The tokens-file entry for a token (what `segflow api hash-token` prints). */
export function tokenEntryYaml(token: string, entry: { name: string; role: Role; namespaces?: readonly string[] }): string {
  if (token.length < 16) throw new Error('a token must be at least 16 characters (e.g. openssl rand -base64 32)');
  if (!/^[\x21-\x7e]+$/.test(token)) throw new Error('a token must be printable ASCII without spaces (it travels in an HTTP header)');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(entry.name)) throw new Error('--name: expected 1-64 characters of A-Z a-z 0-9 . _ -');
  const lines = [`  - name: ${entry.name}`, `    sha256: "${tokenDigest(token)}"`, `    role: ${entry.role}`];
  if (entry.namespaces && entry.namespaces.length > 0) lines.push(`    namespaces: [${entry.namespaces.join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Parses a tokens document (already read from YAML/JSON).
 * @throws Error naming the entry and field at fault (`tokens[2].role: …`).
 */
export function parseTokenConfig(doc: unknown, file = '<tokens>'): TokenTable {
  const fail = (where: string, why: string): never => {
    throw new Error(`${file}: ${where}: ${why}`);
  };
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { tokens?: unknown }).tokens)) fail('tokens', 'expected a list under `tokens`');
  const list = (doc as { tokens: unknown[] }).tokens;
  const map = new Map<string, Principal>();
  const byCertificate = new Map<string, Principal>();
  const warnings: string[] = [];
  const names = new Set<string>();
  list.forEach((entry, i) => {
    const at = `tokens[${i}]`;
    if (typeof entry !== 'object' || entry === null) fail(at, 'expected an object');
    const e = entry as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!['name', 'token', 'sha256', 'certificateCN', 'role', 'namespaces', 'rateLimitPerMinute'].includes(k)) fail(`${at}.${k}`, 'unknown field');
    if (typeof e.name !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(e.name)) fail(`${at}.name`, 'expected 1-64 characters of A-Z a-z 0-9 . _ -');
    const name = e.name as string;
    if (names.has(name)) fail(`${at}.name`, `duplicate name ${name}`);
    names.add(name);
    let digest: string | undefined;
    let certificateCN: string | undefined;
    if ([e.token, e.sha256, e.certificateCN].filter((v) => v !== undefined).length > 1) fail(at, 'give one of sha256, token, certificateCN');
    if (typeof e.token === 'string') {
      if (e.token.length < 16) fail(`${at}.token`, 'must be at least 16 characters');
      digest = tokenDigest(e.token);
      warnings.push(`${file}: ${at} (${name}): the token is stored in plain text; store its digest instead: sha256: "${digest}" (segflow api hash-token prints the entry)`);
    } else if (typeof e.sha256 === 'string' && /^[0-9a-fA-F]{64}$/.test(e.sha256)) {
      digest = e.sha256.toLowerCase();
    } else if (typeof e.certificateCN === 'string' && e.certificateCN.length > 0 && e.certificateCN.length <= 256) {
      certificateCN = e.certificateCN;
    } else {
      fail(at, 'needs sha256 (64 hex digits of the token\'s SHA-256), certificateCN (a client certificate\'s subject CN) or token (the secret itself: discouraged)');
    }
    if (!(ROLES as readonly unknown[]).includes(e.role)) fail(`${at}.role`, `expected one of ${ROLES.join(', ')}`);
    let namespaces: string[] | null = null;
    if (e.namespaces !== undefined) {
      if (!Array.isArray(e.namespaces) || e.namespaces.length === 0 || !e.namespaces.every((n) => typeof n === 'string' && NAMESPACE.test(n))) {
        fail(`${at}.namespaces`, 'expected a non-empty list of namespace names');
      }
      namespaces = [...new Set(e.namespaces as string[])].sort();
    }
    if (e.rateLimitPerMinute !== undefined && (!Number.isInteger(e.rateLimitPerMinute) || (e.rateLimitPerMinute as number) < 1)) fail(`${at}.rateLimitPerMinute`, 'expected a positive integer');
    const principal: Principal = Object.freeze({
      name, role: e.role as Role, scope: Object.freeze({ namespaces }),
      ...(e.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: e.rateLimitPerMinute as number } : {}),
    });
    if (digest !== undefined) {
      if (map.has(digest)) fail(at, 'the same token is listed twice');
      map.set(digest, principal);
    } else {
      if (byCertificate.has(certificateCN!)) fail(`${at}.certificateCN`, `${certificateCN} is listed twice`);
      byCertificate.set(certificateCN!, principal);
    }
  });
  return new TokenTable(map, byCertificate, warnings);
}

/** Reads and parses a tokens file (YAML is a superset of JSON, so one parser reads both). */
export async function loadTokenFile(path: string): Promise<TokenTable> {
  const text = await readFile(path, 'utf8');
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    throw new Error(`${path}: not valid YAML/JSON: ${(err as Error).message.split("\n")[0]}`, { cause: err });
  }
  return parseTokenConfig(doc, path);
}
