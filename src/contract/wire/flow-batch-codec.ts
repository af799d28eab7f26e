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
import type Long from 'long';
import { segflow } from './generated/flow.js';
import { lossReportFromWire, lossReportToWire, type LossReportData } from './loss-report.ts';
import { ProtobufWriter, Utf8Memo } from './protobuf-writer.ts';

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
  /** A `destroy` that is also the flow's first report (it started and ended between two reports); absent: false. */
  includesStart?: boolean;
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
  validateBatchHeader(batch, fail);
  for (let i = 0; i < batch.records.length; i++) {
    const problems = recordProblems(batch.records[i]!);
    if (problems) throw fail(`records[${i}].${problems[0]!.field}`, problems[0]!.reason);
  }
}

function validateBatchHeader(batch: FlowBatchHeader, fail: (field: string, reason: string) => Error): void {
  if (!batch.agentId) throw fail('agent_id', 'is empty');
  if (!batch.bootId) throw fail('boot_id', 'is empty');
  if (!Number.isSafeInteger(batch.sequence) || batch.sequence < 1) {
    throw fail('sequence', `must be an integer >= 1, got ${batch.sequence}`);
  }
  if (batch.sentTimeUnixNano < 0n || batch.sentTimeUnixNano > MAX_U64) throw fail('sent_time_unix_nano', 'out of range');
}

/** One thing wrong with a record: the field (relative to the record, wire name) and why. */
export interface FlowRecordProblem {
  field: string;
  reason: string;
}

/** Receives each problem found; null = only say whether there is one. */
type ProblemSink = ((field: string, reason: string) => void) | null;

const isIpOf = (ip: unknown, want: number): boolean => ip instanceof Uint8Array && ip.length === want;
const isPort = (port: number): boolean => Number.isInteger(port) && port >= 0 && port <= 65535;
const isUintUpTo = (v: number, max: number): boolean => Number.isInteger(v) && v >= 0 && v <= max;
const isCounter = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;
const isU64 = (v: bigint): boolean => typeof v === 'bigint' && v >= 0n && v <= MAX_U64;

function checkTuple(tuple: FlowTupleData | undefined, name: string, ipVersion: number, report: ProblemSink): boolean {
  if (!tuple) {
    report?.(name, 'is missing');
    return false;
  }
  const want = ipVersion === 4 ? 4 : 16;
  let ok = true;
  if (!isIpOf(tuple.srcIp, want)) {
    ok = false;
    report?.(`${name}.src_ip`, `has ${tuple.srcIp instanceof Uint8Array ? tuple.srcIp.length : 'no'} bytes, IPv${ipVersion} needs ${want}`);
  }
  if (!isIpOf(tuple.dstIp, want)) {
    ok = false;
    report?.(`${name}.dst_ip`, `has ${tuple.dstIp instanceof Uint8Array ? tuple.dstIp.length : 'no'} bytes, IPv${ipVersion} needs ${want}`);
  }
  if (!isPort(tuple.srcPort)) {
    ok = false;
    report?.(`${name}.src_port`, `${tuple.srcPort} is not a port number`);
  }
  if (!isPort(tuple.dstPort)) {
    ok = false;
    report?.(`${name}.dst_port`, `${tuple.dstPort} is not a port number`);
  }
  return ok;
}

/**
 * Reports one problem (its reason built only when someone listens); counts 1. The reason gets
 * the record as an argument: an arrow that captured it would make every call of checkRecord
 * allocate a context for it.
 */
function problem(report: ProblemSink, field: string, r: FlowRecordData, reason: (r: FlowRecordData) => string): number {
  report?.(field, reason(r));
  return 1;
}

/**
 * Whether `r` is valid, reporting every problem to `report` (in field order). Allocates nothing
 * for a valid record: it runs for every record of every batch, on both sides.
 */
