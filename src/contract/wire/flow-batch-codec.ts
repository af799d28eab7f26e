/**
 * Typed codec for the `segflow.v1.FlowBatch` wire message (see `proto/segflow/v1/flow.proto`).
 *
 * The generated protobufjs code speaks in wire terms (enum numbers, `Long`, optional
 * everything); this layer speaks in the terms the collector and the enricher use: string enums,
 * `number` counters, `bigint` nanosecond timestamps, tuples that are always present. Both
 * directions validate, so a producer cannot emit what a consumer would reject, and a consumer
 * gets one precise error (a {@link FlowBatchDecodeError} naming the offending field) for a
 * message it must dead-letter.
 */
import Long from 'long';
import { segflow } from './generated/flow.js';
import { lossReportFromWire, lossReportToWire, type LossReportData } from './loss-report.ts';

const pb = segflow.v1;

/** Largest encoded batch accepted by default: a little under Kafka's default `message.max.bytes` (1 MiB + overhead). */
export const DEFAULT_MAX_FLOW_BATCH_BYTES = 1_000_000;

/** Where a record was observed. */
export type FlowSourceKind = 'conntrack' | 'ebpf' | 'synthetic';
/** What happened to the flow in the reported interval. */
export type FlowEventKind = 'new' | 'update' | 'destroy';
/** What the datapath did with the flow, if the source knows. */
export type DataplaneVerdict = 'unknown' | 'allow' | 'deny';
/** conntrack's TCP state names; `unspecified` for non-TCP flows. */
export type TcpState =
  | 'unspecified'
  | 'NONE'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'SYN_SENT2';

/** One direction of a connection. IPs are raw network-order bytes (4 for IPv4, 16 for IPv6). */
export interface FlowTupleData {
  srcIp: Uint8Array;
  dstIp: Uint8Array;
  /** 0 when the protocol has no ports. */
  srcPort: number;
  /** 0 when the protocol has no ports. */
  dstPort: number;
}

/** One flow as one node saw it during one report interval (field meanings: see flow.proto). */
export interface FlowRecordData {
  source: FlowSourceKind;
  nodeName: string;
  /** Start of the flow, Unix ns; 0n when unknown. */
  startTimeUnixNano: bigint;
  /** End of the reported interval (or of the flow, for `destroy`), Unix ns. */
  endTimeUnixNano: bigint;
  ipVersion: 4 | 6;
  /** IANA protocol number. */
  protocol: number;
  original: FlowTupleData;
  reply: FlowTupleData;
  /** Deltas since the previous report of this flow. */
  originalPackets: number;
  originalBytes: number;
  replyPackets: number;
  replyBytes: number;
  eventKind: FlowEventKind;
  tcpState: TcpState;
  assured: boolean;
  unreplied: boolean;
  conntrackId: number;
  conntrackMark: number;
  dataplaneVerdict: DataplaneVerdict;
  ruleHint: string;
  icmpType: number;
  icmpCode: number;
  icmpId: number;
  /** False when the source had no accounting: all counters are then 0 and mean "unknown". */
  countersValid: boolean;
}

/** A batch of records from one agent: one Kafka message. */
export interface FlowBatchData {
  agentId: string;
  /** Random per agent start; the sequence restarts with it. */
  bootId: string;
  /** 1, 2, 3, ... per (agentId, bootId). */
  sequence: number;
  records: FlowRecordData[];
  /** When the agent built the batch, Unix ns. */
  sentTimeUnixNano: bigint;
  nodeName: string;
  /** What the agent lost before delivery (loss-report.ts); absent = nothing. */
  loss?: LossReportData;
  /** Interval of the agent's heartbeat batches, ms; absent/0 = it sends none. */
  heartbeatIntervalMs?: number;
}

/** Options for {@link encodeFlowBatch} and {@link decodeFlowBatch}. */
export interface FlowBatchCodecOptions {
  /** Largest encoded size accepted, in bytes (default {@link DEFAULT_MAX_FLOW_BATCH_BYTES}). */
  maxBytes?: number;
}

