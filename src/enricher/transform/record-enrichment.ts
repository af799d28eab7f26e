/**
 * One raw record → the facts a flow document is built from: both ends resolved (through Service
 * DNAT: the dialled address is the Service, the reply's source is the backend workload), the
 * policy verdict with both sides' traces, which end reported it, and what was observed.
 * Pure: the inventory is passed in, nothing is read or written here.
 */
import { bytesToIp } from '../../proto/ip-address-bytes.ts';
import type { FlowBatchData, FlowRecordData } from '../../proto/flow-batch-codec.ts';
import type { Verdict } from '../../inventory/policy/verdict-engine.ts';
import type { EnrichmentInventory } from './enrichment-inventory.ts';
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
  readonly srcIp: string;
  readonly srcPort: number;
  /** The address policy was evaluated against: the backend after DNAT. */
  readonly dstIp: string;
  readonly dstPort: number;
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

function nanosToMs(value: bigint): number {
  return Number(value / 1_000_000n);
}

/** Enriches one record of a batch. Throws (FlowInputError) only for addresses the engine rejects. */
export function enrichRecord(record: FlowRecordData, batch: Pick<FlowBatchData, 'agentId' | 'bootId' | 'sequence' | 'nodeName'>, inventory: EnrichmentInventory): EnrichedRecord {
  const srcIp = bytesToIp(record.original.srcIp);
  const dialledIp = bytesToIp(record.original.dstIp);
  const replySrcIp = bytesToIp(record.reply.srcIp);
  const replyDstIp = bytesToIp(record.reply.dstIp);
  const hasPorts = !ICMP.has(record.protocol);
  // DNAT shows as a reply coming from another address/port than the one dialled.
  const dnat = replySrcIp !== dialledIp || (hasPorts && record.reply.srcPort !== record.original.dstPort);
  const dstIp = dnat ? replySrcIp : dialledIp;
  const dstPort = hasPorts ? (dnat ? record.reply.srcPort : record.original.dstPort) : 0;
  const snat = replyDstIp !== srcIp;

  let service: ServiceRef | null = null;
  const resolution = inventory.resolveService(dialledIp, record.protocol, record.original.dstPort);
  if (resolution) {
    service = { ip: dialledIp, port: record.original.dstPort, name: resolution.name, namespace: resolution.namespace, portName: resolution.port?.name ?? null };
  }

  const endMs = nanosToMs(record.endTimeUnixNano);
  const verdict = inventory.explain({
    srcIp, dstIp, protocol: record.protocol,
    ...(hasPorts ? { srcPort: record.original.srcPort, dstPort } : { icmpType: record.icmpType, icmpCode: record.icmpCode }),
    time: endMs,
  });

  // Calico's reporter: the end whose node produced the record. Unknown nodes (synthetic data,
  // endpoints without a node) count as the source side, which is where the record originated.
  const node = record.nodeName || batch.nodeName;
  const reporter: 'src' | 'dst' = verdict.source.node !== node && verdict.destination.node === node ? 'dst' : 'src';
  const outcome = observedOutcome(record);
  return {
    record, agentId: batch.agentId, bootId: batch.bootId, sequence: batch.sequence,
    srcIp, srcPort: hasPorts ? record.original.srcPort : 0, dstIp, dstPort,
    srcNatIp: snat ? replyDstIp : null, srcNatPort: snat && hasPorts ? record.reply.dstPort : null,
    service, verdict, reporter, outcome, mismatch: isMismatch(verdict.verdict, outcome),
    startMs: record.startTimeUnixNano > 0n ? nanosToMs(record.startTimeUnixNano) : endMs, endMs,
  };
}
