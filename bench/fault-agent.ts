/**
 * A node agent for the fault suite (bench/faults.ts): the real Collector — batcher, Kafka sink,
 * disk spool, crash ledger, health endpoint — fed by a source whose output is known exactly.
 *
 * The source produces `rate` records per second, numbered 0, 1, 2, … per agent; record n is a
 * finished TCP connection frontend → payments with source port 1024 + n mod 64,000 and one
 * packet each way, so at aggregation level 0 every record is its own document (nothing else
 * shares its 5-tuple within a window) and a document counting two packets is a duplicate.
 * Before handing records over, the source writes how many it has produced to the truth file
 * (one in-place write, so a SIGKILL leaves the exact count); a restarted agent continues the
 * numbering from there.
 *
 *   node --import tsx bench/fault-agent.ts '<json FaultAgentOptions>'
 */
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { Collector } from '../src/collector/collector.ts';
import type { FlowRecordHandler, FlowSource } from '../src/collector/sources/flow-source.ts';
import type { FlowRecordData } from '../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../src/contract/wire/ip-address-bytes.ts';
import { createLogger } from '../src/runtime/logger.ts';

export interface FaultAgentOptions {
  readonly brokers: string;
  readonly topic: string;
  readonly nodeName: string;
  readonly spoolDir: string;
  readonly spoolMaxBytes: number;
  /** Largest encoded batch; a small one allows a small spool (its floor is 4 × this). */
  readonly batchMaxBytes: number;
  readonly batchMaxDelayMs: number;
  readonly httpPort: number;
  readonly ratePerSecond: number;
  readonly truthFile: string;
}

const SRC = ipToBytes('10.244.1.10'); // frontend
const DST = ipToBytes('10.244.1.40'); // payments
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

/** The record numbered `n` of `nodeName`, ending at `endMs`. */
export function numberedRecord(nodeName: string, n: number, endMs: number): FlowRecordData {
  const port = 1024 + (n % 64_000);
  return {
    source: 'synthetic', nodeName, startTimeUnixNano: ns(endMs - 1000), endTimeUnixNano: ns(endMs), ipVersion: 4, protocol: 6,
    original: { srcIp: SRC, dstIp: DST, srcPort: port, dstPort: 8443 },
    reply: { srcIp: DST, dstIp: SRC, srcPort: 8443, dstPort: port },
    originalPackets: 1, originalBytes: 100, replyPackets: 1, replyBytes: 100,
    eventKind: 'destroy', tcpState: 'TIME_WAIT', assured: true, unreplied: false,
    conntrackId: n % 2 ** 32, conntrackMark: 0, dataplaneVerdict: 'unknown', ruleHint: '', icmpType: 0, icmpCode: 0, icmpId: 0, countersValid: true,
  };
}

/** Reads how many records an agent has produced (0 when it never ran). */
export function producedSoFar(truthFile: string): number {
  try {
    const n = Number(readFileSync(truthFile, 'utf8').trim());
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

class NumberedFlowSource implements FlowSource {
  readonly name = 'numbered';
  private timer: NodeJS.Timeout | null = null;
  private produced: number;
  private readonly startedAt = Date.now();
  private readonly base: number;
  private readonly fd: number;

  constructor(private readonly options: FaultAgentOptions) {
    this.produced = producedSoFar(options.truthFile);
    this.base = this.produced;
    if (!existsSync(options.truthFile)) writeFileSync(options.truthFile, `${String(0).padEnd(20)}\n`);
    this.fd = openSync(options.truthFile, 'r+');
  }

  async start(onRecords: FlowRecordHandler): Promise<void> {
    this.timer = setInterval(() => {
      const due = this.base + Math.floor(((Date.now() - this.startedAt) / 1000) * this.options.ratePerSecond);
      if (due <= this.produced) return;
      const now = Date.now();
      const records: FlowRecordData[] = [];
      for (let n = this.produced; n < due; n++) records.push(numberedRecord(this.options.nodeName, n, now));
      this.produced = due;
      // Counted before handing over: a kill after this line loses records the truth counts.
      const text = `${String(due).padEnd(20)}\n`;
      writeSync(this.fd, text, 0, 'utf8');
      onRecords(records);
    }, 100);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    closeSync(this.fd);
  }

  status(): Record<string, unknown> {
    return { running: this.timer !== null, produced: this.produced };
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FaultAgentOptions;
  const logger = createLogger('collector');
  const collector = new Collector({
    nodeName: options.nodeName,
    kafka: { brokers: options.brokers.split(','), topic: options.topic },
    spool: { directory: options.spoolDir, maxBytes: options.spoolMaxBytes },
    batch: { maxBytes: options.batchMaxBytes, maxDelayMs: options.batchMaxDelayMs },
    http: { host: '127.0.0.1', port: options.httpPort },
  }, { sources: [new NumberedFlowSource(options)], logger });
  await collector.start();
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await collector.stop(10_000);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
