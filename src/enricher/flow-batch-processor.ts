/**
 * Processes what the consumer fetched from one partition: decode each message, enrich and
 * aggregate its records, merge the resulting documents into what Elasticsearch already holds
 * for the same ids (skipping agent batches already counted), write them in bulk (one request,
 * or a few concurrent ones for a large fetch), and collect dead letters for everything that
 * could not be used — never dropping anything silently. The caller commits the offsets only
 * after `process` (or `settle`) resolves.
 */
import type { IHeaders, Message } from 'kafkajs';
import { buildDeadLetter, type DeadLetterStage } from './dead-letter.ts';
import type { FlowBulkItem, FlowBulkWriteResult, FlowDocumentVersion } from './elasticsearch/flow-bulk-writer.ts';
import { dailyFlowIndexName } from '../contract/flow-index-names.ts';
import { describeProblems, problemCodes, type IngestProblem, type IngestProblemCode } from './ingest/ingest-problem.ts';
import { checkMessageEnvelope } from './ingest/message-envelope.ts';
import { emptyGoldmaneCounts, GoldmaneMessagePreparer, isGoldmaneMessage, type GoldmaneCounts, type GoldmaneDocument } from './goldmane/goldmane-message.ts';
import { decodeRawFlowBatch, encodeSingleRecordBatch, UndecodableFlowBatch, type DecodedFlowBatch, type DecodedRecord } from './ingest/raw-flow-batch-decoder.ts';
import { checkRecordBounds, DEFAULT_MAX_CLOCK_SKEW_MS, DEFAULT_MAX_LINK_BITS_PER_SECOND, DEFAULT_MAX_RECORD_AGE_MS, type IngestBounds } from './ingest/record-bounds.ts';
import type { EnrichmentInventory } from './transform/enrichment-inventory.ts';
import { batchKey, FlowWindowAggregator, type AggregationConfig, type FlowAggregate } from './transform/flow-aggregation.ts';
import { buildFlowDocument, mergeFlowDocumentInto } from './transform/flow-document-builder.ts';
import { DEFAULT_MAX_TUPLES_PER_DOCUMENT } from './transform/flow-tuple-set.ts';
import { enrichRecord } from './transform/record-enrichment.ts';
import type { SequenceObservation, SequenceTracker } from './sequence-tracker.ts';
import { buildBatchReport, type BatchReport } from './agent-reports/batch-report.ts';
import { isSourceReportMessage, prepareSourceReport } from './goldmane/source-report-message.ts';
import { parsePreviousBootHeader } from '../contract/wire/previous-boot-header.ts';
import { WrittenFlowDocuments, type VersionedFlowDocument } from './written-flow-documents.ts';

/** A consumed Kafka message, as much of it as processing needs. */
export interface RawMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The message's headers (the schema header is checked; all are carried into dead letters). */
  readonly headers?: IHeaders;
}

/** Rejections by reason: whole messages, and records rejected while the rest of their message was used. */
export interface RejectionCounts {
  /** Messages rejected whole (each counted once, whatever its reasons). */
  messagesRejected: number;
  readonly messages: Partial<Record<IngestProblemCode, number>>;
  readonly records: Partial<Record<IngestProblemCode, number>>;
}

/** Bounds applied when the options name none (record-bounds.ts). */
export const DEFAULT_INGEST_BOUNDS: IngestBounds = { maxRecordAgeMs: DEFAULT_MAX_RECORD_AGE_MS, maxClockSkewMs: DEFAULT_MAX_CLOCK_SKEW_MS, maxLinkBitsPerSecond: DEFAULT_MAX_LINK_BITS_PER_SECOND };

const PROTOBUF = 'application/x-protobuf';

/** The I/O the processor needs, injected so the logic is testable without servers. */
export interface FlowBatchIo {
  /**
   * Stored documents by id with their versions (missing ids absent from the map), read in real
   * time (a document acknowledged a moment ago is seen); the processor may modify them.
   */
  fetchStored(refs: ReadonlyArray<{ index: string; id: string }>): Promise<Map<string, VersionedFlowDocument>>;
  /**
   * One bulk request (of a part of the batch) honouring each item's condition; resolves when
   * every item is indexed, rejected for good, or in conflict with its condition.
   */
  write(items: readonly FlowBulkItem[]): Promise<FlowBulkWriteResult>;
  /**
   * Writes the agent reports of a fetch (one per batch received: agent-reports/batch-report.ts)
   * after its documents; a failure fails the fetch, which is retried. Absent: none are written.
   */
  writeReports?(reports: readonly BatchReport[]): Promise<void>;
}

