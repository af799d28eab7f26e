/**
 * Every dead-letter path of the enricher through the real pipeline: bad messages produced with
 * kafkajs to a real raw topic, the real Enricher against the shared Kafka and Elasticsearch, and
 * the dead-letter topic read back — stage, reasons, problems with their field paths and the
 * origin topic/partition/offset (and record) checked exactly, for records that fail validation
 * (one dead letter each, their message's good records indexed), undecodable messages, messages
 * of an unknown schema without a key, and a document Elasticsearch rejects for good.
 *
 * (The enrich-stage path — a valid record the engine refuses — has no input that reaches it
 * once records are validated; the batch processor's unit test runs it with a refusing engine.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IHeaders, Kafka } from 'kafkajs';
import { Enricher } from '../../src/enricher/enricher.ts';
import { parseDeadLetterHeaders, type DeadLetterInfo } from '../../src/enricher/dead-letter.ts';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { segflow } from '../../src/contract/wire/generated/flow.js';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { msToNanos, tcpRecord } from '../harness/flow-records.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';
import { waitForGroupAtTopicEnd } from '../harness/consumer-group-offsets.ts';
import { createPipelineTopics, deleteFlowIndices, deleteTopics } from '../harness/pipeline-resources.ts';

const brokers = requireKafkaBrokers();
const esUrl = requireElasticsearchUrl();
const run = uniqueName('enrdlq');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const group = `${run}-group`;
const now = Date.now();
const PARTITION = 1;
const V1 = { 'segflow-schema': 'segflow.v1.FlowBatch' };

/** A batch as bytes, with records overwritten as a producer skipping the codec's checks could send them. */
function rawBatch(sequence: number, records: FlowRecordData[], overwrite: Record<number, Partial<segflow.v1.FlowRecord.$Properties>> = {}): Buffer {
  const wire = segflow.v1.FlowBatch.decode(encodeFlowBatch({ agentId: 'agent-node-1', bootId: 'boot-dlq', sequence, records, sentTimeUnixNano: msToNanos(now), nodeName: 'node-1' }));
  for (const [i, fields] of Object.entries(overwrite)) Object.assign(wire.records[Number(i)]!, fields);
  return Buffer.from(segflow.v1.FlowBatch.encode(wire).finish());
}

interface DeadLetter {
  readonly info: DeadLetterInfo;
  readonly key: string | null;
  readonly value: Buffer | null;
}

