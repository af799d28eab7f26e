/**
 * A certificate authority made with `openssl` for tests of TLS and mutual TLS: a CA, server
 * certificates with subject alternative names, client certificates, encrypted PKCS#8 keys and
 * PKCS#12 keystores for Java. Passwords reach openssl through files (`-passin file:`), never
 * through its command line.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd, timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

/** A random password (hex, so it survives properties files and JAAS quoting unchanged). */
export function randomPassword(bytes = 18): string {
  return randomBytes(bytes).toString('hex');
}

export interface IssueOptions {
  /** DNS names in the subject alternative names. */
  readonly dnsNames?: readonly string[];
  /** IP addresses in the subject alternative names. */
  readonly ips?: readonly string[];
  /** Extended key usage: a server, a client, or both (a broker is both: it calls its own controller). */
  readonly usage: 'server' | 'client' | 'both';
  /** Encrypts the PEM private key (PKCS#8, AES-256) with this password. */
  readonly keyPassword?: string;
  /** Days until it expires; negative makes one that has already expired. Default 2. */
  readonly days?: number;
}

export interface IssuedCertificate {
  /** Subject common name (with the mapping rule of the test broker: the Kafka principal). */
  readonly commonName: string;
  /** PEM certificate. */
  readonly certFile: string;
  /** PEM private key (PKCS#8; encrypted when a key password was given). */
  readonly keyFile: string;
  readonly keyPassword: string | undefined;
  /** Writes a PKCS#12 keystore (key, certificate and the CA) protected by `password`. */
  pkcs12(password: string): Promise<string>;
}

export class TestCertificateAuthority {
  private constructor(readonly dir: string, readonly name: string, readonly caFile: string, private readonly caKeyFile: string) {}

  /** Creates a self-signed CA (RSA 2048) in `dir`. */
  static async create(dir: string, name = 'segflow-test-ca'): Promise<TestCertificateAuthority> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const caFile = path.join(dir, `${name}.pem`);
    const caKeyFile = path.join(dir, `${name}.key`);
    await openssl(['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKeyFile, '-out', caFile, '-days', '3', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    return new TestCertificateAuthority(dir, name, caFile, caKeyFile);
  }

  /** Issues a certificate for `commonName` signed by this CA. */
  async issue(commonName: string, options: IssueOptions): Promise<IssuedCertificate> {
    const base = path.join(this.dir, commonName.replace(/[^A-Za-z0-9._-]/g, '_'));
    const plainKey = `${base}.plain.key`;
    const csr = `${base}.csr`;
    const certFile = `${base}.pem`;
    const extFile = `${base}.ext`;
    await openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', plainKey, '-out', csr, '-subj', `/CN=${commonName}`], this.dir);
    const sans = [...(options.dnsNames ?? []).map((d) => `DNS:${d}`), ...(options.ips ?? []).map((ip) => `IP:${ip}`)];
    const usage = { server: 'serverAuth', client: 'clientAuth', both: 'serverAuth,clientAuth' }[options.usage];
    await writeFile(extFile, [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${usage}`,
      ...(sans.length > 0 ? [`subjectAltName=${sans.join(',')}`] : []),
      '',
    ].join('\n'));
    const days = options.days ?? 2;
    if (days > 0) {
      await openssl(['x509', '-req', '-in', csr, '-CA', this.caFile, '-CAkey', this.caKeyFile, '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-out', certFile, '-days', String(days), '-extfile', extFile], this.dir);
    } else {
      // `x509 -days` cannot go back in time; an expired certificate needs `openssl ca` with explicit dates.
      await openssl(['ca', '-batch', '-notext', '-config', await this.caConfig(), '-in', csr, '-out', certFile, '-startdate', pastTime(-days + 2), '-enddate', pastTime(-days + 1), '-extfile', extFile], this.dir);
    }
    let keyFile = plainKey;
    if (options.keyPassword !== undefined) {
      keyFile = `${base}.key`;
      const passFile = `${base}.keypass`;
      await writeFile(passFile, options.keyPassword, { mode: 0o600 });
      await openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', plainKey, '-out', keyFile, '-passout', `file:${passFile}`], this.dir);
    }
    const caFile = this.caFile;
    return {
      commonName,
      certFile,
      keyFile,
      keyPassword: options.keyPassword,
      async pkcs12(password: string): Promise<string> {
        const out = `${base}.p12`;
        const passFile = `${base}.p12pass`;
        await writeFile(passFile, password, { mode: 0o600 });
        await openssl(['pkcs12', '-export', '-in', certFile, '-inkey', plainKey, '-certfile', caFile, '-name', commonName, '-out', out, '-passout', `file:${passFile}`], path.dirname(out));
        return out;
      },
    };
  }

  /** A minimal `openssl ca` configuration (only needed for certificates with a validity in the past). */
  private async caConfig(): Promise<string> {
    const dbDir = path.join(this.dir, 'ca-db');
    await mkdir(dbDir, { recursive: true });
    await writeFile(path.join(dbDir, 'index.txt'), '');
    await writeFile(path.join(dbDir, 'serial'), `${randomBytes(8).toString('hex')}\n`);
    const file = path.join(this.dir, 'ca.cnf');
    await writeFile(file, [
      '[ca]', 'default_ca = test_ca', '[test_ca]',
      `database = ${path.join(dbDir, 'index.txt')}`, `serial = ${path.join(dbDir, 'serial')}`, `new_certs_dir = ${dbDir}`,
      `certificate = ${this.caFile}`, `private_key = ${this.caKeyFile}`,
      'default_md = sha256', 'policy = any', 'unique_subject = no', 'copy_extensions = none',
      '[any]', 'commonName = supplied', '',
    ].join('\n'));
    return file;
  }
}

/** `openssl ca` time (YYYYMMDDHHMMSSZ) `daysAgo` days before now. */
function pastTime(daysAgo: number): string {
  const t = new Date(Date.now() - daysAgo * 86_400_000);
  return `${t.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}
