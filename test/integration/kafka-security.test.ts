/**
 * Kafka security against a real secured broker (Kafka 4.4, KRaft, test/harness/secure-kafka.ts):
 * SASL_SSL with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN, mutual TLS with the principal from the
 * certificate, ACLs with allow.everyone.if.no.acl.found=false. Each mechanism produces and
 * consumes; each failure a user can make (wrong password, untrusted CA, wrong host name, a
 * mechanism the listener does not offer, a missing ACL, TLS to a plaintext listener and back)
 * gives its documented message; secrets never reach the logs, even at debug level.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { logLevel, type Kafka } from 'kafkajs';
import { pino } from 'pino';
import { createSecureKafka } from '../../src/runtime/kafka-client.ts';
import { describeKafkaFailure, type KafkaFailure } from '../../src/runtime/kafka-errors.ts';
import { PLAINTEXT, type KafkaSecurity } from '../../src/runtime/kafka-security.ts';
import type { Logger } from '../../src/runtime/logger.ts';
import { startSecureKafka, type SecureKafka } from '../harness/secure-kafka.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { TestCertificateAuthority, randomPassword } from '../harness/test-certificates.ts';

const plaintextBrokers = requireKafkaBrokers();
const alicePassword = randomPassword();
const bobPassword = randomPassword();
/** Fewer retries than a role's defaults, so each failure case takes seconds, not ten. */
const quick = { retry: { retries: 1, initialRetryTime: 100 }, connectionTimeout: 3000, requestTimeout: 10_000, logLevel: logLevel.NOTHING };

/** A pino logger into memory: every line kafkajs logs through segflow, at debug level. */
function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  return { logger: pino<never>({ level: 'debug' }, stream), lines };
}

