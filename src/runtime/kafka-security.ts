/**
 * How a role authenticates to Kafka and protects the connection: TLS (server verification,
 * optionally a client certificate for mutual TLS) and SASL (PLAIN, SCRAM-SHA-256/512). This is
 * the contract between the option/config layer (which fills a {@link KafkaSecurity}) and the
 * Kafka client factory (which turns it into kafkajs `ssl`/`sasl` settings).
 *
 * Secure by default: the files are read and checked once, every problem is reported at once,
 * each naming the option that set it; SASL PLAIN without TLS is refused (it sends the password
 * in clear). SCRAM without TLS (SASL_PLAINTEXT) is accepted: the password never crosses the wire,
 * though the traffic is unencrypted.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
export const SASL_MECHANISMS: readonly SaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

export interface KafkaSecurity {
  /** TLS on the connection (null = plaintext). */
  readonly tls: null | {
    /** PEM CA certificate(s) the broker's certificate must chain to; default: Node's built-in CAs. */
    readonly caFile?: string;
    /** PEM client certificate (mutual TLS); needs keyFile. */
    readonly certFile?: string;
    /** PEM private key of certFile (PKCS#8, PKCS#1 or SEC1; encrypted ones need keyPassword). */
    readonly keyFile?: string;
    readonly keyPassword?: string;
    /** Name the broker certificates must carry (and SNI), when it differs from the broker address. */
    readonly serverName?: string;
    /** Skips verifying the broker's certificate. For experiments only: anyone can impersonate the broker. */
    readonly insecureSkipVerify?: boolean;
  };
  readonly sasl: null | { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
}

export const PLAINTEXT: KafkaSecurity = Object.freeze({ tls: null, sasl: null });

/**
 * The command-line option that sets each field, named in every message about it. The config
 * file layer documents its keys as these options' counterparts.
 */
export const KAFKA_SECURITY_OPTIONS = {
  tls: '--kafka-tls',
  caFile: '--kafka-ca-file',
  certFile: '--kafka-cert-file',
  keyFile: '--kafka-key-file',
  keyPassword: '--kafka-key-password-file',
  serverName: '--kafka-tls-server-name',
  insecureSkipVerify: '--kafka-tls-insecure-skip-verify',
  mechanism: '--kafka-sasl-mechanism',
  username: '--kafka-sasl-username',
  password: '--kafka-sasl-password-file',
} as const;

/** Every problem found in a {@link KafkaSecurity}, one line each. */
export class KafkaSecurityError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Kafka security settings have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KafkaSecurityError';
  }
}

const O = KAFKA_SECURITY_OPTIONS;

/** The kafkajs `ssl` setting (Node's tls.connect options) segflow produces. */
export interface KafkaTlsOptions {
  readonly ca?: string[];
  readonly cert?: string;
  readonly key?: string;
  readonly passphrase?: string;
  readonly servername?: string;
  readonly rejectUnauthorized: boolean;
}

/** Reads the files once, validates (all problems, each naming the option), returns kafkajs ssl/sasl config. */
export async function kafkaConnectionConfig(security: KafkaSecurity): Promise<Pick<KafkaConfig, 'ssl' | 'sasl'>> {
  const problems = checkSettings(security);
  const ssl = security.tls ? await readTls(security.tls, problems) : undefined;
  if (problems.length > 0) throw new KafkaSecurityError(problems);
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (ssl) out.ssl = ssl;
  if (security.sasl) out.sasl = { mechanism: security.sasl.mechanism, username: security.sasl.username, password: security.sasl.password } as SASLOptions;
  return out;
}

/** Checks what needs no file: combinations and values. */
function checkSettings(security: KafkaSecurity): string[] {
  const problems: string[] = [];
  const { sasl, tls } = security;
  if (sasl) {
    if (!SASL_MECHANISMS.includes(sasl.mechanism)) {
      problems.push(`${O.mechanism}: unsupported SASL mechanism ${JSON.stringify(sasl.mechanism)} (expected one of ${SASL_MECHANISMS.join(', ')})`);
    }
    if (!sasl.username) problems.push(`${O.username}: the SASL user name is empty`);
    else if (/[\s,=]/.test(sasl.username) && sasl.mechanism !== 'plain') problems.push(`${O.username}: ${JSON.stringify(sasl.username)} has a space, ',' or '=' (SCRAM user names cannot)`);
    if (!sasl.password) problems.push(`${O.password}: the SASL password is empty`);
    if (sasl.mechanism === 'plain' && !tls) {
      problems.push(`${O.mechanism} plain without ${O.tls} would send the password in clear text: turn on TLS (the broker's SASL_SSL listener)`);
    }
  }
  if (tls) {
    if (tls.certFile && !tls.keyFile) problems.push(`${O.certFile} is set but ${O.keyFile} is not: a client certificate needs its private key`);
    if (tls.keyFile && !tls.certFile) problems.push(`${O.keyFile} is set but ${O.certFile} is not: a private key needs its client certificate`);
    if (tls.keyPassword !== undefined && !tls.keyFile) problems.push(`${O.keyPassword} is set but ${O.keyFile} is not`);
    if (tls.serverName !== undefined && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(tls.serverName)) {
      problems.push(`${O.serverName}: ${JSON.stringify(tls.serverName)} is not a host name`);
    }
  }
  return problems;
}

