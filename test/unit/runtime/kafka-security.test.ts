/**
 * Kafka security settings → kafkajs ssl/sasl: files read once, every problem reported at once
 * naming its option, secrets never echoed. Certificates are made with openssl per run.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KafkaSecurityError, PLAINTEXT, describeKafkaSecurity, kafkaConnectionConfig, principalOf, secretsOf, type KafkaSecurity } from '../../../src/runtime/kafka-security.ts';
import { TestCertificateAuthority, type IssuedCertificate } from '../../harness/test-certificates.ts';

async function problemsOf(security: KafkaSecurity): Promise<readonly string[]> {
  try {
    await kafkaConnectionConfig(security);
  } catch (err) {
    assert.ok(err instanceof KafkaSecurityError, `expected KafkaSecurityError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected the settings to be refused');
}

describe('kafkaConnectionConfig', () => {
  let dir: string;
  let ca: TestCertificateAuthority;
  let client: IssuedCertificate;
  let encrypted: IssuedCertificate;
  let other: IssuedCertificate;
  let expired: IssuedCertificate;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-kafka-security-'));
    ca = await TestCertificateAuthority.create(path.join(dir, 'ca'));
    [client, encrypted, other, expired] = await Promise.all([
      ca.issue('collector', { usage: 'client' }),
      ca.issue('enricher', { usage: 'client', keyPassword: 'key-secret-1' }),
      ca.issue('other', { usage: 'client' }),
      ca.issue('old', { usage: 'client', days: -1 }),
    ]);
    await writeFile(path.join(dir, 'not-a-cert.pem'), 'hello\n');
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('gives no ssl and no sasl for PLAINTEXT', async () => {
    assert.deepEqual(await kafkaConnectionConfig(PLAINTEXT), {});
  });

  it('gives TLS with the CA and SASL for SASL_SSL', async () => {
    const config = await kafkaConnectionConfig({ tls: { caFile: ca.caFile }, sasl: { mechanism: 'scram-sha-512', username: 'collector', password: 'pw-1' } });
    const ssl = config.ssl as { ca: string[]; rejectUnauthorized: boolean; cert?: string };
    assert.equal(ssl.ca.length, 1);
    assert.match(ssl.ca[0]!, /^-----BEGIN CERTIFICATE-----/);
    assert.equal(ssl.rejectUnauthorized, true);
    assert.equal(ssl.cert, undefined);
    assert.deepEqual(config.sasl, { mechanism: 'scram-sha-512', username: 'collector', password: 'pw-1' });
  });

  it('uses Node\'s CAs when no CA file is given, and the server name for verification', async () => {
    const config = await kafkaConnectionConfig({ tls: { serverName: 'kafka.example.org' }, sasl: null });
    assert.deepEqual(config.ssl, { servername: 'kafka.example.org', rejectUnauthorized: true });
    assert.equal(config.sasl, undefined);
  });

  it('gives the client certificate and its encrypted key with the password for mutual TLS', async () => {
    const config = await kafkaConnectionConfig({ tls: { caFile: ca.caFile, certFile: encrypted.certFile, keyFile: encrypted.keyFile, keyPassword: 'key-secret-1' }, sasl: null });
    const ssl = config.ssl as { cert: string; key: string; passphrase: string };
    assert.equal(ssl.cert, await readFile(encrypted.certFile, 'utf8'));
    assert.match(ssl.key, /BEGIN ENCRYPTED PRIVATE KEY/);
    assert.equal(ssl.passphrase, 'key-secret-1');
  });

  it('reports every problem at once, each naming its option', async () => {
    const problems = await problemsOf({
      tls: { caFile: path.join(dir, 'missing-ca.pem'), certFile: client.certFile, keyPassword: 'x', serverName: 'bad name' },
      sasl: { mechanism: 'gssapi' as 'plain', username: '', password: '' },
    });
    const expected: Array<[string, RegExp]> = [
      ['mechanism', /^--kafka-sasl-mechanism: unsupported SASL mechanism "gssapi"/],
      ['user', /^--kafka-sasl-username: the SASL user name is empty/],
      ['password', /^--kafka-sasl-password-file: the SASL password is empty/],
      ['cert without key', /^--kafka-cert-file is set but --kafka-key-file is not/],
      ['key password without key', /^--kafka-key-password-file is set but --kafka-key-file is not/],
      ['server name', /^--kafka-tls-server-name: "bad name" is not a host name/],
      ['CA file', /^--kafka-ca-file .*missing-ca\.pem: cannot read it \(no such file\)/],
    ];
    for (const [what, re] of expected) assert.ok(problems.some((p) => re.test(p)), `${what}: ${re} not in\n${problems.join('\n')}`);
    assert.equal(problems.length, expected.length, problems.join('\n'));
  });

  it('refuses SASL PLAIN without TLS (the password would cross the wire in clear) but takes SCRAM', async () => {
    const problems = await problemsOf({ tls: null, sasl: { mechanism: 'plain', username: 'u', password: 'p' } });
    assert.deepEqual(problems, ['--kafka-sasl-mechanism plain without --kafka-tls would send the password in clear text: turn on TLS (the broker\'s SASL_SSL listener)']);
    assert.ok((await kafkaConnectionConfig({ tls: null, sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' } })).sasl);
  });

  it('asks for the password of an encrypted key, and never echoes a wrong one', async () => {
    const missing = await problemsOf({ tls: { certFile: encrypted.certFile, keyFile: encrypted.keyFile }, sasl: null });
    assert.deepEqual(missing, [`--kafka-key-file ${encrypted.keyFile}: the key is encrypted; give its password with --kafka-key-password-file`]);
    const wrong = await problemsOf({ tls: { certFile: encrypted.certFile, keyFile: encrypted.keyFile, keyPassword: 'not-the-password-42' }, sasl: null });
    assert.deepEqual(wrong, [`--kafka-key-file ${encrypted.keyFile}: cannot decrypt the key with the password from --kafka-key-password-file`]);
    assert.ok(!wrong.join('').includes('not-the-password-42'));
  });

  it('refuses a key that does not belong to the certificate, an expired certificate and a file without certificates', async () => {
    const mismatch = await problemsOf({ tls: { certFile: client.certFile, keyFile: other.keyFile }, sasl: null });
    assert.equal(mismatch.length, 1);
    assert.match(mismatch[0]!, /^--kafka-key-file .*other\.plain\.key: this key does not belong to the certificate in --kafka-cert-file .*collector\.pem \(certificate "CN=collector"\)/);
    const old = await problemsOf({ tls: { certFile: expired.certFile, keyFile: expired.keyFile }, sasl: null });
    assert.equal(old.length, 1);
    assert.match(old[0]!, /^--kafka-cert-file .*old\.pem: certificate "CN=old" expired on \d{4}-\d\d-\d\dT/);
    const junk = await problemsOf({ tls: { caFile: path.join(dir, 'not-a-cert.pem') }, sasl: null });
    assert.deepEqual(junk, [`--kafka-ca-file ${path.join(dir, 'not-a-cert.pem')}: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)`]);
  });

  it('turns verification off only when asked, and says so', async () => {
    const security: KafkaSecurity = { tls: { insecureSkipVerify: true }, sasl: null };
    assert.deepEqual((await kafkaConnectionConfig(security)).ssl, { rejectUnauthorized: false });
    assert.match(describeKafkaSecurity(security), /broker certificate NOT verified/);
  });

  it('describes the connection and the principal without secrets', () => {
    const security: KafkaSecurity = { tls: { caFile: '/etc/ca.pem', keyPassword: 'kp-secret' }, sasl: { mechanism: 'scram-sha-256', username: 'enricher', password: 'pw-secret' } };
    assert.equal(describeKafkaSecurity(security), 'SASL_SSL (scram-sha-256, user "enricher"; CA /etc/ca.pem)');
    assert.equal(describeKafkaSecurity(PLAINTEXT), 'PLAINTEXT');
    assert.equal(principalOf(security), 'SASL user "enricher"');
    assert.deepEqual(secretsOf(security), ['pw-secret', 'kp-secret']);
  });
});
