import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SlotSet } from '../../../src/collector/sources/conntrack/slot-set.ts';
import { SeededRandom } from '../../../src/collector/sources/synthetic/seeded-random.ts';

describe('SlotSet', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}: 50,000 random adds and deletes keep it equal to a Set, through growth`, () => {
      const random = new SeededRandom(seed);
      const set = new SlotSet();
      const oracle = new Set<number>();
      for (let step = 0; step < 50_000; step++) {
        // Slots up to 5,000 (past the initial 1,024), added more often than deleted at first.
        const slot = Math.floor(random.next() * 5000);
        if (random.next() < (step < 25_000 ? 0.7 : 0.3)) {
          set.add(slot);
          oracle.add(slot);
        } else {
          set.delete(slot);
          oracle.delete(slot);
        }
        assert.equal(set.has(slot), oracle.has(slot));
        if (step % 2500 === 0) {
          assert.equal(set.size, oracle.size);
          const members: number[] = [];
          set.forEach((s) => members.push(s));
          assert.deepEqual(members.sort((a, b) => a - b), [...oracle].sort((a, b) => a - b));
        }
      }
      assert.ok(oracle.size > 0 && oracle.size < 5000);
      assert.equal(set.has(1_000_000), false, 'a slot past every one it held is no member');
      set.delete(1_000_000);
      assert.equal(set.size, oracle.size);
    });
  }
});
