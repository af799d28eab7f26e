/**
 * Pipeline benchmark (`npm run bench -- pipeline`), issue 4 "Benchmark". Every figure is a
 * ratio against a baseline measured in the same run, because this machine is small and shared.
 *
 * Input: synthetic traffic from the demo shop inventory (`examples/shop`), several agents, in
 * FlowBatch messages of 2000 records — what `segflow collect --source synthetic` publishes.
 *
 * 1. In process: records/s through decode + enrich + aggregate + document build/merge
 *    (FlowBatchProcessor with in-memory storage, messages handed over in fetch-sized groups)
 *    against decode alone, in interleaved rounds. `enrichVsDecode` is the median of the rounds'
 *    own ratios (each round's two runs see the same machine load); the ratio of the two medians
 *    is reported beside it. Each timed phase starts after a full GC. Target `enrichVsDecode` ≥ 0.5.
 * 2. End to end: the batches are produced to a fresh raw topic (as the collector sends them),
 *    then an `Enricher` (unique group, topics and index prefix) drains that backlog; the clock
 *    starts at its group join and stops when the group's committed offsets reach the end of
 *    every partition — the enricher commits only after Elasticsearch acknowledged every
 *    document, so that is "everything indexed". The baseline is a plain bulk load of the same
 *    documents (read back from the enricher's indices) into other indices with the same
 *    template, in requests of the size the enricher sent. Before either, Elasticsearch indexes
 *    the in-process run's documents once into a throwaway index, so neither pays its warm-up.
 *    The enricher runs with its default settings; the agents' node names (the message keys)
 *    spread evenly over the raw topic's partitions (balancedNodeNames).
 *    Target `e2eVsPlainBulk` ≥ 0.8. The end-to-end run aggregates at level 0 (full 5-tuple):
 *    at the default levels a whole window of a workload pair collapses into one document, which
 *    leaves Elasticsearch almost nothing to do and makes a bulk-load baseline meaningless.
 *
 * Sizes: SEGFLOW_BENCH_PIPELINE_RECORDS (default 120 000 records). Services: KAFKA_BROKERS and
 * ELASTICSEARCH_URL (default the dev services). Writes bench/results/pipeline.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Client } from '@elastic/elasticsearch';
import { CompressionTypes, Partitioners, type Admin } from 'kafkajs';
import { deriveTrafficPlan } from '../src/collector/sources/synthetic/synthetic-traffic-plan.ts';
import { SyntheticTrafficGenerator } from '../src/collector/sources/synthetic/synthetic-traffic-model.ts';
import type { FlowDocument } from '../src/contract/flow-fields.ts';
import { bulkRequestFromClient } from '../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { installFlowIndexTemplate } from '../src/enricher/elasticsearch/flow-index-template.ts';
import { Enricher } from '../src/enricher/enricher.ts';
import { DEFAULT_ENRICHER_CONFIG } from '../src/enricher/enricher-config.ts';
import { FlowBatchProcessor, type RawMessage } from '../src/enricher/flow-batch-processor.ts';
import { MemoryFlowStorage } from '../src/enricher/memory-flow-storage.ts';
import { SequenceTracker } from '../src/enricher/sequence-tracker.ts';
import { DEFAULT_AGGREGATION, type AggregationConfig } from '../src/enricher/transform/flow-aggregation.ts';
import { enrichmentInventoryOf } from '../src/enricher/transform/inventory-adapter.ts';
import { Inventory } from '../src/inventory/inventory.ts';
import { loadResourcePaths } from '../src/inventory/loader/load-files.ts';
import type { Resource } from '../src/inventory/model/resources.ts';
import { publishInventory } from '../src/inventory/topic/inventory-publisher.ts';
import { readResourceDocuments } from '../src/inventory/topic/resource-documents.ts';
import { decodeFlowBatch, encodeFlowBatch, type FlowRecordData } from '../src/contract/wire/flow-batch-codec.ts';
import { createElasticsearchClient } from '../src/runtime/elasticsearch-client.ts';
import { createKafka } from '../src/runtime/kafka-client.ts';
import { fullGc } from './gc.ts';
import { elasticsearchCpuMs } from './cpu-time.ts';

const here = dirname(fileURLToPath(import.meta.url));
const INVENTORY_PATH = join(here, '..', 'examples', 'shop');
const RECORDS_PER_BATCH = 2000;
const AGENTS = 6;
const RAW_PARTITIONS = 3;
/** Messages per processor call in process: about what one Kafka fetch of a partition hands over. */
const MESSAGES_PER_FETCH = 8;
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const IN_PROCESS_ROUNDS = 7;
const LEVEL_0: AggregationConfig = { windowMs: DEFAULT_AGGREGATION.windowMs, allowedLevel: 0, deniedLevel: 0 };
const E2E_TIMEOUT_MS = 10 * 60_000;
const E2E_STALL_MS = 90_000;
interface BenchInput {
  readonly messages: RawMessage[];
  readonly records: number;
  readonly encodedBytes: number;
}

