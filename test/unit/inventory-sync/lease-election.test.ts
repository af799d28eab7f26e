/**
 * Leader election rules: who may take the lease (free, or unrenewed for leaseDuration on the
 * local clock), what a claim writes, and the election loop against a small in-memory Lease store
 * that checks resourceVersions like the API server (409 on a stale write): two replicas never
 * lead at once, the survivor takes over after the lease expires, a leader whose renewals fail
 * stops leading within the renew deadline, a stopping leader hands the lease over at once, and
 * a resigning leader stops at once and starts a new term when it takes the lease again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApiError, type KubeApi } from '../../../src/inventory-sync/kube-client.ts';
import { claimedSpec, decideLease, LeaseElection, microTime, type LeaseObject } from '../../../src/inventory-sync/lease-election.ts';

describe('decideLease', () => {
  const spec = { holderIdentity: 'other', leaseDurationSeconds: 15 };
  it('renews our own lease, takes a free one, waits while another holder is within its duration', () => {
    assert.equal(decideLease({ ...spec, holderIdentity: 'me' }, 'me', 0, 1e9, 15), 'renew');
    assert.equal(decideLease({ ...spec, holderIdentity: '' }, 'me', 0, 1, 15), 'acquire');
    assert.equal(decideLease({ ...spec, holderIdentity: null }, 'me', 0, 1, 15), 'acquire');
    assert.equal(decideLease(spec, 'me', 1000, 1000 + 14_999, 15), 'wait');
    assert.equal(decideLease(spec, 'me', 1000, 1000 + 15_000, 15), 'acquire');
    assert.equal(decideLease({ holderIdentity: 'other' }, 'me', 0, 9_999, 10), 'wait', 'default duration when the lease has none');
  });

  it('a claim sets holder, times (MicroTime) and counts transitions only when the holder changes', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    assert.equal(microTime(now), '2026-01-02T03:04:05.678000Z');
    const taken = claimedSpec({ holderIdentity: 'other', leaseTransitions: 2, acquireTime: 'old' }, 'me', 15, now);
    assert.deepEqual(taken, { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 3 });
    const renewed = claimedSpec(taken, 'me', 15, new Date(now.getTime() + 5000));
    assert.equal(renewed.acquireTime, microTime(now));
    assert.equal(renewed.leaseTransitions, 3);
    assert.equal(claimedSpec(undefined, 'me', 15, now).leaseTransitions, 0);
  });
});

/** One Lease with optimistic concurrency, as the API server keeps it; `down` makes every call fail. */
class LeaseStore {
  lease: LeaseObject | undefined;
  private rv = 0;
  down = new Set<string>();
  writes: string[] = [];

  api(identity: string): KubeApi {
    return {
      request: async <T>(method: string, _path: string, body?: unknown): Promise<T> => {
        if (this.down.has(identity)) throw new Error('connect ECONNREFUSED');
        if (method === 'GET') {
          if (this.lease === undefined) throw new KubeApiError(404, method, _path, { code: 404 });
          return structuredClone(this.lease) as T;
        }
        const next = structuredClone(body) as LeaseObject;
        if (method === 'POST' && this.lease !== undefined) throw new KubeApiError(409, method, _path, { code: 409 });
        if (method === 'PUT' && next.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) throw new KubeApiError(409, method, _path, { code: 409 });
        next.metadata.resourceVersion = String(++this.rv);
        this.lease = next;
        this.writes.push(`${identity}:${next.spec?.holderIdentity ?? ''}`);
        return structuredClone(next) as T;
      },
      watch: async () => undefined,
    };
  }
}

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('LeaseElection', () => {
  const fast = { namespace: 'ns', name: 'sync', leaseDurationSeconds: 0.3, renewDeadlineMs: 200, retryPeriodMs: 20, renewIntervalMs: 50 };

  it('one leader at a time; the other takes over after the lease expires, the isolated one stops by its renew deadline', async () => {
    const store = new LeaseStore();
    const events: string[] = [];
    let bothLeading = false;
    const make = (identity: string): LeaseElection => new LeaseElection(store.api(identity), {
      ...fast, identity,
      onStartedLeading: () => events.push(`${identity} leads`),
      onStoppedLeading: (reason) => events.push(`${identity} stops: ${reason}`),
    });
    const a = make('a');
    const b = make('b');
    a.start();
    await until('a leads', () => a.isLeader(), 2000);
    b.start();
    const watcher = setInterval(() => (bothLeading ||= a.isLeader() && b.isLeader()), 1);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(b.isLeader(), false, 'b waits while a renews');

    // a loses the API server: it must stop leading within its renew deadline, before b may take over.
    store.down.add('a');
    const cutAt = Date.now();
    await until('a stops', () => !a.isLeader(), 1000);
    assert.ok(Date.now() - cutAt <= 260, `a stopped after ${Date.now() - cutAt} ms`);
    await until('b leads', () => b.isLeader(), 2000);
    clearInterval(watcher);
    assert.equal(bothLeading, false, 'never two leaders');
    assert.ok(events.includes('a leads') && events.includes('b leads'));
    assert.match(events.find((e) => e.startsWith('a stops')) ?? '', /no successful renewal/);
    await a.stop();
    await b.stop();
  });

  it('a stopping leader clears the holder, so the next replica takes the lease without waiting for expiry', async () => {
    const store = new LeaseStore();
    const a = new LeaseElection(store.api('a'), { ...fast, leaseDurationSeconds: 60, identity: 'a', onStartedLeading: () => undefined, onStoppedLeading: () => undefined });
    a.start();
    await until('a leads', () => a.isLeader(), 2000);
    await a.stop();
    assert.equal(store.lease?.spec?.holderIdentity ?? '', '');
    const b = new LeaseElection(store.api('b'), { ...fast, leaseDurationSeconds: 60, identity: 'b', onStartedLeading: () => undefined, onStoppedLeading: () => undefined });
    b.start();
    await until('b leads', () => b.isLeader(), 500);
    await b.stop();
  });

  it('a leader that resigns (its producer was fenced) stops at once, frees the lease and may lead again in a new term', async () => {
    const store = new LeaseStore();
    const events: string[] = [];
    const a = new LeaseElection(store.api('a'), {
      ...fast, leaseDurationSeconds: 60, identity: 'a',
      onStartedLeading: () => events.push('leads'), onStoppedLeading: (reason) => events.push(`stops: ${reason}`),
    });
    a.start();
    await until('a leads', () => a.isLeader(), 2000);
    await a.resign('fenced');
    assert.equal(a.isLeader(), false);
    assert.deepEqual(events, ['leads', 'stops: fenced']);
    assert.ok(store.writes.includes('a:'), 'the holder was cleared');
    await until('a leads again', () => a.isLeader(), 2000);
    assert.deepEqual(events, ['leads', 'stops: fenced', 'leads'], 'a new term: started-leading again');
    await a.stop();
  });
});
