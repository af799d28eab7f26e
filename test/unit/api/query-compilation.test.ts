/**
 * The pure query layer: filters → Elasticsearch clauses (table-driven), selectors → queries,
 * time ranges, cursors, the access scope and the reporter dedup predicate.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { resolveFlowFields } from '../../../src/contract/flow-fields.ts';
import { parseSelectorAst } from '../../../src/inventory/selector/index.ts';
import { ApiError } from '../../../src/api/errors.ts';
import { scopeQuery, UNRESTRICTED } from '../../../src/api/query/access-scope.ts';
import { decodeCursor, encodeCursor, sameParams, type CursorState } from '../../../src/api/query/cursor.ts';
import { compileFilter, expansionNeeds, flowFilterDefinitions, parseFilter, parseFilters } from '../../../src/api/query/flow-filters.ts';
import { buildFlowQuery, parseFieldSelection, parseSort } from '../../../src/api/query/flow-search.ts';
import { isCanonicalReport } from '../../../src/api/query/reporter-dedup.ts';
import { selectorToQuery, valueExpansionKeys } from '../../../src/api/query/selector-query.ts';
import { resolveTimeRange } from '../../../src/api/query/time-range.ts';
import { explainDenied } from '../../../src/api/query/denied-explain.ts';

function compile(param: string, value: string): unknown {
  const def = flowFilterDefinitions().get(param);
  assert.ok(def, `filter ${param} exists`);
  return compileFilter(parseFilter(def, value));
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an ApiError');
}

describe('filter definitions derived from the field table', () => {
  it('exposes every filterable table field with an api name, plus the cross-field filters', () => {
    const defs = flowFilterDefinitions();
    for (const f of resolveFlowFields()) {
      if (f.api === undefined || f.filterable !== true || f.nestedPath !== undefined || f.type === 'date' || f.type === 'nested') continue;
      assert.ok(defs.has(f.api), `${f.api} (${f.path}) is a filter`);
      assert.deepEqual(defs.get(f.api)?.fields, [f.path]);
    }
    for (const p of ['namespace', 'node', 'policy', 'tier', 'deciding_policy', 'deciding_tier']) assert.ok(defs.has(p), p);
  });
});

describe('filter compilation (table-driven)', () => {
  const CASES: [string, string, unknown][] = [
    ['source_namespace', 'shop', { terms: { 'segflow.source.namespace': ['shop'] } }],
    ['source_namespace', 'shop,payments,shop', { terms: { 'segflow.source.namespace': ['shop', 'payments'] } }],
    ['action', 'deny', { terms: { 'segflow.verdict': ['deny'] } }],
    ['namespace', 'shop', { bool: { should: [{ terms: { 'segflow.source.namespace': ['shop'] } }, { terms: { 'segflow.destination.namespace': ['shop'] } }], minimum_should_match: 1 } }],
    ['dest_ip', '10.0.0.0/8', { terms: { 'destination.ip': ['10.0.0.0/8'] } }],
    ['source_ip', '10.1.2.3/16', { terms: { 'source.ip': ['10.1.0.0/16'] } }],
    ['ip', 'FD00::1', { terms: { 'related.ip': ['fd00::1'] } }],
    ['dest_port', '443', { terms: { 'destination.port': [443] } }],
    ['dest_port', '8000-8080,53', { bool: { should: [{ terms: { 'destination.port': [53] } }, { range: { 'destination.port': { gte: 8000, lte: 8080 } } }], minimum_should_match: 1 } }],
    ['mismatch', 'true', { term: { 'segflow.observed.mismatch': true } }],
    ['policy', 'np:shop/allow-web', {
      bool: {
        should: ['segflow.policy.egress.enforced', 'segflow.policy.ingress.enforced'].map((path) => ({
          nested: { path, query: { bool: { filter: [{ term: { [`${path}.name`]: 'allow-web' } }, { term: { [`${path}.namespace`]: 'shop' } }, { term: { [`${path}.kind`]: 'np' } }] } } },
        })),
        minimum_should_match: 1,
      },
    }],
    // Admin policy kinds (Calico's kanp / kbanp / kcnp hits) filter like the others.
    ['policy', 'kanp:deny-untrusted', {
      bool: {
        should: ['segflow.policy.egress.enforced', 'segflow.policy.ingress.enforced'].map((path) => ({
          nested: { path, query: { bool: { filter: [{ term: { [`${path}.name`]: 'deny-untrusted' } }, { term: { [`${path}.kind`]: 'kanp' } }] } } },
        })),
        minimum_should_match: 1,
      },
    }],
    ['tier', 'platform', {
      bool: { should: ['segflow.policy.egress.enforced', 'segflow.policy.ingress.enforced'].map((path) => ({ nested: { path, query: { terms: { [`${path}.tier`]: ['platform'] } } } })), minimum_should_match: 1 },
    }],
    ['source_labels', "app == 'cart'", { term: { 'segflow.source.labels.app': 'cart' } }],
  ];
  for (const [param, value, expected] of CASES) {
    it(`${param}=${value}`, () => assert.deepEqual(compile(param, value), expected));
  }

  const BAD: [string, string, RegExp][] = [
    ['action', 'block', /must be one of allow, deny/],
    ['dest_port', '70000', /integer 0-65535/],
    ['dest_port', '90-80', /empty/],
    ['dest_port', '-1', /integer/],
    ['dest_ip', '10.0.0.300', /IP address or CIDR/],
    ['dest_ip', '10.0.0.0/33', /IP address or CIDR/],
    ['mismatch', 'yes', /true or false/],
    ['source_namespace', 'a,,b', /empty value at position 2/],
    ['source_namespace', 'x'.repeat(300), /longer than 256/],
    ['source_namespace', 'shop\nevil', /control characters/],
    ['policy', 'bogus:name', /kind one of/],
    ['policy', 'UPPER', /\[kind:\]\[namespace\/\]name/],
    ['source_labels', "app == 'cart", /column/],
    ['source_labels', 'a'.repeat(3000), /longer than 2048/],
    ['dest_labels', "app == 'x' || ", /column/],
  ];
  for (const [param, value, message] of BAD) {
    it(`rejects ${param}=${JSON.stringify(value.slice(0, 30))}`, () => {
      const err = apiError(() => compile(param, value));
      assert.equal(err.statusCode, 400);
      assert.equal(err.parameter, param);
      assert.match(err.message, message);
      assert.ok(err.message.startsWith(`${param}: `));
    });
  }

  it('refuses repeated parameters', () => {
    assert.equal(apiError(() => parseFilters({ action: ['allow', 'deny'] })).parameter, 'action');
  });
});

describe('selectors → Elasticsearch', () => {
  const fields = { labels: 'segflow.source.labels', namespace: 'segflow.source.namespace' };
  const q = (text: string, expansions = new Map<string, string[]>()): unknown => selectorToQuery(parseSelectorAst(text), fields, expansions);
  const CASES: [string, unknown][] = [
    ['all()', { match_all: {} }],
    ['has(app)', { exists: { field: 'segflow.source.labels.app' } }],
    ['!has(app)', { bool: { must_not: [{ exists: { field: 'segflow.source.labels.app' } }] } }],
    ["app != 'x'", { bool: { must_not: [{ term: { 'segflow.source.labels.app': 'x' } }] } }],
    ["app in {'b', 'a'}", { terms: { 'segflow.source.labels.app': ['a', 'b'] } }],
    ["app not in {'a'}", { bool: { must_not: [{ terms: { 'segflow.source.labels.app': ['a'] } }] } }],
    ["app starts with 'fr'", { prefix: { 'segflow.source.labels.app': 'fr' } }],
    ["a == 'x' && b == 'y'", { bool: { filter: [{ term: { 'segflow.source.labels.a': 'x' } }, { term: { 'segflow.source.labels.b': 'y' } }] } }],
    ["a == 'x' || b == 'y'", { bool: { should: [{ term: { 'segflow.source.labels.a': 'x' } }, { term: { 'segflow.source.labels.b': 'y' } }], minimum_should_match: 1 } }],
    ['global()', { bool: { must_not: [{ exists: { field: 'segflow.source.namespace' } }] } }],
    ["projectcalico.org/namespace == 'shop'", { term: { 'segflow.source.namespace': 'shop' } }],
    ["projectcalico.org/namespace contains 'o*p'", { wildcard: { 'segflow.source.namespace': { value: '*o\\*p*' } } }],
    ["app.kubernetes.io/name == 'x'", { term: { 'segflow.source.labels.app.kubernetes.io/name': 'x' } }],
  ];
  for (const [text, expected] of CASES) it(text, () => assert.deepEqual(q(text), expected));

  it('expands contains/endsWith over known values (flattened fields have no wildcard)', () => {
    const ast = parseSelectorAst("app contains 'art' || tier ends with 'end'");
    assert.deepEqual(valueExpansionKeys(ast), ['app', 'tier']);
    const expansions = new Map([['app', ['cart', 'frontend', 'party']], ['tier', ['backend', 'web']]]);
    assert.deepEqual(selectorToQuery(ast, fields, expansions), {
      bool: { should: [{ terms: { 'segflow.source.labels.app': ['cart', 'party'] } }, { terms: { 'segflow.source.labels.tier': ['backend'] } }], minimum_should_match: 1 },
    });
    assert.deepEqual(selectorToQuery(parseSelectorAst("app contains 'zzz'"), fields, expansions), { match_none: {} });
    assert.throws(() => selectorToQuery(parseSelectorAst("x contains 'a'"), fields, expansions), /no value expansion/);
    const def = flowFilterDefinitions().get('source_labels');
    assert.ok(def);
    assert.deepEqual(expansionNeeds([parseFilter(def, "app contains 'a'")]), [{ labelsField: 'segflow.source.labels', key: 'app' }]);
  });
});

describe('time ranges', () => {
  const now = Date.parse('2026-09-01T12:00:00Z');
  const limits = { maxRangeMs: 31 * 86_400_000, defaultRangeMs: 900_000 };
  it('resolves relative and absolute bounds', () => {
    assert.deepEqual(resolveTimeRange('now-15m', 'now', now, limits), { fromMs: now - 900_000, toMs: now });
    assert.deepEqual(resolveTimeRange('2026-09-01T10:00:00+02:00', undefined, now, limits), { fromMs: Date.parse('2026-09-01T08:00:00Z'), toMs: now });
    assert.deepEqual(resolveTimeRange(undefined, 'now-1h', now, limits), { fromMs: now - 3_600_000 - 900_000, toMs: now - 3_600_000 });
  });
  const BAD: [string | undefined, string | undefined, string, string][] = [
    ['yesterday', undefined, 'invalid_parameter', 'from'],
    ['2026-09-01T10:00:00', undefined, 'invalid_parameter', 'from'],
    ['now+5m', undefined, 'invalid_parameter', 'from'],
    [undefined, '2026-13-01T00:00:00Z', 'invalid_parameter', 'to'],
    ['now', 'now-1h', 'invalid_time_range', 'from'],
    ['now-32d', undefined, 'range_too_large', 'from'],
  ];
  for (const [from, to, code, parameter] of BAD) {
    it(`rejects from=${from} to=${to}`, () => {
      const err = apiError(() => resolveTimeRange(from, to, now, limits));
      assert.equal(err.code, code);
      assert.equal(err.parameter, parameter);
    });
  }
});

describe('cursors', () => {
  const secret = Buffer.alloc(32, 7);
  const state: CursorState = { pit: 'pit-id', sharedPit: true, after: [1_700_000_000_000, 'x', null, 42], params: { action: 'deny', limit: '5' }, fromMs: 1, toMs: 2, principal: 'ops', expiresMs: 10_000 };
  it('round-trips', () => assert.deepEqual(decodeCursor(encodeCursor(state, secret), secret, 5_000), state));
  it('rejects tampering, foreign secrets, garbage and expiry', () => {
    const good = encodeCursor(state, secret);
    const [payload, mac] = good.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ v: 2, ...state, principal: 'admin' })).toString('base64url');
    for (const bad of [`${forged}.${mac}`, encodeCursor(state, Buffer.alloc(32, 8)), 'garbage', `${payload}.`, 'a.b.c', 'x'.repeat(20_000)]) {
      const err = apiError(() => decodeCursor(bad, secret, 5_000));
      assert.equal(err.code, 'invalid_cursor');
      assert.equal(err.parameter, 'cursor');
    }
    assert.match(apiError(() => decodeCursor(good, secret, 20_000)).message, /expired/);
    // A well-signed cursor of the previous format (no sharedPit) is refused as such, not misread.
    const sign = (p: string): string => createHmac('sha256', secret).update(p).digest('base64url');
    const old = Buffer.from(JSON.stringify({ v: 1, pit: 'pit-id', after: [1], params: {}, fromMs: 1, toMs: 2, principal: 'ops', expiresMs: 10_000 })).toString('base64url');
    assert.match(apiError(() => decodeCursor(`${old}.${sign(old)}`, secret, 5_000)).message, /unsupported cursor version/);
  });
  it('compares parameter sets regardless of order', () => {
    assert.ok(sameParams({ a: '1', b: '2' }, { b: '2', a: '1' }));
    assert.ok(!sameParams({ a: '1' }, { a: '1', b: '2' }));
  });
});

describe('sort, fields, scope and dedup', () => {
  it('parses sort keys and field selections', () => {
    assert.deepEqual(parseSort(undefined), [{ field: '@timestamp', order: 'desc' }]);
    assert.deepEqual(parseSort('bytes,-dest_port'), [{ field: 'network.bytes', order: 'asc' }, { field: 'destination.port', order: 'desc' }]);
    assert.equal(apiError(() => parseSort('nope')).parameter, 'sort');
    assert.equal(apiError(() => parseSort('time,-time')).parameter, 'sort');
    assert.deepEqual(parseFieldSelection('source_namespace,time,source,segflow.policy'), ['segflow.source.namespace', '@timestamp', 'source', 'segflow.policy']);
    assert.equal(apiError(() => parseFieldSelection('_id')).parameter, 'fields');
    assert.equal(apiError(() => parseFieldSelection('script')).parameter, 'fields');
  });

  it('scopes namespaced callers in the query itself', () => {
    assert.equal(scopeQuery(UNRESTRICTED), undefined);
    assert.deepEqual(scopeQuery({ namespaces: [] }), { match_none: {} });
    const q = buildFlowQuery({ range: { fromMs: 1, toMs: 2 }, filters: [{ term: { a: 1 } }], scope: { namespaces: ['shop'] } }) as { bool: { filter: unknown[] } };
    assert.deepEqual(q.bool.filter.at(-1), {
      bool: { should: [{ terms: { 'segflow.source.namespace': ['shop'] } }, { terms: { 'segflow.destination.namespace': ['shop'] } }], minimum_should_match: 1 },
    });
    assert.equal(q.bool.filter.length, 3, 'range, filter, scope');
  });

  it('keeps one reporter half per connection', () => {
    const doc = (reporter: string, kind: string) => ({ segflow: { reporter, source: { kind } } });
    assert.ok(isCanonicalReport(doc('src', 'workload')));
    assert.ok(!isCanonicalReport(doc('dst', 'workload')));
    assert.ok(!isCanonicalReport(doc('dst', 'host')));
    assert.ok(isCanonicalReport(doc('dst', 'public')));
    assert.ok(isCanonicalReport(doc('dst', 'networkset')));
  });

  it('explains denied flows in one sentence', () => {
    const base = { source: { ip: '10.0.0.1' }, destination: { ip: '10.0.0.2', port: 80 }, network: { transport: 'tcp' }, segflow: { source: { namespace: 'a', name: 'x' }, destination: { namespace: 'b', name: 'y' } } };
    assert.match(explainDenied({ ...base, segflow: { ...base.segflow, policy: { ingress: { verdict: 'deny', enforced: [{ policy_index: 0, tier: 't', kind: 'np', namespace: 'b', name: 'p', action: 'deny', rule_index: 2 }] } } } }), /^a\/x → b\/y port 80\/tcp was denied on ingress to b\/y by rule 2 \(deny\) of np:b\/p in tier t\.$/);
    assert.match(explainDenied({ ...base, segflow: { ...base.segflow, policy: { egress: { verdict: 'deny', enforced: [{ policy_index: 0, tier: 't', kind: 'gnp', name: 'd', action: 'deny', rule_index: -1, trigger: 'gnp:d' }] } } } }), /on egress from a\/x: no rule in tier t matched.*gnp:d selects/);
    assert.match(explainDenied(base), /no per-direction verdict/);
  });
});
