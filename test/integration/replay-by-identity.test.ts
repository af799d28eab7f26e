/**
 * Replay by identity on the real pipeline (inventory topic → Kafka raw topic → enricher with the
 * default aggregation levels → Elasticsearch → API): allowed flows are stored at level 2, without
 * addresses (unless a staged policy would deny them: any deny in the traces keeps level 1), denied
 * ones at level 1. A `/preview` of a narrower `shop/default.catalog` (checkout dropped) replays the
 * allowed flows by identity — each end resolved to a representative endpoint — and counts
 * checkout → catalog as allow → deny; a flow to an unknown private address (`pvt`)
 * has no representative and is counted as unresolved, with its reason. A recommendation for
 * `data` over the same history is verified with nothing left unreplayed.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { estypes } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { TopicInventorySource } from '../../src/api/inventory/topic-inventory-source.ts';
import { canonicalReporterQuery } from '../../src/api/query/reporter-dedup.ts';
import { ApiServer } from '../../src/api/server.ts';
import { deriveTrafficPlan, type SyntheticRoute } from '../../src/collector/sources/synthetic/synthetic-traffic-plan.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { DEFAULT_AGGREGATION } from '../../src/enricher/transform/flow-aggregation.ts';
import { loadResourcePaths } from '../../src/inventory/index.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('idreplay');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const TOKENS = { admin: 'admin-token-0123456789', data: 'data-token-0123456789' };
/** frontend may reach 10.96.0.0/16:80 (a net, not a Service): an allowed flow to an unknown private address. */
const UNKNOWN_PRIVATE = '10.96.7.7';

/** default.catalog without checkout among the allowed sources. */
const NARROWER_CATALOG = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.catalog, namespace: shop}
spec:
  tier: default
  order: 100
  selector: app == 'catalog'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    source: {selector: "app == 'frontend'"}
    destination: {ports: [8080]}
