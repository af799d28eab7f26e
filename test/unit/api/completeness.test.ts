/**
 * The completeness figure (src/api/query/completeness.ts), table by table: no gaps, gaps inside
 * a boot and after a killed boot, silent nodes (and idle ones that are not), drops by cause from
 * cumulative counters (a lost batch loses no count), enricher lag, no reports at all. Also the
 * reading of Elasticsearch's aggregation answer into the computation's input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeCompleteness, isSilent, SILENCE_MARGIN_MS, type BootInRange, type CompletenessInput, type ReporterInWindow } from '../../../src/api/query/completeness.ts';
import { buildReporterRequest, lookaroundMs, readLags, readReporters } from '../../../src/api/query/completeness-query.ts';
import type { estypes } from '@elastic/elasticsearch';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const MIN = 60_000;
const range = { fromMs: T0, toMs: T0 + 60 * MIN };
const NOW = T0 + 2 * 3_600_000; // the range is in the past: lag does not concern it

function boot(over: Partial<BootInRange> = {}): BootInRange {
  return { boot: 'b1', batches: 10, minSequence: 1, maxSequence: 10, records: 1000, predecessor: null, loss: {}, beforeRange: null, ...over };
}
function reporter(over: Partial<ReporterInWindow> = {}): ReporterInWindow {
  return { kind: 'node-agent', id: 'node-a', node: 'node-a', heartbeatMs: 30_000, lastBeforeMs: T0 - MIN, firstAfterMs: null, lastInMs: range.toMs - 10_000, boots: [boot()], ...over };
}
function input(over: Partial<CompletenessInput> = {}): CompletenessInput {
  return { range, nowMs: NOW, reporters: [reporter()], lags: [], includeNames: true, ...over };
}

describe('completeness figure', () => {
  const cases: Array<{ name: string; input: CompletenessInput; status: string; ratio: number | null; missing: number; dropped: number; byCause?: Record<string, number>; silent: number; reporting: number; reason?: RegExp }> = [
    { name: 'no gaps, no drops, every node reporting', input: input(), status: 'complete', ratio: 1, missing: 0, dropped: 0, silent: 0, reporting: 1 },
    {
      name: 'a gap inside a boot: 7 of sequences 1-10 received',
      input: input({ reporters: [reporter({ boots: [boot({ batches: 7 })] })] }),
      status: 'incomplete', ratio: 0.7, missing: 3, dropped: 0, silent: 0, reporting: 1, reason: /3 agent batches never arrived/,
    },
    {
      name: 'a killed boot: it built up to 12, we saw 10; the next boot names it as predecessor',
      input: input({ reporters: [reporter({ boots: [boot(), boot({ boot: 'b2', batches: 5, minSequence: 1, maxSequence: 5, records: 500, predecessor: { boot: 'b1', lastSequence: 12 }, loss: { crash: { recordsTotalMax: 40, recordsBeforeMin: 0 } } })] })] }),
      status: 'incomplete', ratio: Math.round((15 / 17) * 10_000) / 10_000, missing: 2, dropped: 40, byCause: { crash: 40 }, silent: 0, reporting: 1, reason: /40 crash/,
    },
    {
      name: 'drops by cause from cumulative counters: last total in the range minus the last before it',
      input: input({ reporters: [reporter({ boots: [boot({ minSequence: 21, maxSequence: 30, loss: { spool_full: { recordsTotalMax: 900, recordsBeforeMin: 300 }, ring_buffer: { recordsTotalMax: 50, recordsBeforeMin: 0 } }, beforeRange: { maxSequence: 20, lossTotals: { spool_full: 100 } } })] })] }),
      status: 'incomplete', ratio: Math.round((1000 / 1850) * 10_000) / 10_000, missing: 0, dropped: 850, byCause: { spool_full: 800, ring_buffer: 50 }, silent: 0, reporting: 1, reason: /850 records dropped by the agents \(800 spool full, 50 ring buffer\)/,
    },
    {
      name: 'the batches carrying the first counts were lost themselves: a boot started in the range counts from 0',
      input: input({ reporters: [reporter({ boots: [boot({ batches: 5, minSequence: 1, maxSequence: 20, loss: { spool_full: { recordsTotalMax: 150, recordsBeforeMin: 150 } } })] })] }),
      status: 'incomplete', ratio: 0.25, missing: 15, dropped: 150, byCause: { spool_full: 150 }, silent: 0, reporting: 1,
    },
    {
      name: 'batches lost between the last report before the range and the first in it',
      input: input({ reporters: [reporter({ boots: [boot({ minSequence: 14, maxSequence: 23, beforeRange: { maxSequence: 10, lossTotals: {} } })] })] }),
      status: 'incomplete', ratio: Math.round((10 / 13) * 10_000) / 10_000, missing: 3, dropped: 0, silent: 0, reporting: 1,
    },
    {
      name: 'a node silent in the whole range after reporting before it',
      input: input({ reporters: [reporter(), reporter({ id: 'node-b', node: 'node-b', lastInMs: null, lastBeforeMs: T0 - 5 * MIN, boots: [] })] }),
      status: 'incomplete', ratio: 1, missing: 0, dropped: 0, silent: 1, reporting: 1, reason: /1 node silent in the range: node-b/,
    },
    {
      name: 'a node that went silent half-way through the range',
      input: input({ reporters: [reporter({ lastInMs: T0 + 30 * MIN })] }),
      status: 'incomplete', ratio: 1, missing: 0, dropped: 0, silent: 1, reporting: 0,
    },
    {
      name: 'an idle node inside a range shorter than its heartbeat is not silent',
      input: input({ range: { fromMs: T0, toMs: T0 + 20_000 }, reporters: [reporter({ lastInMs: null, lastBeforeMs: T0 - 10_000, boots: [] })] }),
      status: 'complete', ratio: null, missing: 0, dropped: 0, silent: 0, reporting: 1,
    },
    {
      name: 'a node that only reported after the range (a new node) is not silent',
      input: input({ reporters: [reporter(), reporter({ id: 'new', node: 'new', lastInMs: null, lastBeforeMs: null, firstAfterMs: range.toMs + MIN, boots: [] })] }),
      status: 'complete', ratio: 1, missing: 0, dropped: 0, silent: 0, reporting: 1,
    },
    {
      name: 'enricher lag that stayed through the last 30 s, on a range that reaches the present',
      input: input({ nowMs: range.toMs + 1000, reporters: [reporter({ lastInMs: range.toMs - 5000 })], lags: [{ id: 'g/1', messages: 120, atMs: range.toMs, persistentMessages: 80 }, { id: 'g/2', messages: 3, atMs: range.toMs - 2000, persistentMessages: 0 }] }),
      status: 'incomplete', ratio: 1, missing: 0, dropped: 0, silent: 0, reporting: 1, reason: /behind for 30 s \(123 messages not yet processed\)/,
    },
    {
      name: 'messages in flight (the lag came back to 0 in the last 30 s) do not make an answer incomplete',
      input: input({ nowMs: range.toMs + 1000, reporters: [reporter({ lastInMs: range.toMs - 5000 })], lags: [{ id: 'g/1', messages: 4, atMs: range.toMs, persistentMessages: 0 }] }),
      status: 'complete', ratio: 1, missing: 0, dropped: 0, silent: 0, reporting: 1,
    },
    {
      name: 'enricher lag does not concern a range long past',
      input: input({ lags: [{ id: 'g/1', messages: 120, atMs: NOW, persistentMessages: 120 }] }),
      status: 'complete', ratio: 1, missing: 0, dropped: 0, silent: 0, reporting: 1,
    },
    {
      name: 'no reports at all: unknown',
      input: input({ reporters: [] }),
      status: 'unknown', ratio: null, missing: 0, dropped: 0, silent: 0, reporting: 0, reason: /no agent reports/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = computeCompleteness(c.input);
      assert.equal(out.status, c.status, out.reasons.join('; '));
      assert.equal(out.ratio, c.ratio);
      assert.equal(out.batches.missing, c.missing);
      assert.equal(out.records.dropped, c.dropped);
      assert.deepEqual(out.records.dropped_by_cause, c.byCause ?? {});
      assert.equal(out.nodes.silent, c.silent);
      assert.equal(out.nodes.reporting, c.reporting);
      if (c.reason) assert.match(out.reasons.join('\n'), c.reason);
      if (c.status === 'complete') assert.deepEqual(out.reasons, []);
    });
  }

  it('sums the enricher lag of every enricher and names the newest report', () => {
    const out = computeCompleteness(input({ lags: [{ id: 'g/1', messages: 5, atMs: T0, persistentMessages: 0 }, { id: 'g/2', messages: 7, atMs: T0 + 1000, persistentMessages: 0 }] }));
    assert.deepEqual(out.enricher_lag, { messages: 12, enrichers: 2, reported_at: new Date(T0 + 1000).toISOString() });
  });

  it('names silent nodes only to unrestricted callers', () => {
    const silentInput = input({ reporters: [reporter({ lastInMs: null, lastBeforeMs: T0 - MIN, boots: [] })] });
    assert.deepEqual(computeCompleteness(silentInput).nodes.silent_nodes, [{ node: 'node-a', kind: 'node-agent', last_report: new Date(T0 - MIN).toISOString() }]);
    const scoped = computeCompleteness({ ...silentInput, includeNames: false });
    assert.equal(scoped.nodes.silent, 1);
    assert.equal(scoped.nodes.silent_nodes, undefined);
    assert.doesNotMatch(scoped.reasons.join(' '), /node-a/);
  });

  it('counts a reporter as overdue at twice its heartbeat plus the margin, and at once without heartbeats', () => {
    const r = reporter({ lastInMs: range.toMs - (60_000 + SILENCE_MARGIN_MS) });
    assert.equal(isSilent(r, range, NOW), false);
    assert.equal(isSilent({ ...r, lastInMs: r.lastInMs! - 1 }, range, NOW), true);
    assert.equal(isSilent({ ...r, heartbeatMs: 0, lastInMs: null }, range, NOW), true);
  });

  it('a report on another source kind (goldmane) counts like a node agent', () => {
    const out = computeCompleteness(input({ reporters: [reporter({ kind: 'goldmane', id: 'goldmane', node: null, lastInMs: null, lastBeforeMs: T0 - 5 * MIN, boots: [] })] }));
    assert.deepEqual(out.nodes.silent_nodes, [{ node: 'goldmane', kind: 'goldmane', last_report: new Date(T0 - 5 * MIN).toISOString() }]);
  });
});

describe('completeness queries', () => {
  it('look around the range by its length, within 10 minutes and a day', () => {
    assert.equal(lookaroundMs({ fromMs: 0, toMs: MIN }), 10 * MIN);
    assert.equal(lookaroundMs({ fromMs: 0, toMs: 3 * 3_600_000 }), 3 * 3_600_000);
    assert.equal(lookaroundMs({ fromMs: 0, toMs: 30 * 86_400_000 }), 86_400_000);
    const request = buildReporterRequest(range, 100);
    const filter = (request.query as { bool: { filter: Array<Record<string, { '@timestamp'?: { gte?: number; lt?: number } }>> } }).bool.filter;
    assert.deepEqual(filter[2]!.range!['@timestamp'], { gte: T0 - 60 * MIN, lt: range.toMs + 60 * MIN, format: 'epoch_millis' });
  });

  it('read the aggregation answer into reporters and boots', () => {
    const answer = {
      aggregations: {
        reporters: {
          sum_other_doc_count: 0,
          buckets: [{
            key: 'node-a', doc_count: 12,
            kind: { buckets: [{ key: 'node-agent', doc_count: 12 }] }, node: { buckets: [{ key: 'node-a', doc_count: 12 }] },
            heartbeat: { value: 30000 }, before: { doc_count: 1, last: { value: T0 - MIN }, boots: { buckets: [{ key: 'b2', doc_count: 1, max_seq: { value: 0 }, 'spool_full.rt': { value: 5 } }] } }, after: { doc_count: 0, last: { value: null }, first: { value: null } },
            in: {
              doc_count: 11, last: { value: T0 + MIN },
              boots: { buckets: [{
                key: 'b2', doc_count: 11, min_seq: { value: 1 }, max_seq: { value: 13 }, records: { value: 77 },
                pred_boot: { buckets: [{ key: 'b1', doc_count: 11 }] }, pred_last: { value: 9 },
                'spool_full.rt': { value: 30 }, 'spool_full.rb': { value: 10 }, 'crash.rt': { value: null }, 'crash.rb': { value: null },
              }, { key: 'b3', doc_count: 1, min_seq: { value: 1 }, max_seq: { value: 1 }, records: { value: 0 }, pred_boot: { buckets: [] }, pred_last: { value: null } }] },
            },
          }],
        },
      },
    } as unknown as estypes.SearchResponse;
    const { reporters, truncated } = readReporters(answer);
    assert.equal(truncated, false);
    assert.deepEqual(reporters, [{
      kind: 'node-agent', id: 'node-a', node: 'node-a', heartbeatMs: 30000, lastBeforeMs: T0 - MIN, firstAfterMs: null, lastInMs: T0 + MIN,
      boots: [
        { boot: 'b2', batches: 11, minSequence: 1, maxSequence: 13, records: 77, predecessor: { boot: 'b1', lastSequence: 9 }, loss: { spool_full: { recordsTotalMax: 30, recordsBeforeMin: 10 } }, beforeRange: { maxSequence: 0, lossTotals: { spool_full: 5 } } },
        { boot: 'b3', batches: 1, minSequence: 1, maxSequence: 1, records: 0, predecessor: null, loss: {}, beforeRange: null },
      ],
    }]);
    const lags = readLags({ aggregations: { enrichers: { buckets: [
      { key: 'g/x', doc_count: 3, latest: { hits: { hits: [{ _source: { '@timestamp': new Date(T0).toISOString(), lag: { messages: 4 } } }] } }, recent: { doc_count: 3, low: { value: 1 } } },
      { key: 'g/y', doc_count: 1, latest: { hits: { hits: [{ _source: { '@timestamp': new Date(T0).toISOString(), lag: { messages: 9 } } }] } }, recent: { doc_count: 0, low: { value: null } } },
    ] } } } as unknown as estypes.SearchResponse);
    assert.deepEqual(lags, [{ id: 'g/x', messages: 4, atMs: T0, persistentMessages: 1 }, { id: 'g/y', messages: 9, atMs: T0, persistentMessages: 9 }]);
  });
});
