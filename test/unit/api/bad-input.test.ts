/**
 * Bad input to every route gets a 4xx with a stable code, a message naming what is wrong and
 * the parameter at fault — table-driven through Fastify's inject. Elasticsearch is never
 * reached (the client points at a closed port): validation happens before any query.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadResourceText } from '../../../src/inventory/index.ts';
import { parseTokenConfig, tokenDigest } from '../../../src/api/auth/tokens.ts';
import { resolveApiConfig } from '../../../src/api/config.ts';
import { StaticInventorySource } from '../../../src/api/inventory/inventory-source.ts';
import { ApiServer } from '../../../src/api/server.ts';
import { FIXTURE_RESOURCES_YAML } from './flow-fixtures.ts';

const ADMIN = 'admin-token-0123456789abcdef';
const VIEWER = 'viewer-token-0123456789abcd';

interface Case {
  name: string;
  method?: 'GET' | 'POST';
  url: string;
  body?: unknown;
  token?: string | null;
  status: number;
  code: string;
  parameter?: string;
  message?: RegExp;
}

const q = encodeURIComponent;
const CASES: Case[] = [
  // flows: unknown parameters, wrong types, huge ranges, malformed selectors, injection attempts
  { name: 'unknown parameter', url: '/api/v1/flows?size=10', status: 400, code: 'unknown_parameter', parameter: 'size', message: /unknown query parameter "size"/ },
  { name: 'ES query smuggling', url: `/api/v1/flows?query=${q('{"match_all":{}}')}`, status: 400, code: 'unknown_parameter', parameter: 'query' },
  { name: 'limit not a number', url: '/api/v1/flows?limit=ten', status: 400, code: 'invalid_parameter', parameter: 'limit' },
  { name: 'limit too large', url: '/api/v1/flows?limit=100000', status: 400, code: 'invalid_parameter', parameter: 'limit', message: /<= 1000/ },
  { name: 'limit zero', url: '/api/v1/flows?limit=0', status: 400, code: 'invalid_parameter', parameter: 'limit' },
  { name: 'huge range', url: '/api/v1/flows?from=now-3650d', status: 400, code: 'range_too_large', parameter: 'from' },
  { name: 'from after to', url: '/api/v1/flows?from=now&to=now-1h', status: 400, code: 'invalid_time_range', parameter: 'from' },
  { name: 'date math injection', url: `/api/v1/flows?from=${q('now-1d/d||+1y')}`, status: 400, code: 'invalid_parameter', parameter: 'from' },
  { name: 'zone-less time', url: '/api/v1/flows?to=2026-09-01T10:00:00', status: 400, code: 'invalid_parameter', parameter: 'to' },
  { name: 'malformed selector', url: `/api/v1/flows?source_labels=${q("app == 'x")}`, status: 400, code: 'invalid_selector', parameter: 'source_labels', message: /column \d+/ },
  { name: 'selector with script-like text', url: `/api/v1/flows?dest_labels=${q('doc["x"].value > 1')}`, status: 400, code: 'invalid_selector', parameter: 'dest_labels' },
  { name: 'query-string syntax in a keyword', url: `/api/v1/flows?source_namespace=${q('shop OR *')}`, status: 200, code: '' },
  { name: 'bad enum', url: '/api/v1/flows?action=drop', status: 400, code: 'invalid_parameter', parameter: 'action', message: /allow, deny/ },
  { name: 'bad port', url: '/api/v1/flows?dest_port=http', status: 400, code: 'invalid_parameter', parameter: 'dest_port' },
  { name: 'bad CIDR', url: '/api/v1/flows?ip=10.0.0.0/40', status: 400, code: 'invalid_parameter', parameter: 'ip' },
  { name: 'bad boolean', url: '/api/v1/flows?mismatch=1', status: 400, code: 'invalid_parameter', parameter: 'mismatch' },
  { name: 'repeated parameter', url: '/api/v1/flows?action=allow&action=deny', status: 400, code: 'invalid_parameter', parameter: 'action', message: /once/ },
  { name: 'control characters', url: `/api/v1/flows?source_name=${q('a\u0000b')}`, status: 400, code: 'invalid_parameter', parameter: 'source_name' },
  { name: 'oversized value', url: `/api/v1/flows?source_name=${'a'.repeat(5000)}`, status: 400, code: 'invalid_parameter', parameter: 'source_name' },
  { name: 'too many values', url: `/api/v1/flows?dest_port=${Array.from({ length: 101 }, (_, i) => i).join(',')}`, status: 400, code: 'invalid_parameter', parameter: 'dest_port', message: /at most 100/ },
  { name: 'bad sort', url: '/api/v1/flows?sort=_script', status: 400, code: 'invalid_parameter', parameter: 'sort' },
  { name: 'bad fields', url: '/api/v1/flows?fields=_source', status: 400, code: 'invalid_parameter', parameter: 'fields' },
  { name: 'bad policy ref', url: `/api/v1/flows?policy=${q('x:y/z')}`, status: 400, code: 'invalid_parameter', parameter: 'policy' },
  { name: 'forged cursor', url: '/api/v1/flows?cursor=eyJ2IjoxfQ.AAAA', status: 400, code: 'invalid_cursor', parameter: 'cursor' },
  { name: 'garbage cursor', url: `/api/v1/flows?cursor=${q('{"pit":"x"}')}`, status: 400, code: 'invalid_cursor', parameter: 'cursor' },
  // stats
  { name: 'stats: unknown view', url: '/api/v1/flows/stats?view=everything', status: 400, code: 'invalid_parameter', parameter: 'view' },
  { name: 'stats: tiny interval', url: '/api/v1/flows/stats?from=now-7d&interval=1s', status: 400, code: 'invalid_parameter', parameter: 'interval', message: /more than 1000 buckets/ },
  { name: 'stats: bad interval', url: '/api/v1/flows/stats?interval=fast', status: 400, code: 'invalid_parameter', parameter: 'interval' },
  { name: 'stats: limit too large', url: '/api/v1/flows/stats?limit=1000', status: 400, code: 'invalid_parameter', parameter: 'limit' },
  { name: 'stats: unknown parameter', url: '/api/v1/flows/stats?sort=time', status: 400, code: 'unknown_parameter', parameter: 'sort' },
  { name: 'stats: bad selector', url: `/api/v1/flows/stats?source_labels=${q('has(')}`, status: 400, code: 'invalid_selector', parameter: 'source_labels' },
  // denied
  { name: 'denied: limit too large', url: '/api/v1/denied?limit=501', status: 400, code: 'invalid_parameter', parameter: 'limit' },
  { name: 'denied: unknown parameter', url: '/api/v1/denied?cursor=x', status: 400, code: 'unknown_parameter', parameter: 'cursor' },
  { name: 'denied: huge range', url: '/api/v1/denied?from=2000-01-01T00:00:00Z', status: 400, code: 'range_too_large', parameter: 'from' },
  // inventory views
  { name: 'endpoints: bad namespace', url: `/api/v1/endpoints?namespace=${q('Shop!')}`, status: 400, code: 'invalid_parameter', parameter: 'namespace' },
  { name: 'endpoints: bad selector', url: `/api/v1/endpoints?selector=${q('app ==')}`, status: 400, code: 'invalid_selector', parameter: 'selector' },
  { name: 'endpoints: bad kind', url: '/api/v1/endpoints?kind=vm', status: 400, code: 'invalid_parameter', parameter: 'kind' },
  { name: 'policies: unknown parameter', url: '/api/v1/policies?selector=all()', status: 400, code: 'unknown_parameter', parameter: 'selector' },
  { name: 'policies: bad limit', url: '/api/v1/policies?limit=-1', status: 400, code: 'invalid_parameter', parameter: 'limit' },
  { name: 'tiers: unknown parameter', url: '/api/v1/tiers?all=1', status: 400, code: 'unknown_parameter', parameter: 'all' },
  // explain
  { name: 'explain: missing field', method: 'POST', url: '/api/v1/explain', body: { src: '10.0.0.1', protocol: 'tcp' }, status: 400, code: 'invalid_body', parameter: 'dst' },
  { name: 'explain: unknown field', method: 'POST', url: '/api/v1/explain', body: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', verbose: true }, status: 400, code: 'invalid_body', parameter: 'verbose' },
  { name: 'explain: port type', method: 'POST', url: '/api/v1/explain', body: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', dst_port: 'http' }, status: 400, code: 'invalid_body', parameter: 'dst_port' },
  { name: 'explain: port range', method: 'POST', url: '/api/v1/explain', body: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', dst_port: 70000 }, status: 400, code: 'invalid_body', parameter: 'dst_port' },
  { name: 'explain: bad ip', method: 'POST', url: '/api/v1/explain', body: { src: '10.0.0.999', dst: '10.0.0.2', protocol: 'tcp' }, status: 400, code: 'invalid_body', parameter: 'src', message: /^src: not an IP address: "10\.0\.0\.999"$/ },
  { name: 'explain: bad protocol', method: 'POST', url: '/api/v1/explain', body: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'http' }, status: 400, code: 'invalid_body', parameter: 'protocol' },
  { name: 'explain: ports on icmp', method: 'POST', url: '/api/v1/explain', body: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'icmp', dst_port: 80 }, status: 400, code: 'invalid_body', parameter: 'dst_port' },
  { name: 'explain: mixed families', method: 'POST', url: '/api/v1/explain', body: { src: '10.0.0.1', dst: 'fd00::1', protocol: 'tcp' }, status: 400, code: 'invalid_body', parameter: 'dst', message: /^dst: IPv6, but src 10\.0\.0\.1 is IPv4$/ },
  { name: 'explain: every problem named', method: 'POST', url: '/api/v1/explain', body: { src: 'x', dst: 'y', protocol: 'http' }, status: 400, code: 'invalid_body', parameter: 'src', message: /^src: .*; dst: .*; protocol: / },
  { name: 'explain: bad time', method: 'POST', url: '/api/v1/explain', body: { src: '10.0.0.1', dst: '10.0.0.2', protocol: 'tcp', time: 'yesterday' }, status: 400, code: 'invalid_body', parameter: 'time' },
  { name: 'explain: not JSON', method: 'POST', url: '/api/v1/explain', body: '{"src":', status: 400, code: 'invalid_body' },
  // preview
  { name: 'preview: missing policy', method: 'POST', url: '/api/v1/preview', body: { hours: 1 }, status: 400, code: 'invalid_body', parameter: 'policy' },
  { name: 'preview: hours too large', method: 'POST', url: '/api/v1/preview', body: { policy: 'x: 1', hours: 10_000 }, status: 400, code: 'invalid_body', parameter: 'hours' },
  { name: 'preview: bad YAML', method: 'POST', url: '/api/v1/preview', body: { policy: 'kind: [' }, status: 400, code: 'invalid_body', parameter: 'policy', message: /YAML/ },
  { name: 'preview: not a policy', method: 'POST', url: '/api/v1/preview', body: { policy: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n' }, status: 400, code: 'invalid_body', parameter: 'policy', message: /only policies and tiers/ },
  { name: 'preview: invalid policy', method: 'POST', url: '/api/v1/preview', body: { policy: { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'x' }, spec: { selector: "app == 'a" } } }, status: 400, code: 'invalid_body', parameter: 'policy', message: /selector/ },
  { name: 'preview: viewer role', method: 'POST', url: '/api/v1/preview', body: { policy: 'x' }, token: VIEWER, status: 403, code: 'forbidden' },
  // access
  { name: 'no token', url: '/api/v1/flows', token: null, status: 401, code: 'unauthorized' },
  { name: 'malformed authorization', url: '/api/v1/tiers', token: 'has spaces in it', status: 401, code: 'unauthorized' },
  { name: 'unknown token', url: '/api/v1/tiers', token: 'x'.repeat(40), status: 401, code: 'unauthorized' },
  { name: 'unknown route', url: '/api/v1/nope', status: 404, code: 'not_found' },
];

describe('bad input to every route', () => {
  let server: ApiServer;
  let app: FastifyInstance;

  before(async () => {
    const tokens = parseTokenConfig({ tokens: [{ name: 'admin', token: ADMIN, role: 'admin' }, { name: 'viewer', sha256: tokenDigest(VIEWER), role: 'viewer', namespaces: ['shop'] }] });
    const inventory = new StaticInventorySource(loadResourceText(FIXTURE_RESOURCES_YAML, 'fixture').resources);
    // Port 1 is closed: a case that reached Elasticsearch would fail with 503, not its expected 4xx.
    server = new ApiServer({ elasticsearchUrl: 'http://127.0.0.1:1', logLevel: 'silent', timeouts: { queryMs: 500 } }, { tokens, inventory });
    app = await server.ready();
  });
  after(async () => server.stop());

  for (const c of CASES) {
    it(`${c.name} → ${c.status}${c.code ? ` ${c.code}` : ''}`, async () => {
      const token = c.token === undefined ? ADMIN : c.token;
      const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
      if (typeof c.body === 'string') headers['content-type'] = 'application/json';
      const r = await app.inject({ method: c.method ?? 'GET', url: c.url, headers, ...(c.body !== undefined ? { payload: c.body as string } : {}) });
      if (c.status === 200) {
        // Accepted as data: the query would run (and fail here only because Elasticsearch is unreachable).
        assert.equal(r.statusCode, 503, r.body);
        assert.equal(r.json().error.code, 'elasticsearch_unavailable');
        return;
      }
      assert.equal(r.statusCode, c.status, r.body);
      const body = r.json() as { error: { code: string; message: string; parameter?: string } };
      assert.equal(body.error.code, c.code, r.body);
      assert.ok(body.error.message.length > 0);
      if (c.parameter !== undefined) assert.equal(body.error.parameter, c.parameter, r.body);
      if (c.message) assert.match(body.error.message, c.message);
      assert.ok(r.headers['x-request-id'], 'every answer carries a request id');
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8', 'errors are JSON, labelled so');
    });
  }

  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    const good = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(good.headers['x-request-id'], 'abc-123');
    const bad = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'evil\r\nline' } });
    assert.notEqual(bad.headers['x-request-id'], 'evil\r\nline');
  });

  it('serves health, the OpenAPI document and the docs page without a token', async () => {
    for (const url of ['/healthz', '/openapi.json', '/docs', '/docs/json']) assert.equal((await app.inject({ url })).statusCode, 200, url);
    const spec = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
    const names = spec.paths['/api/v1/flows']?.get?.parameters?.map((p) => p.name) ?? [];
    for (const p of ['from', 'to', 'source_namespace', 'dest_labels', 'policy', 'cursor', 'fields', 'sort']) assert.ok(names.includes(p), `OpenAPI lists ${p}`);
  });

  it('sends no CORS headers by default', async () => {
    const r = await app.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  });
});

describe('configuration and tokens', () => {
  it('refuses an unauthenticated API off loopback', () => {
    assert.throws(() => resolveApiConfig({ host: '0.0.0.0' }), /without a tokens file/);
    assert.doesNotThrow(() => resolveApiConfig({ host: '0.0.0.0', tokensFile: '/etc/segflow/tokens.yaml' }));
    assert.throws(() => resolveApiConfig({ indexPrefix: 'Bad*' }), /prefix/);
    assert.throws(() => resolveApiConfig({ limits: { maxPageSize: 0 } }), /limits.maxPageSize/);
  });
  it('validates token files with located messages', () => {
    const bad: [unknown, RegExp][] = [
      [{}, /tokens: expected a list/],
      [{ tokens: [{ name: 'a', token: 'short', role: 'admin' }] }, /tokens\[0\]\.token: must be at least 16/],
      [{ tokens: [{ name: 'a', token: 'x'.repeat(16), role: 'root' }] }, /tokens\[0\]\.role/],
      [{ tokens: [{ name: 'a', token: 'x'.repeat(16), role: 'admin', namespaces: ['Bad NS'] }] }, /tokens\[0\]\.namespaces/],
      [{ tokens: [{ name: 'a', token: 'x'.repeat(16), role: 'admin', extra: 1 }] }, /tokens\[0\]\.extra: unknown field/],
      [{ tokens: [{ name: 'a', token: 'x'.repeat(16), role: 'admin' }, { name: 'b', token: 'x'.repeat(16), role: 'viewer' }] }, /tokens\[1\]: the same token/],
    ];
    for (const [doc, message] of bad) assert.throws(() => parseTokenConfig(doc), message);
    const table = parseTokenConfig({ tokens: [{ name: 'team', sha256: tokenDigest('y'.repeat(20)), role: 'viewer', namespaces: ['b', 'a', 'a'] }] });
    assert.deepEqual(table.lookup('y'.repeat(20))?.scope.namespaces, ['a', 'b']);
    assert.equal(table.lookup('z'.repeat(20)), undefined);
  });
});
