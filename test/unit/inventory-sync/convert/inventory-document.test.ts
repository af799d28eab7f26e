/**
 * Live API objects → inventory documents: Calico's backend form (crd.projectcalico.org/v1) to the
 * v3 form as libcalico-go converts it, v3 and Kubernetes objects cleaned to what the loader reads.
 * Every converted document must be accepted by the loader and have the expected topic key, and a
 * no-op change (resourceVersion, managedFields, status heartbeats) must give an identical one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryDocumentOf, type KubeObject } from '../../../../src/inventory-sync/convert/inventory-document.ts';
import { parseDocument } from '../../../../src/inventory/loader/parse-resource.ts';
import { documentKey } from '../../../../src/inventory/topic/resource-documents.ts';

type Obj = Record<string, unknown>;

const CR_UID = '30316465-6365-4463-ad63-3564622d3638';
const V3_UID = '0c8c26a6-c6a6-44c6-adc6-ac2646b46c1c';
const NOISE = {
  resourceVersion: '4711', generation: 3,
  managedFields: [{ manager: 'kubectl', operation: 'Update', time: '2026-05-01T00:00:00Z' }],
  annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}' },
};

/** Converts, expecting success; checks the loader accepts the document and its key. */
function convert(object: Obj, key: string | null): { document: Obj; warnings: readonly string[] } {
  const result = inventoryDocumentOf(object as unknown as KubeObject);
  if (!result.ok) assert.fail(`expected a document, got errors: ${result.errors.join('; ')}`);
  const parsed = parseDocument(result.document, { file: 'converted', document: 1 });
  assert.deepEqual(parsed.issues.filter((i) => i.severity === 'error').map((i) => i.message), [], 'the loader accepts the document');
  assert.equal(documentKey(result.document), key);
  return { document: result.document, warnings: result.warnings };
}

function errorsOf(object: unknown): { errors: readonly string[]; derivedFrom: string | undefined } {
  const result = inventoryDocumentOf(object as KubeObject);
  if (result.ok) assert.fail(`expected errors, got ${JSON.stringify(result.document)}`);
  return { errors: result.errors, derivedFrom: result.derivedFrom };
}

const calicoMeta = (v3: Obj): string => JSON.stringify(v3);

