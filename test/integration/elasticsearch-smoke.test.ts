/**
 * Proves the Elasticsearch the test run provides is real: 10,000 documents bulk-indexed through
 * an index template, then a count, a term query and a date_histogram aggregation, each checked
 * against what the test computed from the documents it generated.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';

const DOCS = 10_000;
const VERDICTS = ['allow', 'deny'] as const;
const NAMESPACES = ['prod', 'dev', 'kube-system'];
const START = Date.parse('2026-11-27T00:00:00Z');

describe('Elasticsearch smoke test (real cluster)', () => {
  const client = createElasticsearchClient(requireElasticsearchUrl());
  const prefix = uniqueName('smoke');
  const index = `${prefix}-2026.11.27`;

  before(async () => {
    await client.indices.putIndexTemplate({
      name: prefix,
      index_patterns: [`${prefix}-*`],
      template: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: {
          dynamic: 'strict',
          properties: {
            '@timestamp': { type: 'date' },
            verdict: { type: 'keyword' },
            namespace: { type: 'keyword' },
            bytes: { type: 'long' },
            seq: { type: 'integer' },
          },
        },
      },
    });
  });

  after(async () => {
    await client.indices.delete({ index, ignore_unavailable: true }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: prefix }).catch(() => undefined);
    await client.close();
  });

  it('bulk-indexes 10,000 documents through the template and answers count, term and date_histogram', async () => {
    const expectedPerMinute = new Map<number, number>();
    let expectedDeniedInProd = 0;
    const operations: object[] = [];
    for (let seq = 0; seq < DOCS; seq++) {
      const verdict = VERDICTS[seq % 7 === 0 ? 1 : 0];
      const namespace = NAMESPACES[seq % 3] as string;
      const ts = START + seq * 1500; // 40 docs per minute over ~4 hours
      const minute = ts - (ts % 60_000);
      expectedPerMinute.set(minute, (expectedPerMinute.get(minute) ?? 0) + 1);
      if (verdict === 'deny' && namespace === 'prod') expectedDeniedInProd++;
      operations.push({ index: { _index: index, _id: String(seq) } }, { '@timestamp': new Date(ts).toISOString(), verdict, namespace, bytes: seq * 10, seq });
    }
    const bulk = await client.bulk({ operations, refresh: false });
    assert.equal(bulk.errors, false, 'no item rejected');
    assert.equal(bulk.items.length, DOCS);
    await client.indices.refresh({ index });

    const mapping = await client.indices.getMapping({ index });
    assert.equal(mapping[index]?.mappings.properties?.verdict?.type, 'keyword', 'the template supplied the mapping');

    assert.equal((await client.count({ index })).count, DOCS);

    const term = await client.search({ index, size: 0, track_total_hits: true, query: { bool: { filter: [{ term: { verdict: 'deny' } }, { term: { namespace: 'prod' } }] } } });
    assert.equal((term.hits.total as { value: number }).value, expectedDeniedInProd);

    const histogram = await client.search({
      index, size: 0,
      aggs: { per_minute: { date_histogram: { field: '@timestamp', fixed_interval: '1m', min_doc_count: 1 } } },
    });
    const buckets = (histogram.aggregations?.per_minute as { buckets: Array<{ key: number; doc_count: number }> }).buckets;
    assert.equal(buckets.length, expectedPerMinute.size);
    for (const bucket of buckets) assert.equal(bucket.doc_count, expectedPerMinute.get(bucket.key), `minute ${new Date(bucket.key).toISOString()}`);
  });
});
