/**
 * What a verdict says (the verdict engine's answer, verdict-engine.ts): the flow asked about,
 * both endpoints, each side's result in the enforced and pending scopes. Types only, apart from
 * the engine so the verdict cache and readers of verdicts need not import the engine.
 */
import type { SideAction, StageKind, StageResult } from './evaluate.ts';
import type { PolicyHit } from './trace.ts';

export interface FlowInput {
  readonly srcIp: string;
  readonly dstIp: string;
  /** IANA protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6, 132 sctp, …). */
  readonly protocol: number;
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Epoch ms; endpoints are resolved as of this time (now when omitted). */
  readonly time?: number;
}

export type AddressKind = 'workload' | 'host' | 'networkset' | 'public' | 'private';

export interface EndpointRef {
  readonly kind: AddressKind;
  readonly ip: string;
  /** Pod / WEP / HEP / network-set name; null for unknown addresses. */
  readonly name: string | null;
  readonly namespace: string | null;
  /** The resource's own labels (without `projectcalico.org/*` system labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** Resource key (`Pod/prod/frontend-…`), null for unknown addresses. */
  readonly key: string | null;
  readonly node: string | null;
  readonly serviceAccount: string | null;
}

export interface ScopeResult {
  readonly action: SideAction;
  /** Calico policy-hit strings. */
  readonly trace: readonly string[];
  readonly hits: readonly PolicyHit[];
  /** The hit that decided this side (the last one), null for no-endpoint. */
  readonly decidingHit: PolicyHit | null;
}

/**
 * Which stage of the packet path decided a side (docs/calico-semantics.md §2): a workload's
 * policies, a host endpoint's normal, untracked, pre-DNAT or forward policies, a failsafe port,
 * or `host-to-local-workload` (Calico never polices a node's traffic to its own pods).
 */
export type DecidingStage = StageKind | 'failsafe' | 'host-to-local-workload';

export interface SideResult extends ScopeResult {
  /** False for the ingress side when the source's egress already denied (Calico never gets there). */
  readonly reached: boolean;
  readonly pending: ScopeResult;
  /** The stage that decided this side; null when no policy ran (no-endpoint). */
  readonly stage: DecidingStage | null;
  /** Every stage the side ran through, in packet order, with its trace range; empty for a plain workload side. */
  readonly stages: readonly StageResult[];
  /** Conversion notes of the policies this side hit (undefined when none; see Verdict.caveats). */
  readonly notes?: readonly string[] | undefined;
}

export interface Verdict {
  readonly verdict: 'allow' | 'deny';
  /** Inventory revision the verdict was computed at. */
  readonly revision: number;
  readonly source: EndpointRef;
  readonly destination: EndpointRef;
  readonly egress: SideResult;
  readonly ingress: SideResult;
  /** Which side decided: the denying side, both sides, or none (no endpoint on either side). */
  readonly decidedBy: 'egress' | 'ingress' | 'both' | 'none';
  /** A deciding Allow rule carried http criteria an L4 evaluator cannot check. */
  readonly l7Unevaluated: boolean;
  /** What the verdict depends on that was not converted as written (notes of the policies hit). */
  readonly caveats: readonly string[];
}
