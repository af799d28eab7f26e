/**
 * The API's overload guard (`limits.maxEventLoopDelayMs`, env SEGFLOW_API_MAX_EVENT_LOOP_DELAY_MS,
 * 0 = off): while the event loop lags beyond the limit, requests get 503 `overloaded` with the
 * JSON error body and a Retry-After header, except the liveness route; with 0 the same lag is let
 * through.
 *
 * Two servers run in this process and share its event loop, so one lag (a busy loop here, in
 * slices so the loop's delay monitor samples it again and again) reaches both at once.
 * Elasticsearch is not needed: the route asked (/api/v1/tiers) reads the inventory only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { StaticInventorySource } from '../../../src/api/inventory/inventory-source.ts';
import { ApiServer } from '../../../src/api/server.ts';
import { loadResourceText } from '../../../src/inventory/index.ts';
import { FIXTURE_RESOURCES_YAML } from './flow-fixtures.ts';

const LIMIT_MS = 100;

/** Keeps the event loop busy for `totalMs` in `sliceMs` slices, letting timers run between them. */
async function lagEventLoop(totalMs: number, sliceMs: number): Promise<void> {
  const end = Date.now() + totalMs;
  while (Date.now() < end) {
    const sliceEnd = Math.min(end, Date.now() + sliceMs);
    while (Date.now() < sliceEnd) {
      // busy: this is the lag under test
    }
    await new Promise((r) => setTimeout(r, 0));
  }
}

describe('API overload guard (limits.maxEventLoopDelayMs)', () => {
  let guarded: ApiServer;
  let unguarded: ApiServer;
  let guardedApp: FastifyInstance;
  let unguardedApp: FastifyInstance;
  const savedEnv = process.env.SEGFLOW_API_MAX_EVENT_LOOP_DELAY_MS;

  before(async () => {
    const inventory = () => new StaticInventorySource(loadResourceText(FIXTURE_RESOURCES_YAML, 'fixture').resources);
    guarded = new ApiServer({ elasticsearchUrl: 'http://127.0.0.1:1', logLevel: 'silent', limits: { maxEventLoopDelayMs: LIMIT_MS } }, { inventory: inventory() });
    // Off through the environment variable, as an operator turns it off.
    process.env.SEGFLOW_API_MAX_EVENT_LOOP_DELAY_MS = '0';
    try {
      unguarded = new ApiServer({ elasticsearchUrl: 'http://127.0.0.1:1', logLevel: 'silent' }, { inventory: inventory() });
    } finally {
      if (savedEnv === undefined) delete process.env.SEGFLOW_API_MAX_EVENT_LOOP_DELAY_MS;
      else process.env.SEGFLOW_API_MAX_EVENT_LOOP_DELAY_MS = savedEnv;
    }
    guardedApp = await guarded.ready();
    unguardedApp = await unguarded.ready();
  });

  after(async () => {
    await guarded?.stop();
    await unguarded?.stop();
  });

  it('reads the limit from the configuration and 0 from the environment', () => {
    assert.equal(guarded.config.limits.maxEventLoopDelayMs, LIMIT_MS);
    assert.equal(unguarded.config.limits.maxEventLoopDelayMs, 0);
  });

  it('answers normally while the event loop keeps up', async () => {
    // The guard's first sample comes after its sample interval (1 s): wait for a quiet one.
    await new Promise((r) => setTimeout(r, 1_200));
    const r = await guardedApp.inject({ url: '/api/v1/tiers' });
    assert.equal(r.statusCode, 200, r.body);
  });

  it('answers 503 overloaded with the JSON error and Retry-After while the loop lags, and not when the guard is off', async () => {
    // Each slice is one delay sample of ~300 ms; over two sample intervals the mean is far above the limit.
    await lagEventLoop(2_500, 300);
    const [g, u, live] = await Promise.all([guardedApp.inject({ url: '/api/v1/tiers' }), unguardedApp.inject({ url: '/api/v1/tiers' }), guardedApp.inject({ url: '/healthz' })]);
    assert.equal(g.statusCode, 503, g.body);
    assert.equal(g.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(g.headers['retry-after'], '5');
    const body = g.json() as { error: { code: string; message: string } };
    assert.deepEqual(Object.keys(body), ['error']);
    assert.equal(body.error.code, 'overloaded');
    assert.match(body.error.message, /^server overloaded \(eventLoopDelay \d+(\.\d+)?\); retry later$/);
    assert.ok(Number(/eventLoopDelay (\d+(?:\.\d+)?)/.exec(body.error.message)![1]) > LIMIT_MS, body.error.message);
    assert.equal(u.statusCode, 200, `guard off (0): the same lag is let through: ${u.body}`);
    // Liveness is exempt: an overloaded API is busy, not dead, and must not be restarted for it.
    assert.equal(live.statusCode, 200, `/healthz under the same lag: ${live.body}`);
    assert.deepEqual(live.json(), { status: 'ok' });
  });
});
