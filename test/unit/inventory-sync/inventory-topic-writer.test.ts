/**
 * What the topic writer derives without Kafka: the transactional id every replica of one sync
 * shares (and that differs between topics and leases), and which errors mean "fenced" (Kafka's
 * answer to a producer whose epoch a newer producer with its id has bumped), also when kafkajs
 * wraps them. The transactions themselves run against real Kafka in
 * test/integration/inventory-sync-transactions.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import { isFencingError, transactionalIdOf } from '../../../src/inventory-sync/inventory-topic-writer.ts';

describe('transactionalIdOf', () => {
  it('is the same for every replica of one topic and lease, different otherwise', () => {
    assert.equal(transactionalIdOf('segflow.inventory', 'segflow', 'segflow-inventory-sync'), transactionalIdOf('segflow.inventory', 'segflow', 'segflow-inventory-sync'));
    const ids = new Set([
      transactionalIdOf('a', 'ns', 'lease'), transactionalIdOf('b', 'ns', 'lease'),
      transactionalIdOf('a', 'other', 'lease'), transactionalIdOf('a', 'ns', 'other'),
    ]);
    assert.equal(ids.size, 4);
  });
});

describe('isFencingError', () => {
  // kafkajs is CommonJS: its error classes are properties of the default export.
  const { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;
  const protocolError = (type: string, code: number, message = `${type} message`) => new KafkaJSProtocolError({ type, code, retriable: false, message } as never);

  it('INVALID_PRODUCER_EPOCH (47) and PRODUCER_FENCED (90), bare or wrapped', () => {
    assert.equal(isFencingError(protocolError('INVALID_PRODUCER_EPOCH', 47)), true);
    // What kafkajs makes of an error code it has no name for.
    assert.equal(isFencingError(protocolError('KAFKAJS_UNKNOWN_ERROR_CODE', -99, 'Unknown error code 90')), true);
    assert.equal(isFencingError(protocolError('KAFKAJS_UNKNOWN_ERROR_CODE', -99, 'Unknown error code 9')), false);
    assert.equal(isFencingError(new KafkaJSNumberOfRetriesExceeded(protocolError('INVALID_PRODUCER_EPOCH', 47), { retryCount: 5, retryTime: 100 })), true, 'wrapped (cause)');
    assert.equal(isFencingError(Object.assign(new KafkaJSNonRetriableError('failed'), { originalError: protocolError('INVALID_PRODUCER_EPOCH', 47) })), true, 'wrapped (originalError)');
  });

  it('not for other failures', () => {
    assert.equal(isFencingError(protocolError('NOT_LEADER_FOR_PARTITION', 6)), false);
    assert.equal(isFencingError(protocolError('CONCURRENT_TRANSACTIONS', 51)), false);
    assert.equal(isFencingError(new Error('connect ECONNREFUSED')), false);
    assert.equal(isFencingError(undefined), false);
  });
});