/** Thrown when a message is not a valid FlowBatch; `field` is the path of the offending field. */
export class FlowBatchDecodeError extends Error {
  override readonly name = 'FlowBatchDecodeError';
  constructor(
    /** Path of the offending field, e.g. `records[3].original.src_ip`; `(message)` for the whole message. */
    readonly field: string,
    /** What is wrong with it. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid FlowBatch: ${field}: ${reason}`, options);
  }
}

/** Thrown when a batch to encode is invalid or too large (producer-side bug or misconfiguration). */
export class FlowBatchEncodeError extends Error {
  override readonly name = 'FlowBatchEncodeError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`cannot encode FlowBatch: ${field}: ${reason}`);
  }
}

/** Thrown by {@link encodeFlowBatch} when the encoded batch exceeds the size limit. */
export class FlowBatchTooLargeError extends FlowBatchEncodeError {
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super('(message)', `encoded size ${sizeBytes} bytes exceeds the limit of ${maxBytes} bytes`);
  }
}

const SOURCE_TO_WIRE: Record<FlowSourceKind, number> = {
  conntrack: pb.FlowSource.FLOW_SOURCE_CONNTRACK,
  ebpf: pb.FlowSource.FLOW_SOURCE_EBPF,
  synthetic: pb.FlowSource.FLOW_SOURCE_SYNTHETIC,
};
const EVENT_TO_WIRE: Record<FlowEventKind, number> = {
  new: pb.FlowEventKind.FLOW_EVENT_KIND_NEW,
  update: pb.FlowEventKind.FLOW_EVENT_KIND_UPDATE,
  destroy: pb.FlowEventKind.FLOW_EVENT_KIND_DESTROY,
};
const VERDICT_TO_WIRE: Record<DataplaneVerdict, number> = {
  unknown: pb.DataplaneVerdict.DATAPLANE_VERDICT_UNKNOWN,
  allow: pb.DataplaneVerdict.DATAPLANE_VERDICT_ALLOW,
  deny: pb.DataplaneVerdict.DATAPLANE_VERDICT_DENY,
};
const TCP_STATE_TO_WIRE: Record<TcpState, number> = {
  unspecified: pb.TcpState.TCP_STATE_UNSPECIFIED,
  NONE: pb.TcpState.TCP_STATE_NONE,
  SYN_SENT: pb.TcpState.TCP_STATE_SYN_SENT,
  SYN_RECV: pb.TcpState.TCP_STATE_SYN_RECV,
  ESTABLISHED: pb.TcpState.TCP_STATE_ESTABLISHED,
  FIN_WAIT: pb.TcpState.TCP_STATE_FIN_WAIT,
  CLOSE_WAIT: pb.TcpState.TCP_STATE_CLOSE_WAIT,
  LAST_ACK: pb.TcpState.TCP_STATE_LAST_ACK,
  TIME_WAIT: pb.TcpState.TCP_STATE_TIME_WAIT,
  CLOSE: pb.TcpState.TCP_STATE_CLOSE,
  SYN_SENT2: pb.TcpState.TCP_STATE_SYN_SENT2,
};

function invert<K extends string>(table: Record<K, number>): Map<number, K> {
  return new Map(Object.entries(table).map(([k, v]) => [v as number, k as K]));
}
const SOURCE_FROM_WIRE = invert(SOURCE_TO_WIRE);
const EVENT_FROM_WIRE = invert(EVENT_TO_WIRE);
const VERDICT_FROM_WIRE = invert(VERDICT_TO_WIRE);
const TCP_STATE_FROM_WIRE = invert(TCP_STATE_TO_WIRE);

const MAX_U64 = (1n << 64n) - 1n;

function bigintToLong(value: bigint): Long {
  return Long.fromBits(Number(value & 0xffffffffn) | 0, Number((value >> 32n) & 0xffffffffn) | 0, true);
}

function longToBigint(value: number | Long | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'number') return BigInt(value);
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

