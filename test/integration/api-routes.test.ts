/**
 * The query API against a real Elasticsearch: flow documents written with the real index
 * template and FlowBulkWriter (the enricher's write path), the API answering over them. Covers
 * every route, every filter, pagination while documents arrive, reporter dedup in totals, and
 * namespace isolation through every route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { bulkRequestFromClient, FlowBulkWriter, type FlowBulkItem } from '../../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { installFlowIndexTemplate } from '../../src/enricher/elasticsearch/flow-index-template.ts';
import { loadResourceText, verdictJson } from '../../src/inventory/index.ts';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { StaticInventorySource } from '../../src/api/inventory/inventory-source.ts';
import { ApiServer } from '../../src/api/server.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';
import { CONNECTIONS, FIXTURE_CANDIDATE_YAML, FIXTURE_RESOURCES_YAML, fixtureItems } from '../unit/api/flow-fixtures.ts';
import { deleteFlowIndices } from '../harness/pipeline-resources.ts';

const WINDOWS = 4;

/** A candidate of the shop namespace: only cart may reach frontend (internet→frontend becomes an end-of-tier deny). */
const SHOP_CANDIDATE_YAML = `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: default.frontend-from-cart, namespace: shop}
spec:
  tier: default
  order: 50
  selector: app == 'frontend'
  types: [Ingress]
  ingress:
  - action: Allow
    source: {selector: app == 'cart'}
`;
const TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  shop: 'shop-viewer-token-0123456789',
  shopAdmin: 'shop-admin-token-0123456789',
  limited: 'limited-token-0123456789abcd',
};

type Json = Record<string, unknown>;
type Doc = FlowDocument & { id: string };

