/**
 * What the enricher requires of a raw message around its value: a key (the node name; it keeps
 * a node's batches in one partition, in order) and, when the producer names the schema of the
 * value in the `segflow-schema` header, a schema it knows. A message naming another schema or
 * version (`segflow.v2.FlowBatch`, a typo) is rejected rather than decoded as v1: protobuf would
 * read much of a v2 message "successfully" into wrong fields. A message without the header is
 * read as v1, the only schema there has ever been (producers written before the header existed,
 * and tools, send none).
 */
import type { IHeaders } from 'kafkajs';
import { FLOW_BATCH_SCHEMA, FLOW_BATCH_SCHEMA_HEADER } from '../../contract/wire/flow-batch-headers.ts';
import { GOLDMANE_FLOW_SCHEMA } from '../../contract/goldmane/goldmane-flow.ts';
import { SOURCE_REPORT_SCHEMA } from '../../contract/wire/source-report-codec.ts';
import type { IngestProblem } from './ingest-problem.ts';

/**
 * Schemas of the raw topic this enricher decodes: agent batches, flows Calico reported through
 * Goldmane (goldmane/goldmane-message.ts), and the Goldmane source's reports about itself
 * (goldmane/source-report-message.ts).
 */
export const KNOWN_FLOW_SCHEMAS: readonly string[] = [FLOW_BATCH_SCHEMA, GOLDMANE_FLOW_SCHEMA, SOURCE_REPORT_SCHEMA];

/** Every problem of the key and headers of a message; empty when it may be decoded as v1. */
export function checkMessageEnvelope(key: Buffer | null, headers: IHeaders | undefined): IngestProblem[] {
  const problems: IngestProblem[] = [];
  if (key === null || key.length === 0) {
    problems.push({ code: 'missing_key', field: '(key)', message: 'the message has no key (producers key flow batches by node name)' });
  }
  const raw = headers?.[FLOW_BATCH_SCHEMA_HEADER];
  const values = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map((v) => v.toString());
  for (const value of new Set(values)) {
    if (!KNOWN_FLOW_SCHEMAS.includes(value)) {
      problems.push({ code: 'unknown_schema', field: `(header) ${FLOW_BATCH_SCHEMA_HEADER}`, message: `${JSON.stringify(value)} is not a schema this enricher decodes (known: ${KNOWN_FLOW_SCHEMAS.join(', ')})` });
    }
  }
  return problems;
}
