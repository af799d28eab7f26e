/**
 * Recommendations on the real pipeline (inventory topic → Kafka raw topic → enricher →
 * Elasticsearch → API): the demo shop's synthetic traffic (every route the shop's inventory
 * gives the `data` namespace, allowed and denied, as the synthetic collector derives them), a
 * recommendation for `data` through `segflow recommend` over HTTP, applied as enforced policies
 * through `segflow inventory apply`; new flows of every route then keep their verdicts (the
 * allowed ones stay allowed, now allowed by the recommendation), and the replay said so first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { TopicInventorySource } from '../../src/api/inventory/topic-inventory-source.ts';
import { ApiServer } from '../../src/api/server.ts';
import { RecommendationAnswer } from '../../src/contract/api/recommendations.ts';
import { deriveTrafficPlan, type SyntheticRoute } from '../../src/collector/sources/synthetic/synthetic-traffic-plan.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { loadResourcePaths } from '../../src/inventory/index.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { schemaProblems } from '../harness/schema-check.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const exec = promisify(execFile);
const projectRoot = path.resolve(import.meta.dirname, '../..');
const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('recpipe');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const TOKENS = { admin: 'admin-token-0123456789', shop: 'shop-token-0123456789', data: 'data-token-0123456789' };

type Json = Record<string, unknown>;
interface FlowHit { source: { ip: string; port: number }; destination: { ip: string; port: number }; segflow: { verdict: string; policy?: { egress?: { enforced_str?: string[] }; ingress?: { enforced_str?: string[] } } } }

/** Both sides' enforced traces. */
const hitsOf = (doc: FlowHit): string[] => [...doc.segflow.policy?.egress?.enforced_str ?? [], ...doc.segflow.policy?.ingress?.enforced_str ?? []];

let nextPort = 20_000;
/** One connection of a route, with a source port of its own so its document can be found. */
function recordOf(route: SyntheticRoute, endMs: number): FlowRecordData {
  const sport = nextPort++;
  const denied = route.verdict === 'deny';
  return route.kind === 'service'
    ? tcpRecord(route.client.ip, route.dialledIp, route.dialledPort, { replySrc: route.server.ip, replySport: route.serverPort, sport, denied, endMs })
    : tcpRecord(route.client.ip, route.server.ip, route.serverPort, { sport, denied, endMs });
}