export interface FlowBatchProcessorOptions {
  readonly topic: string;
  readonly indexPrefix: string;
  readonly aggregation: AggregationConfig;
  readonly maxMessageBytes: number;
  /** Most documents per bulk request (default 5000); more are written in several requests. */
  readonly maxBulkDocuments?: number;
  /** Bulk requests of one fetch sent at once (default 2); a large fetch is split to use them. */
  readonly bulkConcurrency?: number;
  /** Documents remembered after writing them, to update them without reading them back (default 20 000). */
  readonly writtenDocuments?: number;
  /** Time and counter bounds a record must respect (default DEFAULT_INGEST_BOUNDS). */
  readonly bounds?: IngestBounds;
  /** The clock of the time bounds and of `event.ingested`. */
  readonly now?: () => number;
}

export interface ProcessResult {
  readonly messages: number;
  readonly records: number;
  readonly documentsWritten: number;
  /** Documents whose every batch was already stored (replays): nothing written. */
  readonly documentsSkipped: number;
  /** Documents read back from Elasticsearch because a conditional write met another version. */
  readonly documentsReadBack: number;
  readonly deadLetters: Message[];
  readonly sequence: Record<SequenceObservation['kind'], number> & { missingBatches: number };
  readonly rejected: RejectionCounts;
  /** Flows Calico reported through Goldmane, and how segflow's evaluation compared. */
  readonly goldmane: GoldmaneCounts;
}

/** A fetched batch enriched and aggregated, not yet written (see FlowBatchProcessor.prepare). */
export interface PreparedBatch {
  readonly messages: readonly RawMessage[];
  readonly aggregates: readonly FlowAggregate[];
  readonly records: number;
  readonly deadLetters: readonly Message[];
  readonly sequence: ProcessResult['sequence'];
  readonly rejected: RejectionCounts;
  /** Offset of the message each agent batch (`agent/boot/sequence`) of this fetch came in. */
  readonly offsetOfBatch: ReadonlyMap<string, string>;
  /** Documents of Goldmane flows, written as they are (their ids are the flows' identities). */
  readonly goldmaneDocuments: readonly GoldmaneDocument[];
  readonly goldmane: GoldmaneCounts;
  /** One agent report per agent batch of the fetch (the completeness figure's input). */
  readonly reports: readonly BatchReport[];
}

/** Documents per concurrent bulk request a fetch may use: one more request (up to bulkConcurrency) per this many. */
const MIN_SPLIT_DOCUMENTS = 1000;
/** Read-merge-write rounds for documents that keep changing under us before the fetch fails (and is retried whole). */
const MAX_CONFLICT_ROUNDS = 5;

export class FlowBatchProcessor {
  private readonly written: WrittenFlowDocuments;
  private readonly goldmanePreparer: GoldmaneMessagePreparer;

  constructor(
    private readonly options: FlowBatchProcessorOptions,
    private readonly inventory: EnrichmentInventory,
    private readonly sequences: SequenceTracker,
    private readonly io: FlowBatchIo,
  ) {
    this.written = new WrittenFlowDocuments(options.writtenDocuments ?? 20_000);
    this.goldmanePreparer = new GoldmaneMessagePreparer(inventory);
  }

  /** Forgets the documents written so far (after a failure, or when partitions move). */
  forgetWrittenDocuments(): void {
    this.written.clear();
  }

  /** Processes a fetched batch: `settle(prepare(messages))`. */
  async process(messages: readonly RawMessage[]): Promise<ProcessResult> {
    return this.settle(this.prepare(messages));
  }

