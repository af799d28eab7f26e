/**
 * The web UI in real headless Chromium (Debian's, driven by playwright-core) against the real
 * API over the real pipeline: the shop inventory on an inventory topic, flow batches on a raw
 * topic, the enricher writing to Elasticsearch, `segflow api`'s application serving the UI at
 * `/`. The tests filter to a denied flow and open its trace, read the deciding policy, use the
 * denied view, the explain form and the service graph, see a new flow arrive live, and save a
 * screenshot of every view in test-artifacts/.
 *
 * The API serves HTTPS with a certificate from a test CA made by openssl; Chromium trusts exactly
 * that certificate's key (--ignore-certificate-errors-spki-list), so every view is checked over
 * TLS as a deployment would serve it.
 */
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kafka, Producer } from 'kafkajs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { resolveApiConfig } from '../../src/api/config.ts';
import { createApiContext } from '../../src/api/context.ts';
import { FlowStore } from '../../src/api/flow-store.ts';
import { FileInventorySource } from '../../src/api/inventory/inventory-source.ts';
import { ApiMetrics } from '../../src/api/metrics.ts';
import { buildApiApp } from '../../src/api/server.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { uiPlugin } from '../../src/ui/ui-plugin.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { TestCertificateAuthority } from '../harness/test-certificates.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('ui');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const ARTIFACTS = path.resolve('test-artifacts');

