/**
 * SharedPointInTime: first pages within the reuse interval share one PIT, concurrent requests
 * wait for one open, an old or discarded PIT is replaced, failures are not remembered.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedPointInTime } from '../../../src/api/shared-point-in-time.ts';

/** An opener that counts calls and can be held open or made to fail. */
function opener(): { open: () => Promise<string>; opened: () => number; failNext: () => void; hold: () => () => void } {
  let n = 0;
  let fail = false;
  let gate: Promise<void> | undefined;
  return {
    open: async () => {
      if (gate) await gate;
      if (fail) {
        fail = false;
        throw new Error('open failed');
      }
      n++;
      return `pit-${n}`;
    },
    opened: () => n,
    failNext: () => { fail = true; },
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => { release = r; });
      return () => { gate = undefined; release(); };
    },
  };
}

describe('SharedPointInTime', () => {
  it('reuses a PIT younger than the maximum age and opens a new one after it', async () => {
    const o = opener();
    let now = 1_000;
    const pits = new SharedPointInTime(o.open, 1_000, () => now);
    assert.deepEqual(await pits.acquire(), { id: 'pit-1', shared: true });
    now += 999;
    assert.deepEqual(await pits.acquire(), { id: 'pit-1', shared: true });
    now += 1;
    assert.deepEqual(await pits.acquire(), { id: 'pit-2', shared: true });
    assert.equal(o.opened(), 2);
  });

  it('opens once for concurrent first pages', async () => {
    const o = opener();
    const release = o.hold();
    const pits = new SharedPointInTime(o.open, 1_000, () => 0);
    const waiting = [pits.acquire(), pits.acquire(), pits.acquire()];
    release();
    const got = await Promise.all(waiting);
    assert.deepEqual(got.map((p) => p.id), ['pit-1', 'pit-1', 'pit-1']);
    assert.equal(o.opened(), 1);
  });

  it('does not remember a failed open', async () => {
    const o = opener();
    const pits = new SharedPointInTime(o.open, 1_000, () => 0);
    o.failNext();
    await assert.rejects(pits.acquire(), /open failed/);
    assert.deepEqual(await pits.acquire(), { id: 'pit-1', shared: true });
  });

  it('replaces a discarded PIT, and ignores the discard of an older one', async () => {
    const o = opener();
    const pits = new SharedPointInTime(o.open, 60_000, () => 0);
    assert.equal((await pits.acquire()).id, 'pit-1');
    pits.discard('pit-1');
    assert.equal((await pits.acquire()).id, 'pit-2');
    pits.discard('pit-1');
    assert.equal((await pits.acquire()).id, 'pit-2');
  });

  it('with maximum age 0 gives every request a PIT of its own, not shared', async () => {
    const o = opener();
    const pits = new SharedPointInTime(o.open, 0, () => 0);
    assert.deepEqual(await pits.acquire(), { id: 'pit-1', shared: false });
    assert.deepEqual(await pits.acquire(), { id: 'pit-2', shared: false });
  });
});