describe('inventoryDocumentOf: Calico backend (crd.projectcalico.org/v1) → projectcalico.org/v3', () => {
  interface NameCase { title: string; kind: string; crName: string; tier?: string; annotation?: Obj; v3Name: string; key: string }
  const nameCases: NameCase[] = [
    { title: 'Calico ≥ 3.30: v3 name from the metadata annotation', kind: 'NetworkPolicy', crName: 'allow-web', annotation: { name: 'allow-web' }, v3Name: 'allow-web', key: 'NetworkPolicy/shop/allow-web' },
    { title: 'Calico < 3.30 (annotation without name): default. prefix removed in the default tier', kind: 'NetworkPolicy', crName: 'default.allow-web', annotation: { creationTimestamp: null }, v3Name: 'allow-web', key: 'NetworkPolicy/shop/allow-web' },
    { title: 'empty spec.tier counts as the default tier', kind: 'NetworkPolicy', crName: 'default.allow-web', tier: '', annotation: {}, v3Name: 'allow-web', key: 'NetworkPolicy/shop/allow-web' },
    { title: 'another tier keeps its prefix (it is part of the v3 name there)', kind: 'NetworkPolicy', crName: 'security.allow-web', tier: 'security', annotation: {}, v3Name: 'security.allow-web', key: 'NetworkPolicy/shop/security.allow-web' },
    { title: 'a name without prefix in the default tier stays', kind: 'GlobalNetworkPolicy', crName: 'deny-all', annotation: {}, v3Name: 'deny-all', key: 'GlobalNetworkPolicy//deny-all' },
    { title: 'no annotation at all: the stored name as it is (Calico converts nothing)', kind: 'NetworkPolicy', crName: 'default.raw', v3Name: 'default.raw', key: 'NetworkPolicy/shop/default.raw' },
    { title: 'annotation name wins over the stored name', kind: 'GlobalNetworkPolicy', crName: 'security.block', tier: 'security', annotation: { name: 'block' }, v3Name: 'block', key: 'GlobalNetworkPolicy//block' },
    { title: 'staged global policy', kind: 'StagedGlobalNetworkPolicy', crName: 'default.try-deny', annotation: {}, v3Name: 'try-deny', key: 'StagedGlobalNetworkPolicy//try-deny' },
    { title: 'staged namespaced policy in a tier', kind: 'StagedNetworkPolicy', crName: 'security.try', tier: 'security', annotation: {}, v3Name: 'security.try', key: 'StagedNetworkPolicy/shop/security.try' },
  ];
  for (const c of nameCases) {
    it(`names: ${c.title}`, () => {
      const namespaced = !c.kind.includes('Global');
      const spec: Obj = { selector: "app == 'web'", types: ['Ingress'], ingress: [{ action: 'Allow' }] };
      if (c.tier !== undefined) spec.tier = c.tier;
      const object = {
        apiVersion: 'crd.projectcalico.org/v1', kind: c.kind,
        metadata: {
          name: c.crName, ...(namespaced ? { namespace: 'shop' } : {}), uid: CR_UID, ...NOISE,
          ...(c.annotation ? { annotations: { ...NOISE.annotations, 'projectcalico.org/metadata': calicoMeta(c.annotation) } } : {}),
        },
        spec,
      };
      const { document } = convert(object, c.key);
      const meta = document.metadata as Obj;
      assert.equal(document.apiVersion, 'projectcalico.org/v3');
      assert.equal(meta.name, c.v3Name);
      assert.equal(meta.uid, V3_UID, 'Calico shows the converted UID');
      assert.equal((document.spec as Obj).tier, c.tier || 'default');
    });
  }

  it('metadata: annotation labels merge over stored ones, its creationTimestamp wins, the tier label is defaulted, noise is dropped', () => {
    const { document } = convert({
      apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy',
      metadata: {
        name: 'allow-web', namespace: 'shop', uid: CR_UID, creationTimestamp: '2026-03-03T00:00:00Z', ...NOISE,
        labels: { a: 'stored', 'projectcalico.org/keep': 'x' },
        annotations: { 'projectcalico.org/metadata': calicoMeta({ name: 'allow-web', creationTimestamp: '2026-01-01T00:00:00Z', labels: { a: 'v3', b: 'v3' } }), other: 'dropped' },
        ownerReferences: [{ apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 'x', uid: CR_UID }],
      },
      spec: { tier: 'default', selector: 'all()', types: ['Ingress'] },
    }, 'NetworkPolicy/shop/allow-web');
    assert.deepEqual(document.metadata, {
      name: 'allow-web', namespace: 'shop', uid: V3_UID, creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { a: 'v3', b: 'v3', 'projectcalico.org/keep': 'x', 'projectcalico.org/tier': 'default' },
    });
  });

  it('metadata: a zero/null creationTimestamp in the annotation falls back to the stored one', () => {
    for (const stamp of [null, '0001-01-01T00:00:00Z', undefined]) {
      const { document } = convert({
        apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkSet',
        metadata: { name: 'blocklist', creationTimestamp: '2026-03-03T00:00:00Z', annotations: { 'projectcalico.org/metadata': calicoMeta({ creationTimestamp: stamp }) } },
        spec: { nets: ['198.51.100.0/24'] },
      }, 'GlobalNetworkSet//blocklist');
      assert.equal((document.metadata as Obj).creationTimestamp, '2026-03-03T00:00:00Z', String(stamp));
    }
  });

  it('policy types: kept when stored; when not stored the document says both directions, as Felix applies it', () => {
    const stored = convert({ apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'p' }, spec: { tier: 'default', types: ['Egress'], egress: [{ action: 'Deny' }] } }, 'GlobalNetworkPolicy//p');
    assert.deepEqual((stored.document.spec as Obj).types, ['Egress']);
    assert.deepEqual(stored.warnings, []);
    for (const types of [undefined, []]) {
      const missing = convert({ apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'p' }, spec: { tier: 'default', ingress: [{ action: 'Allow' }], ...(types ? { types } : {}) } }, 'GlobalNetworkPolicy//p');
      assert.deepEqual((missing.document.spec as Obj).types, []);
      assert.match(missing.warnings.join('\n'), /spec\.types: not set in the stored object: Calico applies such a policy to both ingress and egress/);
      const [policy] = parseDocument(missing.document, { file: 'x', document: 1 }).resources as unknown as [{ types: unknown }];
      assert.deepEqual(policy.types, { ingress: true, egress: true }, 'the loader applies it both ways');
    }
  });

  it('StagedKubernetesNetworkPolicy: no tier handling; unset policyTypes read as [Ingress] like Calico', () => {
    const { document, warnings } = convert({
      apiVersion: 'crd.projectcalico.org/v1', kind: 'StagedKubernetesNetworkPolicy',
      metadata: { name: 'try-isolate', namespace: 'shop', annotations: { 'projectcalico.org/metadata': '{}' } },
      spec: { stagedAction: 'Set', podSelector: { matchLabels: { app: 'db' } }, egress: [{ to: [{ podSelector: {} }] }] },
    }, 'StagedKubernetesNetworkPolicy/shop/try-isolate');
    assert.deepEqual((document.spec as Obj).policyTypes, ['Ingress']);
    assert.equal((document.spec as Obj).tier, undefined);
    assert.deepEqual(warnings, ['spec.policyTypes: not set in the stored object: Calico reads it as [Ingress], so its 1 egress rule(s) are not applied']);
    const [policy] = parseDocument(document, { file: 'x', document: 1 }).resources as unknown as [{ types: unknown }];
    assert.deepEqual(policy.types, { ingress: true, egress: false });
  });

  it('Tier: order and defaultAction defaulted as DefaultTierFields does; given values kept', () => {
    const bare = convert({ apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'security', uid: CR_UID }, spec: {} }, 'Tier//security');
    assert.deepEqual(bare.document, { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security', uid: V3_UID }, spec: { order: 1_000_000, defaultAction: 'Deny' } });
    const set = convert({ apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'platform' }, spec: { order: 100, defaultAction: 'Pass' } }, 'Tier//platform');
    assert.deepEqual(set.document.spec, { order: 100, defaultAction: 'Pass' });
    const noSpec = convert({ apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'default' } }, 'Tier//default');
    assert.deepEqual(noSpec.document.spec, { order: 1_000_000, defaultAction: 'Deny' });
  });

  it('sets and host endpoints: spec kept, status and noise dropped', () => {
    const hep = convert({
      apiVersion: 'crd.projectcalico.org/v1', kind: 'HostEndpoint',
      metadata: { name: 'node1-eth0', labels: { role: 'edge' }, ...NOISE },
      spec: { node: 'node1', interfaceName: 'eth0', expectedIPs: ['192.0.2.10'], profiles: ['projectcalico-default-allow'] },
      status: { something: 'x' },
    }, 'HostEndpoint//node1-eth0');
    assert.deepEqual(hep.document, {
      apiVersion: 'projectcalico.org/v3', kind: 'HostEndpoint', metadata: { name: 'node1-eth0', labels: { role: 'edge' } },
      spec: { node: 'node1', interfaceName: 'eth0', expectedIPs: ['192.0.2.10'], profiles: ['projectcalico-default-allow'] },
    });
    convert({ apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkSet', metadata: { name: 'partners', namespace: 'shop' }, spec: { nets: ['203.0.113.0/24'] } }, 'NetworkSet/shop/partners');
  });

  it('kinds Calico does not store in crd.projectcalico.org/v1 are refused with the reason', () => {
    assert.deepEqual(errorsOf({ apiVersion: 'crd.projectcalico.org/v1', kind: 'WorkloadEndpoint', metadata: { name: 'w', namespace: 'a' } }).errors,
      ['kind: Calico does not store WorkloadEndpoint in crd.projectcalico.org/v1 (with the Kubernetes datastore it derives workload endpoints from Pods)']);
    assert.deepEqual(errorsOf({ apiVersion: 'crd.projectcalico.org/v1', kind: 'Profile', metadata: { name: 'p' } }).errors,
      ['kind: Calico does not store Profile in crd.projectcalico.org/v1 (with the Kubernetes datastore it derives profiles from Namespaces and ServiceAccounts)']);
  });

  it('every problem of a bad backend object is listed, each with its path', () => {
    const { errors } = errorsOf({
      apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy',
      metadata: { uid: 'not-a-uid', labels: { ok: 'x', bad: 7 }, annotations: { 'projectcalico.org/metadata': '{"name": ' } },
      spec: { tier: 5, types: 'Ingress' },
    });
    assert.deepEqual(errors, [
      'metadata.uid: "not-a-uid" is not a UUID (Calico cannot convert it)',
      'metadata.labels.bad: expected a string, got number 7',
      'metadata.annotations["projectcalico.org/metadata"]: invalid JSON: ' + (() => { try { JSON.parse('{"name": '); } catch (e) { return (e as Error).message; } return ''; })(),
      'metadata.name: missing',
      'metadata.namespace: missing (the kind is namespaced)',
      'spec.tier: expected a string, got number 5',
      'spec.types: expected a list, got string "Ingress"',
    ]);
  });

  it('the loader has the last word: a document it refuses is not produced', () => {
    const { errors } = errorsOf({ apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'p' }, spec: { selector: "app == ", types: ['Ingress'] } });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^spec\.selector: invalid selector "app == " at column/);
  });
});

