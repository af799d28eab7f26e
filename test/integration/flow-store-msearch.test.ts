/**
 * FlowStore.msearch on a real Elasticsearch (the stats view's edge steps go through it): answers
 * come back in the requests' order and over the store's flow indices only, a search
 * Elasticsearch fails fails the call with the API error a single search gets, and a request it
 * cannot carry (filter_path) is refused before anything is sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { ApiError } from '../../src/api/errors.ts';
import { FlowStore } from '../../src/api/flow-store.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { deleteFlowIndices } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';

describe('FlowStore.msearch', () => {
  let client: Client;
  let prefix: string;
  let other: string;
  let store: FlowStore;
  const options = { timeoutMs: 30_000 };

  before(async () => {
    client = createElasticsearchClient(requireElasticsearchUrl());
    prefix = uniqueName('msearch');
    other = uniqueName('msearchother');
    const docs = [{ n: 1, kind: 'a' }, { n: 2, kind: 'b' }, { n: 3, kind: 'b' }];
    await client.bulk({ refresh: 'wait_for', operations: docs.flatMap((d) => [{ index: { _index: `${prefix}-2026.12.02` } }, d]) });
    // A document outside the store's pattern: never counted.
    await client.index({ index: `${other}-2026.12.02`, document: { n: 9, kind: 'b' }, refresh: 'wait_for' });
  });

  after(async () => {
    await deleteFlowIndices(client, prefix);
    await deleteFlowIndices(client, other);
    await client?.close();
  });

  it('answers every search in order, over the store\'s indices only', async () => {
    store = new FlowStore(client, prefix);
    const answers = await store.msearch([
      { size: 0, track_total_hits: true, query: { term: { 'kind.keyword': 'b' } } },
      { size: 0, track_total_hits: true, query: { match_all: {} } },
      { size: 0, aggs: { top: { max: { field: 'n' } } } },
    ], options, 'test_msearch');
    assert.deepEqual(answers.map((a) => (a.hits.total as { value: number } | undefined)?.value), [2, 3, 3]);
    assert.equal((answers[2]!.aggregations!.top as { value: number }).value, 3);
    assert.deepEqual(await store.msearch([], options, 'test_msearch'), []);
  });

  it('fails the call with the API error of a failed search', async () => {
    await assert.rejects(
      store.msearch([{ size: 0 }, { size: 0, aggs: { bad: { date_histogram: { field: 'n', fixed_interval: 'not-an-interval' } } } }], options, 'test_msearch'),
      (err: unknown) => err instanceof ApiError && err.statusCode === 502 && /Elasticsearch failed the query \(400 /.test(err.message),
    );
  });

  it('refuses a request with filter_path before sending anything', async () => {
    await assert.rejects(store.msearch([{ size: 0, filter_path: ['hits'] }], options, 'test_msearch'), /filter_path or a PIT cannot be sent/);
  });
});