`;
const ALLOWED = { term: { 'segflow.verdict': 'allow' } };
const NO_ADDRESS = { bool: { must_not: [{ exists: { field: 'source.ip' } }] } };

type Json = Record<string, unknown>;
interface Example { source: { ip: string; address: string; name: string | null }; destination: { ip: string; address: string; name: string | null }; current_verdict: string; candidate_verdict: string }

let nextPort = 30_000;
function recordOf(route: SyntheticRoute, endMs: number): FlowRecordData {
  const sport = nextPort++;
  const denied = route.verdict === 'deny';
  return route.kind === 'service'
    ? tcpRecord(route.client.ip, route.dialledIp, route.dialledPort, { replySrc: route.server.ip, replySport: route.serverPort, sport, denied, endMs })
    : tcpRecord(route.client.ip, route.server.ip, route.serverPort, { sport, denied, endMs });
}

describe('replay by identity over the default aggregation', { timeout: 300_000 }, () => {
  const kafka = createKafka(brokers, 'replay-by-identity-test');
  const es = createElasticsearchClient(esUrl);
  let enricher: Enricher | undefined;
  let server: ApiServer | undefined;
  let app: FastifyInstance;
  let routes: SyntheticRoute[];
  let frontendIp: string;

  const post = async (url: string, payload: Json, token = TOKENS.admin): Promise<{ status: number; body: Json }> => {
    const r = await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });
    return { status: r.statusCode, body: r.json() as Json };
  };
  /** Stored reports (one per connection, as the replay reads them) matching `filter`. */
  const countDocs = async (...filter: estypes.QueryDslQueryContainer[]): Promise<number> =>
    (await es.count({ index: `${prefix}-*`, query: { bool: { filter: [canonicalReporterQuery(), ...filter] } } })).count;

  before(async () => {
    await createPipelineTopics(kafka, topics);
    // The enricher's default levels (allowed 2: no addresses; denied 1), short windows.
    assert.equal(DEFAULT_AGGREGATION.allowedLevel, 2);
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-g`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0, aggregation: { ...DEFAULT_AGGREGATION, windowMs: 2_000 } });
    await enricher.start();
    const { resources } = await loadResourcePaths([path.join(projectRoot, 'examples/shop')]);
    const plan = deriveTrafficPlan(resources);
    routes = [...plan.allowed, ...plan.denied].filter((r) => r.protocol === 6);
    const frontend = routes.find((r) => r.client.name.startsWith('frontend-'))?.client;
    assert.ok(frontend, 'the shop has a frontend');
    frontendIp = frontend.ip;
    assert.ok(routes.some((r) => r.verdict === 'allow' && r.client.name.startsWith('checkout-') && r.server.name.startsWith('catalog-')), 'checkout → catalog is an allowed route');
    const now = Date.now();
    const records = [...routes.map((r) => recordOf(r, now)), tcpRecord(frontendIp, UNKNOWN_PRIVATE, 80, { sport: nextPort++, endMs: now })];
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'node-1', bootId: 'b', sequence: 1, records, sentTimeUnixNano: msToNanos(Date.now()), nodeName: 'node-1' })) }] });
    await producer.disconnect();
    // Every connection is in a document once the documents' distinct 5-tuples add up to the records.
    await waitFor('the traffic, enriched and aggregated', async () => {
      await es.indices.refresh({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true });
      const r = await es.search({ index: `${prefix}-*`, size: 0, aggs: { n: { sum: { field: 'segflow.flows.count' } } } });
      const n = (r.aggregations?.n as { value?: number } | undefined)?.value ?? 0;
      return n >= records.length ? true : undefined;
    }, 90_000);

    const tokens = parseTokenConfig({ tokens: [
      { name: 'admin', token: TOKENS.admin, role: 'admin' },
      { name: 'data', token: TOKENS.data, role: 'viewer', namespaces: ['data'] },
    ] });
    const inventory = new TopicInventorySource(kafka, topics.inventory, createLogger('test'));
    server = new ApiServer({ port: 0, elasticsearchUrl: esUrl, indexPrefix: prefix, logLevel: 'warn' }, { tokens, inventory });
    await server.start();
    app = await server.ready();
  });

  after(async () => {
    await server?.stop();
    await enricher?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('stores most allowed flows without addresses and denied ones with them (the premise)', async () => {
    const allowed = await countDocs(ALLOWED);
    const addressLess = await countDocs(ALLOWED, NO_ADDRESS);
    assert.ok(addressLess > allowed / 2, `level 2 drops the addresses: ${addressLess} of ${allowed}`);
    // The shop's staged postgres policy would deny catalog → postgres: a deny in the traces keeps level 1.
    assert.equal(await countDocs(ALLOWED, { exists: { field: 'source.ip' } }), await countDocs(ALLOWED, { term: { 'segflow.source.aggregated_name': 'catalog-5f8b7c-*' } }, { term: { 'segflow.destination.aggregated_name': 'postgres-*' } }));
    assert.equal(await countDocs({ term: { 'segflow.verdict': 'deny' } }, NO_ADDRESS), 0, 'level 1 keeps them');
    assert.equal(await countDocs(ALLOWED, NO_ADDRESS, { term: { 'segflow.source.aggregated_name': 'checkout-66c4d9-*' } }, { term: { 'segflow.destination.aggregated_name': 'catalog-5f8b7c-*' } }), 2, 'checkout → catalog, direct and through its Service, stored without addresses');
  });

  it('/preview replays the address-less allowed flows by identity and counts the allow → deny they would become', async (t) => {
    const allowed = await countDocs(ALLOWED);
    const addressLess = await countDocs(ALLOWED, NO_ADDRESS);
    const denied = await countDocs({ term: { 'segflow.verdict': 'deny' } });
    const toPvt = await countDocs({ term: { 'segflow.destination.kind': 'private' } });
    const checkoutToCatalog = 2;
    assert.equal(toPvt, 1, 'the flow to the unknown private address');

    const r = await post('/api/v1/preview', { policy: NARROWER_CATALOG, hours: 1, examples: 50 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const b = r.body as { scanned: number; evaluated: number; by_address: number; by_identity: number; skipped_unresolved: number; allow_to_deny: number; deny_to_allow: number; unchanged: number; unresolved: { reason: string; flows: number }[]; examples: Example[]; counting: string };
    assert.equal(b.scanned, allowed + denied);
    assert.equal(b.by_address, denied + allowed - addressLess, 'reports that kept their addresses');
    assert.equal(b.by_identity, addressLess - toPvt, 'every address-less report but the pvt one resolved by identity');
    assert.equal(b.evaluated, b.by_address + b.by_identity);
    assert.equal(b.skipped_unresolved, toPvt);
    assert.deepEqual(b.unresolved, [{ reason: 'destination: private network ends (pvt) are stored without an address', flows: 1 }]);
    assert.equal(b.allow_to_deny, checkoutToCatalog, 'exactly checkout → catalog turns to deny');
    assert.equal(b.deny_to_allow, 0);
    assert.match(b.counting, /replayed by identity/);
    const changed = b.examples.filter((e) => e.current_verdict === 'allow' && e.candidate_verdict === 'deny');
    assert.equal(changed.length, checkoutToCatalog);
    const checkout = routes.find((x) => x.client.name.startsWith('checkout-'))!.client.ip;
    const catalog = routes.find((x) => x.server.name.startsWith('catalog-'))!.server.ip;
    for (const e of changed) {
      assert.deepEqual([e.source.ip, e.source.address, e.source.name], [checkout, 'representative', 'checkout-66c4d9-*']);
      assert.deepEqual([e.destination.ip, e.destination.address, e.destination.name], [catalog, 'representative', 'catalog-5f8b7c-*']);
    }
    t.diagnostic(`preview: ${b.scanned} reports, ${b.by_address} by address, ${b.by_identity} by identity, ${b.skipped_unresolved} unresolved, ${b.allow_to_deny} allow→deny, ${b.unchanged} unchanged`);
  });

  it('a recommendation for data over the same history is verified: every allowed report replayed', async (t) => {
    const r = await post('/api/v1/recommendations', { namespace: 'data', output: 'staged', tier: 'security', from: 'now-1h' }, TOKENS.data);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const b = r.body as { observed: { allowed: number }; replay: { by_identity: number; allowed_kept: number; allowed_not_replayed: number; allow_to_deny: number; verified: boolean } };
    const inData = { bool: { should: [{ term: { 'segflow.source.namespace': 'data' } }, { term: { 'segflow.destination.namespace': 'data' } }], minimum_should_match: 1 } };
    const dataAllowed = await countDocs(ALLOWED, inData);
    const dataAddressLess = await countDocs(ALLOWED, inData, NO_ADDRESS);
    assert.ok(dataAddressLess > 0);
    assert.equal(b.observed.allowed, dataAllowed);
    assert.equal(b.replay.by_identity, dataAddressLess, 'the address-less allowed reports of data, all resolved');
    assert.equal(b.replay.allowed_kept, dataAllowed);
    assert.equal(b.replay.allowed_not_replayed, 0);
    assert.equal(b.replay.allow_to_deny, 0);
    assert.equal(b.replay.verified, true);
    t.diagnostic(`recommendation: ${dataAllowed} allowed reports of data (${dataAddressLess} without addresses), all replayed and kept`);
  });
});