describe('inventoryDocumentOf: projectcalico.org/v3', () => {
  it('passes through with metadata cleanup (UID unchanged: the v3 API shows its own)', () => {
    const spec = { tier: 'security', order: 10, selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: "app == 'api'" } }] };
    const { document } = convert({
      apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy',
      metadata: { name: 'db-from-api', namespace: 'shop', uid: CR_UID, creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'projectcalico.org/tier': 'security' }, ...NOISE },
      spec,
    }, 'NetworkPolicy/shop/db-from-api');
    assert.deepEqual(document, {
      apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy',
      metadata: { name: 'db-from-api', namespace: 'shop', uid: CR_UID, creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'projectcalico.org/tier': 'security' } },
      spec,
    });
  });

  it('a v3 object with a projectcalico.org/metadata annotation is not reinterpreted (only the backend carries it)', () => {
    const { document } = convert({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkSet', metadata: { name: 'x', annotations: { 'projectcalico.org/metadata': '{"name":"y"}' } }, spec: { nets: ['10.0.0.0/8'] } }, 'GlobalNetworkSet//x');
    assert.equal((document.metadata as Obj).name, 'x');
  });

  it('WorkloadEndpoints of other orchestrators and own Profiles are published', () => {
    convert({ apiVersion: 'projectcalico.org/v3', kind: 'WorkloadEndpoint', metadata: { name: 'vm1-eth0', namespace: 'openstack' }, spec: { orchestrator: 'openstack', node: 'n1', ipNetworks: ['10.9.0.5/32'], interfaceName: 'tap1' } }, 'WorkloadEndpoint/openstack/vm1-eth0');
    convert({ apiVersion: 'projectcalico.org/v3', kind: 'Profile', metadata: { name: 'legacy' }, spec: { ingress: [{ action: 'Allow' }] } }, 'Profile//legacy');
  });

  const derived: Array<{ object: Obj; from: string }> = [
    { object: { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'knp.default.allow-dns', namespace: 'shop' }, spec: { tier: 'default', types: ['Ingress'] } }, from: 'NetworkPolicy (networking.k8s.io/v1) shop/allow-dns' },
    { object: { apiVersion: 'projectcalico.org/v3', kind: 'WorkloadEndpoint', metadata: { name: 'node1-k8s-web--1-eth0', namespace: 'shop' }, spec: { orchestrator: 'k8s', pod: 'web-1', node: 'node1' } }, from: 'Pod shop/web-1' },
    { object: { apiVersion: 'projectcalico.org/v3', kind: 'Profile', metadata: { name: 'kns.shop' }, spec: {} }, from: 'Namespace shop' },
    { object: { apiVersion: 'projectcalico.org/v3', kind: 'Profile', metadata: { name: 'ksa.shop.api' }, spec: {} }, from: 'ServiceAccount shop/api' },
    { object: { apiVersion: 'projectcalico.org/v3', kind: 'Profile', metadata: { name: 'projectcalico-default-allow' }, spec: {} }, from: 'Calico (built-in profile)' },
  ];
  for (const d of derived) {
    it(`Calico's views of other objects are not published: ${String((d.object.metadata as Obj).name)}`, () => {
      const { errors, derivedFrom } = errorsOf(d.object);
      assert.equal(derivedFrom, d.from);
      assert.equal(errors.length, 1);
      assert.match(errors[0] ?? '', new RegExp(`is Calico's view of ${d.from.replace(/[().]/g, '\\$&')}, which is published itself`));
    });
  }
});

