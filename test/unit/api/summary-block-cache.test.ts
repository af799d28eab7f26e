/**
 * The stats view's cache of summary entries (query/summary-block-cache.ts): keys hold the block
 * start and every fingerprint figure (a block written since is not found), runs are keyed by
 * their blocks in order, the LRU keeps within its byte budget evicting the least recently used,
 * a budget of 0 keeps nothing, and every lookup is reported as a hit or a miss.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyFacetEntries, type FacetEntries } from '../../../src/contract/flow-summary-facets.ts';
import { blockCacheKey, estimateEntryBytes, runCacheKey, stepCacheKey, stepsCacheKey, SummaryBlockCache, type CachedBlockKey, type SummaryCacheKind } from '../../../src/api/query/summary-block-cache.ts';

const T0 = Date.UTC(2026, 11, 2, 6, 0, 0);
const block = (start: number, flows = 10, records = 12, maxIngestedMs: number | null = 99): CachedBlockKey => ({ start, fingerprint: { flows, records, maxIngestedMs } });
/** Entries of a recognisable size: `n` talkers named by `tag`. */
const entriesOf = (tag: string, n = 10): FacetEntries => ({
  ...emptyFacetEntries(), talkers: Array.from({ length: n }, (_, i) => ({ namespace: `ns-${tag}`, name: `app-${i}`, flows: 1, bytes: 1, packets: 1 })),
});

describe('summary cache: keys', () => {
  it('a block key changes with the start and with each fingerprint figure', () => {
    const keys = [block(T0), block(T0 + 300_000), block(T0, 11), block(T0, 10, 13), block(T0, 10, 12, 100), block(T0, 10, 12, null)].map(blockCacheKey);
    assert.equal(new Set(keys).size, keys.length, keys.join(' '));
    assert.equal(blockCacheKey(block(T0)), blockCacheKey({ start: T0, fingerprint: { flows: 10, records: 12, maxIngestedMs: 99 } }));
  });

  it('a run key names its blocks in order', () => {
    const a = block(T0);
    const b = block(T0 + 300_000);
    assert.notEqual(runCacheKey([a, b]), runCacheKey([a]));
    assert.notEqual(runCacheKey([a, b]), runCacheKey([b, a]));
    assert.notEqual(runCacheKey([a, b]), runCacheKey([a, block(T0 + 300_000, 11)]));
    assert.notEqual(runCacheKey([a]), blockCacheKey(a), 'a one-block run and the block do not share an item');
  });
  it('a step key holds its block\'s key and its start; a steps key its steps in order', () => {
    const keys = [stepCacheKey(block(T0), T0), stepCacheKey(block(T0), T0 + 30_000), stepCacheKey(block(T0, 11), T0), stepCacheKey(block(T0, 10, 12, 100), T0)];
    assert.equal(new Set(keys).size, keys.length, keys.join(' '));
    assert.ok(!keys.includes(blockCacheKey(block(T0))), 'a step and its block do not share an item');
    const a = { block: block(T0), start: T0 };
    const b = { block: block(T0), start: T0 + 30_000 };
    assert.notEqual(stepsCacheKey([a, b]), stepsCacheKey([b, a]));
    assert.notEqual(stepsCacheKey([a]), stepCacheKey(a.block, a.start));
    assert.notEqual(runCacheKey([a.block], [a]), runCacheKey([a.block]), 'a run with edge steps merged in is another item');
    assert.notEqual(runCacheKey([a.block], [a]), runCacheKey([a.block], [{ block: block(T0, 11), start: T0 }]), 'its steps\' block written since');
    assert.equal(runCacheKey([a.block], []), runCacheKey([a.block]));
  });
});

