/** /flows leaves the packed 5-tuple set out of pages unless a field selection names it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFlowSearchRequest, parseFieldSelection, sourceFilter } from '../../../src/api/query/flow-search.ts';

describe('flow page _source filter', () => {
  it('excludes segflow.flows.tuples from whole documents', () => {
    assert.deepEqual(sourceFilter(undefined), { excludes: ['segflow.flows.tuples'] });
  });
  it('excludes it from a selection that only covers it through an object', () => {
    assert.deepEqual(sourceFilter(parseFieldSelection('segflow.flows,source')), { includes: ['segflow.flows', 'source'], excludes: ['segflow.flows.tuples'] });
  });
  it('returns it when named exactly', () => {
    assert.deepEqual(sourceFilter(parseFieldSelection('segflow.flows.tuples')), { includes: ['segflow.flows.tuples'] });
  });
  it('is part of every page request', () => {
    const r = buildFlowSearchRequest({ query: { match_all: {} }, sort: [], size: 1, sourceIncludes: undefined, pitId: 'p', keepAlive: '1m', searchAfter: undefined, trackTotal: false, timeout: '1s' });
    assert.deepEqual(r._source, { excludes: ['segflow.flows.tuples'] });
  });
});
