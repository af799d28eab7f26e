/**
 * FlowWindowAggregator keys (docs/policy-semantics.md §3.3), table-driven over the aggregation levels:
 * which records share a document at each level, and how many distinct 5-tuples each holds.
 * Records are enriched against the demo shop inventory plus a second frontend replica.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../../../src/inventory/inventory.ts';
import { loadResourcePaths } from '../../../src/inventory/loader/load-files.ts';
import { loadResourceText } from '../../../src/inventory/loader/load-text.ts';
import { ipToBytes } from '../../../src/contract/wire/ip-address-bytes.ts';
import type { FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { FlowWindowAggregator, type AggregationLevel } from '../../../src/enricher/transform/flow-aggregation.ts';
import { enrichmentInventoryOf } from '../../../src/enricher/transform/inventory-adapter.ts';
import { enrichRecord } from '../../../src/enricher/transform/record-enrichment.ts';
import { buildFlowDocument, mergeFlowDocumentInto } from '../../../src/enricher/transform/flow-document-builder.ts';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

const SECOND_FRONTEND = `
apiVersion: v1
kind: Pod
metadata: {name: frontend-7d9c5b-q9w8e, namespace: shop, labels: {app: frontend, tier: web}}
spec:
  nodeName: node-1
  serviceAccountName: frontend
  containers: [{name: web, ports: [{name: http, containerPort: 8080, protocol: TCP}]}]
status: {phase: Running, podIP: 10.244.1.11, podIPs: [{ip: 10.244.1.11}]}
`;

const FE1 = '10.244.1.10';
const FE2 = '10.244.1.11';
const CATALOG = '10.244.1.20';
const CATALOG_SERVICE = '10.96.0.20';

interface Spec {
  readonly label: string;
  readonly src: string;
  readonly sport: number;
  /** Dialled address and port (a Service address is DNATed to the catalog pod's 8080). */
  readonly dst: string;
  readonly dport: number;
  readonly node?: string;
  readonly atMs?: number;
}

function record(s: Spec): FlowRecordData {
  const viaService = s.dst === CATALOG_SERVICE;
  const backend = viaService ? CATALOG : s.dst;
  const backendPort = viaService ? 8080 : s.dport;
  const end = T0 + (s.atMs ?? 5000);
  return {
    source: 'conntrack', nodeName: s.node ?? 'node-1', startTimeUnixNano: ns(end - 1000), endTimeUnixNano: ns(end), ipVersion: 4, protocol: 6,
    original: { srcIp: ipToBytes(s.src), dstIp: ipToBytes(s.dst), srcPort: s.sport, dstPort: s.dport },
    reply: { srcIp: ipToBytes(backend), dstIp: ipToBytes(s.src), srcPort: backendPort, dstPort: s.sport },
    originalPackets: 10, originalBytes: 1000, replyPackets: 8, replyBytes: 5000, eventKind: 'update', tcpState: 'ESTABLISHED',
    assured: true, unreplied: false, conntrackId: 1, conntrackMark: 0, dataplaneVerdict: 'unknown', ruleHint: '',
    icmpType: 0, icmpCode: 0, icmpId: 0, countersValid: true,
  };
}

const RECORDS: readonly Spec[] = [
  { label: 'a', src: FE1, sport: 40000, dst: CATALOG, dport: 8080 },
  { label: 'a-again', src: FE1, sport: 40000, dst: CATALOG, dport: 8080, atMs: 9000 },
  { label: 'other-sport', src: FE1, sport: 40001, dst: CATALOG, dport: 8080 },
  { label: 'other-replica', src: FE2, sport: 40000, dst: CATALOG, dport: 8080 },
  { label: 'next-window', src: FE1, sport: 40000, dst: CATALOG, dport: 8080, atMs: 20_000 },
  { label: 'other-node', src: FE1, sport: 40000, dst: CATALOG, dport: 8080, node: 'node-3' },
  { label: 'via-service', src: FE1, sport: 40000, dst: CATALOG_SERVICE, dport: 80 },
];

