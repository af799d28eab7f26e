/**
 * The stats view's edges as 30-second steps (query/stats-summary-steps.ts): edges at block
 * boundaries, edges inside one block, a range shorter than a step, an edge in the open block,
 * an edge crossing a block boundary; and the multi-search batching of the step reads
 * (query/stats-summary-step-reader.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { estypes } from '@elastic/elasticsearch';
import { SUMMARY_BLOCK_MS, SUMMARY_TIMELINE_MS } from '../../../src/contract/flow-summary.ts';
import { blocksInside, rawRanges } from '../../../src/api/query/stats-summary.ts';
import { batchedSearch } from '../../../src/api/query/stats-summary-step-reader.ts';
import { blockClosed, CLOSED_BLOCK_GRACE_MS, planEdges, stepRange } from '../../../src/api/query/stats-summary-steps.ts';

const B = SUMMARY_BLOCK_MS;
const S = SUMMARY_TIMELINE_MS;
const T0 = Date.UTC(2026, 11, 2, 6, 0, 0);
/** Long after every block of the tests closed. */
const LATER = T0 + 24 * 3_600_000;
const r = (fromMs: number, toMs: number) => ({ fromMs, toMs });
/** The plan of a whole range, as the reader makes it. */
const planOf = (fromMs: number, toMs: number, nowMs = LATER) => {
  const range = r(fromMs, toMs);
  return planEdges(rawRanges(range, blocksInside(range)), nowMs);
};