  /**
   * The CPU part of a fetched batch, no I/O: decode, sequence checks, enrichment and
   * aggregation. It may run while the previous batch of the partition is still being written;
   * `settle` calls must then follow in the partitions' order.
   */
  prepare(messages: readonly RawMessage[]): PreparedBatch {
    const { topic } = this.options;
    const bounds = this.options.bounds ?? DEFAULT_INGEST_BOUNDS;
    const nowMs = (this.options.now ?? Date.now)();
    const deadLetters: Message[] = [];
    const sequence = { first: 0, next: 0, gap: 0, duplicate: 0, restart: 0, missingBatches: 0 };
    const rejected: RejectionCounts = { messagesRejected: 0, messages: {}, records: {} };
    // One aggregator for everything fetched: each document is built once per fetch. Its counters
    // are kept per agent batch, so batches a stored document already holds are left out.
    const aggregator = new FlowWindowAggregator(this.options.aggregation, this.inventory);
    const offsetOfBatch = new Map<string, string>();
    // A Goldmane flow is one document of its own: the last version of an id in the fetch wins.
    const goldmaneDocuments = new Map<string, GoldmaneDocument>();
    const goldmane = emptyGoldmaneCounts();
    const reports: BatchReport[] = [];
    let records = 0;

    for (const message of messages) {
      const origin = { topic, partition: message.partition, offset: message.offset, key: message.key, originalHeaders: message.headers, contentType: PROTOBUF };
      // The whole message is unusable: one dead letter with every problem found in it.
      const rejectMessage = (stage: DeadLetterStage, problems: readonly IngestProblem[]): void => {
        rejected.messagesRejected++;
        for (const code of problemCodes(problems)) rejected.messages[code] = (rejected.messages[code] ?? 0) + 1;
        deadLetters.push(buildDeadLetter({ ...origin, payload: message.value, stage, reason: problemCodes(problems).join(','), error: describeProblems(problems), problems }));
      };
      if (message.value === null) {
        rejectMessage('validate', [{ code: 'tombstone', field: '(message)', message: 'has no value (a tombstone on the raw topic)' }]);
        continue;
      }
      const envelope = checkMessageEnvelope(message.key, message.headers);
      if (envelope.some((p) => p.code === 'unknown_schema')) {
        rejectMessage('validate', envelope); // not decoded: its bytes are another schema's
        continue;
      }
      if (isSourceReportMessage(message.headers)) {
        // A flow source's report about itself (the Goldmane source): one report document.
        const prepared = prepareSourceReport(message.value, message.headers, nowMs, bounds.maxClockSkewMs);
        if ('problems' in prepared) {
          rejectMessage(prepared.problems.some((p) => p.code === 'undecodable') ? 'decode' : 'validate', [...envelope, ...prepared.problems]);
          continue;
        }
        if (envelope.length > 0) {
          rejectMessage('validate', envelope);
          continue;
        }
        reports.push(prepared.report);
        continue;
      }
      if (isGoldmaneMessage(message.headers)) {
        const prepared = this.goldmanePreparer.prepare(message.value, message.headers, nowMs, bounds.maxClockSkewMs);
        if ('problems' in prepared) {
          rejectMessage(prepared.problems.some((p) => p.code === 'undecodable') ? 'decode' : 'validate', [...envelope, ...prepared.problems]);
          continue;
        }
        goldmaneDocuments.set(prepared.document.id, prepared.document);
        goldmane.flows++;
        if (prepared.document.evaluation === 'disagrees') goldmane.disagreements++;
        else if (prepared.document.evaluation === 'unresolved') goldmane.unresolved++;
        else goldmane.agrees++;
        records++;
        continue;
      }
      let decoded: DecodedFlowBatch;
      try {
        decoded = decodeRawFlowBatch(message.value, { maxBytes: this.options.maxMessageBytes });
      } catch (error) {
        if (!(error instanceof UndecodableFlowBatch)) throw error;
        rejectMessage('decode', [...envelope, error.problem]);
        continue;
      }
      const recordProblems = decoded.records.map((r) => {
        const out = checkRecordBounds(r.data, r.index, bounds, nowMs);
        return r.problems.length === 0 ? out : [...r.problems, ...out];
      });
      if (envelope.length > 0 || decoded.problems.length > 0) {
        rejectMessage('validate', [...envelope, ...decoded.problems, ...recordProblems.flat()]);
        continue;
      }
      const batch = decoded.batch;
      const seen = this.sequences.observe(batch.agentId, batch.bootId, batch.sequence);
      sequence[seen.kind]++;
      if (seen.kind === 'gap') sequence.missingBatches += seen.missing;
      // The same agent batch twice in one fetch (a producer retry): its records count once.
      const identity = batchKey(batch);
      if (offsetOfBatch.has(identity)) continue;
      offsetOfBatch.set(identity, message.offset);
      reports.push(buildBatchReport(batch, decoded.records.length, parsePreviousBootHeader(message.headers), nowMs));

      // Per record: the good records of a message are used, each bad one is dead-lettered on its
      // own (a FlowBatch of that one record, with every problem it has).
      const rejectRecord = (record: DecodedRecord, stage: DeadLetterStage, problems: readonly IngestProblem[], error?: unknown): void => {
        for (const code of problemCodes(problems)) rejected.records[code] = (rejected.records[code] ?? 0) + 1;
        deadLetters.push(buildDeadLetter({
          ...origin, originalHeaders: undefined, originRecord: record.index, payload: encodeSingleRecordBatch(decoded, record), stage,
          reason: problemCodes(problems).join(','), error: error ?? describeProblems(problems), problems,
        }));
      };
      for (const record of decoded.records) {
        const problems = recordProblems[record.index]!;
        if (problems.length > 0) {
          rejectRecord(record, 'validate', problems);
          continue;
        }
        try {
          aggregator.add(enrichRecord(record.data, batch, this.inventory, record.index));
          records++;
        } catch (error) {
          rejectRecord(record, 'enrich', [{ code: 'enrich_failed', field: `records[${record.index}]`, message: (error as Error).message }], error);
        }
      }
    }

    return { messages, aggregates: aggregator.drain(), records, deadLetters, sequence, rejected, offsetOfBatch, reports, goldmaneDocuments: [...goldmaneDocuments.values()], goldmane };
  }

