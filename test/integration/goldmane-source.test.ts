// segflow-test-requires: goldmane (npm test lists this file as NOT RUN when the binary is missing)
/**
 * Calico's own flows from the real Goldmane (v3.32.1) through the whole pipeline: flows pushed
 * into Goldmane the way Felix pushes them are read by the Goldmane source role (Flows.Stream with
 * history), published to Kafka, enriched and indexed by the enricher, and served by the API —
 * with names, namespaces, labels, action, both Calico traces, bytes and connection counts as
 * Calico reported them, segflow's own evaluation beside them, and a disagreement flagged.
 * A restart of the source and a restart of Goldmane (Felix re-sending what it had sent, as it
 * does on reconnect) lose and duplicate nothing.
 *
 * Needs the Goldmane binary (test/harness/goldmane.ts says where it is looked for); without it
 * `npm test` lists this file as NOT RUN (not passed) naming the reason and how to run it, and
 * fails it when the file is named or SEGFLOW_REQUIRE_ALL_SUITES=1 (CI).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { TopicInventorySource } from '../../src/api/inventory/topic-inventory-source.ts';
import { ApiServer } from '../../src/api/server.ts';
import type { GoldmaneFlow, GoldmanePolicyHit } from '../../src/contract/goldmane/goldmane-flow.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { GoldmaneRole } from '../../src/goldmane/goldmane-role.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { PLAINTEXT_KAFKA } from '../../src/runtime/role-config/kafka-security-contract.ts';
import { FelixLikePusher, requireGoldmaneBinary, startGoldmane, type RunningGoldmane } from '../harness/goldmane.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const binary = requireGoldmaneBinary('test/integration/goldmane-source.test.ts (Calico flows from the real Goldmane through the pipeline)');
const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('goldmane');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const ADMIN = 'admin-token-0123456789';

const WORKLOAD = 1;
const NETWORK = 4;
const SRC = 1;
const DST = 2;
const ALLOW = 1;
const DENY = 2;
const PASS = 3;
const NP = 1;
const GNP = 2;
const STAGED_NP = 3;
const END_OF_TIER = 10;

function hit(index: number, tier: string, kind: number, namespace: string, name: string, action: number, rule: number): GoldmanePolicyHit {
  return { kind, namespace, name, tier, action, policyIndex: index, ruleIndex: rule, trigger: null };
}
function endOfTier(index: number, tier: string, trigger: GoldmanePolicyHit, action: number): GoldmanePolicyHit {
  return { kind: END_OF_TIER, namespace: '', name: '', tier, action, policyIndex: index, ruleIndex: -1, trigger };
}
const DNS_PASS = endOfTier(0, 'platform', hit(0, 'platform', GNP, '', 'platform.allow-dns', PASS, -1), PASS);

/** Bucket start (Unix s) `bucketsAgo` 15 s buckets before the current one. */
function bucket(bucketsAgo: number): number {
  const now = Math.floor(Date.now() / 1000);
  return now - (now % 15) - 15 * bucketsAgo;
}

