/**
 * No secret reaches a role's output. Every role runs as a real `segflow` child process at debug
 * log level with its secrets from files and environment variables (and, where the role still
 * accepts them, on argv and in URLs), through its normal start, its --print-config and its
 * failure paths (Elasticsearch rejecting the credentials, unreachable services); stdout and
 * stderr are searched for every secret value and the forms derived from it (base64 Basic
 * header, API key encodings).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startNginxTlsProxy, type NginxTlsProxy } from '../harness/nginx-tls-proxy.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { TestCertificateAuthority } from '../harness/test-certificates.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('secrets');

const SECRETS = {
  esPassword: `esPw-${run}`,
  esApiKey: `esKey-${run}`,
  esBearer: `esBearer-${run}`,
  kafkaPassword: `kafkaPw-${run}`,
  urlPassword: `urlPw-${run}`,
  cursorSecret: `cursor-${run}`,
  kibanaPassword: `kibanaPw-${run}`,
  kibanaApiKey: `kibanaKey-${run}`,
};
/** Every secret and the encodings a client derives from it. */
const forms = (): string[] => Object.values(SECRETS).flatMap((s) => [s, Buffer.from(s).toString('base64')])
  .concat([Buffer.from(`segflow:${SECRETS.esPassword}`).toString('base64'), Buffer.from(`elastic:${SECRETS.urlPassword}`).toString('base64')]);

interface Ran { code: number | null; out: string }

/** Runs `segflow args`, ending it after `lingerMs` if it is still running; stdout and stderr together. */
function segflow(args: string[], env: NodeJS.ProcessEnv = {}, lingerMs = 60_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/segflow.js', ...args], { env: { ...process.env, SEGFLOW_LOG_LEVEL: 'debug', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGTERM'), lingerMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

