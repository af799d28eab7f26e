/**
 * Property tests (seeded, many iterations) of the documents the batch processor writes, with
 * the demo inventory and in-memory storage: the same agent batches split into fetches any way,
 * in any order, with any replays and restarts, give identical documents; the same records
 * regrouped into other agent batches give the same documents but for the batch identities; and
 * every document holds Calico's invariants — count = the distinct 5-tuples of its records
 * (computed here independently), started ≤ count, completed ≤ count, never both assured and
 * unreplied — including beyond the tuple bound, where the sample is order-independent too.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SeededRandom } from '../../../src/collector/sources/synthetic/seeded-random.ts';
import { Inventory } from '../../../src/inventory/inventory.ts';
import { loadResourcePaths } from '../../../src/inventory/loader/load-files.ts';
import { encodeFlowBatch, type FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';
import type { FlowDocument } from '../../../src/contract/flow-fields.ts';
import { FlowBatchProcessor, type RawMessage } from '../../../src/enricher/flow-batch-processor.ts';
import { MemoryFlowStorage } from '../../../src/enricher/memory-flow-storage.ts';
import { SequenceTracker } from '../../../src/enricher/sequence-tracker.ts';
import type { EnrichmentInventory } from '../../../src/enricher/transform/enrichment-inventory.ts';
import { enrichmentInventoryOf } from '../../../src/enricher/transform/inventory-adapter.ts';
import { decodeTuples } from '../../../src/enricher/transform/flow-tuple-set.ts';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;
const ITERATIONS = Number(process.env.SEGFLOW_PROPERTY_ITERATIONS ?? 150);

// Pairs of the demo shop: allowed (level 2), denied (level 1), through a Service (DNAT).
const PAIRS = [
  { src: '10.244.1.10', dst: '10.96.0.20', dport: 80, backend: '10.244.1.20', bport: 8080 }, // frontend → catalog Service
  { src: '10.244.1.30', dst: '10.244.1.40', dport: 8443 }, // checkout → payments
  { src: '10.244.1.20', dst: '10.244.1.40', dport: 8443 }, // catalog → payments: denied
  { src: '10.244.1.10', dst: '10.244.2.10', dport: 5432 }, // frontend → postgres: denied
] as const;
const KINDS = ['new', 'update', 'destroy'] as const;
const STATES = ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT', 'TIME_WAIT', 'CLOSE', 'NONE'] as const;

let inventory: EnrichmentInventory;
before(async () => {
  inventory = enrichmentInventoryOf(Inventory.fromResources((await loadResourcePaths(['examples/shop'])).resources));
});

function randomRecord(random: SeededRandom, distinctEnds: Set<number> | undefined): FlowRecordData {
  const pair = PAIRS[random.integer(0, PAIRS.length - 1)]!;
  const sport = 40_000 + random.integer(0, 6); // few ports: tuples repeat across records
  let end = T0 + random.integer(0, 29_999); // two 15 s windows
  if (distinctEnds) {
    while (distinctEnds.has(end)) end++;
    distinctEnds.add(end);
  }
  const packets = random.integer(0, 40);
  const replyPackets = random.integer(0, 40);
  const backend = 'backend' in pair ? pair.backend : pair.dst;
  const bport = 'bport' in pair ? pair.bport : pair.dport;
  const eventKind = KINDS[random.integer(0, 2)]!;
  return {
    source: random.chance(0.8) ? 'conntrack' : 'ebpf', nodeName: 'node-1', startTimeUnixNano: random.chance(0.2) ? 0n : ns(end - random.integer(0, 20_000)), endTimeUnixNano: ns(end),
    ipVersion: 4, protocol: 6,
    original: { srcIp: ipToBytes(pair.src), dstIp: ipToBytes(pair.dst), srcPort: sport, dstPort: pair.dport },
    reply: { srcIp: ipToBytes(backend), dstIp: ipToBytes(pair.src), srcPort: bport, dstPort: sport },
    originalPackets: packets, originalBytes: packets * random.integer(40, 1500), replyPackets, replyBytes: replyPackets * random.integer(40, 1500),
    eventKind, tcpState: STATES[random.integer(0, STATES.length - 1)]!, assured: random.chance(0.5), unreplied: random.chance(0.3),
    conntrackId: random.integer(1, 1000), conntrackMark: random.integer(0, 3), dataplaneVerdict: random.chance(0.1) ? 'deny' : 'unknown', ruleHint: random.chance(0.2) ? `hint-${random.integer(0, 2)}` : '',
    icmpType: 0, icmpCode: 0, icmpId: 0, countersValid: true,
    // A connection's one record: its start and end (the agent held the start).
    ...(eventKind === 'destroy' && random.chance(0.5) ? { includesStart: true } : {}),
  };
}

function shuffled<T>(random: SeededRandom, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.integer(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Records grouped into agent batches (one message each): random sizes, an agent restarting now and then (a new boot, sequence from 1). */
function batchesOf(random: SeededRandom, records: readonly FlowRecordData[]): RawMessage[] {
  const messages: RawMessage[] = [];
  let sequence = 0;
  let boot = 0;
  for (let i = 0; i < records.length;) {
    const size = random.integer(1, 6);
    if (random.chance(0.1)) {
      boot++;
      sequence = 0;
    }
    sequence++;
    const value = Buffer.from(encodeFlowBatch({ agentId: 'agent-1', bootId: `boot-${boot}`, sequence, sentTimeUnixNano: ns(T0), nodeName: 'node-1', records: records.slice(i, i + size) }));
    messages.push({ partition: 0, offset: String(messages.length), key: Buffer.from('node-1'), value });
    i += size;
  }
  return messages;
}

