/**
 * Goldmane sources in the completeness figure (src/api/query/completeness.ts), table by table:
 * a source reporting through the range, a silent one, a span possibly lost overlapping the range
 * (incomplete, in words, in seconds — never as records or in the ratio), spans outside it, a
 * growing span reported twice; also the span search and the reading of its answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { estypes } from '@elastic/elasticsearch';
import { computeCompleteness, durationWords, type CompletenessInput, type ReportedLossSpan, type ReporterInWindow } from '../../../src/api/query/completeness.ts';
import { buildPossibleLossRequest, readPossibleLoss } from '../../../src/api/query/completeness-query.ts';
import { completenessSummary } from '../../../src/ui/app/completeness-banner.ts';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const MIN = 60_000;
const range = { fromMs: T0, toMs: T0 + 60 * MIN };
const NOW = T0 + 3 * 3_600_000;

function goldmane(over: Partial<ReporterInWindow> = {}): ReporterInWindow {
  return {
    kind: 'goldmane', id: 'calico-1', node: null, heartbeatMs: 30_000, lastBeforeMs: T0 - MIN, firstAfterMs: range.toMs + 10_000, lastInMs: range.toMs - 10_000,
    boots: [{ boot: 'run-1', batches: 120, minSequence: 0, maxSequence: 0, records: 5000, predecessor: null, loss: {}, beforeRange: { maxSequence: 0, lossTotals: {} } }], ...over,
  };
}
// Away from 10:20 to 12:32 with Goldmane keeping 1 h: flows from 10:20 to 11:32 may be lost.
const away: ReportedLossSpan = { kind: 'goldmane', id: 'calico-1', cause: 'goldmane_retention', fromMs: T0 + 20 * MIN, toMs: T0 + 92 * MIN, retentionSeconds: 3600 };
function input(over: Partial<CompletenessInput> = {}): CompletenessInput {
  return { range, nowMs: NOW, reporters: [goldmane()], lags: [], includeNames: true, ...over };
}

describe('Goldmane sources in the completeness figure', () => {
  const cases: Array<{ name: string; input: CompletenessInput; status: string; reporting: number; silent: number; spans: number; reason?: RegExp }> = [
    { name: 'a Goldmane source reporting through the range, no span', input: input(), status: 'complete', reporting: 1, silent: 0, spans: 0 },
    {
      name: 'a Goldmane source silent in the range (its reports stopped)',
      input: input({ reporters: [goldmane({ lastInMs: T0 + 5 * MIN, firstAfterMs: null })] }), status: 'incomplete', reporting: 0, silent: 1, spans: 0, reason: /1 reporter silent in the range: calico-1/,
    },
    {
      name: 'a span possibly lost overlapping the range: disconnected longer than Goldmane keeps flows',
      input: input({ possibleLoss: [away] }), status: 'incomplete', reporting: 1, silent: 0, spans: 1,
      reason: /^Goldmane source calico-1 was disconnected for 2 h 12 min, longer than Goldmane keeps flows \(1 h\): flows between 2026-12-01T10:20:00Z and 2026-12-01T11:32:00Z may be missing \(1 h 12 min of flows; how many, if any, is unknown\)$/,
    },
    { name: 'a span ending before the range', input: input({ possibleLoss: [{ ...away, fromMs: T0 - 90 * MIN, toMs: T0 - MIN }] }), status: 'complete', reporting: 1, silent: 0, spans: 0 },
    { name: 'a span starting at the range end', input: input({ possibleLoss: [{ ...away, fromMs: range.toMs, toMs: range.toMs + 60 * MIN }] }), status: 'complete', reporting: 1, silent: 0, spans: 0 },
    {
      name: 'a span still growing, reported twice with the same start: the longest counts once',
      input: input({ possibleLoss: [{ ...away, toMs: T0 + 30 * MIN }, away] }), status: 'incomplete', reporting: 1, silent: 0, spans: 1, reason: /1 h 12 min of flows/,
    },
    {
      name: 'a namespace-scoped caller: the source is not named',
      input: input({ possibleLoss: [away], includeNames: false }), status: 'incomplete', reporting: 1, silent: 0, spans: 1, reason: /^Goldmane source was disconnected for 2 h 12 min/,
    },
    {
      name: 'a span with no reporter read around the range still makes it incomplete (not unknown)',
      input: input({ reporters: [], possibleLoss: [away] }), status: 'incomplete', reporting: 0, silent: 0, spans: 1, reason: /calico-1 was disconnected/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = computeCompleteness(c.input);
      assert.equal(out.status, c.status, out.reasons.join('; '));
      assert.equal(out.nodes.reporting, c.reporting);
      assert.equal(out.nodes.silent, c.silent);
      assert.equal(out.possible_loss?.length ?? 0, c.spans);
      if (c.reason) assert.ok(out.reasons.some((r) => c.reason!.test(r)), `${c.reason} in ${JSON.stringify(out.reasons)}`);
      if (c.status === 'complete') assert.deepEqual(out.reasons, []);
    });
  }

  it('says the span in seconds, never as records, and leaves the ratio to what has a count', () => {
    const out = computeCompleteness(input({ possibleLoss: [away] }));
    assert.deepEqual(out.possible_loss, [{ source: 'calico-1', kind: 'goldmane', cause: 'goldmane_retention', from: '2026-12-01T10:20:00.000Z', to: '2026-12-01T11:32:00.000Z', seconds: 4320 }]);
    assert.deepEqual(out.records, { received: 5000, dropped: 0, dropped_by_cause: {} });
    assert.equal(out.ratio, 1);
    assert.match(completenessSummary(out), /100\.0 % of what the agents produced arrived \(not counting the flows that may be missing from the spans above: their number is unknown\)/);
    assert.equal(computeCompleteness(input({ possibleLoss: [away], includeNames: false })).possible_loss![0]!.source, null);
  });

  it('words durations', () => {
    assert.deepEqual([durationWords(30), durationWords(2700), durationWords(3600), durationWords(4320)], ['30 s', '45 min', '1 h', '1 h 12 min']);
  });

  it('searches the reports whose span overlaps the range, whenever they were written', () => {
    const request = buildPossibleLossRequest(range);
    const filter = (request.query as { bool: { filter: Array<Record<string, Record<string, unknown>>> } }).bool.filter;
    assert.deepEqual(filter[1], { range: { 'possible_loss.from': { lt: range.toMs, format: 'epoch_millis' } } });
    assert.deepEqual(filter[2], { range: { 'possible_loss.to': { gt: range.fromMs, format: 'epoch_millis' } } });
    assert.equal(filter.some((f) => f.range?.['@timestamp'] !== undefined), false, 'a span is reported when the source comes back, long after the range');
  });

  it('reads the spans of the answer, leaving out causes it does not know', () => {
    const hit = (cause: string) => ({ _index: 'x', _id: cause, _source: { reporter: { kind: 'goldmane', id: 'calico-1' }, possible_loss: { cause, from: '2026-12-01T10:20:00.000Z', to: '2026-12-01T11:32:00.000Z', seconds: 4320, retention_seconds: 3600 } } });
    const answer = { took: 1, timed_out: false, _shards: { total: 1, successful: 1, failed: 0 }, hits: { hits: [hit('goldmane_retention'), hit('something_newer')] } } as unknown as estypes.SearchResponse;
    assert.deepEqual(readPossibleLoss(answer), [away]);
  });
});
