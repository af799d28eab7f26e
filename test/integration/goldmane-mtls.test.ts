// segflow-test-requires: goldmane (npm test lists this file as NOT RUN when the binary is missing)
/**
 * `segflow goldmane` against the real Goldmane serving mutual TLS, as Calico deploys it
 * (certificates made here with openssl): flows pushed the way Felix does arrive on the raw topic
 * as Calico's own protobuf Flow with the schema and source headers; the client key comes from a
 * file (never argv); Goldmane refuses a client without a certificate; /readyz and /metrics show
 * the connection and what was received.
 *
 * Needs the Goldmane binary (test/harness/goldmane.ts); without it `npm test` lists this file
 * as NOT RUN (not passed) with the reason, and fails it when named or in CI.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Consumer } from 'kafkajs';
import { decodeGoldmaneFlow, GOLDMANE_SOURCE_HEADER, type GoldmaneFlow } from '../../src/contract/goldmane/goldmane-flow.ts';
import { FLOW_BATCH_SCHEMA_HEADER } from '../../src/contract/wire/flow-batch-headers.ts';
import { SOURCE_REPORT_SCHEMA } from '../../src/contract/wire/source-report-codec.ts';
import { GoldmaneClient } from '../../src/goldmane/goldmane-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { freePort } from '../harness/free-port.ts';
import { FelixLikePusher, requireGoldmaneBinary, startGoldmane, type RunningGoldmane } from '../harness/goldmane.ts';
import { requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { TestCertificateAuthority } from '../harness/test-certificates.ts';
import { waitFor } from '../harness/wait-for.ts';

const binary = requireGoldmaneBinary('test/integration/goldmane-mtls.test.ts (segflow goldmane over mutual TLS against the real Goldmane)');
const brokers = requireKafkaBrokers();
const topic = uniqueName('goldmane-mtls-raw');
const SERVER_NAME = 'goldmane.calico-system.svc';

function flowAt(start: number, dest: string, bytes: number): GoldmaneFlow {
  return {
    key: {
      sourceName: 'frontend-7d9c5b-*', sourceNamespace: 'shop', sourceType: 1, destName: dest, destNamespace: 'shop', destType: 1, destPort: 8080,
      destServiceName: 'catalog', destServiceNamespace: 'shop', destServicePortName: 'http', destServicePort: 80, proto: 'tcp', reporter: 1, action: 1,
      enforced: [{ kind: 1, namespace: 'shop', name: 'default.frontend', tier: 'default', action: 1, policyIndex: 0, ruleIndex: 0, trigger: null }], pending: [],
    },
    startTime: start, endTime: start + 15, sourceLabels: ['app=frontend'], destLabels: ['app=catalog'],
    packetsIn: 2, packetsOut: 3, bytesIn: bytes, bytesOut: bytes * 2, connectionsStarted: 1, connectionsCompleted: 1, connectionsLive: 0,
  };
}

describe('segflow goldmane over mutual TLS', { timeout: 180_000 }, () => {
  const kafka = createKafka(brokers, 'goldmane-mtls-test');
  let dir: string;
  let goldmane: RunningGoldmane | undefined;
  let child: ChildProcess | undefined;
  let consumer: Consumer | undefined;
  let stderr = '';
  let httpPort = 0;
  let keyFile = '';
  const received: Array<{ flow: GoldmaneFlow; schema: string; source: string; key: string }> = [];
  /** The source-name header of each source report seen on the topic. */
  const sourceReports: string[] = [];
  const now = Math.floor(Date.now() / 1000);
  const start = now - (now % 15) - 90;
  const flows = [flowAt(start, 'catalog-5f8b7c-*', 100), flowAt(start - 15, 'catalog-5f8b7c-*', 200)];
  let tls: { ca: Buffer; cert: Buffer; key: Buffer };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'segflow-goldmane-tls-'));
    const ca = await TestCertificateAuthority.create(dir);
    const server = await ca.issue('goldmane', { usage: 'server', dnsNames: [SERVER_NAME] });
    const client = await ca.issue('segflow-goldmane', { usage: 'client' });
    keyFile = client.keyFile;
    tls = { ca: await readFile(ca.caFile), cert: await readFile(client.certFile), key: await readFile(client.keyFile) };
    goldmane = await startGoldmane(binary, { tls: { serverCertFile: server.certFile, serverKeyFile: server.keyFile, caFile: ca.caFile } });
    const pusher = new FelixLikePusher(goldmane.address, { ...tls, serverName: SERVER_NAME });
    await pusher.pushAll(flows);
    pusher.close();

    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    consumer = kafka.consumer({ groupId: `${topic}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const header = (name: string): string => String(message.headers?.[name] ?? '');
        // The source also reports itself on the same topic (completeness); those are counted apart.
        if (header(FLOW_BATCH_SCHEMA_HEADER) === SOURCE_REPORT_SCHEMA) {
          sourceReports.push(header(GOLDMANE_SOURCE_HEADER));
          return;
        }
        received.push({ flow: decodeGoldmaneFlow(message.value!), schema: header(FLOW_BATCH_SCHEMA_HEADER), source: header(GOLDMANE_SOURCE_HEADER), key: String(message.key) });
      },
    });

    httpPort = await freePort();
    child = spawn(process.execPath, [
      'bin/segflow.js', 'goldmane', '--address', goldmane.address, '--goldmane-ca-file', ca.caFile, '--goldmane-cert-file', client.certFile,
      '--goldmane-key-file', client.keyFile, '--goldmane-server-name', SERVER_NAME, '--brokers', brokers, '--topic', topic,
      '--source-name', 'tls-cluster', '--http-host', '127.0.0.1', '--http-port', String(httpPort),
    ], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SEGFLOW_LOG_LEVEL: 'info' } });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
    }
    await consumer?.disconnect();
    await goldmane?.stop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a client without a certificate', async () => {
    const plain = new GoldmaneClient({ address: goldmane!.address });
    await assert.rejects(plain.list({ startTimeGte: -600 }, 5000));
    plain.close();
  });

  it('publishes what Goldmane holds as Calico\'s protobuf Flow with the schema and source headers', async () => {
    await waitFor('the two flows on the raw topic', async () => (received.length >= 2 ? true : undefined), 60_000);
    assert.equal(received.length, 2, stderr.slice(-2000));
    await waitFor('a source report', async () => (sourceReports.length > 0 ? true : undefined), 60_000);
    assert.ok(sourceReports.every((s) => s === 'tls-cluster'), `source reports name the source: ${sourceReports.join(', ')}`);
    for (const r of received) {
      assert.equal(r.schema, 'goldmane.Flow');
      assert.equal(r.source, 'tls-cluster');
      assert.match(r.key, /^tls-cluster\//);
    }
    const got = received.map((r) => r.flow).sort((a, b) => a.startTime - b.startTime);
    assert.deepEqual(got.map((f) => [f.startTime, f.bytesIn, f.bytesOut, f.key?.destServiceName, f.key?.destServicePort]), [[start - 15, 200, 400, 'catalog', 80], [start, 100, 200, 'catalog', 80]]);
    assert.deepEqual(got[0]!.key?.enforced.map((h) => h.name), ['default.frontend']);
  });

  it('is ready and reports what it received on /readyz and /metrics; the key never reaches argv', async () => {
    const ready = await waitFor('/readyz', async () => {
      const r = await fetch(`http://127.0.0.1:${httpPort}/readyz`).catch(() => undefined);
      return r?.status === 200 ? r : undefined;
    }, 30_000);
    assert.equal(ready.status, 200);
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    assert.match(metrics, /^segflow_goldmane_flows_received_total 2$/m);
    assert.match(metrics, /^segflow_goldmane_flows_published_total 2$/m);
    assert.match(metrics, /^segflow_goldmane_connected 1$/m);
    const lag = Number(/^segflow_goldmane_lag_seconds (\S+)$/m.exec(metrics)?.[1]);
    assert.ok(lag > 0 && lag < 300, `lag behind the newest bucket: ${lag}`);
    const key = (await readFile(keyFile, 'utf8')).trim();
    const cmdline = await readFile(`/proc/${child!.pid}/cmdline`, 'utf8');
    assert.ok(!cmdline.includes(key.split('\n')[1]!), 'the key content is not on the command line');
    assert.ok(!stderr.includes(key.split('\n')[1]!), 'nor in the logs');
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    assert.equal(await exited, 0, stderr.slice(-2000));
  });
});
