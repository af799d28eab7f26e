// segflow-test-requires: goldmane (npm test lists this file as NOT RUN when the binary is missing)
/**
 * Goldmane sources in the completeness figure, through the real pipeline: the Goldmane source
 * role reading the real Goldmane (v3.32.1) publishes its source reports to Kafka beside the flows,
 * the enricher writes them into the report index (reporter kind goldmane, flows counted), and
 * `/api/v1/flows` lists the source as reporting. The long outage, driven by the progress file: the
 * source starts with progress from two hours ago (it was away longer than Goldmane's hour), so
 * its first report carries the span whose flows Goldmane may have dropped, and the figure of a
 * range over that span is incomplete, saying so in words and in seconds.
 *
 * Needs the Goldmane binary (test/harness/goldmane.ts says where it is looked for).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { TopicInventorySource } from '../../src/api/inventory/topic-inventory-source.ts';
import { ApiServer } from '../../src/api/server.ts';
import type { Completeness } from '../../src/contract/api/completeness.ts';
import { agentReportIndexPattern } from '../../src/contract/flow-index-names.ts';
import type { GoldmaneFlow } from '../../src/contract/goldmane/goldmane-flow.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { writeProgress } from '../../src/goldmane/goldmane-progress-file.ts';
import { GoldmaneRole } from '../../src/goldmane/goldmane-role.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { PLAINTEXT_KAFKA } from '../../src/runtime/role-config/kafka-security-contract.ts';
import { FelixLikePusher, requireGoldmaneBinary, startGoldmane, type RunningGoldmane } from '../harness/goldmane.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const binary = requireGoldmaneBinary('test/integration/goldmane-completeness.test.ts (Goldmane sources in the completeness figure)');
const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('gmcomp');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const ADMIN = 'admin-token-0123456789';
const SOURCE = 'calico-1';

function bucket(bucketsAgo: number): number {
  const now = Math.floor(Date.now() / 1000);
  return now - (now % 15) - 15 * bucketsAgo;
}
function flow(dst: string, start: number): GoldmaneFlow {
  return {
    key: {
      sourceName: 'checkout-66c4d9-*', sourceNamespace: 'shop', sourceType: 1, destName: dst, destNamespace: 'shop', destType: 1, destPort: 8443,
      destServiceName: '', destServiceNamespace: '', destServicePortName: '', destServicePort: 0, proto: 'tcp', reporter: 2, action: 1,
      enforced: [{ kind: 1, namespace: 'shop', name: 'default.payments', tier: 'default', action: 1, policyIndex: 0, ruleIndex: 0, trigger: null }], pending: [],
    },
    startTime: start, endTime: start + 15, sourceLabels: ['app=checkout'], destLabels: ['app=payments'],
    packetsIn: 1, packetsOut: 1, bytesIn: 100, bytesOut: 100, connectionsStarted: 1, connectionsCompleted: 1, connectionsLive: 0,
  };
}

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Goldmane sources in the completeness figure (real Goldmane, Kafka, Elasticsearch)', { timeout: 240_000 }, () => {
  const kafka = createKafka(brokers, 'goldmane-completeness-test');
  const es = createElasticsearchClient(esUrl);
  let goldmane: RunningGoldmane | undefined;
  let pusher: FelixLikePusher | undefined;
  let enricher: Enricher | undefined;
  let role: GoldmaneRole | undefined;
  let server: ApiServer | undefined;
  let app: FastifyInstance;
  let stateDir: string | undefined;
  // The source's progress file says it last read up to two hours ago.
  const awaySince = Math.floor(Date.now() / 1000) - 7200;
  const flows = [flow('payments-84b6f7-*', bucket(6)), flow('catalog-5f8b7c-*', bucket(5))];

  const get = async (url: string): Promise<{ status: number; body: Doc }> => {
    const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN}` } });
    return { status: r.statusCode, body: r.json() as Doc };
  };
  const reports = async (): Promise<Doc[]> => {
    await es.indices.refresh({ index: agentReportIndexPattern(prefix), allow_no_indices: true, ignore_unavailable: true });
    const r = await es.search({ index: agentReportIndexPattern(prefix), size: 100, query: { term: { 'reporter.kind': 'goldmane' } }, sort: [{ '@timestamp': 'asc' }], allow_no_indices: true, ignore_unavailable: true });
    return r.hits.hits.map((h) => h._source as Doc);
  };

  before(async () => {
    await createPipelineTopics(kafka, topics);
    stateDir = await mkdtemp(path.join(tmpdir(), 'segflow-gmcomp-'));
    const stateFile = path.join(stateDir, 'progress.json');
    await writeProgress(stateFile, { newestStart: awaySince - 15, newestEnd: awaySince });
    goldmane = await startGoldmane(binary);
    pusher = new FelixLikePusher(goldmane.address);
    await pusher.pushAll(flows);
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-g`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
    role = new GoldmaneRole({
      address: goldmane.address, brokers, topic: topics.raw, kafkaSecurity: PLAINTEXT_KAFKA, sourceName: SOURCE, http: null,
      initialBackoffMs: 200, maxBackoffMs: 1000, stateFile, reportIntervalMs: 2000,
    }, createLogger('goldmane-completeness-test'));
    await role.start();
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
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('writes the source reports into the report index: goldmane reporter, unnumbered, flows counted', async () => {
    const docs = await waitFor('goldmane reports counting both flows', async () => {
      const found = await reports();
      return found.reduce((n, d) => n + d.batch.records, 0) >= flows.length && found.length >= 2 ? found : undefined;
    }, 90_000);
    for (const d of docs) {
      assert.deepEqual(d.reporter, { kind: 'goldmane', id: SOURCE, node: null });
      assert.equal(d.report.kind, 'batch');
      assert.equal(d.batch.sequence, 0);
      assert.equal(d.batch.heartbeat_interval_ms, 2000);
    }
    assert.equal(new Set(docs.map((d) => d.batch.boot)).size, 1, 'one run of the source');
    assert.equal(docs.reduce((n, d) => n + d.batch.records, 0), flows.length, 'every published flow counted once');
    // The first report carried the span the progress file implied: from where it had got to, to
    // the oldest Goldmane still holds (about an hour ago).
    const spans = docs.filter((d) => d.possible_loss);
    assert.equal(spans.length >= 1, true, 'a report with the possibly-lost span');
    const span = spans[0]!.possible_loss;
    assert.equal(span.cause, 'goldmane_retention');
    assert.equal(Date.parse(span.from), awaySince * 1000);
    const expectedTo = Date.parse(spans[0]!['@timestamp']) - 3600_000;
    assert.ok(Math.abs(Date.parse(span.to) - expectedTo) < 10_000, `span ends about an hour before the report (${span.to})`);
    assert.equal(span.retention_seconds, 3600);
    // The span runs from where the source had got to (2 h before the test started) to the oldest flow Goldmane
    // still holds when the report is made: an hour, plus however long the test took to get there.
    const expectedSeconds = (expectedTo - awaySince * 1000) / 1000;
    assert.ok(Math.abs(span.seconds - (Date.parse(span.to) - Date.parse(span.from)) / 1000) <= 1, `seconds agree with from/to (${span.seconds} s)`);
    assert.ok(span.seconds >= 3590 && Math.abs(span.seconds - expectedSeconds) < 10, `about an hour possibly lost (expected ${expectedSeconds} s from the report's time), got ${span.seconds} s`);
  });

  it('lists the Goldmane source as reporting in /api/v1/flows for the last few minutes', async () => {
    const c = await waitFor('the Goldmane source reporting', async () => {
      const r = await get('/api/v1/flows?from=now-3m');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const out = r.body.completeness as Completeness;
      return out.nodes.reporting >= 1 ? out : undefined;
    }, 60_000);
    assert.equal(c.nodes.reporting, 1);
    assert.equal(c.nodes.silent, 0);
    assert.equal(c.possible_loss, undefined, 'no span overlaps the last minutes');
    assert.ok(c.records.received >= flows.length, `the flows the source published count (${c.records.received})`);
    assert.equal(c.reasons.some((r) => /Goldmane source|silent/.test(r)), false, c.reasons.join('; '));
  });

  it('says a range over the span is incomplete: disconnected longer than Goldmane keeps flows', async () => {
    const from = new Date((awaySince + 600) * 1000).toISOString();
    const to = new Date((awaySince + 1200) * 1000).toISOString();
    const r = await get(`/api/v1/flows?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const c = r.body.completeness as Completeness;
    assert.equal(c.status, 'incomplete', c.reasons.join('; '));
    assert.equal(c.possible_loss?.length, 1);
    assert.equal(c.possible_loss![0]!.source, SOURCE);
    assert.equal(c.possible_loss![0]!.cause, 'goldmane_retention');
    assert.equal(c.records.dropped, 0, 'a span is not counted as records');
    assert.ok(c.reasons.some((x) => /^Goldmane source calico-1 was disconnected for 2 h, longer than Goldmane keeps flows \(1 h\): flows between \S+ and \S+ may be missing/.test(x)), c.reasons.join('; '));
  });
});
