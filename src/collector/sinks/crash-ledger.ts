/**
 * What a killed collector took with it, told by the next one. Records a collector holds in
 * memory (read but not yet in a batch; in a batch neither acknowledged by Kafka nor spooled)
 * die with it on a SIGKILL or an OOM kill, and the dead process cannot count them. So it keeps
 * a small ledger file next to its spool, rewritten as batches are built and settled and as
 * records come in:
 *
 *   { bootId, lastSequenceBuilt, recordsBuilt, lastSequenceSettled, recordsSettled,
 *     pendingRecords, openConnections, clean }
 *
 * A clean stop marks it `clean` (everything is in the spool by then). The next start, holding
 * the spool's lock (so nobody else writes the ledger), reads it: when it is not clean, the
 * difference between built and settled is what was lost in the crash — batches (whose sequence
 * numbers the enricher then sees missing, through the `segflow-previous-boot` header) and
 * records, plus the records not yet batched and the connections that were open (their last
 * deltas are lost).
 *
 * Cost: one small in-place write (pwrite at offset 0, no fsync: a SIGKILL keeps the page cache;
 * only a power cut can lose the last writes) per change, at most one per `minIntervalMs`
 * (default 20 ms; changes in between are written when that interval ends). The figures are
 * exact up to that interval: records read in the last ≤ 20 ms before a kill may be missing from
 * the count. A batch whose send was under way when the collector died may have reached Kafka
 * after all: it is counted as lost here, and the enricher's sequence check (which sees it
 * arrive) is the exact figure for batches.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';

const LEDGER_FILE = 'crash-ledger.json';
/** The file is rewritten in place and padded to this size, so a shorter state leaves no old tail. */
const LEDGER_BYTES = 512;

export interface LedgerState {
  agentId: string;
  bootId: string;
  startedAt: string;
  lastSequenceBuilt: number;
  recordsBuilt: number;
  lastSequenceSettled: number;
  recordsSettled: number;
  pendingRecords: number;
  openConnections: number;
  updatedAt: string;
  clean: boolean;
}

/** What the previous run of this spool directory left behind. */
export interface PreviousRun {
  readonly agentId: string;
  readonly bootId: string;
  /** Highest sequence it built into a batch. */
  readonly lastSequenceBuilt: number;
  /** True when it stopped cleanly (nothing lost). */
  readonly clean: boolean;
  /** Batches built but neither acknowledged by Kafka nor spooled. */
  readonly lostBatches: number;
  /** Records in those batches. */
  readonly lostBatchedRecords: number;
  /** Records read but not yet in a batch. */
  readonly lostUnbatchedRecords: number;
  /** Connections its sources tracked as open: their deltas since the last report are lost. */
  readonly openConnections: number;
  /** When it last wrote the ledger (about when it died). */
  readonly lastWriteAt: string;
}

/** Reads the ledger a previous run left (undefined when none, or unreadable). Pure apart from the read. */
export function readPreviousRun(directory: string): PreviousRun | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(directory, LEDGER_FILE), 'utf8');
  } catch {
    return undefined;
  }
  return previousRunOf(text);
}

/** The report of a ledger's text (exported for tests). */
export function previousRunOf(text: string): PreviousRun | undefined {
  let s: Partial<LedgerState>;
  try {
    s = JSON.parse(text) as Partial<LedgerState>;
  } catch {
    return undefined;
  }
  const n = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
  if (typeof s.bootId !== 'string' || typeof s.agentId !== 'string') return undefined;
  const clean = s.clean === true;
  return {
    agentId: s.agentId,
    bootId: s.bootId,
    lastSequenceBuilt: n(s.lastSequenceBuilt),
    clean,
    lostBatches: clean ? 0 : Math.max(0, n(s.lastSequenceBuilt) - n(s.lastSequenceSettled)),
    lostBatchedRecords: clean ? 0 : Math.max(0, n(s.recordsBuilt) - n(s.recordsSettled)),
    lostUnbatchedRecords: clean ? 0 : n(s.pendingRecords),
    openConnections: clean ? 0 : n(s.openConnections),
    lastWriteAt: typeof s.updatedAt === 'string' ? s.updatedAt : 'unknown',
  };
}

export interface CrashLedgerOptions {
  readonly directory: string;
  readonly agentId: string;
  readonly bootId: string;
  /** Fewest ms between two writes (default 20). */
  readonly minIntervalMs?: number;
  /** Connections the sources track as open right now (read at each write). */
  readonly openConnections?: () => number;
}

/** The ledger of the running boot; see the module comment. */
export class CrashLedger {
  private readonly state: LedgerState;
  private fd: number | null;
  private lastWriteMs = 0;
  private deferred: NodeJS.Timeout | null = null;
  private readonly minIntervalMs: number;

  /** Starts this boot's ledger in `directory` (the caller holds the spool's lock). */
  constructor(private readonly options: CrashLedgerOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 20;
    this.state = {
      agentId: options.agentId, bootId: options.bootId, startedAt: new Date().toISOString(),
      lastSequenceBuilt: 0, recordsBuilt: 0, lastSequenceSettled: 0, recordsSettled: 0, pendingRecords: 0, openConnections: 0,
      updatedAt: new Date().toISOString(), clean: false,
    };
    this.fd = openSync(path.join(options.directory, LEDGER_FILE), 'w');
    this.writeNow();
  }

  /** Records waiting in the batcher changed. */
  pending(records: number): void {
    this.state.pendingRecords = records;
    this.changed();
  }

  /** A batch was built (its records are no longer pending). */
  built(sequence: number, records: number, pendingAfter: number): void {
    this.state.lastSequenceBuilt = Math.max(this.state.lastSequenceBuilt, sequence);
    this.state.recordsBuilt += records;
    this.state.pendingRecords = pendingAfter;
    this.changed();
  }

  /** A batch of this boot is safe: acknowledged by Kafka, spooled, or counted as dropped. */
  settled(sequence: number, records: number): void {
    this.state.lastSequenceSettled = Math.max(this.state.lastSequenceSettled, sequence);
    this.state.recordsSettled += records;
    this.changed();
  }

  /** A clean stop: everything is delivered or spooled. Closes the file. */
  close(clean: boolean): void {
    if (this.fd === null) return;
    if (this.deferred) clearTimeout(this.deferred);
    this.deferred = null;
    this.state.clean = clean;
    this.writeNow();
    closeSync(this.fd);
    this.fd = null;
  }

  private changed(): void {
    if (this.fd === null || this.deferred) return;
    const wait = this.lastWriteMs + this.minIntervalMs - Date.now();
    if (wait <= 0) {
      this.writeNow();
      return;
    }
    this.deferred = setTimeout(() => {
      this.deferred = null;
      this.writeNow();
    }, wait);
    this.deferred.unref();
  }

  private writeNow(): void {
    if (this.fd === null) return;
    this.state.openConnections = this.options.openConnections?.() ?? 0;
    this.state.updatedAt = new Date().toISOString();
    const text = JSON.stringify(this.state);
    const buffer = Buffer.alloc(Math.max(LEDGER_BYTES, Buffer.byteLength(text)), ' ');
    buffer.write(text, 0, 'utf8');
    writeSync(this.fd, buffer, 0, buffer.length, 0);
    this.lastWriteMs = Date.now();
  }
}