describe('summary cache: lookups', () => {
  it('finds a block only under the fingerprint it was cached with', () => {
    const seen: [SummaryCacheKind, boolean][] = [];
    const cache = new SummaryBlockCache(1_048_576, (kind, hit) => seen.push([kind, hit]));
    const e = entriesOf('a');
    cache.setBlock(block(T0), e);
    assert.equal(cache.getBlock(block(T0)), e);
    assert.equal(cache.getBlock(block(T0, 11, 13, 120)), undefined, 'written since: another fingerprint');
    assert.equal(cache.getBlock(block(T0 + 300_000)), undefined);
    cache.setRun([block(T0)], e);
    assert.equal(cache.getRun([block(T0)]), e);
    assert.equal(cache.getRun([block(T0), block(T0 + 300_000)]), undefined);
    assert.deepEqual(seen, [['block', true], ['block', false], ['block', false], ['run', true], ['run', false]]);
  });

  it('finds a step only under its block\'s fingerprint at the time it was cached (a late write into the block misses)', () => {
    const seen: [SummaryCacheKind, boolean][] = [];
    const cache = new SummaryBlockCache(1_048_576, (kind, hit) => seen.push([kind, hit]));
    const e = entriesOf('s');
    cache.setStep(block(T0), T0 + 30_000, e);
    assert.equal(cache.getStep(block(T0), T0 + 30_000), e);
    assert.equal(cache.getStep(block(T0, 11, 13, 120), T0 + 30_000), undefined, 'the block was written since');
    assert.equal(cache.getStep(block(T0), T0 + 60_000), undefined, 'another step');
    const steps = [{ block: block(T0), start: T0 + 30_000 }];
    cache.setSteps(steps, e);
    assert.equal(cache.getSteps(steps), e);
    assert.equal(cache.getSteps([{ block: block(T0, 11, 13, 120), start: T0 + 30_000 }]), undefined);
    assert.deepEqual(seen, [['step', true], ['step', false], ['step', false], ['steps', true], ['steps', false]]);
  });

  it('a budget of 0 keeps nothing and every lookup misses', () => {
    const seen: boolean[] = [];
    const cache = new SummaryBlockCache(0, (_kind, hit) => seen.push(hit));
    assert.equal(cache.enabled, false);
    cache.setBlock(block(T0), entriesOf('a'));
    assert.equal(cache.getBlock(block(T0)), undefined);
    assert.deepEqual(cache.size(), { items: 0, bytes: 0 });
    assert.deepEqual(seen, [false]);
  });

  it('refuses a budget that is not a whole number of bytes ≥ 0', () => {
    for (const bad of [-1, 1.5, Number.NaN]) assert.throws(() => new SummaryBlockCache(bad), /maxBytes must be an integer ≥ 0/);
  });
});

describe('summary cache: memory', () => {
  it('estimates more bytes for more entries and longer strings', () => {
    assert.equal(estimateEntryBytes(emptyFacetEntries()), 0);
    assert.ok(estimateEntryBytes(entriesOf('a', 20)) > estimateEntryBytes(entriesOf('a', 10)));
    assert.ok(estimateEntryBytes(entriesOf('a-much-longer-namespace')) > estimateEntryBytes(entriesOf('a')));
  });

  it('evicts the least recently used items to stay within the budget', () => {
    const one = estimateEntryBytes(entriesOf('a'));
    const cache = new SummaryBlockCache(one * 3);
    const [a, b, c, d] = [0, 1, 2, 3].map((i) => block(T0 + i * 300_000));
    cache.setBlock(a!, entriesOf('a'));
    cache.setBlock(b!, entriesOf('a'));
    cache.setBlock(c!, entriesOf('a'));
    assert.deepEqual(cache.size(), { items: 3, bytes: one * 3 });
    assert.ok(cache.getBlock(a!), 'a used: b is now the least recent');
    cache.setBlock(d!, entriesOf('a'));
    assert.deepEqual(cache.size(), { items: 3, bytes: one * 3 });
    assert.equal(cache.getBlock(b!), undefined, 'b evicted');
    for (const k of [a!, c!, d!]) assert.ok(cache.getBlock(k), `${k.start} kept`);
  });

  it('replacing an item counts its bytes once; an item larger than the budget is not kept', () => {
    const one = estimateEntryBytes(entriesOf('a'));
    const cache = new SummaryBlockCache(one * 2);
    cache.setBlock(block(T0), entriesOf('a'));
    cache.setBlock(block(T0), entriesOf('a'));
    assert.deepEqual(cache.size(), { items: 1, bytes: one });
    cache.setBlock(block(T0 + 300_000), entriesOf('a', 30));
    assert.deepEqual(cache.size(), { items: 1, bytes: one }, 'too large: nothing evicted for it');
    assert.ok(cache.getBlock(block(T0)));
  });

  it('a run counts twice its entries (its prepared views live beside them)', () => {
    const one = estimateEntryBytes(entriesOf('a'));
    const cache = new SummaryBlockCache(one * 4);
    cache.setRun([block(T0)], entriesOf('a'));
    assert.deepEqual(cache.size(), { items: 1, bytes: one * 2 });
  });
});
