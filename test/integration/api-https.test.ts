/**
 * The API over HTTPS, for real: `segflow api` as a child process serving a test CA's certificate,
 * re-reading it on SIGHUP and when the files change (the served certificate's fingerprint
 * changes, a kept-alive connection goes on working), and client certificates in require mode
 * (a client without one is refused in the handshake) and optional mode (a certificate listed in
 * the tokens file authenticates, an untrusted one is refused).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { ApiServer } from '../../src/api/server.ts';
import { tokenEntryYaml } from '../../src/api/auth/tokens.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';
import { TestCertificateAuthority, type IssuedCertificate } from '../harness/test-certificates.ts';
import { waitFor } from '../harness/wait-for.ts';

const esUrl = requireElasticsearchUrl();
const ADMIN_TOKEN = `adm_${uniqueName('t').replace(/[^A-Za-z0-9]/g, '')}`;

interface Answer { status: number; body: string; fingerprint: string; socket: TLSSocket }

function get(url: string, options: https.RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, options, (res) => {
      // Read now: a kept-alive socket goes back to the agent when the body ends.
      const socket = res.socket as TLSSocket;
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, fingerprint, socket }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const fingerprintOf = async (file: string): Promise<string> => new X509Certificate(await readFile(file)).fingerprint256;

describe('API over HTTPS (segflow api, real TLS)', () => {
  let dir = '';
  let ca: TestCertificateAuthority;
  let otherCa: TestCertificateAuthority;
  const certs: IssuedCertificate[] = [];
  let client: IssuedCertificate;
  let strangerClient: IssuedCertificate;
  let certFile = '';
  let keyFile = '';
  let tokensFile = '';

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-api-https-'));
    ca = await TestCertificateAuthority.create(path.join(dir, 'ca'));
    otherCa = await TestCertificateAuthority.create(path.join(dir, 'other-ca'), 'stranger-ca');
    for (const name of ['api-1', 'api-2', 'api-3']) certs.push(await ca.issue(name, { usage: 'server', dnsNames: ['localhost'], ips: ['127.0.0.1'] }));
    client = await ca.issue('reporting-job', { usage: 'client' });
    strangerClient = await otherCa.issue('reporting-job-stranger', { usage: 'client' });
    certFile = path.join(dir, 'tls.crt');
    keyFile = path.join(dir, 'tls.key');
    await copyFile(certs[0]!.certFile, certFile);
    await copyFile(certs[0]!.keyFile, keyFile);
    tokensFile = path.join(dir, 'tokens.yaml');
    await writeFile(tokensFile, `tokens:\n${tokenEntryYaml(ADMIN_TOKEN, { name: 'ops', role: 'admin' })}  - name: reporting\n    certificateCN: reporting-job\n    role: admin\n`);
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS and reloads the certificate on SIGHUP and on file change, keeping open connections', async () => {
    const child: ChildProcess = spawn(process.execPath, ['bin/segflow.js', 'api', '--port', '0', '--elasticsearch', esUrl, '--tls-cert-file', certFile, '--tls-key-file', keyFile, '--tokens', tokensFile], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SEGFLOW_LOG_LEVEL: 'info' } });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    try {
      const address = await waitFor('the API to listen', async () => /"address":"(https:\/\/[^"]+)"/.exec(stderr)?.[1], 60_000);
      assert.match(address, /^https:\/\/127\.0\.0\.1:\d+$/);
      const ca1 = await readFile(ca.caFile);
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca1 });
      const first = await get(`${address}/healthz`, { agent });
      assert.equal(first.status, 200);
      assert.equal(first.fingerprint, await fingerprintOf(certs[0]!.certFile));
      // /metrics on the main port needs the admin token.
      assert.equal((await get(`${address}/metrics`, { ca: ca1 })).status, 401);
      assert.equal((await get(`${address}/metrics`, { ca: ca1, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);

      await copyFile(certs[1]!.certFile, certFile);
      await copyFile(certs[1]!.keyFile, keyFile);
      child.kill('SIGHUP');
      const second = await waitFor('the new certificate on new connections', async () => {
        const r = await get(`${address}/healthz`, { ca: ca1, agent: false });
        return r.fingerprint === (await fingerprintOf(certs[1]!.certFile)) ? r : undefined;
      }, 20_000, 200);
      assert.equal(second.status, 200);
      // The kept-alive connection made before the reload still answers, with the certificate it started with.
      const again = await get(`${address}/healthz`, { agent });
      assert.equal(again.status, 200);
      assert.equal(again.socket, first.socket, 'the same connection');
      assert.equal(again.fingerprint, await fingerprintOf(certs[0]!.certFile));

      // No signal: the files change and the server notices.
      await copyFile(certs[2]!.keyFile, keyFile);
      await copyFile(certs[2]!.certFile, certFile);
      await waitFor('the certificate reloaded after the files changed', async () => {
        const r = await get(`${address}/healthz`, { ca: ca1, agent: false });
        return r.fingerprint === (await fingerprintOf(certs[2]!.certFile)) ? true : undefined;
      }, 20_000, 300);
      agent.destroy();
      assert.match(stderr, /TLS certificate reloaded/);
      assert.equal(child.exitCode, null, 'the server kept running');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  });

  it('require mode: a client without a certificate is refused in the handshake, one with a certificate from the CA is served', async () => {
    const server = new ApiServer({ port: 0, elasticsearchUrl: esUrl, logLevel: 'silent', tokensFile, tls: { certFile: certs[0]!.certFile, keyFile: certs[0]!.keyFile, clientCaFile: ca.caFile, clientAuth: 'require' } });
    const address = await server.start();
    try {
      const caPem = await readFile(ca.caFile);
      await assert.rejects(get(`${address}/healthz`, { ca: caPem, agent: false }), (error: Error & { code?: string }) => {
        // TLS 1.3: the server's alert arrives after the client's handshake completes.
        assert.match(`${error.code ?? ''} ${error.message}`, /certificate required|ECONNRESET|socket hang up|EPIPE/i);
        return true;
      });
      await assert.rejects(get(`${address}/healthz`, { ca: caPem, agent: false, cert: await readFile(strangerClient.certFile), key: await readFile(strangerClient.keyFile) }));
      const ok = await get(`${address}/metrics`, { ca: caPem, agent: false, cert: await readFile(client.certFile), key: await readFile(client.keyFile) });
      assert.equal(ok.status, 200, 'the certificate CN maps to the admin entry of the tokens file');
    } finally {
      await server.stop();
    }
  });

  it('optional mode: a listed certificate authenticates, no certificate needs a token, an untrusted one is refused', async () => {
    const server = new ApiServer({ port: 0, elasticsearchUrl: esUrl, logLevel: 'silent', tokensFile, tls: { certFile: certs[0]!.certFile, keyFile: certs[0]!.keyFile, clientCaFile: ca.caFile, clientAuth: 'optional' } });
    const address = await server.start();
    try {
      const caPem = await readFile(ca.caFile);
      const withCert = await get(`${address}/metrics`, { ca: caPem, agent: false, cert: await readFile(client.certFile), key: await readFile(client.keyFile) });
      assert.equal(withCert.status, 200);
      const anonymous = await get(`${address}/metrics`, { ca: caPem, agent: false });
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.body, /Bearer <token> or a client certificate/);
      assert.equal((await get(`${address}/metrics`, { ca: caPem, agent: false, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
      const stranger = await get(`${address}/metrics`, { ca: caPem, agent: false, cert: await readFile(strangerClient.certFile), key: await readFile(strangerClient.keyFile) });
      assert.equal(stranger.status, 401);
      assert.match(stranger.body, /client certificate not trusted/);
    } finally {
      await server.stop();
    }
  });

  it('--metrics-port serves /metrics without a token on loopback only', async () => {
    const server = new ApiServer({ port: 0, elasticsearchUrl: esUrl, logLevel: 'silent', tokensFile, metricsPort: 0 });
    await server.start();
    try {
      const res = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /segflow_api_/);
      assert.equal((await fetch(`http://127.0.0.1:${server.metricsPort}/api/v1/flows`)).status, 404, 'nothing else on that port');
    } finally {
      await server.stop();
    }
  });
});
