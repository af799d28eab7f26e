/**
 * Change times: the inventory topic's message timestamps drive each IP's ownership history, so a
 * flow at time t resolves to the endpoint that held the address at t — across IP reuse, with
 * creation times that precede the previous owner's release, and with change times that go
 * backwards across producers. The change applier (the follower's pure part) hands every
 * upsert and removal its message time.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Inventory, loadResourceText, type Resource } from '../../../src/inventory/index.ts';
import { changeTime, InventoryChangeApplier, type ChangeLog } from '../../../src/inventory/topic/inventory-change-applier.ts';
import type { InventoryChange } from '../../../src/inventory/topic/inventory-snapshot.ts';
import { messageTimestamp } from '../../../src/inventory/topic/inventory-snapshot.ts';

const IP = '10.0.0.7';

function podDoc(name: string, ip: string | null, createdAt?: number, labels: Record<string, string> = { app: name }): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'prod', labels, ...(createdAt === undefined ? {} : { creationTimestamp: new Date(createdAt).toISOString() }) },
    spec: { nodeName: 'node-1' },
    status: ip === null ? { phase: 'Pending' } : { phase: 'Running', podIP: ip },
  };
}

function pod(name: string, ip: string | null, createdAt?: number, labels?: Record<string, string>): Resource {
  const r = loadResourceText(JSON.stringify(podDoc(name, ip, createdAt, labels)), 'test.json');
  assert.deepEqual(r.issues.map((i) => i.message), []);
  return r.resources[0] as Resource;
}

const owner = (inv: Inventory, t: number): string | null => inv.endpointAt(IP, t)?.resource.name ?? null;

/** Every ownership ends no earlier than it starts, and successive owners do not overlap. */
function assertOrderedHistory(inv: Inventory, ip = IP): void {
  const h = inv.endpoints.history(ip);
  for (const o of h) assert.ok(o.to >= o.from, `ownership of ${o.snapshot.resource.name} [${o.from}, ${o.to}) ends before it starts`);
  for (let i = 1; i < h.length; i++) {
    const prev = h[i - 1]!;
    const next = h[i]!;
    if (prev.to !== Infinity) assert.ok(next.from >= prev.to, `${next.snapshot.resource.name} starts at ${next.from}, before ${prev.snapshot.resource.name} released at ${prev.to}`);
  }
}

describe('IP reuse with change times', () => {
  it('A -> B: a newer pod created before A released the IP starts owning it at the release', () => {
    const inv = new Inventory();
    inv.apply(pod('a', IP, 1000), { at: 1000 });
    inv.delete('Pod/prod/a', { at: 5000 });
    // B was created (pending) at 4000, while A still held the IP, and is first heard of at 6000.
    inv.apply(pod('b', IP, 4000), { at: 6000 });
    assert.equal(owner(inv, 500), null, 'before A was created');
    assert.equal(owner(inv, 1000), 'a');
    assert.equal(owner(inv, 4500), 'a', 'between B\'s creation and A\'s release the IP was still A\'s');
    assert.equal(owner(inv, 4999), 'a');
    assert.equal(owner(inv, 5000), 'b');
    assert.equal(owner(inv, 5500), 'b', 'after the release B (created earlier) is the owner');
    assert.equal(owner(inv, 7000), 'b');
    assert.equal(inv.resolve(IP, 4500).name, 'a');
    assert.deepEqual(inv.endpoints.ownersAt(IP, 4500).map((s) => s.resource.name), ['a'], 'no overlap: one owner');
    assertOrderedHistory(inv);
  });

  it('a pod already known that gains the IP later owns it from that change, not from its creation', () => {
    const inv = new Inventory();
    inv.apply(pod('a', IP, 1000), { at: 1000 });
    inv.apply(pod('b', null, 4000), { at: 4000 });
    inv.delete('Pod/prod/a', { at: 5000 });
    inv.apply(pod('b', IP, 4000), { at: 6000 });
    assert.equal(owner(inv, 4500), 'a');
    assert.equal(owner(inv, 5500), null, 'the IP was free between the release and the assignment');
    assert.equal(owner(inv, 6000), 'b');
    assertOrderedHistory(inv);
  });

  it('without creation times: the gap after a release belongs to the next owner', () => {
    const inv = new Inventory();
    inv.apply(pod('a', IP), { at: 1000 });
    inv.delete('Pod/prod/a', { at: 2000 });
    inv.apply(pod('b', IP), { at: 2500 });
    assert.equal(owner(inv, 1500), 'a');
    assert.equal(owner(inv, 2200), 'b');
    assertOrderedHistory(inv);
  });

  it('change times going backwards across producers never give an ownership with to < from', () => {
    const inv = new Inventory();
    inv.apply(pod('a', IP), { at: 1000 });
    inv.delete('Pod/prod/a', { at: 5000 });
    // Another producer, its clock behind: B appears "at 4800" and is deleted "at 4900".
    inv.apply(pod('b', IP), { at: 4800 });
    assert.equal(owner(inv, 4850), 'a', 'B cannot own the IP before A released it');
    assert.equal(owner(inv, 5100), 'b');
    inv.delete('Pod/prod/b', { at: 4900 });
    assertOrderedHistory(inv);
    const [, b] = inv.endpoints.history(IP);
    assert.equal(b?.from, 5000);
    assert.equal(b?.to, 5000, 'closed no earlier than it began (an empty interval)');
    // The same key going backwards: an update stamped before the previous one continues from it.
    inv.apply(pod('c', IP), { at: 9000 });
    inv.apply(pod('c', IP, undefined, { app: 'c', v: '2' }), { at: 8000 });
    assertOrderedHistory(inv);
    assert.equal(inv.endpointAt(IP, 9500)?.labels.get('v'), '2');
  });

  it('a change time earlier than the resource\'s creation counts as the creation time', () => {
    const inv = new Inventory();
    inv.apply(pod('c', IP, 10_000), { at: 2000 });
    assert.equal(owner(inv, 5000), null, 'no ownership before the pod existed');
    assert.equal(owner(inv, 10_000), 'c');
    assertOrderedHistory(inv);
  });

  it('a record read long after its change keeps the change time (a replica that starts late)', () => {
    const inv = new Inventory();
    // As the follower replays a topic: A's record, A's tombstone, B's record, each at its own time.
    inv.apply(pod('a', IP), { at: 1000 });
    inv.delete('Pod/prod/a', { at: 3000 });
    inv.apply(pod('b', IP), { at: 3500 });
    assert.equal(owner(inv, 2000), 'a');
    assert.equal(owner(inv, 3200), 'b');
  });
});

