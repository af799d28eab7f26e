/**
 * What segflow-conntrack-reader costs on a real busy table (part of `npm run bench -- agent-cpu`):
 * a node namespace's conntrack table filled with `entries` closed TCP connections in TIME_WAIT
 * (bench/fixtures/conntrack-fill.c, through ctnetlink), then, with the agent's command lines:
 *
 * - `dump`: one listing of the whole table, as the agent makes at start, after lost events and
 *   every resync interval (and, before refreshes, every snapshot);
 * - `query`: `lookups` of entries in it (every n-th listed entry, asked for by id and tuple),
 *   as a refresh makes them.
 *
 * Each is run `runs` times; the reader's own CPU (user + system: the kernel's work to fill the
 * dump or answer the lookups is system time of the process that asked) comes from the shell's
 * `times` for its child, and the output is read through a pipe, as the agent reads it.
 * Needs root, gcc and the conntrack tools' kernel modules; raises net.netfilter.nf_conntrack_max
 * while it runs when it is too small, and puts it back.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONNTRACK_READER_SOURCE_DIR, ensureConntrackReader } from '../src/collector/sources/conntrack/conntrack-reader-build.ts';
import { CONNTRACK_RECORD_SIZE, ConntrackRecordKind, ConntrackRecordPresence } from '../src/collector/sources/conntrack/conntrack-record-decoder.ts';
import { NetnsTopology } from '../test/harness/netns-topology.ts';
import { sh } from '../test/harness/shell.ts';

const here = dirname(fileURLToPath(import.meta.url));
const MAX_SYSCTL = '/proc/sys/net/netfilter/nf_conntrack_max';

export interface BusyTableReaderCost {
  entries: number;
  /** One listing of the whole table: the reader's CPU, ms (median of the runs), and each run's. */
  listingCpuMs: number;
  listingRuns: number[];
  /** Lookups per run, and the reader's CPU per 1000 of them, ms (median), and each run's. */
  lookups: number;
  lookupCpuMsPer1000: number;
  lookupRuns: number[];
}

/** Runs `command` through sh, its stdout read to the end here; returns the child's user + system CPU (ms) from `times`, and the bytes it wrote. */
async function childCpu(command: string, stdin?: string): Promise<{ cpuMs: number; bytes: number }> {
  const child = spawn('sh', ['-c', `${command}${stdin ? ` < '${stdin}'` : ''}; code=$?; times >&2; exit $code`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let bytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  // `times`: the shell's own user and system time, then its children's ("0m0.170s 0m3.290s").
  const children = stderr.trim().split('\n').at(-1)!.match(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/);
  if (code !== 0 || !children) throw new Error(`${command} exited with ${code}: ${stderr.trim()}`);
  const seconds = Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]);
  return { cpuMs: Math.round(seconds * 1000), bytes };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measureReaderOnBusyTable(work: string, entries: number, lookups: number, runs = 3): Promise<BusyTableReaderCost> {
  const reader = await ensureConntrackReader();
  mkdirSync(work, { recursive: true });
  const fill = join(work, 'conntrack-fill');
  await sh('gcc', '-O2', '-Wall', '-I', CONNTRACK_READER_SOURCE_DIR, '-o', fill, join(here, 'fixtures/conntrack-fill.c'));
  const max = Number(readFileSync(MAX_SYSCTL, 'utf8'));
  if (max < entries * 1.25) writeFileSync(MAX_SYSCTL, String(Math.ceil(entries * 1.25)));
  const topology = await NetnsTopology.create('sfbusy');
  try {
    await topology.inNode([fill, String(entries)]);
    const inNode = `ip netns exec ${topology.nodeNs}`;
    const listingRuns: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { cpuMs, bytes } = await childCpu(`${inNode} ${reader} dump`);
      const listed = bytes / CONNTRACK_RECORD_SIZE - 1;
      if (listed !== entries) throw new Error(`the dump listed ${listed} entries of the ${entries} made`);
      listingRuns.push(cpuMs);
    }
    // The lookups: every n-th entry, asked for as a refresh asks (id, original tuple); the fill
    // numbers its entries, so the queries are made the way the fill made them.
    const queries = Buffer.alloc((lookups + 1) * CONNTRACK_RECORD_SIZE);
    const stride = Math.floor(entries / lookups);
    const listing = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn('sh', ['-c', `${inNode} ${reader} dump`], { stdio: ['ignore', 'pipe', 'inherit'] });
      const kept: Buffer[] = [];
      let rest = Buffer.alloc(0);
      let index = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        // Every stride-th record; one may straddle two chunks.
        const b = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
        let o = 0;
        for (; o + CONNTRACK_RECORD_SIZE <= b.length; o += CONNTRACK_RECORD_SIZE, index++) {
          if (index % stride === 0 && kept.length < lookups) kept.push(Buffer.from(b.subarray(o, o + CONNTRACK_RECORD_SIZE)));
        }
        rest = Buffer.from(b.subarray(o));
      });
      child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(kept)) : reject(new Error(`dump exited with ${code}`))));
    });
    if (listing.length !== lookups * CONNTRACK_RECORD_SIZE) throw new Error(`kept ${listing.length / CONNTRACK_RECORD_SIZE} entries to look up, wanted ${lookups}`);
    for (let i = 0; i < lookups; i++) {
      const from = i * CONNTRACK_RECORD_SIZE;
      if (listing[from] !== ConntrackRecordKind.listed) throw new Error(`record ${i * stride} of the dump is kind ${listing[from]}, not a listed entry`);
      const q = queries.subarray(from, from + CONNTRACK_RECORD_SIZE);
      q[0] = ConntrackRecordKind.query;
      q[1] = listing[from + 1]!;
      q[2] = listing[from + 2]!;
      q.writeUInt32LE(listing.readUInt32LE(from + 4) & (ConntrackRecordPresence.id | ConntrackRecordPresence.zone | ConntrackRecordPresence.ports | ConntrackRecordPresence.icmp), 4);
      listing.copy(q, 16, from + 16, from + 20);
      listing.copy(q, 32, from + 32, from + 34);
      listing.copy(q, 48, from + 48, from + 88);
    }
    queries[lookups * CONNTRACK_RECORD_SIZE] = ConntrackRecordKind.queryEnd;
    const queryFile = join(work, 'busy-table-queries.bin');
    writeFileSync(queryFile, queries);
    const lookupRuns: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { cpuMs, bytes } = await childCpu(`${inNode} ${reader} query`, queryFile);
      // READY, an answer per lookup (all found: nothing expires in an hour), QUERY_END.
      if (bytes / CONNTRACK_RECORD_SIZE !== lookups + 2) throw new Error(`the query reader wrote ${bytes / CONNTRACK_RECORD_SIZE} records for ${lookups} lookups`);
      lookupRuns.push(Math.round((cpuMs / lookups) * 1000 * 100) / 100);
    }
    return { entries, listingCpuMs: median(listingRuns), listingRuns, lookups, lookupCpuMsPer1000: median(lookupRuns), lookupRuns };
  } finally {
    await topology.destroy();
    writeFileSync(MAX_SYSCTL, String(max));
  }
}
