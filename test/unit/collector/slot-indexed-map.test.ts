import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SlotIndexedMap } from '../../../src/collector/sources/slot-indexed-map.ts';

/** A small deterministic generator (xorshift32), so a failure replays the same operations. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('SlotIndexedMap', () => {
  for (const seed of [1, 7, 42, 2024]) {
    it(`answers like a Map through 20,000 random sets, adds, takes, deletes and lookups (seed ${seed})`, () => {
      const next = random(seed);
      const map = new SlotIndexedMap<{ n: number }>();
      const oracle = new Map<string, { n: number }>();
      for (let i = 0; i < 20_000; i++) {
        const key = `k${Math.floor(next() * 500)}`;
        const op = next();
        if (op < 0.3) {
          const value = { n: i };
          assert.equal(map.set(key, value), map);
          oracle.set(key, value);
        } else if (op < 0.45) {
          // add: only when absent, the present value untouched.
          const value = { n: i };
          const absent = !oracle.has(key);
          assert.equal(map.add(key, value), absent, `add ${key} at step ${i}`);
          if (absent) oracle.set(key, value);
        } else if (op < 0.65) {
          assert.equal(map.delete(key), oracle.delete(key), `delete ${key} at step ${i}`);
        } else if (op < 0.8) {
          const had = oracle.get(key);
          oracle.delete(key);
          assert.equal(map.take(key), had, `take ${key} at step ${i}`);
        } else {
          assert.equal(map.has(key), oracle.has(key), `has ${key} at step ${i}`);
          assert.equal(map.get(key), oracle.get(key), `get ${key} at step ${i}`);
        }
        assert.equal(map.size, oracle.size);
      }
      // Same entries, same (insertion) order, the very same value objects.
      assert.deepEqual([...map].map(([k, v]) => [k, v.n]), [...oracle].map(([k, v]) => [k, v.n]));
      for (const [k, v] of map) assert.equal(v, oracle.get(k));
    });
  }

  it('keeps insertion order; setting an existing key keeps its place, delete and set again moves it last', () => {
    const map = new SlotIndexedMap<number>();
    map.set('a', 1).set('b', 2).set('c', 3);
    map.set('a', 10);
    assert.deepEqual([...map], [['a', 10], ['b', 2], ['c', 3]]);
    map.delete('a');
    map.set('a', 11);
    assert.deepEqual([...map], [['b', 2], ['c', 3], ['a', 11]]);
  });

  it('lets the current entry be deleted while iterating, and visits every other entry once', () => {
    const map = new SlotIndexedMap<number>();
    for (let i = 0; i < 10; i++) map.set(`k${i}`, i);
    const visited: number[] = [];
    for (const [key, value] of map) {
      visited.push(value);
      if (value % 2 === 0) map.delete(key);
    }
    assert.deepEqual(visited, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...map].map(([, v]) => v), [1, 3, 5, 7, 9]);
  });

  it('reuses freed slots: under churn it holds as many slots as entries ever live at once', () => {
    const map = new SlotIndexedMap<number>();
    for (let i = 0; i < 100_000; i++) {
      map.set(`k${i}`, i);
      if (i >= 300) map.delete(`k${i - 300}`);
    }
    assert.equal(map.size, 300);
    assert.equal(map.slotCount, 301);
    assert.equal(map.get('k99999'), 99_999);
    assert.equal(map.get('k99699'), undefined);
  });

  it('forgets everything on clear, values included', () => {
    const map = new SlotIndexedMap<number>();
    map.set('a', 1).set('b', 2);
    map.clear();
    assert.equal(map.size, 0);
    assert.equal(map.slotCount, 0);
    assert.equal(map.get('a'), undefined);
    assert.deepEqual([...map], []);
    map.set('c', 3);
    assert.deepEqual([...map], [['c', 3]]);
  });
});