function checkRecord(r: FlowRecordData, report: ProblemSink): boolean {
  let problems = 0;
  if (!Object.hasOwn(SOURCE_TO_WIRE, r.source)) problems += problem(report, 'source', r, (r) => `unknown source ${JSON.stringify(r.source)}`);
  if (!Object.hasOwn(EVENT_TO_WIRE, r.eventKind)) problems += problem(report, 'event_kind', r, (r) => `unknown event kind ${JSON.stringify(r.eventKind)}`);
  if (r.includesStart === true && r.eventKind !== 'destroy') problems += problem(report, 'includes_start', r, (r) => `is set on a ${r.eventKind} record (only a destroy can be a flow's first report too)`);
  if (!Object.hasOwn(TCP_STATE_TO_WIRE, r.tcpState)) problems += problem(report, 'tcp_state', r, (r) => `unknown TCP state ${JSON.stringify(r.tcpState)}`);
  if (!Object.hasOwn(VERDICT_TO_WIRE, r.dataplaneVerdict)) problems += problem(report, 'dataplane_verdict', r, (r) => `unknown verdict ${JSON.stringify(r.dataplaneVerdict)}`);
  if (!r.nodeName) problems += problem(report, 'node_name', r, () => 'is empty');
  if (r.ipVersion !== 4 && r.ipVersion !== 6) problems += problem(report, 'ip_version', r, (r) => `must be 4 or 6, got ${r.ipVersion}`);
  if (!isUintUpTo(r.protocol, 255)) problems += problem(report, 'protocol', r, (r) => `${r.protocol} is not an IP protocol number (0-255)`);
  // An unknown IP version is reported once, above, not again for every address.
  if (r.ipVersion === 4 || r.ipVersion === 6) {
    if (!checkTuple(r.original, 'original', r.ipVersion, report)) problems++;
    if (!checkTuple(r.reply, 'reply', r.ipVersion, report)) problems++;
  }
  if (!isCounter(r.originalPackets)) problems += problem(report, 'original_packets', r, (r) => `must be a non-negative integer, got ${r.originalPackets}`);
  if (!isCounter(r.originalBytes)) problems += problem(report, 'original_bytes', r, (r) => `must be a non-negative integer, got ${r.originalBytes}`);
  if (!isCounter(r.replyPackets)) problems += problem(report, 'reply_packets', r, (r) => `must be a non-negative integer, got ${r.replyPackets}`);
  if (!isCounter(r.replyBytes)) problems += problem(report, 'reply_bytes', r, (r) => `must be a non-negative integer, got ${r.replyBytes}`);
  const startOk = isU64(r.startTimeUnixNano);
  const endOk = isU64(r.endTimeUnixNano);
  if (!startOk) problems += problem(report, 'start_time_unix_nano', r, (r) => `must be a uint64 bigint, got ${String(r.startTimeUnixNano)}`);
  if (!endOk) problems += problem(report, 'end_time_unix_nano', r, (r) => `must be a uint64 bigint, got ${String(r.endTimeUnixNano)}`);
  if (endOk && r.endTimeUnixNano === 0n) problems += problem(report, 'end_time_unix_nano', r, () => 'is 0 (every record must say when it was observed)');
  if (startOk && endOk && r.startTimeUnixNano > r.endTimeUnixNano) {
    problems += problem(report, 'start_time_unix_nano', r, (r) => `${r.startTimeUnixNano} is after end_time_unix_nano ${r.endTimeUnixNano}`);
  }
  if (!isUintUpTo(r.conntrackId, 0xffffffff)) problems += problem(report, 'conntrack_id', r, (r) => `must be an integer in 0..${0xffffffff}, got ${r.conntrackId}`);
  if (!isUintUpTo(r.conntrackMark, 0xffffffff)) problems += problem(report, 'conntrack_mark', r, (r) => `must be an integer in 0..${0xffffffff}, got ${r.conntrackMark}`);
  if (!isUintUpTo(r.icmpType, 255)) problems += problem(report, 'icmp_type', r, (r) => `must be an integer in 0..255, got ${r.icmpType}`);
  if (!isUintUpTo(r.icmpCode, 255)) problems += problem(report, 'icmp_code', r, (r) => `must be an integer in 0..255, got ${r.icmpCode}`);
  if (!isUintUpTo(r.icmpId, 65535)) problems += problem(report, 'icmp_id', r, (r) => `must be an integer in 0..65535, got ${r.icmpId}`);
  return problems === 0;
}

