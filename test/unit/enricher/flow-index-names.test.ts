/** Daily index names (UTC), their exact parsing, retention selection and deterministic ids. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeKeyTail, flowDocumentId } from '../../../src/contract/flow-document-id.ts';
import { dailyFlowIndexName, flowIndexPattern, parseDailyFlowIndexName } from '../../../src/contract/flow-index-names.ts';
import { selectExpiredFlowIndices } from '../../../src/enricher/elasticsearch/flow-index-retention.ts';

describe('daily flow index names', () => {
  it('names the UTC day, across UTC midnight', () => {
    assert.equal(dailyFlowIndexName('2026-11-27T23:59:59.999Z'), 'segflow-flows-2026.11.27');
    assert.equal(dailyFlowIndexName('2026-11-28T00:00:00.000Z'), 'segflow-flows-2026.11.28');
    assert.equal(dailyFlowIndexName(Date.parse('2026-12-31T23:59:45Z'), 'p'), 'p-2026.12.31');
    assert.equal(dailyFlowIndexName(new Date('2027-01-01T00:00:00Z'), 'p'), 'p-2027.01.01');
  });

  it('ignores the local time zone of the input', () => {
    // 01:30 in UTC+02:00 is 23:30 UTC of the previous day.
    assert.equal(dailyFlowIndexName('2026-11-28T01:30:00+02:00'), 'segflow-flows-2026.11.27');
    assert.equal(dailyFlowIndexName('2026-11-27T20:00:00-05:00'), 'segflow-flows-2026.11.28');
  });

  it('rejects bad times and prefixes', () => {
    assert.throws(() => dailyFlowIndexName('not a time'), /cannot name/);
    assert.throws(() => dailyFlowIndexName(0, 'Upper'), /forbids/);
    assert.throws(() => dailyFlowIndexName(0, 'a*'), /forbids/);
    assert.throws(() => dailyFlowIndexName(0, '_x'), /must not start/);
    assert.equal(flowIndexPattern('acme'), 'acme-*');
  });

  it('parses exactly its own names', () => {
    assert.deepEqual(parseDailyFlowIndexName('segflow-flows-2026.02.28'), {
      name: 'segflow-flows-2026.02.28', dayStartMs: Date.parse('2026-02-28T00:00:00Z'), dayEndMs: Date.parse('2026-03-01T00:00:00Z'),
    });
    for (const name of [
      'segflow-flows-2026.02.30', // impossible date
      'segflow-flows-2026.2.28',
      'segflow-flows-2026.02.28-restored',
      'segflow-flows-downsampled-2026.02.28', // shares the prefix, is not ours
      'segflow-flows2026.02.28',
      'other-2026.02.28',
    ]) assert.equal(parseDailyFlowIndexName(name), undefined, name);
    assert.ok(parseDailyFlowIndexName('segflow-flows-2024.02.29'), 'leap day');
  });
});

describe('retention selection', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');
  const names = ['p-2026.01.01', 'p-2026.01.02', 'p-2026.01.03', 'p-2026.01.09', 'p-2026.01.10', 'p-2026.01.11', 'p-old-2020.01.01', 'p-2020.13.01', 'q-2020.01.01', 'p-2020.01.01-keep'];

  it('expires days that ended more than N days ago, keeps the rest, ignores foreign names', () => {
    assert.deepEqual(selectExpiredFlowIndices(names, { prefix: 'p', retentionDays: 7, nowMs: now }), ['p-2026.01.01', 'p-2026.01.02']);
    assert.deepEqual(selectExpiredFlowIndices(names, { prefix: 'p', retentionDays: 1, nowMs: now }), ['p-2026.01.01', 'p-2026.01.02', 'p-2026.01.03']);
    // Exactly at the boundary: 2026.01.03 ends 01-04T00:00, 7 days before 01-11T00:00.
    assert.deepEqual(selectExpiredFlowIndices(names, { prefix: 'p', retentionDays: 7, nowMs: Date.parse('2026-01-11T00:00:00Z') }), ['p-2026.01.01', 'p-2026.01.02', 'p-2026.01.03']);
    assert.deepEqual(selectExpiredFlowIndices(names, { prefix: 'p', retentionDays: 30, nowMs: now }), []);
  });
});

describe('deterministic document ids', () => {
  const key = ['src', 'shop', 'cart-*', 'payments', 'api-*', 8080, 'tcp', null, '0|default|np:shop/x|allow|0'];
  const start = Date.parse('2026-11-27T10:15:15Z');

  it('is the same for the same key and window, in any input form', () => {
    assert.equal(flowDocumentId(key, start), flowDocumentId([...key], new Date(start)));
    assert.match(flowDocumentId(key, start), /^[A-Za-z0-9_-]{27}$/);
    assert.equal(flowDocumentId('k', start), flowDocumentId('k', start));
  });

  it('keeps the ids of documents already stored (id scheme v1, golden values)', () => {
    // A changed id would make a replay after an upgrade add a second document for a window.
    assert.equal(flowDocumentId(['a', 1, null, 'x|y'], 1_795_773_600_000), 'sf8g9yqAfJDsSanGTGm5LvIrOhQ');
    assert.equal(flowDocumentId('k', 15_000), '8s4fLR7DIN4D7Rx_0CPtjyqayGc');
  });

  it('gives the same id when the end of the key is passed pre-encoded', () => {
    for (let cut = 0; cut <= key.length; cut++) {
      assert.equal(flowDocumentId(key.slice(0, cut), start, encodeKeyTail(key.slice(cut))), flowDocumentId(key, start), `split at ${cut}`);
    }
  });

  it('differs when the key, any part, or the window differs', () => {
    const ids = new Set([
      flowDocumentId(key, start),
      flowDocumentId(key, start + 15_000),
      flowDocumentId([...key.slice(0, -1), '0|default|np:shop/x|deny|0'], start),
      flowDocumentId(['a|b', 'c'], start),
      flowDocumentId(['a', 'b|c'], start),
      flowDocumentId(['1'], start),
      flowDocumentId([1], start),
      flowDocumentId([null], start),
    ]);
    assert.equal(ids.size, 8);
  });

  it('rejects an invalid window start', () => {
    assert.throws(() => flowDocumentId('k', Number.NaN), /invalid window start/);
  });
});
