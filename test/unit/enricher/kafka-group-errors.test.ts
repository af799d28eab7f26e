/** Which commit failures mean the coordinator is gone (rejoin) and which a routine rebalance. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCoordinatorGone, isCoordinatorUnreachable, isRebalanceRefusal } from '../../../src/enricher/kafka-group-errors.ts';

function wrapped(inner: object): Error {
  // kafkajs wraps the broker's answer in retry errors: the cause chain carries it.
  return Object.assign(new Error('KafkaJSNumberOfRetriesExceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: Object.assign(new Error('inner'), inner) });
}

describe('kafka group errors', () => {
  it('the coordinator is gone: broker not in the metadata, not (or no longer) the coordinator, also wrapped', () => {
    // kafkajs' own names of the broker's errors 16 and 15 (node_modules/kafkajs/src/protocol/error.js).
    assert.equal(isCoordinatorGone(wrapped({ type: 'NOT_COORDINATOR_FOR_GROUP' })), true);
    assert.equal(isCoordinatorGone(Object.assign(new Error('This is not the correct coordinator for this group'), { type: 'NOT_COORDINATOR_FOR_GROUP' })), true);
    assert.equal(isCoordinatorGone(wrapped({ type: 'GROUP_COORDINATOR_NOT_AVAILABLE' })), true);
    assert.equal(isCoordinatorGone(wrapped({ type: 'GROUP_LOAD_IN_PROGRESS' })), false);
    assert.equal(isCoordinatorGone(Object.assign(new Error('Broker 2 not found in the cached metadata'), { name: 'KafkaJSBrokerNotFound' })), true);
    assert.equal(isCoordinatorGone(wrapped({ type: 'NOT_COORDINATOR' })), true);
    assert.equal(isCoordinatorGone(wrapped({ type: 'COORDINATOR_NOT_AVAILABLE' })), true);
    assert.equal(isCoordinatorGone(wrapped({ type: 'ILLEGAL_GENERATION' })), false);
    assert.equal(isCoordinatorGone(new Error('connect ECONNREFUSED')), false);
    assert.equal(isCoordinatorGone(undefined), false);
  });

  it('a rebalance refusal: the generation moved on', () => {
    for (const type of ['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']) assert.equal(isRebalanceRefusal(wrapped({ type })), true, type);
    assert.equal(isRebalanceRefusal(wrapped({ type: 'NOT_COORDINATOR' })), false);
    assert.equal(isRebalanceRefusal('text'), false);
  });
});

describe('isCoordinatorUnreachable', () => {
  it('a refused, closed or timed-out connection, also wrapped in kafkajs retries', () => {
    for (const name of ['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError']) {
      assert.equal(isCoordinatorUnreachable(Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name })), true, name);
      assert.equal(isCoordinatorUnreachable(wrapped({ name })), true, `${name} wrapped`);
    }
    assert.equal(isCoordinatorUnreachable(wrapped({ type: 'ILLEGAL_GENERATION' })), false);
    assert.equal(isCoordinatorUnreachable(Object.assign(new Error('x'), { name: 'KafkaJSBrokerNotFound' })), false);
  });
});