describe('inventoryDocumentOf: Kubernetes kinds', () => {
  const pod = (overrides: { metadata?: Obj; spec?: Obj; status?: Obj } = {}): Obj => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: 'web-7d9f-abcde', generateName: 'web-7d9f-', namespace: 'shop', uid: CR_UID, creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7d9f' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f' }], ...NOISE,
      ...overrides.metadata,
    },
    spec: {
      nodeName: 'node1', serviceAccountName: 'web', serviceAccount: 'web', restartPolicy: 'Always', volumes: [{ name: 'v' }],
      containers: [
        { name: 'app', image: 'shop/web:1', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }], env: [{ name: 'A', value: 'b' }] },
        { name: 'log', image: 'x' },
      ],
      initContainers: [{ name: 'mesh', restartPolicy: 'Always', ports: [{ name: 'mesh-admin', containerPort: 15000, protocol: 'TCP' }] }],
      ...overrides.spec,
    },
    status: {
      phase: 'Running', podIP: '10.1.0.7', podIPs: [{ ip: '10.1.0.7' }], hostIP: '192.0.2.1', startTime: '2026-01-01T00:00:01Z',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:05Z' }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0 }],
      ...overrides.status,
    },
  });

  it('Pod: what the loader reads, and identity', () => {
    const { document, warnings } = convert(pod(), 'Pod/shop/web-7d9f-abcde');
    assert.deepEqual(document, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'web-7d9f-abcde', namespace: 'shop', generateName: 'web-7d9f-', uid: CR_UID, creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: 'web', 'pod-template-hash': '7d9f' } },
      spec: {
        nodeName: 'node1', serviceAccountName: 'web',
        containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
        initContainers: [{ name: 'mesh', ports: [{ name: 'mesh-admin', containerPort: 15000, protocol: 'TCP' }] }],
      },
      status: { phase: 'Running', podIP: '10.1.0.7', podIPs: [{ ip: '10.1.0.7' }] },
    });
    assert.deepEqual(warnings, []);
  });

  it('Pod: no-op changes (resourceVersion, managedFields, conditions, container statuses) give an identical document; a label change does not', () => {
    const a = convert(pod(), 'Pod/shop/web-7d9f-abcde').document;
    const b = convert(pod({
      metadata: { resourceVersion: '9999', managedFields: [{ manager: 'kubelet', time: '2026-01-02T00:00:00Z' }] },
      status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-01-02T00:00:00Z' }], containerStatuses: [{ name: 'app', ready: false, restartCount: 4 }] },
    }), 'Pod/shop/web-7d9f-abcde').document;
    assert.equal(JSON.stringify(b), JSON.stringify(a));
    const c = convert(pod({ metadata: { labels: { app: 'web', tier: 'front' } } }), 'Pod/shop/web-7d9f-abcde').document;
    assert.notEqual(JSON.stringify(c), JSON.stringify(a));
  });

  it('Pod addresses as Calico takes them: Calico CNI annotation before the status, none once finished', () => {
    const early = convert(pod({ metadata: { annotations: { 'cni.projectcalico.org/podIP': '10.1.0.9/32', 'cni.projectcalico.org/podIPs': '10.1.0.9/32,fd00::9/128' } }, status: { podIP: undefined, podIPs: undefined, phase: 'Pending' } }), 'Pod/shop/web-7d9f-abcde');
    assert.deepEqual(early.document.status, { phase: 'Pending', podIP: '10.1.0.9', podIPs: [{ ip: '10.1.0.9' }, { ip: 'fd00::9' }] });
    assert.match(early.warnings.join('\n'), /addresses taken from metadata\.annotations\["cni\.projectcalico\.org\/podIPs"\]/);
    const aws = convert(pod({ metadata: { annotations: { 'vpc.amazonaws.com/pod-ips': '10.2.0.4' } }, status: { podIP: undefined, podIPs: undefined } }), 'Pod/shop/web-7d9f-abcde');
    assert.deepEqual((aws.document.status as Obj).podIPs, [{ ip: '10.2.0.4' }]);
    for (const phase of ['Succeeded', 'Failed', 'Completed']) {
      const done = convert(pod({ status: { phase } }), 'Pod/shop/web-7d9f-abcde');
      assert.deepEqual(done.document.status, { phase }, phase);
    }
    const released = convert(pod({ metadata: { deletionTimestamp: '2026-01-03T00:00:00Z', annotations: { 'cni.projectcalico.org/podIP': '' } } }), 'Pod/shop/web-7d9f-abcde');
    assert.deepEqual(released.document.status, { phase: 'Running' }, 'a deleting pod whose CNI released the IP has none');
    const grace = convert(pod({ metadata: { deletionTimestamp: '2026-01-03T00:00:00Z' } }), 'Pod/shop/web-7d9f-abcde');
    assert.deepEqual((grace.document.status as Obj).podIPs, [{ ip: '10.1.0.7' }], 'in its grace period it keeps them');
  });

  it('Pod: host network flag kept only when set; the deprecated serviceAccount is not read', () => {
    const host = convert(pod({ spec: { hostNetwork: true, serviceAccountName: undefined, serviceAccount: 'old' } }), 'Pod/shop/web-7d9f-abcde');
    assert.equal((host.document.spec as Obj).hostNetwork, true);
    assert.equal((host.document.spec as Obj).serviceAccountName, undefined);
    assert.equal('hostNetwork' in (convert(pod({ spec: { hostNetwork: false } }), 'Pod/shop/web-7d9f-abcde').document.spec as Obj), false);
  });

  const node = (heartbeat: string, rv: string): Obj => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: 'node1', uid: CR_UID, resourceVersion: rv, labels: { 'kubernetes.io/hostname': 'node1', 'topology.kubernetes.io/zone': 'z1' },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'projectcalico.org/IPv4Address': '192.0.2.1/24' },
      managedFields: [{ manager: 'kubelet', time: heartbeat }],
    },
    spec: { podCIDR: '10.1.0.0/24', podCIDRs: ['10.1.0.0/24', 'fd00:1::/64'], providerID: 'x://1' },
    status: {
      addresses: [{ type: 'InternalIP', address: '192.0.2.1' }, { type: 'Hostname', address: 'node1' }],
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat, lastTransitionTime: '2026-01-01T00:00:00Z' }],
      capacity: { cpu: '2' }, allocatable: { cpu: '2' }, nodeInfo: { kubeletVersion: 'v1.37.2' }, images: [{ names: ['a'], sizeBytes: 1 }],
    },
  });

  it('Node: labels, addresses and pod CIDRs; heartbeats give an identical document', () => {
    const a = convert(node('2026-01-01T00:00:10Z', '100'), 'Node//node1');
    assert.deepEqual(a.document, {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1', uid: CR_UID, labels: { 'kubernetes.io/hostname': 'node1', 'topology.kubernetes.io/zone': 'z1' } },
      spec: { podCIDR: '10.1.0.0/24', podCIDRs: ['10.1.0.0/24', 'fd00:1::/64'] },
      status: { addresses: [{ type: 'InternalIP', address: '192.0.2.1' }, { type: 'Hostname', address: 'node1' }] },
    });
    const b = convert(node('2026-01-01T00:00:20Z', '101'), 'Node//node1');
    assert.equal(JSON.stringify(b.document), JSON.stringify(a.document));
  });

  it('Service, EndpointSlice, Namespace, ServiceAccount and Kubernetes NetworkPolicy', () => {
    const svc = convert({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', ...NOISE },
      spec: { type: 'ClusterIP', clusterIP: '10.0.0.10', clusterIPs: ['10.0.0.10'], selector: { app: 'web' }, sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }] },
      status: { loadBalancer: {} },
    }, 'Service/shop/web');
    assert.deepEqual(svc.document.spec, { clusterIP: '10.0.0.10', clusterIPs: ['10.0.0.10'], ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }] });
    const slice = convert({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' }, ...NOISE },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.1.0.7'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node1', targetRef: { kind: 'Pod', name: 'web-1', resourceVersion: '77' } },
        { addresses: ['10.1.0.8'], conditions: { ready: false, serving: true, terminating: true } },
      ],
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    }, 'EndpointSlice/shop/web-abc');
    assert.deepEqual(slice.document, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4', endpoints: [{ addresses: ['10.1.0.7'], conditions: { ready: true } }, { addresses: ['10.1.0.8'], conditions: { ready: false } }],
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    });
    const ns = convert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' }, ...NOISE }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }, 'Namespace//shop');
    assert.deepEqual(ns.document, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } });
    const sa = convert({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop', labels: { team: 'a' } }, secrets: [{ name: 'x' }] }, 'ServiceAccount/shop/api');
    assert.deepEqual(sa.document, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop', labels: { team: 'a' } } });
    const spec = { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }] };
    const knp = convert({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'shop', ...NOISE }, spec }, 'KubernetesNetworkPolicy/shop/db');
    assert.deepEqual(knp.document, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'shop' }, spec });
  });

  it('admin network policies: metadata cleaned, spec kept, status dropped', () => {
    const anpSpec = { priority: 10, subject: { namespaces: {} }, ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }] };
    const anp = convert({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'guard', ...NOISE }, spec: anpSpec, status: { conditions: [{ type: 'Ready' }] } }, 'AdminNetworkPolicy//guard');
    assert.deepEqual(anp.document, { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'guard' }, spec: anpSpec });
    convert({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: {} }, ingress: [] } }, 'BaselineAdminNetworkPolicy//default');
    convert({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'c' }, spec: { tier: 'Admin', priority: 5, subject: { namespaces: {} } } }, 'ClusterNetworkPolicy//c');
  });
});

