/**
 * The desired/published bookkeeping: a reconcile against the topic tombstones only this cluster's
 * keys of kinds whose state is known (listed, or not served), never `inventory apply`'s or another
 * cluster's; identical documents are not sent again; pending changes are keyed (latest wins) and
 * survive a failed send; a change made while a batch is in flight is sent after it; the Kafka
 * timestamp is the observation time; a Calico kind switching API form tombstones nothing it keeps;
 * the batches of one transaction skip its keys and respect a byte budget.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterInventoryState, originKind, syncedRecordJson, type DocumentConversion } from '../../../src/inventory-sync/cluster-inventory-state.ts';
import type { ApiObject } from '../../../src/inventory-sync/kind-reflector.ts';
import type { ServedKind } from '../../../src/inventory-sync/synced-kinds.ts';

const PODS: ServedKind = { family: 'core/Pod', group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true };
const TIERS_V1: ServedKind = { family: 'calico/Tier', group: 'crd.projectcalico.org', version: 'v1', kind: 'Tier', resource: 'tiers', namespaced: false };
const TIERS_V3: ServedKind = { ...TIERS_V1, group: 'projectcalico.org', version: 'v3' };

const convert = (o: ApiObject): DocumentConversion => ({
  ok: true, warnings: [],
  document: { apiVersion: o.kind === 'Tier' ? 'projectcalico.org/v3' : 'v1', kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace }, spec: o.spec },
});
const keyOf = (d: Record<string, unknown>): string => `${String(d.kind)}/${(d.metadata as { namespace?: string }).namespace ?? ''}/${(d.metadata as { name: string }).name}`;
const obj = (kind: ServedKind, name: string, spec: unknown, rv = '1'): ApiObject => ({
  apiVersion: kind.group ? `${kind.group}/${kind.version}` : 'v1', kind: kind.kind,
  metadata: { name, ...(kind.namespaced ? { namespace: 'ns' } : {}), resourceVersion: rv }, spec,
});
type TopicRecord = { document: Record<string, unknown>; origin: string };
const record = (origin: string, spec: unknown = 'x'): TopicRecord => ({ document: { spec }, origin });

function summary(batch: ReturnType<ClusterInventoryState['takeBatch']>): Record<string, string> {
  return Object.fromEntries(batch.map((m) => [m.key, m.value === null ? `tombstone@${m.observedAt}` : `${JSON.stringify((JSON.parse(m.value) as { document: { spec: unknown } }).document.spec)}@${m.observedAt}`]));
}

describe('ClusterInventoryState', () => {
  it('reconciles against the topic: only its own stale keys of known kinds are tombstoned', () => {
    const state = new ClusterInventoryState('prod', { convert, keyOf });
    const pods = state.sinkFor(PODS);
    state.loadPublished(new Map<string, TopicRecord>([
      ['Pod/ns/gone', record('kubernetes:prod:v1/Pod/ns/gone@5')],
      ['Pod/ns/applied', record('examples/shop/inventory.yaml: document 3')],
      ['Pod/ns/other-cluster', record('kubernetes:staging:v1/Pod/ns/other-cluster@9')],
      ['Tier//old', record('kubernetes:prod:crd.projectcalico.org/v1/Tier//old@3')],
      ['Pod/ns/same', { document: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'same', namespace: 'ns' }, spec: 1 }, origin: 'kubernetes:prod:v1/Pod/ns/same@1' }],
    ]));
    // Nothing is known yet: no tombstone before the kind was listed.
    assert.deepEqual(summary(state.takeBatch(100, 7, 'w')), {});
    pods.replace([obj(PODS, 'same', 1, '2'), obj(PODS, 'new', 2)], 100);
    const batch = state.takeBatch(100, 7, 'w');
    assert.deepEqual(summary(batch), { 'Pod/ns/new': '2@100', 'Pod/ns/gone': 'tombstone@7' }, 'unchanged document not re-sent; other origins untouched; Tier not listed yet');
    state.acknowledge(batch);
    state.markAbsent('calico/Tier');
    assert.deepEqual(summary(state.takeBatch(100, 8, 'w')), { 'Tier//old': 'tombstone@8' }, 'a family known not to be served loses its keys');
  });

  it('keeps pending changes keyed (latest wins), across a failed send and an in-flight batch', () => {
    const state = new ClusterInventoryState('prod', { convert, keyOf });
    const pods = state.sinkFor(PODS);
    state.loadPublished(new Map());
    pods.replace([], 1);
    pods.upsert(obj(PODS, 'a', 1), 10);
    pods.upsert(obj(PODS, 'a', 2), 11);
    const failed = state.takeBatch(100, 12, 'w');
    assert.deepEqual(summary(failed), { 'Pod/ns/a': '2@11' });
    // The send failed: nothing acknowledged, the same change is taken again.
    const inFlight = state.takeBatch(100, 13, 'w');
    assert.deepEqual(summary(inFlight), { 'Pod/ns/a': '2@11' });
    pods.upsert(obj(PODS, 'a', 3), 14);
    state.acknowledge(inFlight);
    assert.deepEqual(summary(state.takeBatch(100, 15, 'w')), { 'Pod/ns/a': '3@14' }, 'the change made during the send follows it');
    pods.remove(obj(PODS, 'a', 3), 20);
    const tomb = state.takeBatch(100, 25, 'w');
    assert.deepEqual(summary(tomb), { 'Pod/ns/a': 'tombstone@20' }, 'tombstone stamped with the time the deletion was observed');
    state.acknowledge(tomb);
    assert.equal(state.takeBatch(100, 30, 'w').length, 0);
    const value = JSON.parse(failed[0]!.value!) as { origin: string; writer: string; appliedAt: string };
    assert.equal(value.origin, 'kubernetes:prod:v1/Pod/ns/a@1');
    assert.equal(value.writer, 'w');
    assert.equal(value.appliedAt, new Date(12).toISOString());
  });

  it('a follower publishes nothing; on taking over it sends every difference', () => {
    const state = new ClusterInventoryState('prod', { convert, keyOf });
    const pods = state.sinkFor(PODS);
    pods.replace([obj(PODS, 'a', 1)], 5);
    pods.remove(obj(PODS, 'a', 1), 6);
    pods.upsert(obj(PODS, 'b', 1), 7);
    assert.equal(state.takeBatch(100, 8, 'w').length, 0, 'not loaded: nothing to send');
    state.loadPublished(new Map([['Pod/ns/a', record('kubernetes:prod:v1/Pod/ns/a@1', 1)]]));
    assert.deepEqual(summary(state.takeBatch(100, 9, 'w')), { 'Pod/ns/b': '1@7', 'Pod/ns/a': 'tombstone@6' });
  });

  it('a Calico kind switching from the backend CRDs to v3 keeps its keys (no tombstone, no resend)', () => {
    const state = new ClusterInventoryState('prod', { convert, keyOf });
    const v1 = state.sinkFor(TIERS_V1);
    state.loadPublished(new Map());
    v1.replace([obj(TIERS_V1, 'security', { order: 1 }), obj(TIERS_V1, 'gone', { order: 2 })], 1);
    state.acknowledge(state.takeBatch(100, 2, 'w'));
    state.uncover('calico/Tier');
    state.sinkFor(TIERS_V3).replace([obj(TIERS_V3, 'security', { order: 1 })], 3);
    assert.deepEqual(summary(state.takeBatch(100, 4, 'w')), { 'Tier//gone': 'tombstone@3' });
  });

  it('batches for one transaction: keys already in it are skipped, a byte budget bounds a batch (one message at least)', () => {
    const state = new ClusterInventoryState('prod', { convert, keyOf });
    const pods = state.sinkFor(PODS);
    state.loadPublished(new Map());
    pods.replace(['a', 'b', 'c', 'd'].map((n) => obj(PODS, n, 'x'.repeat(100))), 1);
    const size = state.takeBatch(1, 2, 'w')[0]!.value!.length;
    const first = state.takeBatch(100, 2, 'w', { maxBytes: size * 2 });
    assert.deepEqual(first.map((m) => m.key), ['Pod/ns/a', 'Pod/ns/b'], 'two values fit the budget');
    const second = state.takeBatch(100, 2, 'w', { exclude: new Set(first.map((m) => m.key)), maxBytes: size * 2 + 1 });
    assert.deepEqual(second.map((m) => m.key), ['Pod/ns/c', 'Pod/ns/d']);
    assert.deepEqual(state.takeBatch(100, 2, 'w', { maxBytes: 1 }).map((m) => m.key), ['Pod/ns/a'], 'a value larger than the budget still goes, alone');
    assert.equal(state.takeBatch(100, 2, 'w', { exclude: new Set(['Pod/ns/a', 'Pod/ns/b', 'Pod/ns/c', 'Pod/ns/d']) }).length, 0);
    assert.equal(state.pendingCount, 4, 'nothing acknowledged: all still pending');
  });

  it('builds the record JSON around the document JSON, equal to serialising the record', () => {
    const document = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a "quoted" name', labels: { 'x/y': 'ü\n' } }, spec: [1, null, { z: true }] };
    const origin = 'kubernetes:prod:v1/Pod/ns/a "b"@1';
    assert.equal(syncedRecordJson(JSON.stringify(document), origin, '2026-01-01T00:00:00.000Z', 'pod-"1"'),
      JSON.stringify({ document, origin, appliedAt: '2026-01-01T00:00:00.000Z', writer: 'pod-"1"' }));
  });

  it('reads the kind of its own origins (core and grouped), nothing of others', () => {
    const p = 'kubernetes:c:';
    assert.deepEqual(originKind(`${p}v1/Pod/ns/a@1`, p), { apiVersion: 'v1', kind: 'Pod' });
    assert.deepEqual(originKind(`${p}crd.projectcalico.org/v1/Tier//t@1`, p), { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier' });
    assert.equal(originKind('kubernetes:other:v1/Pod/ns/a@1', p), undefined);
    assert.equal(originKind(`${p}garbage`, p), undefined);
  });
});
