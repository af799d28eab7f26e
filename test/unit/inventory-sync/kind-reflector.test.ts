/**
 * The reflector's state machine against a scripted API (a fake is fine here: pure logic):
 * paginated list → watch from the list's resourceVersion → bookmark moves it → a network failure
 * resumes from it with backoff → 410 Gone relists, and the state reconciles (tombstone for the
 * object deleted while the watch was down, republish of a changed one, nothing for the unchanged);
 * an expired continue token lists again from scratch; 403 is reported once and retried slowly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterInventoryState, type DocumentConversion } from '../../../src/inventory-sync/cluster-inventory-state.ts';
import { KindReflector, type ApiObject } from '../../../src/inventory-sync/kind-reflector.ts';
import { KubeApiError, type KubeApi, type WatchEvent, type WatchOptions } from '../../../src/inventory-sync/kube-client.ts';
import { Backoff } from '../../../src/inventory-sync/retry-backoff.ts';
import type { ServedKind } from '../../../src/inventory-sync/synced-kinds.ts';

const PODS: ServedKind = { family: 'core/Pod', group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true };

type WatchStep = { events: WatchEvent[]; then: 'end' | Error; gate?: Promise<void> };
type ListStep = { items: Record<string, unknown>[]; resourceVersion: string; continue?: string } | Error;

/** A scripted API: list pages and watch streams in order; records every request path. */
class ScriptedApi implements KubeApi {
  readonly paths: string[] = [];
  constructor(private readonly lists: ListStep[], private readonly watches: WatchStep[]) {}

  async request<T>(_method: string, path: string): Promise<T> {
    this.paths.push(path);
    const step = this.lists.shift();
    if (step === undefined) throw new Error(`unexpected request ${path}`);
    if (step instanceof Error) throw step;
    return { metadata: { resourceVersion: step.resourceVersion, continue: step.continue }, items: step.items } as T;
  }

  async watch(path: string, onEvent: (e: WatchEvent) => void, options: WatchOptions): Promise<void> {
    this.paths.push(path);
    const step = this.watches.shift();
    if (step === undefined) {
      // Script exhausted: a quiet watch until stopped.
      await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
      return;
    }
    await step.gate;
    for (const e of step.events) onEvent(e);
    if (step.then instanceof Error) throw step.then;
  }
}

const pod = (name: string, rv: string, ip: string): Record<string, unknown> => ({ metadata: { name, namespace: 'shop', resourceVersion: rv }, status: { podIP: ip } });
const event = (type: WatchEvent['type'], object: Record<string, unknown>): WatchEvent => ({ type, object: { apiVersion: 'v1', kind: 'Pod', ...object } });

/** A conversion stand-in: the document is the pod's identity and IP (resourceVersion left out, as the real one does). */
const convert = (o: ApiObject): DocumentConversion => ({
  ok: true, warnings: [],
  document: { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace }, status: { podIP: (o.status as { podIP: string }).podIP } },
});
const keyOf = (d: Record<string, unknown>): string => `Pod/${(d.metadata as { namespace: string }).namespace}/${(d.metadata as { name: string }).name}`;

