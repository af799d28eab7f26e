/** Which blocks the summary audit looks at, and which it queues (summary/summary-audit.ts). Table-driven. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SUMMARY_BLOCK_MS as B } from '../../../src/contract/flow-summary.ts';
import { auditedBlocks, blocksToRollUp } from '../../../src/enricher/summary/summary-audit.ts';

const T0 = Date.UTC(2026, 11, 2, 6, 0, 0);

describe('summary audit', () => {
  it('looks at whole closed blocks of the window, the grace past their end', () => {
    // now = T0 + 12 min: blocks T0 and T0+5 end before now − 2 min; T0+10 does not.
    assert.deepEqual(auditedBlocks(T0 + 12 * 60_000, 15 * 60_000, 120_000), [T0, T0 + B]);
    // A window starting inside a block starts at the next block.
    assert.deepEqual(auditedBlocks(T0 + 12 * 60_000, 10 * 60_000, 120_000), [T0 + B]);
    assert.deepEqual(auditedBlocks(T0 + 12 * 60_000, 10 * 60_000, 200_000), []);
    assert.deepEqual(auditedBlocks(T0 + 12 * 60_000, 60_000, 0), []);
  });

  const fp = (flows: number, records: number, maxIngestedMs: number | null) => ({ flows, records, maxIngestedMs });
  const cases: [string, ReturnType<typeof fp> | undefined, ReturnType<typeof fp> | undefined, 'missing' | 'stale' | 'fine'][] = [
    ['current', fp(3, 4, 9), fp(3, 4, 9), 'fine'],
    ['no summary, no flows', undefined, undefined, 'fine'],
    ['no summary, flows', undefined, fp(1, 1, 2), 'missing'],
    ['a merge since (records rose)', fp(3, 4, 9), fp(3, 5, 11), 'stale'],
    ['a later ingestion only', fp(3, 4, 9), fp(3, 4, 12), 'stale'],
    ['an empty block summarised, still empty', fp(0, 0, null), undefined, 'fine'],
    ['a summary, the flows gone (deleted by hand)', fp(2, 2, 5), undefined, 'stale'],
  ];
  for (const [name, stored, live, expected] of cases) {
    it(name, () => {
      const r = blocksToRollUp([T0], new Map(stored ? [[T0, stored]] : []), new Map(live ? [[T0, live]] : []));
      assert.deepEqual(r, { missing: expected === 'missing' ? [T0] : [], stale: expected === 'stale' ? [T0] : [] });
    });
  }
});
