/**
 * The enricher's decoder of `segflow.v1.FlowBatch` messages. Unlike the shared codec
 * (src/contract/wire/flow-batch-codec.ts, which throws at the first invalid field so a producer cannot
 * emit anything wrong), it reads every record on its own and collects *every* problem of every
 * record with its field path: good records of a message are used, each bad one is rejected
 * naming all that is wrong with it. It keeps the decoded wire records, so a rejected record can
 * be dead-lettered as a FlowBatch of its own.
 *
 * Field rules are the codec's (a unit test checks both agree on valid and invalid input).
 */
import Long from 'long';
import { segflow } from '../../contract/wire/generated/flow.js';
import { lossReportFromWire } from '../../contract/wire/loss-report.ts';
import type { DataplaneVerdict, FlowBatchData, FlowEventKind, FlowRecordData, FlowSourceKind, FlowTupleData, TcpState } from '../../contract/wire/flow-batch-codec.ts';
import type { IngestProblem } from './ingest-problem.ts';

const pb = segflow.v1;

const SOURCES = new Map<number, FlowSourceKind>([[pb.FlowSource.FLOW_SOURCE_CONNTRACK, 'conntrack'], [pb.FlowSource.FLOW_SOURCE_EBPF, 'ebpf'], [pb.FlowSource.FLOW_SOURCE_SYNTHETIC, 'synthetic']]);
const EVENTS = new Map<number, FlowEventKind>([[pb.FlowEventKind.FLOW_EVENT_KIND_NEW, 'new'], [pb.FlowEventKind.FLOW_EVENT_KIND_UPDATE, 'update'], [pb.FlowEventKind.FLOW_EVENT_KIND_DESTROY, 'destroy']]);
const VERDICTS = new Map<number, DataplaneVerdict>([[pb.DataplaneVerdict.DATAPLANE_VERDICT_UNKNOWN, 'unknown'], [pb.DataplaneVerdict.DATAPLANE_VERDICT_ALLOW, 'allow'], [pb.DataplaneVerdict.DATAPLANE_VERDICT_DENY, 'deny']]);
const TCP_STATES = new Map<number, TcpState>([
  [pb.TcpState.TCP_STATE_UNSPECIFIED, 'unspecified'], [pb.TcpState.TCP_STATE_NONE, 'NONE'], [pb.TcpState.TCP_STATE_SYN_SENT, 'SYN_SENT'],
  [pb.TcpState.TCP_STATE_SYN_RECV, 'SYN_RECV'], [pb.TcpState.TCP_STATE_ESTABLISHED, 'ESTABLISHED'], [pb.TcpState.TCP_STATE_FIN_WAIT, 'FIN_WAIT'],
  [pb.TcpState.TCP_STATE_CLOSE_WAIT, 'CLOSE_WAIT'], [pb.TcpState.TCP_STATE_LAST_ACK, 'LAST_ACK'], [pb.TcpState.TCP_STATE_TIME_WAIT, 'TIME_WAIT'],
  [pb.TcpState.TCP_STATE_CLOSE, 'CLOSE'], [pb.TcpState.TCP_STATE_SYN_SENT2, 'SYN_SENT2'],
]);

/** One record of a decoded message: the data when it is valid, its problems otherwise. */
export interface DecodedRecord {
  /** Position in the message's `records`. */
  readonly index: number;
  /** The record as far as it could be read (placeholders where a field is invalid). */
  readonly data: FlowRecordData;
  /** Every field-level problem; empty when the record is valid. */
  readonly problems: IngestProblem[];
  /** The record as the wire had it (to dead-letter it on its own). */
  readonly wire: segflow.v1.FlowRecord.$Properties;
}

/** A decoded message: batch fields, their problems, and every record with its own. */
export interface DecodedFlowBatch {
  readonly batch: Omit<FlowBatchData, 'records'>;
  /** Problems of the batch's own fields (agent_id, boot_id, sequence): the whole message is unusable. */
  readonly problems: IngestProblem[];
  readonly records: DecodedRecord[];
}

/** The message could not be read as a FlowBatch at all (empty, too large, not protobuf). */
export class UndecodableFlowBatch extends Error {
  override readonly name = 'UndecodableFlowBatch';
  constructor(readonly problem: IngestProblem) {
    super(`${problem.field}: ${problem.message}`);
  }
}

const MAX_U64_BIGINT = (1n << 64n) - 1n;

/** Records that `name` of record `index` is invalid. */
function invalid(problems: IngestProblem[], index: number, name: string, message: string): void {
  problems.push({ code: 'invalid_field', field: fieldPath(index, name), message });
}

/** `records[i].name` (index -1: a batch field); built only for a problem, most records have none. */
function fieldPath(index: number, name: string): string {
  return index < 0 ? name : `records[${index}].${name}`;
}