function longToSafeNumber(value: number | Long | null | undefined, field: string): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  const high = value.high >>> 0;
  // 2^53 = high word 0x200000; anything at or above cannot be represented exactly.
  if (high >= 0x200000) {
    throw new FlowBatchDecodeError(field, `value ${longToBigint(value)} exceeds 2^53-1 and cannot be represented exactly`);
  }
  return high * 0x1_0000_0000 + (value.low >>> 0);
}

/** Checks everything a consumer relies on; `fail` builds the error for the direction (encode/decode). */
function validateBatch(batch: FlowBatchData, fail: (field: string, reason: string) => Error): void {
  if (!batch.agentId) throw fail('agent_id', 'is empty');
  if (!batch.bootId) throw fail('boot_id', 'is empty');
  if (!Number.isSafeInteger(batch.sequence) || batch.sequence < 1) {
    throw fail('sequence', `must be an integer >= 1, got ${batch.sequence}`);
  }
  if (batch.sentTimeUnixNano < 0n || batch.sentTimeUnixNano > MAX_U64) throw fail('sent_time_unix_nano', 'out of range');
  for (let i = 0; i < batch.records.length; i++) {
    validateRecord(batch.records[i]!, `records[${i}]`, fail);
  }
}

function validateTuple(tuple: FlowTupleData | undefined, path: string, ipVersion: number, fail: (f: string, r: string) => Error): void {
  if (!tuple) throw fail(path, 'is missing');
  const want = ipVersion === 4 ? 4 : 16;
  for (const [name, ip] of [
    ['src_ip', tuple.srcIp],
    ['dst_ip', tuple.dstIp],
  ] as const) {
    if (!(ip instanceof Uint8Array) || ip.length !== want) {
      throw fail(`${path}.${name}`, `has ${ip instanceof Uint8Array ? ip.length : 'no'} bytes, IPv${ipVersion} needs ${want}`);
    }
  }
  for (const [name, port] of [
    ['src_port', tuple.srcPort],
    ['dst_port', tuple.dstPort],
  ] as const) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw fail(`${path}.${name}`, `${port} is not a port number`);
  }
}

