/**
 * The API answers the UI reads, as types derived from the API's own schemas
 * (src/contract/api/: the JSON Schema the server validates, serialises and documents with), so
 * the UI cannot drift from what the server sends. Type-only: nothing here reaches the bundle.
 */
export type { DeniedAnswer, DeniedGroup } from '../../contract/api/denied.ts';
export type { ExplainAnswer, ExplainEndpoint, ExplainHit, ExplainSide } from '../../contract/api/explain.ts';
export type { FlowPage, StoredFlow as FlowDocument, StoredPolicyHit, StoredPolicySide } from '../../contract/api/flows.ts';
export type { MatrixCell, StatsAnswer } from '../../contract/api/stats.ts';
export type { Completeness } from '../../contract/api/completeness.ts';
export type { FixAnswer, FixReplayGroup, FixSide } from '../../contract/api/fix.ts';
export type { RecommendationAnswer } from '../../contract/api/recommendations.ts';
