/**
 * `segflow kibana import` and its client. Kibana itself cannot run on this machine (no Docker,
 * and no Kibana artifact in the reachable registries), so these tests put a small HTTP server
 * in Kibana's place on loopback that checks the request the way Kibana's `_import` route does
 * (path, `kbn-xsrf`, multipart `file` part with an `.ndjson` name) and answers in Kibana's
 * documented response shapes. They prove what we send and how we report answers; that Kibana
 * accepts the objects themselves is checked by hand against the docker-compose stack.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KIBANA_OBJECTS_DIR } from '../../../src/kibana/generate-kibana-objects.ts';
import { KibanaImportFailure, importSavedObjects, kibanaImportUrl, readSavedObjectFiles } from '../../../src/kibana/kibana-import.ts';
import { parseNdjson } from '../../../src/kibana/kibana-saved-objects.ts';
import { TestCertificateAuthority } from '../../harness/test-certificates.ts';

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  fileName: string | undefined;
  objects: { type: string; id: string }[];
}

/** What the stand-in answers next: status and JSON body, or a function of the request. */
type Answer = (seen: SeenRequest) => { status: number; body: unknown };

class KibanaStandIn {
  readonly requests: SeenRequest[] = [];
  answer: Answer = (seen) => ({ status: 200, body: { success: true, successCount: seen.objects.length, successResults: seen.objects.map((o) => ({ ...o, meta: { title: o.id } })) } });
  private server: Server | undefined;