/** Every problem of a record (fields relative to it, e.g. `original.src_ip`), or null when it is valid. */
export function recordProblems(r: FlowRecordData): FlowRecordProblem[] | null {
  if (checkRecord(r, null)) return null;
  const problems: FlowRecordProblem[] = [];
  checkRecord(r, (field, reason) => problems.push({ field, reason }));
  return problems;
}

/** A record the encoder left out, with everything wrong with it. */
export interface RejectedFlowRecord {
  /** Its index in the batch's `records`. */
  index: number;
  problems: FlowRecordProblem[];
}

/** What {@link encodeValidFlowRecords} made of a batch. */
export interface FlowBatchEncoding {
  /** The serialized `segflow.v1.FlowBatch` holding the valid records, in order. */
  payload: Uint8Array;
  /** Records left out because a consumer would reject them (empty when all were valid). */
  rejected: RejectedFlowRecord[];
}

/** The node name is the same in every record of an agent: its UTF-8 bytes are made once. */
const nodeNameBytes = new Utf8Memo();

// Field tags (field number << 3 | wire type) of flow.proto.
const TAG_BATCH_AGENT_ID = 10;
const TAG_BATCH_BOOT_ID = 18;
const TAG_BATCH_SEQUENCE = 24;
const TAG_BATCH_RECORD = 34;
const TAG_BATCH_SENT_TIME = 41;
const TAG_BATCH_NODE_NAME = 50;
const TAG_BATCH_LOSS = 58;
const TAG_BATCH_HEARTBEAT = 64;

/** A tuple's fields, defaults left out as protobufjs does (proto3). */
function writeTuple(w: ProtobufWriter, tag: number, t: FlowTupleData): void {
  // Tag, length, two 16-byte addresses with theirs, two ports with theirs: at most 46 bytes.
  w.ensure(64);
  w.shortVarint(tag);
  const start = w.openDelimited();
  if (t.srcIp.length > 0) {
    w.shortVarint(10);
    w.bytes(t.srcIp);
  }
  if (t.dstIp.length > 0) {
    w.shortVarint(18);
    w.bytes(t.dstIp);
  }
  if (t.srcPort !== 0) {
    w.shortVarint(24);
    w.varint(t.srcPort);
  }
  if (t.dstPort !== 0) {
    w.shortVarint(32);
    w.varint(t.dstPort);
  }
  w.closeDelimited(start);
}

function writeString(w: ProtobufWriter, tag: number, text: string): void {
  if (text === '') return;
  w.ensure(5);
  w.shortVarint(tag);
  w.bytes(Buffer.from(text, 'utf8'));
}

