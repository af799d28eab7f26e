import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HOT, REPORTED_ORIGINAL_BYTES, TCP_STATE_OF_CODE, TrackedFlowColumns } from '../../../src/collector/sources/conntrack/tracked-flow-columns.ts';
import type { FlowTupleData } from '../../../src/contract/wire/flow-batch-codec.ts';

const v4 = (a: number, b: number, sport: number, dport: number): FlowTupleData => ({ srcIp: Uint8Array.of(10, 0, a >> 8, a & 255), dstIp: Uint8Array.of(192, 168, b >> 8, b & 255), srcPort: sport, dstPort: dport });
const v6 = (last: number): FlowTupleData => ({ srcIp: Uint8Array.of(0xfd, ...new Array<number>(14).fill(0), last), dstIp: Uint8Array.of(0xfd, ...new Array<number>(14).fill(1), 1), srcPort: 443, dstPort: 50000 });

describe('TrackedFlowColumns', () => {
  it('keeps each slot\'s tuples and fields through growth, and reuses freed slots', () => {
    const c = new TrackedFlowColumns();
    const slots: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const slot = c.alloc();
      slots.push(slot);
      if (i % 10 === 3) c.setTuples(slot, v6(i & 255), v6((i + 1) & 255));
      else c.setTuples(slot, v4(i, i + 1, 40000 + (i % 1000), 5432), v4(i + 1, i, 5432, 40000 + (i % 1000)));
      c.startUs[slot] = 1_795_764_760_000_000 + i;
      c.hot[slot * HOT + REPORTED_ORIGINAL_BYTES] = 2 ** 40 + i;
      c.id[slot] = i % 7 === 0 ? -1 : 4_000_000_000 + i;
    }
    assert.equal(new Set(slots).size, 5000);
    assert.equal(c.size, 5000);
    for (let i = 0; i < 5000; i++) {
      const slot = slots[i]!;
      const want = i % 10 === 3 ? [v6(i & 255), v6((i + 1) & 255)] : [v4(i, i + 1, 40000 + (i % 1000), 5432), v4(i + 1, i, 5432, 40000 + (i % 1000))];
      assert.deepEqual([c.tupleOf(slot, true), c.tupleOf(slot, false)], want, `slot ${slot}`);
      assert.equal(c.startUs[slot], 1_795_764_760_000_000 + i);
      assert.equal(c.hot[slot * HOT + REPORTED_ORIGINAL_BYTES], 2 ** 40 + i);
      assert.equal(c.id[slot], i % 7 === 0 ? -1 : 4_000_000_000 + i);
    }
    for (const slot of slots.slice(0, 100)) c.free(slot);
    assert.equal(c.size, 4900);
    const again = new Set(Array.from({ length: 100 }, () => c.alloc()));
    assert.deepEqual([...again].sort((a, b) => a - b), slots.slice(0, 100).sort((a, b) => a - b), 'freed slots come back before new ones');
    assert.equal(c.slotCount, 5000);
    // A reused slot that had IPv6 tuples takes IPv4 ones without keeping the old.
    const reused = slots[3]!;
    c.setTuples(reused, v4(1, 2, 3, 4), v4(2, 1, 4, 3));
    assert.deepEqual(c.tupleOf(reused, true), v4(1, 2, 3, 4));
  });

  it('maps TCP states and event types to codes and back', () => {
    for (const [code, state] of TCP_STATE_OF_CODE.entries()) assert.equal(TrackedFlowColumns.codeOfTcpState(state), code);
    const c = new TrackedFlowColumns();
    const slot = c.alloc();
    for (const type of [null, 'new', 'update', 'destroy'] as const) {
      c.lastEventType[slot] = TrackedFlowColumns.codeOfEventType(type);
      assert.equal(c.eventTypeOf(slot), type);
    }
  });
});
