/**
 * Every error the API's HTTP layer produces has the API's one JSON shape
 * `{ error: { code, message, parameter? } }` — also those raised before a route runs: an unknown
 * route (404), headers too large for Node's parser (431), a body over the limit (413), a
 * malformed URL (400). A real server on loopback; no request reaches Elasticsearch.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ApiServer } from '../../src/api/server.ts';
import { API_ERROR_CODES } from '../../src/api/errors.ts';

function request(port: number, options: http.RequestOptions, body?: string): Promise<{ status: number; type: string | undefined; json: { error: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('one error shape from the HTTP layer', () => {
  let server: ApiServer;
  let port: number;

  before(async () => {
    // No Elasticsearch is contacted: every request here fails before a query.
    server = new ApiServer({ host: '127.0.0.1', port: 0, elasticsearchUrl: 'http://127.0.0.1:9', logLevel: 'fatal', limits: { bodyLimitBytes: 1024 } });
    await server.start();
    port = server.port;
  });
  after(async () => { await server?.stop(); });

  const shaped = (r: { status: number; type: string | undefined; json: { error: { code: string; message: string } } }, status: number, code: string): void => {
    assert.equal(r.status, status);
    assert.match(r.type ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(r.json), ['error']);
    assert.equal(r.json.error.code, code);
    assert.ok((API_ERROR_CODES as readonly string[]).includes(r.json.error.code));
    assert.equal(typeof r.json.error.message, 'string');
  };

  it('404 for an unknown route', async () => {
    shaped(await request(port, { path: '/api/v1/no-such-route' }), 404, 'not_found');
  });
  it('431 for headers too large', async () => {
    shaped(await request(port, { path: '/healthz', headers: { 'x-padding': 'a'.repeat(64 * 1024) } }), 431, 'headers_too_large');
  });
  it('413 for a body over the limit', async () => {
    const body = JSON.stringify({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', time: 'x'.repeat(4096) });
    shaped(await request(port, { path: '/api/v1/explain', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, body), 413, 'payload_too_large');
  });
  it('400 for a malformed URL', async () => {
    shaped(await request(port, { path: '/api/v1/flows/%zz' }), 400, 'bad_request');
  });
});
