/**
 * Elasticsearch behind TLS and authentication, for real: Debian's nginx terminates TLS with a
 * test CA's certificate and checks `Authorization` (API keys, basic auth, a read-only key) in
 * front of the shared dev Elasticsearch (whose distribution has no security module). The
 * enricher runs as `segflow enrich` child processes and the API in process through it:
 *
 * - a CA file, a pinned CA fingerprint, an API key file and basic auth connect;
 * - an untrusted CA, a wrong key and a read-only key each fail with an error that says so;
 * - an enricher whose key is rejected commits nothing (at start, and when the key is revoked
 *   mid-stream), logs the failure once, and once the key is accepted again every record is
 *   indexed exactly once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { ApiServer } from '../../src/api/server.ts';
import { encodeFlowBatch } from '../../src/contract/wire/flow-batch-codec.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { openElasticsearchConnection, type ElasticsearchConnectionSettings } from '../../src/runtime/elasticsearch-security.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { Secret } from '../../src/runtime/role-config/secret-value.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { startNginxTlsProxy, type NginxTlsProxy } from '../harness/nginx-tls-proxy.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { TestCertificateAuthority } from '../harness/test-certificates.ts';
import { waitFor } from '../harness/wait-for.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('essec');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const group = `${run}-group`;
const API_KEY = Buffer.from(`writer-id:${uniqueName('writer-key')}`).toString('base64');
const READ_ONLY_KEY = Buffer.from(`reader-id:${uniqueName('reader-key')}`).toString('base64');
const WRONG_KEY = Buffer.from('writer-id:not-the-key').toString('base64');
const USER = { user: 'segflow', password: `pw-${uniqueName('basic')}` };
const now = Date.now();

/** A `segflow enrich` child process; its stderr is kept. */
class EnricherProcess {
  readonly child: ChildProcess;
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, ['bin/segflow.js', 'enrich', ...args], { env: { ...process.env, ...env, SEGFLOW_LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

describe('Elasticsearch over TLS with authentication (nginx in front of real Elasticsearch)', () => {
  const kafka: Kafka = createKafka(brokers, 'es-security-test');
  const es = createElasticsearchClient(esUrl);
  let dir = '';
  let ca: TestCertificateAuthority;
  let otherCa: TestCertificateAuthority;
  let proxy: NginxTlsProxy;
  let keyFile = '';
  let readOnlyKeyFile = '';
  let wrongKeyFile = '';
  let sequence = 0;
  const enrichers: EnricherProcess[] = [];

  const enricherArgs = (key: string): string[] => [
    '--brokers', brokers, '--elasticsearch', proxy.url, '--elasticsearch-ca-file', ca.caFile, '--elasticsearch-api-key-file', key,
    '--raw-topic', topics.raw, '--dead-letter-topic', topics.dlq, '--inventory-topic', topics.inventory, '--group', group,
    '--index-prefix', prefix, '--retention-days', '0', '--metrics-port', '0', '--allowed-level', '0', '--denied-level', '0',
  ];
  const startEnricher = (key: string): EnricherProcess => {
    const p = new EnricherProcess(enricherArgs(key));
    enrichers.push(p);
    return p;
  };
  const sendBatch = async (n: number): Promise<void> => {
    sequence++;
    const records = Array.from({ length: n }, (_, i) => tcpRecord('10.244.1.30', '10.244.1.40', 8443, { sport: 20_000 + sequence * 100 + i, endMs: now }));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topics.raw, acks: -1, messages: [{ key: 'node-1', value: Buffer.from(encodeFlowBatch({ agentId: 'agent-node-1', bootId: 'boot-essec', sequence, records, sentTimeUnixNano: msToNanos(now), nodeName: 'node-1' })) }] });
    await producer.disconnect();
  };
  const committedOffset = async (): Promise<number> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topics.raw] });
      return Number(committed?.partitions[0]?.offset ?? -1);
    } finally {
      await admin.disconnect();
    }
  };
  const indexedRecords = async (): Promise<number> => {
    await es.indices.refresh({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
    const hits = (await es.search<{ segflow: { aggregation?: { records?: number } } }>({ index: `${prefix}-*`, size: 1000, ignore_unavailable: true, allow_no_indices: true })).hits.hits;
    return hits.reduce((n, h) => n + (h._source?.segflow.aggregation?.records ?? 0), 0);
  };
  const settings = (over: Partial<ElasticsearchConnectionSettings>): ElasticsearchConnectionSettings => ({ url: proxy.url, caFile: ca.caFile, auth: { kind: 'apiKey', apiKey: new Secret(API_KEY, { kind: 'file', path: keyFile }) }, ...over });

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-es-security-'));
    ca = await TestCertificateAuthority.create(path.join(dir, 'ca'));
    otherCa = await TestCertificateAuthority.create(path.join(dir, 'other-ca'), 'not-the-es-ca');
    const server = await ca.issue('elasticsearch', { usage: 'server', dnsNames: ['localhost'], ips: ['127.0.0.1'] });
    // nginx sends the chain in the certificate file: leaf then CA (the fingerprint pin needs the CA in the chain).
    const chainFile = path.join(dir, 'chain.pem');
    await writeFile(chainFile, `${await readFile(server.certFile, 'utf8')}${await readFile(ca.caFile, 'utf8')}`);
    proxy = await startNginxTlsProxy({ dir: path.join(dir, 'nginx'), upstream: esUrl, certFile: chainFile, keyFile: server.keyFile, credentials: { apiKeys: [API_KEY], readOnlyApiKeys: [READ_ONLY_KEY], basicUsers: [USER] } });
    keyFile = path.join(dir, 'api-key');
    readOnlyKeyFile = path.join(dir, 'read-only-key');
    wrongKeyFile = path.join(dir, 'wrong-key');
    await writeFile(keyFile, `${API_KEY}\n`, { mode: 0o600 });
    await writeFile(readOnlyKeyFile, READ_ONLY_KEY, { mode: 0o600 });
    await writeFile(wrongKeyFile, WRONG_KEY, { mode: 0o600 });
    await createPipelineTopics(kafka, topics);
  });

  after(async () => {
    await Promise.all(enrichers.map((p) => p.stop()));
    await proxy?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('connects with a CA file and an API key, basic auth, or a pinned CA fingerprint', async () => {
    const caFingerprint = new X509Certificate(await readFile(ca.caFile)).fingerprint256;
    for (const connection of [
      settings({}),
      settings({ auth: { kind: 'basic', username: USER.user, password: new Secret(USER.password, { kind: 'env', name: 'SEGFLOW_ELASTICSEARCH_PASSWORD' }) } }),
      settings({ caFile: undefined, caFingerprint }),
      settings({ caFile: undefined, caFingerprint: caFingerprint.replace(/:/g, '').toLowerCase() }),
    ]) {
      const client = createElasticsearchClient(await openElasticsearchConnection(connection));
      try {
        const info = await client.info();
        assert.ok(info.version.number, 'Elasticsearch answered through the proxy');
      } finally {
        await client.close();
      }
    }
  });

  it('picks up a rotated bearer token file without a restart', async () => {
    const tokenFile = path.join(dir, 'bearer-token');
    const first = uniqueName('token-a');
    const second = uniqueName('token-b');
    await writeFile(tokenFile, `${first}\n`, { mode: 0o600 });
    await proxy.setCredentials({ apiKeys: [API_KEY], readOnlyApiKeys: [READ_ONLY_KEY], basicUsers: [USER], bearerTokens: [first] });
    const client = createElasticsearchClient(await openElasticsearchConnection(settings({ auth: { kind: 'bearer', token: new Secret(first, { kind: 'file', path: tokenFile }) } })), { maxRetries: 0 });
    try {
      assert.ok((await client.info()).version.number, 'the first token is accepted');
      // Rotate: the file gets the new token and the old one stops being accepted.
      await writeFile(tokenFile, second, { mode: 0o600 });
      await proxy.setCredentials({ apiKeys: [API_KEY], readOnlyApiKeys: [READ_ONLY_KEY], basicUsers: [USER], bearerTokens: [second] });
      assert.ok((await client.info()).version.number, 'after the 401 the client re-read the file and retried with the new token');
      // A token that the file does not hold is not invented: rejecting both says so.
      await proxy.setCredentials({ apiKeys: [API_KEY], readOnlyApiKeys: [READ_ONLY_KEY], basicUsers: [USER] });
      await assert.rejects(client.info(), /rejected the credentials \(401 Unauthorized\).*bearer token <redacted from file/);
    } finally {
      await client.close();
      await proxy.setCredentials({ apiKeys: [API_KEY], readOnlyApiKeys: [READ_ONLY_KEY], basicUsers: [USER] });
    }
  });

  it('an untrusted CA, a wrong key, a read-only key and a wrong fingerprint each say what failed', async () => {
    const attempt = async (connection: ElasticsearchConnectionSettings, call: (c: ReturnType<typeof createElasticsearchClient>) => Promise<unknown> = (c) => c.info()): Promise<string> => {
      const client = createElasticsearchClient(await openElasticsearchConnection(connection), { maxRetries: 0 });
      try {
        await call(client);
      } catch (error) {
        return (error as Error).message;
      } finally {
        await client.close();
      }
      return assert.fail('expected a failure');
    };
    assert.match(await attempt(settings({ caFile: otherCa.caFile })), new RegExp(`^Elasticsearch at https://127\\.0\\.0\\.1:${proxy.port}: TLS certificate not trusted \\(.*certificate.*\\); give the CA that signed it with --elasticsearch-ca-file or --elasticsearch-ca-fingerprint$`));
    assert.match(await attempt(settings({ caFile: undefined })), /TLS certificate not trusted \(.*(self[- ]signed|unable to get local issuer).*\)/);
    const wrong = await attempt(settings({ auth: { kind: 'apiKey', apiKey: new Secret(WRONG_KEY, { kind: 'file', path: wrongKeyFile }) } }));
    assert.equal(wrong, `Elasticsearch at https://127.0.0.1:${proxy.port} rejected the credentials (401 Unauthorized) for GET /, using the API key <redacted from file ${wrongKeyFile}>: unable to authenticate with provided credentials and anonymous access is not allowed for this request`);
    const readOnly = await attempt(settings({ auth: { kind: 'apiKey', apiKey: new Secret(READ_ONLY_KEY, { kind: 'file', path: readOnlyKeyFile }) } }), (c) => c.indices.putIndexTemplate({ name: `${prefix}-x`, index_patterns: [`${prefix}-x-*`] }));
    assert.match(readOnly, new RegExp(`^Elasticsearch at https://127\\.0\\.0\\.1:${proxy.port} forbids PUT /_index_template/${prefix}-x \\(403 Forbidden\\) for the API key <redacted from file .*read-only-key>: action \\[indices:admin/index_template/put\\] is unauthorized`));
    for (const message of [wrong, readOnly]) assert.ok(!message.includes(WRONG_KEY) && !message.includes(READ_ONLY_KEY), 'no key in the message');
    await assert.rejects(openElasticsearchConnection(settings({ caFile: undefined, caFingerprint: 'AB'.repeat(32) })), /--elasticsearch-ca-fingerprint: no certificate in the chain 127\.0\.0\.1:\d+ presents has that fingerprint \(the server sent: CN=elasticsearch/);
  });

  it('an enricher whose key is rejected at start exits with the reason and commits nothing', async () => {
    await sendBatch(3);
    const rejected = startEnricher(wrongKeyFile);
    assert.equal(await rejected.exited, 1, rejected.stderr);
    assert.match(rejected.stderr, /segflow: Elasticsearch at https:\/\/127\.0\.0\.1:\d+ rejected the credentials \(401 Unauthorized\) for (GET|PUT) \/_index_template\/.*, using the API key <redacted from file .*wrong-key>/);
    assert.ok(!rejected.stderr.includes(WRONG_KEY));
    assert.equal(await committedOffset(), -1, 'nothing committed');

    const untrusted = new EnricherProcess([...enricherArgs(keyFile).filter((a) => a !== ca.caFile && a !== '--elasticsearch-ca-file'), '--elasticsearch-ca-file', otherCa.caFile]);
    enrichers.push(untrusted);
    assert.equal(await untrusted.exited, 1, untrusted.stderr);
    assert.match(untrusted.stderr, /segflow: Elasticsearch at https:\/\/127\.0\.0\.1:\d+: TLS certificate not trusted/);
    assert.equal(await committedOffset(), -1, 'nothing committed');
  });

  it('keeps its offsets while Elasticsearch rejects its key, logs that once, and indexes every record once after', async () => {
    const enricher = startEnricher(keyFile);
    await waitFor('the first batch committed', async () => ((await committedOffset()) === 1 ? true : undefined), 90_000);
    assert.equal(await indexedRecords(), 3);

    // The key is revoked: Elasticsearch (the proxy) answers 401 to it from now on.
    await proxy.setCredentials({ readOnlyApiKeys: [READ_ONLY_KEY], basicUsers: [USER] });
    try {
      await sendBatch(4);
      await sendBatch(5);
      await waitFor('the enricher to report the rejected key', async () => (/rejected the credentials \(401 Unauthorized\) for POST \/_bulk/.test(enricher.stderr) ? true : undefined), 60_000);
      await new Promise((r) => setTimeout(r, 5000)); // several retries' worth
      assert.equal(await committedOffset(), 1, 'nothing of the rejected batches committed');
      // One line for the whole outage: the raw topic is paused and probed on a backoff meanwhile.
      const reports = enricher.stderr.split('\n').filter((line) => line.includes('Elasticsearch unavailable since') || line.includes('batch not settled'));
      assert.equal(reports.length, 1, `the failure is logged once while it persists:\n${reports.join('\n')}`);
      assert.match(reports[0]!, /rejected the credentials \(401 Unauthorized\)/, 'the one line says why');
      assert.ok(!enricher.stderr.includes(API_KEY), 'the key is never logged');
    } finally {
      await proxy.setCredentials({ apiKeys: [API_KEY], readOnlyApiKeys: [READ_ONLY_KEY], basicUsers: [USER] });
    }
    await waitFor('every batch committed', async () => ((await committedOffset()) === 3 ? true : undefined), 60_000);
    assert.equal(await indexedRecords(), 3 + 4 + 5, 'every record indexed exactly once');
    assert.match(enricher.stderr, /Elasticsearch available again after [\d.]+ s; batches settle again/);
    await enricher.stop();
  });

  it('the API reads flows through the proxy, and its readiness says when the key is rejected', async () => {
    const good = new ApiServer({ port: 0, indexPrefix: prefix, logLevel: 'warn', elasticsearch: await openElasticsearchConnection(settings({})), elasticsearchUrl: proxy.url });
    const bad = new ApiServer({ port: 0, indexPrefix: prefix, logLevel: 'silent', elasticsearch: await openElasticsearchConnection(settings({ auth: { kind: 'apiKey', apiKey: new Secret(WRONG_KEY, { kind: 'file', path: wrongKeyFile }) } })), elasticsearchUrl: proxy.url });
    try {
      const app = await good.ready();
      const ready = await app.inject({ url: '/readyz' });
      assert.equal(ready.json<{ checks: { elasticsearch: { ok: boolean } } }>().checks.elasticsearch.ok, true, ready.body);
      const flows = await app.inject({ url: `/api/v1/flows?from=${new Date(now - 3_600_000).toISOString()}&limit=100` });
      assert.equal(flows.statusCode, 200, flows.body);
      const stored = (await es.count({ index: `${prefix}-*` })).count;
      assert.equal(flows.json<{ flows: unknown[] }>().flows.length, stored, 'every flow document the enricher wrote, read through the proxy');
      assert.equal(stored, 12, 'one per record (aggregation level 0, a source port each)');
      const badReady = await (await bad.ready()).inject({ url: '/readyz' });
      assert.equal(badReady.statusCode, 503);
      assert.match(badReady.body, /rejected the credentials \(401 Unauthorized\)/);
      assert.ok(!badReady.body.includes(WRONG_KEY));
    } finally {
      await good.stop();
      await bad.stop();
    }
  });
});
