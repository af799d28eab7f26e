/**
 * The Goldmane source's reports about itself (pure): counts carried over a failed publish, the
 * possibly-lost span kept until published (and sent again while it grows), the wire round trip
 * and message headers, and the source loop feeding them — the span computed on resume from the
 * progress file against what Goldmane still holds, a resumed stream announced, published flows counted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { GoldmaneFlow } from '../../../src/contract/goldmane/goldmane-flow.ts';
import { FLOW_BATCH_SCHEMA_HEADER } from '../../../src/contract/wire/flow-batch-headers.ts';
import { decodeSourceReport, encodeSourceReport, SOURCE_REPORT_SCHEMA, type PossibleLossSpan } from '../../../src/contract/wire/source-report-codec.ts';
import type { GoldmaneResult } from '../../../src/goldmane/goldmane-client.ts';
import { sourceReportMessage } from '../../../src/goldmane/goldmane-kafka-publisher.ts';
import { GoldmaneMetrics } from '../../../src/goldmane/goldmane-metrics.ts';
import { GoldmaneSource, type GoldmaneStreamer } from '../../../src/goldmane/goldmane-source.ts';
import { GoldmaneReportState } from '../../../src/goldmane/goldmane-source-report.ts';
import { createLogger } from '../../../src/runtime/logger.ts';

const T = Date.parse('2026-12-02T01:00:00Z');
const span = (fromMs: number, toMs: number): PossibleLossSpan => ({ cause: 'goldmane_retention', fromMs, toMs, retentionSeconds: 3600 });

describe('Goldmane source report state', () => {
  it('reports flows since the previous published report and since the run began', () => {
    const state = new GoldmaneReportState('calico-1', 'run-1', 30_000);
    state.flowsPublished(5);
    const first = state.build(T, true);
    assert.deepEqual(first, { sourceName: 'calico-1', sourceKind: 'goldmane', runId: 'run-1', reportNumber: 1, sentAtMs: T, flowsSincePrevious: 5, flowsTotal: 5, reportIntervalMs: 30_000, upstreamConnected: true });
    state.confirm(first);
    state.flowsPublished(3);
    const failed = state.build(T + 30_000, true); // its publish fails: not confirmed
    state.flowsPublished(2);
    const next = state.build(T + 60_000, false);
    assert.equal(failed.flowsSincePrevious, 3);
    assert.deepEqual([next.reportNumber, next.flowsSincePrevious, next.flowsTotal, next.upstreamConnected], [3, 5, 10, false]);
    state.confirm(next);
    assert.equal(state.build(T + 90_000, true).flowsSincePrevious, 0);
  });

  it('keeps the possibly-lost span until a report carrying it is published, and sends it again when it grew', () => {
    const state = new GoldmaneReportState('calico-1', 'run-1', 30_000);
    state.possibleLoss(span(T - 7_200_000, T - 3_600_000));
    const a = state.build(T, false);
    assert.deepEqual(a.possibleLoss, span(T - 7_200_000, T - 3_600_000));
    // Still away: the same absence, grown, before the first report was confirmed.
    state.possibleLoss(span(T - 7_200_000, T - 3_570_000));
    state.confirm(a);
    assert.deepEqual(state.pendingLoss, span(T - 7_200_000, T - 3_570_000), 'the grown span is still to be sent');
    const b = state.build(T + 30_000, true);
    state.confirm(b);
    assert.equal(state.pendingLoss, undefined);
    assert.equal(state.build(T + 60_000, true).possibleLoss, undefined);
  });

  it('joins a second span to an unpublished one (saying more than was lost, never less)', () => {
    const state = new GoldmaneReportState('calico-1', 'run-1', 30_000);
    state.possibleLoss(span(T - 10_000_000, T - 9_000_000));
    state.possibleLoss(span(T - 5_000_000, T - 4_000_000));
    assert.deepEqual(state.pendingLoss, span(T - 10_000_000, T - 4_000_000));
  });

  it('round-trips through the wire form, in a message keyed by the source with the report schema header', () => {
    const report = { ...new GoldmaneReportState('calico-1', 'run-9', 30_000).build(T + 123, true), possibleLoss: span(T - 7_200_000, T - 3_600_000) };
    assert.deepEqual(decodeSourceReport(encodeSourceReport(report)), report);
    const message = sourceReportMessage(report);
    assert.equal(message.key, 'calico-1');
    assert.deepEqual(message.headers, { [FLOW_BATCH_SCHEMA_HEADER]: SOURCE_REPORT_SCHEMA, 'segflow-goldmane-source': 'calico-1' });
    assert.deepEqual(decodeSourceReport(message.value as Buffer), report);
  });
});

function flow(start: number): GoldmaneFlow {
  return {
    key: { sourceName: 'a-*', sourceNamespace: 'ns', sourceType: 1, destName: 'b-*', destNamespace: 'ns', destType: 1, destPort: 80, destServiceName: '', destServiceNamespace: '', destServicePortName: '', destServicePort: 0, proto: 'tcp', reporter: 1, action: 1, enforced: [], pending: [] },
    startTime: start, endTime: start + 15, sourceLabels: [], destLabels: [], packetsIn: 1, packetsOut: 1, bytesIn: 10, bytesOut: 10, connectionsStarted: 1, connectionsCompleted: 0, connectionsLive: 0,
  };
}

/** Fails `failures` times, then streams `flows` and hangs. */
class FlakyStreamer implements GoldmaneStreamer {
  calls = 0;
  constructor(private failures: number, private readonly flows: GoldmaneFlow[]) {}
  async *stream(_startTimeGte: number, signal?: AbortSignal): AsyncGenerator<GoldmaneResult> {
    this.calls++;
    if (this.failures-- > 0) throw new Error('14 UNAVAILABLE: connection refused');
    let id = 1;
    for (const f of this.flows) yield { id: id++, flow: f };
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  }
}

