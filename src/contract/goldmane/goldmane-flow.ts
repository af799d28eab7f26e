/**
 * Calico Goldmane's `Flow` (proto/goldmane/api.proto) as segflow carries it: the source role
 * publishes each flow Goldmane streams as one Kafka message holding Calico's own protobuf
 * encoding of it (so Calico's traces travel exactly as Calico reported them), named by the
 * `segflow-schema: goldmane.Flow` header; the enricher decodes it with the same code.
 */
import type Long from 'long';
import { goldmane } from '../wire/generated/goldmane.js';

/** The `segflow-schema` header value of a Kafka message holding one Goldmane Flow. */
export const GOLDMANE_FLOW_SCHEMA = 'goldmane.Flow';
/** Header naming the Goldmane instance (cluster) the flow came from (`--source-name`). */
export const GOLDMANE_SOURCE_HEADER = 'segflow-goldmane-source';

export interface GoldmanePolicyHit {
  readonly kind: number;
  readonly namespace: string;
  readonly name: string;
  readonly tier: string;
  readonly action: number;
  readonly policyIndex: number;
  readonly ruleIndex: number;
  readonly trigger: GoldmanePolicyHit | null;
}

export interface GoldmaneFlowKey {
  readonly sourceName: string;
  readonly sourceNamespace: string;
  readonly sourceType: number;
  readonly destName: string;
  readonly destNamespace: string;
  readonly destType: number;
  readonly destPort: number;
  readonly destServiceName: string;
  readonly destServiceNamespace: string;
  readonly destServicePortName: string;
  readonly destServicePort: number;
  readonly proto: string;
  readonly reporter: number;
  readonly action: number;
  readonly enforced: readonly GoldmanePolicyHit[];
  readonly pending: readonly GoldmanePolicyHit[];
}

/** A Goldmane Flow with plain numbers (int64 values beyond 2^53 are not flow counters Goldmane can hold). */
export interface GoldmaneFlow {
  /** Null when the message had no key (a broken producer: Goldmane itself crashes on such updates). */
  readonly key: GoldmaneFlowKey | null;
  /** Unix seconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly sourceLabels: readonly string[];
  readonly destLabels: readonly string[];
  readonly packetsIn: number;
  readonly packetsOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly connectionsStarted: number;
  readonly connectionsCompleted: number;
  readonly connectionsLive: number;
}

export const GoldmaneAction = goldmane.Action;
export const GoldmaneReporter = goldmane.Reporter;
export const GoldmaneEndpointType = goldmane.EndpointType;
export const GoldmanePolicyKind = goldmane.PolicyKind;

function num(v: number | Long | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

function hitOf(h: goldmane.PolicyHit.$Properties): GoldmanePolicyHit {
  return {
    kind: h.kind ?? 0, namespace: h.namespace ?? '', name: h.name ?? '', tier: h.tier ?? '', action: h.action ?? 0,
    policyIndex: num(h.policyIndex), ruleIndex: num(h.ruleIndex), trigger: h.trigger ? hitOf(h.trigger) : null,
  };
}

/** A decoded (generated) Flow message as plain data. */
export function goldmaneFlowOf(f: goldmane.Flow.$Properties): GoldmaneFlow {
  const k = f.Key;
  return {
    key: k ? {
      sourceName: k.sourceName ?? '', sourceNamespace: k.sourceNamespace ?? '', sourceType: k.sourceType ?? 0,
      destName: k.destName ?? '', destNamespace: k.destNamespace ?? '', destType: k.destType ?? 0, destPort: num(k.destPort),
      destServiceName: k.destServiceName ?? '', destServiceNamespace: k.destServiceNamespace ?? '', destServicePortName: k.destServicePortName ?? '',
      destServicePort: num(k.destServicePort), proto: k.proto ?? '', reporter: k.reporter ?? 0, action: k.action ?? 0,
      enforced: (k.policies?.enforcedPolicies ?? []).map(hitOf), pending: (k.policies?.pendingPolicies ?? []).map(hitOf),
    } : null,
    startTime: num(f.startTime), endTime: num(f.endTime), sourceLabels: [...(f.sourceLabels ?? [])], destLabels: [...(f.destLabels ?? [])],
    packetsIn: num(f.packetsIn), packetsOut: num(f.packetsOut), bytesIn: num(f.bytesIn), bytesOut: num(f.bytesOut),
    connectionsStarted: num(f.numConnectionsStarted), connectionsCompleted: num(f.numConnectionsCompleted), connectionsLive: num(f.numConnectionsLive),
  };
}

/** Decodes one Kafka message value; throws when it is not a protobuf Flow. */
export function decodeGoldmaneFlow(bytes: Uint8Array): GoldmaneFlow {
  return goldmaneFlowOf(goldmane.Flow.decode(bytes));
}

function hitWire(h: GoldmanePolicyHit): goldmane.PolicyHit.$Properties {
  return { kind: h.kind, namespace: h.namespace, name: h.name, tier: h.tier, action: h.action, policyIndex: h.policyIndex, ruleIndex: h.ruleIndex, trigger: h.trigger ? hitWire(h.trigger) : null };
}

/** Plain data back to Calico's message (what the tests push into Goldmane as Felix would). */
export function goldmaneFlowWire(f: GoldmaneFlow): goldmane.Flow.$Properties {
  const k = f.key;
  return {
    Key: k ? {
      sourceName: k.sourceName, sourceNamespace: k.sourceNamespace, sourceType: k.sourceType, destName: k.destName, destNamespace: k.destNamespace,
      destType: k.destType, destPort: k.destPort, destServiceName: k.destServiceName, destServiceNamespace: k.destServiceNamespace,
      destServicePortName: k.destServicePortName, destServicePort: k.destServicePort, proto: k.proto, reporter: k.reporter, action: k.action,
      policies: { enforcedPolicies: k.enforced.map(hitWire), pendingPolicies: k.pending.map(hitWire) },
    } : null,
    startTime: f.startTime, endTime: f.endTime, sourceLabels: [...f.sourceLabels], destLabels: [...f.destLabels],
    packetsIn: f.packetsIn, packetsOut: f.packetsOut, bytesIn: f.bytesIn, bytesOut: f.bytesOut,
    numConnectionsStarted: f.connectionsStarted, numConnectionsCompleted: f.connectionsCompleted, numConnectionsLive: f.connectionsLive,
  };
}

export function encodeGoldmaneFlow(f: GoldmaneFlow): Uint8Array {
  return goldmane.Flow.encode(goldmaneFlowWire(f)).finish();
}

/**
 * The flow's own identity: every key field (traces included) and its time range, canonical.
 * Goldmane's FlowResult.id changes when Goldmane restarts; this does not, so the source's
 * de-duplication, the Kafka message key and the document id are all derived from it.
 */
export function goldmaneFlowIdentity(f: GoldmaneFlow): string {
  return JSON.stringify([f.key, f.startTime, f.endTime]);
}

/** Everything of the flow (identity and counters): a flow re-sent with the same content is a replay. */
export function goldmaneFlowContent(f: GoldmaneFlow): string {
  return JSON.stringify([f.key, f.startTime, f.endTime, f.sourceLabels, f.destLabels, f.packetsIn, f.packetsOut, f.bytesIn, f.bytesOut, f.connectionsStarted, f.connectionsCompleted, f.connectionsLive]);
}
