/** Consumer lag from Kafka's offsets: end − committed for the partitions this member holds. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partitionLags } from '../../../src/enricher/consumer-lag.ts';

describe('partitionLags', () => {
  it('is end − committed per assigned partition; never committed counts from the low watermark', () => {
    const ends = [{ partition: 0, high: '120', low: '0' }, { partition: 1, high: '50', low: '10' }, { partition: 2, high: '7', low: '0' }];
    const committed = [{ partition: 0, offset: '100' }, { partition: 1, offset: '-1' }, { partition: 2, offset: '7' }];
    assert.deepEqual(partitionLags(ends, committed, new Set([0, 1])), [{ partition: 0, lag: 20 }, { partition: 1, lag: 40 }]);
    assert.deepEqual(partitionLags(ends, committed, new Set([2])), [{ partition: 2, lag: 0 }]);
    assert.deepEqual(partitionLags(ends, committed, new Set()), []);
  });
});