describe('Goldmane source loop feeding its reports', () => {
  const now = 1_800_000_000;
  it('on resume after 2 h away (Goldmane keeps 1 h), reports the span from its last-read point to the oldest Goldmane still holds', async () => {
    const spans: PossibleLossSpan[] = [];
    let published = 0;
    let resumed = 0;
    const streamer = new FlakyStreamer(3, [flow(now - 30), flow(now - 15)]);
    const metrics = new GoldmaneMetrics(new Registry());
    const source = new GoldmaneSource(streamer, { publish: async () => undefined }, metrics, createLogger('test', 'silent'), {
      retentionSeconds: 3600, initialBackoffMs: 1, maxBackoffMs: 2, lingerMs: 1, now: () => now * 1000,
      progress: { newestStart: now - 7215, newestEnd: now - 7200 },
      reports: { flowsPublished: (n) => { published += n; }, possibleLoss: (s) => spans.push(s), resumed: () => { resumed++; } },
    });
    source.start();
    for (let i = 0; i < 200 && published < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await source.stop();
    assert.equal(streamer.calls >= 4, true);
    assert.equal(published, 2);
    assert.equal(resumed, 1, 'the stream resumed once after the failures');
    // One span, noted at every attempt (the role keeps the longest of a start): newest end read → now − retention.
    assert.deepEqual(new Set(spans.map((s) => JSON.stringify(s))), new Set([JSON.stringify(span((now - 7200) * 1000, (now - 3600) * 1000))]));
    // The metric counts the span once, not once per attempt.
    assert.equal((await metrics.possibleLoss.get()).values[0]?.value, 3600);
  });

  it('reports no span when it was away less than Goldmane keeps', async () => {
    const spans: PossibleLossSpan[] = [];
    const source = new GoldmaneSource(new FlakyStreamer(1, []), { publish: async () => undefined }, new GoldmaneMetrics(new Registry()), createLogger('test', 'silent'), {
      retentionSeconds: 3600, initialBackoffMs: 1, maxBackoffMs: 2, now: () => now * 1000, progress: { newestStart: now - 3015, newestEnd: now - 3000 },
      reports: { flowsPublished: () => undefined, possibleLoss: (s) => spans.push(s), resumed: () => undefined },
    });
    source.start();
    await new Promise((r) => setTimeout(r, 30));
    await source.stop();
    assert.deepEqual(spans, []);
  });
});