// Records are an hour old: inside today's or yesterday's daily index, far from any window still open.
const benchStartMs = Date.now() - 3_600_000;

/**
 * Node names for the bench agents that the producer's default partitioner (murmur2 of the key,
 * as the collector keys by node) spreads evenly over the raw topic's partitions. With the first
 * six plain names, five would land on one partition and leave the enricher's per-partition
 * concurrency idle: the bench measures the enricher, not how six names happen to hash.
 */
export function balancedNodeNames(count: number, partitions: number): string[] {
  const partitionOf = Partitioners.DefaultPartitioner();
  const metadata = { topic: 'bench', partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] })) };
  const perPartition = new Array<number>(partitions).fill(0);
  const names: string[] = [];
  for (let n = 1; names.length < count; n++) {
    const name = `bench-node-${n}`;
    const partition = partitionOf({ ...metadata, message: { key: Buffer.from(name), value: null } });
    if ((perPartition[partition] ?? 0) < Math.ceil(count / partitions)) {
      perPartition[partition] = (perPartition[partition] ?? 0) + 1;
      names.push(name);
    }
  }
  return names;
}

/** Synthetic batches of `AGENTS` agents, interleaved the way they would reach the topic. */
export function buildMessages(resources: readonly Resource[], totalRecords: number): BenchInput {
  const plan = deriveTrafficPlan(resources);
  const perAgent = Math.ceil(totalRecords / AGENTS);
  const agentBatches: Buffer[][] = [];
  let records = 0;
  let encodedBytes = 0;
  const nodeNames = balancedNodeNames(AGENTS, RAW_PARTITIONS);
  for (let agent = 1; agent <= AGENTS; agent++) {
    const nodeName = nodeNames[agent - 1]!;
    const generator = new SyntheticTrafficGenerator(plan, { nodeName, seed: 20_261_127 + agent, connectionsPerSecond: 300, denyShare: 0.1, startTimeMs: benchStartMs });
    const produced: FlowRecordData[] = [];
    for (let t = benchStartMs + 1000; produced.length < perAgent; t += 1000) produced.push(...generator.advanceTo(t));
    produced.length = perAgent;
    const batches: Buffer[] = [];
    for (let i = 0, sequence = 1; i < produced.length; i += RECORDS_PER_BATCH, sequence++) {
      const slice = produced.slice(i, i + RECORDS_PER_BATCH);
      const lastEnd = slice[slice.length - 1]!.endTimeUnixNano;
      const bytes = encodeFlowBatch({ agentId: nodeName, bootId: `bench-boot-${agent}`, sequence, records: slice, sentTimeUnixNano: lastEnd, nodeName }, { maxBytes: MAX_MESSAGE_BYTES });
      batches.push(Buffer.from(bytes));
      records += slice.length;
      encodedBytes += bytes.length;
    }
    agentBatches.push(batches);
  }
  const messages: RawMessage[] = [];
  for (let i = 0; messages.length < agentBatches.reduce((n, b) => n + b.length, 0); i++) {
    for (const [agent, batches] of agentBatches.entries()) {
      const value = batches[i];
      if (value) messages.push({ partition: 0, offset: String(messages.length), key: Buffer.from(nodeNames[agent]!), value });
    }
  }
  return { messages, records, encodedBytes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function decodeAll(messages: readonly RawMessage[]): number {
  let records = 0;
  for (const m of messages) records += decodeFlowBatch(m.value!, { maxBytes: MAX_MESSAGE_BYTES }).records.length;
  return records;
}

/** decode + enrich + aggregate + build/merge documents, storage in memory (as Elasticsearch would hold them). */
export async function enrichAll(messages: readonly RawMessage[], inventory: Inventory, aggregation: AggregationConfig): Promise<{ records: number; documents: number; storage: MemoryFlowStorage }> {
  const storage = new MemoryFlowStorage({ copy: false });
  const processor = new FlowBatchProcessor(
    { topic: 'bench.raw', indexPrefix: 'bench-flows', aggregation, maxMessageBytes: MAX_MESSAGE_BYTES },
    enrichmentInventoryOf(inventory),
    new SequenceTracker(),
    storage,
  );
  let records = 0;
  for (let i = 0; i < messages.length; i += MESSAGES_PER_FETCH) {
    const result = await processor.process(messages.slice(i, i + MESSAGES_PER_FETCH));
    if (result.deadLetters.length > 0) throw new Error(`in-process run dead-lettered ${result.deadLetters.length} messages`);
    records += result.records;
  }
  return { records, documents: storage.documents.size, storage };
}

/**
 * Loads documents with plain `index` operations, `perRequest` to a request, one request at a
 * time; throws on the first item Elasticsearch refuses.
 */
async function plainBulkLoad<T>(es: Client, docs: readonly T[], perRequest: number, target: (doc: T, i: number) => { index: string; id: string; source: unknown }, what: string): Promise<void> {
  const bulk = bulkRequestFromClient(es);
  for (let i = 0; i < docs.length; i += perRequest) {
    const operations: string[] = [];
    for (let k = i; k < Math.min(i + perRequest, docs.length); k++) {
      const t = target(docs[k]!, k);
      operations.push(JSON.stringify({ index: { _index: t.index, _id: t.id } }), JSON.stringify(t.source));
    }
    const response = await bulk(operations);
    if (response.errors) throw new Error(`${what}: ${JSON.stringify(response.items.find((it) => it.index?.error)?.index?.error)}`);
  }
}

/**
 * Elasticsearch compiles its indexing path as it runs: without this, whichever load comes first
 * (the enricher's) would pay for the warm-up and the plain bulk that follows would not. The
 * documents the in-process level-0 run built are loaded once into a throwaway index.
 */
async function warmUpElasticsearch(es: Client, prefix: string, documents: readonly FlowDocument[]): Promise<number> {
  await installFlowIndexTemplate(es, { prefix });
  const started = performance.now();
  await plainBulkLoad(es, documents, 1000, (doc, i) => ({ index: `${prefix}-warmup`, id: String(i), source: doc }), 'warm-up bulk load');
  const seconds = (performance.now() - started) / 1000;
  // Gone before the timed loads, so its merges do not run during them.
  await es.indices.delete({ index: `${prefix}-warmup` });
  return seconds;
}

async function measureInProcess(input: BenchInput, inventory: Inventory) {
  // Warm-up: JIT, the verdict cache, the inventory's lazily built plans.
  // Decode keeps getting faster over its first passes (JIT): warm it as long as the rest.
  for (let i = 0; i < 3; i++) decodeAll(input.messages);
  await enrichAll(input.messages, inventory, DEFAULT_AGGREGATION);
  await enrichAll(input.messages, inventory, LEVEL_0);
  const decodeRates: number[] = [];
  const enrichRates: number[] = [];
  const enrichLevel0Rates: number[] = [];
  let documentsDefault = 0;
  let documentsLevel0 = 0;
  // Each timed phase starts from a collected heap: otherwise the level-0 run's garbage (tens of
  // thousands of documents) is collected during whichever phase comes next.
  const gc = fullGc();
  for (let round = 0; round < IN_PROCESS_ROUNDS; round++) {
    gc();
    let t = performance.now();
    const decoded = decodeAll(input.messages);
    decodeRates.push(decoded / ((performance.now() - t) / 1000));

    gc();
    t = performance.now();
    const enriched = await enrichAll(input.messages, inventory, DEFAULT_AGGREGATION);
    enrichRates.push(enriched.records / ((performance.now() - t) / 1000));
    documentsDefault = enriched.documents;

    gc();
    t = performance.now();
    const level0 = await enrichAll(input.messages, inventory, LEVEL_0);
    enrichLevel0Rates.push(level0.records / ((performance.now() - t) / 1000));
    documentsLevel0 = level0.documents;
    if (decoded !== input.records || enriched.records !== input.records || level0.records !== input.records) {
      throw new Error(`record count mismatch: input ${input.records}, decoded ${decoded}, enriched ${enriched.records}/${level0.records}`);
    }
  }
  const stats = {
    decodeOnlyPerSec: Math.round(median(decodeRates)),
    enrichPerSec: Math.round(median(enrichRates)),
    enrichLevel0PerSec: Math.round(median(enrichLevel0Rates)),
    documentsDefaultAggregation: documentsDefault,
    documentsLevel0: documentsLevel0,
    rounds: { decode: decodeRates.map(Math.round), enrich: enrichRates.map(Math.round), enrichLevel0: enrichLevel0Rates.map(Math.round) },
  };
  // One more level-0 run, after the timed ones (its documents would burden their heap): these
  // documents warm Elasticsearch up before the end-to-end run.
  const level0Documents = [...(await enrichAll(input.messages, inventory, LEVEL_0)).storage.documents.values()].map((d) => d.document);
  return { stats, level0Documents };
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Messages between the group's committed offsets and the end of each partition. */
async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const committedByPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  let lag = 0n;
  for (const p of ends) {
    const at = committedByPartition.get(p.partition) ?? -1n;
    lag += BigInt(p.high) - (at < 0n ? BigInt(p.low) : at);
  }
  return Number(lag);
}

/** Every document under an index pattern, with its index and id, in pages. */
async function readAllDocuments(es: Client, pattern: string): Promise<Array<{ index: string; id: string; source: FlowDocument }>> {
  const out: Array<{ index: string; id: string; source: FlowDocument }> = [];
  let after: Array<string | number> | undefined;
  for (;;) {
    const page = await es.search<FlowDocument>({ index: pattern, size: 5000, sort: [{ 'event.id': 'asc' }], query: { match_all: {} }, ...(after ? { search_after: after } : {}) });
    for (const hit of page.hits.hits) out.push({ index: hit._index, id: hit._id!, source: hit._source! });
    if (page.hits.hits.length < 5000) return out;
    after = page.hits.hits[page.hits.hits.length - 1]!.sort as Array<string | number>;
  }
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

const round3 = (x: number): number => Number(x.toFixed(3));

async function sumRecords(es: Client, pattern: string): Promise<{ documents: number; records: number }> {
  await es.indices.refresh({ index: pattern });
  const response = await es.search({ index: pattern, size: 0, track_total_hits: true, aggs: { records: { sum: { field: 'segflow.aggregation.records' } } } });
  const total = response.hits.total;
  const aggs = response.aggregations as { records: { value: number } };
  return { documents: typeof total === 'number' ? total : (total?.value ?? 0), records: aggs.records.value };
}

function metricTotal(json: Array<{ name: string; values: Array<{ value: number; metricName?: string; labels: Record<string, unknown> }> }>, name: string, metricName?: string): number {
  const metric = json.find((m) => m.name === name);
  return (metric?.values ?? []).filter((v) => metricName === undefined || v.metricName === metricName).reduce((n, v) => n + v.value, 0);
}

async function measureEndToEnd(input: BenchInput, brokers: string, elasticsearchUrl: string, warmUpDocuments: readonly FlowDocument[]) {
  const id = `${process.pid}-${Date.now().toString(36)}`;
  const names = {
    rawTopic: `bench-pipeline-raw-${id}`,
    deadLetterTopic: `bench-pipeline-dlq-${id}`,
    inventoryTopic: `bench-pipeline-inventory-${id}`,
    groupId: `bench-pipeline-${id}`,
    indexPrefix: `bench-pipeline-${id}-e2e`,
    plainPrefix: `bench-pipeline-${id}-plain`,
    warmUpPrefix: `bench-pipeline-${id}-warmup`,
  };
  const kafka = createKafka(brokers, `bench-pipeline-${id}`);
  const admin = kafka.admin();
  const es = createElasticsearchClient(elasticsearchUrl);
  await admin.connect();
  let enricher: Enricher | undefined;
  let warmUpSeconds: number;
  try {
    warmUpSeconds = await warmUpElasticsearch(es, names.warmUpPrefix, warmUpDocuments);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: names.rawTopic, numPartitions: RAW_PARTITIONS }, { topic: names.deadLetterTopic, numPartitions: 1 }] });
    const { documents, issues } = await readResourceDocuments([INVENTORY_PATH]);
    if (issues.some((i) => i.severity === 'error')) throw new Error(`demo inventory: ${issues.map((i) => i.message).join('; ')}`);
    await publishInventory(kafka, names.inventoryTopic, documents);

    // The backlog is in Kafka before the enricher starts: what is measured is the enricher
    // draining it into Elasticsearch, timed from its group join. (Produced while it ran, the
    // producer's gzip work would share the enricher's thread here, which agents on other nodes
    // never do.) The collector's settings: acks=all, gzip, key = node, one batch per send.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const produceStarted = performance.now();
    for (const m of input.messages) {
      await producer.send({ topic: names.rawTopic, acks: -1, compression: CompressionTypes.GZIP, messages: [{ key: m.key, value: m.value }] });
    }
    const produceSeconds = (performance.now() - produceStarted) / 1000;
    await producer.disconnect();

    enricher = new Enricher({
      brokers, elasticsearchUrl, rawTopic: names.rawTopic, rawTopicPartitions: RAW_PARTITIONS, deadLetterTopic: names.deadLetterTopic,
      inventoryTopic: names.inventoryTopic, groupId: names.groupId, indexPrefix: names.indexPrefix, retentionDays: 0, metricsPort: 0, aggregation: LEVEL_0,
    });
    await enricher.start();
    if (enricher.inventory.revision === 0) throw new Error('the enricher started without the inventory');
    const started = await enricher.joined;
    const cpuAtStart = { enricher: process.cpuUsage(), elasticsearch: await elasticsearchCpuMs(es) };
    // Fail fast (with the lag) when the enricher stops making progress, e.g. a bulk request
    // Elasticsearch refuses for good, which the enricher retries forever by design.
    let lastLag = -1;
    let lastProgressAt = performance.now();
    await waitFor('the enricher to commit every message', E2E_TIMEOUT_MS, async () => {
      const lag = await consumerLag(admin, names.groupId, names.rawTopic);
      if (lag !== lastLag) {
        process.stderr.write(`pipeline: ${((performance.now() - started) / 1000).toFixed(1)} s: lag ${lag} messages\n`);
        lastLag = lag;
        lastProgressAt = performance.now();
      } else if (performance.now() - lastProgressAt > E2E_STALL_MS) {
        throw new Error(`the enricher made no progress for ${E2E_STALL_MS / 1000} s (lag ${lag} messages); see its log`);
      }
      return lag === 0 ? true : undefined;
    }, 50);
    const finished = performance.now();
    const e2eCpu = { enricher: cpuSeconds(process.cpuUsage(cpuAtStart.enricher)), elasticsearch: ((await elasticsearchCpuMs(es)) - cpuAtStart.elasticsearch) / 1000 };
    const lagAtEnd = await consumerLag(admin, names.groupId, names.rawTopic);
    const metrics = (await enricher.registry.getMetricsAsJSON()) as unknown as Parameters<typeof metricTotal>[0];
    await enricher.stop();
    enricher = undefined;

    const e2eSeconds = (finished - started) / 1000;
    const stored = await sumRecords(es, `${names.indexPrefix}-*`);
    if (stored.records !== input.records) throw new Error(`Elasticsearch holds ${stored.records} records in ${stored.documents} documents, ${input.records} were produced`);
    const bulkRequests = metricTotal(metrics, 'segflow_es_bulk_request_duration_seconds', 'segflow_es_bulk_request_duration_seconds_count');
    const deadLetters = metricTotal(metrics, 'segflow_enricher_dead_letters_total');
    const documentsByResult = (result: string): number => (metrics.find((m) => m.name === 'segflow_enricher_documents_total')?.values ?? []).filter((v) => v.labels.result === result).reduce((n, v) => n + v.value, 0);
    const documentsReadBack = documentsByResult('read_back');
    // A document takes one write per fetch that brings records for it, the plain load one in all.
    const documentWrites = documentsByResult('written');
    // Where the end-to-end time went: waiting for bulk requests vs everything else (Kafka
    // fetch, decode, enrich, the mget of stored documents, serialisation, commits).
    const enricherBulkSeconds = metricTotal(metrics, 'segflow_es_bulk_request_duration_seconds', 'segflow_es_bulk_request_duration_seconds_sum');

    // Plain bulk of the same documents, same template, requests of the size the enricher sent.
    const docs = await readAllDocuments(es, `${names.indexPrefix}-*`);
    await installFlowIndexTemplate(es, { prefix: names.plainPrefix });
    const docsPerRequest = Math.max(1, Math.round(docs.length / Math.max(1, bulkRequests)));
    const plainCpuAtStart = { loader: process.cpuUsage(), elasticsearch: await elasticsearchCpuMs(es) };
    const plainStarted = performance.now();
    await plainBulkLoad(es, docs, docsPerRequest, (doc) => ({ index: names.plainPrefix + doc.index.slice(names.indexPrefix.length), id: doc.id, source: doc.source }), 'plain bulk load');
    const plainSeconds = (performance.now() - plainStarted) / 1000;
    const plainCpu = { loader: cpuSeconds(process.cpuUsage(plainCpuAtStart.loader)), elasticsearch: ((await elasticsearchCpuMs(es)) - plainCpuAtStart.elasticsearch) / 1000 };
    const plainStored = await sumRecords(es, `${names.plainPrefix}-*`);
    if (plainStored.documents !== stored.documents) throw new Error(`plain bulk stored ${plainStored.documents} documents, the enricher ${stored.documents}`);

    return {
      e2ePerSec: Math.round(input.records / e2eSeconds),
      plainBulkPerSec: Math.round(input.records / plainSeconds),
      e2eVsPlainBulk: Number((plainSeconds / e2eSeconds).toFixed(3)),
      lagAtEnd,
      e2eSeconds: Number(e2eSeconds.toFixed(3)),
      elasticsearchWarmUp: { documents: warmUpDocuments.length, seconds: Number(warmUpSeconds.toFixed(3)) },
      produceSeconds: Number(produceSeconds.toFixed(3)),
      plainBulkSeconds: Number(plainSeconds.toFixed(3)),
      documents: stored.documents,
      e2eDocumentsPerSec: Math.round(stored.documents / e2eSeconds),
      plainBulkDocumentsPerSec: Math.round(stored.documents / plainSeconds),
      bulkRequests,
      docsPerBulkRequest: docsPerRequest,
      enricherBulkSeconds: Number(enricherBulkSeconds.toFixed(3)),
      enricherOtherSeconds: Number((e2eSeconds - enricherBulkSeconds).toFixed(3)),
      deadLetters,
      documentsReadBack,
      documentWrites,
      // CPU seconds over each phase: the enricher (this process) and Elasticsearch (its node
      // stats), beside the plain load's loader (this process serialising and sending).
      cpuSeconds: {
        e2e: { enricher: round3(e2eCpu.enricher), elasticsearch: round3(e2eCpu.elasticsearch) },
        plainBulk: { loader: round3(plainCpu.loader), elasticsearch: round3(plainCpu.elasticsearch) },
      },
      rawPartitions: RAW_PARTITIONS,
      // The enricher runs with its defaults (fetch size, partition and bulk concurrency, bulk size).
      enricher: (({ maxFetchBytesPerPartition, partitionsConcurrently, bulkConcurrency, maxBulkDocuments }) => ({ maxFetchBytesPerPartition, partitionsConcurrently, bulkConcurrency, maxBulkDocuments }))(DEFAULT_ENRICHER_CONFIG),
      aggregation: LEVEL_0,
    };
  } finally {
    await enricher?.stop().catch(() => undefined);
    await admin.deleteTopics({ topics: [names.rawTopic, names.deadLetterTopic, names.inventoryTopic] }).catch(() => undefined);
    await admin.deleteGroups([names.groupId]).catch(() => undefined);
    await admin.disconnect();
    // By name: Elasticsearch 8 refuses wildcard deletes (action.destructive_requires_name).
    const created = await es.indices.get({ index: `${names.indexPrefix}-*,${names.plainPrefix}-*,${names.warmUpPrefix}-*`, allow_no_indices: true, ignore_unavailable: true }).catch(() => ({}));
    if (Object.keys(created).length > 0) await es.indices.delete({ index: Object.keys(created) }).catch((err: Error) => process.stderr.write(`pipeline: could not delete the bench indices: ${err.message}\n`));
    for (const template of [names.indexPrefix, names.plainPrefix, names.warmUpPrefix]) await es.indices.deleteIndexTemplate({ name: template }).catch(() => undefined);
    await es.close();
  }
}

