/**
 * Aggregation of enriched records into flow documents per time window and Calico aggregation
 * level (calico-policy.md §3.3): 0 = one document per 5-tuple, 1 = source port dropped,
 * 2 = IPs and pod names replaced by owner prefixes, 3 = destination port dropped too. Verdict,
 * reporter, node and the policy traces are always part of the key. Windows follow the records'
 * own end times, so replaying the same records yields the same documents (and ids).
 */
import { protocolName } from '../../inventory/model/resources.ts';
import type { EndpointRef } from '../../inventory/policy/verdict-engine.ts';
import { flowDocumentId } from '../documents/flow-document-id.ts';
import type { EnrichmentInventory } from './enrichment-inventory.ts';
import { combineOutcomes, type ObservedOutcome } from './observed-outcome.ts';
import type { EnrichedRecord } from './record-enrichment.ts';

export type AggregationLevel = 0 | 1 | 2 | 3;

export interface AggregationConfig {
  /** Window length in ms (default 15 000). */
  readonly windowMs: number;
  /** Level for flows without any deny in their traces (Calico Enterprise default 2). */
  readonly allowedLevel: AggregationLevel;
  /** Level for flows with a deny anywhere in their traces (default 1: keeps the IPs). */
  readonly deniedLevel: AggregationLevel;
}

export const DEFAULT_AGGREGATION: AggregationConfig = { windowMs: 15_000, allowedLevel: 2, deniedLevel: 1 };

/** The visible identity of one end at a level. */
export interface AggregatedEnd {
  readonly kind: EndpointRef['kind'];
  readonly namespace: string | null;
  readonly aggregatedName: string;
  readonly name: string | null;
  readonly ip: string | null;
  readonly port: number | null;
  readonly serviceAccount: string | null;
  readonly node: string | null;
}

/** One document being built: the key's values plus what accumulates. */
export interface FlowAggregate {
  readonly id: string;
  readonly level: AggregationLevel;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly first: EnrichedRecord;
  readonly source: AggregatedEnd;
  readonly destination: AggregatedEnd;
  originalBytes: number;
  originalPackets: number;
  replyBytes: number;
  replyPackets: number;
  records: number;
  started: number;
  completed: number;
  readonly tuples: Set<string>;
  readonly batches: Set<string>;
  sourceLabels: Record<string, string>;
  destinationLabels: Record<string, string>;
  readonly ctFlags: Set<string>;
  lastCtState: string;
  maxSequence: number;
  revision: number;
  /** What the records showed, combined (see combineOutcomes). */
  outcome: ObservedOutcome;
}

function hasDeny(e: EnrichedRecord): boolean {
  const { egress, ingress } = e.verdict;
  return e.verdict.verdict === 'deny' || [egress, ingress, egress.pending, ingress.pending].some((s) => s.hits.some((h) => h.action === 'deny'));
}

/** The name used for an end at level ≥ 2: owner prefix, set name, or pub/pvt for unknown addresses. */
function aggregatedNameOf(ref: EndpointRef, inventory: EnrichmentInventory): string {
  if (ref.kind === 'public') return 'pub';
  if (ref.kind === 'private') return 'pvt';
  if (ref.kind === 'workload' && ref.key) return inventory.aggregatedName(ref.key) ?? ref.name ?? '-';
  return ref.name ?? '-';
}

function endAt(ref: EndpointRef, ip: string, port: number, level: AggregationLevel, isSource: boolean, inventory: EnrichmentInventory): AggregatedEnd {
  const hideIdentity = level >= 2;
  const hidePort = isSource ? level >= 1 : level >= 3;
  return {
    kind: ref.kind,
    namespace: ref.namespace,
    aggregatedName: aggregatedNameOf(ref, inventory),
    name: hideIdentity ? null : ref.name,
    ip: hideIdentity ? null : ip,
    port: hidePort || port === 0 ? null : port,
    serviceAccount: ref.serviceAccount,
    node: hideIdentity ? null : ref.node,
  };
}

function intersect(a: Record<string, string>, b: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) if (b[k] === v) out[k] = v;
  return out;
}