function assertNoSecret(what: string, output: string): void {
  for (const secret of forms()) assert.ok(!output.includes(secret), `${what}: a secret (${secret.slice(0, 10)}…) appears in the output:\n${output.slice(0, 4000)}`);
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

describe('no secret in any role\'s output (segflow child processes, debug logs)', () => {
  let dir = '';
  const file = (name: string): string => path.join(dir, name);
  let proxy: NginxTlsProxy;
  let ca: TestCertificateAuthority;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-secrets-'));
    for (const [name, value] of Object.entries(SECRETS)) await writeFile(file(name), `${value}\n`, { mode: 0o600 });
    ca = await TestCertificateAuthority.create(path.join(dir, 'ca'));
    const server = await ca.issue('elasticsearch', { usage: 'server', ips: ['127.0.0.1'] });
    // The proxy accepts none of the test's credentials: every authenticated call is rejected.
    proxy = await startNginxTlsProxy({ dir: path.join(dir, 'nginx'), upstream: esUrl, certFile: server.certFile, keyFile: server.keyFile, credentials: { apiKeys: ['only-this-key'] } });
  });

  after(async () => {
    await proxy?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('--print-config of every role shows where secrets come from, never them', async () => {
    const env = { SEGFLOW_KAFKA_SASL_PASSWORD: SECRETS.kafkaPassword, SEGFLOW_ELASTICSEARCH_API_KEY: SECRETS.esApiKey, SEGFLOW_API_CURSOR_SECRET: SECRETS.cursorSecret, KIBANA_API_KEY: SECRETS.kibanaApiKey };
    const kafka = ['--kafka-tls', '--kafka-sasl-mechanism', 'scram-sha-512', '--kafka-sasl-username', 'role'];
    const runs: Array<[string, string[]]> = [
      ['enrich', ['enrich', '--print-config', ...kafka, '--elasticsearch', 'https://es:9200', '--elasticsearch-username', 'segflow', '--elasticsearch-password-file', file('esPassword')]],
      ['api', ['api', '--print-config', ...kafka, '--elasticsearch-bearer-token-file', file('esBearer'), '--cursor-secret-file', file('cursorSecret')]],
      ['api (URL credentials, argv cursor secret)', ['api', '--print-config', '--elasticsearch', `https://elastic:${SECRETS.urlPassword}@es:9200`]],
      ['collect', ['collect', '--print-config', '--brokers', brokers, ...kafka, '--kafka-sasl-password-file', file('kafkaPassword')]],
      ['inventory list', ['inventory', 'list', '--print-config', ...kafka]],
      ['kibana import', ['kibana', 'import', '--print-config', '--url', 'http://kibana:5601', '--username', 'u', '--password-file', file('kibanaPassword')]],
    ];
    for (const [what, args] of runs) {
      const ran = await segflow(args, env);
      assert.equal(ran.code, 0, `${what}: ${ran.out}`);
      assert.match(ran.out, /<redacted from (file|env) /, `${what} lists its secrets' origins`);
      assertNoSecret(what, ran.out);
    }
  });

  it('the enricher rejected by Elasticsearch, or unable to reach it, says why without the credentials', async () => {
    const common = ['enrich', '--brokers', brokers, '--raw-topic', `${run}-raw`, '--dead-letter-topic', `${run}-dlq`, '--inventory-topic', `${run}-inv`, '--group', `${run}-g`, '--index-prefix', `${run}-flows`, '--metrics-port', '0', '--retention-days', '0'];
    const basic = await segflow([...common, '--elasticsearch', proxy.url, '--elasticsearch-ca-file', ca.caFile, '--elasticsearch-username', 'segflow'], { SEGFLOW_ELASTICSEARCH_PASSWORD: SECRETS.esPassword });
    assert.equal(basic.code, 1, basic.out);
    assert.match(basic.out, /rejected the credentials \(401 Unauthorized\) .* using user segflow with the password <redacted from env SEGFLOW_ELASTICSEARCH_PASSWORD>/);
    assertNoSecret('enrich (basic auth rejected)', basic.out);

    const key = await segflow([...common, '--elasticsearch', proxy.url, '--elasticsearch-ca-file', ca.caFile, '--elasticsearch-api-key-file', file('esApiKey')]);
    assert.equal(key.code, 1, key.out);
    assert.match(key.out, /using the API key <redacted from file /);
    assertNoSecret('enrich (API key rejected)', key.out);

    const url = await segflow([...common, '--elasticsearch', `http://elastic:${SECRETS.urlPassword}@127.0.0.1:${await closedPort()}`]);
    assert.equal(url.code, 1, url.out);
    assert.match(url.out, /the URL holds credentials, visible to every user of this machine in ps/);
    assert.match(url.out, /Elasticsearch at http:\/\/127\.0\.0\.1:\d+ unreachable/);
    assertNoSecret('enrich (URL credentials, unreachable)', url.out);
  });

  it('the API serving with every secret from files and env logs none, and warns about the argv secret', async () => {
    const ran = await segflow(
      ['api', '--port', '0', '--elasticsearch', proxy.url, '--elasticsearch-ca-file', ca.caFile, '--cursor-secret', SECRETS.cursorSecret, '--brokers', brokers, '--inventory-topic', `${run}-inv`],
      { SEGFLOW_ELASTICSEARCH_BEARER_TOKEN: SECRETS.esBearer },
      8000,
    );
    assert.match(ran.out, /segflow api listening/);
    assert.match(ran.out, /--cursor-secret on the command line is visible to every user/);
    // The argv secret is in the process's own command line, never in what it writes.
    assertNoSecret('api', ran.out);
  });

  it('kibana import failing to reach Kibana names no secret', async () => {
    const basic = await segflow(['kibana', 'import', '--url', `http://127.0.0.1:${await closedPort()}`, '--username', 'elastic', '--password-file', file('kibanaPassword')]);
    assert.equal(basic.code, 1, basic.out);
    assertNoSecret('kibana import (basic)', basic.out);
    const argv = await segflow(['kibana', 'import', '--url', `http://127.0.0.1:${await closedPort()}`, '--api-key', SECRETS.kibanaApiKey]);
    assert.equal(argv.code, 1, argv.out);
    assert.match(argv.out, /--api-key on the command line is visible to every user/);
    assertNoSecret('kibana import (argv API key)', argv.out);
  });

  it('the secret files are what the roles read (the test is not vacuous)', async () => {
    assert.equal((await readFile(file('esPassword'), 'utf8')).trim(), SECRETS.esPassword);
  });
});
