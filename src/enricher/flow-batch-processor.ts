/**
 * Processes what the consumer fetched from one partition: decode each message, enrich and
 * aggregate its records, merge the resulting documents into what Elasticsearch already holds
 * for the same ids (skipping agent batches already counted), write them in bulk (one request,
 * or a few concurrent ones for a large fetch), and collect dead letters for everything that
 * could not be used — never dropping anything silently. The caller commits the offsets only after `process` resolves.
 */
import type { Message } from 'kafkajs';
import type { FlowDocument } from './documents/flow-fields.ts';
import { buildDeadLetter } from './dead-letter.ts';
import type { FlowBulkItem, FlowBulkWriteResult } from './elasticsearch/flow-bulk-writer.ts';
import { dailyFlowIndexName } from './elasticsearch/flow-index-names.ts';
import { decodeFlowBatch } from '../proto/flow-batch-codec.ts';
import type { EnrichmentInventory } from './transform/enrichment-inventory.ts';
import { batchKey, FlowWindowAggregator, type AggregationConfig } from './transform/flow-aggregation.ts';
import { buildFlowDocument, mergeFlowDocumentInto } from './transform/flow-document-builder.ts';
import { enrichRecord } from './transform/record-enrichment.ts';
import type { SequenceObservation, SequenceTracker } from './sequence-tracker.ts';

/** A consumed Kafka message, as much of it as processing needs. */
export interface RawMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** The I/O the processor needs, injected so the logic is testable without servers. */
export interface FlowBatchIo {
  /** Stored documents by id (missing ids absent from the map); the processor may modify them. */
  fetchStored(refs: ReadonlyArray<{ index: string; id: string }>): Promise<Map<string, FlowDocument>>;
  /** One bulk request (of a part of the batch); resolves when every item is settled. */
  write(items: readonly FlowBulkItem[]): Promise<FlowBulkWriteResult>;
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
  readonly now?: () => number;
}

export interface ProcessResult {
  readonly messages: number;
  readonly records: number;
  readonly documentsWritten: number;
  /** Documents whose every batch was already stored (replays): nothing written. */
  readonly documentsSkipped: number;
  readonly deadLetters: Message[];
  readonly sequence: Record<SequenceObservation['kind'], number> & { missingBatches: number };
}

/** A fetch is split over concurrent bulk requests only when each part gets at least this many documents. */
const MIN_SPLIT_DOCUMENTS = 1000;

export class FlowBatchProcessor {
  constructor(
    private readonly options: FlowBatchProcessorOptions,
    private readonly inventory: EnrichmentInventory,
    private readonly sequences: SequenceTracker,
    private readonly io: FlowBatchIo,
  ) {}

