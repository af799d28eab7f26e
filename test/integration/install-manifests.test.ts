/**
 * The install manifests (deploy/kustomize/) against a real kube-apiserver:
 *
 * - the renderer (src/install/) gives exactly what `kubectl kustomize` gives (kubectl v1.37,
 *   built with the apiserver), and reports every problem of a kustomization it cannot render;
 * - every object of the base, the example overlay and the example Secret is accepted by
 *   server-side apply with dryRun=All and strict field validation (real schemas, defaults and
 *   admission; nothing stored);
 * - the pods of the enricher, the API and the inventory sync are admitted by Pod Security
 *   "restricted"; the collector needs "privileged" and is refused by "baseline";
 * - the inventory sync's RBAC, created for real under --authorization-mode=RBAC, is sufficient
 *   (SubjectAccessReview allows every read it needs and its Lease) and minimal (no write verb,
 *   no Secret, no subresource, no Lease elsewhere; the rules the apiserver reports for its
 *   ServiceAccount are exactly ours plus what every authenticated user has).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual, promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { KustomizationError, renderKustomization } from '../../src/install/render-kustomization.ts';
import type { KubeObject } from '../../src/install/kustomize-transforms.ts';
import { projectRoot } from '../../src/services/services-config.ts';
import { requireKubeBinaries, startKubeCluster, type KubeCluster } from '../harness/kube-cluster.ts';
import { waitFor } from '../harness/wait-for.ts';

const run = promisify(execFile);
const BASE = path.join(projectRoot, 'deploy', 'kustomize', 'base');
const OVERLAY = path.join(projectRoot, 'deploy', 'kustomize', 'overlays', 'example');
const EXAMPLE_SECRET = path.join(OVERLAY, 'api-secret.example.yaml');
const NAMESPACE = 'segflow';
const SYNC_USER = `system:serviceaccount:${NAMESPACE}:segflow-inventory-sync`;
const SA_GROUPS = ['system:serviceaccounts', `system:serviceaccounts:${NAMESPACE}`, 'system:authenticated'];
const LEASE_NAME = 'segflow-inventory-sync';

/** What the inventory sync lists and watches (its brief): group → resources. */
const SYNC_READS: Record<string, string[]> = {
  '': ['namespaces', 'pods', 'serviceaccounts', 'services', 'nodes'],
  'discovery.k8s.io': ['endpointslices'],
  'networking.k8s.io': ['networkpolicies'],
  'crd.projectcalico.org': ['globalnetworkpolicies', 'networkpolicies', 'stagedglobalnetworkpolicies', 'stagednetworkpolicies', 'stagedkubernetesnetworkpolicies', 'tiers', 'globalnetworksets', 'networksets', 'hostendpoints', 'workloadendpoints'],
  'projectcalico.org': ['globalnetworkpolicies', 'networkpolicies', 'stagedglobalnetworkpolicies', 'stagednetworkpolicies', 'stagedkubernetesnetworkpolicies', 'tiers', 'globalnetworksets', 'networksets', 'hostendpoints', 'workloadendpoints'],
  'policy.networking.k8s.io': ['adminnetworkpolicies', 'baselineadminnetworkpolicies', 'clusternetworkpolicies'],
  'apiextensions.k8s.io': ['customresourcedefinitions'],
};
// The sync lists and watches; it never GETs a single object, so it may not.
const READ_VERBS = ['list', 'watch'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

async function readYamlObjects(file: string): Promise<KubeObject[]> {
  return parseAllDocuments(await readFile(file, 'utf8'), { version: '1.1' }).map((d) => d.toJS() as KubeObject).filter((o) => o !== null);
}

const nameOf = (o: KubeObject): string => `${String(o.kind)} ${String(o.metadata?.namespace ?? '')}/${String(o.metadata?.name)}`;

describe('the kustomize renderer', () => {
  it('renders the base and the example overlay exactly as kubectl kustomize does', async () => {
    // kubectl v1.37 is built with the apiserver (services/kubernetes/build-kube-binaries.sh).
    const kubectl = requireKubeBinaries().kubectl;
    for (const dir of [BASE, OVERLAY]) {
      const mine = await renderKustomization(dir);
      const { stdout }: { stdout: string } = await run(kubectl, ['kustomize', dir], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
      const theirs: KubeObject[] = parseAllDocuments(stdout, { version: '1.1' }).map((d) => d.toJS() as KubeObject);
      assert.deepEqual(mine.map(nameOf), theirs.map(nameOf), `${dir}: same objects in the same order`);
      for (const [i, obj] of mine.entries()) assert.ok(isDeepStrictEqual(obj, theirs[i]), `${dir}: ${nameOf(obj)} differs from kubectl's:\n${JSON.stringify(obj)}\n${JSON.stringify(theirs[i])}`);
    }
  });

  it('applies namespace, labels, images and JSON patches of the overlay', async () => {
    const objects = await renderKustomization(OVERLAY);
    const collector = objects.find((o) => o.kind === 'DaemonSet');
    assert.ok(collector);
    const container = (collector as { spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ image: string; args: string[]; securityContext: { capabilities: { add: string[] } } }> } } } }).spec.template;
    assert.equal(container.spec.containers[0]!.image, 'registry.example.com/platform/segflow:0.1.0');
    assert.deepEqual(container.spec.containers[0]!.args.slice(0, 4), ['collect', '--source', 'conntrack', 'ebpf']);
    assert.ok(container.spec.containers[0]!.args.includes('--ebpf-iface-prefix=cali'));
    assert.deepEqual(container.spec.containers[0]!.securityContext.capabilities.add, ['NET_ADMIN', 'BPF', 'PERFMON']);
    assert.equal(container.metadata.labels['app.kubernetes.io/part-of'], 'segflow');
    for (const o of objects) {
      assert.equal(o.metadata?.labels && (o.metadata.labels as Record<string, string>)['app.kubernetes.io/part-of'], 'segflow', `${nameOf(o)} carries the part-of label`);
      if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(String(o.kind))) assert.equal(o.metadata?.namespace, NAMESPACE, `${nameOf(o)} is in ${NAMESPACE}`);
    }
    const volume = (objects.find((o) => o.metadata?.name === 'segflow-api' && o.kind === 'Deployment') as { spec: { template: { spec: { volumes: Array<{ secret?: { defaultMode: number } }> } } } });
    assert.equal(volume.spec.template.spec.volumes.find((v) => v.secret)?.secret?.defaultMode, 0o440, 'YAML 1.1: 0440 is octal, as Kubernetes reads it');
  });

  it('reports every problem of a kustomization it cannot render, with the file and field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-kustomize-'));
    try {
      await mkdir(path.join(dir, 'base'));
      await writeFile(path.join(dir, 'base', 'kustomization.yaml'), 'resources: [cm.yaml, missing.yaml]\ncommonAnnotations: {a: b}\n');
      await writeFile(path.join(dir, 'base', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: "1"}\n');
      await writeFile(path.join(dir, 'kustomization.yaml'), [
        'resources: [base]',
        'labels: [{pairs: {x: y}, includeSelectors: true}]',
        'patches:',
        '  - path: bad-op.yaml',
        '    target: {kind: ConfigMap, name: settings}',
        '  - patch: "metadata: {name: x}"',
        '    target: {kind: ConfigMap, name: settings}',
        '  - path: bad-op.yaml',
        '    target: {kind: Deployment, name: nothing}',
        '',
      ].join('\n'));
      await writeFile(path.join(dir, 'bad-op.yaml'), '- op: replace\n  path: /data/missing\n  value: "2"\n');
      await assert.rejects(renderKustomization(dir), (err: unknown) => {
        assert.ok(err instanceof KustomizationError);
        const text = err.problems.join('\n');
        assert.match(text, /base[/\\]kustomization\.yaml: commonAnnotations: not supported/);
        assert.match(text, /missing\.yaml: cannot read/);
        assert.match(text, /includeSelectors: true is not supported/);
        assert.match(text, /bad-op\.yaml: ConfigMap settings: operation 0 \(replace \/data\/missing\): \/data\/missing does not exist/);
        assert.match(text, /only JSON 6902 patches/);
        assert.match(text, /target \{"kind":"Deployment","name":"nothing"\} matches no resource/);
        assert.equal(err.problems.length, 6, text);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the manifests on a real kube-apiserver (RBAC)', () => {
  let cluster: KubeCluster;
  const plurals = new Map<string, { name: string; namespaced: boolean }>();

  before(async () => {
    cluster = await startKubeCluster({ authorization: 'RBAC' });
  });
  after(async () => {
    await cluster?.stop();
  });

  const resourceOf = async (apiVersion: string, kind: string): Promise<{ name: string; namespaced: boolean }> => {
    const key = `${apiVersion}|${kind}`;
    if (!plurals.has(key)) {
      const list = await cluster.call<{ resources: Array<{ name: string; kind: string; namespaced: boolean }> }>('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
      for (const r of list.resources) if (!r.name.includes('/')) plurals.set(`${apiVersion}|${r.kind}`, { name: r.name, namespaced: r.namespaced });
    }
    const found = plurals.get(key);
    if (!found) throw new Error(`the apiserver serves no ${kind} in ${apiVersion}`);
    return found;
  };

  const objectPath = async (obj: KubeObject): Promise<string> => {
    const apiVersion = String(obj.apiVersion);
    const r = await resourceOf(apiVersion, String(obj.kind));
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = r.namespaced ? `/namespaces/${String(obj.metadata?.namespace ?? 'default')}` : '';
    return `${base}${ns}/${r.name}/${encodeURIComponent(String(obj.metadata?.name))}`;
  };

  /** Server-side apply, as `kubectl apply --server-side [--dry-run=server]` does; strict field validation. */
  const apply = async (obj: KubeObject, dryRun: boolean) => {
    const query = `fieldManager=segflow-install-test&fieldValidation=Strict${dryRun ? '&dryRun=All' : ''}`;
    return cluster.request<Record<string, unknown>>('PATCH', `${await objectPath(obj)}?${query}`, obj, { contentType: 'application/apply-patch+yaml' });
  };

  const sendAll = async (objects: KubeObject[]): Promise<string[]> => {
    const rejected: string[] = [];
    for (const obj of objects) {
      const res = await apply(obj, true);
      if (res.status !== 200 && res.status !== 201) rejected.push(`${nameOf(obj)}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return rejected;
  };

  it('accepts every object of the base, the example overlay and the example Secret (server-side dry run, strict fields)', async () => {
    const base = await renderKustomization(BASE);
    const overlay = await renderKustomization(OVERLAY);
    const secret = await readYamlObjects(EXAMPLE_SECRET);
    assert.equal(base[0]?.kind, 'Namespace');
    // The namespace first: dry-run, then for real, since namespaced objects need it to exist.
    assert.deepEqual(await sendAll([base[0]!]), []);
    const created = await apply(base[0]!, false);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const rest = [...base.slice(1), ...overlay.filter((o) => o.kind !== 'Namespace'), ...secret];
    assert.ok(rest.length >= 20, `all objects sent (${rest.length})`);
    assert.deepEqual(await sendAll(rest), [], 'every object accepted');

    // Dry run means processed (defaults filled in) and not stored.
    const deployment = base.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'segflow-api')!;
    const answer = await apply(deployment, true);
    assert.equal((answer.body as { spec?: { strategy?: { type?: string } } }).spec?.strategy?.type, 'RollingUpdate', 'the apiserver defaulted the Deployment');
    assert.equal((await cluster.request('GET', await objectPath(deployment))).status, 404, 'nothing was stored');
  });

  it('is refused when a field is misspelled (the strict validation above is real)', async () => {
    const base = await renderKustomization(BASE);
    const deployment = structuredClone(base.find((o) => o.kind === 'Deployment')!) as { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } } & KubeObject;
    deployment.spec.template.spec.containers[0]!.readinesProbe = { httpGet: { path: '/readyz', port: 8080 } };
    const res = await apply(deployment, true);
    // Server-side apply answers an undeclared field with 500 "failed to create typed patch object".
    assert.ok(res.status >= 400, `refused: ${res.status} ${JSON.stringify(res.body)}`);
    assert.match(JSON.stringify(res.body), /readinesProbe: field not declared in schema/);
  });

  it('admits the enricher, API and inventory-sync pods under Pod Security "restricted"; the collector only under "privileged"', async () => {
    const base = await renderKustomization(BASE);
    const overlay = await renderKustomization(OVERLAY);
    for (const [level, name] of [['restricted', 'psa-restricted'], ['baseline', 'psa-baseline'], ['privileged', 'psa-privileged']] as const) {
      await cluster.createNamespace(name, { 'pod-security.kubernetes.io/enforce': level });
    }
    const podOf = (workload: KubeObject, namespace: string): KubeObject => {
      const template = (workload as { spec: { template: { metadata: Record<string, unknown>; spec: unknown } } }).spec.template;
      return { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name: `${String(workload.metadata?.name)}-probe`, namespace }, spec: template.spec };
    };
    const workloads = [...base, ...overlay].filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet');
    assert.equal(workloads.length, 8);
    const refused: string[] = [];
    for (const w of workloads) {
      const level = w.kind === 'DaemonSet' ? 'psa-privileged' : 'psa-restricted';
      const res = await apply(podOf(w, level), true);
      if (res.status !== 201 && res.status !== 200) refused.push(`${nameOf(w)} in ${level}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    assert.deepEqual(refused, []);
    for (const w of workloads.filter((o) => o.kind === 'DaemonSet')) {
      const res = await apply(podOf(w, 'psa-baseline'), true);
      assert.equal(res.status, 403, `the collector is refused by baseline: ${JSON.stringify(res.body)}`);
      assert.match(JSON.stringify(res.body), /host namespaces|hostNetwork/);
    }
  });

  describe('the inventory sync\'s RBAC', () => {
    before(async () => {
      const base = await renderKustomization(BASE);
      if (!(await cluster.request('GET', `/api/v1/namespaces/${NAMESPACE}`)).status.toString().startsWith('2')) await apply(base[0]!, false);
      const rbac = base.filter((o) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(String(o.kind)));
      assert.equal(rbac.filter((o) => String(o.metadata?.name).startsWith('segflow-inventory-sync')).length, 5);
      for (const obj of rbac) {
        const res = await apply(obj, false);
        assert.ok(res.status === 200 || res.status === 201, `${nameOf(obj)}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      // The RBAC authorizer reads bindings through an informer: a binding just created takes a
      // moment to count. Wait until one grant of each binding does, then judge them all.
      await waitFor('the new bindings to reach the authorizer', async () =>
        (await allowed({ group: '', resource: 'namespaces', verb: 'list' }))
        && (await allowed({ group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace: NAMESPACE })) ? true : undefined, 30_000, 100);
    });

    async function allowed(attributes: Record<string, string>, user = SYNC_USER): Promise<boolean> {
      const review = await cluster.call<{ status: { allowed: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
        spec: { user, groups: SA_GROUPS, resourceAttributes: attributes },
      });
      return review.status.allowed;
    }

    it('is sufficient: every read the sync makes, cluster-wide, and its Lease', async () => {
      const denied: string[] = [];
      for (const [group, resources] of Object.entries(SYNC_READS)) {
        for (const resource of resources) {
          for (const verb of READ_VERBS) {
            if (!(await allowed({ group, resource, verb }))) denied.push(`${verb} ${resource}.${group}`);
            // Namespaced kinds are also read within one namespace (a watch on one object).
            if (!(await allowed({ group, resource, verb, namespace: 'shop' }))) denied.push(`${verb} ${resource}.${group} in shop`);
          }
        }
      }
      for (const [verb, name] of [['create', ''], ['get', LEASE_NAME], ['update', LEASE_NAME]] as const) {
        if (!(await allowed({ group: 'coordination.k8s.io', resource: 'leases', verb, namespace: NAMESPACE, ...(name ? { name } : {}) }))) denied.push(`${verb} lease ${name} in ${NAMESPACE}`);
      }
      assert.deepEqual(denied, []);
    });

    it('is minimal: no writes, no Secrets, no subresources, no Lease but its own', async () => {
      const wrongly: string[] = [];
      const expectDenied = async (attributes: Record<string, string>): Promise<void> => {
        if (await allowed(attributes)) wrongly.push(JSON.stringify(attributes));
      };
      for (const [group, resources] of Object.entries(SYNC_READS)) {
        for (const resource of resources) {
          for (const verb of ['get', ...WRITE_VERBS]) {
            await expectDenied({ group, resource, verb });
            await expectDenied({ group, resource, verb, namespace: NAMESPACE });
          }
        }
      }
      for (const namespace of ['', NAMESPACE, 'kube-system']) {
        for (const verb of ['get', ...READ_VERBS, ...WRITE_VERBS]) {
          await expectDenied({ group: '', resource: 'secrets', verb, ...(namespace ? { namespace } : {}) });
          await expectDenied({ group: '', resource: 'configmaps', verb, ...(namespace ? { namespace } : {}) });
        }
      }
      for (const [resource, subresource, verb] of [['pods', 'exec', 'create'], ['pods', 'exec', 'get'], ['pods', 'attach', 'create'], ['pods', 'portforward', 'create'], ['pods', 'log', 'get'], ['pods', 'eviction', 'create'], ['pods', 'status', 'patch'], ['nodes', 'proxy', 'get'], ['services', 'proxy', 'get'], ['serviceaccounts', 'token', 'create']] as const) {
        await expectDenied({ group: '', resource, subresource, verb, namespace: 'shop' });
      }
      // Leases: only create, and get/update of its own, in its own namespace.
      for (const namespace of ['kube-system', 'kube-node-lease', 'default']) {
        for (const verb of ['create', 'get', 'update']) await expectDenied({ group: 'coordination.k8s.io', resource: 'leases', verb, namespace, name: LEASE_NAME });
      }
      for (const verb of ['list', 'watch', 'patch', 'delete', 'deletecollection']) await expectDenied({ group: 'coordination.k8s.io', resource: 'leases', verb, namespace: NAMESPACE });
      for (const verb of ['get', 'update']) await expectDenied({ group: 'coordination.k8s.io', resource: 'leases', verb, namespace: NAMESPACE, name: 'another-lease' });
      // No way to widen itself.
      await expectDenied({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'escalate' });
      await expectDenied({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'bind' });
      await expectDenied({ group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verb: 'create', namespace: NAMESPACE });
      await expectDenied({ group: '', resource: 'users', verb: 'impersonate' });
      await expectDenied({ group: '', resource: 'serviceaccounts', verb: 'impersonate', namespace: NAMESPACE });
      assert.deepEqual(wrongly, [], 'allowed but should not be');
    });

    it('grants its ServiceAccount exactly these rules beyond what any ServiceAccount has (SelfSubjectRulesReview with its own token)', async () => {
      const tokenOf = async (account: string): Promise<string> => (await cluster.call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/${account}/token`, {
        apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 },
      })).status.token;
      const rulesOf = async (token: string, namespace: string): Promise<Set<string>> => {
        const review = await cluster.call<{ status: { resourceRules: Array<{ verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[] }> } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
          apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace },
        }, { token });
        const granted = new Set<string>();
        for (const rule of review.status.resourceRules) {
          for (const verb of rule.verbs) for (const group of rule.apiGroups) for (const resource of rule.resources) {
            for (const name of rule.resourceNames?.length ? rule.resourceNames : ['*']) granted.add(`${verb} ${resource}.${group} ${name}`);
          }
        }
        return granted;
      };
      // The collector's ServiceAccount has no binding of ours: what it holds is what Kubernetes
      // gives every ServiceAccount (self reviews, discovery, cluster trust bundles, ...).
      const [syncToken, plainToken] = [await tokenOf('segflow-inventory-sync'), await tokenOf('segflow-collector')];
      const expected = new Set<string>();
      for (const [group, resources] of Object.entries(SYNC_READS)) for (const resource of resources) for (const verb of READ_VERBS) expected.add(`${verb} ${resource}.${group} *`);
      for (const namespace of [NAMESPACE, 'shop']) {
        const everyone = await rulesOf(plainToken, namespace);
        assert.ok(everyone.size > 0, 'the default rules are visible');
        const granted = [...(await rulesOf(syncToken, namespace))].filter((g) => !everyone.has(g));
        const want = new Set(expected);
        if (namespace === NAMESPACE) for (const grant of ['create leases.coordination.k8s.io *', `get leases.coordination.k8s.io ${LEASE_NAME}`, `update leases.coordination.k8s.io ${LEASE_NAME}`]) want.add(grant);
        const extra = granted.filter((g) => !want.has(g)).sort();
        const missing = [...want].filter((g) => !granted.includes(g)).sort();
        assert.deepEqual({ extra, missing }, { extra: [], missing: [] }, `rules in namespace ${namespace}`);
      }
    });

    it('gives the collector, enricher and API service accounts nothing', async () => {
      for (const account of ['segflow-collector', 'segflow-enricher', 'segflow-api']) {
        for (const [resource, verb] of [['pods', 'list'], ['secrets', 'get'], ['configmaps', 'get'], ['nodes', 'list']] as const) {
          assert.equal(await allowed({ group: '', resource, verb, namespace: NAMESPACE }, `system:serviceaccount:${NAMESPACE}:${account}`), false, `${account} ${verb} ${resource}`);
        }
      }
    });
  });
});
