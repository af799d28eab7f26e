/**
 * The mended kafkajs request queue (src/runtime/kafkajs-request-queue.ts), on kafkajs's own
 * RequestQueue class with stand-in requests: pure queue logic, no broker. It must keep every
 * guarantee kafkajs gives waiting requests (sent when an in-flight one completes, after a
 * throttle ends) while leaving no timer behind once nothing waits. The first test runs unmended
 * kafkajs in a child process: it shows the 1 ms loop the mend exists for (when it fails,
 * kafkajs was fixed and the mend can go).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { kafkajsRequestQueue, mendKafkajsRequestQueue, scheduleCheckOfWaitingRequests } from '../../../src/runtime/kafkajs-request-queue.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A RequestQueue as a kafkajs connection makes it, and what it sent. */
function queue(maxInFlightRequests: number | null = 1) {
  const RequestQueue = kafkajsRequestQueue();
  const q = new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'b:9092', logger: silent }) as unknown as {
    push(r: unknown): void;
    fulfillRequest(r: { correlationId: number; payload: unknown; size: number }): void;
    maybeThrottle(ms: number): void;
    destroy(): void;
    pending: unknown[];
    throttleCheckTimeoutId: NodeJS.Timeout | null;
  };
  const sent: number[] = [];
  const push = (correlationId: number): Promise<unknown> =>
    new Promise((resolve, reject) =>
      q.push({ entry: { correlationId, resolve, reject }, expectResponse: true, sendRequest: () => sent.push(correlationId) }),
    );
  return { q, sent, push };
}

describe('kafkajs request queue', () => {
  it('unmended kafkajs polls its queue every millisecond after a response, with nothing waiting', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
      import { createRequire } from 'node:module';
      const RequestQueue = createRequire(${JSON.stringify(path.join(root, 'package.json'))})('kafkajs/src/network/requestQueue/index.js');
      let checks = 0;
      const check = RequestQueue.prototype.checkPendingRequests;
      RequestQueue.prototype.checkPendingRequests = function () { checks++; return check.call(this); };
      const silent = { debug() {}, warn() {} };
      const q = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30000, enforceRequestTimeout: false, clientId: 't', broker: 'b', logger: silent });
      q.push({ entry: { correlationId: 1, resolve() {}, reject() {} }, expectResponse: true, sendRequest() {} });
      q.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
      setTimeout(() => { q.destroy(); console.log(checks); }, 500);`], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    // One check per response, then one per timer round: a 1 ms loop gives hundreds in 500 ms
    // (mended: one); over 50 holds even on a loaded machine.
    assert.ok(Number(r.stdout.trim()) > 50, `expected kafkajs's 1 ms loop, got ${r.stdout.trim()} checks in 500 ms`);
  });

  it('mended, a queue with nothing waiting keeps no timer after a response', async () => {
    mendKafkajsRequestQueue();
    const { q, sent, push } = queue();
    void push(1);
    assert.deepEqual(sent, [1]);
    q.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    assert.equal(q.throttleCheckTimeoutId, null);
    await sleep(20);
    assert.equal(q.throttleCheckTimeoutId, null);
  });

  it('mended, a waiting request is sent when the one in flight completes', async () => {
    mendKafkajsRequestQueue();
    const { q, sent, push } = queue(1);
    void push(1);
    void push(2);
    assert.deepEqual(sent, [1], 'one in flight at most');
    assert.equal(q.pending.length, 1);
    q.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    assert.deepEqual(sent, [1, 2]);
    q.fulfillRequest({ correlationId: 2, payload: null, size: 0 });
    await sleep(20);
    assert.equal(q.throttleCheckTimeoutId, null, 'nothing waits: no timer');
  });

  it('mended, a request that waits for a broker throttle is sent when it ends, not before', async () => {
    mendKafkajsRequestQueue();
    const { q, sent, push } = queue(null);
    q.maybeThrottle(80);
    const began = Date.now();
    void push(1);
    assert.deepEqual(sent, [], 'throttled: it waits');
    assert.notEqual(q.throttleCheckTimeoutId, null, 'a check is scheduled');
    while (sent.length === 0 && Date.now() - began < 2000) await sleep(5);
    assert.deepEqual(sent, [1]);
    assert.ok(Date.now() - began >= 75, `sent after ${Date.now() - began} ms, the throttle was 80 ms`);
    q.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    await sleep(20);
    assert.equal(q.throttleCheckTimeoutId, null);
  });

  it('scheduleCheckOfWaitingRequests sets one timer at most', () => {
    let checks = 0;
    const state = { pending: [1], throttledUntil: -1, throttleCheckTimeoutId: null as NodeJS.Timeout | null, checkPendingRequests: () => checks++, scheduleCheckPendingRequests: () => undefined };
    scheduleCheckOfWaitingRequests.call(state);
    const first = state.throttleCheckTimeoutId;
    assert.notEqual(first, null);
    scheduleCheckOfWaitingRequests.call(state);
    assert.equal(state.throttleCheckTimeoutId, first);
    clearTimeout(first!);
    assert.equal(checks, 0);
  });
});
