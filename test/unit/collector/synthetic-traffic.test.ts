/**
 * The synthetic traffic model on the demo shop inventory: the routes it derives (allowed pairs,
 * denied pairs, Services dialled through their cluster IP), and the records it generates —
 * checked against the enricher's own record enrichment, so a generated flow's dataplane verdict
 * must agree with the verdict the pipeline will compute for it.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Inventory } from '../../../src/inventory/inventory.ts';
import { loadResourcePaths } from '../../../src/inventory/loader/load-files.ts';
import type { Resource } from '../../../src/inventory/model/resources.ts';
import { decodeFlowBatch, encodeFlowBatch, type FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';
import { bytesToIp } from '../../../src/contract/wire/ip-address-bytes.ts';
import { enrichmentInventoryOf } from '../../../src/enricher/transform/inventory-adapter.ts';
import { enrichRecord } from '../../../src/enricher/transform/record-enrichment.ts';
import { isMismatch } from '../../../src/enricher/transform/observed-outcome.ts';
import type { EnrichmentInventory } from '../../../src/enricher/transform/enrichment-inventory.ts';
import { deriveTrafficPlan, type SyntheticRoute, type SyntheticTrafficPlan } from '../../../src/collector/sources/synthetic/synthetic-traffic-plan.ts';
import {
  SyntheticTrafficGenerator, type SyntheticConnectionTotals, type SyntheticTrafficOptions,
} from '../../../src/collector/sources/synthetic/synthetic-traffic-model.ts';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const FRONTEND = '10.244.1.10';
const CATALOG = '10.244.1.20';
const CHECKOUT = '10.244.1.30';
const PAYMENTS = '10.244.1.40';
const POSTGRES = '10.244.2.10';
const CATALOG_SERVICE = '10.96.0.20';

let resources: Resource[];
let plan: SyntheticTrafficPlan;
let enrichment: EnrichmentInventory;

before(async () => {
  const loaded = await loadResourcePaths(['examples/shop']);
  assert.deepEqual(loaded.issues.filter((i) => i.severity === 'error'), []);
  resources = loaded.resources;
  plan = deriveTrafficPlan(resources);
  enrichment = enrichmentInventoryOf(Inventory.fromResources(resources));
});

/** Runs a generator for `seconds` of virtual time in `stepMs` steps; returns the records and the closed connections. */
function simulate(options: Partial<SyntheticTrafficOptions> & { seconds: number; stepMs?: number }): { records: FlowRecordData[]; closed: SyntheticConnectionTotals[]; generator: SyntheticTrafficGenerator } {
  const { seconds, stepMs = 250, ...rest } = options;
  const closed: SyntheticConnectionTotals[] = [];
  const generator = new SyntheticTrafficGenerator(plan, {
    nodeName: 'node-1', seed: 42, connectionsPerSecond: 40, startTimeMs: T0, onConnectionClosed: (t) => closed.push(t), ...rest,
  });
  const records: FlowRecordData[] = [];
  for (let t = T0 + stepMs; t <= T0 + seconds * 1000; t += stepMs) records.push(...generator.advanceTo(t));
  return { records, closed, generator };
}

function findRoute(routes: readonly SyntheticRoute[], client: string, dialled: string, port: number): SyntheticRoute | undefined {
  return routes.find((r) => r.client.ip === client && r.dialledIp === dialled && r.dialledPort === port);
}

const enrich = (record: FlowRecordData) => enrichRecord(record, { agentId: 'node-1', bootId: 'boot', sequence: 1, nodeName: 'node-1' }, enrichment);