describe('segflow api over real Elasticsearch', () => {
  let client: Client;
  let prefix: string;
  let server: ApiServer;
  let app: FastifyInstance;
  let items: FlowBulkItem[];
  let writer: FlowBulkWriter;
  const resources = loadResourceText(FIXTURE_RESOURCES_YAML, 'fixture').resources;
  const inventory = new StaticInventorySource(resources);

  async function get(url: string, token: string | null = TOKENS.admin): Promise<{ status: number; body: Json }> {
    const r = await app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    // Pages are serialised apart from the route schema: they must still say what they are.
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8', `${url}: content-type`);
    assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body), `${url}: content-length`);
    return { status: r.statusCode, body: r.json() as Json };
  }
  async function post(url: string, payload: unknown, token: string = TOKENS.admin): Promise<{ status: number; body: Json }> {
    const r = await app.inject({ method: 'POST', url, payload: payload as Json, headers: { authorization: `Bearer ${token}` } });
    return { status: r.statusCode, body: r.json() as Json };
  }
  /** Follows next_cursor to the end; returns every flow and the number of pages. */
  async function allFlows(query: string, token: string = TOKENS.admin, limit = 7): Promise<{ flows: Doc[]; pages: number }> {
    const flows: Doc[] = [];
    let url = `/api/v1/flows?from=now-30m&limit=${limit}${query ? `&${query}` : ''}`;
    let pages = 0;
    for (;;) {
      const r = await get(url, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      pages++;
      flows.push(...(r.body.flows as Doc[]));
      if (r.body.next_cursor === null) return { flows, pages };
      url = `/api/v1/flows?cursor=${encodeURIComponent(r.body.next_cursor as string)}`;
    }
  }
  const idsOf = (docs: readonly { id: string }[]): string[] => docs.map((d) => d.id).sort();
  const expectedIds = (pred: (d: FlowDocument) => boolean): string[] => items.filter((i) => pred(i.document)).map((i) => i.id).sort();
  const involvesShop = (d: FlowDocument): boolean => d.segflow.source.namespace === 'shop' || d.segflow.destination.namespace === 'shop';
  const canonical = (d: FlowDocument): boolean => d.segflow.reporter === 'src' || !['workload', 'host'].includes(d.segflow.source.kind);

  before(async () => {
    const url = requireElasticsearchUrl();
    client = createElasticsearchClient(url);
    prefix = uniqueName('apitest');
    await installFlowIndexTemplate(client, { prefix, refreshInterval: '1s' });
    const firstWindow = Math.floor((Date.now() - 10 * 60_000) / 15_000) * 15_000;
    items = fixtureItems(prefix, firstWindow, WINDOWS);
    writer = new FlowBulkWriter({ bulk: bulkRequestFromClient(client, { refresh: 'wait_for' }) });
    const result = await writer.write(items);
    assert.equal(result.indexed, items.length);
    assert.equal(result.rejected.length, 0);
    const tokens = parseTokenConfig({
      tokens: [
        { name: 'admin', token: TOKENS.admin, role: 'admin' },
        { name: 'shop', token: TOKENS.shop, role: 'viewer', namespaces: ['shop'] },
        { name: 'shop-admin', token: TOKENS.shopAdmin, role: 'admin', namespaces: ['shop'] },
        { name: 'limited', token: TOKENS.limited, role: 'viewer', rateLimitPerMinute: 2 },
      ],
    });
    server = new ApiServer({ port: 0, elasticsearchUrl: url, indexPrefix: prefix, logLevel: 'warn' }, { elasticsearch: client, tokens, inventory });
    app = await server.ready();
  });

  after(async () => {
    await server?.stop();
    await deleteFlowIndices(client, prefix);
    await client?.close();
  });

  it('reports ready, healthy, metrics and an OpenAPI document', async () => {
    assert.equal((await get('/healthz', null)).status, 200);
    const ready = await get('/readyz', null);
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.equal(ready.body.status, 'ready');
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 401, '/metrics needs a token');
    const metrics = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKENS.admin}` } });
    assert.match(metrics.body, /segflow_api_requests_total/);
    const spec = (await get('/openapi.json', null)).body as { openapi: string; paths: Record<string, unknown> };
    assert.equal(spec.openapi, '3.0.3');
    for (const p of ['/api/v1/flows', '/api/v1/flows/stats', '/api/v1/denied', '/api/v1/explain', '/api/v1/preview', '/api/v1/endpoints', '/api/v1/policies', '/api/v1/tiers']) assert.ok(spec.paths[p], p);
  });

  it('searches with no filter: every document, across pages', async () => {
    const { flows, pages } = await allFlows('');
    assert.deepEqual(idsOf(flows), expectedIds(() => true));
    assert.equal(items.length, CONNECTIONS.reduce((n, c) => n + c.reporters.length, 0) * WINDOWS);
    assert.equal(pages, Math.floor(items.length / 7) + 1, 'pages of 7, the last one short');
    assert.equal(new Set(idsOf(flows)).size, flows.length, 'no duplicates across pages');
  });

  it('answers a search that matches nothing with an empty page, no cursor and a zero total', async () => {
    const r = await get('/api/v1/flows?from=now-30m&source_namespace=no-such-namespace');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.flows, []);
    assert.equal(r.body.next_cursor, null);
    assert.deepEqual(r.body.total, { value: 0, relation: 'eq' });
  });

  const FILTERS: [string, (d: FlowDocument) => boolean][] = [
    ['source_namespace=shop', (d) => d.segflow.source.namespace === 'shop'],
    ['dest_namespace=payments', (d) => d.segflow.destination.namespace === 'payments'],
    ['namespace=infra', (d) => d.segflow.source.namespace === 'infra' || d.segflow.destination.namespace === 'infra'],
    ['source_name=cart-7c9f4-abcde', (d) => d.segflow.source.name === 'cart-7c9f4-abcde'],
    ['dest_name_aggr=api-5d7c8-*', (d) => d.segflow.destination.aggregated_name === 'api-5d7c8-*'],
    ['source_name_aggr=pub', (d) => d.segflow.source.aggregated_name === 'pub'],
    ['source_type=public', (d) => d.segflow.source.kind === 'public'],
    ['dest_type=workload,public', () => true],
    [`source_labels=${encodeURIComponent("app == 'cart'")}`, (d) => d.segflow.source.labels?.app === 'cart'],
    [`source_labels=${encodeURIComponent("app != 'frontend'")}`, (d) => d.segflow.source.labels?.app !== 'frontend'],
    [`source_labels=${encodeURIComponent('global()')}`, (d) => d.segflow.source.namespace === undefined],
    [`dest_labels=${encodeURIComponent("app contains 'payments'")}`, (d) => (d.segflow.destination.labels?.app ?? '').includes('payments')],
    [`dest_labels=${encodeURIComponent("has(tier) && tier ends with 'end'")}`, (d) => (d.segflow.destination.labels?.tier ?? '').endsWith('end')],
    [`dest_labels=${encodeURIComponent("app in {'cart', 'dns'} || app starts with 'front'")}`, (d) => ['cart', 'dns'].includes(d.segflow.destination.labels?.app ?? '') || (d.segflow.destination.labels?.app ?? '').startsWith('front')],
    [`dest_labels=${encodeURIComponent("projectcalico.org/namespace == 'payments'")}`, (d) => d.segflow.destination.namespace === 'payments'],
    ['ip=10.244.2.20', (d) => d.source?.ip === '10.244.2.20' || d.destination?.ip === '10.244.2.20'],
    ['source_ip=10.244.1.0/24', (d) => (d.source?.ip ?? '').startsWith('10.244.1.')],
    ['dest_ip=8.8.8.8', (d) => d.destination?.ip === '8.8.8.8'],
    ['dest_port=8080', (d) => d.destination?.port === 8080],
    ['dest_port=400-500,53', (d) => d.destination?.port === 443 || d.destination?.port === 53],
    ['protocol=udp', (d) => d.network?.transport === 'udp'],
    ['action=deny', (d) => d.segflow.verdict === 'deny'],
    ['reporter=dst', (d) => d.segflow.reporter === 'dst'],
    ['mismatch=false', (d) => d.segflow.observed?.mismatch === false],
    ['host=node-2', (d) => d.host?.name === 'node-2'],
    ['node=node-3', (d) => d.host?.name === 'node-3' || d.segflow.source.node === 'node-3' || d.segflow.destination.node === 'node-3'],
    ['policy=np:payments/default.allow-from-cart', (d) => d.segflow.policy?.ingress?.enforced?.some((h) => h.name === 'default.allow-from-cart') === true],
    ['policy=kns.infra', (d) => d.segflow.policy?.egress?.enforced?.some((h) => h.name === 'kns.infra') === true],
    ['tier=default', (d) => d.segflow.policy?.ingress?.enforced?.some((h) => h.tier === 'default') === true],
    ['deciding_policy=payments/default.allow-from-cart', (d) => d.rule?.name === 'payments/default.allow-from-cart'],
    ['deciding_tier=__PROFILE__', (d) => d.rule?.ruleset === '__PROFILE__'],
    [`ingress_policies=${encodeURIComponent('0|default|np:payments/default.allow-from-cart|deny|-1')}`, (d) => d.segflow.policy?.ingress?.enforced_str?.includes('0|default|np:payments/default.allow-from-cart|deny|-1') === true],
    ['action=deny&source_namespace=shop', (d) => d.segflow.verdict === 'deny' && d.segflow.source.namespace === 'shop'],
  ];
  for (const [query, pred] of FILTERS) {
    it(`filters ${decodeURIComponent(query)}`, async () => {
      const expected = expectedIds(pred);
      assert.ok(expected.length > 0 && expected.length <= items.length, 'the case selects something');
      const { flows } = await allFlows(query);
      assert.deepEqual(idsOf(flows), expected);
    });
  }

  it('sorts and selects fields', async () => {
    const r = await get('/api/v1/flows?from=now-30m&sort=-bytes,time&limit=50&fields=network.bytes,time,source_namespace');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const flows = r.body.flows as { id: string; network?: { bytes: number } }[];
    assert.equal(flows.length, items.length, 'every document fits one page of 50');
    // Sorted by bytes, largest first: the same sequence as the stored documents' bytes.
    assert.deepEqual(flows.map((f) => f.network?.bytes), items.map((i) => i.document.network?.bytes).sort((a, b) => (b ?? -1) - (a ?? -1)));
    // Exactly the selected fields, each with the stored value.
    const byId = new Map(items.map((i) => [i.id, i.document]));
    for (const f of flows) {
      const d = byId.get(f.id);
      assert.ok(d, `${f.id} is a stored document`);
      const namespace = d.segflow.source.namespace;
      assert.deepEqual(f, { id: f.id, '@timestamp': d['@timestamp'], network: { bytes: d.network?.bytes }, ...(namespace !== undefined ? { segflow: { source: { namespace } } } : {}) });
    }
  });

  it('leaves the packed 5-tuple set out of flows unless it is asked for', async () => {
    const tuples = 'AAECAwQFBgcICQ==';
    const doc = fixtureItems(prefix, Math.floor((Date.now() - 20 * 60_000) / 15_000) * 15_000, 1, 45_000)[0]!;
    const item = { ...doc, id: `${doc.id}-tuples`, document: { ...doc.document, segflow: { ...doc.document.segflow, flows: { ...doc.document.segflow.flows, tuples } } } as FlowDocument };
    assert.equal((await writer.write([item])).indexed, 1);
    // First pages read a shared point in time at most sharedPitMaxAgeMs old.
    await new Promise((r) => setTimeout(r, server.config.timeouts.sharedPitMaxAgeMs));
    try {
      const page = await get(`/api/v1/flows?from=now-30m&source_port=45000&limit=5`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      const flows = page.body.flows as Doc[];
      assert.deepEqual(flows.map((f) => f.id), [item.id]);
      assert.deepEqual(flows[0]!.segflow.flows, { ...doc.document.segflow.flows }, 'the other flows fields stay');
      const asked = await get(`/api/v1/flows?from=now-30m&source_port=45000&fields=segflow.flows.tuples`);
      assert.deepEqual((asked.body.flows as Doc[]).map((f) => f.segflow.flows), [{ tuples }]);
    } finally {
      await client.delete({ index: item.index, id: item.id, refresh: 'wait_for' });
    }
  });

  it('counts each connection once in stats (reporter dedup) with every view', async () => {
    const r = await get('/api/v1/flows/stats?from=now-30m');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const totals = r.body.totals as { flows: number; denied: number; bytes: number };
    assert.equal(totals.flows, CONNECTIONS.length * WINDOWS, 'one per connection and window, although 10 halves were stored per window');
    assert.equal(totals.denied, 2 * WINDOWS);
    assert.equal(totals.bytes, items.filter((i) => canonical(i.document)).reduce((s, i) => s + (i.document.network?.bytes ?? 0), 0));
    const talkers = r.body.top_talkers as { namespace: string | null; name: string }[];
    assert.deepEqual(talkers[0], { ...talkers[0], namespace: null, name: 'pub' });
    const timeline = r.body.timeline as { buckets: { flows: number }[] };
    assert.equal(timeline.buckets.reduce((s, b) => s + b.flows, 0), totals.flows);
    const pairs = (r.body.top_denied_pairs as { pairs: { source: Json; destination: Json; flows: number }[] }).pairs;
    assert.equal(pairs.length, 2);
    assert.ok(pairs.every((p) => p.flows === WINDOWS && (p.destination as { name: string }).name === 'api-5d7c8-*'));
    const cells = (r.body.namespace_matrix as { cells: { source: string | null; destination: string | null; flows: number; denied: number }[] }).cells;
    const shopToPayments = cells.find((c) => c.source === 'shop' && c.destination === 'payments');
    assert.equal(shopToPayments?.flows, 2 * WINDOWS);
    assert.equal(shopToPayments?.denied, WINDOWS);
    const policies = (r.body.policy_hits as { policies: { name: string; known: boolean; rules: { direction: string; rule_index: number; hits: number }[]; never_matched: Json[] }[] }).policies;
    const payments = policies.find((p) => p.name === 'default.allow-from-cart');
    assert.ok(payments?.known);
    assert.equal(payments.rules.find((x) => x.direction === 'ingress' && x.rule_index === 0)?.hits, WINDOWS);
    assert.equal(payments.rules.find((x) => x.direction === 'ingress' && x.rule_index === -1)?.hits, 2 * WINDOWS);
    assert.deepEqual(payments.never_matched, [{ direction: 'ingress', rule_index: 1 }], 'the infra:9090 rule never matched');
  });

  it('groups and explains denied flows, newest first', async () => {
    const r = await get('/api/v1/denied?from=now-30m');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const groups = r.body.groups as { source: Json; destination: Json; policy: Json; flows: number; last_seen: string; explanation: string }[];
    assert.equal(groups.length, 2);
    for (const g of groups) {
      assert.equal(g.flows, WINDOWS, 'dst and src halves count once');
      assert.deepEqual(g.policy, { name: 'payments/default.allow-from-cart', tier: 'default', rule: 'np:payments/default.allow-from-cart:ingress:-1', side: 'ingress' });
      assert.match(g.explanation, /on ingress to payments\/api-5d7c8-xyzab: no rule in tier default matched/);
    }
    assert.ok(groups[0]!.last_seen >= groups[1]!.last_seen);
    const filtered = await get('/api/v1/denied?from=now-30m&source_namespace=infra');
    assert.deepEqual((filtered.body.groups as { source: Json }[]).map((g) => g.source), [{ namespace: 'infra', name: 'dns-6f7d8-*' }]);
  });

  it('serves inventory views with selector matches', async () => {
    const endpoints = await get('/api/v1/endpoints');
    assert.equal(endpoints.body.total, 4);
    const api = (endpoints.body.endpoints as { name: string; policies: { name: string }[] }[]).find((e) => e.name === 'api-5d7c8-xyzab');
    assert.deepEqual(api?.policies.map((p) => p.name), ['default.allow-from-cart']);
    const selected = await get(`/api/v1/endpoints?selector=${encodeURIComponent("app == 'cart'")}`);
    assert.equal(selected.body.total, 1);
    const policies = await get('/api/v1/policies');
    assert.deepEqual((policies.body.policies as { name: string; selects: Json }[]).map((p) => [p.name, p.selects]), [['default.allow-from-cart', { count: 1, endpoints: ['Pod/payments/api-5d7c8-xyzab'] }]]);
    const tiers = await get('/api/v1/tiers');
    assert.deepEqual((tiers.body.tiers as { name: string; policies: { name: string }[] }[]).map((t) => [t.name, t.policies.map((p) => p.name)]), [
      ['adminnetworkpolicy', []], ['kube-admin', []], ['default', ['default.allow-from-cart']], ['baselineadminnetworkpolicy', []], ['kube-baseline', []],
    ], 'the built-in tiers around default, in evaluation order');
  });

  it('explains a flow with the same JSON as segflow explain', async () => {
    const r = await post('/api/v1/explain', { src: '10.244.1.11', dst: '10.244.2.20', protocol: 'tcp', dst_port: 8080 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const expected = verdictJson(inventory.current().inventory.explain({ srcIp: '10.244.1.11', dstIp: '10.244.2.20', protocol: 6, dstPort: 8080 }));
    assert.deepEqual(r.body, JSON.parse(JSON.stringify(expected)));
    assert.equal(r.body.verdict, 'allow');
    const bad = await post('/api/v1/explain', { src: '10.244.1.11', dst: 'not-an-ip', protocol: 'tcp' });
    assert.equal(bad.status, 400);
    assert.equal((bad.body.error as Json).parameter, 'dst');
  });

  it('previews a candidate policy against stored flows', async () => {
    const r = await post('/api/v1/preview', { policy: FIXTURE_CANDIDATE_YAML, hours: 1 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.deny_to_allow, WINDOWS, 'frontend→api, once per window');
    assert.equal(r.body.allow_to_deny, 0);
    assert.equal(r.body.evaluated, CONNECTIONS.length * WINDOWS);
    const examples = r.body.examples as { candidate_verdict: string; current_verdict: string; destination: { namespace: string } }[];
    assert.equal(examples.length, WINDOWS);
    assert.ok(examples.every((e) => e.candidate_verdict === 'allow' && e.current_verdict === 'deny' && e.destination.namespace === 'payments'));
  });

  it('isolates a namespaced token through every route', async () => {
    const shop = TOKENS.shop;
    const { flows } = await allFlows('', shop);
    assert.deepEqual(idsOf(flows), expectedIds(involvesShop));
    assert.equal((await allFlows('namespace=infra', shop)).flows.length, 0, 'a filter cannot widen the scope');
    assert.equal((await allFlows('dest_namespace=payments&source_namespace=infra', shop)).flows.length, 0);

    const stats = await get('/api/v1/flows/stats?from=now-30m', shop);
    assert.equal((stats.body.totals as { flows: number }).flows, items.filter((i) => canonical(i.document) && involvesShop(i.document)).length);
    const cells = (stats.body.namespace_matrix as { cells: { source: string | null; destination: string | null; flows: number; denied: number }[] }).cells;
    const expectedCells = new Map<string, { source: string | null; destination: string | null; flows: number; denied: number }>();
    for (const { document: d } of items.filter((i) => canonical(i.document) && involvesShop(i.document))) {
      const key = `${d.segflow.source.namespace ?? ''}>${d.segflow.destination.namespace ?? ''}`;
      const cell = expectedCells.get(key) ?? { source: d.segflow.source.namespace ?? null, destination: d.segflow.destination.namespace ?? null, flows: 0, denied: 0 };
      cell.flows++;
      if (d.segflow.verdict === 'deny') cell.denied++;
      expectedCells.set(key, cell);
    }
    const cellKey = (c: { source: string | null; destination: string | null }): string => `${c.source ?? ''}>${c.destination ?? ''}`;
    assert.deepEqual(cells.map((c) => ({ source: c.source, destination: c.destination, flows: c.flows, denied: c.denied })).sort((a, b) => cellKey(a).localeCompare(cellKey(b))),
      [...expectedCells.values()].sort((a, b) => cellKey(a).localeCompare(cellKey(b))));
    assert.equal(cells.length, 3, 'shop→shop, shop→payments, outside→shop');
    const denied = await get('/api/v1/denied?from=now-30m', shop);
    assert.deepEqual((denied.body.groups as { source: Json }[]).map((g) => g.source), [{ namespace: 'shop', name: 'frontend-7d9c5b-*' }]);

    const endpoints = await get('/api/v1/endpoints', shop);
    assert.deepEqual((endpoints.body.endpoints as { namespace: string }[]).map((e) => e.namespace), ['shop', 'shop']);
    assert.equal((await get('/api/v1/endpoints?namespace=payments', shop)).body.total, 0);
    assert.deepEqual((await get('/api/v1/policies', shop)).body.policies, []);
    assert.deepEqual(((await get('/api/v1/tiers', shop)).body.tiers as { name: string; policies: unknown[] }[]).map((t) => [t.name, t.policies.length]), [['adminnetworkpolicy', 0], ['kube-admin', 0], ['default', 0], ['baselineadminnetworkpolicy', 0], ['kube-baseline', 0]], 'every tier, none of its policies');

    assert.equal((await post('/api/v1/explain', { src: '10.244.3.30', dst: '10.244.2.20', protocol: 'tcp', dst_port: 5432 }, shop)).status, 403);
    assert.equal((await post('/api/v1/explain', { src: '10.244.1.11', dst: '10.244.2.20', protocol: 'tcp', dst_port: 8080 }, shop)).status, 200);
    assert.equal((await post('/api/v1/preview', { policy: FIXTURE_CANDIDATE_YAML }, shop)).status, 403, 'viewer role');
    const foreign = await post('/api/v1/preview', { policy: FIXTURE_CANDIDATE_YAML }, TOKENS.shopAdmin);
    assert.equal(foreign.status, 403);
    assert.equal((foreign.body.error as Json).code, 'forbidden');
    // Its own namespace's policy: the replay reads only flows from or to shop.
    const own = await post('/api/v1/preview', { policy: SHOP_CANDIDATE_YAML, hours: 1 }, TOKENS.shopAdmin);
    assert.equal(own.status, 200, JSON.stringify(own.body));
    const shopFlows = items.filter((i) => canonical(i.document) && involvesShop(i.document)).length;
    assert.equal(shopFlows, 4 * WINDOWS, 'frontend→cart, cart→api, frontend→api, internet→frontend per window');
    assert.equal(own.body.scanned, shopFlows);
    assert.equal(own.body.evaluated, shopFlows);
    assert.equal(own.body.allow_to_deny, WINDOWS, 'internet→frontend, once per window');
    assert.equal(own.body.deny_to_allow, 0);
    const ownExamples = own.body.examples as { source: { namespace: string | null }; destination: { namespace: string | null } }[];
    assert.deepEqual(ownExamples.map((e) => [e.source.namespace, e.destination.namespace]), Array.from({ length: WINDOWS }, () => [null, 'shop']));

    const adminPage = await get('/api/v1/flows?from=now-30m&limit=2');
    const stolen = await get(`/api/v1/flows?cursor=${encodeURIComponent(adminPage.body.next_cursor as string)}`, shop);
    assert.equal(stolen.status, 400);
    assert.equal((stolen.body.error as Json).code, 'cursor_mismatch');
  });

  it('authenticates and rate-limits per token', async () => {
    const none = await get('/api/v1/flows', null);
    assert.equal(none.status, 401);
    assert.equal((none.body.error as Json).code, 'unauthorized');
    assert.equal((await get('/api/v1/flows', 'wrong-token-0123456789')).status, 401);
    assert.equal((await get('/api/v1/tiers', TOKENS.limited)).status, 200);
    assert.equal((await get('/api/v1/tiers', TOKENS.limited)).status, 200);
    const limited = await get('/api/v1/tiers', TOKENS.limited);
    assert.equal(limited.status, 429);
    assert.equal((limited.body.error as Json).code, 'rate_limited');
    assert.equal((await get('/api/v1/tiers', TOKENS.admin)).status, 200, 'other tokens are not affected');
  });

  it('shares a point in time between searches started together; one ending leaves the other paging', async () => {
    // A server whose first pages share one PIT for a minute, so the two searches surely share it.
    const sharing = new ApiServer({ port: 0, elasticsearchUrl: requireElasticsearchUrl(), indexPrefix: prefix, logLevel: 'warn', timeouts: { sharedPitMaxAgeMs: 60_000 } }, { elasticsearch: client, inventory });
    const sharingApp = await sharing.ready();
    try {
      const page = async (url: string): Promise<{ flows: { id: string }[]; next_cursor: string | null }> => {
        const r = await sharingApp.inject({ method: 'GET', url });
        assert.equal(r.statusCode, 200, r.body);
        return r.json() as { flows: { id: string }[]; next_cursor: string | null };
      };
      const pitOf = (cursor: string | null): unknown => JSON.parse(Buffer.from(String(cursor).split('.')[0]!, 'base64url').toString('utf8')).pit;
      const a = await page('/api/v1/flows?from=now-30m&limit=3');
      const b = await page('/api/v1/flows?from=now-30m&limit=4');
      assert.ok(a.next_cursor !== null && b.next_cursor !== null);
      assert.equal(pitOf(a.next_cursor), pitOf(b.next_cursor), 'both first pages read one point in time');
      // B runs to its last page first; A must still page over the PIT B finished with.
      const drain = async (first: { flows: { id: string }[]; next_cursor: string | null }): Promise<string[]> => {
        const ids = first.flows.map((f) => f.id);
        for (let cursor = first.next_cursor; cursor !== null;) {
          const p = await page(`/api/v1/flows?cursor=${encodeURIComponent(cursor)}`);
          ids.push(...p.flows.map((f) => f.id));
          cursor = p.next_cursor;
        }
        return ids.sort();
      };
      const bIds = await drain(b);
      const aIds = await drain(a);
      assert.deepEqual(aIds, expectedIds(() => true));
      assert.deepEqual(bIds, aIds);
    } finally {
      await sharing.stop();
    }
  });

  it('answers a cursor whose point in time is gone with invalid_cursor; a first page opens a new one', async () => {
    const sharing = new ApiServer({ port: 0, elasticsearchUrl: requireElasticsearchUrl(), indexPrefix: prefix, logLevel: 'warn', timeouts: { sharedPitMaxAgeMs: 60_000 } }, { elasticsearch: client, inventory });
    const sharingApp = await sharing.ready();
    try {
      const first = await sharingApp.inject({ method: 'GET', url: '/api/v1/flows?from=now-30m&limit=2' });
      assert.equal(first.statusCode, 200, first.body);
      const cursor = (first.json() as { next_cursor: string }).next_cursor;
      const pit = JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8')).pit as string;
      // Elasticsearch loses the point in time (as after a restart or its keep-alive).
      assert.equal((await client.closePointInTime({ id: pit })).succeeded, true);
      const next = await sharingApp.inject({ method: 'GET', url: `/api/v1/flows?cursor=${encodeURIComponent(cursor)}` });
      assert.equal(next.statusCode, 400, next.body);
      assert.equal(next.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual((next.json() as { error: Json }).error, { code: 'invalid_cursor', message: 'cursor: the point in time expired; start again without a cursor', parameter: 'cursor' });
      // The shared PIT is the one closed: a new first page must open another and answer.
      const again = await sharingApp.inject({ method: 'GET', url: '/api/v1/flows?from=now-30m&limit=2' });
      assert.equal(again.statusCode, 200, again.body);
      const againCursor = (again.json() as { next_cursor: string }).next_cursor;
      assert.notEqual(JSON.parse(Buffer.from(againCursor.split('.')[0]!, 'base64url').toString('utf8')).pit, pit);
      assert.deepEqual((again.json() as { flows: { id: string }[] }).flows.map((f) => f.id), (first.json() as { flows: { id: string }[] }).flows.map((f) => f.id));
    } finally {
      await sharing.stop();
    }
  });

  it('pages without duplicates or gaps while documents arrive', async () => {
    const snapshot = expectedIds(() => true);
    const seen: string[] = [];
    let url = '/api/v1/flows?from=now-30m&limit=5&sort=time';
    let port = 50_000;
    let written = 0;
    for (;;) {
      const r = await get(url);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      seen.push(...(r.body.flows as { id: string }[]).map((f) => f.id));
      // New documents land inside the queried range between every two pages.
      const fresh = fixtureItems(prefix, Math.floor((Date.now() - 5 * 60_000) / 15_000) * 15_000, 1, port++);
      assert.equal((await writer.write(fresh)).indexed, fresh.length);
      written += fresh.length;
      if (r.body.next_cursor === null) break;
      url = `/api/v1/flows?cursor=${encodeURIComponent(r.body.next_cursor as string)}`;
    }
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    assert.deepEqual([...seen].sort(), snapshot, 'exactly the documents present when paging started');
    // A new search reads a point in time at most timeouts.sharedPitMaxAgeMs old.
    await new Promise((r) => setTimeout(r, server.config.timeouts.sharedPitMaxAgeMs));
    const after = await allFlows('', TOKENS.admin, 500);
    assert.equal(after.flows.length, snapshot.length + written, 'the new documents are visible to a new query');
  });
});
