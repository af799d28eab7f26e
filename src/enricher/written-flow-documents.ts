/**
 * The documents this enricher wrote last, with the version Elasticsearch gave each: the next
 * fetch that adds to one of them merges into the copy here and writes it on condition of that
 * version, instead of reading it back first. Only a hint: a document changed by someone else
 * since (another enricher after a rebalance) fails the condition and is read back then.
 */
import { LRUCache } from 'lru-cache';
import type { FlowDocument } from '../contract/flow-fields.ts';
import type { FlowDocumentVersion } from './elasticsearch/flow-bulk-writer.ts';

/** A stored document and its version. */
export interface VersionedFlowDocument {
  readonly document: FlowDocument;
  readonly version: FlowDocumentVersion;
}

export class WrittenFlowDocuments {
  private readonly entries: LRUCache<string, VersionedFlowDocument>;

  /** @param max documents remembered (least recently written ones are forgotten first). */
  constructor(max: number) {
    this.entries = new LRUCache({ max: Math.max(1, max) });
  }

  /**
   * Hands over the document last written under `id` with its version, and forgets it: the
   * caller owns it now (may change it) and remembers it again once written. No copy is made.
   */
  take(id: string): VersionedFlowDocument | undefined {
    const entry = this.entries.get(id);
    if (entry !== undefined) this.entries.delete(id);
    return entry;
  }

  /** Remembers what was written (the caller must not change `document` afterwards). */
  remember(id: string, document: FlowDocument, version: FlowDocumentVersion): void {
    this.entries.set(id, { document, version });
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}
