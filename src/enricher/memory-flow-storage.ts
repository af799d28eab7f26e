/**
 * Flow documents held in memory with Elasticsearch's write semantics for the enricher's bulk
 * items (create fails on an existing id, a version condition fails on any other version): the
 * storage of unit tests and of the in-process benchmark, where no Elasticsearch runs.
 */
import type { FlowDocument } from '../contract/flow-fields.ts';
import type { FlowBulkItem, FlowBulkWriteResult, FlowDocumentVersion } from './elasticsearch/flow-bulk-writer.ts';
import type { FlowBatchIo } from './flow-batch-processor.ts';
import type { VersionedFlowDocument } from './written-flow-documents.ts';

export class MemoryFlowStorage implements FlowBatchIo {
  /** Stored documents by id. */
  readonly documents = new Map<string, { document: FlowDocument; version: FlowDocumentVersion }>();
  /** Every write request received, in order. */
  readonly requests: FlowBulkItem[][] = [];
  private seqNo = 0;
  private readonly copy: <T>(value: T) => T;

  /**
   * @param options.copy store and hand out copies, so writers cannot change stored documents
   *   behind the storage's back (default true; the benchmark turns it off to measure the
   *   enricher, not the copying).
   */
  constructor(options: { copy?: boolean } = {}) {
    this.copy = options.copy === false ? (v) => v : (v) => structuredClone(v);
  }

  async fetchStored(refs: ReadonlyArray<{ index: string; id: string }>): Promise<Map<string, VersionedFlowDocument>> {
    const out = new Map<string, VersionedFlowDocument>();
    for (const r of refs) {
      const stored = this.documents.get(r.id);
      if (stored) out.set(r.id, { document: this.copy(stored.document), version: stored.version });
    }
    return out;
  }

  async write(items: readonly FlowBulkItem[]): Promise<FlowBulkWriteResult> {
    this.requests.push([...items]);
    const conflicts: FlowBulkItem[] = [];
    const versions = new Map<string, FlowDocumentVersion>();
    for (const item of items) {
      const stored = this.documents.get(item.id);
      const c = item.condition;
      const refused = c !== undefined && ('create' in c ? stored !== undefined : stored === undefined || stored.version.seqNo !== c.ifSeqNo || stored.version.primaryTerm !== c.ifPrimaryTerm);
      if (refused) {
        conflicts.push(item);
        continue;
      }
      const version = { seqNo: ++this.seqNo, primaryTerm: 1 };
      this.documents.set(item.id, { document: this.copy(item.document), version });
      versions.set(item.id, version);
    }
    return { indexed: versions.size, rejected: [], conflicts, versions, requests: 1, retries: 0 };
  }

  /** The stored document under `id`. */
  get(id: string): FlowDocument | undefined {
    return this.documents.get(id)?.document;
  }
}
