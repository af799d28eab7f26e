/**
 * `segflow inventory sync` as separate processes against a real kube-apiserver with RBAC and the
 * shared Kafka: an identity that may not read NetworkPolicies gets one error naming the kind, the
 * verb and the identity while every other kind syncs; two replicas elect one leader through a
 * Lease (the follower is ready and warm but writes nothing); the leader is SIGKILLed amid changes,
 * the follower takes over within the lease duration plus margin, every change arrives, and no
 * message of the killed replica follows the new leader's first; SIGTERM releases the lease; a
 * leader paused (SIGSTOP) with a Kafka transaction open and resumed (SIGCONT) after the takeover,
 * with changes pending, is fenced: its transaction is aborted, nothing it sends becomes visible to a
 * read-committed reader, and it says so once and goes back to following.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Consumer } from 'kafkajs';
import { ensureInventoryTopic } from '../../src/inventory/topic/inventory-topic.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { freePort, startKubeCluster, type KubeCluster } from '../harness/kube-cluster.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const topic = uniqueName('inventory-sync-leader');
const syncToken = `sync-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
const leaseNamespace = 'segflow-system';

interface TopicMessage { key: string; value: { origin: string; writer: string; document: Record<string, unknown> } | null; timestamp: number; offset: number }

/** Every message of the topic as a reader sees it: read committed (what the inventory's readers see), or uncommitted (everything sent). */
class TopicRecorder {
  readonly messages: TopicMessage[] = [];
  private consumer: Consumer | undefined;
  constructor(private readonly readUncommitted = false) {}
  async start(): Promise<void> {
    this.consumer = createKafka(brokers, 'inventory-sync-leader-test').consumer({ groupId: uniqueName('inventory-sync-leader-reader'), readUncommitted: this.readUncommitted });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        this.messages.push({ key: message.key?.toString() ?? '', value: message.value === null ? null : JSON.parse(message.value.toString()) as TopicMessage['value'], timestamp: Number(message.timestamp), offset: Number(message.offset) });
      },
    });
  }
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
  last(key: string): TopicMessage | undefined {
    return this.messages.findLast((m) => m.key === key);
  }
  async until(what: string, key: string, check: (m: TopicMessage | undefined) => boolean, ms = 30_000): Promise<TopicMessage | undefined> {
    await waitFor(what, async () => (check(this.last(key)) ? true : undefined), ms, 50);
    return this.last(key);
  }
}

