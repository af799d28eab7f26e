/**
 * segflow's least-privilege Elasticsearch roles (contract/elasticsearch-roles.ts), proven on a
 * real Elasticsearch with security on: a private secured node (the local runner's security
 * option: users, roles, 401/403 over plain HTTP on loopback), the roles put by
 * `segflow install elasticsearch-roles --apply`, a user per role, then
 *
 * - the real enricher, consuming from real Kafka as the enricher user only: flows indexed,
 *   templates installed, agent reports written, a closed block summarised, an expired daily
 *   index deleted by retention; `segflow summaries rebuild` as the same user;
 * - the real API as the API user only: /flows, /flows/stats answered from the summaries, /denied;
 * - refusals, each 403 naming the action: the API user cannot write, delete or put templates;
 *   the enricher user cannot touch an index outside its prefix nor read `.security`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { Kafka, Producer } from 'kafkajs';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { ApiServer } from '../../src/api/server.ts';
import { elasticsearchRoleDescriptors } from '../../src/cli/install-command.ts';
import { dailyAgentReportIndexName, dailyFlowIndexName } from '../../src/contract/flow-index-names.ts';
import { blockStartOf, dailySummaryIndexName, summaryDocumentId, SUMMARY_BLOCK_MS, type FlowSummaryDocument } from '../../src/contract/flow-summary.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { openElasticsearchConnection, type ElasticsearchConnection } from '../../src/runtime/elasticsearch-security.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { Secret } from '../../src/runtime/role-config/secret-value.ts';
import { LocalElasticsearch } from '../../src/services/elasticsearch-runner.ts';
import { loadServicesConfig, projectRoot } from '../../src/services/services-config.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { freePort } from '../harness/free-port.ts';
import { createPipelineTopics, deleteTopics } from '../harness/pipeline-resources.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitFor } from '../harness/wait-for.ts';

const run = exec();
const brokers = requireKafkaBrokers();
const name = uniqueName('esroles');
const topics = { raw: `${name}-raw`, dlq: `${name}-dlq`, inventory: `${name}-inv` };
const prefix = `${name}-flows`;
const ADMIN_TOKEN = 'roles-admin-token-0123456789abcdef';
// A closed block well past the rollup's grace, and an expired day retention must delete.
const block = blockStartOf(Date.now()) - 3 * SUMMARY_BLOCK_MS;
const endMs = block + 100_000;
const expiredDay = dailyFlowIndexName(Date.now() - 30 * 86_400_000, prefix);
const expiredSummaryDay = dailySummaryIndexName(Date.now() - 30 * 86_400_000, prefix);
const expiredReportDay = dailyAgentReportIndexName(Date.now() - 30 * 86_400_000, prefix);
const outside = `${name}-outside`;

/** Runs `segflow …` from the checkout; resolves with the exit code and output (never rejects on a non-zero exit). */
function exec() {
  const execFileAsync = promisify(execFile);
  return async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(projectRoot, 'bin', 'segflow.js'), ...args], { cwd: projectRoot, env: { ...process.env, ...env }, timeout: 180_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
    }
  };
}

