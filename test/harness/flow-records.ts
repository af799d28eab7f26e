/** Raw flow records as a node agent reports them, for tests that feed the pipeline directly. */
import type { FlowRecordData } from '../../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../src/contract/wire/ip-address-bytes.ts';

export const msToNanos = (ms: number): bigint => BigInt(ms) * 1_000_000n;

export interface TcpRecordOptions {
  /** Backend the node DNATed to (the reply's source); default the dialled address. */
  readonly replySrc?: string;
  /** The backend's port; default 8080 with `replySrc`, else the dialled port. */
  readonly replySport?: number;
  readonly sport?: number;
  /** Client → server bytes (default 500). */
  readonly bytes?: number;
  /** Never answered: SYNs only, no reply packets. */
  readonly denied?: boolean;
  /** End of the reported interval, epoch ms (default now). */
  readonly endMs?: number;
}

/** A finished TCP connection (a conntrack DESTROY) from `src` to `dst:dport`. */
export function tcpRecord(src: string, dst: string, dport: number, opts: TcpRecordOptions = {}): FlowRecordData {
  const end = opts.endMs ?? Date.now();
  const sport = opts.sport ?? 41000 + Math.floor(Math.random() * 1000);
  return {
    source: 'conntrack', nodeName: 'node-1', startTimeUnixNano: msToNanos(end - 4000), endTimeUnixNano: msToNanos(end), ipVersion: 4, protocol: 6,
    original: { srcIp: ipToBytes(src), dstIp: ipToBytes(dst), srcPort: sport, dstPort: dport },
    reply: { srcIp: ipToBytes(opts.replySrc ?? dst), dstIp: ipToBytes(src), srcPort: opts.replySport ?? (opts.replySrc ? 8080 : dport), dstPort: sport },
    originalPackets: 5, originalBytes: opts.bytes ?? 500, replyPackets: opts.denied ? 0 : 4, replyBytes: opts.denied ? 0 : 2000,
    eventKind: 'destroy', tcpState: opts.denied ? 'SYN_SENT' : 'TIME_WAIT', assured: !opts.denied, unreplied: Boolean(opts.denied),
    conntrackId: 7, conntrackMark: 0, dataplaneVerdict: 'unknown', ruleHint: '', icmpType: 0, icmpCode: 0, icmpId: 0, countersValid: true,
  };
}
