/**
 * describeKafkaFailure on the error chains kafkajs really produces (shapes recorded against the
 * secured Kafka 4.4 broker of the integration test, built here with kafkajs' own error classes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import { describeKafkaFailure, type KafkaFailureContext } from '../../../src/runtime/kafka-errors.ts';
import { KafkaSecurityError, type KafkaSecurity } from '../../../src/runtime/kafka-security.ts';

// kafkajs' type declarations omit some of the error classes it exports (and some constructor arguments).
type ErrorClass = new (...args: unknown[]) => Error;
const errors = kafkajs as unknown as Record<'KafkaJSConnectionError' | 'KafkaJSConnectionClosedError' | 'KafkaJSNumberOfRetriesExceeded' | 'KafkaJSProtocolError' | 'KafkaJSSASLAuthenticationError' | 'KafkaJSNonRetriableError' | 'KafkaJSCreateTopicError' | 'KafkaJSAggregateError' | 'KafkaJSGroupCoordinatorNotFound', ErrorClass>;
const { KafkaJSConnectionError, KafkaJSConnectionClosedError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError, KafkaJSNonRetriableError, KafkaJSCreateTopicError, KafkaJSAggregateError, KafkaJSGroupCoordinatorNotFound } = errors;

const scram: KafkaSecurity = { tls: { caFile: '/pki/ca.pem' }, sasl: { mechanism: 'scram-sha-512', username: 'collector', password: 'hunter2-secret' } };
const context: KafkaFailureContext = { brokers: ['kafka-1:9093'], security: scram };

/** What kafkajs throws after its retries on a connection error with this socket error code. */
function afterRetries(message: string, code?: string): Error {
  const inner = new KafkaJSConnectionError(`Connection error: ${message}`, { broker: 'kafka-1:9093', ...(code ? { code } : {}) });
  return new KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 5, retryTime: 4000 });
}

function protocolError(type: string, code: number, message: string, retriable = false): Error {
  return new KafkaJSProtocolError({ type, code, message, retriable } as unknown as Error);
}