describe('edge steps: the split', () => {
  it('a range on block boundaries has no edges', () => {
    assert.deepEqual(planOf(T0, T0 + 12 * B), { raw: [], steps: [], blocks: [] });
  });

  it('a range on step boundaries: whole steps only, nothing raw', () => {
    const p = planOf(T0 + B - 2 * S, T0 + 3 * B + 3 * S);
    assert.deepEqual(p.raw, []);
    assert.deepEqual(p.steps, [
      { block: T0, start: T0 + B - 2 * S }, { block: T0, start: T0 + B - S },
      { block: T0 + 3 * B, start: T0 + 3 * B }, { block: T0 + 3 * B, start: T0 + 3 * B + S }, { block: T0 + 3 * B, start: T0 + 3 * B + 2 * S },
    ]);
    assert.deepEqual(p.blocks, [T0, T0 + 3 * B]);
  });

  it('unaligned edges: one partial step at each range boundary, whole steps between', () => {
    const from = T0 + 7_003;
    const to = T0 + 12 * B + 4 * S + 11_000;
    const p = planOf(from, to);
    assert.deepEqual(p.raw, [r(from, T0 + S), r(T0 + 12 * B + 4 * S, to)]);
    assert.equal(p.steps.length, 9 + 4);
    assert.deepEqual(p.steps.slice(0, 2), [{ block: T0, start: T0 + S }, { block: T0, start: T0 + 2 * S }]);
    assert.deepEqual(p.steps.at(-1), { block: T0 + 12 * B, start: T0 + 12 * B + 3 * S });
    assert.deepEqual(p.blocks, [T0, T0 + 12 * B]);
    // Every millisecond of the edges exactly once: the raw parts and the steps tile them.
    const pieces = [...p.raw, ...p.steps.map(stepRange)].sort((a, b) => a.fromMs - b.fromMs);
    const edges = rawRanges(r(from, to), blocksInside(r(from, to)));
    const covered = pieces.reduce((n, x) => n + (x.toMs - x.fromMs), 0);
    assert.equal(covered, edges.reduce((n, x) => n + (x.toMs - x.fromMs), 0));
    for (let i = 1; i < pieces.length; i++) assert.ok(pieces[i - 1]!.toMs <= pieces[i]!.fromMs, 'no overlap');
  });

  it('an edge inside one block, not touching its boundaries (a raw part crossing a block boundary is cut there)', () => {
    const p = planEdges([r(T0 + 10_000, T0 + 2 * S + 5_000)], LATER);
    assert.deepEqual(p.raw, [r(T0 + 10_000, T0 + S), r(T0 + 2 * S, T0 + 2 * S + 5_000)]);
    assert.deepEqual(p.steps, [{ block: T0, start: T0 + S }]);
    const across = planEdges([r(T0 + B - 10_000, T0 + B + S + 10_000)], LATER);
    assert.deepEqual(across.raw, [r(T0 + B - 10_000, T0 + B), r(T0 + B + S, T0 + B + S + 10_000)]);
    assert.deepEqual(across.steps, [{ block: T0 + B, start: T0 + B }]);
    assert.deepEqual(across.blocks, [T0 + B]);
  });

  it('an edge shorter than a step, or within one step across a step boundary, stays raw', () => {
    assert.deepEqual(planEdges([r(T0 + 10_000, T0 + 20_000)], LATER), { raw: [r(T0 + 10_000, T0 + 20_000)], steps: [], blocks: [] });
    assert.deepEqual(planEdges([r(T0 + 20_000, T0 + 40_000)], LATER), { raw: [r(T0 + 20_000, T0 + 40_000)], steps: [], blocks: [] });
    // A whole range shorter than a step has no whole block: the reader is not even asked.
    assert.deepEqual(blocksInside(r(T0 + 1, T0 + S)), []);
  });

  it('an edge in the open block stays whole and raw; the closed one is split', () => {
    const from = T0 + 7_003;
    const to = T0 + 12 * B + 4 * S + 11_000;
    // "now" just after the range: the trailing block is still written (to=now).
    const p = planOf(from, to, to + 1);
    assert.deepEqual(p.raw, [r(from, T0 + S), r(T0 + 12 * B, to)]);
    assert.equal(p.steps.length, 9);
    assert.deepEqual(p.blocks, [T0]);
  });

  it('a block is closed from its end plus the grace on', () => {
    assert.equal(blockClosed(T0, T0 + B + CLOSED_BLOCK_GRACE_MS - 1), false);
    assert.equal(blockClosed(T0, T0 + B + CLOSED_BLOCK_GRACE_MS), true);
    assert.deepEqual(planEdges([r(T0, T0 + S)], T0 + B + CLOSED_BLOCK_GRACE_MS - 1).steps, []);
    assert.deepEqual(planEdges([r(T0, T0 + S)], T0 + B + CLOSED_BLOCK_GRACE_MS).steps, [{ block: T0, start: T0 }]);
  });
});

describe('edge steps: one multi-search per turn', () => {
  const answer = (n: number) => ({ took: n } as unknown as estypes.SearchResponse);

  it('searches asked in the same turn go out together, in order; later ones in a batch of their own', async () => {
    const batches: number[][] = [];
    const search = batchedSearch(async (requests) => {
      batches.push(requests.map((q) => q.size as number));
      return requests.map((q) => answer(q.size as number));
    });
    const first = await Promise.all([search({ size: 1 }), search({ size: 2 }), search({ size: 3 })]);
    assert.deepEqual(first.map((a) => a.took), [1, 2, 3]);
    assert.equal((await search({ size: 4 })).took, 4);
    assert.deepEqual(batches, [[1, 2, 3], [4]]);
  });

  it('a failed multi-search fails every search of its batch; a missing answer fails its search', async () => {
    const failing = batchedSearch(async () => { throw new Error('es down'); });
    const results = await Promise.allSettled([failing({ size: 1 }), failing({ size: 2 })]);
    assert.deepEqual(results.map((x) => x.status), ['rejected', 'rejected']);
    const short = batchedSearch(async () => [answer(1)]);
    const [a, b] = await Promise.allSettled([short({ size: 1 }), short({ size: 2 })]);
    assert.equal(a?.status, 'fulfilled');
    assert.equal(b?.status, 'rejected');
  });
});
