/**
 * The stored tuple set of a flow document (src/enricher/transform/flow-tuple-set.ts): it reads
 * back what was written, merges by union, and beyond its bound keeps a bottom-k sample that is
 * the same whatever the order of merges, with an estimate near the true count.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../../../src/collector/sources/synthetic/seeded-random.ts';
import {
  capTuples, countTuples, decodeTuples, encodeTuples, TUPLE_COMPLETED, TUPLE_STARTED, tupleKey, unionTuples, type TupleFlags,
} from '../../../src/enricher/transform/flow-tuple-set.ts';

const v4 = (n: number): string => String.fromCharCode(0x0af4, n & 0xffff);
const v6 = (n: number): string => String.fromCharCode(0xfd00, 0, 0, 0, 0, 0, n >>> 16, n & 0xffff);

function randomSet(random: SeededRandom, size: number, offset = 0): TupleFlags {
  const set: TupleFlags = new Map();
  for (let i = 0; i < size; i++) {
    const n = offset + i;
    const key = n % 5 === 0 ? tupleKey(v6(n), 1024 + (n % 60000), 443, v6(7)) : tupleKey(v4(n), 1024 + (n % 60000), 8080, v4(9));
    set.set(key, random.integer(0, 3));
  }
  return set;
}

describe('flow tuple sets', () => {
  it('reads back exactly what it stores, IPv4 and IPv6 mixed, in a canonical order', () => {
    const set = randomSet(new SeededRandom(1), 500);
    const encoded = encodeTuples(set);
    assert.deepEqual(decodeTuples(encoded), set);
    const reversed = new Map([...set].reverse());
    assert.equal(encodeTuples(reversed), encoded, 'the encoding does not depend on insertion order');
    assert.equal(Buffer.from(encoded, 'base64').length, 400 * 13 + 100 * 37, '13 bytes per IPv4 tuple, 37 per IPv6');
    assert.throws(() => decodeTuples(Buffer.from([0x00, 0x01]).toString('base64')), /truncated/);
  });

  it('unions flags per tuple and counts Calico\'s three numbers (started, completed ≤ count)', () => {
    const a: TupleFlags = new Map([[tupleKey(v4(1), 1, 2, v4(2)), TUPLE_STARTED], [tupleKey(v4(1), 3, 2, v4(2)), 0]]);
    const b: TupleFlags = new Map([[tupleKey(v4(1), 1, 2, v4(2)), TUPLE_COMPLETED], [tupleKey(v4(1), 5, 2, v4(2)), TUPLE_COMPLETED]]);
    unionTuples(a, b);
    assert.deepEqual(countTuples(capTuples(a, 10)), { count: 3, started: 1, completed: 2 });
  });

  it('keeps a bottom-k sample beyond the bound: the same in any merge order, and an estimate within 10% (k = 1000)', () => {
    const random = new SeededRandom(2);
    const all = randomSet(random, 20_000);
    const parts = [0, 1, 2, 3].map((p) => new Map([...all].filter((_, i) => i % 4 === p)));
    const merge = (order: number[]) => {
      let acc: { tuples: TupleFlags; exact: boolean; kthHash: number | null } | undefined;
      for (const p of order) {
        const union = new Map(acc?.tuples ?? []);
        unionTuples(union, parts[p]!);
        acc = capTuples(union, 1000, acc && !acc.exact ? acc.tuples.size : undefined);
      }
      return acc!;
    };
    const one = merge([0, 1, 2, 3]);
    const other = merge([3, 1, 0, 2]);
    assert.equal(one.exact, false);
    assert.equal(encodeTuples(one.tuples), encodeTuples(other.tuples));
    assert.deepEqual(countTuples(one), countTuples(other));
    const direct = capTuples(new Map(all), 1000);
    assert.equal(encodeTuples(direct.tuples), encodeTuples(one.tuples), 'merging samples = sampling the union');
    const { count, started, completed } = countTuples(one);
    assert.ok(Math.abs(count - 20_000) < 2000, `estimate ${count} of 20000`);
    assert.ok(started <= count && completed <= count);
    const exact = capTuples(randomSet(random, 1000), 1000);
    assert.equal(exact.exact, true);
    assert.equal(countTuples(exact).count, 1000);
  });
});