  async process(messages: readonly RawMessage[]): Promise<ProcessResult> {
    const { topic } = this.options;
    const deadLetters: Message[] = [];
    const sequence = { first: 0, next: 0, gap: 0, duplicate: 0, restart: 0, missingBatches: 0 };
    // One aggregator for everything fetched: each document is built once per fetch. Its counters
    // are kept per agent batch, so batches a stored document already holds are left out.
    const aggregator = new FlowWindowAggregator(this.options.aggregation, this.inventory);
    const now = this.options.now ?? Date.now;
    const inThisFetch = new Set<string>();
    let records = 0;

    for (const message of messages) {
      const origin = { topic, partition: message.partition, offset: message.offset, key: message.key, payload: message.value };
      if (message.value === null) {
        deadLetters.push(buildDeadLetter({ ...origin, stage: 'validate', reason: 'message has no value (tombstone on the raw topic)' }));
        continue;
      }
      let batch;
      try {
        batch = decodeFlowBatch(message.value, { maxBytes: this.options.maxMessageBytes });
      } catch (error) {
        deadLetters.push(buildDeadLetter({ ...origin, stage: 'decode', reason: (error as Error).message, error }));
        continue;
      }
      const seen = this.sequences.observe(batch.agentId, batch.bootId, batch.sequence);
      sequence[seen.kind]++;
      if (seen.kind === 'gap') sequence.missingBatches += seen.missing;
      // The same agent batch twice in one fetch (a producer retry): its records count once.
      const identity = batchKey(batch);
      if (inThisFetch.has(identity)) continue;
      inThisFetch.add(identity);

      const failures: string[] = [];
      for (const [i, record] of batch.records.entries()) {
        try {
          aggregator.add(enrichRecord(record, batch, this.inventory));
          records++;
        } catch (error) {
          failures.push(`record ${i}: ${(error as Error).message}`);
        }
      }
      if (failures.length > 0) {
        // The rest of the batch is used; the message goes to the dead-letter topic once, naming every bad record.
        deadLetters.push(buildDeadLetter({ ...origin, stage: 'enrich', reason: `${failures.length} of ${batch.records.length} records could not be enriched: ${failures.slice(0, 5).join('; ')}${failures.length > 5 ? '; …' : ''}` }));
      }
    }

    const aggregates = aggregator.drain();
    const indexOf = (windowStartMs: number): string => dailyFlowIndexName(windowStartMs, this.options.indexPrefix);
    const stored = aggregates.length > 0 ? await this.io.fetchStored(aggregates.map((a) => ({ id: a.id, index: indexOf(a.windowStartMs) }))) : new Map<string, FlowDocument>();
    const ingestedAt = now();
    const items: FlowBulkItem[] = [];
    let skipped = 0;
    for (const agg of aggregates) {
      const index = indexOf(agg.windowStartMs);
      const current = stored.get(agg.id);
      if (!current) {
        items.push({ id: agg.id, index, document: buildFlowDocument(agg, ingestedAt) });
        continue;
      }
      const already = new Set(current.segflow.aggregation?.batches ?? []);
      if ([...agg.perBatch.keys()].every((b) => already.has(b))) {
        skipped++; // a replay: every batch is already counted in the stored document
        continue;
      }
      // The stored document (fresh from Elasticsearch, ours to change) takes the new batches only.
      mergeFlowDocumentInto(current, buildFlowDocument(agg, ingestedAt, already));
      items.push({ id: agg.id, index, document: current });
    }

    // The fetched batch settles as a unit: one bulk request, or several (at most bulkConcurrency
    // in flight) when it is large, every item settled before `process` resolves.
    const maxDocs = this.options.maxBulkDocuments ?? 5000;
    const parallel = Math.max(1, this.options.bulkConcurrency ?? 2);
    const requests = Math.max(Math.ceil(items.length / maxDocs), Math.min(parallel, Math.ceil(items.length / MIN_SPLIT_DOCUMENTS)));
    const chunk = Math.ceil(items.length / Math.max(1, requests));
    const parts: FlowBulkItem[][] = [];
    for (let i = 0; i < items.length; i += chunk) parts.push(items.slice(i, i + chunk));
    const result = { indexed: 0, rejected: [] as FlowBulkWriteResult['rejected'] };
    for (let i = 0; i < parts.length; i += parallel) {
      for (const part of await Promise.all(parts.slice(i, i + parallel).map((p) => this.io.write(p)))) {
        result.indexed += part.indexed;
        result.rejected.push(...part.rejected);
      }
    }
    for (const rejection of result.rejected) {
      deadLetters.push(buildDeadLetter({
        topic, partition: messages[0]?.partition ?? -1, offset: messages[messages.length - 1]?.offset ?? '-1', key: rejection.item.id,
        payload: JSON.stringify(rejection.item.document), stage: 'index',
        reason: `Elasticsearch rejected document ${rejection.item.id} for ${rejection.item.index} (${rejection.status} ${rejection.errorType}): ${rejection.reason}`,
      }));
    }
    return { messages: messages.length, records, documentsWritten: result.indexed, documentsSkipped: skipped, deadLetters, sequence };
  }
}
