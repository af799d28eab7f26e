/**
 * The enricher's handling of one raw message holding a Goldmane flow (`segflow-schema:
 * goldmane.Flow`): decode, check, evaluate, build the document — or the problems that make it a
 * dead letter. Pure apart from the inventory it reads.
 */
import type { IHeaders } from 'kafkajs';
import type { FlowDocument } from '../../contract/flow-fields.ts';
import { FLOW_BATCH_SCHEMA_HEADER } from '../../contract/wire/flow-batch-headers.ts';
import { decodeGoldmaneFlow, GOLDMANE_FLOW_SCHEMA, GOLDMANE_SOURCE_HEADER, type GoldmaneFlow } from '../../contract/goldmane/goldmane-flow.ts';
import type { IngestProblem } from '../ingest/ingest-problem.ts';
import type { EnrichmentInventory } from '../transform/enrichment-inventory.ts';
import { GoldmaneEndpointIndex } from './goldmane-endpoints.ts';
import { evaluateGoldmaneFlow, type GoldmaneEvaluation } from './goldmane-evaluation.ts';
import { checkGoldmaneFlow, type CheckedGoldmaneFlow } from './goldmane-flow-check.ts';
import { buildGoldmaneFlowDocument } from './goldmane-flow-document.ts';

/** A Goldmane flow ready to be written (unconditionally: its id is its identity). */
export interface GoldmaneDocument {
  readonly id: string;
  readonly windowStartMs: number;
  readonly document: FlowDocument;
  readonly evaluation: GoldmaneEvaluation['evaluation'];
}

/** Counts of one fetch's Goldmane flows, for the metrics. */
export interface GoldmaneCounts {
  flows: number;
  agrees: number;
  disagreements: number;
  unresolved: number;
}

export function emptyGoldmaneCounts(): GoldmaneCounts {
  return { flows: 0, agrees: 0, disagreements: 0, unresolved: 0 };
}

function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  if (raw === undefined) return undefined;
  return (Array.isArray(raw) ? raw[0] : raw)?.toString();
}

/** True when the message names the Goldmane flow schema. */
export function isGoldmaneMessage(headers: IHeaders | undefined): boolean {
  return headerValue(headers, FLOW_BATCH_SCHEMA_HEADER) === GOLDMANE_FLOW_SCHEMA;
}

export class GoldmaneMessagePreparer {
  private readonly endpoints: GoldmaneEndpointIndex;

  constructor(private readonly inventory: EnrichmentInventory) {
    this.endpoints = new GoldmaneEndpointIndex(() => inventory.endpoints?.() ?? [], () => inventory.revision);
  }

  /** The document of a message, or every problem that keeps it from becoming one. */
  prepare(value: Buffer, headers: IHeaders | undefined, nowMs: number, maxClockSkewMs: number): { document: GoldmaneDocument } | { problems: IngestProblem[] } {
    let flow: GoldmaneFlow;
    try {
      flow = decodeGoldmaneFlow(value);
    } catch (error) {
      return { problems: [{ code: 'undecodable', field: '(message)', message: `not a valid protobuf goldmane.Flow (${(error as Error).message})` }] };
    }
    const problems = checkGoldmaneFlow(flow, nowMs, maxClockSkewMs);
    const sourceName = headerValue(headers, GOLDMANE_SOURCE_HEADER) ?? '';
    if (!sourceName) problems.push({ code: 'invalid_batch', field: `(header) ${GOLDMANE_SOURCE_HEADER}`, message: 'is missing: it names the Goldmane instance the flow came from' });
    if (problems.length > 0) return { problems };
    const checked = flow as CheckedGoldmaneFlow;
    const evaluation = evaluateGoldmaneFlow(checked, this.inventory, this.endpoints);
    const built = buildGoldmaneFlowDocument(checked, sourceName, evaluation, this.inventory.revision, nowMs);
    return { document: { ...built, evaluation: evaluation.evaluation } };
  }
}