  /** Starts on loopback; with `tls` it serves https with that key and certificate. */
  async start(tls?: { key: string; cert: string }): Promise<string> {
    const handler: RequestListener = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, fileName: undefined, objects: [] };
          let reply: { status: number; body: unknown };
          if (!String(req.headers['content-type']).startsWith('multipart/form-data')) reply = { status: 415, body: { statusCode: 415, error: 'Unsupported Media Type', message: 'Unsupported Media Type' } };
          else if (req.headers['kbn-xsrf'] === undefined) reply = { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'Request must contain a kbn-xsrf header.' } };
          else {
            // Parse the multipart body with the platform's own parser, as a server framework would.
            const form = await new Request('http://stand-in/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: Buffer.concat(chunks) }).formData();
            const file = form.get('file');
            if (!(file instanceof File) || !file.name.endsWith('.ndjson')) reply = { status: 415, body: { statusCode: 415, error: 'Unsupported Media Type', message: 'Invalid file extension' } };
            else {
              seen.fileName = file.name;
              seen.objects = parseNdjson(await file.text()).map((o) => ({ type: o.type, id: o.id }));
              reply = this.answer(seen);
            }
          }
          this.requests.push(seen);
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply.body));
        })();
      });
    };
    this.server = tls === undefined ? createServer(handler) : createHttpsServer(tls, handler);
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Runs the real CLI (bin/segflow.js) and collects its output. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve('bin/segflow.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('kibana import', () => {
  const kibana = new KibanaStandIn();
  let url = '';
  before(async () => {
    url = await kibana.start();
  });
  after(async () => {
    await kibana.stop();
  });

  it('builds the _import URL for spaces, base paths and overwrite', () => {
    assert.equal(kibanaImportUrl({ url: 'http://localhost:5601' }).href, 'http://localhost:5601/api/saved_objects/_import');
    assert.equal(kibanaImportUrl({ url: 'http://localhost:5601/', space: 'default', overwrite: true }).href, 'http://localhost:5601/api/saved_objects/_import?overwrite=true');
    assert.equal(kibanaImportUrl({ url: 'https://k.example/kibana/', space: 'net-ops' }).href, 'https://k.example/kibana/s/net-ops/api/saved_objects/_import');
    assert.throws(() => kibanaImportUrl({ url: 'localhost:5601x' }), KibanaImportFailure);
    assert.throws(() => kibanaImportUrl({ url: 'http://localhost:5601', space: '../x' }), /--space must be a Kibana space id/);
  });

  it('sends every object of kibana/ once, as one multipart ndjson file with kbn-xsrf and credentials', async () => {
    const objects = await readSavedObjectFiles([KIBANA_OBJECTS_DIR]);
    assert.equal(objects[0]?.type, 'index-pattern', 'the data view comes first');
    const result = await importSavedObjects(objects, { url, space: 'flows', overwrite: true, username: 'elastic', password: 'pw' });
    assert.equal(result.success, true);
    assert.equal(result.successCount, objects.length);
    const seen = kibana.requests.at(-1);
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.url, '/s/flows/api/saved_objects/_import?overwrite=true');
    assert.equal(seen?.headers['kbn-xsrf'], 'segflow');
    assert.equal(seen?.headers.authorization, `Basic ${Buffer.from('elastic:pw').toString('base64')}`);
    assert.equal(seen?.fileName, 'segflow.ndjson');
    assert.deepEqual(seen?.objects, objects.map((o) => ({ type: o.type, id: o.id })));
    await importSavedObjects(objects.slice(0, 1), { url, apiKey: 'aWQ6a2V5' });
    assert.equal(kibana.requests.at(-1)?.headers.authorization, 'ApiKey aWQ6a2V5');
  });

  it('lists per-object errors and fails the import', async () => {
    kibana.answer = (seen) => ({
      status: 200,
      body: {
        success: false,
        successCount: seen.objects.length - 2,
        successResults: seen.objects.slice(2).map((o) => ({ ...o, meta: { title: o.id } })),
        errors: [
          { type: seen.objects[0]?.type, id: seen.objects[0]?.id, meta: { title: 'segflow flows' }, error: { type: 'conflict' } },
          { type: seen.objects[1]?.type, id: seen.objects[1]?.id, meta: { title: 'Flow records' }, error: { type: 'missing_references', references: [{ type: 'index-pattern', id: 'segflow-flows' }] } },
        ],
      },
    });
    const run = await runCli(['kibana', 'import', '--url', url]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /failed {3}index-pattern segflow-flows \(segflow flows\): already exists \(run again with --overwrite to replace it\)/);
    assert.match(run.stderr, /failed {3}lens .* \(Flow records\): refers to objects Kibana does not have: index-pattern\/segflow-flows/);
    assert.match(run.stdout, /imported dashboard segflow-flows-overview/);
    assert.match(run.stdout, /objects imported into the default space/);
  });

  it('explains refusals: missing credentials, unknown space', async () => {
    const objects = await readSavedObjectFiles([KIBANA_OBJECTS_DIR]);
    kibana.answer = () => ({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: '[security_exception] missing authentication credentials' } });
    await assert.rejects(importSavedObjects(objects, { url }), /HTTP 401 \[security_exception\] missing authentication credentials \(Kibana wants credentials/);
    kibana.answer = () => ({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Not Found' } });
    await assert.rejects(importSavedObjects(objects, { url, space: 'nope' }), /HTTP 404 .*does space "nope" exist/);
  });

  it('says so when Kibana cannot be reached, exit 1', async () => {
    const closed = new KibanaStandIn();
    const closedUrl = await closed.start();
    await closed.stop();
    const run = await runCli(['kibana', 'import', '--url', closedUrl]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot reach Kibana at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('trusts a private CA given with --ca-file, and says what to do without it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'segflow-kibana-ca-'));
    const secure = new KibanaStandIn();
    try {
      const ca = await TestCertificateAuthority.create(dir, 'kibana-test-ca');
      const server = await ca.issue('kibana', { usage: 'server', ips: ['127.0.0.1'] });
      const httpsUrl = await secure.start({ key: await readFile(server.keyFile, 'utf8'), cert: await readFile(server.certFile, 'utf8') });
      const objects = await readSavedObjectFiles([KIBANA_OBJECTS_DIR]);
      const result = await importSavedObjects(objects, { url: httpsUrl, ca: await readFile(ca.caFile, 'utf8'), apiKey: 'aWQ6a2V5' });
      assert.equal(result.successCount, objects.length);
      const seen = secure.requests.at(-1);
      assert.equal(seen?.headers.authorization, 'ApiKey aWQ6a2V5');
      assert.equal(seen?.headers['kbn-xsrf'], 'segflow');
      assert.deepEqual(seen?.objects, objects.map((o) => ({ type: o.type, id: o.id })));

      const viaCli = await runCli(['kibana', 'import', '--url', httpsUrl, '--ca-file', ca.caFile]);
      assert.equal(viaCli.code, 0, viaCli.stderr);
      assert.match(viaCli.stdout, new RegExp(`${objects.length} of ${objects.length} objects imported`));

      const untrusted = await runCli(['kibana', 'import', '--url', httpsUrl]);
      assert.equal(untrusted.code, 1);
      assert.match(untrusted.stderr, /cannot reach Kibana at https:\/\/127\.0\.0\.1:\d+: .*(CERT|SELF_SIGNED|VERIFY).*give its CA with --ca-file/);
      const missing = await runCli(['kibana', 'import', '--url', httpsUrl, '--ca-file', path.join(dir, 'absent.pem')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /--ca-file .*absent\.pem: no such file/);
      await assert.rejects(importSavedObjects(objects, { url: 'http://127.0.0.1:1', ca: 'x' }), /--ca-file applies to an https --url only/);
    } finally {
      await secure.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
