/**
 * `POST /api/v1/fixes` over real Kafka and Elasticsearch: the demo shop's inventory on a Kafka
 * topic (the API follows it, documents as written included), every demo route's flow through
 * the enricher into Elasticsearch, then the fix for a denied group, replayed over those stored
 * flows; and the namespace scoping: a namespaced token never gets a change to a global policy,
 * nor to another namespace's, nor a fix for a flow it cannot see.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { TopicInventorySource } from '../../src/api/inventory/topic-inventory-source.ts';
import { ApiServer } from '../../src/api/server.ts';
import { FixAnswer } from '../../src/contract/api/fix.ts';
import { encodeFlowBatch } from '../../src/contract/wire/flow-batch-codec.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { loadResourceText } from '../../src/inventory/index.ts';
import { readResourceDocuments } from '../../src/inventory/topic/resource-documents.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { demoRecords, demoRoutes } from '../harness/demo-shop-traffic.ts';
import { msToNanos } from '../harness/flow-records.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { schemaProblems } from '../harness/schema-check.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('fixroute');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const TOKENS = {
  admin: 'admin-token-0123456789', viewer: 'viewer-token-0123456789',
  shopData: 'shopdata-admin-token-0123', shop: 'shop-admin-token-01234567', data: 'data-admin-token-01234567',
};
const FRONTEND = '10.244.1.10';
const CATALOG = '10.244.1.20';
const PAYMENTS = '10.244.1.40';
const POSTGRES = '10.244.2.10';

type Json = Record<string, unknown>;
interface Group { source: { namespace: string; name: string }; destination: { namespace: string; name: string }; port: number; current: string; candidate: string; flows: number; target: boolean }

describe('POST /api/v1/fixes over real Kafka and Elasticsearch', { timeout: 180_000 }, () => {
  const kafka = createKafka(brokers, 'fix-route-test');
  const es = createElasticsearchClient(esUrl);
  let enricher: Enricher | undefined;
  let server: ApiServer | undefined;
  let app: FastifyInstance;
  let routes: ReturnType<typeof demoRoutes>;

  const post = async (payload: Json, token = TOKENS.admin): Promise<{ status: number; body: Json }> => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/fixes', payload, headers: { authorization: `Bearer ${token}` } });
    return { status: r.statusCode, body: r.json() as Json };
  };

  before(async () => {
    const { documents } = await readResourceDocuments(['examples/shop']);
    routes = demoRoutes(documents.flatMap((d) => d.resources));
    await createPipelineTopics(kafka, topics);
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-g`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0, aggregation: { windowMs: 15_000, allowedLevel: 1, deniedLevel: 1 } });
    await enricher.start();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'node-1', bootId: 'b', sequence: 1, records: demoRecords(routes, Date.now()), sentTimeUnixNano: msToNanos(Date.now()), nodeName: 'node-1' })) }] });
    await producer.disconnect();
    // Both reporters of each pod-to-pod connection are stored; the replay keeps one per connection.
    await waitFor('the demo flows', async () => {
      await es.indices.refresh({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true });
      const n = (await es.count({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true })).count;
      return n >= routes.length ? n : undefined;
    }, 90_000);

    const tokens = parseTokenConfig({ tokens: [
      { name: 'admin', token: TOKENS.admin, role: 'admin' },
      { name: 'viewer', token: TOKENS.viewer, role: 'viewer' },
      { name: 'shop-data', token: TOKENS.shopData, role: 'admin', namespaces: ['shop', 'data'] },
      { name: 'shop', token: TOKENS.shop, role: 'admin', namespaces: ['shop'] },
      { name: 'data', token: TOKENS.data, role: 'admin', namespaces: ['data'] },
    ] });
    const inventory = new TopicInventorySource(kafka, topics.inventory, createLogger('test'));
    server = new ApiServer({ port: 0, elasticsearchUrl: esUrl, indexPrefix: prefix, logLevel: 'warn' }, { tokens, inventory });
    app = await server.ready();
  });

  after(async () => {
    await server?.stop();
    await enricher?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('fixes frontend → postgres on both sides and proves it by replay: only that group changes', async () => {
    const r = await post({ src: FRONTEND, dst: POSTGRES, protocol: 'tcp', dst_port: 5432, hours: 1, staged: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const body = r.body as Json & { edits: Json[]; changes: Json[]; replay: Json & { allowed_groups: Group[]; other_changes: Group[] }; after: { verdict: string; egress: { trace: string[] }; ingress: { trace: string[]; pending: { trace: string[] } } } };
    assert.equal(body.allowed, true);
    assert.equal((body.before as Json).verdict, 'deny');
    assert.deepEqual(body.edits.map((e) => `${(e.policy as Json).name}:${e.side}:${e.scope}:${e.action}@${e.index}`), [
      'default.frontend:egress:enforced:Allow@2',
      'security.data-access:ingress:enforced:Pass@1',
      'default.postgres:ingress:enforced:Allow@1',
      'default.postgres-lockdown:ingress:pending:Allow@1',
    ]);
    assert.deepEqual(body.after.egress.trace, ['0|platform|gnp:platform.allow-dns|pass|-1', '1|default|np:shop/default.frontend|allow|2']);
    assert.deepEqual(body.after.ingress.trace, ['0|security|gnp:security.data-access|pass|1', '1|default|np:data/default.postgres|allow|1']);
    assert.deepEqual(body.after.ingress.pending.trace, ['0|security|gnp:security.data-access|pass|1', '1|default|snp:data/default.postgres-lockdown|allow|1']);
    // Exactly the schema's answer over HTTP (every field the UI and CLI read), the steps in parts too.
    assert.deepEqual(schemaProblems(FixAnswer, r.body), []);
    const typed = r.body as FixAnswer;
    assert.deepEqual(typed.after.egress.hits.map((h) => [h.tier, h.kind, h.namespace, h.name, h.action, h.ruleIndex, h.endOfTier]),
      [['platform', 'gnp', null, 'platform.allow-dns', 'pass', -1, true], ['default', 'np', 'shop', 'default.frontend', 'allow', 2, false]]);
    assert.equal(typed.after.egress.deciding_hit, 1);
    assert.equal(typed.after.ingress.reached, true);
    assert.equal(typed.before.ingress.reached, false, 'before the fix the source side denies first');
    assert.ok(typed.replay !== null && typed.replay.allowed_groups.every((g) => typeof g.key === 'string' && g.sample.src_ip !== ''), 'the CLI prints the group keys');

    // Whole documents, as written plus one rule: they load, and the diff adds only lines.
    for (const c of body.changes) {
      const loaded = loadResourceText(c.yaml as string, 'fix');
      assert.deepEqual(loaded.issues.filter((i) => i.severity === 'error'), []);
      assert.match(c.diff as string, /^--- a\//);
      assert.ok((c.diff as string).split('\n').every((l) => !l.startsWith('-') || l.startsWith('---')), 'nothing removed');
      assert.match(c.staged_yaml as string, /kind: Staged(Global)?NetworkPolicy/);
    }
    const frontendDoc = parse(body.changes[0]!.yaml as string) as { spec: { egress: Json[] } };
    assert.deepEqual(frontendDoc.spec.egress[2], { action: 'Allow', protocol: 'TCP', destination: { selector: "app == 'postgres'", namespaceSelector: "projectcalico.org/name == 'data'", ports: ['pg'] } });

    const replay = body.replay;
    const targetRoutes = routes.filter((x) => x.client.ip === FRONTEND && x.server.ip === POSTGRES).length;
    assert.equal(replay.target_found, true);
    assert.equal(replay.target_flows, targetRoutes, 'direct and through the Service');
    assert.equal(replay.deny_to_allow, targetRoutes);
    assert.equal(replay.allow_to_deny, 0);
    assert.deepEqual(replay.allowed_groups.map((g) => `${g.source.namespace}/${g.source.name}>${g.destination.namespace}/${g.destination.name}:${g.port}:${g.target}`), ['shop/frontend-7d9c5b-*>data/postgres-*:5432:true']);
    assert.deepEqual(replay.other_changes, []);
    assert.equal(replay.other_changed_flows, 0);
    assert.equal(replay.evaluated, routes.length, 'one report per connection');
    assert.equal((body.staged_trial as Json).enforced_verdict, 'deny', 'staged variants change no enforced verdict');
  });

  it('a namespaced token gets fixes only to its namespaces\' policies, never to global ones', async () => {
    const global = await post({ src: FRONTEND, dst: POSTGRES, protocol: 'tcp', dst_port: 5432, hours: 1 }, TOKENS.shopData);
    assert.equal(global.status, 403, JSON.stringify(global.body));
    assert.match((global.body.error as Json).message as string, /GlobalNetworkPolicy security\.data-access \(global\)/);

    // catalog → payments ends in the default tier: the fix edits shop/default.payments only.
    const shop = await post({ src: CATALOG, dst: PAYMENTS, protocol: 'tcp', dst_port: 8443, hours: 1 }, TOKENS.shop);
    assert.equal(shop.status, 200, JSON.stringify(shop.body));
    assert.deepEqual((shop.body.edits as Json[]).map((e) => `${(e.policy as Json).namespace}/${(e.policy as Json).name}@${e.index}`), ['shop/default.payments@1']);
    assert.deepEqual(((shop.body.edits as Json[])[0]!.rule as Json), { action: 'Allow', protocol: 'TCP', source: { selector: "app == 'catalog'" }, destination: { ports: ['https'] } });
    const replay = shop.body.replay as { deny_to_allow: number; allow_to_deny: number; other_changes: unknown[] };
    assert.equal(replay.allow_to_deny, 0);
    assert.deepEqual(replay.other_changes, []);
    assert.equal(replay.deny_to_allow, routes.filter((x) => x.client.ip === CATALOG && x.server.ip === PAYMENTS).length);

    const foreignPolicy = await post({ src: CATALOG, dst: PAYMENTS, protocol: 'tcp', dst_port: 8443, hours: 1 }, TOKENS.data);
    assert.equal(foreignPolicy.status, 403, 'a flow between two shop endpoints is not the data token\'s');
    const viewer = await post({ src: CATALOG, dst: PAYMENTS, protocol: 'tcp', dst_port: 8443 }, TOKENS.viewer);
    assert.equal(viewer.status, 403, 'fixes need the admin role, like previews');
  });

  it('rejects bad input naming the field, and says so when nothing needs fixing', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }> };
    const schema = spec.paths['/api/v1/fixes']?.post?.requestBody?.content['application/json']?.schema;
    assert.deepEqual(Object.keys(schema?.properties ?? {}).sort(), ['dst', 'dst_port', 'examples', 'hours', 'icmp_code', 'icmp_type', 'protocol', 'src', 'src_port', 'staged', 'time'], 'documented in the OpenAPI document');
    const bad = await post({ src: FRONTEND, dst: 'postgres', protocol: 'tcp', dst_port: 5432 });
    assert.equal(bad.status, 400);
    assert.equal((bad.body.error as Json).parameter, 'dst');
    const unknown = await post({ src: FRONTEND, dst: POSTGRES, protocol: 'tcp', dst_port: 5432, policy: 'x' });
    assert.equal(unknown.status, 400);
    const allowed = await post({ src: '10.244.1.30', dst: POSTGRES, protocol: 'tcp', dst_port: 5432, hours: 1 });
    assert.equal(allowed.status, 200);
    assert.deepEqual(allowed.body.edits, []);
    assert.equal(allowed.body.replay, null);
    assert.deepEqual(schemaProblems(FixAnswer, allowed.body), []);
    assert.match((allowed.body.notes as string[]).join(), /allowed already/);
  });
});