interface FlowSpec {
  src: [string, string, number?]; dst: [string, string, number?]; port: number; reporter: number; action: number;
  enforced: GoldmanePolicyHit[]; pending?: GoldmanePolicyHit[]; srcLabels: string[]; dstLabels: string[];
  bytes: [number, number]; packets: [number, number]; conns: [number, number, number]; start: number;
}
function flow(s: FlowSpec): GoldmaneFlow {
  return {
    key: {
      sourceName: s.src[0], sourceNamespace: s.src[1], sourceType: s.src[2] ?? WORKLOAD, destName: s.dst[0], destNamespace: s.dst[1], destType: s.dst[2] ?? WORKLOAD,
      destPort: s.port, destServiceName: '', destServiceNamespace: '', destServicePortName: '', destServicePort: 0, proto: 'tcp', reporter: s.reporter, action: s.action,
      enforced: s.enforced, pending: s.pending ?? s.enforced,
    },
    startTime: s.start, endTime: s.start + 15, sourceLabels: s.srcLabels, destLabels: s.dstLabels,
    bytesIn: s.bytes[0], bytesOut: s.bytes[1], packetsIn: s.packets[0], packetsOut: s.packets[1],
    connectionsStarted: s.conns[0], connectionsCompleted: s.conns[1], connectionsLive: s.conns[2],
  };
}

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Calico flows from the real Goldmane', { timeout: 300_000 }, () => {
  const kafka = createKafka(brokers, 'goldmane-test');
  const es = createElasticsearchClient(esUrl);
  let goldmane: RunningGoldmane | undefined;
  let pusher: FelixLikePusher | undefined;
  let enricher: Enricher | undefined;
  let role: GoldmaneRole | undefined;
  let server: ApiServer | undefined;
  let app: FastifyInstance;
  const start = bucket(8); // two minutes back: already emitted, so only history can bring it

  // checkout → payments, reported by the destination, allowed by its ingress policy: segflow agrees.
  const allowed = flow({
    src: ['checkout-66c4d9-*', 'shop'], dst: ['payments-84b6f7-*', 'shop'], port: 8443, reporter: DST, action: ALLOW,
    enforced: [hit(0, 'default', NP, 'shop', 'default.payments', ALLOW, 0)],
    pending: [hit(0, 'default', STAGED_NP, 'shop', 'default.payments-lockdown', DENY, 0)],
    srcLabels: ['app=checkout', 'tier=api'], dstLabels: ['app=payments', 'pci=true', 'tier=api'],
    bytes: [1200, 3400], packets: [12, 30], conns: [3, 2, 1], start,
  });
  // catalog → payments, denied at the end of the default tier: segflow agrees.
  const denied = flow({
    src: ['catalog-5f8b7c-*', 'shop'], dst: ['payments-84b6f7-*', 'shop'], port: 8443, reporter: DST, action: DENY,
    enforced: [endOfTier(0, 'default', hit(0, 'default', NP, 'shop', 'default.payments', DENY, -1), DENY)],
    srcLabels: ['app=catalog'], dstLabels: ['app=payments'], bytes: [180, 0], packets: [3, 0], conns: [3, 0, 0], start,
  });
  // frontend → postgres reported allowed by Calico; the inventory's policies deny it: flagged.
  const contradicted = flow({
    src: ['frontend-7d9c5b-*', 'shop'], dst: ['postgres-*', 'data'], port: 5432, reporter: SRC, action: ALLOW,
    enforced: [DNS_PASS, hit(1, 'default', NP, 'shop', 'default.frontend', ALLOW, 0)],
    srcLabels: ['app=frontend'], dstLabels: ['app=postgres'], bytes: [700, 900], packets: [7, 9], conns: [1, 1, 0], start,
  });
  // frontend → catalog pod, reported by the source and allowed: segflow agrees (egress side).
  const bySource = flow({
    src: ['frontend-7d9c5b-*', 'shop'], dst: ['catalog-5f8b7c-*', 'shop'], port: 8080, reporter: SRC, action: ALLOW,
    enforced: [DNS_PASS, hit(1, 'default', NP, 'shop', 'default.frontend', ALLOW, 0)],
    srcLabels: ['app=frontend'], dstLabels: ['app=catalog'], bytes: [50, 60], packets: [1, 1], conns: [1, 1, 0], start,
  });
  // From the internet: Goldmane gives no address, segflow cannot evaluate it.
  const fromInternet = flow({
    src: ['pub', '', NETWORK], dst: ['payments-84b6f7-*', 'shop'], port: 8443, reporter: DST, action: DENY,
    enforced: [endOfTier(0, 'default', hit(0, 'default', NP, 'shop', 'default.payments', DENY, -1), DENY)],
    srcLabels: [], dstLabels: ['app=payments'], bytes: [60, 0], packets: [1, 0], conns: [1, 0, 0], start: bucket(7),
  });
  const initial = [allowed, denied, contradicted, bySource, fromInternet];

  const startRole = async (): Promise<GoldmaneRole> => {
    const r = new GoldmaneRole({ address: goldmane!.address, brokers, topic: topics.raw, kafkaSecurity: PLAINTEXT_KAFKA, sourceName: 'test-cluster', http: null, initialBackoffMs: 200, maxBackoffMs: 1000, catchUpAfterMs: 5000 }, createLogger('goldmane-test'));
    await r.start();
    return r;
  };
  const documents = async (): Promise<Doc[]> => {
    await es.indices.refresh({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true });
    const r = await es.search({ index: `${prefix}-*`, size: 100, query: { match_all: {} }, allow_no_indices: true, ignore_unavailable: true });
    return r.hits.hits.map((h) => ({ _id: h._id, ...(h._source as Doc) }));
  };
  const waitForDocuments = (n: number, what: string): Promise<Doc[]> => waitFor(what, async () => {
    const docs = await documents();
    return docs.length >= n ? docs : undefined;
  }, 90_000);
  const byPair = (docs: Doc[], src: string, dst: string): Doc => {
    const found = docs.filter((d) => d.segflow.source.aggregated_name === src && d.segflow.destination.aggregated_name === dst);
    assert.equal(found.length, 1, `exactly one document ${src} → ${dst}, got ${found.length}`);
    return found[0]!;
  };
  const get = async (url: string): Promise<{ status: number; body: Doc }> => {
    const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN}` } });
    return { status: r.statusCode, body: r.json() as Doc };
  };

  before(async () => {
    await createPipelineTopics(kafka, topics);
    goldmane = await startGoldmane(binary);
    pusher = new FelixLikePusher(goldmane.address);
    await pusher.pushAll(initial);
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-g`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
    role = await startRole();
    const tokens = parseTokenConfig({ tokens: [{ name: 'admin', token: ADMIN, role: 'admin' }] });
    server = new ApiServer({ port: 0, elasticsearchUrl: esUrl, indexPrefix: prefix, logLevel: 'warn' }, { tokens, inventory: new TopicInventorySource(kafka, topics.inventory, createLogger('test')) });
    app = await server.ready();
  });

  after(async () => {
    pusher?.close();
    await role?.stop();
    await server?.stop();
    await enricher?.stop();
    await goldmane?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('indexes what Calico reported: names, namespaces, labels, action, both traces, bytes, connections', async () => {
    const docs = await waitForDocuments(initial.length, 'the five Goldmane flows in Elasticsearch');
    assert.equal(docs.length, initial.length);
    for (const d of docs) {
      assert.equal(d.segflow.capture_source, 'goldmane');
      assert.equal(d.segflow.calico.source, 'test-cluster');
      assert.equal(d.source.ip, undefined, 'Goldmane has no addresses');
      assert.equal(d.source.port, undefined, 'nor source ports');
      assert.equal(d._id, d.event.id);
    }
    const a = byPair(docs, 'checkout-66c4d9-*', 'payments-84b6f7-*');
    assert.equal(a.segflow.source.namespace, 'shop');
    assert.deepEqual(a.segflow.source.labels, { app: 'checkout', tier: 'api' });
    assert.deepEqual(a.segflow.destination.labels, { app: 'payments', pci: 'true', tier: 'api' });
    assert.equal(a.destination.port, 8443);
    assert.equal(a.network.transport, 'tcp');
    assert.equal(a.segflow.reporter, 'dst');
    assert.equal(a.segflow.verdict, 'allow');
    assert.equal(a.segflow.calico.action, 'allow');
    assert.deepEqual(a.segflow.calico.enforced_str, ['0|default|np:shop/default.payments|allow|0']);
    assert.deepEqual(a.segflow.calico.pending_str, ['0|default|snp:shop/default.payments-lockdown|deny|0']);
    assert.equal(a.segflow.pending_verdict, 'deny');
    // Reported by the destination: what it received (in) went source → destination.
    assert.equal(a.source.bytes, 1200);
    assert.equal(a.destination.bytes, 3400);
    assert.equal(a.source.packets, 12);
    assert.equal(a.destination.packets, 30);
    assert.equal(a.network.bytes, 4600);
    assert.deepEqual([a.segflow.flows.started, a.segflow.flows.completed, a.segflow.flows.live], [3, 2, 1]);
    assert.equal(a['@timestamp'], new Date((start + 15) * 1000).toISOString());
    assert.equal(a.segflow.calico.evaluation, 'agrees');
    assert.equal(a.segflow.calico.disagreement, false);
    assert.equal(a.segflow.calico.evaluated_verdict, 'allow');

    const b = byPair(docs, 'catalog-5f8b7c-*', 'payments-84b6f7-*');
    assert.equal(b.segflow.verdict, 'deny');
    assert.deepEqual(b.segflow.calico.enforced, [{ policy_index: 0, tier: 'default', kind: 'np', namespace: 'shop', name: 'default.payments', action: 'deny', rule_index: -1, trigger: 'np:shop/default.payments' }]);
    assert.equal(b.segflow.calico.evaluation, 'agrees');
    assert.equal(b.rule.name, 'shop/default.payments');

    const s = byPair(docs, 'frontend-7d9c5b-*', 'catalog-5f8b7c-*');
    assert.equal(s.segflow.reporter, 'src');
    assert.equal(s.source.bytes, 60, 'reported by the source: what it sent (out) went source → destination');
    assert.equal(s.segflow.calico.evaluation, 'agrees', s.segflow.calico.disagreement_reason);

    const pub = byPair(docs, 'pub', 'payments-84b6f7-*');
    assert.equal(pub.segflow.source.kind, 'public');
    assert.equal(pub.segflow.calico.evaluation, 'unresolved');
    assert.match(pub.segflow.calico.disagreement_reason, /public network end without an address/);
  });

  it('flags the flow whose Calico trace contradicts segflow\'s verdict', async () => {
    const docs = await documents();
    const c = byPair(docs, 'frontend-7d9c5b-*', 'postgres-*');
    assert.equal(c.segflow.verdict, 'allow', 'the verdict is what Calico did');
    assert.equal(c.segflow.calico.evaluated_verdict, 'deny');
    assert.equal(c.segflow.calico.disagreement, true);
    assert.equal(c.segflow.calico.evaluation, 'disagrees');
    assert.match(c.segflow.calico.disagreement_reason, /^action: calico allow, segflow deny \(egress trace .*np:shop\/default\.frontend\|deny\|-1/);
    assert.deepEqual(c.segflow.policy.egress.enforced_str, ['0|platform|gnp:platform.allow-dns|pass|-1', '1|default|np:shop/default.frontend|deny|-1']);
    const metrics = await enricher!.registry.getSingleMetric('segflow_enricher_goldmane_flows_total')!.get();
    const value = (evaluation: string): number => metrics.values.find((v) => v.labels.evaluation === evaluation)?.value ?? 0;
    assert.equal(value('disagrees'), 1);
    assert.equal(value('agrees'), 3);
    assert.equal(value('unresolved'), 1);
  });

  it('serves them through /api/v1/flows (with the disagreement filter) and /denied', async () => {
    const all = await get('/api/v1/flows?from=now-1h&capture_source=goldmane');
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.equal((all.body.flows as Doc[]).length, initial.length);
    const flagged = await get('/api/v1/flows?from=now-1h&disagreement=true');
    assert.equal(flagged.status, 200, JSON.stringify(flagged.body));
    assert.deepEqual((flagged.body.flows as Doc[]).map((f) => f.segflow.destination.aggregated_name), ['postgres-*']);
    const calicoDenied = await get('/api/v1/flows?from=now-1h&calico_action=deny');
    assert.equal((calicoDenied.body.flows as Doc[]).length, 2);
    const deniedGroups = await get('/api/v1/denied?from=now-1h');
    assert.equal(deniedGroups.status, 200, JSON.stringify(deniedGroups.body));
    const groups = deniedGroups.body.groups as Doc[];
    const names = groups.map((g) => JSON.stringify(g)).filter((g) => g.includes('payments-84b6f7-*'));
    assert.ok(names.length >= 1, `the denied Goldmane flows appear in /denied: ${JSON.stringify(groups)}`);
  });

  it('a restarted source loses and duplicates nothing Goldmane still holds', async () => {
    const before = new Map((await documents()).map((d) => [d._id as string, d]));
    await role!.stop();
    // Something happens while the source is down.
    const whileDown = flow({
      src: ['checkout-66c4d9-*', 'shop'], dst: ['postgres-*', 'data'], port: 5432, reporter: SRC, action: ALLOW,
      enforced: [DNS_PASS, hit(1, 'default', NP, 'shop', 'default.checkout', ALLOW, 1)],
      srcLabels: ['app=checkout'], dstLabels: ['app=postgres'], bytes: [10, 20], packets: [1, 2], conns: [1, 1, 0], start: bucket(6),
    });
    await pusher!.push(whileDown);
    role = await startRole();
    const docs = await waitForDocuments(initial.length + 1, 'the flow pushed while the source was down');
    await new Promise((r) => setTimeout(r, 3000)); // replays of the history would land by now
    const after = await documents();
    assert.equal(after.length, initial.length + 1, 'no duplicates');
    for (const [id, d] of before) {
      const now = after.find((x) => x._id === id);
      assert.ok(now, `document ${id} still there`);
      assert.equal(now.network.bytes, d.network.bytes, 'counters not added up twice');
      assert.equal(now.segflow.flows.started, d.segflow.flows.started);
    }
    assert.ok(docs.some((d) => d.segflow.destination.aggregated_name === 'postgres-*' && d.segflow.source.aggregated_name === 'checkout-66c4d9-*'));
    const received = (await role.registry.getSingleMetric('segflow_goldmane_flows_received_total')!.get()).values[0]?.value ?? 0;
    assert.ok(received >= initial.length + 1, `the restarted source read the history again (${received})`);
  });

  it('a restarted Goldmane (Felix re-sending what it had) loses and duplicates nothing', async () => {
    const before = new Map((await documents()).map((d) => [d._id as string, d]));
    pusher!.close();
    await goldmane!.restart();
    pusher = new FelixLikePusher(goldmane!.address);
    // Felix re-sends its cache after a reconnect; Goldmane gives the flows new result ids.
    await pusher.pushAll(initial);
    const fresh = flow({
      src: ['checkout-66c4d9-*', 'shop'], dst: ['redis-*', 'data'], port: 6379, reporter: DST, action: ALLOW,
      enforced: [hit(0, 'default', 6, 'data', 'redis', ALLOW, 0)],
      srcLabels: ['app=checkout'], dstLabels: ['app=redis'], bytes: [5, 5], packets: [1, 1], conns: [1, 1, 0], start: bucket(5),
    });
    await pusher.push(fresh);
    const docs = await waitForDocuments(before.size + 1, 'the flow pushed after the Goldmane restart');
    await new Promise((r) => setTimeout(r, 3000));
    const after = await documents();
    assert.equal(after.length, before.size + 1, `no duplicates after the Goldmane restart (${after.length})`);
    for (const [id, d] of before) {
      const now = after.find((x) => x._id === id);
      assert.ok(now, `document ${id} still there`);
      assert.equal(now.network.bytes, d.network.bytes);
    }
    const redis = docs.find((d) => d.segflow.destination.aggregated_name === 'redis-*');
    assert.ok(redis);
    const reconnects = (await role!.registry.getSingleMetric('segflow_goldmane_reconnects_total')!.get()).values.reduce((n, v) => n + v.value, 0);
    assert.ok(reconnects >= 1, 'the source reconnected');
  });
});
