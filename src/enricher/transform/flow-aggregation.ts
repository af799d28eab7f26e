/**
 * Aggregation of enriched records into flow documents per time window and Calico aggregation
 * level (docs/policy-semantics.md §3.3, "Aggregation levels"): 0 = one document per 5-tuple, 1 = source port dropped,
 * 2 = IPs and pod names replaced by owner prefixes, 3 = destination port dropped too. Verdict,
 * reporter, node and the policy traces are always part of the key. Windows follow the records'
 * own end times, so replaying the same records yields the same documents (and ids).
 */
import { protocolName } from '../../inventory/model/resources.ts';
import type { EndpointRef } from '../../inventory/policy/verdict-engine.ts';
import { encodeKeyTail, flowDocumentId } from '../../contract/flow-document-id.ts';
import type { EnrichmentInventory } from './enrichment-inventory.ts';
import { DEFAULT_MAX_TUPLES_PER_DOCUMENT, TUPLE_COMPLETED, TUPLE_STARTED, tupleKey, type TupleFlags } from './flow-tuple-set.ts';
import { combineOutcomes, type ObservedOutcome } from './observed-outcome.ts';
import type { EnrichedRecord, ServiceRef } from './record-enrichment.ts';

export type AggregationLevel = 0 | 1 | 2 | 3;

export interface AggregationConfig {
  /** Window length in ms (default 15 000). */
  readonly windowMs: number;
  /** Level for flows without any deny in their traces (Calico Enterprise default 2). */
  readonly allowedLevel: AggregationLevel;
  /** Level for flows with a deny anywhere in their traces (default 1: keeps the IPs). */
  readonly deniedLevel: AggregationLevel;
  /** Distinct 5-tuples a document keeps exactly (default 4,096; see flow-tuple-set.ts). */
  readonly maxTuplesPerDocument?: number;
}

export const DEFAULT_AGGREGATION: AggregationConfig = { windowMs: 15_000, allowedLevel: 2, deniedLevel: 1, maxTuplesPerDocument: DEFAULT_MAX_TUPLES_PER_DOCUMENT };

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

/** What one agent batch adds to a document. */
export interface BatchCounters {
  originalBytes: number;
  originalPackets: number;
  replyBytes: number;
  replyPackets: number;
  records: number;
  maxSequence: number;
}

/** The counters of the batches of `agg` not in `exclude`, summed, with those batches' keys. */
export function sumBatches(agg: FlowAggregate, exclude?: ReadonlySet<string>): BatchCounters & { batches: string[] } {
  const sum: BatchCounters & { batches: string[] } = { originalBytes: 0, originalPackets: 0, replyBytes: 0, replyPackets: 0, records: 0, maxSequence: 0, batches: [] };
  for (const [key, c] of agg.perBatch) {
    if (exclude?.has(key)) continue;
    sum.batches.push(key);
    sum.originalBytes += c.originalBytes;
    sum.originalPackets += c.originalPackets;
    sum.replyBytes += c.replyBytes;
    sum.replyPackets += c.replyPackets;
    sum.records += c.records;
    sum.maxSequence = Math.max(sum.maxSequence, c.maxSequence);
  }
  sum.batches.sort();
  return sum;
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
  /**
   * The additive counters per agent batch (`agent/boot/sequence`): a stored document already
   * holding some of these batches (a replay) takes only the others.
   */
  readonly perBatch: Map<string, BatchCounters>;
  /** Distinct 5-tuples with their started/completed marks (of every batch: a set merges idempotently). */
  readonly tuples: TupleFlags;
  sourceLabels: Record<string, string>;
  destinationLabels: Record<string, string>;
  readonly ctFlags: Set<string>;
  revision: number;
  /** What the records showed, combined (see combineOutcomes). */
  outcome: ObservedOutcome;
  /** The last record added (to skip work that repeats for records of the same flow and batch). */
  lastRecord: EnrichedRecord;
  /**
   * The latest record by (end time, batch, position): the document's per-record attributes
   * (agent, capture source, conntrack state and mark, dataplane verdict, SNAT) are its, so they
   * do not depend on the order records arrive in (see recordOrderKey).
   */
  latest: EnrichedRecord;
  /** Counters of the last record's batch. */
  lastBatch: BatchCounters;
  /** Latest end time of the records (epoch ms): the document's @timestamp. */
  lastEndMs: number;
}