  /**
   * Writes a prepared batch: merges its documents into what is stored, writes them, and settles
   * every item (indexed, or dead-lettered when Elasticsearch rejects it for good).
   */
  async settle(prepared: PreparedBatch): Promise<ProcessResult> {
    const { topic } = this.options;
    const { messages, aggregates, records, sequence, rejected } = prepared;
    const deadLetters = [...prepared.deadLetters];
    const now = this.options.now ?? Date.now;
    const indexOf = (windowStartMs: number): string => dailyFlowIndexName(windowStartMs, this.options.indexPrefix);
    const ingestedAt = now();
    const maxTuples = this.options.aggregation.maxTuplesPerDocument ?? DEFAULT_MAX_TUPLES_PER_DOCUMENT;
    let skipped = 0;
    let readBack = 0;
    const result = { indexed: 0, rejected: [] as FlowBulkWriteResult['rejected'] };
    const byId = new Map(aggregates.map((a) => [a.id, a]));

    // An aggregate onto a stored document: only the batches it does not hold yet, written on
    // condition of the version read; null when the document holds every batch (a replay).
    const mergeInto = (agg: FlowAggregate, stored: VersionedFlowDocument): FlowBulkItem | null => {
      const current = stored.document;
      const already = new Set(current.segflow.aggregation?.batches ?? []);
      if ([...agg.perBatch.keys()].every((b) => already.has(b))) return null;
      mergeFlowDocumentInto(current, buildFlowDocument(agg, ingestedAt, already, maxTuples), maxTuples);
      return { id: agg.id, index: indexOf(agg.windowStartMs), document: current, condition: { ifSeqNo: stored.version.seqNo, ifPrimaryTerm: stored.version.primaryTerm } };
    };

    // A document nobody has written yet, as far as this enricher knows.
    const createItem = (agg: FlowAggregate): FlowBulkItem => ({ id: agg.id, index: indexOf(agg.windowStartMs), document: buildFlowDocument(agg, ingestedAt, undefined, maxTuples), condition: { create: true } });

    // First round: documents written here before are updated from memory; every other one is
    // created, which fails (409) when it exists after all — only those are read back, merged and
    // written again on condition of the version read. No document is ever overwritten blindly.
    let items: FlowBulkItem[] = [];
    for (const agg of aggregates) {
      const known = this.written.take(agg.id);
      const item = known ? mergeInto(agg, known) : createItem(agg);
      if (item) items.push(item);
      else skipped++; // every batch is already counted in the stored document
    }
    if (prepared.goldmaneDocuments.length > 0) {
      const written = await this.writeInParts(prepared.goldmaneDocuments.map((d) => ({ id: d.id, index: indexOf(d.windowStartMs), document: d.document })));
      result.indexed += written.indexed;
      result.rejected.push(...written.rejected);
    }
    try {
      for (let round = 1; items.length > 0; round++) {
        const written = await this.writeInParts(items);
        result.indexed += written.indexed;
        result.rejected.push(...written.rejected);
        for (const r of written.rejected) this.written.forget(r.item.id);
        for (const item of items) {
          const version = written.versions.get(item.id);
          if (version) this.written.remember(item.id, item.document, version);
        }
        if (written.conflicts.length === 0) break;
        if (round >= MAX_CONFLICT_ROUNDS) throw new Error(`${written.conflicts.length} flow documents kept changing during ${round} read-merge-write rounds (first: ${written.conflicts[0]?.id}); the fetch is retried`);
        for (const c of written.conflicts) this.written.forget(c.id);
        readBack += written.conflicts.length;
        const stored = await this.io.fetchStored(written.conflicts.map((c) => ({ id: c.id, index: c.index })));
        items = [];
        for (const c of written.conflicts) {
          const agg = byId.get(c.id) as FlowAggregate;
          const current = stored.get(c.id);
          // Gone again (deleted by retention): create it afresh.
          const item = current ? mergeInto(agg, current) : createItem(agg);
          if (item) items.push(item);
          else skipped++;
        }
      }
    } catch (error) {
      // What was remembered may not be what is stored now: start from Elasticsearch again.
      this.written.clear();
      throw error;
    }
    // After the documents: a report never claims a batch whose records are not stored yet.
    await this.io.writeReports?.(prepared.reports);
    for (const rejection of result.rejected) {
      // The origin is the first message of this fetch whose records are in the document (a
      // replay from there brings them all back); the others are named in the message.
      const offsets = [...(byId.get(rejection.item.id)?.perBatch.keys() ?? [])].map((b) => prepared.offsetOfBatch.get(b)).filter((o): o is string => o !== undefined).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      const problem: IngestProblem = {
        code: 'index_rejected', field: `(document) ${rejection.item.id}`,
        message: `Elasticsearch rejected the document for ${rejection.item.index} (${rejection.status} ${rejection.errorType}): ${rejection.reason}; records from offsets ${offsets.join(', ')}`,
      };
      deadLetters.push(buildDeadLetter({
        topic, partition: messages[0]?.partition ?? 0, offset: offsets[0] ?? messages[0]?.offset ?? '0', key: rejection.item.id,
        payload: JSON.stringify(rejection.item.document), contentType: 'application/json', stage: 'index',
        reason: 'index_rejected', error: problem.message, problems: [problem],
      }));
    }
    return { messages: messages.length, records, documentsWritten: result.indexed, documentsSkipped: skipped, documentsReadBack: readBack, deadLetters, sequence, rejected, goldmane: prepared.goldmane };
  }

