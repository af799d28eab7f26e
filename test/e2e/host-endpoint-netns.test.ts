/**
 * Host endpoint flows end to end on a real kernel: a Calico-style node built from network
 * namespaces (test/harness/netns-topology.ts) gets an address of its own (10.99.0.1, the Node's
 * InternalIP in the inventory, taken by a HostEndpoint that names only its interface), and real
 * connections are made to and from it. The collector reads the node's conntrack table and ships
 * batches to real Kafka; the enricher writes to real Elasticsearch.
 *
 * Checked in the stored documents: a connection from outside to the node's tcp/22 is allowed by
 * Calico's failsafe ports with no policy hit (docs/calico-semantics.md §3); one to tcp/8080 is
 * allowed by the host endpoint's policy, its hit in the ingress trace; the node's own connection
 * to a pod under a default-deny NetworkPolicy (a kubelet probe) is allowed with no policy
 * evaluated (§2), and so is a connection the node makes to its etcd port, an outbound failsafe.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { NetnsTopology } from '../harness/netns-topology.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';
import { deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const peer = path.join(root, 'test/e2e/fixtures/traffic-peer.mjs');
const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('e2e-hep');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;

const NODE_IP = '10.99.0.1';
// `outside` is wired like a pod but is no endpoint of the inventory: a client on another machine.
const PODS = { web: '10.244.1.10', outside: '198.51.100.7', etcd: '10.244.1.30' };

const INVENTORY = `apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {addresses: [{type: InternalIP, address: ${NODE_IP}}, {type: Hostname, address: node-1}]}
---
apiVersion: projectcalico.org/v3
kind: HostEndpoint
metadata: {name: node-1-eth0, labels: {host-endpoint: "true"}}
spec: {node: node-1, interfaceName: eth0}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: node-web}
spec:
  selector: has(host-endpoint)
  ingress: [{action: Allow, protocol: TCP, destination: {ports: [8080]}}]
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop}}
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: shop, labels: {app: web}}
spec: {nodeName: node-1}
status: {phase: Running, podIP: ${PODS.web}, podIPs: [{ip: ${PODS.web}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: etcd-0, namespace: shop, labels: {app: etcd}}
spec: {nodeName: node-2}
status: {phase: Running, podIP: ${PODS.etcd}, podIPs: [{ip: ${PODS.etcd}}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

interface ClientResult { connected?: boolean; sent: number; received: number }

function startRole(args: string[], name: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, [path.join(root, 'bin/segflow.js'), ...args], { cwd: root, env: { ...process.env, SEGFLOW_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/enricher consuming|collector started|"msg":"started/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready:\n${output.slice(-3000)}`)));
  });
  return { child, ready };
}

describe('host endpoint flows end to end on real conntrack, Kafka and Elasticsearch', { timeout: 600_000 }, () => {
  const kafka = createKafka(brokers, 'e2e-hep-test');
  const es = createElasticsearchClient(esUrl);
  const work = mkdtempSync(path.join(tmpdir(), 'segflow-e2e-hep-'));
  let topology: NetnsTopology;
  let enricher: ReturnType<typeof startRole> | undefined;
  let collector: ReturnType<typeof startRole> | undefined;

  async function docs(): Promise<FlowDocument[]> {
    await es.indices.refresh({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
    const res = await es.search<FlowDocument>({ index: `${prefix}-*`, size: 1000, query: { match_all: {} }, ignore_unavailable: true, allow_no_indices: true });
    return res.hits.hits.map((h) => h._source!);
  }

  async function serve(ns: string, args: string[]): Promise<void> {
    const child = topology.spawnIn(ns, process.execPath, [peer, ...args]);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`server ${args.join(' ')} in ${ns} exited ${code}`)));
    });
  }

  before(async () => {
    topology = await NetnsTopology.create('sfhep');
    for (const [name, ip] of Object.entries(PODS)) await topology.addPod({ name, ip });
    for (const k of ['tcp_timeout_time_wait=1', 'tcp_timeout_close=1']) await topology.inNode(['sysctl', '-qw', `net.netfilter.nf_conntrack_${k}`]);
    // The node's own address, and the source it uses towards its pods (as a kubelet probe has).
    await topology.inNode(['ip', 'addr', 'add', `${NODE_IP}/32`, 'dev', 'lo']);
    for (const pod of Object.keys(PODS)) {
      await topology.inNode(['ip', 'route', 'replace', `${PODS[pod as keyof typeof PODS]}/32`, 'dev', topology.hostInterfaceOf(pod), 'src', NODE_IP]);
    }
    // Conntrack tracks the node's own connections only once a rule in those hooks uses it.
    await topology.inNode(['iptables', '-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT']);
    await topology.inNode(['iptables', '-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT']);
    await serve(topology.nodeNs, ['tcp-server', '22', '300']);
    await serve(topology.nodeNs, ['tcp-server', '8080', '800']);
    await serve(topology.namespaceOf('web'), ['tcp-server', '8080', '500']);
    await serve(topology.namespaceOf('etcd'), ['tcp-server', '2379', '700']);

    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.raw, numPartitions: 1 }, { topic: topics.dlq, numPartitions: 1 }] });
    await admin.disconnect();
    const file = path.join(work, 'inventory.yaml');
    writeFileSync(file, INVENTORY);
    const apply = spawn(process.execPath, [path.join(root, 'bin/segflow.js'), 'inventory', 'apply', '-f', file, '--brokers', brokers, '--topic', topics.inventory], { cwd: root, stdio: 'inherit' });
    assert.equal(await new Promise((r) => apply.once('exit', r)), 0, 'inventory applied');

    enricher = startRole(['enrich', '--brokers', brokers, '--elasticsearch', esUrl, '--raw-topic', topics.raw, '--dead-letter-topic', topics.dlq, '--inventory-topic', topics.inventory, '--group', `${run}-enricher`, '--index-prefix', prefix, '--retention-days', '0', '--metrics-port', '0',
      // Level 0 keeps every address, so each connection is its own document.
      '--allowed-level', '0', '--denied-level', '0'], 'enricher');
    await enricher.ready;
    collector = startRole(['collect', '--brokers', brokers, '--source', 'conntrack', '--netns', topology.nodeNs, '--node-name', 'node-1', '--topic', topics.raw, '--snapshot-interval', '2', '--batch-max-delay', '300', '--no-http', '--spool-dir', path.join(root, '.local', 'test-spool', run)], 'collector');
    await collector.ready;
  });

  after(async () => {
    collector?.child.kill('SIGTERM');
    enricher?.child.kill('SIGTERM');
    await topology?.destroy();
    await deleteTopics(kafka, Object.values(topics));
    if (process.env.SEGFLOW_E2E_KEEP_INDICES !== '1') await deleteFlowIndices(es, prefix);
    else process.stderr.write(`kept indices ${prefix}-*\n`);
    await es.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('flows to and from the node\'s own address carry the host endpoint stages and traces', async () => {
    const client = async (ns: string, args: string[]): Promise<ClientResult> => {
      const out = ns === topology.nodeNs ? await topology.inNode([process.execPath, peer, ...args]) : await topology.inPod(ns, [process.execPath, peer, ...args], 30_000);
      return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ClientResult;
    };
    assert.equal((await client('outside', ['tcp-client', NODE_IP, '22', '100'])).received, 300, 'ssh port reached');
    assert.equal((await client('outside', ['tcp-client', NODE_IP, '8080', '100'])).received, 800);
    assert.equal((await client(topology.nodeNs, ['tcp-client', PODS.web, '8080', '100'])).received, 500, 'the node reaches its pod');
    assert.equal((await client(topology.nodeNs, ['tcp-client', PODS.etcd, '2379', '100'])).received, 700);

    const find = (all: FlowDocument[], src: string, dst: string, port: number): FlowDocument | undefined =>
      all.find((d) => d.source?.ip === src && d.destination?.ip === dst && d.destination?.port === port);
    let seen: FlowDocument[] = [];
    const found = await waitFor('the four connections in Elasticsearch', async () => {
      const all = await docs();
      seen = all;
      const ssh = find(all, PODS.outside, NODE_IP, 22);
      const web = find(all, PODS.outside, NODE_IP, 8080);
      const probe = find(all, NODE_IP, PODS.web, 8080);
      const etcd = find(all, NODE_IP, PODS.etcd, 2379);
      return ssh && web && probe && etcd ? { ssh, web, probe, etcd } : undefined;
    }, 120_000).catch((err: Error) => {
      const got = seen.map((d) => `${d.source?.ip}->${d.destination?.ip}:${d.destination?.port} ${d.segflow.verdict}`).join(', ');
      throw new Error(`${err.message}; documents: ${got || 'none'}`);
    });

    // Outside → the node's tcp/22: Calico's inbound failsafe, before any policy: no hit at all.
    assert.equal(found.ssh.segflow.verdict, 'allow');
    assert.equal(found.ssh.segflow.destination.kind, 'host');
    assert.equal(found.ssh.segflow.destination.name, 'node-1-eth0', 'the interface-only host endpoint owns the Node\'s address');
    assert.deepEqual(found.ssh.segflow.policy?.ingress?.enforced_str, []);
    assert.equal(found.ssh.rule, undefined, 'no policy decided it');

    // Outside → tcp/8080: the host endpoint's own policy, its hit in the ingress trace.
    assert.equal(found.web.segflow.verdict, 'allow');
    assert.deepEqual(found.web.segflow.policy?.ingress?.enforced_str, ['0|default|gnp:node-web|allow|0']);
    assert.equal(found.web.rule?.name, 'node-web');

    // The node → its own pod under default-deny ingress (a kubelet probe): never policed.
    assert.equal(found.probe.segflow.verdict, 'allow');
    assert.equal(found.probe.segflow.source.kind, 'host');
    assert.equal(found.probe.segflow.destination.name, 'web-0');
    assert.deepEqual(found.probe.segflow.policy?.egress?.enforced_str, []);
    assert.deepEqual(found.probe.segflow.policy?.ingress?.enforced_str, []);

    // The node → another node's pod on tcp/2379: an outbound failsafe lets it out (the host
    // endpoint has no profile, so anything else would be denied); the pod's default deny then applies.
    assert.deepEqual(found.etcd.segflow.policy?.egress?.enforced_str, []);
    assert.equal(found.etcd.segflow.policy?.egress?.verdict, 'allow');
    assert.deepEqual(found.etcd.segflow.policy?.ingress?.enforced_str, ['0|default|knp:shop/default-deny|deny|-1']);
    assert.equal(found.etcd.segflow.verdict, 'deny');
  });
});