function hasDeny(v: EnrichedRecord['verdict']): boolean {
  const { egress, ingress } = v;
  return v.verdict === 'deny' || [egress, ingress, egress.pending, ingress.pending].some((s) => s.hits.some((h) => h.action === 'deny'));
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
    aggregatedName: cachedAggregatedName(ref, inventory),
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

/** What the aggregator derives from a verdict alone; verdicts are cached and shared by every record of a flow, so this is too. */
interface VerdictFacts {
  readonly hasDeny: boolean;
  /** The traces as one key fragment. */
  readonly tracesKey: string;
  /** The traces as the JSON tail of a document id's key (encodeKeyTail). */
  readonly tracesIdTail: string;
}
const verdictFacts = new WeakMap<EnrichedRecord['verdict'], VerdictFacts>();
function factsOf(v: EnrichedRecord['verdict']): VerdictFacts {
  let facts = verdictFacts.get(v);
  if (!facts) {
    const traces = [v.egress.trace.join(','), v.ingress.trace.join(','), v.egress.pending.trace.join(','), v.ingress.pending.trace.join(',')];
    facts = { hasDeny: hasDeny(v), tracesKey: traces.join('\u0001'), tracesIdTail: encodeKeyTail(traces) };
    verdictFacts.set(v, facts);
  }
  return facts;
}

/** Aggregated names per endpoint reference (references are shared through the verdict cache). */
const aggregatedNames = new WeakMap<EndpointRef, string>();
function cachedAggregatedName(ref: EndpointRef, inventory: EnrichmentInventory): string {
  let name = aggregatedNames.get(ref);
  if (name === undefined) {
    name = aggregatedNameOf(ref, inventory);
    aggregatedNames.set(ref, name);
  }
  return name;
}

/** `agent/boot/sequence`: the identity of the agent batch a record came in. */
export function batchKey(e: Pick<EnrichedRecord, 'agentId' | 'bootId' | 'sequence'>): string {
  return `${e.agentId}/${e.bootId}/${e.sequence}`;
}

/**
 * A record's place in the total order "latest wins" uses: end time (16 digits), batch, position
 * in the batch (7 digits). Fixed-width ends make the string unique per record and its string
 * order the order by end time first; the stored document keeps the key of the record it shows,
 * so a merge can tell which side is later.
 */
export function recordOrderKey(e: Pick<EnrichedRecord, 'endMs' | 'agentId' | 'bootId' | 'sequence' | 'recordIndex'>): string {
  return `${String(e.endMs).padStart(16, '0')} ${batchKey(e)} ${String(e.recordIndex).padStart(7, '0')}`;
}

/** Whether `a` comes after `b` in recordOrderKey's order (strings built only on equal end times). */
export function isLaterRecord(a: EnrichedRecord, b: EnrichedRecord): boolean {
  if (a.endMs !== b.endMs) return a.endMs > b.endMs;
  return recordOrderKey(a) > recordOrderKey(b);
}

/**
 * Small numbers standing for key parts by value, scoped to one aggregator (one fetch), so a map
 * key can be a few UTF-16 units instead of a long string built for every record.
 */
class KeyPartIds {
  private readonly byValue = new Map<string, number>();
  private readonly byObject = new Map<object, number>();

  /** The id already given to `object`, which always stands for the same value. */
  known(object: object): number | undefined {
    return this.byObject.get(object);
  }

  /** The id of `text` (remembered for `object` too, when given). */
  intern(text: string, object?: object): number {
    let id = this.byValue.get(text);
    if (id === undefined) {
      id = this.byValue.size + 1;
      this.byValue.set(text, id);
    }
    if (object !== undefined) this.byObject.set(object, id);
    return id;
  }
}

/** Groups enriched records into documents; `drain()` hands them over and starts afresh. */
export class FlowWindowAggregator {
  private aggregates = new Map<string, FlowAggregate>();
  private verdictIds = new KeyPartIds();
  private nodeIds = new KeyPartIds();
  private serviceIds = new KeyPartIds();

  constructor(private readonly config: AggregationConfig, private readonly inventory: EnrichmentInventory) {}

  /**
   * The part of the key a verdict fixes at its level (endpoint identities, aggregated names,
   * traces): records of one flow share their verdict object, so it is computed once per verdict.
   */
  private verdictKeyId(v: EnrichedRecord['verdict'], level: AggregationLevel, facts: VerdictFacts): number {
    const known = this.verdictIds.known(v);
    if (known !== undefined) return known;
    const hideIdentity = level >= 2;
    const end = (ref: EndpointRef): string => `${ref.kind}\u0001${ref.namespace ?? ''}\u0001${cachedAggregatedName(ref, this.inventory)}\u0001${hideIdentity ? '' : ref.name ?? ''}`;
    return this.verdictIds.intern(`${v.verdict}\u0002${level}\u0002${end(v.source)}\u0002${end(v.destination)}\u0002${facts.tracesKey}`, v);
  }

  private serviceKeyId(service: ServiceRef): number {
    return this.serviceIds.known(service) ?? this.serviceIds.intern(`${service.namespace}/${service.name}:${service.port}`, service);
  }

  add(e: EnrichedRecord): void {
    const v = e.verdict;
    const facts = factsOf(v);
    const level = facts.hasDeny ? this.config.deniedLevel : this.config.allowedLevel;
    const windowStartMs = e.endMs - (e.endMs % this.config.windowMs);
    // The map key: every part that tells documents apart, as UTF-16 units (numbers up to 2^32
    // take two), then the packed addresses when the level keeps them. The document id, a hash
    // over the key's values, is computed once per new document, not per record.
    const hideIps = level >= 2;
    const verdictId = this.verdictKeyId(v, level, facts);
    const nodeId = this.nodeIds.intern(e.record.nodeName);
    const serviceId = e.service === null ? 0 : this.serviceKeyId(e.service);
    const windowHigh = Math.floor(windowStartMs / 4_294_967_296);
    const windowLow = windowStartMs - windowHigh * 4_294_967_296;
    const slot = String.fromCharCode(
      windowHigh, windowLow >>> 16, windowLow & 0xffff, verdictId >>> 16, verdictId & 0xffff, nodeId >>> 16, nodeId & 0xffff,
      (e.reporter === 'dst' ? 256 : 0) | e.record.protocol, serviceId >>> 16, serviceId & 0xffff,
      level >= 1 ? 0 : e.srcPort, level >= 3 ? 0 : e.dstPort, hideIps ? 0 : e.srcIpKey.length,
    ) + (hideIps ? '' : e.srcIpKey + e.dstIpKey);
    let agg = this.aggregates.get(slot);
    if (!agg) {
      const source = endAt(v.source, e.srcIp, e.srcPort, level, true, this.inventory);
      const destination = endAt(v.destination, e.dstIp, e.dstPort, level, false, this.inventory);
      const key = [
        e.record.nodeName, e.reporter, v.verdict, e.record.protocol, level,
        source.kind, source.namespace, source.aggregatedName, source.name, source.ip, source.port,
        destination.kind, destination.namespace, destination.aggregatedName, destination.name, destination.ip, destination.port,
        e.service?.namespace ?? null, e.service?.name ?? null, e.service?.port ?? null,
      ];
      const batch: BatchCounters = { originalBytes: 0, originalPackets: 0, replyBytes: 0, replyPackets: 0, records: 0, maxSequence: e.sequence };
      agg = {
        id: flowDocumentId(key, windowStartMs, facts.tracesIdTail), level, windowStartMs, windowEndMs: windowStartMs + this.config.windowMs, first: e, source, destination,
        perBatch: new Map([[batchKey(e), batch]]), tuples: new Map(),
        sourceLabels: { ...v.source.labels }, destinationLabels: { ...v.destination.labels },
        ctFlags: new Set(), revision: v.revision,
        outcome: e.outcome, lastRecord: e, latest: e, lastBatch: batch, lastEndMs: e.endMs,
      };
      this.aggregates.set(slot, agg);
    } else {
      const last = agg.lastRecord;
      // Records of one flow share endpoint references: intersect labels only when they differ.
      if (v.source.labels !== last.verdict.source.labels) agg.sourceLabels = intersect(agg.sourceLabels, v.source.labels);
      if (v.destination.labels !== last.verdict.destination.labels) agg.destinationLabels = intersect(agg.destinationLabels, v.destination.labels);
      if (e.sequence !== last.sequence || e.agentId !== last.agentId || e.bootId !== last.bootId) {
        const key = batchKey(e);
        let batch = agg.perBatch.get(key);
        if (!batch) {
          batch = { originalBytes: 0, originalPackets: 0, replyBytes: 0, replyPackets: 0, records: 0, maxSequence: e.sequence };
          agg.perBatch.set(key, batch);
        }
        agg.lastBatch = batch;
      }
      agg.lastRecord = e;
      if (isLaterRecord(e, agg.latest)) agg.latest = e;
    }
    const r = e.record;
    const batch = agg.lastBatch;
    batch.originalBytes += r.originalBytes;
    batch.originalPackets += r.originalPackets;
    batch.replyBytes += r.replyBytes;
    batch.replyPackets += r.replyPackets;
    batch.records++;
    // The 5-tuple (the protocol is part of the document key already), marked started/completed.
    const tuple = tupleKey(e.srcIpKey, e.srcPort, e.dstPort, e.dstIpKey);
    const mark = r.eventKind === 'new' ? TUPLE_STARTED : r.eventKind === 'destroy' ? (r.includesStart === true ? TUPLE_STARTED | TUPLE_COMPLETED : TUPLE_COMPLETED) : 0;
    const had = agg.tuples.get(tuple);
    if (had === undefined || (had | mark) !== had) agg.tuples.set(tuple, (had ?? 0) | mark);
    if (r.assured) agg.ctFlags.add('assured');
    if (r.unreplied) agg.ctFlags.add('unreplied');
    agg.revision = Math.max(agg.revision, e.verdict.revision);
    agg.outcome = combineOutcomes(agg.outcome, e.outcome);
    if (e.endMs > agg.lastEndMs) agg.lastEndMs = e.endMs;
  }

  get size(): number {
    return this.aggregates.size;
  }

  drain(): FlowAggregate[] {
    const out = [...this.aggregates.values()];
    this.aggregates = new Map();
    this.verdictIds = new KeyPartIds();
    this.nodeIds = new KeyPartIds();
    this.serviceIds = new KeyPartIds();
    return out;
  }
}

/** The transport name ECS expects for an IANA protocol number. */
export function transportName(protocol: number): string {
  if (protocol === 58) return 'ipv6-icmp';
  return protocolName(protocol).toLowerCase();
}