describe('least-privilege Elasticsearch roles on a secured Elasticsearch', () => {
  const kafka: Kafka = createKafka(brokers, 'es-roles-test');
  let dir = '';
  let node: LocalElasticsearch | undefined;
  let url = '';
  const files = { elastic: '', enricher: '', api: '' };
  const passwords = { elastic: `elastic-${randomBytes(9).toString('hex')}`, enricher: `enricher-${randomBytes(9).toString('hex')}`, api: `api-${randomBytes(9).toString('hex')}` };
  const users = { enricher: `${name}-enricher-user`, api: `${name}-api-user` };
  let admin: Client;
  let enricher: Enricher | undefined;
  let api: ApiServer | undefined;
  let producer: Producer | undefined;
  const clients: Client[] = [];

  const connectionAs = (user: 'enricher' | 'api'): Promise<ElasticsearchConnection> => openElasticsearchConnection({
    url, auth: { kind: 'basic', username: users[user], password: new Secret(passwords[user], { kind: 'file', path: files[user] }) },
  });
  const clientAs = async (user: 'enricher' | 'api'): Promise<Client> => {
    const client = createElasticsearchClient(await connectionAs(user), { maxRetries: 0 });
    clients.push(client);
    return client;
  };
  /** The message of the failure `call` ends in (it must fail). */
  const refusal = async (call: () => Promise<unknown>): Promise<string> => {
    try {
      await call();
    } catch (error) {
      return (error as Error).message;
    }
    return assert.fail('expected Elasticsearch to refuse');
  };

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-es-roles-'));
    for (const key of Object.keys(files) as (keyof typeof files)[]) {
      files[key] = path.join(dir, `${key}.pw`);
      await writeFile(files[key], `${passwords[key]}\n`, { mode: 0o600 });
    }
    const [port, transportPort] = [await freePort(), await freePort()];
    const config = loadServicesConfig({
      SEGFLOW_SERVICES_DIR: path.join(dir, 'services'),
      SEGFLOW_ARTIFACTS_DIR: process.env.SEGFLOW_ARTIFACTS_DIR,
      SEGFLOW_MAVEN_REPO: process.env.SEGFLOW_MAVEN_REPO,
      ES_JAVA_HOME: process.env.ES_JAVA_HOME,
      SEGFLOW_ES_USER: process.env.SEGFLOW_ES_USER,
      SEGFLOW_SERVICES_TIMEOUT_MS: process.env.SEGFLOW_SERVICES_TIMEOUT_MS,
      SEGFLOW_ES_PORT: String(port),
      SEGFLOW_ES_TRANSPORT_PORT: String(transportPort),
      SEGFLOW_ES_HEAP: '512m',
      SEGFLOW_ES_ELASTIC_PASSWORD_FILE: files.elastic,
    });
    node = new LocalElasticsearch(config);
    await node.start();
    await node.waitReady(Date.now() + config.startTimeoutMs);
    url = node.url;
    admin = createElasticsearchClient({ url, auth: { kind: 'basic', username: 'elastic', password: new Secret(passwords.elastic, { kind: 'file', path: files.elastic }) } });
    await createPipelineTopics(kafka, topics, 1);
  });

  after(async () => {
    await producer?.disconnect().catch(() => undefined);
    await enricher?.stop().catch(() => undefined);
    await api?.stop().catch(() => undefined);
    await Promise.all(clients.map((c) => c.close()));
    await admin?.close();
    await deleteTopics(kafka, Object.values(topics)).catch(() => undefined);
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers nothing without credentials: security is on', async () => {
    const anonymous = createElasticsearchClient(url, { maxRetries: 0 });
    try {
      assert.match(await refusal(() => anonymous.info()), /401 Unauthorized/);
    } finally {
      await anonymous.close();
    }
  });

  it('segflow install elasticsearch-roles prints the descriptors and --apply puts exactly them', async () => {
    const printed = await run(['install', 'elasticsearch-roles', '--index-prefix', prefix]);
    assert.equal(printed.code, 0, printed.stderr);
    const descriptors = elasticsearchRoleDescriptors(prefix);
    assert.deepEqual(JSON.parse(printed.stdout), descriptors);

    // A user without manage_security is refused, and the error names the privilege; the password stays secret.
    const applied = await run(['install', 'elasticsearch-roles', '--apply', '--index-prefix', prefix, '--elasticsearch', url, '--elasticsearch-username', 'elastic', '--elasticsearch-password-file', files.elastic]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(applied.stdout.trim().split('\n'), [`role ${prefix}-enricher: created`, `role ${prefix}-api: created`]);
    assert.ok(!applied.stdout.includes(passwords.elastic) && !applied.stderr.includes(passwords.elastic));

    const stored = await admin.security.getRole({ name: Object.keys(descriptors).join(',') });
    for (const [roleName, body] of Object.entries(descriptors)) {
      const role = stored[roleName] as unknown as { cluster: string[]; indices: Array<{ names: string[]; privileges: string[]; allow_restricted_indices: boolean }>; metadata: unknown; description?: string };
      assert.ok(role, `${roleName} stored`);
      assert.deepEqual(role.cluster, body.cluster, roleName);
      assert.deepEqual(role.indices.map((g) => ({ names: g.names, privileges: g.privileges, allow_restricted_indices: g.allow_restricted_indices })), body.indices, roleName);
      assert.deepEqual(role.metadata, body.metadata, roleName);
      assert.equal(role.description, body.description, roleName);
    }
    const again = await run(['install', 'elasticsearch-roles', '--apply', '--index-prefix', prefix, '--elasticsearch', url, '--elasticsearch-username', 'elastic', '--elasticsearch-password-file', files.elastic]);
    assert.deepEqual(again.stdout.trim().split('\n'), [`role ${prefix}-enricher: updated`, `role ${prefix}-api: updated`], again.stderr);

    await admin.security.putUser({ username: users.enricher, password: passwords.enricher, roles: [`${prefix}-enricher`] });
    await admin.security.putUser({ username: users.api, password: passwords.api, roles: [`${prefix}-api`] });
    const refused = await run(['install', 'elasticsearch-roles', '--apply', '--index-prefix', prefix, '--elasticsearch', url, '--elasticsearch-username', users.enricher, '--elasticsearch-password-file', files.enricher]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`could not put 2 of 2 role\\(s\\):\\nrole ${prefix}-enricher: .*403 Forbidden.*cluster:admin/xpack/security/role/put.*manage_security`));
    assert.ok(!refused.stderr.includes(passwords.enricher));
  });

  it('the enricher, as the enricher user only, indexes flows, installs templates, summarises a block and deletes an expired day', async () => {
    // Days retention must delete (flows, summaries, agent reports), created beforehand by the
    // administrator; an index outside the prefix stays.
    for (const index of [expiredDay, expiredSummaryDay, expiredReportDay, outside]) await admin.indices.create({ index });
    const records: FlowRecordData[] = [
      tcpRecord('10.244.1.10', '10.96.0.20', 80, { replySrc: '10.244.1.20', replySport: 8080, endMs }),
      tcpRecord('10.244.1.30', '10.244.1.40', 8443, { bytes: 1234, endMs }),
      tcpRecord('10.244.1.20', '10.244.1.40', 8443, { denied: true, endMs }),
    ];
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'agent-node-1', bootId: 'boot-roles', sequence: 1, records, sentTimeUnixNano: msToNanos(Date.now()), nodeName: 'node-1' })) }] });

    enricher = new Enricher({
      brokers, elasticsearchUrl: url, elasticsearch: await connectionAs('enricher'),
      rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: `${name}-group`,
      indexPrefix: prefix, retentionDays: 7, metricsPort: 0, summaryAuditIntervalMs: 1_000,
    });
    await enricher.start();

    const flows = await waitFor('flows indexed by the enricher user', async () => {
      await admin.indices.refresh({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
      const r = await admin.search({ index: `${prefix}-*`, size: 0, track_total_hits: true, ignore_unavailable: true, allow_no_indices: true });
      const total = (r.hits.total as { value: number }).value;
      return total > 0 ? total : undefined;
    }, 120_000, 1_000);
    assert.ok(flows > 0);
    const reports = await waitFor('agent reports written', async () => {
      await admin.indices.refresh({ index: `${prefix}.reports-*`, ignore_unavailable: true, allow_no_indices: true });
      const r = await admin.count({ index: `${prefix}.reports-*`, ignore_unavailable: true, allow_no_indices: true });
      return r.count > 0 ? r.count : undefined;
    }, 60_000, 1_000);
    assert.ok(reports > 0);
    const summary = await waitFor('the closed block summarised', async () => {
      const r = await admin.get<FlowSummaryDocument>({ index: dailySummaryIndexName(block, prefix), id: summaryDocumentId(block) }, { ignore: [404] });
      return r.found ? r._source : undefined;
    }, 120_000, 1_000);
    assert.ok(summary.fingerprint.flows > 0, 'the summary counts the block\'s flows');
    // The summary audit reads the stored fingerprints as this user: a summary made stale (as if
    // flows had changed after its rollup) is found and rolled up again.
    const summaryId = { index: dailySummaryIndexName(block, prefix), id: summaryDocumentId(block) };
    await admin.update({ ...summaryId, doc: { fingerprint: { ...summary.fingerprint, records: summary.fingerprint.records + 1 } }, refresh: true });
    const redone = await waitFor('the audit to roll the stale summary up again', async () => {
      const r = await admin.get<FlowSummaryDocument>(summaryId, { ignore: [404] });
      return r._source && r._source.rolled_up_at > summary.rolled_up_at && r._source.fingerprint.records === summary.fingerprint.records ? r._source : undefined;
    }, 60_000, 1_000);
    // Current now, it stays as it is through audits every second and rollup ticks every 5 s. (An
    // audit that could not read the summaries would take the block for missing each time, and
    // roll it up again and again.)
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    assert.equal((await admin.get<FlowSummaryDocument>(summaryId))._source?.rolled_up_at, redone.rolled_up_at, 'a current summary is left alone');
    const templates = await admin.indices.getIndexTemplate({ name: `${prefix}*` });
    assert.deepEqual(templates.index_templates.map((t) => t.name).sort(), [prefix, `${prefix}.reports`, `${prefix}.summaries`]);
    await waitFor('retention deleted the expired days', async () => {
      const left = Object.keys(await admin.indices.get({ index: [expiredDay, expiredSummaryDay, expiredReportDay], ignore_unavailable: true, allow_no_indices: true }));
      return left.length === 0 ? true : undefined;
    }, 60_000, 1_000);
    assert.equal((await admin.indices.exists({ index: outside })), true, 'the index outside the prefix is untouched');
    // Nothing went to the dead-letter topic: no write was refused.
    const offsets = await kafka.admin();
    await offsets.connect();
    try {
      const dlq = await offsets.fetchTopicOffsets(topics.dlq);
      assert.deepEqual(dlq.map((p) => p.high), dlq.map(() => '0'), 'dead-letter topic empty');
    } finally {
      await offsets.disconnect();
    }
  });

  it('segflow summaries rebuild runs as the enricher user', async () => {
    const from = new Date(block).toISOString();
    const to = new Date(block + SUMMARY_BLOCK_MS).toISOString();
    const rebuilt = await run(['summaries', 'rebuild', '--from', from, '--to', to, '--index-prefix', prefix, '--elasticsearch', url, '--elasticsearch-username', users.enricher], { SEGFLOW_ELASTICSEARCH_PASSWORD: passwords.enricher });
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stdout, /summarised 1 blocks \([1-9]\d* counted flows/);
  });

  it('the API, as the API user only, answers /flows, /flows/stats from the summaries, and /denied', async () => {
    const tokens = parseTokenConfig({ tokens: [{ name: 'admin', sha256: createHash('sha256').update(ADMIN_TOKEN).digest('hex'), role: 'admin' }] });
    api = new ApiServer({ port: 0, elasticsearchUrl: url, elasticsearch: await connectionAs('api'), indexPrefix: prefix, logLevel: 'warn' }, { tokens });
    const app = await api.ready();
    const get = async (route: string) => {
      const r = await app.inject({ url: route, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(r.statusCode, 200, `${route}: ${r.body}`);
      return r.json() as Record<string, unknown>;
    };
    const ready = await app.inject({ url: '/readyz' });
    assert.equal(ready.json<{ checks: { elasticsearch: { ok: boolean } } }>().checks.elasticsearch.ok, true, ready.body);
    const from = new Date(block).toISOString();
    const to = new Date(block + SUMMARY_BLOCK_MS).toISOString();
    const flows = await get(`/api/v1/flows?from=${from}&to=${to}&limit=100`);
    assert.ok((flows.flows as unknown[]).length > 0, 'flows listed');
    // A whole block, a timeline step the summaries hold (30 s multiples): the summary path.
    const stats = await get(`/api/v1/flows/stats?from=${from}&to=${to}&interval=1m`);
    assert.ok((stats.totals as { flows: number }).flows > 0, 'stats counted');
    const metrics = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).body;
    const calls = metrics.split('\n').filter((l) => l.startsWith('segflow_api_elasticsearch_duration_seconds_count')).join('\n');
    assert.match(calls, /operation="stats_summary_blocks",outcome="ok"\} [1-9]/, `the stats came from the summaries:\n${calls}`);
    assert.doesNotMatch(calls, /outcome="error"\} [1-9]/, `no Elasticsearch call of the API failed:\n${calls}`);
    const denied = await get(`/api/v1/denied?from=${from}&to=${to}`);
    assert.ok(Array.isArray(denied.groups), JSON.stringify(denied));
  });

  it('refuses the API user writes, deletes and templates, each 403 naming the action', async () => {
    const client = await clientAs('api');
    const day = dailyFlowIndexName(endMs, prefix);
    assert.match(await refusal(() => client.index({ index: day, document: { a: 1 } })), /403 Forbidden.*action \[indices:data\/write\/index\] is unauthorized/);
    assert.match(await refusal(() => client.bulk({ operations: [{ index: { _index: day } }, { a: 1 }] }).then((r) => { if (r.errors) throw new Error(JSON.stringify(r.items[0])); })), /403 Forbidden.*action \[indices:data\/write\/bulk\] is unauthorized/);
    assert.match(await refusal(() => client.indices.delete({ index: day })), /403 Forbidden.*action \[indices:admin\/delete\] is unauthorized/);
    assert.match(await refusal(() => client.indices.putIndexTemplate({ name: `${prefix}-evil`, index_patterns: [`${prefix}-evil-*`] })), /403 Forbidden.*action \[indices:admin\/index_template\/put\] is unauthorized/);
    assert.match(await refusal(() => client.indices.putMapping({ index: day, properties: { evil: { type: 'keyword' } } })), /403 Forbidden.*action \[indices:admin\/mapping\/put\] is unauthorized/);
  });

  it('refuses the enricher user any index outside its prefix and the security index, each 403 naming the action', async () => {
    const client = await clientAs('enricher');
    // With write privileges elsewhere, a single write is refused at the shard-level bulk action.
    assert.match(await refusal(() => client.index({ index: outside, document: { a: 1 } })), new RegExp(`403 Forbidden.*action \\[indices:data/write/bulk\\[s\\]\\] is unauthorized .* on indices \\[${outside}\\]`));
    assert.match(await refusal(() => client.index({ index: `${name}-elsewhere-2026.01.01`, document: { a: 1 } })), /403 Forbidden.*action \[indices:admin\/auto_create\] is unauthorized/);
    assert.match(await refusal(() => client.search({ index: outside })), /403 Forbidden.*action \[indices:data\/read\/search\] is unauthorized/);
    assert.match(await refusal(() => client.indices.delete({ index: outside })), /403 Forbidden.*action \[indices:admin\/delete\] is unauthorized/);
    assert.match(await refusal(() => client.search({ index: '.security' })), /403 Forbidden.*action \[indices:data\/read\/search\] is unauthorized .* on restricted indices \[\.security\]/);
    assert.match(await refusal(() => client.cluster.state()), /403 Forbidden.*action \[cluster:monitor\/state\] is unauthorized/);
    assert.match(await refusal(() => client.indices.deleteIndexTemplate({ name: prefix })), /403 Forbidden.*action \[indices:admin\/index_template\/delete\] is unauthorized/);
    assert.match(await refusal(() => client.security.putUser({ username: 'evil', password: 'evil-password', roles: ['superuser'] })), /403 Forbidden.*action \[cluster:admin\/xpack\/security\/user\/put\] is unauthorized/);
  });
});
