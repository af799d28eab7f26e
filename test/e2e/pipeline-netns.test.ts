/**
 * End to end on a real kernel: pods are network namespaces wired to a "node" namespace the way
 * Calico wires a node; the node enforces the demo inventory's denies with iptables and runs
 * kube-proxy-style Service DNAT. The collector reads the node's conntrack table and ships
 * batches to real Kafka; the enricher (a separate process) writes to real Elasticsearch.
 *
 * Checked: workload names, namespaces, labels and deciding policy of each allowed flow; byte
 * counts against what the peers sent (with the TCP/IP header overhead accounted per packet);
 * Service DNAT resolved to the backend and the Service; SIGKILL of the enricher mid-stream
 * loses and duplicates nothing; a malformed message goes to the dead-letter topic while the
 * stream goes on. Denied connections never reach conntrack (the node drops their first
 * packet): the collector's eBPF source reports them from the kernel's kfree_skb drops, and they
 * must arrive as denied with the deciding policy and outcome "dropped" (a drop that policy allows
 * is a mismatch); denied-flow enrichment is also checked with synthetic records.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { DEAD_LETTER_HEADERS } from '../../src/enricher/dead-letter.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../src/contract/wire/ip-address-bytes.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { NetnsTopology } from '../harness/netns-topology.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';
import { waitForGroupAtTopicEnd } from '../harness/consumer-group-offsets.ts';
import { deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const peer = path.join(root, 'test/e2e/fixtures/traffic-peer.mjs');
const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('e2e');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;

const PODS = {
  frontend: '10.244.1.10', catalog: '10.244.1.20', checkout: '10.244.1.30', payments: '10.244.1.40', postgres: '10.244.2.10', extdns: '192.0.2.53',
};

interface ClientResult { connected?: boolean; sent: number; received: number }

function startRole(args: string[], name: string): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [path.join(root, 'bin/segflow.js'), ...args], { cwd: root, env: { ...process.env, SEGFLOW_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/enricher consuming|collector started|"msg":"started/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready:\n${output.slice(-3000)}`)));
  });
  return { child, ready, output: () => output };
}

describe('pipeline end to end on real conntrack, Kafka and Elasticsearch', { timeout: 600_000 }, () => {
  const kafka = createKafka(brokers, 'e2e-test');
  const es = createElasticsearchClient(esUrl);
  let topology: NetnsTopology;
  let enricher: ReturnType<typeof startRole> | undefined;
  let collector: ReturnType<typeof startRole> | undefined;
  const enricherArgs = ['enrich', '--brokers', brokers, '--elasticsearch', esUrl, '--raw-topic', topics.raw, '--dead-letter-topic', topics.dlq, '--inventory-topic', topics.inventory, '--group', `${run}-enricher`, '--index-prefix', prefix, '--retention-days', '0', '--metrics-port', '0'];

  async function client(pod: keyof typeof PODS, args: string[]): Promise<ClientResult> {
    const out = await topology.inPod(pod, [process.execPath, peer, ...args], 30_000);
    return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ClientResult;
  }

  async function docs(query: object = { match_all: {} }): Promise<FlowDocument[]> {
    await es.indices.refresh({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
    const res = await es.search<FlowDocument>({ index: `${prefix}-*`, size: 1000, query, ignore_unavailable: true, allow_no_indices: true });
    return res.hits.hits.map((h) => h._source!);
  }

  before(async () => {
    topology = await NetnsTopology.create('sfe2e');
    for (const [name, ip] of Object.entries(PODS)) await topology.addPod({ name, ip });
    // Short TIME_WAIT/CLOSE timeouts so closed connections leave the table (a destroy event) within the test.
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_tcp_timeout_time_wait=1']);
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_tcp_timeout_close=1']);
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_udp_timeout=2']);
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_udp_timeout_stream=2']);
    // The inventory's denies, enforced by the node: frontend → postgres, catalog → payments.
    await topology.denyForward(PODS.frontend, PODS.postgres, 'tcp', 5432);
    await topology.denyForward(PODS.catalog, PODS.payments, 'tcp', 8443);
    // A node rule the policies do not ask for: checkout → postgres is allowed by policy but dropped.
    await topology.denyForward(PODS.checkout, PODS.postgres, 'tcp', 5432);
    // Service catalog 10.96.0.20:80 → catalog pod :8080, as kube-proxy would program it.
    await topology.addServiceDnat('10.96.0.20', 80, PODS.catalog, 8080);

    const servers: Array<[keyof typeof PODS, string[]]> = [
      ['catalog', ['tcp-server', '8080', '20000']], ['payments', ['tcp-server', '8443', '7000']],
      ['postgres', ['tcp-server', '5432', '4000']], ['extdns', ['udp-server', '53']],
    ];
    for (const [pod, args] of servers) {
      const child = topology.spawnIn(topology.namespaceOf(pod), process.execPath, [peer, ...args]);
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`${pod} server exited ${code}`)));
      });
    }

    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.raw, numPartitions: 2 }, { topic: topics.dlq, numPartitions: 1 }] });
    await admin.disconnect();
    const apply = spawn(process.execPath, [path.join(root, 'bin/segflow.js'), 'inventory', 'apply', '-f', 'examples/shop', '--brokers', brokers, '--topic', topics.inventory], { cwd: root, stdio: 'inherit' });
    assert.equal(await new Promise((r) => apply.once('exit', r)), 0, 'inventory applied');

    enricher = startRole(enricherArgs, 'enricher');
    await enricher.ready;
    // conntrack for what the node forwards, eBPF on the pods' host-side interfaces for what it drops.
    collector = startRole(['collect', '--brokers', brokers, '--source', 'conntrack', 'ebpf', '--ebpf-iface-prefix', topology.interfacePrefix, '--netns', topology.nodeNs, '--node-name', 'node-1', '--topic', topics.raw, '--snapshot-interval', '2', '--batch-max-delay', '300', '--no-http', '--spool-dir', path.join(root, '.local', 'test-spool', run)], 'collector');
    await collector.ready;
  });

  after(async () => {
    collector?.child.kill('SIGTERM');
    enricher?.child.kill('SIGTERM');
    await topology?.destroy();
    await deleteTopics(kafka, Object.values(topics));
    // SEGFLOW_E2E_KEEP_INDICES=1 leaves the documents for a person to inspect after a failure.
    if (process.env.SEGFLOW_E2E_KEEP_INDICES !== '1') {
      await deleteFlowIndices(es, prefix);
    } else {
      process.stderr.write(`kept indices ${prefix}-*\n`);
    }
    await es.close();
  });

  it('indexes allowed TCP and UDP flows with workloads, labels, the deciding policy and byte counts; resolves Service DNAT', async () => {
    const viaService = await client('frontend', ['tcp-client', '10.96.0.20', '80', '10000']);
    const checkout = await client('checkout', ['tcp-client', PODS.payments, '8443', '5000']);
    const catalogDb = await client('catalog', ['tcp-client', PODS.postgres, '5432', '3000']);
    const dns = await client('checkout', ['udp-client', PODS.extdns, '53', '10', '100']);
    assert.equal(viaService.received, 20000);
    assert.equal(checkout.received, 7000);
    assert.equal(catalogDb.received, 4000);
    assert.equal(dns.received, 1000);
    // Denied by the node: the client never connects.
    assert.equal((await client('frontend', ['tcp-client', PODS.postgres, '5432', '100', '1500'])).connected, false);

    const byDest = (all: FlowDocument[], name: string) => all.filter((d) => d.segflow.destination.aggregated_name === name && d.segflow.verdict === 'allow');
    const all = await waitFor('the four allowed flows with final byte counts', async () => {
      const found = await docs();
      const ok = ['catalog-5f8b7c-*', 'payments-84b6f7-*', 'postgres-*'].every((n) => byDest(found, n).some((d) => (d.destination?.bytes ?? 0) >= 4000))
        && found.some((d) => d.network?.transport === 'udp' && (d.source?.bytes ?? 0) >= 1000);
      return ok ? found : undefined;
    });

    const svc = byDest(all, 'catalog-5f8b7c-*');
    assert.ok(svc.every((d) => d.segflow.destination.service?.name === 'catalog' && d.segflow.destination.service?.ip === '10.96.0.20'), 'the dialled Service is recorded');
    assert.ok(svc.every((d) => d.destination?.port === 8080), 'policy saw the backend port after DNAT');
    assert.equal(svc[0]!.segflow.source.aggregated_name, 'frontend-7d9c5b-*');
    assert.equal(svc[0]!.segflow.source.namespace, 'shop');
    assert.deepEqual(svc[0]!.segflow.source.labels, { app: 'frontend', tier: 'web' });
    assert.deepEqual(svc[0]!.segflow.policy?.ingress?.enforced_str, ['0|default|np:shop/default.catalog|allow|0']);

    const pay = byDest(all, 'payments-84b6f7-*');
    assert.deepEqual(pay[0]!.segflow.destination.labels, { app: 'payments', tier: 'api', pci: 'true' });
    assert.equal(pay[0]!.rule?.name, 'shop/default.payments');

    const db = byDest(all, 'postgres-*');
    assert.equal(db[0]!.segflow.destination.namespace, 'data');
    assert.deepEqual(db[0]!.segflow.policy?.ingress?.enforced_str, ['0|security|gnp:security.data-access|pass|0', '1|default|np:data/default.postgres|allow|0']);
    assert.deepEqual(db[0]!.segflow.policy?.ingress?.pending_str, ['0|security|gnp:security.data-access|pass|0', '1|default|snp:data/default.postgres-lockdown|deny|1'], 'the staged lockdown would deny catalog');

    // Bytes: conntrack counts IP packets. Sent payload + per-packet IPv4 (20) + TCP (20..60) headers.
    for (const [docsOf, payloadOut, payloadIn] of [[svc, 10000, 20000], [pay, 5000, 7000], [db, 3000, 4000]] as const) {
      const out = docsOf.reduce((s, d) => s + (d.source?.bytes ?? 0), 0);
      const outPackets = docsOf.reduce((s, d) => s + (d.source?.packets ?? 0), 0);
      const back = docsOf.reduce((s, d) => s + (d.destination?.bytes ?? 0), 0);
      const backPackets = docsOf.reduce((s, d) => s + (d.destination?.packets ?? 0), 0);
      assert.ok(out - payloadOut >= outPackets * 40 && out - payloadOut <= outPackets * 80, `client→server bytes ${out} = ${payloadOut} payload + headers of ${outPackets} packets`);
      assert.ok(back - payloadIn >= backPackets * 40 && back - payloadIn <= backPackets * 80, `server→client bytes ${back} = ${payloadIn} payload + headers of ${backPackets} packets`);
    }
    const udp = all.filter((d) => d.network?.transport === 'udp');
    const udpOut = udp.reduce((s, d) => s + (d.source?.bytes ?? 0), 0);
    const udpPackets = udp.reduce((s, d) => s + (d.source?.packets ?? 0), 0);
    assert.equal(udpPackets, 10);
    assert.equal(udpOut, 1000 + 10 * 28, 'UDP: payload + 28 header bytes per datagram, exactly');
    assert.deepEqual(udp[0]!.segflow.policy?.egress?.enforced_str, ['0|platform|gnp:platform.allow-dns|allow|0']);
    assert.equal(udp[0]!.segflow.destination.kind, 'public');
  });

  it('eBPF: connections the node drops arrive as denied with the deciding policy and outcome "dropped"; a drop the policies allow is a mismatch', async () => {
    assert.equal((await client('frontend', ['tcp-client', PODS.postgres, '5432', '100', '1500'])).connected, false);
    assert.equal((await client('checkout', ['tcp-client', PODS.postgres, '5432', '100', '1500'])).connected, false);
    const drops = await waitFor('both dropped connections from the eBPF source', async () => {
      const found = await docs({ bool: { filter: [{ term: { 'segflow.capture_source': 'ebpf' } }, { term: { 'segflow.observed.outcome': 'dropped' } }] } });
      const frontend = found.find((d) => d.segflow.source.name === 'frontend-7d9c5b-x2k4p' && d.segflow.destination.name === 'postgres-0');
      const checkout = found.find((d) => d.segflow.source.aggregated_name === 'checkout-66c4d9-*' && d.segflow.destination.aggregated_name === 'postgres-*');
      return frontend && checkout ? { frontend, checkout } : undefined;
    });
    // Policy and dataplane agree: the frontend may not reach the database.
    assert.equal(drops.frontend.segflow.verdict, 'deny');
    assert.equal(drops.frontend.destination?.port, 5432);
    assert.deepEqual(drops.frontend.segflow.policy?.egress?.enforced_str, ['0|platform|gnp:platform.allow-dns|pass|-1', '1|default|np:shop/default.frontend|deny|-1']);
    assert.equal(drops.frontend.rule?.name, 'shop/default.frontend');
    assert.equal(drops.frontend.segflow.observed?.dataplane_verdict, 'deny');
    assert.match(drops.frontend.segflow.observed?.rule_hint ?? '', /NETFILTER_DROP/);
    assert.equal(drops.frontend.segflow.observed?.mismatch, false);
    assert.ok((drops.frontend.source?.packets ?? 0) >= 1, 'the dropped SYNs are counted');
    // The policies allow checkout → postgres, but the node dropped it: that contradiction is flagged.
    assert.equal(drops.checkout.segflow.verdict, 'allow');
    assert.equal(drops.checkout.segflow.observed?.mismatch, true);
  });

  it('loses and duplicates nothing when the enricher is SIGKILLed mid-stream and restarted', async () => {
    const connections = 24;
    const startedBefore = (await docs({ term: { 'segflow.destination.aggregated_name': 'payments-84b6f7-*' } })).reduce((s, d) => s + (d.segflow.flows?.started ?? 0), 0);
    let made = 0;
    for (let i = 0; i < connections; i++) {
      const r = await client('checkout', ['tcp-client', PODS.payments, '8443', '1000']);
      assert.equal(r.received, 7000);
      made++;
      if (i === connections / 2) {
        enricher!.child.kill('SIGKILL');
        await new Promise((r2) => enricher!.child.once('exit', r2));
        enricher = startRole(enricherArgs, 'enricher (restarted)');
        await enricher.ready;
      }
    }
    const expected = startedBefore + made;
    const settled = await waitFor(`${expected} started connections to payments`, async () => {
      const found = await docs({ term: { 'segflow.destination.aggregated_name': 'payments-84b6f7-*' } });
      const started = found.reduce((s, d) => s + (d.segflow.flows?.started ?? 0), 0);
      const completed = found.reduce((s, d) => s + (d.segflow.flows?.completed ?? 0), 0);
      return started >= expected && completed >= expected ? { started, completed, found } : undefined;
    });
    // Settle on the enricher group's committed offsets: once they reach the end of the raw topic,
    // every message (a replay after the SIGKILL included) has been written, so a late duplicate
    // would already show below.
    await waitForGroupAtTopicEnd(kafka, `${run}-enricher`, topics.raw);
    const found = await docs({ term: { 'segflow.destination.aggregated_name': 'payments-84b6f7-*' } });
    assert.equal(found.reduce((s, d) => s + (d.segflow.flows?.started ?? 0), 0), expected, 'every connection counted exactly once');
    assert.equal(found.reduce((s, d) => s + (d.segflow.flows?.completed ?? 0), 0), settled.completed);
    const ids = found.map((d) => d.event.id);
    assert.equal(new Set(ids).size, ids.length);
    // One agent batch may feed two windows (a connection's NEW in one, its DESTROY in the next),
    // but never twice into the same document.
    for (const d of found) {
      const batches = d.segflow.aggregation?.batches ?? [];
      assert.equal(new Set(batches).size, batches.length, `document ${d.event.id} lists each agent batch once`);
    }
  });

  it('dead-letters a malformed message and keeps going; enriches denied flows from synthetic records (denied connections never reach conntrack)', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const now = Date.now();
    const ns = (ms: number) => BigInt(ms) * 1_000_000n;
    const denied: FlowRecordData = {
      source: 'synthetic', nodeName: 'node-1', startTimeUnixNano: ns(now - 1000), endTimeUnixNano: ns(now), ipVersion: 4, protocol: 6,
      original: { srcIp: ipToBytes(PODS.catalog), dstIp: ipToBytes(PODS.payments), srcPort: 45555, dstPort: 8443 },
      reply: { srcIp: ipToBytes(PODS.payments), dstIp: ipToBytes(PODS.catalog), srcPort: 8443, dstPort: 45555 },
      originalPackets: 3, originalBytes: 180, replyPackets: 0, replyBytes: 0, eventKind: 'new', tcpState: 'SYN_SENT', assured: false, unreplied: true,
      conntrackId: 0, conntrackMark: 0, dataplaneVerdict: 'deny', ruleHint: '', icmpType: 0, icmpCode: 0, icmpId: 0, countersValid: true,
    };
    await producer.send({ topic: topics.raw, messages: [
      { key: 'node-1', value: Buffer.from([0x08, 0x96, 0x01, 0xff]) },
      { key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'synthetic-e2e', bootId: 'b', sequence: 1, records: [denied], sentTimeUnixNano: ns(now), nodeName: 'node-1' })) },
    ] });
    await producer.disconnect();

    const deny = await waitFor('the synthetic denied flow', async () => (await docs({ term: { 'segflow.capture_source': 'synthetic' } }))[0]);
    assert.equal(deny.segflow.verdict, 'deny');
    assert.equal(deny.segflow.source.name, 'catalog-5f8b7c-q8r2m');
    assert.deepEqual(deny.segflow.policy?.ingress?.enforced_str, ['0|default|np:shop/default.payments|deny|-1']);
    assert.equal(deny.segflow.observed?.outcome, 'dropped');
    assert.equal(deny.segflow.observed?.mismatch, false);

    const consumer = kafka.consumer({ groupId: `${run}-dlq` });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.dlq, fromBeginning: true });
    const stage = await new Promise<string>((resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.headers?.[DEAD_LETTER_HEADERS.stage])) }));
    await consumer.disconnect();
    assert.equal(stage, 'decode');

    // The stream goes on after the bad message: a new real connection is still indexed.
    const startedBefore = (await docs({ term: { 'segflow.destination.aggregated_name': 'postgres-*' } })).reduce((s, d) => s + (d.segflow.flows?.started ?? 0), 0);
    await client('catalog', ['tcp-client', PODS.postgres, '5432', '10']);
    await waitFor('a flow after the malformed message', async () => {
      const started = (await docs({ term: { 'segflow.destination.aggregated_name': 'postgres-*' } })).reduce((s, d) => s + (d.segflow.flows?.started ?? 0), 0);
      return started > startedBefore ? started : undefined;
    });
  });
});