/** Chromium flags for this closed network: no GPU, no QUIC, nothing phoning home. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('web UI in headless Chromium (real API, Elasticsearch, Kafka, enricher)', () => {
  const kafka: Kafka = createKafka(brokers, 'web-ui-test');
  const es = createElasticsearchClient(esUrl);
  let producer: Producer | undefined;
  let enricher: Enricher | undefined;
  let api: Awaited<ReturnType<typeof buildApiApp>> | undefined;
  let inventory: FileInventorySource | undefined;
  let browser: BrowserContext | undefined;
  let profileDir = '';
  let pkiDir = '';
  let baseUrl = '';
  let page: Page;
  let sequence = 0;

  const sendBatch = async (records: FlowRecordData[]): Promise<void> => {
    sequence++;
    await producer!.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'agent-node-1', bootId: 'boot-ui', sequence, records, sentTimeUnixNano: msToNanos(Date.now()), nodeName: 'node-1' })) }] });
  };
  const documentCount = async (): Promise<number> => {
    await es.indices.refresh({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
    return (await es.count({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true })).count;
  };
  const screenshot = async (name: string): Promise<void> => {
    await page.screenshot({ path: path.join(ARTIFACTS, `ui-${name}.png`), fullPage: true });
  };

  before(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await createPipelineTopics(kafka, topics);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await sendBatch([
      tcpRecord('10.244.1.10', '10.96.0.20', 80, { replySrc: '10.244.1.20' }), // frontend → catalog Service: allowed
      tcpRecord('10.244.1.30', '10.244.1.40', 8443, { bytes: 1234 }), // checkout → payments: allowed
      tcpRecord('10.244.1.20', '10.244.1.40', 8443, { denied: true }), // catalog → payments: denied at the end of tier default (ingress)
      tcpRecord('10.244.1.30', '10.244.2.10', 5432), // checkout → postgres: allowed (security passes the shop API tier)
      tcpRecord('10.244.1.10', '10.244.2.10', 5432, { denied: true }), // frontend → postgres: denied on both sides
    ]);
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-group`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
    await waitFor('five enriched flow documents', async () => ((await documentCount()) >= 5 ? true : undefined));

    // The API application exactly as `segflow api` builds it, over the same Elasticsearch and inventory.
    const config = resolveApiConfig({ elasticsearchUrl: esUrl, indexPrefix: prefix, resources: ['examples/shop'], host: '127.0.0.1', port: 0 });
    inventory = new FileInventorySource(config.resources);
    await inventory.start();
    const metrics = new ApiMetrics();
    const store = new FlowStore(es, prefix);
    // HTTPS with a test CA's certificate, as `segflow api --tls-cert-file/--tls-key-file` serves it.
    pkiDir = await mkdtemp(path.join(os.tmpdir(), 'segflow-ui-pki-'));
    const ca = await TestCertificateAuthority.create(pkiDir, 'segflow-ui-test-ca');
    const serverCert = await ca.issue('segflow-api', { usage: 'server', dnsNames: ['localhost'], ips: ['127.0.0.1'] });
    const certPem = await readFile(serverCert.certFile);
    api = await buildApiApp(createApiContext({ config, store, inventory, metrics, now: Date.now }), undefined, createLogger('api', 'warn'), { https: { cert: certPem, key: await readFile(serverCert.keyFile) } });
    // Once the API server registers the UI itself this is a no-op; until then the test adds it the same way.
    if (!api.hasRoute({ method: 'GET', url: '/' })) await api.register(uiPlugin);
    baseUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    assert.match(baseUrl, /^https:\/\//);

    // Chromium trusts the API's key by its SPKI hash (base64 SHA-256), not every certificate.
    const spki = createHash('sha256').update(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
    profileDir = await mkdtemp(path.join(os.tmpdir(), 'segflow-chromium-'));
    browser = await chromium.launchPersistentContext(profileDir, { executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spki}`], viewport: { width: 1400, height: 900 } });
    page = browser.pages()[0] ?? await browser.newPage();
    page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await browser?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
    if (pkiDir) await rm(pkiDir, { recursive: true, force: true });
    await api?.close();
    await inventory?.stop();
    await enricher?.stop();
    await producer?.disconnect();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  it('serves the page, script and stylesheet from the API server at / over HTTPS', async () => {
    const response = await page.goto(`${baseUrl}/`);
    assert.equal(response?.status(), 200);
    const tls = await response?.securityDetails();
    assert.equal(tls?.issuer, 'segflow-ui-test-ca', 'the page came over TLS with the test CA\'s certificate');
    assert.match(tls?.protocol ?? '', /^TLS 1\.[23]$/);
    assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    await page.locator('header h1', { hasText: 'segflow' }).waitFor();
    assert.deepEqual(await page.locator('nav.tabs a').allTextContents(), ['Flows', 'Denied', 'Explain', 'Recommend', 'Service graph']);
  });

  it('lists flows, filters to a denied one and shows its trace with the deciding policy', async () => {
    await page.goto(`${baseUrl}/#/flows`);
    await page.locator('tr.flow').first().waitFor();
    assert.ok(await page.locator('tr.flow').count() >= 5, 'all flows of the batch are listed');
    await screenshot('flows');

    await page.locator('form.filters input[name=namespace]').fill('shop');
    await page.locator('form.filters input[name=destination]').fill('payments-84b6f7-*');
    await page.locator('form.filters select[name=verdict]').selectOption('deny');
    await page.waitForURL(/verdict=deny/);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('tr.flow')];
      return rows.length > 0 && rows.every((r) => r.querySelector('.verdict-deny') !== null && r.textContent?.includes('payments'));
    });
    assert.equal(await page.locator('tr.flow').count(), 1, 'one denied flow to payments');
    assert.match(await page.locator('tr.flow').first().textContent() ?? '', /shop\/catalog-5f8b7c-q8r2m.*shop\/payments/);

    await page.locator('tr.flow').first().click();
    const detail = page.locator('tr.detail:not([hidden])');
    await detail.waitFor();
    assert.equal((await detail.locator('.deciding-policy').textContent())?.trim(), 'np:shop/default.payments');
    const ingress = detail.locator('.trace-side').nth(1);
    assert.match(await ingress.locator('h4').textContent() ?? '', /Ingress — destination side\s*deny/);
    assert.match(await ingress.locator('li[data-deciding=true]').textContent() ?? '', /default → np:shop\/default\.payments → end of tier\s*deny/);
    assert.match(await detail.locator('.trace-side').nth(0).locator('h4').textContent() ?? '', /Egress — source side\s*allow/);
    assert.match(await detail.locator('.deciding-rule').textContent() ?? '', /destination \(ingress\) side/);
    await screenshot('flows-trace');
  });

  it('groups denied connections and shows the trace per side with the deciding rule', async () => {
    await page.goto(`${baseUrl}/#/denied`);
    const groups = page.locator('[data-testid=denied-group]');
    await groups.first().waitFor();
    assert.equal(await groups.count(), 2, 'catalog → payments and frontend → postgres');
    const postgres = groups.filter({ hasText: 'data/postgres-0' });
    await postgres.locator('summary').click();
    const sides = postgres.locator('.trace-side');
    assert.equal(await sides.count(), 2);
    // The source's egress denies at the end of tier default; evaluation stops there, so ingress was never evaluated.
    assert.match(await sides.nth(0).locator('li[data-deciding=true]').textContent() ?? '', /default → np:shop\/default\.frontend → end of tier\s*deny/);
    assert.match(await sides.nth(1).textContent() ?? '', /not evaluated: the source side denied first/);
    assert.match(await postgres.locator('.deciding-rule').textContent() ?? '', /source \(egress\) side by np:shop\/default\.frontend/);
    // The group's deciding step in words, as segflow explain says it, not as a rule id ending in :-1.
    const policyLine = await postgres.locator('summary .policy').textContent() ?? '';
    assert.match(policyLine, /end of tier default on egress: np:shop\/default\.frontend selected the endpoint, no rule matched/);
    assert.doesNotMatch(policyLine, /:-1/);
    await screenshot('denied');
  });

  it('suggests a fix for a denied group: the edits, YAML, diffs and the replay result', async () => {
    await page.goto(`${baseUrl}/#/denied`);
    const postgres = page.locator('[data-testid=denied-group]').filter({ hasText: 'data/postgres-0' });
    // Open whatever state the previous step left the group in (the view may not have reloaded).
    await postgres.evaluate((d) => { (d as HTMLDetailsElement).open = true; });
    await postgres.locator('[data-testid=suggest-fix]').click();
    const panel = postgres.locator('[data-testid=fix-panel]');
    const replay = panel.locator('[data-testid=fix-replay]');
    await replay.waitFor();
    // Both sides deny: frontend's egress, then security's Pass and postgres's allow, then the staged lockdown.
    const changes = panel.locator('[data-testid=fix-change]');
    assert.equal(await changes.count(), 4);
    assert.match(await changes.nth(0).locator('h4').textContent() ?? '', /NetworkPolicy shop\/default\.frontend\s*calicoctl apply -f/);
    assert.match(await changes.nth(0).locator('[data-testid=fix-diff]').textContent() ?? '', /\+ {4}- action: Allow\n\+ {6}protocol: TCP\n\+ {6}destination:\n\+ {8}selector: app == 'postgres'/);
    assert.match(await changes.nth(0).locator('[data-testid=fix-yaml]').textContent() ?? '', /^apiVersion: projectcalico.org\/v3\nkind: NetworkPolicy\nmetadata:\n {2}name: default.frontend/);
    assert.equal(await changes.nth(0).locator('.diff-del').count(), 0, 'the diff only adds');
    assert.equal(await replay.getAttribute('data-verified'), 'true');
    assert.match(await replay.textContent() ?? '', /Other flows that change verdict: none/);
    assert.match(await replay.locator('.fix-groups li[data-target=true]').textContent() ?? '', /shop\/frontend-7d9c5b-\* → data\/postgres-\*:5432\/tcp deny → allow, 1 flow/);
    assert.match(await replay.textContent() ?? '', /Verified: the target group \(1 flow\) is allowed and nothing else changes/);
    // The replayed traces in words (tier → policy → step), the deciding step marked, no raw hit strings.
    const after = panel.locator('[data-testid=fix-after]');
    assert.match(await after.locator('h4').first().textContent() ?? '', /After the change: allow/);
    const egressAfter = after.locator('.trace-side').nth(0);
    const ingressAfter = after.locator('.trace-side').nth(1);
    assert.match(await egressAfter.locator('li').nth(0).textContent() ?? '', /platform → gnp:platform\.allow-dns → end of tier\s*pass/);
    assert.match(await egressAfter.locator('li[data-deciding=true]').textContent() ?? '', /default → np:shop\/default\.frontend → rule 2\s*allow\s*deciding/);
    assert.match(await ingressAfter.locator('li').nth(0).textContent() ?? '', /security → gnp:security\.data-access → rule 1\s*pass/);
    assert.match(await ingressAfter.locator('li[data-deciding=true]').textContent() ?? '', /default → np:data\/default\.postgres → rule 1\s*allow/);
    assert.doesNotMatch(await after.textContent() ?? '', /\|/, 'no raw policy-hit strings');
    await screenshot('denied-fix');
  });

  it('explains a connection with the policy engine', async () => {
    await page.goto(`${baseUrl}/#/explain`);
    await page.locator('input[name=src]').fill('10.244.1.10');
    await page.locator('input[name=dst]').fill('10.244.2.10');
    await page.locator('input[name=dst_port]').fill('5432');
    await page.locator('form.explain-form button[type=submit]').click();
    const result = page.locator('[data-testid=explain-result]');
    await result.locator('h3').waitFor();
    assert.match(await result.locator('h3').textContent() ?? '', /Verdict:\s*deny/);
    assert.match(await result.textContent() ?? '', /workload shop\/frontend-7d9c5b-x2k4p \(10\.244\.1\.10\) → workload data\/postgres-0 \(10\.244\.2\.10\)/);
    assert.match(await result.locator('.trace-side').nth(1).locator('li[data-deciding=true]').textContent() ?? '', /security → gnp:security\.data-access → rule 1/);
    await screenshot('explain');
  });

  it('recommends policies for a namespace with the replay result and the YAML', async () => {
    await page.goto(`${baseUrl}/#/recommend`);
    await page.locator('form.recommend-form input[name=namespace]').fill('data');
    await page.locator('form.recommend-form select[name=range]').selectOption('1h');
    await page.locator('form.recommend-form input[name=tier]').fill('security');
    await page.locator('form.recommend-form button[type=submit]').click();
    const result = page.locator('[data-testid=recommend-result]');
    const replay = result.locator('[data-testid=recommend-replay]');
    await replay.waitFor();
    // checkout → postgres is the one allowed flow into data; frontend → postgres was denied.
    assert.match(await result.locator('.recommend-workloads').textContent() ?? '', /security\.recommended-postgres — app == 'postgres': 1 ingress, 2 egress rule\(s\), 1 report\(s\)/);
    assert.match(await result.locator('.recommend-dns').textContent() ?? '', /no DNS flows were observed/);
    // The enricher's default level 2 stores allowed flows without addresses: the replay evaluates them by identity
    // (a representative endpoint of the same workload), so the one allowed report is replayed and the result verified.
    assert.equal(await replay.getAttribute('data-verified'), 'true');
    assert.match(await replay.textContent() ?? '', /1 allowed stay allowed, 0 allowed → denied/);
    assert.doesNotMatch(await replay.textContent() ?? '', /could not be replayed/);
    assert.match(await replay.textContent() ?? '', /Verified: every observed allowed flow stays allowed\./);
    const yaml = await result.locator('[data-testid=recommend-yaml]').textContent() ?? '';
    assert.match(yaml, /kind: StagedNetworkPolicy\n/);
    assert.match(yaml, /selector: app == 'checkout'/);
    await screenshot('recommend');
  });

  it('draws the service graph with allowed and denied edges', async () => {
    await page.goto(`${baseUrl}/#/graph`);
    const graph = page.locator('[data-testid=graph] svg');
    await graph.waitFor();
    assert.equal(await graph.locator('path.edge-deny[data-from=shop][data-to=data]').count(), 1, 'shop → data has denied flows');
    assert.equal(await graph.locator('path.edge-allow[data-from=shop][data-to=data]').count(), 1, 'and allowed ones');
    await screenshot('graph-namespaces');
    await page.locator('select[name=graph-mode]').selectOption('workloads');
    await graph.locator('path.edge-deny[data-from="shop/catalog-5f8b7c-*"][data-to="shop/payments-84b6f7-*"]').waitFor();
    assert.equal(await graph.locator('g.node').count() >= 5, true);
    // Readable at this size: every node labelled with its name, every edge with its weight.
    for (const node of await graph.locator('g.node').all()) {
      const name = await node.getAttribute('data-node') ?? '';
      assert.equal(await node.locator('text.node-label').textContent(), name.length > 28 ? `${name.slice(0, 27)}…` : name);
    }
    const deniedWeight = graph.locator('text.edge-weight-deny[data-from="shop/catalog-5f8b7c-*"][data-to="shop/payments-84b6f7-*"]');
    const deniedTitle = await graph.locator('path.edge-deny[data-from="shop/catalog-5f8b7c-*"][data-to="shop/payments-84b6f7-*"] title').textContent() ?? '';
    assert.equal(`: ${await deniedWeight.textContent()} denied`, /: \d+ denied/.exec(deniedTitle)?.[0], 'the weight is the edge\'s count');
    assert.equal(await graph.locator('text.edge-weight').count(), await graph.locator('path.edge').count() - await graph.locator('path.edge[data-from]').evaluateAll((ps) => ps.filter((p) => p.getAttribute('data-from') === p.getAttribute('data-to')).length));
    await screenshot('graph-workloads');
  });

  it('shows a new flow without a reload while Live is on', async () => {
    await page.goto(`${baseUrl}/#/flows?namespace=data`);
    await page.locator('tr.flow').first().waitFor();
    const before = await page.locator('tr.flow').count();
    assert.equal(await page.locator('tr.flow', { hasText: 'redis-0' }).count(), 0);
    await sendBatch([tcpRecord('10.244.1.10', '10.244.2.20', 6379, { denied: true })]); // frontend → redis: new, denied
    await page.locator('tr.flow', { hasText: 'data/redis-0' }).waitFor({ timeout: 90_000 });
    assert.equal(await page.locator('tr.flow').count(), before + 1);
    await screenshot('flows-live');
  });

  it('shows how complete the data is: complete, then the batches and records an agent lost', async () => {
    await page.goto(`${baseUrl}/#/flows`);
    const banner = page.locator('[data-testid=completeness-banner]');
    await page.waitForFunction(() => document.querySelector('[data-testid=completeness-banner]')?.getAttribute('data-status') === 'complete', undefined, { timeout: 60_000 });
    assert.match(await banner.textContent() ?? '', /Complete: 1 node reporting, no batch or record lost/);
    // The agent's next batch skips two sequence numbers and reports 25 records its spool dropped.
    sequence += 3;
    const lost = encodeFlowBatch({
      agentId: 'agent-node-1', bootId: 'boot-ui', sequence, nodeName: 'node-1', sentTimeUnixNano: msToNanos(Date.now()),
      records: [tcpRecord('10.244.1.30', '10.244.1.40', 8443)],
      loss: { sincePrevious: { spool_full: { records: 25, batches: 2 } }, sinceBoot: { spool_full: { records: 25, batches: 2 } } },
    });
    await producer!.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(lost) }] });
    // Live reloads page one, and the banner with it.
    await page.waitForFunction(() => document.querySelector('[data-testid=completeness-banner]')?.getAttribute('data-status') === 'incomplete', undefined, { timeout: 90_000 });
    const text = await banner.textContent() ?? '';
    assert.match(text, /2 agent batches never arrived/);
    assert.match(text, /25 records dropped by the agents \(25 spool full\)/);
    assert.match(text, new RegExp(`batches missing 2 of ${sequence}`));
    await screenshot('completeness');
    // Every data view shows it.
    await page.goto(`${baseUrl}/#/denied`);
    await page.waitForFunction(() => document.querySelector('[data-testid=completeness-banner]')?.getAttribute('data-status') === 'incomplete');
    assert.match(await banner.textContent() ?? '', /25 records dropped/);
    await page.goto(`${baseUrl}/#/graph`);
    await page.waitForFunction(() => document.querySelector('[data-testid=completeness-banner]')?.getAttribute('data-status') === 'incomplete');
  });
});