/** One `segflow inventory sync` child process, its stderr kept. */
class SyncProcess {
  stderr = '';
  readonly child: ChildProcess;
  exit: Promise<number | null>;
  constructor(readonly identity: string, readonly port: number, kubeconfig: string) {
    this.child = spawn(process.execPath, [
      'bin/segflow.js', 'inventory', 'sync', '--kubeconfig', kubeconfig, '--cluster-name', 'rbac-lab', '--brokers', brokers, '--topic', topic,
      '--lease-namespace', leaseNamespace, '--health-host', '127.0.0.1', '--health-port', String(port),
    ], { env: { ...process.env, POD_NAME: identity, SEGFLOW_LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }
  async readyz(): Promise<{ status: number; body: { leader: boolean; reasons: string[] } }> {
    const res = await fetch(`http://127.0.0.1:${this.port}/readyz`);
    return { status: res.status, body: (await res.json()) as { leader: boolean; reasons: string[] } };
  }
  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
  }
  logLines(level: number): Array<{ msg: string; [k: string]: unknown }> {
    return this.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === level);
  }
}

describe('inventory sync: RBAC and leader election (separate processes)', () => {
  let cluster: KubeCluster;
  let kubeconfig: string;
  const recorder = new TopicRecorder();
  const processes: SyncProcess[] = [];
  const ns = `shop-${Date.now().toString(36)}`;
  const podsPath = `/api/v1/namespaces/${ns}/pods`;
  const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', image: 'x' }] } });

  before(async () => {
    cluster = await startKubeCluster({ authorization: 'RBAC', users: [{ name: 'segflow-sync', token: syncToken }], crds: ['calico'] });
    // Everything the sync reads except networking.k8s.io NetworkPolicies, plus its Lease.
    await cluster.applyObjects([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'segflow-inventory-sync-partial' },
        rules: [
          { apiGroups: [''], resources: ['namespaces', 'pods', 'serviceaccounts', 'services', 'nodes'], verbs: ['list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
          { apiGroups: ['crd.projectcalico.org', 'projectcalico.org', 'policy.networking.k8s.io'], resources: ['*'], verbs: ['list', 'watch'] },
          { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['list', 'watch'] },
        ],
      },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'segflow-inventory-sync-partial' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'segflow-inventory-sync-partial' }, subjects: [{ kind: 'User', name: 'segflow-sync', apiGroup: 'rbac.authorization.k8s.io' }] },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: leaseNamespace } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'segflow-inventory-sync-lease', namespace: leaseNamespace }, rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'segflow-inventory-sync-lease', namespace: leaseNamespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'segflow-inventory-sync-lease' }, subjects: [{ kind: 'User', name: 'segflow-sync', apiGroup: 'rbac.authorization.k8s.io' }] },
    ]);
    await cluster.createNamespace(ns);
    await cluster.call('POST', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'hidden', namespace: ns }, spec: { podSelector: {} } });
    kubeconfig = await cluster.kubeconfigFor(syncToken, 'rbac-lab');
    const admin = createKafka(brokers, 'inventory-sync-leader-admin').admin();
    await admin.connect();
    await ensureInventoryTopic(admin, topic);
    await admin.disconnect();
    await recorder.start();
  });

  after(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await recorder.stop();
    await cluster?.stop();
    const admin = createKafka(brokers, 'inventory-sync-leader-admin').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('a forbidden kind is one named error; the other kinds sync', async () => {
    const a = new SyncProcess('sync-a', await freePort(), kubeconfig);
    processes.push(a);
    await waitFor('sync-a ready and leading', async () => {
      const r = await a.readyz().catch(() => undefined);
      return r?.status === 200 && r.body.leader ? true : undefined;
    }, 60_000, 200).catch((err: Error) => {
      throw new Error(`${err.message}\n${a.stderr.slice(-3000)}`);
    });
    await cluster.call('POST', podsPath, pod('web-1'));
    const m = await recorder.until('pod published', `Pod/${ns}/web-1`, (x) => x?.value != null);
    assert.equal(m?.value?.writer, 'sync-a');
    assert.match(m!.value!.origin, new RegExp(`^kubernetes:rbac-lab:v1/Pod/${ns}/web-1@`));
    assert.equal(recorder.last(`KubernetesNetworkPolicy/${ns}/hidden`), undefined, 'the forbidden kind published nothing');

    const errors = a.logLines(50);
    assert.equal(errors.length, 1, `one error line, got:\n${errors.map((e) => e.msg).join('\n')}`);
    assert.match(errors[0]!.msg, /^forbidden: segflow-sync may not list networkpolicies \(networking\.k8s\.io\/v1\/NetworkPolicy\); the other kinds keep syncing/);
    assert.match(await a.metrics(), /segflow_inventory_sync_forbidden_kinds 1\b/);
    assert.deepEqual((await a.readyz()).body.reasons, ['forbidden: networking.k8s.io/v1/NetworkPolicy']);
  });

  it('two replicas: one writer; SIGKILL the leader amid changes, the follower takes over and loses nothing', async (t) => {
    const a = processes[0]!;
    const b = new SyncProcess('sync-b', await freePort(), kubeconfig);
    processes.push(b);
    await waitFor('sync-b ready as a warm follower', async () => {
      const r = await b.readyz().catch(() => undefined);
      return r?.status === 200 && !r.body.leader ? true : undefined;
    }, 60_000, 200);
    await cluster.call('POST', podsPath, pod('before-kill'));
    const before = await recorder.until('change before the kill', `Pod/${ns}/before-kill`, (x) => x?.value != null);
    assert.equal(before?.value?.writer, 'sync-a', 'the follower does not write');

    // Changes right before and after the kill, while nobody leads.
    await cluster.call('POST', podsPath, pod('at-kill'));
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    await a.exit;
    await cluster.call('POST', podsPath, pod('no-leader-1'));
    await cluster.call('DELETE', `${podsPath}/web-1`);
    await cluster.setPodStatus(ns, 'before-kill', { podIP: '10.244.3.7', phase: 'Running' });
    await cluster.call('POST', podsPath, pod('no-leader-2'));

    await waitFor('sync-b leads', async () => ((await b.readyz()).body.leader ? true : undefined), 30_000, 100);
    const takeover = Date.now() - killedAt;
    t.diagnostic(`takeover ${takeover} ms after the SIGKILL`);
    assert.ok(takeover <= 15_000 + 5_000, `takeover after ${takeover} ms`);
    for (const name of ['at-kill', 'no-leader-1', 'no-leader-2']) await recorder.until(`${name} published`, `Pod/${ns}/${name}`, (x) => x?.value != null);
    await recorder.until('deletion published', `Pod/${ns}/web-1`, (x) => x !== undefined && x.value === null);
    await recorder.until('status change published', `Pod/${ns}/before-kill`, (x) => JSON.stringify(x?.value?.document ?? {}).includes('10.244.3.7'));

    const writers = recorder.messages.filter((m) => m.value !== null).map((m) => ({ writer: m.value!.writer, offset: m.offset }));
    const firstB = writers.find((w) => w.writer === 'sync-b');
    assert.ok(firstB, 'the new leader wrote');
    assert.ok(!writers.some((w) => w.writer === 'sync-a' && w.offset > firstB.offset), 'no message of the killed replica after the new leader\'s first');
    assert.ok(!writers.some((w) => w.writer !== 'sync-a' && w.writer !== 'sync-b'));
    assert.deepEqual(b.logLines(50).map((l) => l.msg.replace(/;.*/, '')), ['forbidden: segflow-sync may not list networkpolicies (networking.k8s.io/v1/NetworkPolicy)']);

    // SIGTERM: B publishes what is pending, releases the lease and exits 0.
    b.child.kill('SIGTERM');
    assert.equal(await b.exit, 0, b.stderr.slice(-2000));
    const lease = await cluster.call<{ spec: { holderIdentity?: string } }>('GET', `/apis/coordination.k8s.io/v1/namespaces/${leaseNamespace}/leases/segflow-inventory-sync`);
    assert.equal(lease.spec.holderIdentity ?? '', '', 'the lease was released');
  });

  it('a leader paused (SIGSTOP) mid-transaction and resumed after the takeover: fenced, nothing of it visible after the takeover', async (t) => {
    const uncommitted = new TopicRecorder(true);
    await uncommitted.start();
    const c = new SyncProcess('sync-c', await freePort(), kubeconfig);
    processes.push(c);
    await waitFor('sync-c leads', async () => ((await c.readyz().catch(() => undefined))?.body.leader ? true : undefined), 60_000, 200);
    const d = new SyncProcess('sync-d', await freePort(), kubeconfig);
    processes.push(d);
    await waitFor('sync-d ready as a follower', async () => {
      const r = await d.readyz().catch(() => undefined);
      return r?.status === 200 && !r.body.leader ? true : undefined;
    }, 60_000, 200);

    // Changes all the time, so that the leader is in a transaction most of the time.
    const churn = Array.from({ length: 40 }, (_, i) => `churn-${i}`);
    for (const name of churn) await cluster.call('POST', podsPath, pod(name));
    let stopChurn = false;
    let generation = 0;
    const churning = Promise.all(Array.from({ length: 4 }, async () => {
      while (!stopChurn) {
        const name = churn[generation % churn.length]!;
        await cluster.call('PATCH', `${podsPath}/${name}`, { metadata: { labels: { generation: String(++generation) } } }, { contentType: 'application/merge-patch+json' });
      }
    }));
    try {
      // Pause the leader until it is caught with a transaction open that holds records (the
      // uncommitted reader sees records of it past the last stable offset); else resume and retry.
      const admin = createKafka(brokers, 'inventory-sync-leader-admin').admin();
      await admin.connect();
      let caught = false;
      for (let attempt = 0; attempt < 40 && !caught; attempt++) {
        c.child.kill('SIGSTOP');
        await new Promise((r) => setTimeout(r, 400));
        const stable = BigInt((await admin.fetchTopicOffsets(topic))[0]!.high);
        caught = uncommitted.messages.some((m) => m.value?.writer === 'sync-c' && BigInt(m.offset) >= stable);
        if (!caught) {
          c.child.kill('SIGCONT');
          await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
        }
      }
      await admin.disconnect();
      assert.ok(caught, 'the leader was paused with a transaction open');
      const pausedAt = Date.now();

      // Changes while it is paused: it receives them when resumed.
      for (const name of ['while-paused-1', 'while-paused-2']) await cluster.call('POST', podsPath, pod(name));
      await waitFor('sync-d takes over', async () => ((await d.readyz()).body.leader ? true : undefined), 40_000, 100);
      t.diagnostic(`takeover ${Date.now() - pausedAt} ms after the pause`);
      for (const name of ['while-paused-1', 'while-paused-2']) await recorder.until(`${name} published by sync-d`, `Pod/${ns}/${name}`, (x) => x?.value?.writer === 'sync-d');
      stopChurn = true;
      await churning;

      c.child.kill('SIGCONT');
      await waitFor('sync-c reports the fencing', async () => (c.logLines(50).some((l) => l.msg.startsWith('fenced:')) ? true : undefined), 30_000, 100)
        .catch((err: Error) => {
          throw new Error(`${err.message}\n${c.stderr.slice(-3000)}`);
        });
      await waitFor('sync-c is a follower again', async () => {
        const r = await c.readyz();
        return r.status === 200 && !r.body.leader ? true : undefined;
      }, 30_000, 200);
      // The churn's last changes reach the topic through the new leader.
      for (const name of churn) {
        const current = await cluster.call<{ metadata: { labels?: Record<string, string> } }>('GET', `${podsPath}/${name}`);
        await recorder.until(`${name} up to date`, `Pod/${ns}/${name}`, (x) => (x?.value?.document.metadata as { labels?: Record<string, string> } | undefined)?.labels?.generation === current.metadata.labels?.generation);
      }
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      stopChurn = true;
      await churning.catch(() => undefined);
      c.child.kill('SIGCONT');
      await uncommitted.stop();
    }

    const committed = recorder.messages.filter((m) => m.value !== null);
    const firstD = committed.find((m) => m.value!.writer === 'sync-d');
    assert.ok(firstD, 'the new leader wrote');
    assert.deepEqual(committed.filter((m) => m.value!.writer === 'sync-c' && m.offset > firstD.offset).map((m) => m.key), [], 'nothing of the paused leader is visible after the new leader\'s first write');
    const aborted = uncommitted.messages.filter((m) => m.value?.writer === 'sync-c' && !recorder.messages.some((r) => r.offset === m.offset));
    assert.ok(aborted.length > 0, 'the paused leader\'s open transaction was sent but never became visible (aborted by the takeover)');
    const fencing = c.logLines(50).filter((l) => l.msg.startsWith('fenced:'));
    assert.equal(fencing.length, 1, `one fencing message, got:\n${c.logLines(50).map((l) => l.msg).join('\n')}`);
    assert.equal(c.logLines(50).filter((l) => /publishing inventory changes failed/.test(l.msg)).length, 0, 'no retries after the fencing');
    t.diagnostic(`fencing message: ${fencing[0]!.msg}; ${aborted.length} aborted records of sync-c`);
  });
});