/** One valid record as `FlowBatch.records` (field 4), fields in number order, defaults left out. */
function writeRecord(w: ProtobufWriter, r: FlowRecordData): void {
  // Room for everything but the strings and the tuples, which make their own.
  w.ensure(160);
  w.shortVarint(TAG_BATCH_RECORD);
  const start = w.openDelimited();
  w.shortVarint(8);
  w.shortVarint(SOURCE_TO_WIRE[r.source]);
  const node = nodeNameBytes.bytesOf(r.nodeName);
  w.shortVarint(18);
  w.bytes(node);
  w.ensure(160);
  if (r.startTimeUnixNano !== 0n) {
    w.shortVarint(25);
    w.fixed64(r.startTimeUnixNano);
  }
  w.shortVarint(33);
  w.fixed64(r.endTimeUnixNano);
  w.shortVarint(40);
  w.shortVarint(r.ipVersion);
  if (r.protocol !== 0) {
    w.shortVarint(48);
    w.shortVarint(r.protocol);
  }
  writeTuple(w, 58, r.original);
  writeTuple(w, 66, r.reply);
  w.ensure(160);
  if (r.originalPackets !== 0) {
    w.shortVarint(72);
    w.varint(r.originalPackets);
  }
  if (r.originalBytes !== 0) {
    w.shortVarint(80);
    w.varint(r.originalBytes);
  }
  if (r.replyPackets !== 0) {
    w.shortVarint(88);
    w.varint(r.replyPackets);
  }
  if (r.replyBytes !== 0) {
    w.shortVarint(96);
    w.varint(r.replyBytes);
  }
  w.shortVarint(104);
  w.shortVarint(EVENT_TO_WIRE[r.eventKind]);
  const tcpState = TCP_STATE_TO_WIRE[r.tcpState];
  if (tcpState !== 0) {
    w.shortVarint(112);
    w.shortVarint(tcpState);
  }
  if (r.assured) {
    w.shortVarint(120);
    w.shortVarint(1);
  }
  if (r.unreplied) {
    w.shortVarint(128);
    w.shortVarint(1);
  }
  if (r.conntrackId !== 0) {
    w.shortVarint(136);
    w.varint(r.conntrackId);
  }
  if (r.conntrackMark !== 0) {
    w.shortVarint(144);
    w.varint(r.conntrackMark);
  }
  const verdict = VERDICT_TO_WIRE[r.dataplaneVerdict];
  if (verdict !== 0) {
    w.shortVarint(152);
    w.shortVarint(verdict);
  }
  writeString(w, 162, r.ruleHint);
  w.ensure(40);
  if (r.icmpType !== 0) {
    w.shortVarint(168);
    w.shortVarint(r.icmpType);
  }
  if (r.icmpCode !== 0) {
    w.shortVarint(176);
    w.shortVarint(r.icmpCode);
  }
  if (r.icmpId !== 0) {
    w.shortVarint(184);
    w.varint(r.icmpId);
  }
  if (r.countersValid) {
    w.shortVarint(192);
    w.shortVarint(1);
  }
  if (r.includesStart === true) {
    w.shortVarint(200);
    w.shortVarint(1);
  }
  w.closeDelimited(start);
}

/** A batch's own fields: everything but its records. */
export type FlowBatchHeader = Omit<FlowBatchData, 'records'>;

/** The header and trailer fields of every batch this process finishes: written here, then copied around the records. */
const frame = new ProtobufWriter(4096);

/**
 * Builds a FlowBatch record by record: each valid record is encoded into the batch's bytes as
 * it is added (so record objects need not wait for the batch to close), an invalid one is
 * refused with all its problems. {@link finish} frames the records with the batch's own fields.
 * The bytes are those protobufjs writes for the same message (field order, defaults left out).
 */
export class FlowBatchBuilder {
  private readonly records = new ProtobufWriter();
  private count = 0;

  /** Records added since the last finish. */
  get recordCount(): number {
    return this.count;
  }

  /** Encoded size of those records, bytes. */
  get recordBytes(): number {
    return this.records.pos;
  }

  /**
   * Adds a record. Returns null when it was added; its problems when it is invalid; `'full'`
   * when it would take the records past `limitBytes` (never for the first record of a batch).
   * Nothing is added unless it returns null.
   */
  add(record: FlowRecordData, limitBytes = Infinity): FlowRecordProblem[] | null | 'full' {
    const problems = recordProblems(record);
    if (problems) return problems;
    const before = this.records.pos;
    writeRecord(this.records, record);
    if (this.records.pos > limitBytes && this.count > 0) {
      this.records.pos = before;
      return 'full';
    }
    this.count++;
    return null;
  }

  /** Drops the records added since the last finish. */
  clear(): void {
    this.records.reset();
    this.count = 0;
  }

