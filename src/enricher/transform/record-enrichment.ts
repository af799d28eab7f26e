/**
 * One raw record → the facts a flow document is built from: both ends resolved (through Service
 * DNAT: the dialled address is the Service, the reply's source is the backend workload), the
 * policy verdict with both sides' traces, which end reported it, and what was observed.
 * Pure: the inventory is passed in, nothing is read or written here.
 */
import type { FlowBatchData, FlowRecordData } from '../../contract/wire/flow-batch-codec.ts';
import type { ServiceResolution } from '../../inventory/endpoints/endpoint-index.ts';
import type { Verdict } from '../../inventory/policy/verdict-engine.ts';
import type { EnrichmentInventory } from './enrichment-inventory.ts';
import { IpTextCache } from './ip-text-cache.ts';
import { isMismatch, observedOutcome, type ObservedOutcome } from './observed-outcome.ts';

export interface ServiceRef {
  readonly ip: string;
  readonly port: number;
  readonly name: string;
  readonly namespace: string;
  readonly portName: string | null;
}

export interface EnrichedRecord {
  readonly record: FlowRecordData;
  readonly agentId: string;
  readonly bootId: string;
  readonly sequence: number;
  /** Position of the record in its batch (with the batch, the record's identity). */
  readonly recordIndex: number;
  readonly srcIp: string;
  readonly srcPort: number;
  /** The address policy was evaluated against: the backend after DNAT. */
  readonly dstIp: string;
  readonly dstPort: number;
  /** `srcIp` / `dstIp` packed as short exact key fragments (see ip-text-cache.ts). */
  readonly srcIpKey: string;
  readonly dstIpKey: string;
  /** Source address after SNAT, when the reply went to another address. */
  readonly srcNatIp: string | null;
  readonly srcNatPort: number | null;
  readonly service: ServiceRef | null;
  readonly verdict: Verdict;
  readonly reporter: 'src' | 'dst';
  readonly outcome: ObservedOutcome;
  /** This record alone contradicts the verdict (documents combine their records' outcomes first). */
  readonly mismatch: boolean;
  readonly startMs: number;
  readonly endMs: number;
}

const ICMP = new Set([1, 58]);
const ipTexts = new IpTextCache();
const serviceRefs = new WeakMap<ServiceResolution, ServiceRef>();

function nanosToMs(value: bigint): number {
  return Number(value / 1_000_000n);
}

/** Enriches one record of a batch. Throws (FlowInputError) only for addresses the engine rejects. */
export function enrichRecord(record: FlowRecordData, batch: Pick<FlowBatchData, 'agentId' | 'bootId' | 'sequence' | 'nodeName'>, inventory: EnrichmentInventory, recordIndex = 0): EnrichedRecord {
  const src = ipTexts.forms(record.original.srcIp);
  const dialled = ipTexts.forms(record.original.dstIp);
  const replySrc = ipTexts.forms(record.reply.srcIp);
  const srcIp = src.text;
  const dialledIp = dialled.text;
  const replySrcIp = replySrc.text;
  const replyDstIp = ipTexts.forms(record.reply.dstIp).text;
  const hasPorts = !ICMP.has(record.protocol);
  // DNAT shows as a reply coming from another address/port than the one dialled.
  const dnat = replySrcIp !== dialledIp || (hasPorts && record.reply.srcPort !== record.original.dstPort);
  const dst = dnat ? replySrc : dialled;
  const dstIp = dst.text;
  const dstPort = hasPorts ? (dnat ? record.reply.srcPort : record.original.dstPort) : 0;
  const snat = replyDstIp !== srcIp;

  let service: ServiceRef | null = null;
  const resolution = inventory.resolveService(dialledIp, record.protocol, record.original.dstPort);
  if (resolution) {
    // One reference per Service address and port, shared by its records (the aggregator keys on it).
    service = serviceRefs.get(resolution) ?? null;
    if (service === null || service.ip !== dialledIp || service.port !== record.original.dstPort) {
      service = { ip: dialledIp, port: record.original.dstPort, name: resolution.name, namespace: resolution.namespace, portName: resolution.port?.name ?? null };
      serviceRefs.set(resolution, service);
    }
  }

  const endMs = nanosToMs(record.endTimeUnixNano);
  const verdict = inventory.explain(hasPorts
    ? { srcIp, dstIp, protocol: record.protocol, srcPort: record.original.srcPort, dstPort, time: endMs }
    : { srcIp, dstIp, protocol: record.protocol, icmpType: record.icmpType, icmpCode: record.icmpCode, time: endMs });

  // Calico's reporter: the end whose node produced the record. Unknown nodes (synthetic data,
  // endpoints without a node) count as the source side, which is where the record originated.
  const node = record.nodeName || batch.nodeName;
  const reporter: 'src' | 'dst' = verdict.source.node !== node && verdict.destination.node === node ? 'dst' : 'src';
  const outcome = observedOutcome(record);
  return {
    record, agentId: batch.agentId, bootId: batch.bootId, sequence: batch.sequence, recordIndex,
    srcIp, srcPort: hasPorts ? record.original.srcPort : 0, dstIp, dstPort, srcIpKey: src.packed, dstIpKey: dst.packed,
    srcNatIp: snat ? replyDstIp : null, srcNatPort: snat && hasPorts ? record.reply.dstPort : null,
    service, verdict, reporter, outcome, mismatch: isMismatch(verdict.verdict, outcome),
    startMs: record.startTimeUnixNano > 0n ? nanosToMs(record.startTimeUnixNano) : endMs, endMs,
  };
}
