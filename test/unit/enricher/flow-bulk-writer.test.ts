/**
 * FlowBulkWriter's retry and settle logic against an injected `bulk` function (the real
 * Elasticsearch path is covered by test/integration/enricher-elasticsearch.test.ts). The fake
 * answers per document id and attempt, like Elasticsearch's per-item bulk results.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { estypes } from '@elastic/elasticsearch';
import { Registry } from 'prom-client';
import {
  FlowBulkIncompleteError,
  FlowBulkWriter,
  type BulkRequestFunction,
  type FlowBulkItem,
  type FlowBulkWriterOptions,
} from '../../../src/enricher/elasticsearch/flow-bulk-writer.ts';

type Doc = { n: number };
type ItemAnswer = number | { status: number; error: estypes.ErrorCause };
type RequestAnswer = { throw: unknown } | undefined;

const MAPPING_ERROR: estypes.ErrorCause = {
  type: 'document_parsing_exception',
  reason: "[1:7] failed to parse field [segflow.flows.count] of type [long] in document with id 'c'",
  caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "many"' },
};

function fakeBulk(answer: (id: string, attempt: number) => ItemAnswer, request: (call: number) => RequestAnswer = () => undefined) {
  const calls: Array<{ ids: string[]; operations: string[] }> = [];
  const attempts = new Map<string, number>();
  const bulk: BulkRequestFunction = async (operations) => {
    const ids: string[] = [];
    for (let i = 0; i < operations.length; i += 2) {
      const action = JSON.parse(operations[i] as string) as { index: { _index: string; _id: string } };
      JSON.parse(operations[i + 1] as string); // every source line is valid JSON
      ids.push(action.index._id);
    }
    calls.push({ ids, operations });
    const forced = request(calls.length);
    if (forced) throw forced.throw;
    const items = ids.map((id) => {
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const a = answer(id, attempt);
      const status = typeof a === 'number' ? a : a.status;
      const error = typeof a === 'number' ? (status >= 300 ? { type: status === 429 ? 'es_rejected_execution_exception' : 'unavailable_shards_exception', reason: `status ${status}` } : undefined) : a.error;
      return { index: { _index: 'i', _id: id, status, ...(error ? { error } : { result: 'created' }) } };
    });
    return { took: 1, errors: items.some((i) => i.index.status >= 300), items };
  };
  return { bulk, calls };
}

function items(...ids: string[]): FlowBulkItem<Doc>[] {
  return ids.map((id, n) => ({ id, index: 'segflow-flows-2026.11.27', document: { n } }));
}

function writer(bulk: BulkRequestFunction, extra: Partial<FlowBulkWriterOptions> = {}) {
  const sleeps: number[] = [];
  const registry = new Registry();
  const w = new FlowBulkWriter<Doc>({
    bulk, registry, random: () => 0.5, initialBackoffMs: 100, maxBackoffMs: 1000, maxAttempts: 5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { w, sleeps, registry };
}

/** Sum of a counter's or gauge's values with the given labels. */
async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  return (m?.values ?? []).filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val)).reduce((s, v) => s + v.value, 0);
}

/** Observations of a histogram with the given `result` label. */
async function histogramCount(registry: Registry, name: string, result: string): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  return (m?.values ?? []).filter((v) => (v as { metricName?: string }).metricName === `${name}_count` && v.labels.result === result).reduce((s, v) => s + v.value, 0);
}