  /**
   * The batch: `header`'s fields around the records added so far; the builder starts over
   * (also when it throws). Throws {@link FlowBatchEncodeError} when the header is invalid,
   * {@link FlowBatchTooLargeError} when the batch exceeds `options.maxBytes`.
   */
  finish(header: FlowBatchHeader, options: FlowBatchCodecOptions = {}): Buffer {
    try {
      validateBatchHeader(header, (field, reason) => new FlowBatchEncodeError(field, reason));
      const w = frame;
      w.reset();
      // Fields 1-3, then the records (4), then 5-8: flow.proto's order, as protobufjs writes it.
      writeString(w, TAG_BATCH_AGENT_ID, header.agentId);
      writeString(w, TAG_BATCH_BOOT_ID, header.bootId);
      w.ensure(12);
      w.varint(TAG_BATCH_SEQUENCE);
      w.varint(header.sequence);
      const headBytes = w.pos;
      w.ensure(12);
      if (header.sentTimeUnixNano !== 0n) {
        w.varint(TAG_BATCH_SENT_TIME);
        w.fixed64(header.sentTimeUnixNano);
      }
      writeString(w, TAG_BATCH_NODE_NAME, header.nodeName);
      const loss = lossReportToWire(header.loss);
      if (loss) {
        // Rare (only after a loss) and small: protobufjs writes it.
        w.ensure(5);
        w.varint(TAG_BATCH_LOSS);
        w.bytes(pb.LossReport.encode(loss).finish());
      }
      const heartbeat = (header.heartbeatIntervalMs ?? 0) >>> 0;
      if (heartbeat !== 0) {
        w.ensure(6);
        w.varint(TAG_BATCH_HEARTBEAT);
        w.varint(heartbeat);
      }
      const recordBytes = this.records.pos;
      const size = w.pos + recordBytes;
      const maxBytes = options.maxBytes ?? DEFAULT_MAX_FLOW_BATCH_BYTES;
      if (size > maxBytes) throw new FlowBatchTooLargeError(size, maxBytes);
      const out = Buffer.allocUnsafe(size);
      w.copyTo(out, 0, 0, headBytes);
      this.records.copyTo(out, headBytes);
      w.copyTo(out, headBytes + recordBytes, headBytes, w.pos);
      return out;
    } finally {
      this.clear();
    }
  }
}

/** One builder for the whole-batch functions below (they run synchronously, one at a time). */
const wholeBatch = new FlowBatchBuilder();

/**
 * Encodes a batch's header and its valid records in one pass, naming every problem of each
 * record it left out. Throws {@link FlowBatchEncodeError} when the batch's own fields are
 * invalid, {@link FlowBatchTooLargeError} when the result exceeds `options.maxBytes`.
 */
export function encodeValidFlowRecords(batch: FlowBatchData, options: FlowBatchCodecOptions = {}): FlowBatchEncoding {
  const rejected: RejectedFlowRecord[] = [];
  wholeBatch.clear();
  const records = batch.records;
  for (let i = 0; i < records.length; i++) {
    const problems = wholeBatch.add(records[i]!);
    if (problems !== null && problems !== 'full') rejected.push({ index: i, problems });
  }
  return { payload: wholeBatch.finish(batch, options), rejected };
}

/**
 * Validates and encodes a batch. Throws {@link FlowBatchEncodeError} naming the first invalid
 * field, or {@link FlowBatchTooLargeError} when the result exceeds `options.maxBytes`.
 */
export function encodeFlowBatch(batch: FlowBatchData, options: FlowBatchCodecOptions = {}): Uint8Array {
  const { payload, rejected } = encodeValidFlowRecords(batch, options);
  const first = rejected[0];
  if (first) throw new FlowBatchEncodeError(`records[${first.index}].${first.problems[0]!.field}`, first.problems[0]!.reason);
  return payload;
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
    ...(r.includesStart === true ? { includesStart: true } : {}),
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
