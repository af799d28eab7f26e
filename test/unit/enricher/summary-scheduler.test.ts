/**
 * When the enricher rolls blocks up (enricher/summary/summary-scheduler.ts): closed blocks once
 * the grace has passed and writes have settled, again after a later write, and after a failure.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SUMMARY_BLOCK_MS as B } from '../../../src/contract/flow-summary.ts';
import { SummaryScheduler } from '../../../src/enricher/summary/summary-scheduler.ts';

const T0 = Date.UTC(2026, 11, 2, 6, 0, 0);

function scheduler(fail: () => boolean = () => false) {
  let now = T0;
  const runs: number[][] = [];
  const s = new SummaryScheduler({
    graceMs: 60_000, settleMs: 10_000, tickMs: 3_600_000, now: () => now,
    rollUp: async (blocks) => {
      runs.push([...blocks]);
      if (fail()) throw new Error('Elasticsearch unavailable');
      return { blocks: blocks.length, flows: 0, entries: 0 };
    },
  });
  return { s, runs, at: (ms: number) => { now = ms; } };
}

describe('summary scheduler', () => {
  it('rolls a block up once it is closed, its grace passed and its writes settled', async () => {
    const { s, runs, at } = scheduler();
    s.touched([T0 + 1_000, T0 + 2 * B + 5]);
    const cases: [number, number[]][] = [
      [T0 + B, []], // the first block just ended
      [T0 + B + 59_999, []], // still in its grace
      [T0 + B + 60_000, [T0]],
      [T0 + 3 * B + 60_000, [T0 + 2 * B]],
    ];
    for (const [ms, expected] of cases) {
      at(ms);
      const before = runs.length;
      await s.tick();
      assert.deepEqual(runs.slice(before).flat(), expected, new Date(ms).toISOString());
    }
    assert.equal(s.pending(), 0);
    await s.stop();
  });

  it('rolls a summarised block up again after a late write, once writes settle', async () => {
    const { s, runs, at } = scheduler();
    at(T0 + 10 * B);
    s.touched([T0 + 7]);
    assert.deepEqual(s.due(), [], 'a late write waits for the settle time');
    at(T0 + 10 * B + 10_000);
    await s.tick();
    assert.deepEqual(runs, [[T0]]);
    await s.stop();
  });

  it('rolls audited blocks up at the next tick, not postponed by audits that find them again, nor ahead of a write\'s quiet time', async () => {
    const { s, runs, at } = scheduler();
    at(T0 + 10 * B);
    s.queue([T0, T0 + B]);
    s.touched([T0 + B + 7]); // a write into the second block since: it waits for its settle time
    at(T0 + 10 * B + 1_000);
    s.queue([T0, T0 + B]); // the next audit finds both still missing
    assert.deepEqual(s.due(), [T0]);
    await s.tick();
    assert.deepEqual(runs, [[T0]]);
    at(T0 + 10 * B + 10_000);
    await s.tick();
    assert.deepEqual(runs, [[T0], [T0 + B]]);
    await s.stop();
    s.queue([T0]);
    assert.equal(s.pending(), 0, 'a stopped scheduler takes nothing');
  });

  it('keeps failed blocks and retries them', async () => {
    let failing = true;
    const { s, runs, at } = scheduler(() => failing);
    s.touched([T0]);
    at(T0 + B + 60_000);
    await s.tick();
    assert.equal(s.pending(), 1, 'kept after a failure');
    failing = false;
    await s.tick();
    assert.equal(s.pending(), 0);
    assert.deepEqual(runs, [[T0], [T0]]);
    await s.stop();
  });
});