async function until(what: string, check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function publishAll(state: ClusterInventoryState): Map<string, string | null> {
  const batch = state.takeBatch(1000, 1, 'test');
  state.acknowledge(batch);
  return new Map(batch.map((m) => [m.key, m.value === null ? null : (JSON.parse(m.value) as { document: { status: { podIP: string } } }).document.status.podIP]));
}

describe('KindReflector', () => {
  it('lists, watches from the list RV, follows bookmarks, resumes after an error and reconciles after 410 Gone', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api = new ScriptedApi(
      [
        { items: [pod('a', '10', '10.0.0.1')], resourceVersion: '0', continue: 'page2' },
        { items: [pod('b', '11', '10.0.0.2'), pod('c', '12', '10.0.0.3')], resourceVersion: '20' },
        // The relist after 410: b was deleted and c changed while the watch was down; a unchanged.
        { items: [pod('a', '10', '10.0.0.1'), pod('c', '31', '10.0.0.33'), pod('d', '32', '10.0.0.4')], resourceVersion: '40' },
      ],
      [
        { gate, events: [event('MODIFIED', pod('a', '21', '10.0.0.1')), event('BOOKMARK', { metadata: { resourceVersion: '25' } })], then: new Error('socket hang up') },
        { events: [event('ERROR', { kind: 'Status', code: 410, message: 'too old resource version: 25 (30)' })], then: 'end' },
      ],
    );
    const state = new ClusterInventoryState('test', { convert, keyOf });
    state.loadPublished(new Map());
    const restarts: string[] = [];
    const relisted: boolean[] = [];
    const reflector = new KindReflector(api, PODS, state.sinkFor(PODS), {
      watchRestarted: (reason) => restarts.push(reason),
      listed: (_n, _rv, relist) => relisted.push(relist),
    }, { backoff: new Backoff({ initialMs: 1, maxMs: 2, random: () => 0 }), watchTimeoutSeconds: () => 300 });

    reflector.start();
    await until('first list', () => relisted.length === 1);
    // Published before the watch delivers anything: the first complete list.
    assert.deepEqual(Object.fromEntries(publishAll(state)), { 'Pod/shop/a': '10.0.0.1', 'Pod/shop/b': '10.0.0.2', 'Pod/shop/c': '10.0.0.3' });
    release();
    await until('relist', () => relisted.length === 2);
    await until('watch after relist', () => api.paths.length === 6);
    await reflector.stop();

    assert.deepEqual(api.paths, [
      '/api/v1/pods?limit=500',
      '/api/v1/pods?limit=500&continue=page2',
      '/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=20',
      // Resumed from the bookmark's resourceVersion after the network error, not relisted.
      '/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=25',
      '/api/v1/pods?limit=500',
      '/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=40',
    ]);
    assert.deepEqual(restarts, ['error', 'gone']);
    assert.deepEqual(relisted, [false, true]);
    // The relist's reconcile: b tombstoned, c republished, d new; a's MODIFIED (rv only) and relist published nothing.
    assert.deepEqual(Object.fromEntries(publishAll(state)), { 'Pod/shop/b': null, 'Pod/shop/c': '10.0.0.33', 'Pod/shop/d': '10.0.0.4' });
    assert.equal(state.pendingCount, 0);
  });

  it('lists again from scratch when the continue token expired (410 on a page)', async () => {
    const expired = new KubeApiError(410, 'GET', '/api/v1/pods', { code: 410, reason: 'Expired', message: 'continue token expired' });
    const api = new ScriptedApi(
      [
        { items: [pod('a', '1', '10.0.0.1')], resourceVersion: '', continue: 'old' },
        expired,
        { items: [pod('a', '1', '10.0.0.1'), pod('b', '2', '10.0.0.2')], resourceVersion: '50' },
      ],
      [],
    );
    const seen: string[][] = [];
    const reflector = new KindReflector(api, PODS, {
      replace: (objects) => seen.push(objects.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.name}`)),
      upsert: () => undefined,
      remove: () => undefined,
    }, {}, { backoff: new Backoff({ initialMs: 1, maxMs: 2 }), watchTimeoutSeconds: () => 60 });
    reflector.start();
    await until('list', () => seen.length === 1);
    await until('watch', () => api.paths.length === 4);
    await reflector.stop();
    assert.deepEqual(seen, [['v1/Pod/a', 'v1/Pod/b']], 'only the complete list reaches the sink, with apiVersion and kind filled in');
    assert.deepEqual(api.paths.slice(0, 3), ['/api/v1/pods?limit=500', '/api/v1/pods?limit=500&continue=old', '/api/v1/pods?limit=500']);
    assert.equal(api.paths[3], '/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=60&resourceVersion=50');
  });

  it('reports 403 once per streak, retries slowly, and says when access is granted', async () => {
    const forbidden = new KubeApiError(403, 'GET', '/api/v1/pods', { code: 403, reason: 'Forbidden', message: 'pods is forbidden: User "system:serviceaccount:seg:sync" cannot list resource "pods" in API group "" at the cluster scope' });
    const api = new ScriptedApi([forbidden, forbidden, forbidden, { items: [], resourceVersion: '7' }], []);
    const reports: string[] = [];
    const reflector = new KindReflector(api, PODS, { replace: () => undefined, upsert: () => undefined, remove: () => undefined }, {
      forbidden: (verb, err) => reports.push(`forbidden ${verb} ${err.status}`),
      allowed: () => reports.push('allowed'),
      listFailed: () => reports.push('list failed'),
    }, { forbiddenRetryMs: 20, backoff: new Backoff({ initialMs: 1000, maxMs: 1000 }) });
    reflector.start();
    await until('forbidden', () => reflector.forbidden);
    assert.equal(reflector.phase, 'forbidden');
    await until('synced', () => reflector.synced, 3000);
    await reflector.stop();
    assert.deepEqual(reports, ['forbidden list 403', 'allowed']);
    assert.equal(reflector.forbidden, false);
  });
});

describe('Backoff', () => {
  it('doubles from the initial delay to the cap, jittered within [d/2, d], and resets', () => {
    let r = 0;
    const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => r });
    assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [50, 100, 200, 400, 500, 500]);
    r = 0.999;
    b.reset();
    const first = b.next();
    assert.ok(first >= 99 && first <= 100, String(first));
  });
});