// Verdicts are cached and shared by every record of a flow, so their joined traces are too.
const joinedTraces = new WeakMap<EnrichedRecord['verdict'], readonly string[]>();
function tracesOf(v: EnrichedRecord['verdict']): readonly string[] {
  let traces = joinedTraces.get(v);
  if (!traces) {
    traces = [v.egress.trace.join(','), v.ingress.trace.join(','), v.egress.pending.trace.join(','), v.ingress.pending.trace.join(',')];
    joinedTraces.set(v, traces);
  }
  return traces;
}

/** `agent/boot/sequence`: the identity of the agent batch a record came in. */
export function batchKey(e: Pick<EnrichedRecord, 'agentId' | 'bootId' | 'sequence'>): string {
  return `${e.agentId}/${e.bootId}/${e.sequence}`;
}

/** Groups enriched records into documents; `drain()` hands them over and starts afresh. */
export class FlowWindowAggregator {
  private aggregates = new Map<string, FlowAggregate>();

  constructor(private readonly config: AggregationConfig, private readonly inventory: EnrichmentInventory) {}

  add(e: EnrichedRecord): void {
    const level = hasDeny(e) ? this.config.deniedLevel : this.config.allowedLevel;
    const windowStartMs = e.endMs - (e.endMs % this.config.windowMs);
    const source = endAt(e.verdict.source, e.srcIp, e.srcPort, level, true, this.inventory);
    const destination = endAt(e.verdict.destination, e.dstIp, e.dstPort, level, false, this.inventory);
    const node = e.record.nodeName;
    const key = [
      node, e.reporter, e.verdict.verdict, e.record.protocol, level,
      source.kind, source.namespace, source.aggregatedName, source.name, source.ip, source.port,
      destination.kind, destination.namespace, destination.aggregatedName, destination.name, destination.ip, destination.port,
      e.service?.namespace ?? null, e.service?.name ?? null, e.service?.port ?? null,
      ...tracesOf(e.verdict),
    ];
    // Hash only when a document starts: the SHA-256 id per record was the aggregator's main cost.
    const slot = `${windowStartMs}\0${JSON.stringify(key)}`;
    let agg = this.aggregates.get(slot);
    if (!agg) {
      const id = flowDocumentId(key, windowStartMs);
      agg = {
        id, level, windowStartMs, windowEndMs: windowStartMs + this.config.windowMs, first: e, source, destination,
        originalBytes: 0, originalPackets: 0, replyBytes: 0, replyPackets: 0, records: 0, started: 0, completed: 0,
        tuples: new Set(), batches: new Set(),
        sourceLabels: { ...e.verdict.source.labels }, destinationLabels: { ...e.verdict.destination.labels },
        ctFlags: new Set(), lastCtState: e.record.tcpState, maxSequence: e.sequence, revision: e.verdict.revision,
        outcome: e.outcome,
      };
      this.aggregates.set(slot, agg);
    } else {
      agg.sourceLabels = intersect(agg.sourceLabels, e.verdict.source.labels);
      agg.destinationLabels = intersect(agg.destinationLabels, e.verdict.destination.labels);
    }
    const r = e.record;
    agg.originalBytes += r.originalBytes;
    agg.originalPackets += r.originalPackets;
    agg.replyBytes += r.replyBytes;
    agg.replyPackets += r.replyPackets;
    agg.records++;
    if (r.eventKind === 'new') agg.started++;
    if (r.eventKind === 'destroy') agg.completed++;
    agg.tuples.add(`${e.srcIp}|${e.srcPort}|${e.dstIp}|${e.dstPort}|${r.protocol}`);
    agg.batches.add(batchKey(e));
    if (r.assured) agg.ctFlags.add('assured');
    if (r.unreplied) agg.ctFlags.add('unreplied');
    if (r.tcpState !== 'NONE') agg.lastCtState = r.tcpState;
    agg.maxSequence = Math.max(agg.maxSequence, e.sequence);
    agg.revision = Math.max(agg.revision, e.verdict.revision);
    agg.outcome = combineOutcomes(agg.outcome, e.outcome);
  }

  get size(): number {
    return this.aggregates.size;
  }

  drain(): FlowAggregate[] {
    const out = [...this.aggregates.values()];
    this.aggregates = new Map();
    return out;
  }
}

/** The transport name ECS expects for an IANA protocol number. */
export function transportName(protocol: number): string {
  if (protocol === 58) return 'ipv6-icmp';
  return protocolName(protocol).toLowerCase();
}