function validateRecord(r: FlowRecordData, path: string, fail: (field: string, reason: string) => Error): void {
  if (!(r.source in SOURCE_TO_WIRE)) throw fail(`${path}.source`, `unknown source ${JSON.stringify(r.source)}`);
  if (!(r.eventKind in EVENT_TO_WIRE)) throw fail(`${path}.event_kind`, `unknown event kind ${JSON.stringify(r.eventKind)}`);
  if (!(r.tcpState in TCP_STATE_TO_WIRE)) throw fail(`${path}.tcp_state`, `unknown TCP state ${JSON.stringify(r.tcpState)}`);
  if (!(r.dataplaneVerdict in VERDICT_TO_WIRE)) {
    throw fail(`${path}.dataplane_verdict`, `unknown verdict ${JSON.stringify(r.dataplaneVerdict)}`);
  }
  if (!r.nodeName) throw fail(`${path}.node_name`, 'is empty');
  if (r.ipVersion !== 4 && r.ipVersion !== 6) throw fail(`${path}.ip_version`, `must be 4 or 6, got ${r.ipVersion}`);
  if (!Number.isInteger(r.protocol) || r.protocol < 0 || r.protocol > 255) {
    throw fail(`${path}.protocol`, `${r.protocol} is not an IP protocol number (0-255)`);
  }
  validateTuple(r.original, `${path}.original`, r.ipVersion, fail);
  validateTuple(r.reply, `${path}.reply`, r.ipVersion, fail);
  for (const [name, v] of [
    ['original_packets', r.originalPackets],
    ['original_bytes', r.originalBytes],
    ['reply_packets', r.replyPackets],
    ['reply_bytes', r.replyBytes],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw fail(`${path}.${name}`, `must be a non-negative integer, got ${v}`);
  }
  for (const [name, v] of [
    ['start_time_unix_nano', r.startTimeUnixNano],
    ['end_time_unix_nano', r.endTimeUnixNano],
  ] as const) {
    if (typeof v !== 'bigint' || v < 0n || v > MAX_U64) throw fail(`${path}.${name}`, `must be a uint64 bigint, got ${String(v)}`);
  }
  if (r.endTimeUnixNano === 0n) throw fail(`${path}.end_time_unix_nano`, 'is 0 (every record must say when it was observed)');
  if (r.startTimeUnixNano > r.endTimeUnixNano) {
    throw fail(`${path}.start_time_unix_nano`, `${r.startTimeUnixNano} is after end_time_unix_nano ${r.endTimeUnixNano}`);
  }
  for (const [name, v, max] of [
    ['conntrack_id', r.conntrackId, 0xffffffff],
    ['conntrack_mark', r.conntrackMark, 0xffffffff],
    ['icmp_type', r.icmpType, 255],
    ['icmp_code', r.icmpCode, 255],
    ['icmp_id', r.icmpId, 65535],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > max) throw fail(`${path}.${name}`, `must be an integer in 0..${max}, got ${v}`);
  }
}

function tupleToWire(t: FlowTupleData): segflow.v1.FlowTuple.$Properties {
  return { srcIp: t.srcIp, dstIp: t.dstIp, srcPort: t.srcPort, dstPort: t.dstPort };
}

function recordToWire(r: FlowRecordData): segflow.v1.FlowRecord.$Properties {
  return {
    source: SOURCE_TO_WIRE[r.source],
    nodeName: r.nodeName,
    startTimeUnixNano: bigintToLong(r.startTimeUnixNano),
    endTimeUnixNano: bigintToLong(r.endTimeUnixNano),
    ipVersion: r.ipVersion,
    protocol: r.protocol,
    original: tupleToWire(r.original),
    reply: tupleToWire(r.reply),
    originalPackets: r.originalPackets,
    originalBytes: r.originalBytes,
    replyPackets: r.replyPackets,
    replyBytes: r.replyBytes,
    eventKind: EVENT_TO_WIRE[r.eventKind],
    tcpState: TCP_STATE_TO_WIRE[r.tcpState],
    assured: r.assured,
    unreplied: r.unreplied,
    conntrackId: r.conntrackId,
    conntrackMark: r.conntrackMark,
    dataplaneVerdict: VERDICT_TO_WIRE[r.dataplaneVerdict],
    ruleHint: r.ruleHint,
    icmpType: r.icmpType,
    icmpCode: r.icmpCode,
    icmpId: r.icmpId,
    countersValid: r.countersValid,
  };
}

/**
 * Validates and encodes a batch. Throws {@link FlowBatchEncodeError} naming the first invalid
 * field, or {@link FlowBatchTooLargeError} when the result exceeds `options.maxBytes`.
 */
export function encodeFlowBatch(batch: FlowBatchData, options: FlowBatchCodecOptions = {}): Uint8Array {
  validateBatch(batch, (field, reason) => new FlowBatchEncodeError(field, reason));
  const bytes = pb.FlowBatch.encode({
    agentId: batch.agentId,
    bootId: batch.bootId,
    sequence: batch.sequence,
    records: batch.records.map(recordToWire),
    sentTimeUnixNano: bigintToLong(batch.sentTimeUnixNano),
    nodeName: batch.nodeName,
    loss: lossReportToWire(batch.loss) ?? null,
    heartbeatIntervalMs: batch.heartbeatIntervalMs ?? 0,
  }).finish();
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FLOW_BATCH_BYTES;
  if (bytes.length > maxBytes) throw new FlowBatchTooLargeError(bytes.length, maxBytes);
  return bytes;
}

function enumFromWire<K extends string>(table: Map<number, K>, value: number | null | undefined, field: string, what: string): K {
  const key = table.get(value ?? 0);
  if (key === undefined) throw new FlowBatchDecodeError(field, `${what} ${value ?? 0} is not a known value`);
  return key;
}

function tupleFromWire(t: segflow.v1.FlowTuple.$Properties | null | undefined, path: string): FlowTupleData {
  if (!t) throw new FlowBatchDecodeError(path, 'is missing');
  return { srcIp: t.srcIp ?? new Uint8Array(0), dstIp: t.dstIp ?? new Uint8Array(0), srcPort: t.srcPort ?? 0, dstPort: t.dstPort ?? 0 };
}

function recordFromWire(r: segflow.v1.FlowRecord.$Properties, path: string): FlowRecordData {
  const ipVersion = r.ipVersion ?? 0;
  if (ipVersion !== 4 && ipVersion !== 6) throw new FlowBatchDecodeError(`${path}.ip_version`, `must be 4 or 6, got ${ipVersion}`);
  return {
    source: enumFromWire(SOURCE_FROM_WIRE, r.source, `${path}.source`, 'source'),
    nodeName: r.nodeName ?? '',
    startTimeUnixNano: longToBigint(r.startTimeUnixNano),
    endTimeUnixNano: longToBigint(r.endTimeUnixNano),
    ipVersion,
    protocol: r.protocol ?? 0,
    original: tupleFromWire(r.original, `${path}.original`),
    reply: tupleFromWire(r.reply, `${path}.reply`),
    originalPackets: longToSafeNumber(r.originalPackets, `${path}.original_packets`),
    originalBytes: longToSafeNumber(r.originalBytes, `${path}.original_bytes`),
    replyPackets: longToSafeNumber(r.replyPackets, `${path}.reply_packets`),
    replyBytes: longToSafeNumber(r.replyBytes, `${path}.reply_bytes`),
    eventKind: enumFromWire(EVENT_FROM_WIRE, r.eventKind, `${path}.event_kind`, 'event kind'),
    tcpState: enumFromWire(TCP_STATE_FROM_WIRE, r.tcpState, `${path}.tcp_state`, 'TCP state'),
    assured: r.assured ?? false,
    unreplied: r.unreplied ?? false,
    conntrackId: r.conntrackId ?? 0,
    conntrackMark: r.conntrackMark ?? 0,
    dataplaneVerdict: enumFromWire(VERDICT_FROM_WIRE, r.dataplaneVerdict, `${path}.dataplane_verdict`, 'verdict'),
    ruleHint: r.ruleHint ?? '',
    icmpType: r.icmpType ?? 0,
    icmpCode: r.icmpCode ?? 0,
    icmpId: r.icmpId ?? 0,
    countersValid: r.countersValid ?? false,
  };
}

/**
 * Decodes and validates one Kafka message value. Throws {@link FlowBatchDecodeError} naming
 * what is wrong: the size limit, a truncated or malformed protobuf, a missing or out-of-range
 * field (with its path, e.g. `records[2].original.src_ip`), an unknown enum value.
 */
export function decodeFlowBatch(bytes: Uint8Array, options: FlowBatchCodecOptions = {}): FlowBatchData {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FLOW_BATCH_BYTES;
  if (bytes.length === 0) throw new FlowBatchDecodeError('(message)', 'is empty (0 bytes)');
  if (bytes.length > maxBytes) {
    throw new FlowBatchDecodeError('(message)', `size ${bytes.length} bytes exceeds the limit of ${maxBytes} bytes`);
  }
  let wire: segflow.v1.FlowBatch;
  try {
    wire = pb.FlowBatch.decode(bytes);
  } catch (err) {
    throw new FlowBatchDecodeError('(message)', `not a valid protobuf FlowBatch (${(err as Error).message})`, { cause: err });
  }
  const records: FlowRecordData[] = new Array<FlowRecordData>(wire.records.length);
  for (let i = 0; i < wire.records.length; i++) records[i] = recordFromWire(wire.records[i]!, `records[${i}]`);
  const batch: FlowBatchData = {
    agentId: wire.agentId,
    bootId: wire.bootId,
    sequence: longToSafeNumber(wire.sequence, 'sequence'),
    records,
    sentTimeUnixNano: longToBigint(wire.sentTimeUnixNano),
    nodeName: wire.nodeName,
  };
  const loss = lossReportFromWire(wire.loss);
  if (loss) batch.loss = loss;
  if (wire.heartbeatIntervalMs) batch.heartbeatIntervalMs = wire.heartbeatIntervalMs;
  validateBatch(batch, (field, reason) => new FlowBatchDecodeError(field, reason));
  return batch;
}
