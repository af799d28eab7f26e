/**
 * Processes what the consumer fetched from one partition: decode each message, enrich and
 * aggregate its records, merge the resulting documents into what Elasticsearch already holds
 * for the same ids (skipping agent batches already counted), write them in one bulk request,
 * and collect dead letters for everything that could not be used — never dropping anything
 * silently. The caller commits the offsets only after `process` resolves.
 */
import type { Message } from 'kafkajs';
import type { FlowDocument } from './documents/flow-fields.ts';
import { buildDeadLetter } from './dead-letter.ts';
import type { FlowBulkItem, FlowBulkWriteResult } from './elasticsearch/flow-bulk-writer.ts';
import { dailyFlowIndexName } from './elasticsearch/flow-index-names.ts';
import { decodeFlowBatch } from '../proto/flow-batch-codec.ts';
import type { EnrichmentInventory } from './transform/enrichment-inventory.ts';
import { FlowWindowAggregator, type AggregationConfig } from './transform/flow-aggregation.ts';
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
  /** One bulk request for the batch; resolves when every item is settled. */
  write(items: readonly FlowBulkItem[]): Promise<FlowBulkWriteResult>;
}

export interface FlowBatchProcessorOptions {
  readonly topic: string;
  readonly indexPrefix: string;
  readonly aggregation: AggregationConfig;
  readonly maxMessageBytes: number;
  /** Most documents per bulk request (default 5000); more are written in several requests. */
  readonly maxBulkDocuments?: number;
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
    // Per document id: the documents each agent batch contributes, in consumption order.
    const contributions = new Map<string, { index: string; docs: FlowDocument[] }>();
    const now = this.options.now ?? Date.now;
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

      const aggregator = new FlowWindowAggregator(this.options.aggregation, this.inventory);
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
      const ingestedAt = now();
      for (const agg of aggregator.drain()) {
        const doc = buildFlowDocument(agg, ingestedAt);
        const entry = contributions.get(agg.id) ?? { index: dailyFlowIndexName(agg.windowStartMs, this.options.indexPrefix), docs: [] };
        entry.docs.push(doc);
        contributions.set(agg.id, entry);
      }
    }

    const stored = contributions.size > 0 ? await this.io.fetchStored([...contributions].map(([id, c]) => ({ id, index: c.index }))) : new Map<string, FlowDocument>();
    const items: FlowBulkItem[] = [];
    let skipped = 0;
    for (const [id, { index, docs }] of contributions) {
      // Both the stored document (fresh from Elasticsearch) and the contributions are this
      // call's own objects, so they are merged in place.
      let current = stored.get(id) ?? null;
      let changed = false;
      for (const doc of docs) {
        if (current === null) {
          current = doc;
          changed = true;
        } else if (mergeFlowDocumentInto(current, doc)) {
          changed = true;
        }
      }
      if (changed && current) items.push({ id, index, document: current });
      else skipped++;
    }

    // One bulk request per fetched batch, split only when it would be too large for one request.
    const chunk = this.options.maxBulkDocuments ?? 5000;
    const result = { indexed: 0, rejected: [] as FlowBulkWriteResult['rejected'] };
    for (let i = 0; i < items.length; i += chunk) {
      const part = await this.io.write(items.slice(i, i + chunk));
      result.indexed += part.indexed;
      result.rejected.push(...part.rejected);
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