describe('recommendations over the real pipeline', { timeout: 300_000 }, () => {
  const kafka = createKafka(brokers, 'recommendations-pipeline-test');
  const es = createElasticsearchClient(esUrl);
  let enricher: Enricher | undefined;
  let server: ApiServer | undefined;
  let app: FastifyInstance;
  let apiUrl: string;
  let workDir: string;
  let routes: SyntheticRoute[];
  let sequence = 1;

  const post = async (payload: Json, token = TOKENS.data): Promise<{ status: number; body: Json }> => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/recommendations', payload, headers: { authorization: `Bearer ${token}` } });
    return { status: r.statusCode, body: r.json() as Json };
  };
  const send = async (records: FlowRecordData[]): Promise<void> => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'node-1', bootId: 'b', sequence: sequence++, records, sentTimeUnixNano: msToNanos(Date.now()), nodeName: 'node-1' })) }] });
    await producer.disconnect();
  };
  /** The documents of these records (by source port), once all are indexed. */
  const documentsOf = async (records: FlowRecordData[], what: string): Promise<Map<number, FlowHit>> => waitFor(what, async () => {
    await es.indices.refresh({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true });
    const ports = records.map((r) => r.original!.srcPort);
    const r = await es.search<FlowHit>({ index: `${prefix}-*`, size: 1000, query: { terms: { 'source.port': ports } }, _source: ['source', 'destination', 'segflow.verdict', 'segflow.policy.egress.enforced_str', 'segflow.policy.ingress.enforced_str'] });
    const byPort = new Map(r.hits.hits.map((h) => [h._source!.source.port, h._source!]));
    return byPort.size >= records.length ? byPort : undefined;
  }, 90_000);

  before(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'segflow-rec-'));
    await createPipelineTopics(kafka, topics);
    // Level 0: one document per connection, addresses and ports kept, so each can be found and replayed.
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-g`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0, aggregation: { windowMs: 2_000, allowedLevel: 0, deniedLevel: 0 } });
    await enricher.start();
    const { resources } = await loadResourcePaths([path.join(projectRoot, 'examples/shop')]);
    const plan = deriveTrafficPlan(resources);
    routes = [...plan.allowed, ...plan.denied].filter((r) => r.protocol === 6 && (r.client.namespace === 'data' || r.server.namespace === 'data'));
    assert.ok(routes.filter((r) => r.verdict === 'allow').length >= 5, `the shop gives data several allowed routes: ${routes.length}`);
    assert.ok(routes.some((r) => r.verdict === 'deny'), 'and denied ones (frontend → postgres)');
    const records = routes.map((r) => recordOf(r, Date.now()));
    await send(records);
    const docs = await documentsOf(records, 'the synthetic data traffic, enriched');
    // The enricher agrees with the plan on every route (the inventory it used is the shop's).
    routes.forEach((r, i) => assert.equal(docs.get(records[i]!.original!.srcPort)?.segflow.verdict, r.verdict, `${r.client.name} → ${r.server.name}:${r.serverPort}`));

    const tokens = parseTokenConfig({ tokens: [
      { name: 'admin', token: TOKENS.admin, role: 'admin' },
      { name: 'shop', token: TOKENS.shop, role: 'viewer', namespaces: ['shop'] },
      { name: 'data', token: TOKENS.data, role: 'viewer', namespaces: ['data'] },
    ] });
    const inventory = new TopicInventorySource(kafka, topics.inventory, createLogger('test'));
    server = new ApiServer({ port: 0, elasticsearchUrl: esUrl, indexPrefix: prefix, logLevel: 'warn' }, { tokens, inventory });
    apiUrl = await server.start();
    app = await server.ready();
  });

  after(async () => {
    await server?.stop();
    await enricher?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('recommends for data from the allowed traffic only, and the replay keeps every observed allowed flow allowed', async (t) => {
    const allowed = routes.filter((r) => r.verdict === 'allow').length;
    const r = await post({ namespace: 'data', output: 'staged', tier: 'security', from: 'now-1h' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const body = r.body as { observed: { allowed: number; denied_not_recommended: number }; workloads: { name: string }[]; documents: { kind: string; metadata: { name: string } }[]; dns: { observed_flows: number; note: string }; replay: Json };
    assert.equal(body.observed.allowed, allowed);
    assert.equal(body.observed.denied_not_recommended, routes.length - allowed);
    assert.deepEqual(body.workloads.map((w) => w.name).sort(), ['postgres', 'redis']);
    assert.deepEqual(body.documents.map((d) => `${d.kind}/${d.metadata.name}`), ['StagedNetworkPolicy/security.recommended-postgres', 'StagedNetworkPolicy/security.recommended-redis']);
    assert.equal(body.dns.observed_flows, 0);
    assert.match(body.dns.note, /no DNS flows were observed/);
    assert.equal(body.replay.allow_to_deny, 0, JSON.stringify(body.replay));
    assert.equal(body.replay.allowed_kept, allowed);
    assert.equal(body.replay.allowed_not_replayed, 0, 'level 0 keeps every address');
    assert.equal(body.replay.verified, true);
    // Exactly the schema's answer over HTTP: nothing the UI or the CLI reads went missing.
    assert.deepEqual(schemaProblems(RecommendationAnswer, r.body), []);
    assert.match((r.body as RecommendationAnswer).yaml, /kind: StagedNetworkPolicy/);
    const rp = body.replay as { evaluated: number; allowed_kept: number; denied_kept: number; allow_to_deny: number; deny_to_allow: number };
    t.diagnostic(`replay: ${routes.length} routes, ${rp.evaluated} flows evaluated, ${rp.allowed_kept} allowed kept, ${rp.denied_kept} denied kept, ${rp.allow_to_deny} allow→deny, ${rp.deny_to_allow} deny→allow`);
  });

  it('is namespace-scoped: a token gets only its namespaces and never global resources; bad input is named', async () => {
    const foreign = await post({ namespace: 'data' }, TOKENS.shop);
    assert.equal(foreign.status, 403, JSON.stringify(foreign.body));
    assert.match(JSON.stringify(foreign.body), /may only get recommendations for its namespaces \(shop\)/);
    const global = await post({ namespace: 'data', network_sets: 'global' });
    assert.equal(global.status, 403);
    assert.match(JSON.stringify(global.body), /GlobalNetworkSets/);
    const asAdmin = await post({ namespace: 'data', network_sets: 'global', from: 'now-1h' }, TOKENS.admin);
    assert.equal(asAdmin.status, 200, 'an unrestricted token may');
    const tier = await post({ namespace: 'data', tier: 'nosuchtier' });
    assert.equal(tier.status, 400);
    assert.match(JSON.stringify(tier.body), /no tier \\"nosuchtier\\".*platform, security/);
    const schema = await post({ namespace: 'Data', output: 'yaml' });
    assert.equal(schema.status, 400, 'the TypeBox schema refuses a bad namespace and output');
    const workload = await post({ namespace: 'data', workload: 'mysql', from: 'now-1h' });
    assert.equal(workload.status, 400);
    assert.match(JSON.stringify(workload.body), /no observed workload \\"mysql\\" in namespace data \(observed: postgres, redis\)/);
    const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }> };
    const props = openapi.paths['/api/v1/recommendations']?.post?.requestBody?.content['application/json']?.schema.properties ?? {};
    assert.ok(['namespace', 'workload', 'from', 'to', 'output', 'tier', 'dns', 'network_sets'].every((p) => p in props), Object.keys(props).join(','));
  });

  it('segflow recommend → segflow inventory apply (enforced): new flows of every route keep their verdicts', async (t) => {
    const env = { ...process.env, SEGFLOW_API_TOKEN: TOKENS.data, SEGFLOW_API_URL: apiUrl, NODE_NO_WARNINGS: '1' };
    const cli = path.join(projectRoot, 'bin/segflow.js');
    const rec = await exec(process.execPath, [cli, 'recommend', '-n', 'data', '-o', 'calico', '--tier', 'default', '--order', '10', '--from', 'now-1h', '--fail-on-change'], { env, cwd: projectRoot });
    t.diagnostic(rec.stderr);
    assert.match(rec.stderr, /verified: every observed allowed flow stays allowed/);
    assert.match(rec.stderr, /0 allowed → denied/);
    assert.match(rec.stdout, /kind: NetworkPolicy\n/);
    const file = path.join(workDir, 'data-recommended.yaml');
    await writeFile(file, rec.stdout);
    const applied = await exec(process.execPath, [cli, 'inventory', 'apply', '-f', file, '--brokers', brokers, '--topic', topics.inventory], { env, cwd: projectRoot });
    assert.match(applied.stdout, /NetworkPolicy\/data\/default\.recommended-postgres created/);
    assert.match(applied.stdout, /NetworkPolicy\/data\/default\.recommended-redis created/);

    // Wait until the enricher decides with the recommendation: a probe of checkout → postgres
    // is allowed by the recommended policy (order 10 comes before default.postgres).
    const probeRoute = routes.find((r) => r.kind === 'direct' && r.verdict === 'allow' && r.server.namespace === 'data' && r.client.name.startsWith('checkout'));
    assert.ok(probeRoute, 'checkout → postgres is one of the routes');
    await waitFor('the enricher to use the applied recommendation', async () => {
      const probe = [recordOf(probeRoute, Date.now())];
      await send(probe);
      const doc = [...(await documentsOf(probe, 'the probe')).values()][0];
      return doc !== undefined && hitsOf(doc).some((h) => h.includes('np:data/default.recommended-postgres|allow')) ? true : undefined;
    }, 120_000);

    const records = routes.map((r) => recordOf(r, Date.now()));
    await send(records);
    const docs = await documentsOf(records, 'the new flows of every route');
    routes.forEach((r, i) => {
      const doc = docs.get(records[i]!.original!.srcPort)!;
      assert.equal(doc.segflow.verdict, r.verdict, `${r.client.name} → ${r.server.name}:${r.serverPort} keeps its verdict`);
      // An allowed flow is now allowed by the recommendation on its data side (order 10 comes first).
      if (r.verdict === 'allow') assert.ok(hitsOf(doc).some((h) => /np:data\/default\.recommended-[a-z]+\|allow\|/.test(h)), `${r.client.name} → ${r.server.name}: ${hitsOf(doc).join(' ')}`);
    });
    t.diagnostic(`after apply: ${records.length} new flows, ${routes.filter((r) => r.verdict === 'allow').length} allowed by a recommended policy, ${routes.filter((r) => r.verdict === 'deny').length} denied, every verdict as before`);
  });
});