/** Per level: the groups of record labels that share a document, and each group's distinct 5-tuples. */
const EXPECTED: ReadonlyArray<readonly [AggregationLevel, ReadonlyArray<readonly [string[], number]>]> = [
  [0, [[['a', 'a-again'], 1], [['other-sport'], 1], [['other-replica'], 1], [['next-window'], 1], [['other-node'], 1], [['via-service'], 1]]],
  [1, [[['a', 'a-again', 'other-sport'], 2], [['other-replica'], 1], [['next-window'], 1], [['other-node'], 1], [['via-service'], 1]]],
  [2, [[['a', 'a-again', 'other-sport', 'other-replica'], 3], [['next-window'], 1], [['other-node'], 1], [['via-service'], 1]]],
  [3, [[['a', 'a-again', 'other-sport', 'other-replica'], 3], [['next-window'], 1], [['other-node'], 1], [['via-service'], 1]]],
];

describe('FlowWindowAggregator', async () => {
  const loaded = await loadResourcePaths(['examples/shop']);
  const extra = loadResourceText(SECOND_FRONTEND, 'second-frontend.yaml');
  assert.equal(extra.issues.length, 0);
  const inventory = enrichmentInventoryOf(Inventory.fromResources([...loaded.resources, ...extra.resources]));
  const batch = { agentId: 'agent-1', bootId: 'boot-1', sequence: 1, nodeName: 'node-1' };

  for (const [level, groups] of EXPECTED) {
    it(`level ${level}: ${groups.map(([g]) => g.join('+')).join(' | ')}`, () => {
      const aggregator = new FlowWindowAggregator({ windowMs: 15_000, allowedLevel: level, deniedLevel: level }, inventory);
      const byRecord = new Map<object, string>();
      for (const spec of RECORDS) {
        const enriched = enrichRecord(record(spec), batch, inventory);
        assert.equal(enriched.verdict.verdict, 'allow', `${spec.label} is allowed in the shop inventory`);
        byRecord.set(enriched, spec.label);
        aggregator.add(enriched);
      }
      const documents = aggregator.drain();
      // Which labels each document took: its records are not kept, so re-add each record alone and compare ids.
      const idOf = new Map<string, string>();
      for (const spec of RECORDS) {
        const single = new FlowWindowAggregator({ windowMs: 15_000, allowedLevel: level, deniedLevel: level }, inventory);
        single.add(enrichRecord(record(spec), batch, inventory));
        idOf.set(spec.label, single.drain()[0]!.id);
      }
      const actual = documents.map((d) => [RECORDS.filter((s) => idOf.get(s.label) === d.id).map((s) => s.label), d.tuples.size] as const);
      const sortGroups = (g: ReadonlyArray<readonly [readonly string[], number]>): string[] => g.map(([l, n]) => `${[...l].sort().join('+')}:${n}`).sort();
      assert.deepEqual(sortGroups(actual), sortGroups(groups));
      const records = documents.reduce((n, d) => n + [...d.perBatch.values()].reduce((m, b) => m + b.records, 0), 0);
      assert.equal(records, RECORDS.length, 'every record counted once');
    });
  }

  it('documents of one verdict share the parts it fixes; merging into one leaves the others as they were', () => {
    const level0 = { windowMs: 15_000, allowedLevel: 0, deniedLevel: 0 } as const;
    const aggregator = new FlowWindowAggregator(level0, inventory);
    aggregator.add(enrichRecord(record(RECORDS[0]!), batch, inventory));
    aggregator.add(enrichRecord(record(RECORDS[2]!), batch, inventory));
    const [a, b] = aggregator.drain().map((agg) => buildFlowDocument(agg, T0));
    assert.ok(a && b);
    assert.equal(a.segflow.policy, b.segflow.policy, 'one verdict, one policy part');
    const untouched = JSON.stringify(b);
    const later = new FlowWindowAggregator(level0, inventory);
    later.add(enrichRecord(record({ ...RECORDS[0]!, atMs: 9000 }), { ...batch, sequence: 2 }, inventory));
    assert.equal(mergeFlowDocumentInto(a, buildFlowDocument(later.drain()[0]!, T0)), true);
    assert.equal(a.segflow.aggregation?.records, 2);
    assert.equal(JSON.stringify(b), untouched);
  });
});