describe('deriveTrafficPlan on the demo shop', () => {
  it('finds the intended dependencies as allowed routes, directly and through Services', () => {
    const direct = findRoute(plan.allowed, CHECKOUT, PAYMENTS, 8443);
    assert.ok(direct, 'checkout → payments:8443');
    assert.equal(direct.intent, 'intended');
    assert.equal(direct.kind, 'direct');
    assert.equal(direct.profile.name, 'https');

    const viaService = findRoute(plan.allowed, FRONTEND, CATALOG_SERVICE, 80);
    assert.ok(viaService, 'frontend → catalog Service 10.96.0.20:80');
    assert.equal(viaService.kind, 'service');
    assert.deepEqual(viaService.service, { namespace: 'shop', name: 'catalog' });
    assert.equal(viaService.server.ip, CATALOG, 'DNAT lands on the catalog pod');
    assert.equal(viaService.serverPort, 8080, 'the Service port 80 targets 8080');
    assert.ok(viaService.weight > direct.weight, 'Services carry more than direct dialling');
  });

  it('finds the denies the inventory documents, with the denying policy as the rule hint', () => {
    const frontendToPostgres = findRoute(plan.denied, FRONTEND, POSTGRES, 5432);
    assert.ok(frontendToPostgres);
    assert.match(frontendToPostgres.ruleHint, /\|deny\|/);
    const catalogToPayments = findRoute(plan.denied, CATALOG, PAYMENTS, 8443);
    assert.ok(catalogToPayments);
    assert.equal(catalogToPayments.ruleHint, '0|default|np:shop/default.payments|deny|-1');
    assert.equal(findRoute(plan.allowed, CATALOG, PAYMENTS, 8443), undefined);
  });

  it('gives every route the verdict the inventory gives the flow after DNAT', () => {
    const inventory = Inventory.fromResources(resources);
    for (const route of [...plan.allowed, ...plan.denied]) {
      const v = inventory.explain({ srcIp: route.client.ip, dstIp: route.server.ip, protocol: route.protocol, srcPort: 40000, dstPort: route.serverPort });
      assert.equal(v.verdict, route.verdict, `${route.client.name} → ${route.dialledIp}:${route.dialledPort}`);
    }
  });

  it('weights allowed-but-unintended pairs far below the dependencies', () => {
    const incidental = plan.allowed.filter((r) => r.intent === 'incidental');
    assert.ok(incidental.length > 0, 'the demo has pairs allowed only because nothing forbids them (e.g. postgres → frontend:8080)');
    const intendedWeight = plan.allowed.filter((r) => r.intent === 'intended').reduce((n, r) => n + r.weight, 0);
    const incidentalWeight = incidental.reduce((n, r) => n + r.weight, 0);
    assert.ok(incidentalWeight < intendedWeight * 0.05, `incidental ${incidentalWeight} vs intended ${intendedWeight}`);
  });
});