  /**
   * Writes items as one bulk request, or several (at most bulkConcurrency in flight) when they
   * are many; resolves when every item of every request is settled.
   */
  private async writeInParts(items: readonly FlowBulkItem[]): Promise<Pick<FlowBulkWriteResult, 'indexed' | 'rejected' | 'conflicts' | 'versions'>> {
    const maxDocs = this.options.maxBulkDocuments ?? 5000;
    const parallel = Math.max(1, this.options.bulkConcurrency ?? 2);
    const requests = Math.max(Math.ceil(items.length / maxDocs), Math.min(parallel, Math.ceil(items.length / MIN_SPLIT_DOCUMENTS)));
    const chunk = Math.ceil(items.length / Math.max(1, requests));
    const parts: (readonly FlowBulkItem[])[] = [];
    for (let i = 0; i < items.length; i += chunk) parts.push(items.slice(i, i + chunk));
    const out = { indexed: 0, rejected: [] as FlowBulkWriteResult['rejected'], conflicts: [] as FlowBulkItem[], versions: new Map<string, FlowDocumentVersion>() };
    for (let i = 0; i < parts.length; i += parallel) {
      for (const part of await Promise.all(parts.slice(i, i + parallel).map((p) => this.io.write(p)))) {
        out.indexed += part.indexed;
        out.rejected.push(...part.rejected);
        out.conflicts.push(...part.conflicts);
        for (const [id, v] of part.versions) out.versions.set(id, v);
      }
    }
    return out;
  }
}
