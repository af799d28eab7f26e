/**
 * A /flows page copied from Elasticsearch's answer bytes must equal the page built by parsing
 * the answer and serialising `{ id, ...source }`: checked on generated documents whose strings
 * carry every character that matters to the byte walk, compact and pretty-printed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFlowSearchAnswer, writeFlowPage } from '../../../src/api/query/flow-page.ts';
import { SeededRandom } from '../../../src/collector/sources/synthetic/seeded-random.ts';
import { JsonExtentError } from '../../../src/runtime/json/json-extent.ts';

interface Hit { _id: string; _index?: string; _score?: number | null; _source?: Record<string, unknown>; sort?: unknown[] }

const TRICKY = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', 'é', '漢', '😀', '"_source":{', '\\"', 'a', 'b'];

function randomString(r: SeededRandom): string {
  let s = '';
  const n = Math.floor(r.next() * 8);
  for (let i = 0; i < n; i++) s += TRICKY[Math.floor(r.next() * TRICKY.length)];
  return s;
}

function randomValue(r: SeededRandom, depth: number): unknown {
  const k = Math.floor(r.next() * (depth > 2 ? 4 : 6));
  if (k === 0) return randomString(r);
  if (k === 1) return Math.floor(r.next() * 1e6) - 5e5;
  if (k === 2) return r.next() < 0.5;
  if (k === 3) return null;
  if (k === 4) return Array.from({ length: Math.floor(r.next() * 3) }, () => randomValue(r, depth + 1));
  return randomObject(r, depth + 1);
}

function randomObject(r: SeededRandom, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = Math.floor(r.next() * 4);
  // Keys that also name answer fields, nested in documents, must not confuse the walk.
  for (let i = 0; i < n; i++) o[['_id', '_source', 'sort', 'hits', randomString(r)][Math.floor(r.next() * 5)] as string] = randomValue(r, depth);
  return o;
}

/** The page as the parsing implementation made it. */
function parsedPage(answer: { hits?: { hits?: Hit[] } }, rest: Record<string, unknown>): unknown {
  return { flows: (answer.hits?.hits ?? []).map((h) => ({ id: h._id, ...(h._source ?? {}) })), ...rest };
}

describe('flow page from answer bytes', () => {
  const rest = { next_cursor: 'c"ursor', total: { value: 3, relation: 'eq' }, range: { from: 'a', to: 'b' } };

  for (let seed = 1; seed <= 40; seed++) {
    it(`equals the parsed page (generated answer ${seed})`, () => {
      const r = new SeededRandom(seed);
      const hits: Hit[] = Array.from({ length: Math.floor(r.next() * 6) }, (_, i) => {
        const hit: Hit = { _index: 'flows-x', _id: `${randomString(r)}-${i}`, _score: null, sort: [Math.floor(r.next() * 1e12), randomString(r)] };
        if (r.next() < 0.9) hit._source = randomObject(r, 0);
        return hit;
      });
      const answer = { pit_id: `pit${randomString(r)}`, took: 3, timed_out: false, _shards: { total: 2, successful: 2, skipped: 0, failed: 0 }, hits: { total: { value: hits.length, relation: 'eq' }, max_score: null, hits } };
      for (const text of [JSON.stringify(answer), JSON.stringify(answer, null, 2)]) {
        const read = readFlowSearchAnswer(Buffer.from(text));
        assert.equal(read.pitId, answer.pit_id);
        assert.deepEqual(read.total, answer.hits.total);
        assert.deepEqual(read.lastSort, hits.at(-1)?.sort);
        assert.equal(read.hits.length, hits.length);
        const page = writeFlowPage(read.hits, rest);
        assert.deepEqual(JSON.parse(page.toString('utf8')), parsedPage(answer, rest));
      }
    });
  }

  it('reads an answer without hits.hits and with a numeric total', () => {
    const read = readFlowSearchAnswer(Buffer.from('{"pit_id":"p","hits":{"total":0}}'));
    assert.deepEqual(read, { pitId: 'p', total: 0, hits: [], lastSort: undefined, timedOut: false, failedShards: 0 });
    assert.deepEqual(JSON.parse(writeFlowPage(read.hits, { next_cursor: null }).toString()), { flows: [], next_cursor: null });
    assert.deepEqual(readFlowSearchAnswer(Buffer.from('{}')), { pitId: undefined, total: undefined, hits: [], lastSort: undefined, timedOut: false, failedShards: 0 });
  });

  it('reports a timed-out answer and failed shards', () => {
    const read = readFlowSearchAnswer(Buffer.from('{"took":5,"timed_out":true,"_shards":{"total":3,"successful":1,"skipped":0,"failed":2,"failures":[{"shard":0}]},"hits":{"hits":[]}}'));
    assert.equal(read.timedOut, true);
    assert.equal(read.failedShards, 2);
  });

  it('writes an empty document as the id alone', () => {
    const read = readFlowSearchAnswer(Buffer.from('{"hits":{"hits":[{"_id":"a","_source":{ }},{"_id":"b"}]}}'));
    assert.equal(writeFlowPage(read.hits, {}).toString(), '{"flows":[{"id":"a"},{"id":"b"}]}');
  });

  const bad: [string, RegExp][] = [
    ['{"hits":{"hits":[{"_id":"a","_source":{"x":1}', /unclosed object: the input ends at byte 45/],
    ['{"hits":{"hits":[{"_source":{}}]}}', /a hit without a string _id at byte 17/],
    ['{"hits":{"hits":[{"_id":7,"_source":{}}]}}', /a hit without a string _id at byte 17/],
    ['{"hits":{"hits":[{"_id":"a","_source":"text"}]}}', /_source is not an object at byte 38/],
    ['{"hits":{"hits":[{"_id":"a","sort":"x"}]}}', /sort is not an array at byte 35/],
    ['{"pit_id":1}', /pit_id is not a string at byte 10/],
    ['[]', /expected an object at byte 0/],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${input}`, () => {
      assert.throws(() => readFlowSearchAnswer(Buffer.from(input)), (err: unknown) => err instanceof JsonExtentError && message.test(err.message));
    });
  }
});