describe('describeKafkaFailure', () => {
  it('names an untrusted broker certificate, the CA trusted, and is fatal', () => {
    for (const [code, message] of [['SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'], ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate']]) {
      const f = describeKafkaFailure(afterRetries(message!, code), context);
      assert.equal(f.kind, 'tls');
      assert.equal(f.fatal, true);
      assert.match(f.message, new RegExp(`^TLS to Kafka at kafka-1:9093 failed: the broker certificate .*\\[${code}\\]; segflow trusts the CA file /pki/ca\\.pem$`));
    }
  });

  it('names a host name mismatch with the expected name', () => {
    const err = afterRetries("Hostname/IP does not match certificate's altnames: Host: wrong.example. is not in the cert's altnames: DNS:localhost", 'ERR_TLS_CERT_ALTNAME_INVALID');
    const f = describeKafkaFailure(err, { ...context, security: { ...scram, tls: { serverName: 'wrong.example' } } });
    assert.equal(f.kind, 'tls');
    assert.equal(f.message, "TLS to Kafka at kafka-1:9093 failed: the broker certificate does not name the address segflow connected to (expected name wrong.example) [ERR_TLS_CERT_ALTNAME_INVALID]; segflow trusts Node's built-in CAs (no --kafka-ca-file)");
  });

  it('classifies by message when only the text survived (log lines)', () => {
    const f = describeKafkaFailure({ message: 'Connection error: self-signed certificate in certificate chain' });
    assert.equal(f.kind, 'tls');
    assert.match(f.message, /\[SELF_SIGNED_CERT_IN_CHAIN\]/);
    assert.equal(describeKafkaFailure({ message: 'Not authorized to access topics: [Topic authorization failed]' }).kind, 'authorization');
  });

  it('says the broker refused the client certificate (mutual TLS)', () => {
    const err = afterRetries('error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:SSL alert number 42', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE');
    const f = describeKafkaFailure(err, { brokers: ['kafka-1:9094'], security: { tls: { caFile: '/pki/ca.pem' }, sasl: null } });
    assert.deepEqual(f, { kind: 'tls', fatal: true, message: 'Kafka at kafka-1:9094 rejected the TLS handshake with no client certificate (--kafka-cert-file): is it signed by a CA the broker trusts? [ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE]' });
  });

  it('says a SASL login was rejected, naming user and mechanism but never the password', () => {
    const err = new KafkaJSSASLAuthenticationError('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
    const f = describeKafkaFailure(err, context);
    assert.deepEqual(f, { kind: 'auth', fatal: true, message: 'Kafka at kafka-1:9093 rejected the SASL login of user "collector" (SCRAM-SHA-512): wrong user name or password, or the user has no SCRAM-SHA-512 credentials [SASL_AUTHENTICATION_FAILED]' });
    assert.ok(!f.message.includes('hunter2-secret'));
  });

  it('says the mechanism is not offered, and that a listener does not take SASL', () => {
    const unsupported = describeKafkaFailure(protocolError('UNSUPPORTED_SASL_MECHANISM', 33, 'The broker does not support the requested SASL mechanism'), context);
    assert.deepEqual(unsupported, { kind: 'auth', fatal: true, message: 'Kafka at kafka-1:9093 does not offer SASL SCRAM-SHA-512 on this listener: use a mechanism the listener enables (--kafka-sasl-mechanism)' });
    const illegal = describeKafkaFailure(protocolError('ILLEGAL_SASL_STATE', 34, 'Request is not valid given the current SASL state'), context);
    assert.equal(illegal.kind, 'auth');
    assert.match(illegal.message, /does not take SASL on this listener/);
  });

  it('names the topic, the group and the principal of authorization failures', () => {
    const topic = describeKafkaFailure(new KafkaJSNonRetriableError(protocolError('TOPIC_AUTHORIZATION_FAILED', 29, 'Not authorized to access topics: [Topic authorization failed]')), { ...context, topics: ['flows.raw'] });
    assert.deepEqual(topic, { kind: 'authorization', fatal: true, message: 'Kafka denied SASL user "collector" access to topic \'flows.raw\' [TOPIC_AUTHORIZATION_FAILED]: grant the ACLs this role needs' });
    const group = describeKafkaFailure(protocolError('GROUP_AUTHORIZATION_FAILED', 30, 'Not authorized to access group: Group authorization failed'), { ...context, groupId: 'segflow-enricher' });
    assert.match(group.message, /access to consumer group 'segflow-enricher' \[GROUP_AUTHORIZATION_FAILED\]/);
    const cluster = describeKafkaFailure(protocolError('CLUSTER_AUTHORIZATION_FAILED', 31, 'Cluster authorization failed'), context);
    assert.match(cluster.message, /a cluster operation \(an idempotent producer needs Write on its topic, creating a topic needs Create\) \[CLUSTER_AUTHORIZATION_FAILED\]/);
    // createTopics reports per topic inside an aggregate error: the topic comes from the error.
    const created = new KafkaJSAggregateError('Topic creation errors', [new KafkaJSCreateTopicError(protocolError('TOPIC_AUTHORIZATION_FAILED', 29, 'Not authorized to access topics: [Topic authorization failed]'), 'flows.dead-letter')]);
    assert.match(describeKafkaFailure(created, context).message, /access to topic 'flows\.dead-letter'/);
  });

  it('reads kafkajs\' "group coordinator not found" (how it reports a group the principal may not use) as authorization', () => {
    const f = describeKafkaFailure(new KafkaJSGroupCoordinatorNotFound('Failed to find group coordinator'), { ...context, groupId: 'segflow-enricher' });
    assert.equal(f.kind, 'authorization');
    assert.equal(f.fatal, true);
    assert.match(f.message, /^Kafka gave SASL user "collector" no coordinator for consumer group 'segflow-enricher' \[KafkaJSGroupCoordinatorNotFound\]: usually a missing ACL \(Read on the group\)/);
  });

  it('asks whether the listener is TLS when the connection is closed or reset during the first exchange, and is not fatal', () => {
    const tlsToPlain = describeKafkaFailure(afterRetries('Client network socket disconnected before secure TLS connection was established', 'ECONNRESET'), { brokers: ['kafka-1:9092'], security: { tls: {}, sasl: null } });
    assert.deepEqual(tlsToPlain, { kind: 'connection', fatal: false, message: 'Kafka at kafka-1:9092 closed or did not answer the connection [ECONNRESET]: is the listener TLS? segflow speaks TLS (--kafka-tls) without SASL: does the listener require SASL (--kafka-sasl-mechanism)?' });
    const closed = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionClosedError('Closed connection', { host: 'kafka-1', port: 9093 }), { retryCount: 5, retryTime: 4000 });
    const plainToTls = describeKafkaFailure(closed, { brokers: ['kafka-1:9093'], security: { tls: null, sasl: null } });
    assert.deepEqual(plainToTls, { kind: 'connection', fatal: false, message: 'Kafka at kafka-1:9093 closed or did not answer the connection [Closed connection]: is the listener TLS? segflow speaks plaintext (no --kafka-tls) and no SASL' });
  });

  it('says Kafka is unreachable when the connection is refused', () => {
    const f = describeKafkaFailure(afterRetries('connect ECONNREFUSED 127.0.0.1:9092', 'ECONNREFUSED'), { brokers: ['127.0.0.1:9092'] });
    assert.deepEqual(f, { kind: 'connection', fatal: false, message: 'cannot reach Kafka at 127.0.0.1:9092 [ECONNREFUSED]' });
  });

  it('passes other errors through, and settings errors as fatal', () => {
    assert.deepEqual(describeKafkaFailure(new Error('something else')), { kind: 'other', fatal: false, message: 'something else' });
    assert.deepEqual(describeKafkaFailure('a string'), { kind: 'other', fatal: false, message: 'a string' });
    const settings = new KafkaSecurityError(['--kafka-ca-file /x: cannot read it (no such file)']);
    assert.deepEqual(describeKafkaFailure(settings), { kind: 'other', fatal: true, message: settings.message });
  });
});
