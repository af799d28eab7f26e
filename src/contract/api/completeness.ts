/**
 * The `completeness` object of `/flows`, `/flows/stats` and `/denied` answers: how complete the
 * stored data behind the answer is, from the agents' own reports (contract/agent-report-document.ts).
 * Neutral: the API computes it (api/query/completeness.ts), the UI shows it, clients read it.
 * Self-contained (no import of schema-parts.ts, which re-exports it as CompletenessOut).
 */
import { Type, type Static } from 'typebox';
import { LOSS_CAUSES, SPAN_LOSS_CAUSES, type LossCause, type SpanLossCause } from '../loss-causes.ts';

const nullableInteger = (description: string) => Type.Unsafe<number | null>({ type: 'integer', nullable: true, description });
const nullableNumber = (description: string) => Type.Unsafe<number | null>({ type: 'number', nullable: true, description });
const nullableString = (description: string) => Type.Unsafe<string | null>({ type: 'string', nullable: true, description });

export const COMPLETENESS_STATUSES = ['complete', 'incomplete', 'unknown'] as const;
export type CompletenessStatus = (typeof COMPLETENESS_STATUSES)[number];

export const SilentReporter = Type.Object({
  node: Type.String({ description: 'Node name (or reporter id when the reporter has no node).' }),
  kind: Type.String({ description: 'node-agent, or another source such as goldmane.' }),
  last_report: nullableString('Its last report before the end of the range, ISO 8601; null when it only reported after the range.'),
}, { additionalProperties: false });

export const PossibleLossSpanOut = Type.Object({
  source: nullableString('The source that may have missed flows (e.g. a Goldmane source\'s name); null for namespace-scoped callers.'),
  kind: Type.String({ description: 'Its kind, e.g. goldmane.' }),
  cause: Type.Unsafe<SpanLossCause>({ type: 'string', enum: [...SPAN_LOSS_CAUSES], description: 'goldmane_retention: the source was away longer than Goldmane keeps flows.' }),
  from: Type.String({ description: 'Start of the span, ISO 8601.' }),
  to: Type.String({ description: 'End of the span, ISO 8601.' }),
  seconds: Type.Integer({ description: 'Length of the span in seconds: seconds of possibly lost flows, not a count of records (how many flows fell into it is unknowable; maybe none).' }),
}, { additionalProperties: false });

export const Completeness = Type.Object({
  status: Type.Unsafe<CompletenessStatus>({ type: 'string', enum: [...COMPLETENESS_STATUSES], description: 'complete: nothing known to be missing; incomplete: see reasons; unknown: no agent reports to tell.' }),
  ratio: nullableNumber('Share of what the agents produced in the range that arrived: the lower of records received / (received + dropped) and batches received / (received + missing); null when unknown.'),
  reasons: Type.Array(Type.String(), { description: 'What is missing, in words (empty when complete).' }),
  nodes: Type.Object({
    reporting: Type.Integer({ description: 'Reporters (node agents, other sources) that reported through the range.' }),
    silent: Type.Integer({ description: 'Reporters that reported before or after the range but fell silent in it.' }),
    silent_nodes: Type.Optional(Type.Array(SilentReporter, { description: 'Which ones (left out for namespace-scoped callers).' })),
  }, { additionalProperties: false }),
  batches: Type.Object({
    received: Type.Integer({ description: 'Distinct agent batches received in the range.' }),
    missing: Type.Integer({ description: 'Sequence numbers never received (gaps, and the unsent batches of a killed agent).' }),
  }, { additionalProperties: false }),
  records: Type.Object({
    received: Type.Integer({ description: 'Records in the batches received (as the agents sent them).' }),
    dropped: Type.Integer({ description: 'Records the agents reported dropped (all causes).' }),
    dropped_by_cause: Type.Unsafe<Partial<Record<LossCause, number>>>({
      type: 'object', additionalProperties: false, description: 'Records dropped per cause (causes without drops are left out).',
      properties: Object.fromEntries(LOSS_CAUSES.map((c) => [c, { type: 'integer' }])),
    }),
  }, { additionalProperties: false }),
  possible_loss: Type.Optional(Type.Array(PossibleLossSpanOut, { description: 'Spans overlapping the range whose flows may be missing, with no count known (left out when there are none).' })),
  enricher_lag: Type.Object({
    messages: nullableInteger('Raw-topic messages not yet processed (sum over the enrichers\' latest reports); null when no enricher reported lately.'),
    enrichers: Type.Integer({ description: 'Enrichers that reported their lag lately.' }),
    reported_at: nullableString('Time of the newest lag report, ISO 8601.'),
  }, { additionalProperties: false }),
}, { additionalProperties: false, description: 'How complete the stored data behind this answer is.' });
export type Completeness = Static<typeof Completeness>;
