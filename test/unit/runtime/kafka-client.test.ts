/**
 * The client factory's taming of kafkajs: which consumer crashes are restarted, and that a
 * secured client is refused before any connection when its settings are wrong.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import { consumerRestartPolicy, createSecureKafka, isTransientKafkaLog } from '../../../src/runtime/kafka-client.ts';
import { KafkaSecurityError } from '../../../src/runtime/kafka-security.ts';

type ErrorClass = new (...args: unknown[]) => Error;
const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } = kafkajs as unknown as Record<'KafkaJSConnectionError' | 'KafkaJSNumberOfRetriesExceeded', ErrorClass>;

function afterRetries(message: string, code: string): Error {
  return new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError(`Connection error: ${message}`, { broker: 'k:9093', code }), { retryCount: 5, retryTime: 4000 });
}

describe('consumerRestartPolicy', () => {
  it('does not restart a consumer after a TLS verification failure (kafkajs would, forever)', async () => {
    const restart = consumerRestartPolicy({});
    assert.equal(await restart(afterRetries('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN')), false);
    assert.equal(await restart(afterRetries('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')), false);
  });

  it('restarts after an outage, unless the caller\'s own policy says no', async () => {
    const outage = afterRetries('connect ECONNREFUSED 127.0.0.1:9092', 'ECONNREFUSED');
    assert.equal(await consumerRestartPolicy({})(outage), true);
    const asked: Error[] = [];
    assert.equal(await consumerRestartPolicy({}, async (e) => (asked.push(e), false))(outage), false);
    assert.deepEqual(asked, [outage]);
  });
});

describe('createSecureKafka', () => {
  it('refuses settings with problems before building a client', async () => {
    await assert.rejects(
      createSecureKafka('127.0.0.1:9', 'x', { tls: { caFile: '/nonexistent/ca.pem' }, sasl: { mechanism: 'scram-sha-256', username: 'u', password: '' } }),
      (err: unknown) => err instanceof KafkaSecurityError && err.problems.length === 2,
    );
  });
});

describe('isTransientKafkaLog', () => {
  it('calls a broker that does not answer, a loading coordinator or a consumer restart transient', () => {
    for (const line of [
      'Connection error: connect ECONNREFUSED 127.0.0.1:9092',
      'Crash: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
      'Crash: KafkaJSNoBrokerAvailableError: No broker available',
      'Restarting the consumer in 300ms',
      'Response without match',
    ]) assert.equal(isTransientKafkaLog(line), true, line);
    assert.equal(isTransientKafkaLog('Response GroupCoordinator(key: 10, version: 2)', 'The coordinator is loading and hence can\'t process requests for this group'), true);
    assert.equal(isTransientKafkaLog('Response Heartbeat(key: 12, version: 3)', 'The group is rebalancing, so a rejoin is needed'), true);
  });

  it('never hides a failure retrying cannot fix, nor an unknown one', () => {
    assert.equal(isTransientKafkaLog('Connection error: self-signed certificate in certificate chain'), false);
    assert.equal(isTransientKafkaLog('Response SaslAuthenticate(key: 36, version: 1)', 'SASL SCRAM SHA512 authentication failed'), false);
    assert.equal(isTransientKafkaLog('Not authorized to access topics: [flows.raw]'), false);
    assert.equal(isTransientKafkaLog('Something new went wrong'), false);
  });
});