function toBigint(value: number | Long | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'number') return BigInt(value);
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

/** A uint64 as a number; above 2^53-1 a problem is recorded and the (inexact) value kept for the bound checks. */
function toSafeNumber(value: number | Long | null | undefined, index: number, name: string, problems: IngestProblem[]): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  const high = value.high >>> 0;
  const n = high * 0x1_0000_0000 + (value.low >>> 0);
  // 2^53 = high word 0x200000; anything at or above cannot be represented exactly.
  if (high >= 0x200000) problems.push({ code: 'invalid_field', field: fieldPath(index, name), message: `${toBigint(value)} exceeds 2^53-1 and cannot be represented exactly` });
  return n;
}

function enumOf<K extends string>(table: Map<number, K>, value: number | null | undefined, index: number, name: string, what: string, fallback: K, problems: IngestProblem[]): K {
  const key = table.get(value ?? 0);
  if (key === undefined) {
    problems.push({ code: 'invalid_field', field: fieldPath(index, name), message: `${what} ${value ?? 0} is not a known value` });
    return fallback;
  }
  return key;
}

function tupleOf(t: segflow.v1.FlowTuple.$Properties | null | undefined, index: number, which: 'original' | 'reply', ipVersion: number, problems: IngestProblem[]): FlowTupleData {
  if (!t) {
    problems.push({ code: 'invalid_field', field: fieldPath(index, which), message: 'is missing' });
    return { srcIp: new Uint8Array(ipVersion === 6 ? 16 : 4), dstIp: new Uint8Array(ipVersion === 6 ? 16 : 4), srcPort: 0, dstPort: 0 };
  }
  const tuple = { srcIp: t.srcIp ?? new Uint8Array(0), dstIp: t.dstIp ?? new Uint8Array(0), srcPort: t.srcPort ?? 0, dstPort: t.dstPort ?? 0 };
  if (ipVersion === 4 || ipVersion === 6) {
    const want = ipVersion === 4 ? 4 : 16;
    if (tuple.srcIp.length !== want) problems.push({ code: 'invalid_field', field: fieldPath(index, `${which}.src_ip`), message: `has ${tuple.srcIp.length} bytes, IPv${ipVersion} needs ${want}` });
    if (tuple.dstIp.length !== want) problems.push({ code: 'invalid_field', field: fieldPath(index, `${which}.dst_ip`), message: `has ${tuple.dstIp.length} bytes, IPv${ipVersion} needs ${want}` });
  }
  if (tuple.srcPort > 65535) problems.push({ code: 'invalid_field', field: fieldPath(index, `${which}.src_port`), message: `${tuple.srcPort} is not a port number` });
  if (tuple.dstPort > 65535) problems.push({ code: 'invalid_field', field: fieldPath(index, `${which}.dst_port`), message: `${tuple.dstPort} is not a port number` });
  return tuple;
}

function recordOf(r: segflow.v1.FlowRecord.$Properties, index: number): { data: FlowRecordData; problems: IngestProblem[] } {
  const problems: IngestProblem[] = [];
  const ipVersion = r.ipVersion ?? 0;
  if (ipVersion !== 4 && ipVersion !== 6) invalid(problems, index, 'ip_version', `must be 4 or 6, got ${ipVersion}`);
  const data: FlowRecordData = {
    source: enumOf(SOURCES, r.source, index, 'source', 'source', 'conntrack', problems),
    nodeName: r.nodeName ?? '',
    startTimeUnixNano: toBigint(r.startTimeUnixNano),
    endTimeUnixNano: toBigint(r.endTimeUnixNano),
    ipVersion: ipVersion === 6 ? 6 : 4,
    protocol: r.protocol ?? 0,
    original: tupleOf(r.original, index, 'original', ipVersion, problems),
    reply: tupleOf(r.reply, index, 'reply', ipVersion, problems),
    originalPackets: toSafeNumber(r.originalPackets, index, 'original_packets', problems),
    originalBytes: toSafeNumber(r.originalBytes, index, 'original_bytes', problems),
    replyPackets: toSafeNumber(r.replyPackets, index, 'reply_packets', problems),
    replyBytes: toSafeNumber(r.replyBytes, index, 'reply_bytes', problems),
    eventKind: enumOf(EVENTS, r.eventKind, index, 'event_kind', 'event kind', 'update', problems),
    tcpState: enumOf(TCP_STATES, r.tcpState, index, 'tcp_state', 'TCP state', 'unspecified', problems),
    assured: r.assured ?? false,
    unreplied: r.unreplied ?? false,
    conntrackId: r.conntrackId ?? 0,
    conntrackMark: r.conntrackMark ?? 0,
    dataplaneVerdict: enumOf(VERDICTS, r.dataplaneVerdict, index, 'dataplane_verdict', 'verdict', 'unknown', problems),
    ruleHint: r.ruleHint ?? '',
    icmpType: r.icmpType ?? 0,
    icmpCode: r.icmpCode ?? 0,
    icmpId: r.icmpId ?? 0,
    countersValid: r.countersValid ?? false,
    ...(r.includesStart === true ? { includesStart: true } : {}),
  };
  if (!data.nodeName) invalid(problems, index, 'node_name', 'is empty');
  if (data.includesStart === true && data.eventKind !== 'destroy') invalid(problems, index, 'includes_start', `is set on a ${data.eventKind} record (only a destroy can be a flow's first report too)`);
  if (data.protocol > 255) invalid(problems, index, 'protocol', `${data.protocol} is not an IP protocol number (0-255)`);
  if (data.endTimeUnixNano === 0n) invalid(problems, index, 'end_time_unix_nano', 'is 0 (every record must say when it was observed)');
  if (data.startTimeUnixNano > data.endTimeUnixNano && data.endTimeUnixNano > 0n) {
    problems.push({ code: 'end_before_start', field: fieldPath(index, 'end_time_unix_nano'), message: `${data.endTimeUnixNano} is before start_time_unix_nano ${data.startTimeUnixNano}` });
  }
  if (data.icmpType > 255) invalid(problems, index, 'icmp_type', `must be an integer in 0..255, got ${data.icmpType}`);
  if (data.icmpCode > 255) invalid(problems, index, 'icmp_code', `must be an integer in 0..255, got ${data.icmpCode}`);
  if (data.icmpId > 65535) invalid(problems, index, 'icmp_id', `must be an integer in 0..65535, got ${data.icmpId}`);
  return { data, problems };
}