describe('FlowBulkWriter', () => {
  it('writes conditions as create / if_seq_no, reports conditional 409s as conflicts and the versions given', async () => {
    const actions: unknown[] = [];
    const bulk: BulkRequestFunction = async (operations) => {
      const answers = [];
      for (let i = 0; i < operations.length; i += 2) {
        const action = JSON.parse(operations[i] as string) as Record<string, { _id: string }>;
        actions.push(action);
        const [op, meta] = Object.entries(action)[0]!;
        const conflict = meta._id === 'taken' || meta._id === 'plain-409';
        answers.push({ [op]: conflict
          ? { _index: 'i', _id: meta._id, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${meta._id}]: version conflict` } }
          : { _index: 'i', _id: meta._id, status: 201, result: 'created', _seq_no: 7 + i, _primary_term: 2 } });
      }
      return { took: 1, errors: answers.some((a) => Object.values(a)[0]!.status >= 300), items: answers as estypes.BulkResponse['items'] };
    };
    const { w } = writer(bulk);
    const batch: FlowBulkItem<Doc>[] = [
      { id: 'new', index: 'x', document: { n: 1 }, condition: { create: true } },
      { id: 'known', index: 'x', document: { n: 2 }, condition: { ifSeqNo: 3, ifPrimaryTerm: 1 } },
      { id: 'taken', index: 'x', document: { n: 3 }, condition: { create: true } },
      { id: 'plain-409', index: 'x', document: { n: 4 } },
    ];
    const result = await w.write(batch);
    assert.deepEqual(actions, [
      { create: { _index: 'x', _id: 'new' } },
      { index: { _index: 'x', _id: 'known', if_seq_no: 3, if_primary_term: 1 } },
      { create: { _index: 'x', _id: 'taken' } },
      { index: { _index: 'x', _id: 'plain-409' } },
    ]);
    assert.equal(result.indexed, 2);
    assert.deepEqual(result.conflicts.map((c) => c.id), ['taken'], 'a failed condition is a conflict for the caller to merge');
    assert.deepEqual(result.rejected.map((r) => [r.item.id, r.status]), [['plain-409', 409]], 'a 409 without a condition is not expected: rejected with the reason');
    assert.deepEqual([...result.versions], [['new', { seqNo: 7, primaryTerm: 2 }], ['known', { seqNo: 9, primaryTerm: 2 }]]);
  });

  it('one request per batch when everything is indexed', async () => {
    const { bulk, calls } = fakeBulk(() => 201);
    const { w, registry } = writer(bulk);
    const result = await w.write(items('a', 'b', 'c'));
    assert.deepEqual(result, { indexed: 3, rejected: [], conflicts: [], versions: new Map(), requests: 1, retries: 0 });
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.ids, ['a', 'b', 'c']);
    assert.equal(calls[0]?.operations[0], '{"index":{"_index":"segflow-flows-2026.11.27","_id":"a"}}');
    assert.equal(await metric(registry, 'segflow_es_documents_indexed_total'), 3);
    assert.equal(await histogramCount(registry, 'segflow_es_bulk_request_duration_seconds', 'ok'), 1);
  });

  it('retries a 429 item until it is indexed, with backoff, resending only that item', async () => {
    const { bulk, calls } = fakeBulk((id, attempt) => (id === 'b' && attempt < 3 ? 429 : 201));
    const { w, sleeps, registry } = writer(bulk);
    const result = await w.write(items('a', 'b', 'c'));
    assert.equal(result.indexed, 3);
    assert.equal(result.requests, 3);
    assert.equal(result.retries, 2);
    assert.deepEqual(calls.map((c) => c.ids), [['a', 'b', 'c'], ['b'], ['b']]);
    assert.deepEqual(sleeps, [75, 150], 'exponential, with equal jitter (random 0.5 → 3/4 of nominal)');
    assert.equal(await metric(registry, 'segflow_es_documents_retried_total', { cause: '429' }), 2);
    assert.equal(await metric(registry, 'segflow_es_documents_indexed_total'), 3);
    assert.equal(await histogramCount(registry, 'segflow_es_bulk_request_duration_seconds', 'item_errors'), 2);
    assert.equal(await histogramCount(registry, 'segflow_es_bulk_request_duration_seconds', 'ok'), 1);
  });

  it('retries 5xx items (shard unavailable) until indexed', async () => {
    const { bulk, calls } = fakeBulk((id, attempt) => (attempt === 1 && id !== 'a' ? 503 : 200));
    const { w } = writer(bulk);
    const result = await w.write(items('a', 'b', 'c'));
    assert.deepEqual(result, { indexed: 3, rejected: [], conflicts: [], versions: new Map(), requests: 2, retries: 2 });
    assert.deepEqual(calls[1]?.ids, ['b', 'c']);
  });

  it('returns a mapping error as rejected, with Elasticsearch\'s reason, without retrying it', async () => {
    const { bulk, calls } = fakeBulk((id) => (id === 'c' ? { status: 400, error: MAPPING_ERROR } : 201));
    const { w, registry } = writer(bulk);
    const result = await w.write(items('a', 'b', 'c'));
    assert.equal(result.indexed, 2);
    assert.equal(calls.length, 1);
    assert.equal(result.rejected.length, 1);
    const [rejection] = result.rejected;
    assert.equal(rejection?.item.id, 'c');
    assert.deepEqual(rejection?.item.document, { n: 2 });
    assert.equal(rejection?.status, 400);
    assert.equal(rejection?.errorType, 'document_parsing_exception');
    assert.match(rejection?.reason ?? '', /failed to parse field \[segflow\.flows\.count\].*caused by illegal_argument_exception: For input string: "many"/);
    assert.equal(await metric(registry, 'segflow_es_documents_rejected_total', { error_type: 'document_parsing_exception' }), 1);
    assert.equal(await metric(registry, 'segflow_es_documents_indexed_total'), 2);
  });

  it('settles a mixed batch: indexed, retried then indexed, rejected', async () => {
    const strict = { status: 400, error: { type: 'strict_dynamic_mapping_exception', reason: '[1:2] mapping set to strict, dynamic introduction of [bogus] within [_doc] is not allowed' } };
    const { bulk, calls } = fakeBulk((id, attempt) => {
      if (id === 'r429') return attempt < 2 ? 429 : 201;
      if (id === 'r500') return attempt < 3 ? 500 : 200;
      if (id === 'bad') return strict;
      if (id === 'bad-later') return attempt < 2 ? 503 : { status: 400, error: MAPPING_ERROR };
      return 201;
    });
    const { w } = writer(bulk);
    const result = await w.write(items('ok1', 'r429', 'bad', 'r500', 'bad-later', 'ok2'));
    assert.equal(result.indexed, 4);
    assert.deepEqual(result.rejected.map((r) => [r.item.id, r.errorType, r.attempts]), [
      ['bad', 'strict_dynamic_mapping_exception', 1],
      ['bad-later', 'document_parsing_exception', 2],
    ]);
    assert.deepEqual(calls.map((c) => c.ids), [['ok1', 'r429', 'bad', 'r500', 'bad-later', 'ok2'], ['r429', 'r500', 'bad-later'], ['r500']]);
    assert.equal(result.indexed + result.rejected.length, 6, 'every item settled');
  });

  it('retries the whole request after a transport error or a 5xx/429 answer to the request', async () => {
    const connection = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), { name: 'ConnectionError' });
    const unavailable = Object.assign(new Error('Response Error'), { name: 'ResponseError', statusCode: 503 });
    const { bulk, calls } = fakeBulk(() => 201, (call) => (call === 1 ? { throw: connection } : call === 2 ? { throw: unavailable } : undefined));
    const { w, registry } = writer(bulk);
    const result = await w.write(items('a', 'b'));
    assert.deepEqual(result, { indexed: 2, rejected: [], conflicts: [], versions: new Map(), requests: 3, retries: 4 });
    assert.deepEqual(calls.map((c) => c.ids), [['a', 'b'], ['a', 'b'], ['a', 'b']]);
    assert.equal(await metric(registry, 'segflow_es_documents_retried_total', { cause: 'transport' }), 2);
    assert.equal(await metric(registry, 'segflow_es_documents_retried_total', { cause: '5xx' }), 2);
  });

  it('fails the write (never dead-letters the batch) when the request itself is refused with a 4xx', async () => {
    const unauthorized = Object.assign(new Error('security_exception'), { statusCode: 401 });
    const { bulk, calls } = fakeBulk(() => 201, () => ({ throw: unauthorized }));
    const { w } = writer(bulk);
    const error = await w.write(items('a', 'b')).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof FlowBulkIncompleteError);
    assert.equal(error.reason, 'request_rejected');
    assert.deepEqual(error.unsettled.map((u) => u.item.id), ['a', 'b']);
    assert.match(error.unsettled[0]?.lastError ?? '', /HTTP 401/);
    assert.equal(calls.length, 1);
  });

  it('reports items still failing when the retry limit is reached, with what did settle', async () => {
    const { bulk, calls } = fakeBulk((id) => (id === 'stuck' ? 429 : id === 'bad' ? { status: 400, error: MAPPING_ERROR } : 201));
    const { w, registry } = writer(bulk, { maxAttempts: 4 });
    const error = await w.write(items('a', 'stuck', 'bad')).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof FlowBulkIncompleteError, 'write rejects: the caller cannot commit by accident');
    assert.equal(error.reason, 'retries_exhausted');
    assert.equal(calls.length, 4);
    assert.deepEqual(error.unsettled.map((u) => [u.item.id, u.status, u.attempts]), [['stuck', 429, 4]]);
    assert.match(error.unsettled[0]?.lastError ?? '', /es_rejected_execution_exception/);
    assert.equal(error.indexed, 1);
    assert.deepEqual(error.rejected.map((r) => r.item.id), ['bad'], 'permanent rejections still reach the caller');
    assert.equal(await metric(registry, 'segflow_es_documents_unsettled_total', { reason: 'retries_exhausted' }), 1);
    assert.deepEqual(w.pressure(), { items: 0, bytes: 0, batches: 0, saturated: false }, 'nothing left in flight');
  });

  it('gives up at the deadline instead of sleeping past it', async () => {
    let clock = 0;
    const { bulk, calls } = fakeBulk(() => 503);
    const { w } = writer(bulk, {
      deadlineMs: 1000, maxAttempts: 100, now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const error = await w.write(items('a')).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof FlowBulkIncompleteError);
    assert.equal(error.reason, 'deadline_exceeded');
    assert.ok(clock <= 1000, `stayed within the deadline (${clock} ms)`);
    assert.ok(calls.length >= 3);
  });

  it('stops retrying when aborted', async () => {
    const controller = new AbortController();
    const { bulk } = fakeBulk(() => 429);
    const { w } = writer(bulk, {
      sleep: async () => {
        controller.abort(new Error('shutting down'));
        throw new Error('aborted');
      },
    });
    const error = await w.write(items('a'), { signal: controller.signal }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof FlowBulkIncompleteError);
    assert.equal(error.reason, 'aborted');
    assert.deepEqual(error.unsettled.map((u) => u.item.id), ['a']);
  });

  it('backs off exponentially up to the cap', () => {
    const { w } = writer(fakeBulk(() => 201).bulk, { random: () => 0 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((r) => w.backoffMs(r)), [50, 100, 200, 400, 500, 500]);
    const { w: high } = writer(fakeBulk(() => 201).bulk, { random: () => 0.999999 });
    assert.ok(high.backoffMs(6) <= 1000);
  });

  it('reports in-flight items and bytes, and signals saturation while a batch is held', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = fakeBulk(() => 201);
    const bulk: BulkRequestFunction = async (operations, signal) => {
      await gate;
      return inner.bulk(operations, signal);
    };
    const { w, registry } = writer(bulk, { highWaterMarkItems: 2 });
    const changes: boolean[] = [];
    w.onPressureChange((p) => changes.push(p.saturated));
    const writing = w.write(items('a', 'b', 'c'));
    const during = w.pressure();
    assert.equal(during.items, 3);
    assert.equal(during.batches, 1);
    assert.ok(during.bytes > 3 * 40, `bytes counted (${during.bytes})`);
    assert.equal(during.saturated, true);
    assert.equal(await metric(registry, 'segflow_es_bulk_in_flight_items'), 3);
    release();
    await writing;
    assert.deepEqual(w.pressure(), { items: 0, bytes: 0, batches: 0, saturated: false });
    assert.deepEqual(changes, [true, false]);
    assert.equal(await metric(registry, 'segflow_es_bulk_in_flight_bytes'), 0);
  });

  it('two writers can share one registry', () => {
    const registry = new Registry();
    const { bulk } = fakeBulk(() => 201);
    new FlowBulkWriter({ bulk, registry });
    assert.doesNotThrow(() => new FlowBulkWriter({ bulk, registry }));
  });
});