describe('message timestamps', () => {
  it('Kafka timestamps: milliseconds as text; -1, empty or garbage is none', () => {
    assert.equal(messageTimestamp('1767225600000'), 1_767_225_600_000);
    assert.equal(messageTimestamp('-1'), null);
    assert.equal(messageTimestamp(''), null);
    assert.equal(messageTimestamp(undefined), null);
    assert.equal(messageTimestamp('soon'), null);
  });

  it('a change time is the message time, never after it was read, and the read time without one', () => {
    assert.equal(changeTime(1000, 5000), 1000);
    assert.equal(changeTime(9000, 5000), 5000, 'a producer clock ahead does not date a change into the future');
    assert.equal(changeTime(null, 5000), 5000);
  });
});

interface SinkCall { op: 'upsert' | 'remove'; key: string; at: number }

function recordingApplier(now = 100_000): { applier: InventoryChangeApplier; calls: SinkCall[]; warnings: string[]; errors: string[] } {
  const calls: SinkCall[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const log: ChangeLog = { warn: (_f, m) => warnings.push(m), error: (_f, m) => errors.push(m) };
  const applier = new InventoryChangeApplier('inv', {
    upsert: (r, at) => calls.push({ op: 'upsert', key: `${r.kind}/${'namespace' in r ? r.namespace ?? '' : ''}/${r.name}`, at }),
    remove: (key, at) => calls.push({ op: 'remove', key, at }),
  }, log, () => now);
  return { applier, calls, warnings, errors };
}

function change(key: string, document: Record<string, unknown> | null, offset: number, timestamp: number | null): InventoryChange {
  return { key, record: document === null ? null : { document, origin: 'test', appliedAt: '' }, offset: String(offset), timestamp };
}

describe('inventory change applier', () => {
  it('passes each record\'s and each tombstone\'s timestamp to the sink', () => {
    const { applier, calls } = recordingApplier();
    applier.apply(change('Pod/prod/a', podDoc('a', IP), 0, 1000));
    applier.apply(change('Pod/prod/a', null, 1, 5000));
    applier.apply(change('Pod/prod/b', podDoc('b', IP), 2, 6000));
    applier.apply(change('Pod/prod/c', podDoc('c', '10.0.0.9'), 3, null));
    applier.apply(change('Pod/prod/d', podDoc('d', '10.0.0.10'), 4, 200_000));
    assert.deepEqual(calls, [
      { op: 'upsert', key: 'Pod/prod/a', at: 1000 },
      { op: 'remove', key: 'Pod/prod/a', at: 5000 },
      { op: 'upsert', key: 'Pod/prod/b', at: 6000 },
      { op: 'upsert', key: 'Pod/prod/c', at: 100_000 },
      { op: 'upsert', key: 'Pod/prod/d', at: 100_000 },
    ]);
    assert.equal(applier.stats.applied, 4);
    assert.equal(applier.stats.deleted, 1);
    assert.equal(applier.stats.lastOffset, '4');
  });

  it('a document that no longer yields a resource removes it at the record\'s time', () => {
    const { applier, calls, errors } = recordingApplier();
    applier.apply(change('Pod/prod/a', podDoc('a', IP), 0, 1000));
    applier.apply(change('Pod/prod/a', { ...podDoc('a', IP), status: { podIP: 'not-an-ip' } }, 1, 2000));
    assert.deepEqual(calls.at(-1), { op: 'remove', key: 'Pod/prod/a', at: 2000 });
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /inv@1: document 1: status\.podIP: invalid IP address "not-an-ip"/);
  });

  it('an inventory fed by the applier resolves IP reuse by the topic\'s times, not by when it read them', () => {
    const inv = new Inventory();
    const log: ChangeLog = { warn: () => undefined, error: () => undefined };
    const applier = new InventoryChangeApplier('inv', {
      upsert: (r, at) => inv.apply(r, { at }),
      remove: (k, at) => inv.delete(k, { at }),
    }, log, () => 1_000_000);
    applier.apply(change('Pod/prod/a', podDoc('a', IP, 1000), 0, 1000));
    applier.apply(change('Pod/prod/a', null, 1, 5000));
    applier.apply(change('Pod/prod/b', podDoc('b', IP, 4000), 2, 6000));
    assert.equal(owner(inv, 4500), 'a');
    assert.equal(owner(inv, 5500), 'b');
    assert.equal(owner(inv, 999_999), 'b');
    assertOrderedHistory(inv);
  });
});
