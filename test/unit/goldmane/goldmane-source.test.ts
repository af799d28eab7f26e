/**
 * The source's stream loop (pure logic: a scripted streamer stands in for Goldmane, a list for
 * Kafka): history first, reconnect with the resume window after a failure, flows Goldmane sends
 * again (its restart gives them new ids) not published twice, a failed publish asked for again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { GoldmaneFlow } from '../../../src/contract/goldmane/goldmane-flow.ts';
import type { GoldmaneResult } from '../../../src/goldmane/goldmane-client.ts';
import { GoldmaneMetrics } from '../../../src/goldmane/goldmane-metrics.ts';
import { GoldmaneSource, type GoldmaneStreamer } from '../../../src/goldmane/goldmane-source.ts';
import { createLogger } from '../../../src/runtime/logger.ts';

function flow(start: number, bytes = 10): GoldmaneFlow {
  return {
    key: { sourceName: 'a-*', sourceNamespace: 'ns', sourceType: 1, destName: 'b-*', destNamespace: 'ns', destType: 1, destPort: 80, destServiceName: '', destServiceNamespace: '', destServicePortName: '', destServicePort: 0, proto: 'tcp', reporter: 1, action: 1, enforced: [], pending: [] },
    startTime: start, endTime: start + 15, sourceLabels: [], destLabels: [], packetsIn: 1, packetsOut: 1, bytesIn: bytes, bytesOut: bytes, connectionsStarted: 1, connectionsCompleted: 0, connectionsLive: 0,
  };
}

/** Each connection plays the next script: its flows, then an error or the end of the stream. */
class ScriptedStreamer implements GoldmaneStreamer {
  readonly requests: number[] = [];
  constructor(private readonly scripts: Array<{ flows: GoldmaneFlow[]; then: 'error' | 'hang' }>) {}
  async *stream(startTimeGte: number, signal?: AbortSignal): AsyncGenerator<GoldmaneResult> {
    this.requests.push(startTimeGte);
    const script = this.scripts.shift() ?? { flows: [], then: 'hang' as const };
    let id = 1000 * this.requests.length;
    for (const f of script.flows) yield { id: id++, flow: f };
    if (script.then === 'error') throw new Error('14 UNAVAILABLE: connection reset');
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  }
}

describe('Goldmane source loop', () => {
  const now = 1_800_000_000;
  it('reconnects from where it got to and publishes nothing twice', async () => {
    const streamer = new ScriptedStreamer([
      { flows: [flow(now - 60), flow(now - 45)], then: 'error' },
      // Goldmane restarted: same flows, new ids, plus one new; one bucket grew (still filling).
      { flows: [flow(now - 60), flow(now - 45, 20), flow(now - 30)], then: 'hang' },
    ]);
    const published: GoldmaneFlow[] = [];
    const metrics = new GoldmaneMetrics(new Registry(), () => now * 1000);
    const source = new GoldmaneSource(streamer, { publish: async (flows) => { published.push(...flows); } }, metrics, createLogger('test', 'silent'), { retentionSeconds: 3600, initialBackoffMs: 1, maxBackoffMs: 5, lingerMs: 1, now: () => now * 1000 });
    source.start();
    for (let i = 0; i < 200 && published.length < 4; i++) await new Promise((r) => setTimeout(r, 5));
    await source.stop();
    assert.deepEqual(published.map((f) => [f.startTime - now, f.bytesIn]), [[-60, 10], [-45, 10], [-45, 20], [-30, 10]]);
    assert.equal(streamer.requests[0], -3540);
    assert.equal(streamer.requests[1], -(45 + 120), 'resumes from the newest start published, with the overlap');
    assert.equal((await metrics.replays.get()).values[0]?.value, 1);
    assert.equal((await metrics.reconnects.get()).values.find((v) => v.labels.reason === 'error')?.value, 1);
    assert.equal((await metrics.lag.get()).values[0]?.value, 15);
  });

  it('re-reads once from the same point after a reconnect, catching flows that arrived late', async () => {
    const streamer = new ScriptedStreamer([
      { flows: [flow(now - 60)], then: 'error' },
      { flows: [flow(now - 60)], then: 'hang' },
      // Felix re-sent to a restarted Goldmane after the source had reconnected: only history has it.
      { flows: [flow(now - 60), flow(now - 75)], then: 'hang' },
    ]);
    const published: GoldmaneFlow[] = [];
    const metrics = new GoldmaneMetrics(new Registry());
    const source = new GoldmaneSource(streamer, { publish: async (flows) => { published.push(...flows); } }, metrics, createLogger('test', 'silent'), { retentionSeconds: 3600, initialBackoffMs: 1, maxBackoffMs: 5, lingerMs: 1, catchUpAfterMs: 20, now: () => now * 1000 });
    source.start();
    for (let i = 0; i < 200 && published.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await source.stop();
    assert.deepEqual(published.map((f) => f.startTime - now), [-60, -75]);
    assert.equal(streamer.requests.length, 3);
    assert.equal(streamer.requests[2], streamer.requests[1], 'the catch-up pass starts where the reconnect did');
    assert.equal((await metrics.reconnects.get()).values.find((v) => v.labels.reason === 'catch_up')?.value, 1);
  });

  it('asks again for what it could not publish', async () => {
    const streamer = new ScriptedStreamer([{ flows: [flow(now - 60)], then: 'hang' }, { flows: [flow(now - 60)], then: 'hang' }]);
    const published: GoldmaneFlow[] = [];
    let failures = 1;
    const metrics = new GoldmaneMetrics(new Registry());
    const source = new GoldmaneSource(streamer, {
      publish: async (flows) => {
        if (failures-- > 0) throw new Error('Kafka unavailable');
        published.push(...flows);
      },
    }, metrics, createLogger('test', 'silent'), { retentionSeconds: 3600, initialBackoffMs: 1, maxBackoffMs: 5, lingerMs: 1, now: () => now * 1000 });
    source.start();
    for (let i = 0; i < 200 && published.length < 1; i++) await new Promise((r) => setTimeout(r, 5));
    await source.stop();
    assert.equal(published.length, 1);
    assert.equal(streamer.requests[1], -3540, 'nothing was published: it asks for the whole history again');
    assert.equal((await metrics.reconnects.get()).values.find((v) => v.labels.reason === 'publish_failed')?.value, 1);
  });

  it('reports a possible loss when it was away longer than Goldmane keeps', async () => {
    const streamer = new ScriptedStreamer([]);
    const metrics = new GoldmaneMetrics(new Registry());
    const source = new GoldmaneSource(streamer, { publish: async () => undefined }, metrics, createLogger('test', 'silent'), {
      retentionSeconds: 3600, initialBackoffMs: 1, maxBackoffMs: 5, now: () => now * 1000, progress: { newestStart: now - 7215, newestEnd: now - 7200 },
    });
    source.start();
    await new Promise((r) => setTimeout(r, 20));
    await source.stop();
    assert.equal((await metrics.possibleLoss.get()).values[0]?.value, 3600);
    assert.equal((await metrics.lastPossibleLoss.get()).values[0]?.value, now - 3600);
  });
});
