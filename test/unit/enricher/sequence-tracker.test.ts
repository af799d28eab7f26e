/**
 * The enricher's batch sequence checks: gaps and repeats from Kafka are counted, the enricher's
 * own retries (a fetch consumed again after a failure) are not, and a collector's new boot that
 * names its killed predecessor's last sequence turns the predecessor's lost tail into a gap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequenceTracker } from '../../../src/enricher/sequence-tracker.ts';

describe('SequenceTracker', () => {
  it('counts next, gap, duplicate and restart', () => {
    const t = new SequenceTracker();
    assert.deepEqual(t.observe('a', 'b1', 1), { kind: 'first' });
    assert.deepEqual(t.observe('a', 'b1', 2), { kind: 'next' });
    assert.deepEqual(t.observe('a', 'b1', 5), { kind: 'gap', missing: 2 });
    assert.deepEqual(t.observe('a', 'b1', 4), { kind: 'duplicate' });
    assert.deepEqual(t.observe('a', 'b2', 1), { kind: 'restart' });
  });

  it('a fetch consumed again after a failure is seen as new, not as duplicates', () => {
    const t = new SequenceTracker();
    t.observing(0, '9', () => [1, 2, 3].map((s) => t.observe('a', 'b', s)));
    t.committed(0, '9');
    // The next fetch (offsets 10..19) and the one pipelined behind it (20..29) fail to settle.
    assert.deepEqual(t.observing(0, '19', () => [4, 5].map((s) => t.observe('a', 'b', s).kind)), ['next', 'next']);
    assert.deepEqual(t.observing(0, '29', () => [6].map((s) => t.observe('a', 'b', s).kind)), ['next']);
    t.rewind(0);
    // Consumed again from offset 10: what it holds is what it was, once.
    assert.deepEqual(t.observing(0, '29', () => [4, 5, 6].map((s) => t.observe('a', 'b', s).kind)), ['next', 'next', 'next']);
    t.committed(0, '29');
    // A real repeat from Kafka after that is a duplicate.
    assert.deepEqual(t.observing(0, '30', () => t.observe('a', 'b', 6).kind), 'duplicate');
  });

  it('rewinds only uncommitted fetches, and only the partition named; an unknown agent is forgotten again', () => {
    const t = new SequenceTracker();
    t.observing(0, '1', () => t.observe('a', 'b', 1));
    t.observing(1, '1', () => t.observe('z', 'b', 1));
    t.committed(0, '1');
    t.observing(0, '2', () => t.observe('a', 'b', 2));
    t.rewind(0);
    t.rewind(1);
    assert.deepEqual(t.observe('a', 'b', 2), { kind: 'next' }, 'partition 0 back to its committed state');
    assert.deepEqual(t.observe('z', 'b', 1), { kind: 'first' }, 'partition 1 never committed: its agent is unknown again');
  });

  it('rewindAll undoes every partition (partitions moved)', () => {
    const t = new SequenceTracker();
    t.observing(0, '5', () => t.observe('a', 'b', 1));
    t.observing(2, '5', () => t.observe('c', 'b', 7));
    t.rewindAll();
    assert.equal(t.agents, 0);
  });

  it('counts the batches a killed boot built but never delivered, from its successor\'s note', () => {
    const t = new SequenceTracker();
    for (const s of [1, 2, 3]) t.observe('a', 'old', s);
    t.notePredecessor({ agentId: 'a', bootId: 'new', previousBootId: 'old', previousLastSequence: 5 });
    assert.deepEqual(t.observe('a', 'new', 1), { kind: 'gap', missing: 2 }, 'batches 4 and 5 of the old boot never arrived');
    assert.deepEqual(t.observe('a', 'new', 2), { kind: 'next' });
  });

  it('a predecessor note that names another boot, or a tail that did arrive, is no gap', () => {
    const t = new SequenceTracker();
    for (const s of [1, 2, 3]) t.observe('a', 'old', s);
    t.notePredecessor({ agentId: 'a', bootId: 'new', previousBootId: 'older', previousLastSequence: 9 });
    assert.deepEqual(t.observe('a', 'new', 1), { kind: 'restart' });
    const u = new SequenceTracker();
    for (const s of [1, 2, 3]) u.observe('a', 'old', s);
    u.notePredecessor({ agentId: 'a', bootId: 'new', previousBootId: 'old', previousLastSequence: 3 });
    assert.deepEqual(u.observe('a', 'new', 1), { kind: 'restart' }, 'the in-flight batch reached Kafka after all');
  });
});
