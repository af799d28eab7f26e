/**
 * `segflow inventory sync` over a secured Kafka (SASL_SSL, SCRAM-SHA-512, ACLs on), as a child
 * process with its password only in the environment: with the ACLs of
 * test/harness/kafka-role-acls.ts it publishes a live cluster's pod (so those ACLs suffice,
 * transactions included); with a wrong password it exits 1 after saying so, without a retry
 * storm and without the password in its output.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureInventoryTopic } from '../../src/inventory/topic/inventory-topic.ts';
import { readInventorySnapshot } from '../../src/inventory/topic/inventory-snapshot.ts';
import { projectRoot } from '../../src/services/services-config.ts';
import { freePort, startKubeCluster, type KubeCluster } from '../harness/kube-cluster.ts';
import { inventorySyncAcls } from '../harness/kafka-role-acls.ts';
import { startSecureKafka, type SecureKafka } from '../harness/secure-kafka.ts';
import { uniqueName } from '../harness/service-env.ts';
import { randomPassword } from '../harness/test-certificates.ts';
import { waitFor } from '../harness/wait-for.ts';

const topic = uniqueName('secure-sync-inv');
const password = randomPassword();

interface Run { code: number | null; output: string }

describe('inventory sync over SASL_SSL with ACLs', { timeout: 600_000 }, () => {
  let broker: SecureKafka;
  let cluster: KubeCluster;

  before(async () => {
    [broker, cluster] = await Promise.all([
      startSecureKafka({ users: [{ name: 'sync', password, mechanisms: ['scram-sha-512'] }] }),
      startKubeCluster(),
    ]);
    const admin = (await broker.admin()).admin();
    await admin.connect();
    // The platform creates topics; the sync's principal gets no Create.
    await ensureInventoryTopic(admin, topic);
    await admin.disconnect();
    await broker.grant(inventorySyncAcls('sync', { inventory: topic }));
    await cluster.createNamespace('secure');
    await cluster.call('POST', '/api/v1/namespaces/secure/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await cluster.setPodStatus('secure', 'web', { podIP: '10.88.0.4', phase: 'Running' });
  });

  after(async () => {
    await cluster?.stop();
    await broker?.stop();
  });

  function startSync(env: NodeJS.ProcessEnv, healthPort: number): { child: ReturnType<typeof spawn>; done: Promise<Run> } {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'segflow.js'), 'inventory', 'sync',
      '--kubeconfig', cluster.kubeconfig, '--cluster-name', 'secure-test', '--no-leader-election', '--topic', topic,
      '--brokers', broker.saslSslBootstrap, '--kafka-tls', '--kafka-ca-file', broker.caFile,
      '--kafka-sasl-mechanism', 'scram-sha-512', '--kafka-sasl-username', 'sync',
      '--health-host', '127.0.0.1', '--health-port', String(healthPort)], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const done = new Promise<Run>((resolve) => child.once('exit', (code) => resolve({ code, output })));
    return { child, done };
  }

  it('publishes the cluster with only its ACLs, the password taken from the environment', async () => {
    const healthPort = await freePort();
    const { child, done } = startSync({ SEGFLOW_KAFKA_SASL_PASSWORD: password }, healthPort);
    try {
      await waitFor('the sync to be ready', async () => {
        if (child.exitCode !== null) throw new Error(`sync exited ${child.exitCode}: ${(await done).output.slice(-3000)}`);
        const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      }, 90_000, 200);
      // Ready means the transaction committed; Kafka writes its commit markers to the partition
      // just after, and only then do read-committed readers see it. So the pod may take a moment.
      const podIP = await waitFor('the pod on the inventory topic', async () => {
        const snapshot = await readInventorySnapshot(await broker.admin(), topic);
        return (snapshot.get('Pod/secure/web')?.document as { status?: { podIP?: string } } | undefined)?.status?.podIP;
      }, 15_000, 200);
      assert.equal(podIP, '10.88.0.4');
    } finally {
      child.kill('SIGTERM');
    }
    const run = await done;
    assert.equal(run.code, 0, run.output.slice(-2000));
    assert.ok(!run.output.includes(password), 'the password never appears in the output');
  });

  it('exits 1 with one message naming the login failure when the password is wrong', async () => {
    const wrong = randomPassword();
    const { child, done } = startSync({ SEGFLOW_KAFKA_SASL_PASSWORD: wrong }, await freePort());
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const run = await done;
    clearTimeout(timer);
    assert.equal(run.code, 1, `exit code (output: ${run.output.slice(-2000)})`);
    const mentions = run.output.split('\n').filter((l) => /SASL|authenticat|password/i.test(l));
    assert.ok(mentions.length >= 1 && mentions.length <= 3, `one message about the login, not a storm: ${mentions.length} lines\n${mentions.join('\n')}`);
    assert.ok(!run.output.includes(wrong), 'the wrong password is not echoed');
  });
});
