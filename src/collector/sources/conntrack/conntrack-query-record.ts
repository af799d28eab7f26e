/**
 * The agent's side of segflow-conntrack-reader's `query` mode: QUERY records naming entries to
 * look up, then a QUERY_END (layout in conntrack-reader/conntrack_record.h, with the records the
 * reader writes; their kinds and presence bits come from the decoder).
 */
import type { FlowTupleData } from '../../../contract/wire/flow-batch-codec.ts';
import { CONNTRACK_RECORD_SIZE, ConntrackRecordKind, ConntrackRecordPresence } from './conntrack-record-decoder.ts';

/** How an entry's original tuple names its layer-4 endpoints (the record's presence bits). */
export const TupleShape = { none: 0, ports: 1, icmp: 2 } as const;

/**
 * Writes at `o` of `b` a QUERY record for the entry with this identity: `id` and `zone` are -1
 * when the entry has none (then the kernel matches on the tuple alone, in zone 0).
 */
export function writeConntrackQuery(
  b: Buffer,
  o: number,
  ipVersion: 4 | 6,
  protocol: number,
  shape: number,
  id: number,
  zone: number,
  original: FlowTupleData,
  icmpType: number,
  icmpCode: number,
  icmpId: number,
): void {
  b.fill(0, o, o + CONNTRACK_RECORD_SIZE);
  b[o] = ConntrackRecordKind.query;
  b[o + 1] = ipVersion;
  b[o + 2] = protocol;
  const presence =
    (id >= 0 ? ConntrackRecordPresence.id : 0) |
    (zone >= 0 ? ConntrackRecordPresence.zone : 0) |
    (shape === TupleShape.ports ? ConntrackRecordPresence.ports : shape === TupleShape.icmp ? ConntrackRecordPresence.icmp : 0);
  b.writeUInt32LE(presence, o + 4);
  if (id >= 0) b.writeUInt32LE(id, o + 16);
  if (zone >= 0) b.writeUInt16LE(zone, o + 32);
  b.set(original.srcIp, o + 48);
  b.set(original.dstIp, o + 64);
  if (shape === TupleShape.ports) {
    b.writeUInt16LE(original.srcPort, o + 80);
    b.writeUInt16LE(original.dstPort, o + 82);
  } else if (shape === TupleShape.icmp) {
    b[o + 84] = icmpType;
    b[o + 85] = icmpCode;
    b.writeUInt16LE(icmpId, o + 86);
  }
}

/** The QUERY_END record: the reader answers it once every query before it is answered. */
export function conntrackQueryEnd(): Buffer {
  const b = Buffer.alloc(CONNTRACK_RECORD_SIZE);
  b[0] = ConntrackRecordKind.queryEnd;
  return b;
}