/** Runs the benchmark, writes bench/results/pipeline.json and returns the result. */
export async function runPipelineBench(): Promise<object> {
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const elasticsearchUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
  const totalRecords = Number(process.env.SEGFLOW_BENCH_PIPELINE_RECORDS ?? 120_000);
  if (!Number.isInteger(totalRecords) || totalRecords < RECORDS_PER_BATCH) throw new Error(`SEGFLOW_BENCH_PIPELINE_RECORDS must be an integer >= ${RECORDS_PER_BATCH}`);

  const loaded = await loadResourcePaths([INVENTORY_PATH]);
  if (loaded.issues.some((i) => i.severity === 'error')) throw new Error('the demo inventory has errors');
  const inventory = Inventory.fromResources(loaded.resources);
  const input = buildMessages(loaded.resources, totalRecords);
  process.stderr.write(`pipeline: ${input.records} records in ${input.messages.length} batches (${(input.encodedBytes / 1e6).toFixed(1)} MB encoded)\n`);

  const { stats: inProcess, level0Documents } = await measureInProcess(input, inventory);
  process.stderr.write(`pipeline: in process decode ${inProcess.decodeOnlyPerSec}/s, enrich ${inProcess.enrichPerSec}/s\n`);
  const endToEnd = await measureEndToEnd(input, brokers, elasticsearchUrl, level0Documents);
  process.stderr.write(`pipeline: end to end ${endToEnd.e2ePerSec}/s, plain bulk ${endToEnd.plainBulkPerSec}/s\n`);

  const result = {
    decodeOnlyPerSec: inProcess.decodeOnlyPerSec,
    enrichPerSec: inProcess.enrichPerSec,
    enrichVsDecode: Number(median(inProcess.rounds.enrich.map((e, i) => e / inProcess.rounds.decode[i]!)).toFixed(3)),
    enrichVsDecodeOfMedians: Number((inProcess.enrichPerSec / inProcess.decodeOnlyPerSec).toFixed(3)),
    e2ePerSec: endToEnd.e2ePerSec,
    plainBulkPerSec: endToEnd.plainBulkPerSec,
    e2eVsPlainBulk: endToEnd.e2eVsPlainBulk,
    lagAtEnd: endToEnd.lagAtEnd,
    targets: { enrichVsDecode: 0.5, e2eVsPlainBulk: 0.8 },
    inProcess: {
      ...inProcess,
      enrichLevel0VsDecode: Number((inProcess.enrichLevel0PerSec / inProcess.decodeOnlyPerSec).toFixed(3)),
      aggregation: DEFAULT_AGGREGATION,
      messagesPerProcessCall: MESSAGES_PER_FETCH,
    },
    endToEnd,
    sizes: { records: input.records, batches: input.messages.length, recordsPerBatch: RECORDS_PER_BATCH, agents: AGENTS, encodedBytes: input.encodedBytes },
    input: 'synthetic traffic from examples/shop (seeded), 10% denied',
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', totalMemoryBytes: os.totalmem(), loadAverage: os.loadavg(), node: process.version, platform: `${os.platform()} ${os.release()}` },
    timestamp: new Date().toISOString(),
  };
  const file = join(here, 'results', 'pipeline.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
