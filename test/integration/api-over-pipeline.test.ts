/**
 * The query API over documents written by the real pipeline (inventory topic → Kafka raw
 * topic → enricher → Elasticsearch) rather than fixtures: every route answers from what the
 * enricher produced, with the inventory the enricher used, and a namespaced token sees only its
 * namespaces' flows through every route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { TopicInventorySource } from '../../src/api/inventory/topic-inventory-source.ts';
import { ApiServer } from '../../src/api/server.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { encodeFlowBatch } from '../../src/contract/wire/flow-batch-codec.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('apipipe');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const TOKENS = { admin: 'admin-token-0123456789', shop: 'shop-token-0123456789', data: 'data-token-0123456789' };

type Json = Record<string, unknown>;

describe('API over the real pipeline', { timeout: 180_000 }, () => {
  const kafka = createKafka(brokers, 'api-pipeline-test');
  const es = createElasticsearchClient(esUrl);
  let enricher: Enricher | undefined;
  let server: ApiServer | undefined;
  let app: FastifyInstance;

  const get = async (url: string, token = TOKENS.admin): Promise<{ status: number; body: Json }> => {
    const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    return { status: r.statusCode, body: r.json() as Json };
  };
  const post = async (url: string, payload: Json, token = TOKENS.admin): Promise<{ status: number; body: Json }> => {
    const r = await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });
    return { status: r.statusCode, body: r.json() as Json };
  };
  const flowsOf = (body: Json) => body.flows as Array<{ segflow: { verdict: string; source: { aggregated_name: string; namespace?: string }; destination: { aggregated_name: string; namespace?: string } } }>;

  before(async () => {
    await createPipelineTopics(kafka, topics);
    // Level 1 for allowed flows too, so every document keeps its addresses (preview replays them).
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-g`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0, aggregation: { windowMs: 15_000, allowedLevel: 1, deniedLevel: 1 } });
    await enricher.start();
    const records = [
      tcpRecord('10.244.1.10', '10.96.0.20', 80, { replySrc: '10.244.1.20' }), // frontend → catalog Service: allowed
      tcpRecord('10.244.1.30', '10.244.1.40', 8443, { bytes: 1234 }), // checkout → payments: allowed
      tcpRecord('10.244.1.20', '10.244.1.40', 8443, { denied: true }), // catalog → payments: denied (end of tier default)
      tcpRecord('10.244.1.10', '10.244.2.10', 5432, { denied: true }), // frontend → postgres: denied on egress
      tcpRecord('10.244.1.30', '10.244.2.10', 5432), // checkout → postgres: allowed
      tcpRecord('10.244.1.30', '10.244.2.20', 6379), // checkout → redis: allowed by the Kubernetes NetworkPolicy
    ];
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'node-1', bootId: 'b', sequence: 1, records, sentTimeUnixNano: msToNanos(Date.now()), nodeName: 'node-1' })) }] });
    await producer.disconnect();
    await waitFor('six flow documents', async () => {
      await es.indices.refresh({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true });
      const n = (await es.count({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true })).count;
      return n >= 6 ? n : undefined;
    }, 60_000);

    const tokens = parseTokenConfig({ tokens: [
      { name: 'admin', token: TOKENS.admin, role: 'admin' },
      { name: 'shop', token: TOKENS.shop, role: 'viewer', namespaces: ['shop'] },
      { name: 'data', token: TOKENS.data, role: 'viewer', namespaces: ['data'] },
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

  it('searches and filters the enriched flows', async () => {
    const all = await get('/api/v1/flows?from=now-1h');
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.equal(flowsOf(all.body).length, 6);
    const denied = flowsOf((await get('/api/v1/flows?from=now-1h&action=deny')).body);
    assert.deepEqual(denied.map((f) => `${f.segflow.source.aggregated_name}>${f.segflow.destination.aggregated_name}`).sort(), ['catalog-5f8b7c-*>payments-84b6f7-*', 'frontend-7d9c5b-*>postgres-*']);
    const viaKnp = flowsOf((await get(`/api/v1/flows?from=now-1h&policy=${encodeURIComponent('knp:data/redis')}`)).body);
    assert.equal(viaKnp.length, 1);
    assert.equal(viaKnp[0]!.segflow.destination.aggregated_name, 'redis-*');
  });

  it('aggregates totals, denied groups with the deciding policies, and policy hits', async () => {
    const stats = await get('/api/v1/flows/stats?from=now-1h');
    assert.equal(stats.status, 200, JSON.stringify(stats.body));
    const totals = stats.body.totals as { flows: number; denied: number };
    assert.equal(totals.flows, 6);
    assert.equal(totals.denied, 2);
    const groups = (await get('/api/v1/denied?from=now-1h')).body.groups as Array<{ policy: { name: string; side: string }; explanation: string }>;
    assert.deepEqual(groups.map((g) => `${g.policy.name}@${g.policy.side}`).sort(), ['shop/default.frontend@egress', 'shop/default.payments@ingress']);
    assert.ok(groups.every((g) => /denied/.test(g.explanation)));
  });

  it('explains and previews with the inventory the enricher used', async () => {
    const explain = await post('/api/v1/explain', { src: '10.244.1.20', dst: '10.244.1.40', protocol: 'tcp', dst_port: 8443 });
    assert.equal(explain.status, 200, JSON.stringify(explain.body));
    assert.equal(explain.body.verdict, 'deny');
    assert.deepEqual((explain.body.ingress as { trace: string[] }).trace, ['0|default|np:shop/default.payments|deny|-1']);
    // A candidate that would cut checkout off from payments changes exactly that stored flow.
    const candidate = {
      apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'security.quarantine-payments' },
      spec: { tier: 'security', order: 1, selector: "app == 'payments'", types: ['Ingress'], ingress: [{ action: 'Deny' }] },
    };
    const preview = await post('/api/v1/preview', { policy: candidate, hours: 1 });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.allow_to_deny, 1);
    assert.equal(preview.body.deny_to_allow, 0);
  });

  it('lists endpoints, policies with what they select, and tiers from the inventory topic', async () => {
    const endpoints = await get('/api/v1/endpoints');
    assert.equal((endpoints.body as { total: number }).total, 6);
    const policies = (await get('/api/v1/policies?namespace=data')).body.policies as Array<{ name: string; selects: { endpoints: string[] } }>;
    const postgres = policies.find((p) => p.name === 'default.postgres');
    assert.deepEqual(postgres?.selects.endpoints, ['Pod/data/postgres-0']);
    const tiers = ((await get('/api/v1/tiers')).body.tiers as Array<{ name: string }>).map((t) => t.name);
    assert.ok(tiers.indexOf('security') >= 0 && tiers.indexOf('security') < tiers.indexOf('platform') && tiers.indexOf('platform') < tiers.indexOf('default'), `tiers in order: ${tiers.join(', ')}`);
  });

  it('shows a namespaced token only flows that involve its namespaces, through every route', async () => {
    const dataFlows = flowsOf((await get('/api/v1/flows?from=now-1h', TOKENS.data)).body);
    assert.equal(dataFlows.length, 3, 'frontend→postgres, checkout→postgres, checkout→redis');
    assert.ok(dataFlows.every((f) => f.segflow.source.namespace === 'data' || f.segflow.destination.namespace === 'data'));
    const dataStats = (await get('/api/v1/flows/stats?from=now-1h', TOKENS.data)).body.totals as { flows: number };
    assert.equal(dataStats.flows, 3);
    const dataDenied = (await get('/api/v1/denied?from=now-1h', TOKENS.data)).body.groups as Array<{ policy: { name: string } }>;
    assert.deepEqual(dataDenied.map((g) => g.policy.name), ['shop/default.frontend']);
    const foreign = await post('/api/v1/explain', { src: '10.244.1.20', dst: '10.244.1.40', protocol: 'tcp', dst_port: 8443 }, TOKENS.data);
    assert.equal(foreign.status, 403, 'a flow between two shop endpoints is not the data token\'s to explain');
    const shopEndpoints = (await get('/api/v1/endpoints', TOKENS.shop)).body as { total: number };
    assert.equal(shopEndpoints.total, 4);
  });
});