describe('enricher dead letters (real Kafka + Elasticsearch)', () => {
  const kafka: Kafka = createKafka(brokers, 'enricher-dead-letter-test');
  const es = createElasticsearchClient(esUrl);
  let enricher: Enricher | undefined;
  const offsets: Record<'mixed' | 'garbage' | 'v2' | 'immense' | 'good', string> = { mixed: '', garbage: '', v2: '', immense: '', good: '' };
  const deadLetters: DeadLetter[] = [];
  const garbage = Buffer.from('this is not a protobuf FlowBatch');
  let v2Value: Buffer;

  before(async () => {
    await createPipelineTopics(kafka, topics, 2);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = async (key: string | null, value: Buffer, headers?: IHeaders): Promise<string> =>
      (await producer.send({ topic: topics.raw, acks: -1, messages: [{ partition: PARTITION, key, value, ...(headers ? { headers } : {}) }] }))[0]!.baseOffset!;
    // frontend → catalog (valid), then two records a producer should never have sent.
    offsets.mixed = await send('node-1', rawBatch(1, [
      tcpRecord('10.244.1.10', '10.244.1.20', 8080, { sport: 41000, endMs: now }),
      tcpRecord('10.244.1.10', '10.244.1.20', 8080, { sport: 41001, endMs: now }),
      tcpRecord('10.244.1.10', '10.244.1.20', 8080, { sport: 41002, endMs: now }),
    ], {
      1: { startTimeUnixNano: 0, endTimeUnixNano: 1_000_000_000 }, // 1970-01-01T00:00:01Z
      2: { originalBytes: Number.MAX_SAFE_INTEGER, originalPackets: Number.MAX_SAFE_INTEGER, dataplaneVerdict: 7 as segflow.v1.DataplaneVerdict },
    }), V1);
    offsets.garbage = await send('node-1', garbage);
    v2Value = rawBatch(2, [tcpRecord('10.244.1.10', '10.244.1.20', 8080, { sport: 41003, endMs: now })]);
    offsets.v2 = await send(null, v2Value, { 'segflow-schema': 'segflow.v2.FlowBatch' });
    // checkout → payments with a 40 KB rule hint: a keyword term Elasticsearch refuses (> 32,766 bytes).
    const immense = { ...tcpRecord('10.244.1.30', '10.244.1.40', 8443, { endMs: now }), ruleHint: 'x'.repeat(40_000) };
    offsets.immense = await send('node-1', rawBatch(3, [immense]), V1);
    offsets.good = await send('node-1', rawBatch(4, [tcpRecord('10.244.1.10', '10.96.0.20', 80, { replySrc: '10.244.1.20', replySport: 8080, endMs: now })]), V1);
    await producer.disconnect();

    enricher = new Enricher({ brokers, elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory, groupId: group, indexPrefix: prefix, retentionDays: 0, metricsPort: 0 });
    await enricher.start();
    // Everything consumed and committed: every dead letter is acknowledged by then.
    await waitForGroupAtTopicEnd(kafka, group, topics.raw);

    const reader = kafka.consumer({ groupId: `${run}-dlq-reader` });
    await reader.connect();
    await reader.subscribe({ topic: topics.dlq, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => {
      deadLetters.push({ info: parseDeadLetterHeaders(message.headers), key: message.key?.toString() ?? null, value: message.value });
    } });
    await waitForGroupAtTopicEnd(kafka, `${run}-dlq-reader`, topics.dlq);
    await reader.disconnect();
  });

  after(async () => {
    await enricher?.stop();
    await deleteTopics(kafka, Object.values(topics));
    await deleteFlowIndices(es, prefix);
    await es.close();
  });

  const letterAt = (offset: string, record?: number): DeadLetter => {
    const found = deadLetters.filter((d) => d.info.offset === offset && d.info.record === record);
    assert.equal(found.length, 1, `one dead letter for offset ${offset}${record === undefined ? '' : ` record ${record}`}: ${JSON.stringify(deadLetters.map((d) => [d.info.offset, d.info.record, d.info.reason]))}`);
    return found[0]!;
  };

  it('sends exactly five dead letters: two records, two messages and one document', () => {
    assert.equal(deadLetters.length, 5, JSON.stringify(deadLetters.map((d) => [d.info.stage, d.info.offset, d.info.record, d.info.reason])));
  });

  it('dead-letters each invalid record of a message on its own, with every reason and field, and its exact origin', () => {
    const old = letterAt(offsets.mixed, 1);
    assert.deepEqual([old.info.stage, old.info.topic, old.info.partition, old.info.offset, old.info.reason, old.key], ['validate', topics.raw, PARTITION, offsets.mixed, 'time_too_old', 'node-1']);
    assert.deepEqual(old.info.problems.map((p) => `${p.code} ${p.field}`), ['time_too_old records[1].end_time_unix_nano']);
    assert.match(old.info.problems[0]!.message, /^1970-01-01T00:00:01\.000Z is older than the oldest accepted time/);

    const huge = letterAt(offsets.mixed, 2);
    assert.deepEqual([huge.info.stage, huge.info.topic, huge.info.partition, huge.info.offset], ['validate', topics.raw, PARTITION, offsets.mixed]);
    assert.equal(huge.info.reason, 'invalid_field,bytes_exceed_link,packets_exceed_bytes');
    assert.deepEqual(huge.info.problems.map((p) => `${p.code} ${p.field}`), [
      'invalid_field records[2].dataplane_verdict', 'bytes_exceed_link records[2].original_bytes', 'packets_exceed_bytes records[2].original_packets',
    ]);
    assert.equal(huge.info.problemsTotal, 3);
    assert.equal(huge.info.contentType, 'application/x-protobuf');
    // The payload is that record alone, in a batch of its own (its bytes as sent; the codec refuses them).
    const alone = segflow.v1.FlowBatch.decode(huge.value!);
    assert.equal(alone.records.length, 1);
    assert.equal(String(alone.records[0]!.originalBytes), String(Number.MAX_SAFE_INTEGER));
    assert.equal(alone.sequence.toString(), '1');
  });

  it('dead-letters an undecodable message whole, with its bytes untouched', () => {
    const dead = letterAt(offsets.garbage);
    assert.deepEqual([dead.info.stage, dead.info.topic, dead.info.partition, dead.info.offset, dead.info.reason], ['decode', topics.raw, PARTITION, offsets.garbage, 'undecodable']);
    assert.deepEqual(dead.info.problems.map((p) => p.field), ['(message)']);
    assert.ok(dead.value?.equals(garbage));
  });

  it('dead-letters a message of an unknown schema without a key, naming both, undecoded', () => {
    const dead = letterAt(offsets.v2);
    assert.deepEqual([dead.info.stage, dead.info.topic, dead.info.partition, dead.info.offset, dead.info.reason, dead.key], ['validate', topics.raw, PARTITION, offsets.v2, 'missing_key,unknown_schema', null]);
    assert.deepEqual(dead.info.problems.map((p) => p.field), ['(key)', '(header) segflow-schema']);
    assert.equal(dead.info.originalHeaders['segflow-schema'], 'segflow.v2.FlowBatch');
    assert.ok(dead.value?.equals(v2Value));
  });

  it('dead-letters the document Elasticsearch rejects for good, with the offset its records came from', () => {
    const dead = letterAt(offsets.immense);
    assert.deepEqual([dead.info.stage, dead.info.topic, dead.info.partition, dead.info.offset, dead.info.reason, dead.info.contentType], ['index', topics.raw, PARTITION, offsets.immense, 'index_rejected', 'application/json']);
    assert.match(dead.info.problems[0]!.message, /Elasticsearch rejected the document for .* \(400 [a-z_]+\): .*immense term.*segflow\.observed\.rule_hint/s);
    const document = JSON.parse(dead.value!.toString()) as FlowDocument;
    assert.equal(dead.key, document.event.id);
    assert.equal(document.segflow.observed?.rule_hint?.length, 40_000);
    assert.deepEqual(document.segflow.aggregation?.batches, ['agent-node-1/boot-dlq/3']);
  });

  it('indexes the good records of the same messages, and nothing of the rejected ones', async () => {
    await es.indices.refresh({ index: `${prefix}-*` });
    const docs = (await es.search<FlowDocument>({ index: `${prefix}-*`, size: 100 })).hits.hits.map((h) => h._source!);
    const summary = docs.map((d) => `${d.segflow.source.aggregated_name} → ${d.segflow.destination.aggregated_name} ${d.segflow.aggregation?.records} ${d.segflow.aggregation?.batches?.join(',')}`).sort();
    assert.deepEqual(summary, [
      'frontend-7d9c5b-* → catalog-5f8b7c-* 1 agent-node-1/boot-dlq/1',
      'frontend-7d9c5b-* → catalog-5f8b7c-* 1 agent-node-1/boot-dlq/4',
    ].sort());
    const indices = Object.keys(await es.indices.get({ index: `${prefix}-*` }));
    assert.ok(!indices.some((i) => i.endsWith('1970.01.01')), `no index for 1970: ${indices.join(', ')}`);
  });

  it('counts every rejection by reason', async () => {
    const values = async (name: string) => Object.fromEntries(((await enricher!.registry.getSingleMetric(name)?.get())?.values ?? []).map((v) => [String(v.labels.reason ?? v.labels.stage ?? v.labels.result), v.value]));
    assert.deepEqual(await values('segflow_enricher_rejected_records_total'), { time_too_old: 1, invalid_field: 1, bytes_exceed_link: 1, packets_exceed_bytes: 1 });
    assert.deepEqual(await values('segflow_enricher_rejected_messages_total'), { undecodable: 1, missing_key: 1, unknown_schema: 1 });
    assert.deepEqual(await values('segflow_enricher_dead_letters_total'), { validate: 3, decode: 1, index: 1 });
    const messages = await values('segflow_enricher_messages_total');
    assert.deepEqual(messages, { ok: 3, dead_letter: 2 });
  });
});