function newProcessor(storage: MemoryFlowStorage, maxTuplesPerDocument: number): FlowBatchProcessor {
  return new FlowBatchProcessor(
    { topic: 'flows.raw', indexPrefix: 'segflow-flows', aggregation: { windowMs: 15_000, allowedLevel: 2, deniedLevel: 1, maxTuplesPerDocument }, maxMessageBytes: 1_000_000, now: () => T0 + 40_000, writtenDocuments: 8 },
    inventory, new SequenceTracker(), storage,
  );
}

async function documentsOf(fetches: readonly (readonly RawMessage[])[], maxTuples: number, restartAt: ReadonlySet<number> = new Set()): Promise<Map<string, FlowDocument>> {
  const storage = new MemoryFlowStorage();
  let processor = newProcessor(storage, maxTuples);
  for (const [i, fetch] of fetches.entries()) {
    if (restartAt.has(i)) processor = newProcessor(storage, maxTuples); // a restart: nothing remembered
    const result = await processor.process(fetch);
    assert.equal(result.deadLetters.length, 0);
  }
  return new Map([...storage.documents].map(([id, d]) => [id, d.document]));
}

/** The messages split into fetches at random, shuffled, with replays of earlier messages mixed in. */
function randomFetches(random: SeededRandom, messages: readonly RawMessage[]): { fetches: RawMessage[][]; restarts: Set<number> } {
  const order = shuffled(random, messages);
  const fetches: RawMessage[][] = [];
  for (let i = 0; i < order.length;) {
    const size = random.integer(1, 5);
    const fetch = order.slice(i, i + size);
    // Replays: messages already consumed (a crash before the commit), or the same one twice.
    for (let r = random.integer(0, 2); r > 0; r--) fetch.splice(random.integer(0, fetch.length), 0, order[random.integer(0, Math.min(order.length - 1, i + size - 1))]!);
    fetches.push(fetch);
    i += size;
  }
  const restarts = new Set(fetches.map((_, i) => i).filter(() => random.chance(0.2)));
  return { fetches, restarts };
}

/** The 5-tuples (source IP and port, destination after DNAT and port) each document should count. */
function expectedTuples(records: readonly FlowRecordData[]): Map<string, Set<string>> {
  // Keyed by what the processor cannot vary: window and pair (one document per window, pair and verdict here).
  const out = new Map<string, Set<string>>();
  for (const r of records) {
    const end = Number(r.endTimeUnixNano / 1_000_000n);
    const key = `${end - (end % 15_000)} ${r.original.srcIp.join('.')} ${r.reply.srcIp.join('.')}:${r.reply.srcPort}`;
    const tuples = out.get(key) ?? new Set<string>();
    tuples.add(`${r.original.srcPort}`);
    out.set(key, tuples);
  }
  return out;
}

