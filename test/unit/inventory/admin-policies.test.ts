/**
 * The policy.networking.k8s.io admin policy kinds: known to the loader (keys, identity checks),
 * kept and counted by the inventory, published by `inventory apply`, not evaluated — every parse
 * says so, and the topic follower logs that warning once per distinct text, not once per record.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  Inventory, documentResourceKey, keyOf, loadResourceText, notEvaluatedWarning, type Resource,
} from '../../../src/inventory/index.ts';
import { InventoryChangeApplier, type ChangeLog } from '../../../src/inventory/topic/inventory-change-applier.ts';
import { resourceDocumentsFromText } from '../../../src/inventory/topic/resource-documents.ts';

const ANP = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: cluster-control}
spec:
  priority: 10
  subject: {namespaces: {}}
  ingress: [{name: deny-all, action: Deny, from: [{namespaces: {}}]}]
`;
const BANP = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress: [{name: deny-all, action: Deny, from: [{namespaces: {}}]}]
`;
const CNP = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: baseline-deny}
spec:
  tier: Baseline
  priority: 5
  subject: {namespaces: {}}
  ingress: [{name: deny-all, action: Deny, from: [{namespaces: {}}]}]
`;

describe('admin policy kinds', () => {
  it('are parsed with their keys and a not-evaluated warning each', () => {
    const r = loadResourceText([ANP, BANP, CNP].join('---\n'), 'admin.yaml');
    assert.deepEqual(r.resources.map(keyOf), [
      'AdminNetworkPolicy//cluster-control', 'BaselineAdminNetworkPolicy//default', 'ClusterNetworkPolicy//baseline-deny',
    ]);
    assert.deepEqual(r.resources.map((x) => ('priority' in x ? [x.priority, x.tier] : null)), [[10, null], [null, null], [5, 'Baseline']]);
    assert.deepEqual(r.issues.map((i) => [i.severity, i.message]), [
      ['warning', `admin.yaml: document 1: kind: ${notEvaluatedWarning('AdminNetworkPolicy')}`],
      ['warning', `admin.yaml: document 2: kind: ${notEvaluatedWarning('BaselineAdminNetworkPolicy')}`],
      ['warning', `admin.yaml: document 3: kind: ${notEvaluatedWarning('ClusterNetworkPolicy')}`],
    ]);
    assert.match(r.issues[0]!.reason, /stored but not evaluated.*may differ from Calico's/);
    assert.equal(documentResourceKey('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', undefined, 'x'), 'AdminNetworkPolicy//x');
    assert.equal(documentResourceKey('policy.networking.k8s.io/v1alpha1', 'BaselineAdminNetworkPolicy', undefined, 'default'), 'BaselineAdminNetworkPolicy//default');
    assert.equal(documentResourceKey('policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', 'ns-ignored', 'x'), 'ClusterNetworkPolicy//x');
    assert.equal(documentResourceKey('policy.networking.k8s.io/v1alpha2', 'AdminNetworkPolicy', undefined, 'x'), null, 'other versions stay unknown');
  });

  it('identity is validated: name required and valid; the baseline policy must be "default"; priority and tier checked', () => {
    const r = loadResourceText([
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {}\nspec: {priority: 1}\n',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: other}\nspec: {}\n',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: "a/b"}\nspec: {priority: 1}\n',
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: p}\nspec: {priority: 1001}\n',
      'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: c}\nspec: {tier: Middle, priority: 1}\n',
    ].join('---\n'), 'bad.yaml');
    assert.deepEqual(r.resources, []);
    assert.deepEqual(r.issues.map((i) => i.message), [
      'bad.yaml: document 1: metadata.name: required field is missing',
      'bad.yaml: document 2: metadata.name: a BaselineAdminNetworkPolicy must be named "default", got "other"',
      'bad.yaml: document 3: metadata.name: invalid name "a/b"',
      'bad.yaml: document 4: spec.priority: expected an integer 0–1000, got number 1001',
      'bad.yaml: document 5: spec.tier: invalid tier "Middle" (Admin or Baseline)',
    ]);
  });

  it('the inventory holds and counts them, deletes them by key, and verdicts do not change', () => {
    const base = loadResourceText(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: prod}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: prod}
status: {podIP: 10.0.0.2}
`, 'pods.yaml').resources;
    const admin = loadResourceText([ANP, BANP, CNP].join('---\n'), 'admin.yaml').resources;
    const plain = Inventory.fromResources(base);
    const inv = Inventory.fromResources([...base, ...admin]);
    assert.deepEqual(inv.counts(), { Pod: 2, AdminNetworkPolicy: 1, BaselineAdminNetworkPolicy: 1, ClusterNetworkPolicy: 1 });
    const flow = { srcIp: '10.0.0.1', dstIp: '10.0.0.2', protocol: 6, dstPort: 80 };
    assert.equal(inv.explain(flow).verdict, plain.explain(flow).verdict, 'not evaluated (yet)');
    const rev = inv.revision;
    assert.equal(inv.delete('ClusterNetworkPolicy//baseline-deny'), true);
    assert.equal(inv.revision, rev + 1);
    assert.equal(inv.counts().ClusterNetworkPolicy, undefined);
    assert.equal(inv.deleteDocument('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', undefined, 'cluster-control'), true);
    assert.equal(inv.get('AdminNetworkPolicy//cluster-control'), undefined);
  });

  it('inventory apply can publish them (a key and the parsed resource), with the warning', () => {
    const { documents, issues } = resourceDocumentsFromText([ANP, BANP, CNP].join('---\n'), 'admin.yaml');
    assert.deepEqual(documents.map((d) => d.key), [
      'AdminNetworkPolicy//cluster-control', 'BaselineAdminNetworkPolicy//default', 'ClusterNetworkPolicy//baseline-deny',
    ]);
    assert.deepEqual(issues.map((i) => i.severity), ['warning', 'warning', 'warning']);
  });
});

describe('follower warnings', () => {
  function anpDoc(i: number): Record<string, unknown> {
    return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: `anp-${i}` }, spec: { priority: i % 1000, subject: { namespaces: {} } } };
  }

  it('500 admin policies on the topic give one warning line at start (with the count), not 500', () => {
    const warnings: Array<{ fields: object; message: string }> = [];
    const log: ChangeLog = { warn: (fields, message) => warnings.push({ fields, message }), error: () => assert.fail('no errors expected') };
    const stored: Resource[] = [];
    const applier = new InventoryChangeApplier('inv', { upsert: (r) => stored.push(r), remove: () => undefined }, log, () => 0);
    for (let i = 0; i < 500; i++) {
      applier.apply({ key: `AdminNetworkPolicy//anp-${i}`, record: { document: anpDoc(i), origin: 't', appliedAt: '' }, offset: String(i), timestamp: i });
    }
    const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    applier.apply({ key: 'Widget//w', record: { document: unknown, origin: 't', appliedAt: '' }, offset: '500', timestamp: 500 });
    assert.equal(warnings.length, 0, 'nothing logged while reading the topic to its end');
    applier.caughtUp();
    assert.equal(stored.length, 500);
    assert.equal(applier.stats.warnings, 501);
    assert.deepEqual(warnings.map((w) => w.message), [
      `inventory records: ${notEvaluatedWarning('AdminNetworkPolicy')} (500 records)`,
      'inventory records: unknown kind "Widget" (apiVersion example.com/v1), skipped',
    ]);
    assert.deepEqual(warnings[0]!.fields, { records: 500, examples: ['AdminNetworkPolicy//anp-0', 'AdminNetworkPolicy//anp-1', 'AdminNetworkPolicy//anp-2'], topic: 'inv' });
    // Following: a known warning is only counted; a new one is logged once.
    applier.apply({ key: 'AdminNetworkPolicy//anp-500', record: { document: anpDoc(500), origin: 't', appliedAt: '' }, offset: '501', timestamp: 501 });
    assert.equal(warnings.length, 2);
    const banp = { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: {} };
    applier.apply({ key: 'BaselineAdminNetworkPolicy//default', record: { document: banp, origin: 't', appliedAt: '' }, offset: '502', timestamp: 502 });
    applier.apply({ key: 'BaselineAdminNetworkPolicy//default', record: { document: banp, origin: 't', appliedAt: '' }, offset: '503', timestamp: 503 });
    assert.deepEqual(warnings.slice(2).map((w) => w.message), [`inventory records: ${notEvaluatedWarning('BaselineAdminNetworkPolicy')}`]);
    assert.equal(applier.warningCounts().get(notEvaluatedWarning('AdminNetworkPolicy')), 501);
    assert.equal(applier.warningCounts().get(notEvaluatedWarning('BaselineAdminNetworkPolicy')), 2);
  });
});