async function readText(option: string, file: string, problems: string[]): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.message;
    problems.push(`${option} ${file}: cannot read it (${why})`);
    return undefined;
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM file, each checked for validity dates; problems name the option and file. */
function parseCertificates(option: string, file: string, pem: string, problems: string[]): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    problems.push(`${option} ${file}: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)`);
    return [];
  }
  const certs: X509Certificate[] = [];
  const now = Date.now();
  blocks.forEach((block, i) => {
    const which = blocks.length > 1 ? ` (certificate ${i + 1})` : '';
    try {
      const cert = new X509Certificate(block);
      if (Date.parse(cert.validTo) < now) problems.push(`${option} ${file}${which}: ${subjectOf(cert)} expired on ${new Date(cert.validTo).toISOString()}`);
      else if (Date.parse(cert.validFrom) > now) problems.push(`${option} ${file}${which}: ${subjectOf(cert)} is not valid before ${new Date(cert.validFrom).toISOString()}`);
      certs.push(cert);
    } catch (err) {
      problems.push(`${option} ${file}${which}: not a valid certificate (${(err as Error).message})`);
    }
  });
  return certs;
}

function subjectOf(cert: X509Certificate): string {
  return `certificate "${cert.subject.replaceAll('\n', ', ')}"`;
}

function parseKey(file: string, pem: string, password: string | undefined, problems: string[]): KeyObject | undefined {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    problems.push(`${O.keyFile} ${file}: no PEM private key in it (expected -----BEGIN PRIVATE KEY----- or an encrypted/RSA/EC variant)`);
    return undefined;
  }
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem);
  if (encrypted && password === undefined) {
    problems.push(`${O.keyFile} ${file}: the key is encrypted; give its password with ${O.keyPassword}`);
    return undefined;
  }
  try {
    return createPrivateKey(encrypted ? { key: pem, passphrase: password } : { key: pem });
  } catch (err) {
    // Never echo the password: the reason is OpenSSL's, the password is only named by its option.
    problems.push(encrypted
      ? `${O.keyFile} ${file}: cannot decrypt the key with the password from ${O.keyPassword}`
      : `${O.keyFile} ${file}: not a valid private key (${(err as Error).message})`);
    return undefined;
  }
}

async function readTls(tls: NonNullable<KafkaSecurity['tls']>, problems: string[]): Promise<KafkaTlsOptions> {
  const [caPem, certPem, keyPem] = await Promise.all([
    tls.caFile ? readText(O.caFile, tls.caFile, problems) : undefined,
    tls.certFile ? readText(O.certFile, tls.certFile, problems) : undefined,
    tls.keyFile ? readText(O.keyFile, tls.keyFile, problems) : undefined,
  ]);
  const ca = caPem !== undefined && tls.caFile ? parseCertificates(O.caFile, tls.caFile, caPem, problems) : [];
  const cert = certPem !== undefined && tls.certFile ? parseCertificates(O.certFile, tls.certFile, certPem, problems)[0] : undefined;
  const key = keyPem !== undefined && tls.keyFile ? parseKey(tls.keyFile, keyPem, tls.keyPassword, problems) : undefined;
  if (cert && key && !cert.checkPrivateKey(key)) {
    problems.push(`${O.keyFile} ${tls.keyFile}: this key does not belong to the certificate in ${O.certFile} ${tls.certFile} (${subjectOf(cert)})`);
  }
  return {
    ...(ca.length > 0 ? { ca: ca.map((c) => c.toString()) } : {}),
    ...(certPem !== undefined ? { cert: certPem } : {}),
    ...(keyPem !== undefined ? { key: keyPem } : {}),
    ...(tls.keyPassword !== undefined ? { passphrase: tls.keyPassword } : {}),
    ...(tls.serverName ? { servername: tls.serverName } : {}),
    rejectUnauthorized: tls.insecureSkipVerify !== true,
  };
}

/** The secret strings of a {@link KafkaSecurity}, for redaction in logs. */
export function secretsOf(security: KafkaSecurity): string[] {
  return [security.sasl?.password, security.tls?.keyPassword].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** Who the broker will see: for messages about authentication and ACLs. Never includes a secret. */
export function principalOf(security: KafkaSecurity): string {
  if (security.sasl) return `SASL user "${security.sasl.username}"`;
  if (security.tls?.certFile) return `the client certificate ${security.tls.certFile}`;
  return 'an anonymous client';
}

/** One log-safe line describing the connection: `SASL_SSL (scram-sha-512, user "collector")`. */
export function describeKafkaSecurity(security: KafkaSecurity): string {
  const protocol = security.tls ? (security.sasl ? 'SASL_SSL' : 'SSL') : security.sasl ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
  const parts: string[] = [];
  if (security.sasl) parts.push(`${security.sasl.mechanism}, user "${security.sasl.username}"`);
  if (security.tls?.certFile) parts.push(`client certificate ${security.tls.certFile}`);
  if (security.tls?.caFile) parts.push(`CA ${security.tls.caFile}`);
  if (security.tls?.insecureSkipVerify) parts.push('broker certificate NOT verified');
  return parts.length > 0 ? `${protocol} (${parts.join('; ')})` : protocol;
}
