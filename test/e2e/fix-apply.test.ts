/**
 * A fix end to end on the real pipeline: the demo shop's inventory on its Kafka topic, every
 * demo route's flow through the enricher into Elasticsearch; the denied `frontend → postgres`
 * group from /denied; `segflow fix` (the CLI, through the API) writes the change; `segflow
 * inventory apply` publishes it to the inventory topic; new flows of every route then go through
 * the pipeline again. Afterwards that group's new flows are allowed and every other group keeps
 * its verdict — exactly what the replay promised before the change was applied.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { TopicInventorySource } from '../../src/api/inventory/topic-inventory-source.ts';
import { ApiServer } from '../../src/api/server.ts';
import { FixAnswer } from '../../src/contract/api/fix.ts';
import { encodeFlowBatch } from '../../src/contract/wire/flow-batch-codec.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { readResourceDocuments } from '../../src/inventory/topic/resource-documents.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { demoRecords, demoRoutes } from '../harness/demo-shop-traffic.ts';
import { msToNanos } from '../harness/flow-records.ts';
import { freePort } from '../harness/free-port.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { schemaProblems } from '../harness/schema-check.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('fixe2e');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const TOKEN = 'fix-e2e-admin-token-0123456789';
const root = process.cwd();

type Json = Record<string, unknown>;
interface StoredFlow { '@timestamp': string; segflow: { verdict: string; reporter: string; source: { namespace?: string; aggregated_name?: string }; destination: { namespace?: string; aggregated_name?: string } }; destination: { port?: number } }

/** Runs `segflow …` to completion; stdout, stderr and the exit code. */
function segflow(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/segflow.js'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a fix applied through the inventory topic, on the real pipeline', { timeout: 300_000 }, () => {
  const kafka = createKafka(brokers, 'fix-e2e-test');
  const es = createElasticsearchClient(esUrl);
  const work = mkdtempSync(path.join(tmpdir(), 'segflow-fix-e2e-'));
  let enricher: Enricher | undefined;
  let server: ApiServer | undefined;
  let apiUrl = '';
  let metricsPort = 0;
  let routes: ReturnType<typeof demoRoutes>;
  let sequence = 0;
  /** Newest stored timestamp of the previous round: a round's documents are the ones after it. */
  let lastStoredMs = 0;

  const api = async (method: 'GET' | 'POST', url: string, body?: Json): Promise<Json> => {
    const r = await fetch(`${apiUrl}${url}`, { method, headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json = await r.json() as Json;
    assert.equal(r.status, 200, `${url}: ${JSON.stringify(json)}`);
    return json;
  };
  const enricherRevision = async (): Promise<number> => ((await (await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).json()) as { inventoryRevision: number }).inventoryRevision;

  /** Sends one flow per demo route, ending after the previous round's windows, and waits until the source reports of all of them are stored. */
  async function sendRound(): Promise<StoredFlow[]> {
    // Past the previous round's last aggregation window, so no document holds flows of both.
    while (Date.now() < lastStoredMs + 6_000) await new Promise((resolve) => setTimeout(resolve, 250));
    const endMs = Date.now();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    sequence++;
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'node-1', bootId: 'b', sequence, records: demoRecords(routes, endMs), sentTimeUnixNano: msToNanos(Date.now()), nodeName: 'node-1' })) }] });
    await producer.disconnect();
    const stored = await waitFor(`round ${sequence} stored`, async () => {
      await es.indices.refresh({ index: `${prefix}-*`, allow_no_indices: true, ignore_unavailable: true });
      const r = await es.search<StoredFlow>({
        index: `${prefix}-*`, size: 1000, allow_no_indices: true, ignore_unavailable: true,
        query: { bool: { filter: [{ range: { '@timestamp': { gt: lastStoredMs, format: 'epoch_millis' } } }, { term: { 'segflow.reporter': 'src' } }] } },
      });
      const docs = r.hits.hits.map((h) => h._source as StoredFlow);
      return docs.length >= routes.length ? docs : undefined;
    }, 120_000);
    lastStoredMs = Math.max(...stored.map((d) => Date.parse(d['@timestamp'])));
    return stored;
  }

  /** Verdict per group (source → destination:port), from source reports. */
  const verdicts = (docs: StoredFlow[]): Map<string, string> => {
    const out = new Map<string, string>();
    for (const d of docs) {
      const key = `${d.segflow.source.namespace}/${d.segflow.source.aggregated_name} → ${d.segflow.destination.namespace}/${d.segflow.destination.aggregated_name}:${d.destination.port}`;
      const seen = out.get(key);
      assert.ok(seen === undefined || seen === d.segflow.verdict, `${key}: one verdict per group`);
      out.set(key, d.segflow.verdict);
    }
    return out;
  };

  before(async () => {
    const { documents } = await readResourceDocuments(['examples/shop']);
    routes = demoRoutes(documents.flatMap((d) => d.resources));
    await createPipelineTopics(kafka, topics);
    metricsPort = await freePort();
    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${run}-g`, indexPrefix: prefix, retentionDays: 0, metricsPort, aggregation: { windowMs: 5_000, allowedLevel: 1, deniedLevel: 1 } });
    await enricher.start();
    const tokens = parseTokenConfig({ tokens: [{ name: 'admin', token: TOKEN, role: 'admin' }] });
    server = new ApiServer({ port: 0, host: '127.0.0.1', elasticsearchUrl: esUrl, indexPrefix: prefix, logLevel: 'warn' }, { tokens, inventory: new TopicInventorySource(kafka, topics.inventory, createLogger('test')) });
    apiUrl = await server.start();
  });

  after(async () => {
    await server?.stop();
    await enricher?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('fixes the denied frontend → postgres group: its new flows are allowed, no other group changes', async () => {
    const beforeDocs = await sendRound();
    const before = verdicts(beforeDocs);
    const target = 'shop/frontend-7d9c5b-* → data/postgres-*:5432';
    assert.equal(before.get(target), 'deny');

    // The group as the denied view lists it, and its example flow.
    const denied = await api('GET', '/api/v1/denied?from=now-1h');
    const group = (denied.groups as { source: Json; destination: Json; example: { source: { ip: string }; destination: { ip: string; port: number } } }[])
      .find((g) => g.source.name === 'frontend-7d9c5b-*' && g.destination.name === 'postgres-*');
    assert.ok(group, 'frontend → postgres is a denied group');

    // The replay figures (the API), then the CLI for the documents to apply.
    const flow = { src: group.example.source.ip, dst: group.example.destination.ip, protocol: 'tcp', dst_port: group.example.destination.port };
    const answer = await api('POST', '/api/v1/fixes', { ...flow, hours: 1 }) as Json & { replay: Json & { other_changes: unknown[] } };
    assert.equal(answer.allowed, true);
    assert.equal(answer.replay.target_found, true);
    assert.deepEqual(answer.replay.other_changes, []);
    assert.equal(answer.replay.allow_to_deny, 0);
    assert.deepEqual(schemaProblems(FixAnswer, answer), [], 'the HTTP answer is exactly the schema\'s');
    const figures = { evaluated: answer.replay.evaluated, deny_to_allow: answer.replay.deny_to_allow, allow_to_deny: answer.replay.allow_to_deny, target_flows: answer.replay.target_flows, other_changed_flows: answer.replay.other_changed_flows, edits: (answer.edits as unknown[]).length };
    process.stdout.write(`# fix e2e replay figures: ${JSON.stringify(figures)}\n`);

    const cli = await segflow(['fix', '--src', flow.src, '--dst', flow.dst, '--protocol', 'tcp', '--dst-port', String(flow.dst_port), '--hours', '1', '--api-url', apiUrl, '--fail-on-change'], { SEGFLOW_API_TOKEN: TOKEN });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stderr, /verified: the target group \(\d+ flow\(s\)\) is allowed and no other flow changes verdict/);
    assert.equal(cli.stdout, answer.yaml, 'the CLI prints the documents the API answered');
    process.stdout.write(`# segflow fix (stderr):\n${cli.stderr}`);
    const fixFile = path.join(work, 'fix.yaml');
    writeFileSync(fixFile, cli.stdout);

    const revisionBefore = await enricherRevision();
    const applied = await segflow(['inventory', 'apply', '-f', fixFile, '--brokers', brokers, '--topic', topics.inventory]);
    assert.equal(applied.code, 0, applied.stderr);
    const configured = applied.stdout.trim().split('\n').filter((l) => l.endsWith(' configured'));
    assert.equal(configured.length, (answer.changes as unknown[]).length, applied.stdout);

    // The API and the enricher follow the topic: wait until both have every change.
    await waitFor('the API sees the fix', async () => ((await api('POST', '/api/v1/explain', flow)).verdict === 'allow' ? true : undefined), 60_000);
    await waitFor('the enricher applied the fix', async () => ((await enricherRevision()) >= revisionBefore + configured.length ? true : undefined), 60_000);

    const after = verdicts(await sendRound());
    assert.equal(after.get(target), 'allow', 'new flows of the group are allowed');
    const changed = [...before.keys()].filter((k) => k !== target && after.get(k) !== before.get(k));
    assert.deepEqual(changed, [], 'no other group changes verdict');
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'the same groups');
    process.stdout.write(`# fix e2e groups: ${before.size} groups, ${[...before.values()].filter((v) => v === 'deny').length} denied before, ${[...after.values()].filter((v) => v === 'deny').length} denied after\n`);
  });
});