/**
 * Decodes one message value. Throws {@link UndecodableFlowBatch} when it is not a FlowBatch at
 * all; otherwise returns every record, each with all its field problems.
 */
export function decodeRawFlowBatch(bytes: Uint8Array, options: { maxBytes: number }): DecodedFlowBatch {
  if (bytes.length === 0) throw new UndecodableFlowBatch({ code: 'undecodable', field: '(message)', message: 'is empty (0 bytes)' });
  if (bytes.length > options.maxBytes) throw new UndecodableFlowBatch({ code: 'too_large', field: '(message)', message: `size ${bytes.length} bytes exceeds the limit of ${options.maxBytes} bytes` });
  let wire: segflow.v1.FlowBatch;
  try {
    wire = pb.FlowBatch.decode(bytes);
  } catch (error) {
    throw new UndecodableFlowBatch({ code: 'undecodable', field: '(message)', message: `not a valid protobuf FlowBatch (${(error as Error).message})` });
  }
  const problems: IngestProblem[] = [];
  const batchProblems: IngestProblem[] = [];
  const sequence = toSafeNumber(wire.sequence, -1, 'sequence', batchProblems);
  const batch: Omit<FlowBatchData, 'records'> = { agentId: wire.agentId, bootId: wire.bootId, sequence, sentTimeUnixNano: toBigint(wire.sentTimeUnixNano), nodeName: wire.nodeName };
  const loss = lossReportFromWire(wire.loss);
  if (loss) batch.loss = loss;
  if (wire.heartbeatIntervalMs) batch.heartbeatIntervalMs = wire.heartbeatIntervalMs;
  if (!batch.agentId) problems.push({ code: 'invalid_batch', field: 'agent_id', message: 'is empty' });
  if (!batch.bootId) problems.push({ code: 'invalid_batch', field: 'boot_id', message: 'is empty' });
  if (sequence < 1) problems.push({ code: 'invalid_batch', field: 'sequence', message: `must be an integer >= 1, got ${sequence}` });
  for (const p of batchProblems) problems.push({ ...p, code: 'invalid_batch' });
  if (batch.sentTimeUnixNano > MAX_U64_BIGINT) problems.push({ code: 'invalid_batch', field: 'sent_time_unix_nano', message: 'out of range' });
  const records: DecodedRecord[] = new Array<DecodedRecord>(wire.records.length);
  for (let i = 0; i < wire.records.length; i++) {
    const w = wire.records[i]!;
    const { data, problems: recordProblems } = recordOf(w, i);
    records[i] = { index: i, data, problems: recordProblems, wire: w };
  }
  return { batch, problems, records };
}

/** A FlowBatch holding one record of `decoded` (the dead-letter payload of a rejected record). */
export function encodeSingleRecordBatch(decoded: DecodedFlowBatch, record: DecodedRecord): Buffer {
  const b = decoded.batch;
  const bytes = pb.FlowBatch.encode({
    agentId: b.agentId, bootId: b.bootId, sequence: b.sequence, nodeName: b.nodeName,
    sentTimeUnixNano: Long.fromString(b.sentTimeUnixNano.toString(), true), records: [record.wire],
  }).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
