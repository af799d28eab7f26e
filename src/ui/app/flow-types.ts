/**
 * The parts of the API's answers the UI reads. Documents may lack any field (aggregation drops
 * some, global endpoints have no namespace), so everything is optional.
 */
import type { Completeness } from '../../contract/api/completeness.ts';
import type { PolicyHitDocument } from '../../contract/flow-fields.ts';

/** A policy hit as stored in flow documents (`segflow.policy.<side>.enforced`); the field table is its one source. */
export type StoredPolicyHit = Partial<PolicyHitDocument>;

/** One side's policy evaluation as stored. */
export interface StoredPolicySide {
  verdict?: string;
  enforced?: StoredPolicyHit[];
  enforced_str?: string[];
  pending_verdict?: string;
  pending?: StoredPolicyHit[];
}

/** An endpoint as stored. */
export interface StoredEndpoint {
  kind?: string;
  name?: string;
  aggregated_name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  service?: { name?: string; namespace?: string; port?: number };
}

/** A flow document as GET /flows returns it (plus its id). */
export interface FlowDocument {
  id: string;
  '@timestamp'?: string;
  source?: { ip?: string; port?: number; bytes?: number };
  destination?: { ip?: string; port?: number; bytes?: number };
  network?: { transport?: string; bytes?: number; packets?: number };
  rule?: { name?: string; ruleset?: string; uuid?: string; category?: string };
  segflow?: {
    verdict?: string;
    reporter?: string;
    source?: StoredEndpoint;
    destination?: StoredEndpoint;
    policy?: { egress?: StoredPolicySide; ingress?: StoredPolicySide };
    observed?: { outcome?: string; mismatch?: boolean };
    flows?: { count?: number };
    /** `goldmane` for flows Calico reported through Goldmane (docs/goldmane.md). */
    capture_source?: string;
    /** What Calico reported, and how segflow's evaluation compares (Goldmane flows only). */
    calico?: {
      source?: string; action?: string; enforced_str?: string[]; pending_str?: string[];
      evaluated_verdict?: string; evaluation?: string; disagreement?: boolean; disagreement_reason?: string;
    };
  };
}

/** GET /flows. */
export interface FlowPage {
  flows: FlowDocument[];
  next_cursor: string | null;
  total: { value: number; relation: string } | null;
  range: { from: string; to: string };
  completeness?: Completeness;
}

/** One group of GET /denied. */
export interface DeniedGroup {
  source: { namespace: string | null; name: string | null };
  destination: { namespace: string | null; name: string | null; port: number | null; protocol: string | null };
  policy: { name: string | null; tier: string | null; rule: string | null; side: 'egress' | 'ingress' | null };
  flows: number;
  bytes: number;
  first_seen: string | null;
  last_seen: string | null;
  explanation: string;
  example: FlowDocument | null;
}

/** GET /denied. */
export interface DeniedAnswer {
  range: { from: string; to: string };
  counting: string;
  total_groups: number;
  truncated: boolean;
  groups: DeniedGroup[];
  completeness?: Completeness;
}

/** A hit in an explain answer. */
export interface ExplainHit {
  index: number;
  tier: string;
  kind: string;
  namespace: string | null;
  name: string;
  action: string;
  ruleIndex: number;
  endOfTier: boolean;
}

/** One side of an explain answer. */
export interface ExplainSide {
  action: string;
  hits: ExplainHit[];
  decidingHit: number | null;
  reached: boolean;
}

/** An endpoint in an explain answer. */
export interface ExplainEndpoint {
  kind: string;
  name?: string | null;
  namespace?: string | null;
  ip: string;
  labels?: Record<string, string>;
}

/** POST /explain. */
export interface ExplainAnswer {
  verdict: string;
  source: ExplainEndpoint;
  destination: ExplainEndpoint;
  egress: ExplainSide;
  ingress: ExplainSide;
  decidedBy: 'egress' | 'ingress' | string | null;
  revision: number;
}

/** One cell of the namespace matrix in GET /flows/stats. */
export interface MatrixCell {
  source: string | null;
  destination: string | null;
  flows: number;
  denied: number;
  bytes: number;
}