describe('SyntheticTrafficGenerator on the demo shop', () => {
  it('generates valid synthetic records whose dataplane verdict agrees with the enrichment (allowed and denied)', () => {
    const { records } = simulate({ seconds: 60 });
    assert.ok(records.length > 1000, `${records.length} records`);
    let allowed = 0;
    let denied = 0;
    for (const record of records) {
      assert.equal(record.source, 'synthetic');
      assert.equal(record.nodeName, 'node-1');
      const enriched = enrich(record);
      assert.equal(enriched.verdict.verdict, record.dataplaneVerdict, `${bytesToIp(record.original.srcIp)} → ${bytesToIp(record.original.dstIp)}:${record.original.dstPort}`);
      assert.equal(isMismatch(enriched.verdict.verdict, enriched.outcome), false, 'observed outcome never contradicts the verdict');
      if (record.dataplaneVerdict === 'allow') allowed++;
      else denied++;
    }
    assert.ok(allowed > 0 && denied > 0);
    // Every record survives the wire codec (its validation is what the enricher applies).
    const decoded = decodeFlowBatch(encodeFlowBatch({ agentId: 'a', bootId: 'b', sequence: 1, records: records.slice(0, 2000), sentTimeUnixNano: 1n, nodeName: 'node-1' }));
    assert.equal(decoded.records.length, Math.min(2000, records.length));
  });

  it('includes the allowed dependencies and the documented denies among the flows', () => {
    const { records } = simulate({ seconds: 120, denyShare: 0.3 });
    const seen = (src: string, dst: string, port: number, verdict: 'allow' | 'deny') =>
      records.some((r) => bytesToIp(r.original.srcIp) === src && bytesToIp(r.original.dstIp) === dst && r.original.dstPort === port && r.dataplaneVerdict === verdict);
    assert.ok(seen(CHECKOUT, PAYMENTS, 8443, 'allow'), 'checkout → payments allowed');
    assert.ok(seen(FRONTEND, CATALOG_SERVICE, 80, 'allow'), 'frontend → catalog Service allowed');
    assert.ok(seen(FRONTEND, POSTGRES, 5432, 'deny'), 'frontend → postgres denied');
    assert.ok(seen(CATALOG, PAYMENTS, 8443, 'deny'), 'catalog → payments denied');
  });

  it('reports denied flows as a dropping dataplane would: SYN retransmissions, nothing back', () => {
    const { records } = simulate({ seconds: 60, denyShare: 0.5 });
    const denied = records.filter((r) => r.dataplaneVerdict === 'deny');
    assert.ok(denied.length > 100);
    for (const r of denied) {
      assert.equal(r.unreplied, true);
      assert.equal(r.assured, false);
      assert.equal(r.replyPackets, 0);
      assert.equal(r.replyBytes, 0);
      assert.equal(r.tcpState, 'SYN_SENT');
      assert.notEqual(r.ruleHint, '');
      assert.equal(enrich(r).outcome, 'dropped');
    }
    // First SYN on `new`, two retransmissions by the time the attempt is given up.
    const byId = groupByConnection(denied);
    const complete = [...byId.values()].filter((events) => events.at(-1)!.eventKind === 'destroy');
    assert.ok(complete.length > 50);
    for (const events of complete) assert.equal(sum(events, 'originalPackets'), 3);
  });

  it('dials Services at their cluster IP with the backend in the reply tuple, and the enrichment resolves both', () => {
    const { records } = simulate({ seconds: 30 });
    const viaCatalogService = records.filter((r) => bytesToIp(r.original.dstIp) === CATALOG_SERVICE);
    assert.ok(viaCatalogService.length > 10);
    for (const r of viaCatalogService) {
      assert.equal(r.original.dstPort, 80);
      assert.equal(bytesToIp(r.reply.srcIp), CATALOG);
      assert.equal(r.reply.srcPort, 8080);
      assert.equal(r.reply.dstPort, r.original.srcPort);
      const enriched = enrich(r);
      assert.equal(enriched.service?.name, 'catalog');
      assert.equal(enriched.dstIp, CATALOG);
      assert.equal(enriched.dstPort, 8080);
      assert.equal(enriched.verdict.destination.name, 'catalog-5f8b7c-q8r2m');
    }
  });

  it('reports connections as new, updates, destroy whose deltas add up to what each connection carried', () => {
    const { records, closed } = simulate({ seconds: 300, connectionsPerSecond: 20 });
    const byId = groupByConnection(records);
    assert.ok(closed.length > 1000);
    let longLivedWithUpdates = 0;
    for (const totals of closed) {
      const events = byId.get(totals.conntrackId)!;
      assert.ok(events, `records of connection ${totals.conntrackId}`);
      assert.equal(events.length, totals.records);
      assert.equal(events[0]!.eventKind, 'new');
      assert.equal(events.at(-1)!.eventKind, 'destroy');
      assert.ok(events.slice(1, -1).every((e) => e.eventKind === 'update'));
      for (let i = 1; i < events.length; i++) assert.ok(events[i]!.endTimeUnixNano >= events[i - 1]!.endTimeUnixNano, 'reports in time order');
      assert.ok(events.every((e) => e.startTimeUnixNano === events[0]!.startTimeUnixNano), 'one start time per connection');
      assert.equal(sum(events, 'originalPackets'), totals.originalPackets);
      assert.equal(sum(events, 'originalBytes'), totals.originalBytes);
      assert.equal(sum(events, 'replyPackets'), totals.replyPackets);
      assert.equal(sum(events, 'replyBytes'), totals.replyBytes);
      if (totals.longLived && events.some((e) => e.eventKind === 'update' && e.originalBytes > 0)) longLivedWithUpdates++;
      if (totals.route.verdict === 'allow' && totals.route.protocol === 6) {
        // SYN + ACK + FIN + last ACK at least, and the SYN-ACK and FIN back.
        assert.ok(totals.originalPackets >= 4 && totals.replyPackets >= 2, `${totals.originalPackets}/${totals.replyPackets} packets`);
        assert.equal(events[0]!.tcpState, 'SYN_SENT');
        assert.equal(events.at(-1)!.tcpState, 'TIME_WAIT');
        assert.equal(events.at(-1)!.assured, true);
      }
    }
    assert.ok(longLivedWithUpdates > 10, `${longLivedWithUpdates} long-lived connections reported updates with traffic`);
    for (const r of records) {
      for (const field of ['originalPackets', 'originalBytes', 'replyPackets', 'replyBytes'] as const) assert.ok(r[field] >= 0, `${field} is a delta, never negative`);
      // Every packet carries at least its headers and at most a full frame.
      assert.ok(r.originalBytes >= 40 * r.originalPackets && r.originalBytes <= 1500 * r.originalPackets, `original ${r.originalBytes} B in ${r.originalPackets} packets`);
      assert.ok(r.replyBytes >= 40 * r.replyPackets && r.replyBytes <= 1500 * r.replyPackets, `reply ${r.replyBytes} B in ${r.replyPackets} packets`);
      assert.ok(r.original.srcPort >= 32768 && r.original.srcPort <= 60999, `ephemeral source port ${r.original.srcPort}`);
    }
  });

  it('keeps the deny share and produces bursts', () => {
    const { generator, records } = simulate({ seconds: 300, connectionsPerSecond: 50, denyShare: 0.2 });
    const stats = generator.stats();
    const share = stats.deniedConnections / stats.connectionsOpened;
    assert.ok(share > 0.12 && share < 0.28, `denied share ${share}`);
    assert.ok(stats.bursts > 5, `${stats.bursts} bursts`);
    // A burst: one client opening 10+ connections to one destination within two seconds.
    const perSecond = new Map<string, number>();
    for (const r of records) {
      if (r.eventKind !== 'new') continue;
      const key = `${bytesToIp(r.original.srcIp)}>${bytesToIp(r.original.dstIp)}:${r.original.dstPort}@${r.endTimeUnixNano / 2_000_000_000n}`;
      perSecond.set(key, (perSecond.get(key) ?? 0) + 1);
    }
    const baseline = 50 * 2 * 0.85 * Math.max(...plan.allowed.map((r) => r.weight)) / plan.allowed.reduce((n, r) => n + r.weight, 0);
    assert.ok(Math.max(...perSecond.values()) >= 10 + baseline, `busiest 2 s of one route: ${Math.max(...perSecond.values())} connections`);
  });

  it('is deterministic for a seed, whatever the step size, and differs between seeds', () => {
    const a = simulate({ seconds: 40, seed: 7, stepMs: 250 }).records;
    const b = simulate({ seconds: 40, seed: 7, stepMs: 1000 }).records;
    const c = simulate({ seconds: 40, seed: 8 }).records;
    assert.ok(a.length > 100);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('reports what open connections carried when asked (a stopping source), and nothing twice', () => {
    const closed: SyntheticConnectionTotals[] = [];
    const generator = new SyntheticTrafficGenerator(plan, { nodeName: 'node-1', seed: 3, connectionsPerSecond: 40, startTimeMs: T0, onConnectionClosed: (t) => closed.push(t) });
    const records = generator.advanceTo(T0 + 25_000);
    const flushed = generator.reportOpenConnections(T0 + 25_500);
    const atStop = flushed.filter((r) => r.endTimeUnixNano === BigInt(T0 + 25_500) * 1_000_000n);
    assert.ok(atStop.length > 0 && atStop.every((r) => r.eventKind === 'update'), 'open connections report their deltas at the stop time');
    // No new connections from here on: the open ones run to their end.
    const later = generator.advanceTo(T0 + 1_000_000, { arrivals: false });
    assert.equal(generator.stats().liveConnections, 0);
    const all = [...records, ...flushed, ...later];
    const byId = groupByConnection(all);
    for (const totals of closed) assert.equal(sum(byId.get(totals.conntrackId)!, 'originalBytes'), totals.originalBytes);
  });

  it('rejects an inventory with nothing to simulate and bad options', () => {
    assert.throws(() => new SyntheticTrafficGenerator({ allowed: [], denied: [], endpoints: 0, candidatesClassified: 0, sampled: false }, { nodeName: 'n', seed: 1, connectionsPerSecond: 1, startTimeMs: T0 }), /no route/);
    assert.throws(() => new SyntheticTrafficGenerator(plan, { nodeName: 'n', seed: 1, connectionsPerSecond: 1, denyShare: 2, startTimeMs: T0 }), /denyShare/);
    assert.throws(() => new SyntheticTrafficGenerator(plan, { nodeName: 'n', seed: 1, connectionsPerSecond: -1, startTimeMs: T0 }), /connectionsPerSecond/);
  });
});

function groupByConnection(records: readonly FlowRecordData[]): Map<number, FlowRecordData[]> {
  const out = new Map<number, FlowRecordData[]>();
  for (const r of records) {
    const list = out.get(r.conntrackId) ?? [];
    list.push(r);
    out.set(r.conntrackId, list);
  }
  return out;
}

function sum(records: readonly FlowRecordData[], field: 'originalPackets' | 'originalBytes' | 'replyPackets' | 'replyBytes'): number {
  return records.reduce((n, r) => n + r[field], 0);
}
