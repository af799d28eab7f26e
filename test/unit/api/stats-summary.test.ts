/**
 * The pure parts of the stats view from summaries (query/stats-summary.ts): which requests may
 * use them, the split of a range into current blocks and raw ranges, the fingerprint
 * comparison, and the shaping of merged entries into the raw route's exact answer (orders,
 * ties, truncation). Table-driven.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyFacetEntries, type FacetEntries } from '../../../src/contract/flow-summary-facets.ts';
import { SUMMARY_BLOCK_MS as B } from '../../../src/contract/flow-summary.ts';
import { UNRESTRICTED } from '../../../src/api/query/access-scope.ts';
import { buildStoredFingerprintsRequest, currentBlocks, storedFingerprintsOf } from '../../../src/contract/flow-summary-fingerprints.ts';
import {
  blockRanges, blocksInside, buildSummaryDocumentsRequest, concatEntries, joinRanges, mergedDeniedPairs, mergedMatrix, mergedRuleHits,
  mergedTimeline, mergedTopTalkers, mergedTotals, mergeSameKeys, rawRanges, rawRangesQuery, summariesCanAnswer, summaryDocumentEntries,
} from '../../../src/api/query/stats-summary.ts';
import { compareKeys } from '../../../src/api/query/flow-stats.ts';
import { preparedDeniedPairs, preparedMatrix, preparedRuleHits } from '../../../src/api/query/stats-summary-prepared.ts';

const T0 = Date.UTC(2026, 11, 2, 6, 0, 0);
const entries = (part: Partial<FacetEntries>): FacetEntries => ({ ...emptyFacetEntries(), ...part });

describe('stats from summaries: which requests', () => {
  const base = { filters: [], scope: UNRESTRICTED, keyed: true, views: ['timeline', 'top_talkers'] as const, intervalMs: 30_000 };
  const cases: [string, Partial<Parameters<typeof summariesCanAnswer>[0]>, boolean][] = [
    ['no filters, unrestricted, 30 s timeline', {}, true],
    ['a 5 min timeline', { intervalMs: 300_000 }, true],
    ['a 10 s timeline (finer than the blocks keep)', { intervalMs: 10_000 }, false],
    ['a 45 s timeline (not a multiple of 30 s)', { intervalMs: 45_000 }, false],
    ['a 10 s interval without the timeline view', { intervalMs: 10_000, views: ['top_talkers'] }, true],
    ['a filter', { filters: [{ term: { x: 1 } }] }, false],
    ['a namespaced caller', { scope: { namespaces: ['shop'] } }, false],
    ['an index without the stored count-once key', { keyed: false }, false],
  ];
  for (const [name, change, expected] of cases) it(name, () => assert.equal(summariesCanAnswer({ ...base, ...change }), expected));
});

describe('stats from summaries: blocks and raw ranges', () => {
  const cases: [string, { fromMs: number; toMs: number }, number[]][] = [
    ['aligned hour: twelve blocks', { fromMs: T0, toMs: T0 + 12 * B }, Array.from({ length: 12 }, (_, i) => T0 + i * B)],
    ['unaligned edges: only whole blocks', { fromMs: T0 + 7, toMs: T0 + 3 * B - 1 }, [T0 + B]],
    ['shorter than a block', { fromMs: T0 + 1_000, toMs: T0 + B }, []],
    ['exactly one block', { fromMs: T0, toMs: T0 + B }, [T0]],
  ];
  for (const [name, range, expected] of cases) it(`blocksInside: ${name}`, () => assert.deepEqual(blocksInside(range), expected));

  const splits: [string, { fromMs: number; toMs: number }, number[], [number, number][]][] = [
    ['all current', { fromMs: T0, toMs: T0 + 2 * B }, [T0, T0 + B], []],
    ['edges', { fromMs: T0 - 5, toMs: T0 + 2 * B + 9 }, [T0, T0 + B], [[T0 - 5, T0], [T0 + 2 * B, T0 + 2 * B + 9]]],
    ['a stale block in the middle', { fromMs: T0, toMs: T0 + 3 * B }, [T0, T0 + 2 * B], [[T0 + B, T0 + 2 * B]]],
    ['recent blocks not summarised', { fromMs: T0, toMs: T0 + 4 * B + 3 }, [T0], [[T0 + B, T0 + 4 * B + 3]]],
    ['nothing current', { fromMs: T0, toMs: T0 + B }, [], [[T0, T0 + B]]],
  ];
  for (const [name, range, current, expected] of splits) {
    it(`rawRanges: ${name}`, () => assert.deepEqual(rawRanges(range, current).map((r) => [r.fromMs, r.toMs]), expected));
  }

});

describe('stats from summaries: fingerprints', () => {
  const fp = (flows: number, records: number, maxIngestedMs: number | null) => ({ flows, records, maxIngestedMs });
  const cases: [string, ReturnType<typeof fp> | undefined, ReturnType<typeof fp> | undefined, boolean][] = [
    ['equal', fp(10, 14, 5), fp(10, 14, 5), true],
    ['a new document', fp(10, 14, 5), fp(11, 15, 9), false],
    ['a merge into a document (records rise)', fp(10, 14, 5), fp(10, 15, 9), false],
    ['a document left and another came with equal records (ingestion rises)', fp(10, 14, 5), fp(10, 14, 9), false],
    ['no summary', undefined, fp(1, 1, null), false],
    ['an empty block summarised, still empty', fp(0, 0, null), undefined, true],
    ['an empty block summarised, flows came since', fp(0, 0, null), fp(1, 1, 7), false],
  ];
  for (const [name, stored, live, current] of cases) {
    it(name, () => {
      const s = new Map(stored ? [[T0, stored]] : []);
      const l = new Map(live ? [[T0, live]] : []);
      assert.deepEqual(currentBlocks([T0], s, l), current ? [T0] : []);
    });
  }
});

describe('stats from summaries: merged shaping', () => {
  it('compareKeys: missing first, then code point order (as Elasticsearch sorts keywords)', () => {
    const cases: [string | null | undefined, string | null | undefined, number][] = [
      [null, 'a', -1], ['a', undefined, 1], [null, null, 0], ['a', 'b', -1], ['ab', 'a', 1], ['Z', 'a', -1],
      ['\u{1F600}', '\uFFFD', 1], // UTF-16 units would put the emoji (a surrogate pair) first
      ['\uE000', '\u{10000}', -1], ['x\u{1F600}', 'x\uD7FF', 1], ['\u{1F600}', '\u{1F601}', -1], ['\u{1F600}', '\u{20000}', -1],
      ['\u{1F600}a', '\u{1F600}', 1], ['', 'a', -1],
    ];
    for (const [a, b, sign] of cases) assert.equal(Math.sign(compareKeys(a, b)), sign, `${a} vs ${b}`);
  });

  it('totals and timeline add parts and fill empty intervals over the whole range', () => {
    const a = entries({ timeline: [{ time: new Date(T0).toISOString(), verdict: 'allow', flows: 2, bytes: 10, packets: 3 }, { time: new Date(T0 + 30_000).toISOString(), verdict: 'deny', flows: 1, bytes: 5, packets: 1 }] });
    const b = entries({ timeline: [{ time: new Date(T0 + 90_000).toISOString(), verdict: 'allow', flows: 4, bytes: 40, packets: 8 }] });
    const merged = concatEntries(a, b);
    assert.deepEqual(mergedTotals(merged), { flows: 7, bytes: 55, packets: 12, denied: 1 });
    const tl = mergedTimeline(merged, { fromMs: T0 + 5, toMs: T0 + 180_000 }, 60_000);
    assert.deepEqual(tl.map((x) => [x.time.slice(11, 19), x.flows, x.denied, x.bytes]), [['06:00:00', 3, 1, 15], ['06:01:00', 4, 0, 40], ['06:02:00', 0, 0, 0]]);
  });

  it('top talkers: the talkers with the most bytes, whatever their namespace\'s total; names-less flows are no talker', () => {
    const t = (namespace: string | undefined, name: string | undefined, bytes: number) => ({ ...(namespace ? { namespace } : {}), ...(name ? { name } : {}), flows: 1, bytes, packets: 1 });
    const e = entries({
      talkers: [
        t('a', 'x', 50), t('a', undefined, 100), // namespace a: 150 bytes, its only named talker has 50
        t('b', 'y', 120), t('b', 'z', 10),
        t('c', 'w', 130), // c (130) has fewer bytes in total than a (150) and b (131), but the biggest talker
        t(undefined, 'pub', 5), t('b', 'y', 1),
      ],
    });
    assert.deepEqual(mergedTopTalkers(e, 2, 10_000).talkers.map((x) => [x.namespace, x.name, x.bytes, x.flows]), [['c', 'w', 130, 1], ['b', 'y', 121, 2]]);
    assert.deepEqual(mergedTopTalkers(e, 9, 10_000).talkers.map((x) => x.name), ['w', 'y', 'x', 'z', 'pub'], 'the name-less 100 bytes of a are no talker');
    // Ties on bytes: more flows first, then the smaller namespace, then the smaller name.
    const tie = entries({ talkers: [t('n2', 'b', 10), t('n1', 'a', 10), t('n3', 'c', 10), { namespace: 'n9', name: 'd', flows: 2, bytes: 10, packets: 1 }, t('n1', '0', 10)] });
    assert.deepEqual(mergedTopTalkers(tie, 3, 10_000).talkers.map((x) => `${x.namespace}/${x.name}`), ['n9/d', 'n1/0', 'n1/a']);
    // No namespace: the '' bucket, shown as null.
    assert.deepEqual(mergedTopTalkers(entries({ talkers: [t(undefined, 'pub', 5)] }), 5, 10_000).talkers.map((x) => x.namespace), [null]);
    // More talkers than the server reads: the first in key order (no namespace first), then ranked.
    const many = mergedTopTalkers(entries({ talkers: [t('b', 'big', 99), t('a', 'x', 1), t(undefined, 'pub', 2), t('a', 'w', 3)] }), 2, 3);
    assert.deepEqual([many.talkers.map((x) => `${x.namespace}/${x.name}`), many.truncated], [['a/w', 'null/pub'], true]);
    assert.equal(mergedTopTalkers(e, 2, 5).truncated, false, 'five talkers, max five');
  });

  it('denied pairs: sums and newest time per pair; the first `max` pairs in key order when truncated', () => {
    const p = (sn: string, dn: string, flows: number, last: number) => ({ source_namespace: sn, source_name: 's', dest_namespace: dn, dest_name: 'd', flows, bytes: flows * 10, last_seen: new Date(T0 + last).toISOString() });
    const e = entries({ pairs: [p('b', 'x', 2, 5), p('a', 'x', 1, 9), p('b', 'x', 3, 1), { flows: 1, bytes: 1, last_seen: new Date(T0).toISOString() }] });
    const all = mergedDeniedPairs(e, 10, 100);
    assert.equal(all.truncated, false);
    assert.deepEqual(all.pairs.map((x) => [x.source.namespace, x.flows, x.bytes, x.last_seen]), [['b', 5, 50, new Date(T0 + 5).toISOString()], ['a', 1, 10, new Date(T0 + 9).toISOString()], [null, 1, 1, new Date(T0).toISOString()]]);
    const cut = mergedDeniedPairs(e, 10, 2);
    assert.equal(cut.truncated, true);
    // Key order puts the pair without keys first, then a: b is cut although it has the most flows (as the raw pages do).
    assert.deepEqual(cut.pairs.map((x) => x.source.namespace), ['a', null]);
    // Equal flows and newest time: key order decides, whether all pairs count or only the first `max`.
    const tie = entries({ pairs: [p('c', 'x', 2, 5), p('a', 'y', 2, 5), p('b', 'x', 2, 5), p('a', 'x', 2, 5)] });
    assert.deepEqual(mergedDeniedPairs(tie, 3, 100).pairs.map((x) => `${x.source.namespace}>${x.destination.namespace}`), ['a>x', 'a>y', 'b>x']);
    assert.deepEqual(mergedDeniedPairs(tie, 3, 4).pairs.map((x) => `${x.source.namespace}>${x.destination.namespace}`), ['a>x', 'a>y', 'b>x']);
  });

  it('matrix and rule hits: summed per key, in composite order', () => {
    const e = entries({
      cells: [{ source: 'b', destination: 'a', flows: 1, denied: 1, bytes: 2, packets: 1 }, { destination: 'a', flows: 2, denied: 0, bytes: 3, packets: 1 }, { source: 'b', destination: 'a', flows: 1, denied: 0, bytes: 2, packets: 1 }],
      hits: [
        { direction: 'ingress', tier: 'default', kind: 'np', namespace: 'n', name: 'p', rule_index: 10, action: 'allow', count: 2 },
        { direction: 'ingress', tier: 'default', kind: 'np', namespace: 'n', name: 'p', rule_index: 9, action: 'allow', count: 1 },
        { direction: 'egress', tier: 'default', kind: 'gnp', name: 'g', rule_index: -1, action: 'deny', count: 4 },
        { direction: 'ingress', tier: 'default', kind: 'np', namespace: 'n', name: 'p', rule_index: 10, action: 'allow', count: 3 },
      ],
    });
    assert.deepEqual(mergedMatrix(e, 100).cells, [{ source: null, destination: 'a', flows: 2, denied: 0, bytes: 3 }, { source: 'b', destination: 'a', flows: 2, denied: 1, bytes: 4 }]);
    const hits = mergedRuleHits(e, 100);
    assert.deepEqual(hits.hits.map((h) => [h.direction, h.namespace, h.ruleIndex, h.hits]), [['egress', null, -1, 4], ['ingress', 'n', 9, 1], ['ingress', 'n', 10, 5]]);
    assert.equal(hits.truncated, false);
    assert.equal(mergedRuleHits(e, 1).truncated, true);
  });
});

describe('stats from summaries: reading blocks', () => {
  it('joins adjacent ranges and blocks, keeps gaps', () => {
    assert.deepEqual(blockRanges([T0, T0 + B, T0 + 3 * B]), [{ fromMs: T0, toMs: T0 + 2 * B }, { fromMs: T0 + 3 * B, toMs: T0 + 4 * B }]);
    assert.deepEqual(joinRanges([{ fromMs: T0 + B, toMs: T0 + B + 7 }, { fromMs: T0 - 5, toMs: T0 }, { fromMs: T0, toMs: T0 + B }]), [{ fromMs: T0 - 5, toMs: T0 + B + 7 }]);
    assert.deepEqual(joinRanges([]), []);
  });

  it('the flows of the raw parts: each range its own time filter, no hull', () => {
    const one = JSON.stringify(rawRangesQuery([{ fromMs: T0 - 5, toMs: T0 }]));
    assert.ok(one.includes(`"gte":${T0 - 5},"lt":${T0}`) && one.includes('segflow.primary_report'), one);
    const two = JSON.stringify(rawRangesQuery([{ fromMs: T0 - 5, toMs: T0 }, { fromMs: T0 + 12 * B, toMs: T0 + 12 * B + 9 }]));
    assert.ok(!two.includes(`"gte":${T0 - 5},"lt":${T0 + 12 * B + 9}`), 'no filter over the hull of both edges');
    assert.equal(two.split('segflow.primary_report').length - 1, 2, 'the count-once term in each range');
  });

  it('reads whole summary documents of the asked blocks in this layout version, sources only', () => {
    const r = buildSummaryDocumentsRequest([T0, T0 + B]);
    assert.equal(r.size, 2);
    assert.deepEqual(r.filter_path, ['hits.hits._source']);
    const q = JSON.stringify(r.query);
    assert.ok(q.includes(`"values":["${T0}","${T0 + B}"]`) && q.includes('"version"'), q);
    assert.deepEqual((r._source as { includes: string[] }).includes, ['block_start', 'fingerprint', 'timeline', 'talkers', 'cells', 'pairs', 'hits']);
  });

  it('stored fingerprints come from doc values, never the sources', () => {
    const r = buildStoredFingerprintsRequest([T0]);
    assert.equal(r._source, false);
    assert.deepEqual(r.filter_path, ['hits.hits.fields']);
    const answer = {
      hits: {
        hits: [
          { fields: { block_start: [String(T0)], 'fingerprint.flows': [4], 'fingerprint.records': [5], 'fingerprint.max_ingested': [String(T0 + 9)] } },
          { fields: { block_start: [String(T0 + B)], 'fingerprint.flows': [0], 'fingerprint.records': [0] } },
        ],
      },
    } as unknown as Parameters<typeof storedFingerprintsOf>[0];
    assert.deepEqual([...storedFingerprintsOf(answer)], [[T0, { flows: 4, records: 5, maxIngestedMs: T0 + 9 }], [T0 + B, { flows: 0, records: 0, maxIngestedMs: null }]]);
  });

  it('a read document gives its start, stored fingerprint and entries (missing lists empty)', () => {
    const talker = { namespace: 'a', name: 'x', flows: 1, bytes: 2, packets: 3 };
    const doc = summaryDocumentEntries({
      block_start: new Date(T0).toISOString(), fingerprint: { flows: 4, records: 5, max_ingested: new Date(T0 + 9).toISOString() },
      talkers: [talker],
    } as unknown as Parameters<typeof summaryDocumentEntries>[0]);
    assert.equal(doc.start, T0);
    assert.deepEqual(doc.fingerprint, { flows: 4, records: 5, maxIngestedMs: T0 + 9 });
    assert.deepEqual(doc.entries, { ...emptyFacetEntries(), talkers: [talker] });
    const empty = summaryDocumentEntries({ block_start: new Date(T0).toISOString(), fingerprint: { flows: 0, records: 0 } } as unknown as Parameters<typeof summaryDocumentEntries>[0]);
    assert.deepEqual(empty.fingerprint, { flows: 0, records: 0, maxIngestedMs: null });
  });
});

describe('stats from summaries: merging same keys first changes no answer', () => {
  // Seeded, so a failure repeats.
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  // Few key values, some absent and some '': keys repeat within and across parts.
  const key = (): string | undefined => [undefined, '', 'a', 'b', '\u{1F600}'][rnd(5)];
  const opt = <K extends string>(k: K): Partial<Record<K, string>> => {
    const v = key();
    return v === undefined ? {} : ({ [k]: v } as Partial<Record<K, string>>);
  };
  const part = (): FacetEntries => entries({
    timeline: Array.from({ length: 20 }, () => ({ time: new Date(T0 + rnd(10) * 30_000).toISOString(), verdict: [null, 'allow', 'deny'][rnd(3)] as string | null, flows: 1 + rnd(5), bytes: rnd(1000), packets: rnd(9) })),
    talkers: Array.from({ length: 20 }, () => ({ ...opt('namespace'), ...opt('name'), flows: 1 + rnd(5), bytes: rnd(1000), packets: rnd(9) })),
    cells: Array.from({ length: 20 }, () => ({ ...opt('source'), ...opt('destination'), flows: 1 + rnd(5), denied: rnd(2), bytes: rnd(1000), packets: rnd(9) })),
    pairs: Array.from({ length: 20 }, () => ({
      ...opt('source_namespace'), ...opt('source_name'), ...opt('dest_namespace'), ...opt('dest_name'), flows: 1 + rnd(5), bytes: rnd(1000), last_seen: new Date(T0 + rnd(300_000)).toISOString(),
    })),
    hits: Array.from({ length: 20 }, () => ({
      direction: rnd(2) === 0 ? 'egress' as const : 'ingress' as const, tier: 'default', kind: ['np', 'gnp'][rnd(2)] as string, ...opt('namespace'), name: ['p', 'q'][rnd(2)] as string,
      rule_index: rnd(3) - 1, action: ['allow', 'deny'][rnd(2)] as string, count: 1 + rnd(4),
    })),
  });
  const answer = (e: FacetEntries, max: number) => ({
    totals: mergedTotals(e), timeline: mergedTimeline(e, { fromMs: T0, toMs: T0 + B }, 60_000), talkers: mergedTopTalkers(e, 3, 10_000).talkers,
    pairs: mergedDeniedPairs(e, 3, max), matrix: mergedMatrix(e, max), hits: mergedRuleHits(e, max),
  });

  for (let trial = 0; trial < 5; trial++) {
    it(`random parts, trial ${trial}: the same answer, fewer entries`, () => {
      const parts = [part(), part(), part()];
      const merged = mergeSameKeys(parts);
      const all = concatEntries(...parts);
      // As the reader does: cached merged blocks, then the edges' entries.
      const edges = part();
      for (const max of [100, 4]) assert.deepEqual(answer(concatEntries(merged, edges), max), answer(concatEntries(all, edges), max), `max ${max}`);
      assert.ok(merged.pairs.length < all.pairs.length && merged.hits.length < all.hits.length, 'keys repeated, so entries were joined');
      assert.equal(mergedTotals(merged).flows, mergedTotals(all).flows);
    });

    it(`random parts, trial ${trial}: the prepared run plus the request's entries gives the same views`, () => {
      const run = mergeSameKeys([part(), part(), part()]);
      // The same run object twice with other entries: a request's entries never change the run's groups.
      for (const rest of [part(), part(), entries({})]) {
        for (const [limit, max] of [[3, 100], [3, 4], [50, 100], [3, 60]] as const) {
          const all = concatEntries(run, rest);
          assert.deepEqual(preparedDeniedPairs(run, rest, limit, max), mergedDeniedPairs(all, limit, max), `pairs ${limit} ${max}`);
          assert.deepEqual(preparedMatrix(run, rest, max), mergedMatrix(all, max), `matrix ${max}`);
          assert.deepEqual(preparedRuleHits(run, rest, max), mergedRuleHits(all, max), `hits ${max}`);
        }
      }
    });
  }

  it('keeps the newest last_seen of a pair and does not change its inputs', () => {
    const p = (last: number) => ({ source_namespace: 'a', flows: 1, bytes: 1, last_seen: new Date(T0 + last).toISOString() });
    const a = entries({ pairs: [p(5)] });
    const b = entries({ pairs: [p(9), p(2)] });
    assert.deepEqual(mergeSameKeys([a, b]).pairs, [{ source_namespace: 'a', flows: 3, bytes: 3, last_seen: new Date(T0 + 9).toISOString() }]);
    assert.deepEqual(a.pairs, [p(5)], 'inputs (cached entries) unchanged');
  });
});
