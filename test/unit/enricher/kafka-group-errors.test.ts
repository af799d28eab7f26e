/** What a failed commit means for the enricher's group member: rejoin, retry, a routine refusal, or a failure. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commitFailureAction, COORDINATOR_MOVED_GRACE_MS, saysCoordinatorMoved, type CommitFailureAction } from '../../../src/enricher/kafka-group-errors.ts';

function wrapped(inner: object): Error {
  // kafkajs wraps the broker's answer in retry errors: the cause chain carries it.
  return Object.assign(new Error('KafkaJSNumberOfRetriesExceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: Object.assign(new Error('inner'), inner) });
}
const broker = (type: string): Error => Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type });
const named = (name: string, message = name): Error => Object.assign(new Error(message), { name });

describe('commitFailureAction', () => {
  // [what, error, ms the commit has been told the coordinator moved, expected]
  const table: Array<[string, unknown, number, CommitFailureAction]> = [
    // kafkajs' own names of the broker's errors 16 and 15 (node_modules/kafkajs/src/protocol/error.js), and Kafka's.
    ['not the coordinator, just now', broker('NOT_COORDINATOR_FOR_GROUP'), 0, 'retry'],
    ['not the coordinator, within the grace', broker('NOT_COORDINATOR_FOR_GROUP'), COORDINATOR_MOVED_GRACE_MS - 1, 'retry'],
    ['not the coordinator past the grace: it moved', broker('NOT_COORDINATOR_FOR_GROUP'), COORDINATOR_MOVED_GRACE_MS, 'rejoin'],
    ['Kafka\'s name, wrapped, past the grace', wrapped({ type: 'NOT_COORDINATOR' }), COORDINATOR_MOVED_GRACE_MS + 500, 'rejoin'],
    ['coordinator not available, past the grace', wrapped({ type: 'GROUP_COORDINATOR_NOT_AVAILABLE' }), 10_000, 'rejoin'],
    ['Kafka\'s COORDINATOR_NOT_AVAILABLE, just now', broker('COORDINATOR_NOT_AVAILABLE'), 0, 'retry'],
    ['its broker left the metadata (fenced)', named('KafkaJSBrokerNotFound', 'Broker 3 not found in the cached metadata'), 0, 'rejoin'],
    ['broker left the metadata, wrapped', wrapped({ name: 'KafkaJSBrokerNotFound' }), 0, 'rejoin'],
    ['connection refused (down, restarting, not yet fenced)', named('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'), 0, 'retry'],
    ['connection closed, wrapped', wrapped({ name: 'KafkaJSConnectionClosedError' }), 0, 'retry'],
    ['request timed out', named('KafkaJSRequestTimeoutError'), 0, 'retry'],
    ['waiting for a connection timed out', named('KafkaJSLockTimeout'), 0, 'retry'],
    ['group loading on the coordinator', broker('GROUP_LOAD_IN_PROGRESS'), 0, 'retry'],
    ['Kafka\'s name of the same', wrapped({ type: 'COORDINATOR_LOAD_IN_PROGRESS' }), 0, 'retry'],
    ...['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'].map((type): [string, unknown, number, CommitFailureAction] =>
      [`generation moved on: ${type}`, wrapped({ type }), 0, 'refused']),
    ['denied by ACL (the caller decides it is fatal first)', broker('GROUP_AUTHORIZATION_FAILED'), 0, 'failed'],
    ['a plain error', new Error('something else'), 0, 'failed'],
    ['not an error', 'text', 0, 'failed'],
    ['nothing', undefined, 0, 'failed'],
  ];
  for (const [what, error, movedForMs, expected] of table) {
    it(`${what} → ${expected}`, () => assert.equal(commitFailureAction(error, movedForMs), expected));
  }

  it('the cause chain is followed only so deep (a cycle does not hang)', () => {
    const cyclic: { name: string; cause?: unknown } = { name: 'Error' };
    cyclic.cause = cyclic;
    assert.equal(commitFailureAction(cyclic, 0), 'failed');
  });
});

describe('saysCoordinatorMoved', () => {
  it('starts the grace only for the coordinator-moved answers', () => {
    assert.equal(saysCoordinatorMoved(wrapped({ type: 'NOT_COORDINATOR_FOR_GROUP' })), true);
    assert.equal(saysCoordinatorMoved(broker('COORDINATOR_NOT_AVAILABLE')), true);
    assert.equal(saysCoordinatorMoved(named('KafkaJSConnectionError')), false);
    assert.equal(saysCoordinatorMoved(broker('ILLEGAL_GENERATION')), false);
  });
});
