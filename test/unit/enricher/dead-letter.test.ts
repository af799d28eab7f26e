/** The dead-letter record: original bytes as value, reason/stage/origin in headers, readable back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEAD_LETTER_HEADERS, buildDeadLetter, parseDeadLetterHeaders } from '../../../src/enricher/dead-letter.ts';

describe('dead-letter records', () => {
  it('keeps the original bytes and key, and says why and where from', () => {
    const payload = Buffer.from([0x0a, 0xff, 0x00, 0x13]);
    const message = buildDeadLetter({
      reason: 'undecodable', stage: 'decode', topic: 'flows.raw', partition: 3, offset: '1234567890123', key: Buffer.from('node-7'), payload,
      error: new RangeError('index out of range: 4 + 19 > 4'), contentType: 'application/x-protobuf', originalHeaders: { 'x-trace': Buffer.from('abc') },
      at: Date.parse('2026-11-27T10:00:00Z'),
    });
    assert.ok(Buffer.isBuffer(message.value) && message.value.equals(payload), 'value is the original bytes');
    assert.equal(message.key?.toString(), 'node-7');
    assert.equal(message.timestamp, String(Date.parse('2026-11-27T10:00:00Z')));
    assert.equal(message.headers?.[DEAD_LETTER_HEADERS.reason], 'undecodable');
    const info = parseDeadLetterHeaders(message.headers);
    assert.deepEqual(info, {
      version: '1', reason: 'undecodable', stage: 'decode', error: 'RangeError: index out of range: 4 + 19 > 4', topic: 'flows.raw', partition: 3,
      offset: '1234567890123', contentType: 'application/x-protobuf', record: undefined, problems: [], problemsTotal: undefined, originalHeaders: { 'x-trace': 'abc' },
    });
  });

  it('reads back headers delivered as Buffers (as kafkajs consumers see them)', () => {
    const message = buildDeadLetter({ reason: 'document_parsing_exception', stage: 'index', topic: 't', partition: 0, offset: 7n, payload: '{"a":1}', error: 'failed to parse field [x]' });
    const asBuffers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))]));
    const info = parseDeadLetterHeaders(asBuffers);
    assert.equal(info.reason, 'document_parsing_exception');
    assert.equal(info.stage, 'index');
    assert.equal(info.offset, '7');
    assert.equal(info.error, 'failed to parse field [x]');
    assert.equal(message.value?.toString(), '{"a":1}');
    assert.equal(message.timestamp, undefined, 'no clock read: Kafka stamps it');
  });

  it('truncates long errors and refuses records without a reason', () => {
    const message = buildDeadLetter({ reason: 'invalid', stage: 'validate', topic: 't', partition: 0, offset: 1, payload: null, error: 'x'.repeat(10_000) });
    assert.equal(String(message.headers?.[DEAD_LETTER_HEADERS.error]).length, 4096);
    assert.equal(message.value, null);
    assert.throws(() => buildDeadLetter({ reason: '', stage: 'decode', topic: 't', partition: 0, offset: 1, payload: null }), /reason/);
    assert.throws(() => buildDeadLetter({ reason: 'r', stage: 'decode', topic: 't', partition: -1, offset: 1, payload: null }), /partition/);
  });
});