describe('inventoryDocumentOf: bad input', () => {
  const cases: Array<{ title: string; object: unknown; errors: string[] }> = [
    { title: 'not an object', object: 'Pod', errors: ['(object): expected an API object (a map)'] },
    { title: 'no apiVersion, kind or metadata', object: {}, errors: ['apiVersion: missing', 'kind: missing', 'metadata: missing'] },
    { title: 'unsupported kind', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }, errors: ['kind: unsupported kind "Deployment" of apiVersion "apps/v1"'] },
    { title: 'Calico kind under an unknown version', object: { apiVersion: 'projectcalico.org/v2', kind: 'Tier', metadata: { name: 'x' } }, errors: ['kind: unsupported kind "Tier" of apiVersion "projectcalico.org/v2"'] },
    {
      title: 'every metadata problem at once',
      object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a/b', namespace: 'Not_OK', uid: 5, creationTimestamp: 'yesterday', labels: { x: 1, y: null } } },
      errors: [
        'metadata.name: invalid name "a/b"', 'metadata.namespace: invalid namespace "Not_OK"', 'metadata.uid: expected a string, got number 5',
        'metadata.creationTimestamp: invalid timestamp "yesterday"', 'metadata.labels.x: expected a string, got number 1', 'metadata.labels.y: expected a string, got null',
      ],
    },
    { title: 'namespace on a cluster-scoped kind', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', namespace: 'b' } }, errors: ['metadata.namespace: must be empty: the kind is cluster-scoped, got "b"'] },
    {
      title: 'a pod with many faults',
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { hostNetwork: 'yes', containers: [5, { name: 'c', ports: [{ name: 'http', containerPort: 70000 }] }] }, status: { podIPs: [{ ip: '10.0.0.300' }, 'x'] } },
      errors: [
        'spec.hostNetwork: expected true or false, got string "yes"', 'spec.containers[0]: expected a map', 'spec.containers[1].ports[0].containerPort: expected a port 1-65535, got 70000',
        'status.podIPs[1]: expected a map with ip', 'status.podIPs[0].ip: invalid IP address "10.0.0.300"',
      ],
    },
    { title: 'a node address without its type', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { addresses: [{ address: '192.0.2.1' }] } }, errors: ['status.addresses[0].type: missing'] },
    { title: 'a spec that is not a map', object: { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkSet', metadata: { name: 'g' }, spec: ['10.0.0.0/8'] }, errors: ['spec: expected a map, got a list'] },
  ];
  for (const c of cases) {
    it(c.title, () => assert.deepEqual(errorsOf(c.object).errors, c.errors));
  }

  it('never throws, whatever the input', () => {
    for (const junk of [null, undefined, 0, [], { apiVersion: 1, kind: [] }, { apiVersion: 'v1', kind: 'Pod', metadata: null, spec: 'x', status: 7 },
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'y', annotations: { 'projectcalico.org/metadata': '[1]' } } },
      { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', metadata: { name: 'x', annotations: 'nope' }, spec: { order: 'first' } }]) {
      const result = inventoryDocumentOf(junk as KubeObject);
      assert.equal(result.ok, false, JSON.stringify(junk));
    }
  });
});
