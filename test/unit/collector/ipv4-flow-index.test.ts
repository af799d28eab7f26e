import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ipv4FlowIndex } from '../../../src/collector/sources/conntrack/ipv4-flow-index.ts';
import { SeededRandom } from '../../../src/collector/sources/synthetic/seeded-random.ts';

type Identity = [id: number, protocolKinds: number, src: number, dst: number, ports: number];
const keyOf = (i: Identity): string => i.join(',');

describe('Ipv4FlowIndex', () => {
  for (const seed of [1, 2, 3]) {
    it(`finds what a Map finds through random inserts and removals, across growth (seed ${seed})`, () => {
      const random = new SeededRandom(seed);
      const draw = (n: number): number => Math.floor(random.next() * n);
      const index = new Ipv4FlowIndex();
      const oracle = new Map<string, number>();
      const identityOfSlot = new Map<number, Identity>();
      const freeSlots: number[] = [];
      let nextSlot = 0;
      // Few distinct values, so identities collide in all but one field and hash runs get long.
      const identity = (): Identity => [draw(4) === 0 ? 0xffffffff - draw(3) : draw(2000), 6 | ((draw(2) ? 5 : 10) << 8), 0x0af40000 + draw(4), 0x0af40200 + draw(2), ((30000 + draw(50)) << 16) | 5432];
      for (let step = 0; step < 60_000; step++) {
        const phase = step < 30_000 ? 0.7 : 0.3; // grow, then shrink
        if (random.next() < phase) {
          const id = identity();
          const found = index.find(...id);
          assert.equal(found, oracle.get(keyOf(id)) ?? -1, `find before insert at step ${step}`);
          if (found >= 0) continue;
          const slot = freeSlots.length > 0 ? freeSlots.pop()! : nextSlot++;
          index.insert(slot, ...id);
          oracle.set(keyOf(id), slot);
          identityOfSlot.set(slot, id);
        } else if (identityOfSlot.size > 0) {
          const slots = [...identityOfSlot.keys()];
          const slot = slots[draw(slots.length)]!;
          const id = identityOfSlot.get(slot)!;
          assert.equal(index.find(...id), slot);
          index.remove(slot);
          oracle.delete(keyOf(id));
          identityOfSlot.delete(slot);
          freeSlots.push(slot);
          assert.equal(index.find(...id), -1, `removed at step ${step}`);
        }
        if (step % 5000 === 0) {
          for (const [slot, id] of identityOfSlot) assert.equal(index.find(...id), slot, `every indexed identity is found at step ${step}`);
        }
      }
      assert.equal(index.size, oracle.size);
      const visited: number[] = [];
      index.forEachSlot((slot) => visited.push(slot));
      assert.deepEqual(visited.sort((a, b) => a - b), [...identityOfSlot.keys()].sort((a, b) => a - b));
      for (const [slot, id] of identityOfSlot) assert.deepEqual(Object.values(index.identityOf(slot)), id);
    });
  }

  it('lets the visitor remove every slot it is given', () => {
    const index = new Ipv4FlowIndex();
    for (let slot = 0; slot < 10_000; slot++) index.insert(slot, slot, 6, 0x0a000001, 0x0a000002, slot);
    let visits = 0;
    index.forEachSlot((slot) => {
      visits++;
      if (slot % 2 === 0) index.remove(slot);
    });
    assert.equal(visits, 10_000);
    assert.equal(index.size, 5000);
    for (let slot = 0; slot < 10_000; slot++) assert.equal(index.find(slot, 6, 0x0a000001, 0x0a000002, slot), slot % 2 === 0 ? -1 : slot);
  });
});