function checkInvariants(docs: Map<string, FlowDocument>, records: readonly FlowRecordData[], maxTuples: number): void {
  const expected = expectedTuples(records);
  let total = 0;
  for (const doc of docs.values()) {
    const flows = doc.segflow.flows!;
    assert.ok(flows.started! <= flows.count! && flows.completed! <= flows.count!, `started ${flows.started}, completed ${flows.completed} ≤ count ${flows.count}`);
    assert.ok(!(doc.segflow.ct?.flags?.includes('assured') && doc.segflow.ct.flags.includes('unreplied')), 'never assured and unreplied together');
    assert.equal(doc.event.type.includes('start'), flows.started! > 0);
    assert.equal(doc.event.type.includes('end'), flows.completed! > 0);
    const stored = decodeTuples(flows.tuples!);
    if (flows.exact) assert.ok(flows.count === stored.size && stored.size <= maxTuples, `exact: count ${flows.count} = ${stored.size} tuples ≤ ${maxTuples}`);
    else assert.ok(stored.size === maxTuples && flows.count! >= maxTuples, `inexact: a full sample (${stored.size} of ${maxTuples}), count ${flows.count} beyond it`);
    total += flows.count!;
  }
  // Each (window, pair) maps to one document here (one verdict per pair), so the distinct
  // tuples per document sum to the distinct tuples per (window, pair).
  const want = [...expected.values()].reduce((n, s) => n + s.size, 0);
  if ([...docs.values()].every((d) => d.segflow.flows!.exact)) {
    assert.equal(total, want);
    // Started: the tuples with a `new` record, or a `destroy` that includes the start.
    const started = expectedTuples(records.filter((r) => r.eventKind === 'new' || r.includesStart === true));
    assert.equal([...docs.values()].reduce((n, d) => n + d.segflow.flows!.started!, 0), [...started.values()].reduce((n, s) => n + s.size, 0));
  }
}

describe('flow documents are a function of the records (property tests)', () => {
  it(`same agent batches: any fetch split, order, replay and restart gives identical documents (${ITERATIONS} runs)`, async () => {
    for (let run = 0; run < ITERATIONS; run++) {
      const random = new SeededRandom(1000 + run);
      const maxTuples = run % 3 === 0 ? 3 : 4096; // every third run beyond the tuple bound
      const records = Array.from({ length: random.integer(1, 40) }, () => randomRecord(random, undefined));
      const messages = batchesOf(random, records);
      const reference = await documentsOf([messages], maxTuples);
      checkInvariants(reference, records, maxTuples);
      const { fetches, restarts } = randomFetches(random, messages);
      const other = await documentsOf(fetches, maxTuples, restarts);
      assert.deepEqual(other, reference, `run ${run}: ${fetches.map((f) => f.map((m) => m.offset).join(',')).join(' | ')}`);
    }
  });

  it(`same records regrouped into other agent batches: the same documents but for the batch identities (${ITERATIONS} runs)`, async () => {
    const withoutBatchIdentity = (docs: Map<string, FlowDocument>) => new Map([...docs].map(([id, doc]) => {
      const copy = structuredClone(doc);
      delete copy.agent;
      delete copy.event.sequence;
      delete copy.segflow.aggregation!.batches;
      delete copy.segflow.aggregation!.latest_record;
      return [id, copy];
    }));
    for (let run = 0; run < ITERATIONS; run++) {
      const random = new SeededRandom(5000 + run);
      const maxTuples = run % 3 === 0 ? 3 : 4096;
      // Distinct end times: "latest wins" then never needs the batch identity to break a tie.
      const ends = new Set<number>();
      const records = Array.from({ length: random.integer(1, 40) }, () => randomRecord(random, ends));
      const reference = await documentsOf([batchesOf(random, records)], maxTuples);
      const regrouped = await documentsOf(randomFetches(random, batchesOf(random, shuffled(random, records))).fetches, maxTuples);
      assert.deepEqual(withoutBatchIdentity(regrouped), withoutBatchIdentity(reference), `run ${run}`);
      checkInvariants(regrouped, records, maxTuples);
    }
  });
});
