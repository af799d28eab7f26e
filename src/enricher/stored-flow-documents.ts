/**
 * Reads back stored flow documents with their versions (`_seq_no`, `_primary_term`), so a batch
 * adding to a document already written writes it on condition of the version it read.
 */
import type { Client } from '@elastic/elasticsearch';
import type { FlowDocument } from '../contract/flow-fields.ts';
import type { VersionedFlowDocument } from './written-flow-documents.ts';

/** The documents of `refs` that exist, by id; a missing index means nothing stored yet. */
export async function fetchStoredFlowDocuments(es: Client, refs: ReadonlyArray<{ index: string; id: string }>): Promise<Map<string, VersionedFlowDocument>> {
  const out = new Map<string, VersionedFlowDocument>();
  const response = await es.mget<FlowDocument>({ docs: refs.map((r) => ({ _index: r.index, _id: r.id })) });
  for (const doc of response.docs) {
    if ('found' in doc && doc.found && doc._source) {
      if (doc._seq_no === undefined || doc._primary_term === undefined) throw new Error(`mget ${doc._id}: no _seq_no/_primary_term in the answer`);
      out.set(doc._id, { document: doc._source, version: { seqNo: doc._seq_no, primaryTerm: doc._primary_term } });
    }
    // A missing index answers per doc with an error of type index_not_found: nothing stored yet.
    else if ('error' in doc && doc.error.type !== 'index_not_found_exception') throw new Error(`mget ${doc._id}: ${doc.error.type}: ${doc.error.reason}`);
  }
  return out;
}