/** What a producer's first send fails with (or undefined when it succeeds). */
async function sendFailure(brokers: string, security: KafkaSecurity, topic: string, overrides: object = quick): Promise<{ error: unknown; ms: number } | undefined> {
  const started = Date.now();
  const kafka = await createSecureKafka(brokers, 'security-test', security, overrides);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'x' }] });
    return undefined;
  } catch (error) {
    return { error, ms: Date.now() - started };
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

async function expectFailure(brokers: string, security: KafkaSecurity, topic: string, overrides: object = quick): Promise<KafkaFailure & { ms: number }> {
  const failed = await sendFailure(brokers, security, topic, overrides);
  assert.ok(failed, `expected the send to ${brokers} to fail`);
  return { ...describeKafkaFailure(failed.error, { brokers: [brokers], security, topics: [topic] }), ms: failed.ms };
}

/** Produces a message and reads it back in a consumer group: the full client path. */
async function roundTrip(kafka: Kafka, topic: string, groupId: string): Promise<string> {
  const value = uniqueName('msg');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: 'k', value }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message on ${topic} within 60 s`)), 60_000);
      void consumer.run({ eachMessage: async ({ message }) => {
        if (message.value?.toString() === value) {
          clearTimeout(timer);
          resolve(value);
        }
      } }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

describe('Kafka security against a real secured broker', { timeout: 900_000 }, () => {
  let broker: SecureKafka;
  let admin: Kafka;
  const topics = { alice: 'sec-alice', carol: 'sec-carol', bobOnly: 'bob-only', other: 'not-for-bob' };

  before(async () => {
    broker = await startSecureKafka({ users: [
      { name: 'alice', password: alicePassword, mechanisms: ['plain', 'scram-sha-256', 'scram-sha-512'] },
      { name: 'bob', password: bobPassword, mechanisms: ['scram-sha-256'] },
    ] });
    admin = await broker.admin();
    const client = admin.admin();
    await client.connect();
    await client.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 1 })) });
    await client.disconnect();
    await broker.grant([
      { principal: 'alice', resource: 'topic', name: 'sec-', pattern: 'prefixed', operations: ['read', 'write'] },
      { principal: 'alice', resource: 'group', name: 'sec-', pattern: 'prefixed', operations: ['read'] },
      // carol authenticates with a client certificate (CN=carol).
      { principal: 'carol', resource: 'topic', name: topics.carol, operations: ['read', 'write'] },
      { principal: 'carol', resource: 'group', name: 'sec-carol', operations: ['read'] },
      // bob may read and write one topic, and has no group at all.
      { principal: 'bob', resource: 'topic', name: topics.bobOnly, operations: ['read', 'write'] },
    ]);
  });

  after(async () => {
    await broker?.stop();
  });

  for (const mechanism of ['scram-sha-256', 'scram-sha-512', 'plain'] as const) {
    it(`SASL_SSL with ${mechanism.toUpperCase()}: produces and consumes in a group`, async () => {
      const kafka = await createSecureKafka(broker.saslSslBootstrap, `alice-${mechanism}`, broker.saslSecurity('alice', mechanism));
      const value = await roundTrip(kafka, topics.alice, `sec-${mechanism}`);
      assert.match(value, /^msg-/);
    });
  }

  it('mutual TLS: the certificate is the identity (CN=carol holds the ACLs), also with an encrypted key', async () => {
    const carol = await broker.clientSecurity('carol');
    assert.match(await roundTrip(await createSecureKafka(broker.mtlsBootstrap, 'carol', carol), topics.carol, 'sec-carol'), /^msg-/);
    const keyPassword = randomPassword();
    const carolEncrypted = await broker.clientSecurity('carol', { keyPassword });
    assert.equal(carolEncrypted.tls?.keyPassword, keyPassword);
    assert.match(await roundTrip(await createSecureKafka(broker.mtlsBootstrap, 'carol-2', carolEncrypted), topics.carol, 'sec-carol'), /^msg-/);
    // Another CN has no ACLs: authenticated, but not authorised.
    const dave = await expectFailure(broker.mtlsBootstrap, await broker.clientSecurity('dave'), topics.carol);
    assert.equal(dave.kind, 'authorization');
    assert.match(dave.message, /^Kafka denied the client certificate .*dave\.pem a cluster operation/);
  });

  it('a wrong password: "rejected the SASL login", fatal, at once (no retries)', async () => {
    for (const mechanism of ['scram-sha-256', 'scram-sha-512', 'plain'] as const) {
      const security: KafkaSecurity = { tls: { caFile: broker.caFile }, sasl: { mechanism, username: 'alice', password: 'wrong-password' } };
      const f = await expectFailure(broker.saslSslBootstrap, security, topics.alice, { logLevel: logLevel.NOTHING });
      const why = mechanism === 'plain' ? 'wrong user name or password' : `wrong user name or password, or the user has no ${mechanism.toUpperCase()} credentials`;
      assert.deepEqual({ kind: f.kind, fatal: f.fatal, message: f.message }, {
        kind: 'auth', fatal: true,
        message: `Kafka at ${broker.saslSslBootstrap} rejected the SASL login of user "alice" (${mechanism.toUpperCase()}): ${why} [SASL_AUTHENTICATION_FAILED]`,
      });
      assert.ok(f.ms < 5000, `failed after ${f.ms} ms: SASL failures are not retried`);
    }
  });

  it('a mechanism the listener does not offer', async () => {
    const f = await expectFailure(broker.scram512OnlyBootstrap, broker.saslSecurity('alice', 'plain'), topics.alice);
    assert.deepEqual({ kind: f.kind, fatal: f.fatal, message: f.message }, {
      kind: 'auth', fatal: true,
      message: `Kafka at ${broker.scram512OnlyBootstrap} does not offer SASL PLAIN on this listener: use a mechanism the listener enables (--kafka-sasl-mechanism)`,
    });
  });

  it('an untrusted CA: fatal, named, within kafkajs\' bounded retries (default settings)', async () => {
    const rogue = await TestCertificateAuthority.create(`${broker.dir}/rogue-ca`, 'rogue-ca');
    const security: KafkaSecurity = { tls: { caFile: rogue.caFile }, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: alicePassword } };
    const f = await expectFailure(broker.saslSslBootstrap, security, topics.alice, {});
    assert.deepEqual({ kind: f.kind, fatal: f.fatal, message: f.message }, {
      kind: 'tls', fatal: true,
      message: `TLS to Kafka at ${broker.saslSslBootstrap} failed: the broker certificate chains to a CA segflow does not trust [SELF_SIGNED_CERT_IN_CHAIN]; segflow trusts the CA file ${rogue.caFile}`,
    });
    assert.ok(f.ms < 30_000, `gave up after ${f.ms} ms`);
    // Without a CA file segflow trusts Node's CAs, which do not include the test CA either.
    const system = await expectFailure(broker.saslSslBootstrap, { ...security, tls: {} }, topics.alice);
    assert.equal(system.message, `TLS to Kafka at ${broker.saslSslBootstrap} failed: the broker certificate chains to a CA segflow does not trust [SELF_SIGNED_CERT_IN_CHAIN]; segflow trusts Node's built-in CAs (no --kafka-ca-file)`);
  });

  it('a broker certificate that does not carry the expected name', async () => {
    const security: KafkaSecurity = { tls: { caFile: broker.caFile, serverName: 'kafka.elsewhere.example' }, sasl: { mechanism: 'scram-sha-256', username: 'alice', password: alicePassword } };
    const f = await expectFailure(broker.saslSslBootstrap, security, topics.alice);
    assert.equal(f.kind, 'tls');
    assert.equal(f.message, `TLS to Kafka at ${broker.saslSslBootstrap} failed: the broker certificate does not name the address segflow connected to (expected name kafka.elsewhere.example) [ERR_TLS_CERT_ALTNAME_INVALID]; segflow trusts the CA file ${broker.caFile}`);
  });

  it('mutual TLS without a certificate, or with one from an unknown CA: the broker refuses the handshake', async () => {
    const none = await expectFailure(broker.mtlsBootstrap, { tls: { caFile: broker.caFile }, sasl: null }, topics.carol);
    assert.equal(none.kind, 'tls');
    assert.match(none.message, new RegExp(`^Kafka at ${broker.mtlsBootstrap} rejected the TLS handshake with no client certificate \\(--kafka-cert-file\\): is it signed by a CA the broker trusts\\? \\[ERR_SSL_`));
    const rogue = await TestCertificateAuthority.create(`${broker.dir}/rogue-client-ca`, 'rogue-client-ca');
    const cert = await rogue.issue('carol', { usage: 'client' });
    const foreign = await expectFailure(broker.mtlsBootstrap, { tls: { caFile: broker.caFile, certFile: cert.certFile, keyFile: cert.keyFile }, sasl: null }, topics.carol);
    assert.equal(foreign.kind, 'tls');
    assert.match(foreign.message, new RegExp(`rejected the TLS handshake with the client certificate ${cert.certFile}: is it signed by a CA the broker trusts\\?`));
  });

  it('a missing ACL names the topic, or the group, and the principal', async () => {
    const bob = broker.saslSecurity('bob', 'scram-sha-256');
    // bob can write bob-only (so the idempotent producer gets its id) but not another topic.
    const kafka = await createSecureKafka(broker.saslSslBootstrap, 'bob', bob, quick);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.bobOnly, acks: -1, messages: [{ value: 'allowed' }] });
    const denied = await producer.send({ topic: topics.other, acks: -1, messages: [{ value: 'denied' }] }).then(() => undefined, (e: unknown) => e);
    await producer.disconnect();
    assert.ok(denied, 'writing a topic without an ACL fails');
    const topicFailure = describeKafkaFailure(denied, { security: bob, brokers: [broker.saslSslBootstrap], topics: [topics.other] });
    assert.deepEqual(topicFailure, { kind: 'authorization', fatal: true, message: `Kafka denied SASL user "bob" access to topic '${topics.other}' [TOPIC_AUTHORIZATION_FAILED]: grant the ACLs this role needs` });

    // A consumer group without an ACL: the consumer crashes, is not restarted, and the client reports it once.
    const fatal: KafkaFailure[] = [];
    let crashes = 0;
    const consuming = await createSecureKafka(broker.saslSslBootstrap, 'bob-consumer', bob, quick, { onFatal: (f) => fatal.push(f) });
    const consumer = consuming.consumer({ groupId: 'bob-group' });
    consumer.on(consumer.events.CRASH, () => void crashes++);
    await consumer.connect();
    await consumer.subscribe({ topic: topics.bobOnly, fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    const deadline = Date.now() + 30_000;
    while (fatal.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3000)); // a restarting consumer would crash again within this
    await consumer.disconnect();
    // kafkajs hides the broker's GROUP_AUTHORIZATION_FAILED behind "coordinator not found".
    assert.deepEqual(fatal, [{ kind: 'authorization', fatal: true, message: `Kafka gave SASL user "bob" no coordinator for consumer group 'bob-group' [KafkaJSGroupCoordinatorNotFound]: usually a missing ACL (Read on the group); kafkajs does not pass on the broker's reason, which may also be that no broker answered` }]);
    assert.equal(crashes, 1, 'the consumer is not restarted on a fatal failure');
  });

  it('TLS to a plaintext listener, and plaintext or no SASL to the SASL_SSL listener: "is the listener TLS?"', async () => {
    const tlsToPlain = await expectFailure(plaintextBrokers, { tls: {}, sasl: null }, 'any-topic');
    assert.equal(tlsToPlain.kind, 'connection');
    assert.equal(tlsToPlain.fatal, false);
    assert.match(tlsToPlain.message, new RegExp(`^Kafka at ${plaintextBrokers} closed or did not answer the connection \\[ECONNRESET\\]: is the listener TLS\\? segflow speaks TLS \\(--kafka-tls\\)`));
    const plainToTls = await expectFailure(broker.saslSslBootstrap, PLAINTEXT, topics.alice);
    assert.equal(plainToTls.kind, 'connection');
    assert.equal(plainToTls.message, `Kafka at ${broker.saslSslBootstrap} closed or did not answer the connection [Closed connection]: is the listener TLS? segflow speaks plaintext (no --kafka-tls) and no SASL`);
    const noSasl = await expectFailure(broker.saslSslBootstrap, { tls: { caFile: broker.caFile }, sasl: null }, topics.alice);
    assert.match(noSasl.message, /is the listener TLS\? segflow speaks TLS \(--kafka-tls\) without SASL: does the listener require SASL \(--kafka-sasl-mechanism\)\?$/);
  });

  it('never logs a password: debug-level logs of a failed and a successful login hold neither', async () => {
    const { logger, lines } = memoryLogger();
    const wrongPassword = `wrong-${randomPassword()}`;
    for (const mechanism of ['plain', 'scram-sha-512'] as const) {
      const bad: KafkaSecurity = { tls: { caFile: broker.caFile }, sasl: { mechanism, username: 'alice', password: wrongPassword } };
      const kafka = await createSecureKafka(broker.saslSslBootstrap, 'log-test-bad', bad, { logLevel: logLevel.DEBUG }, { logger });
      const admin = kafka.admin();
      await admin.connect().catch(() => undefined);
      await admin.disconnect();
      const good = await createSecureKafka(broker.saslSslBootstrap, 'log-test-good', broker.saslSecurity('alice', mechanism), { logLevel: logLevel.DEBUG }, { logger });
      await roundTrip(good, topics.alice, `sec-log-${mechanism}`);
    }
    const all = lines.join('\n');
    assert.ok(lines.length > 50, `debug logging produced ${lines.length} lines`);
    assert.match(all, /authentication failed/i, 'the failed login is in the debug log');
    assert.ok(!all.includes(wrongPassword), 'the wrong password is not logged');
    assert.ok(!all.includes(alicePassword), 'the real password is not logged');
    // The failure itself is the role's to report: kafkajs' own lines about it are debug, not error.
    const errors = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
    assert.deepEqual(errors.filter((l) => /authentication failed/i.test(l.msg)), []);
  });
});
