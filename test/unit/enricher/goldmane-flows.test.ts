/**
 * Flows Calico reported through Goldmane, in the enricher (pure logic: the demo inventory, and
 * in-memory storage standing in for Elasticsearch): the document mapping, Calico's traces kept
 * as reported, segflow's evaluation and the disagreement, idempotent replays, and a dead letter
 * naming every problem of a bad flow.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowFieldByPath } from '../../../src/contract/flow-fields.ts';
import { encodeGoldmaneFlow, GOLDMANE_FLOW_SCHEMA, GOLDMANE_SOURCE_HEADER, type GoldmaneFlow } from '../../../src/contract/goldmane/goldmane-flow.ts';
import { FLOW_BATCH_SCHEMA_HEADER } from '../../../src/contract/wire/flow-batch-headers.ts';
import { DEAD_LETTER_HEADERS } from '../../../src/enricher/dead-letter.ts';
import { FlowBatchProcessor, type RawMessage } from '../../../src/enricher/flow-batch-processor.ts';
import { calicoHitDocument, hitDocumentString } from '../../../src/enricher/goldmane/calico-policy-hits.ts';
import { MemoryFlowStorage } from '../../../src/enricher/memory-flow-storage.ts';
import { SequenceTracker } from '../../../src/enricher/sequence-tracker.ts';
import { enrichmentInventoryOf } from '../../../src/enricher/transform/inventory-adapter.ts';
import { Inventory } from '../../../src/inventory/inventory.ts';
import { loadResourcePaths } from '../../../src/inventory/loader/load-files.ts';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const START = T0 / 1000 - 60;

function flow(over: Partial<NonNullable<GoldmaneFlow['key']>> = {}, rest: Partial<GoldmaneFlow> = {}): GoldmaneFlow {
  return {
    key: {
      sourceName: 'checkout-66c4d9-*', sourceNamespace: 'shop', sourceType: 1, destName: 'payments-84b6f7-*', destNamespace: 'shop', destType: 1, destPort: 8443,
      destServiceName: '', destServiceNamespace: '', destServicePortName: '', destServicePort: 0, proto: 'tcp', reporter: 2, action: 1,
      enforced: [{ kind: 1, namespace: 'shop', name: 'default.payments', tier: 'default', action: 1, policyIndex: 0, ruleIndex: 0, trigger: null }], pending: [],
      ...over,
    },
    startTime: START, endTime: START + 15, sourceLabels: ['app=checkout'], destLabels: ['app=payments'],
    packetsIn: 4, packetsOut: 5, bytesIn: 400, bytesOut: 500, connectionsStarted: 2, connectionsCompleted: 1, connectionsLive: 1, ...rest,
  };
}

function message(f: GoldmaneFlow, offset: number, headers: Record<string, string> = {}): RawMessage {
  return {
    partition: 0, offset: String(offset), key: Buffer.from('cluster/x'), value: Buffer.from(encodeGoldmaneFlow(f)),
    headers: { [FLOW_BATCH_SCHEMA_HEADER]: GOLDMANE_FLOW_SCHEMA, [GOLDMANE_SOURCE_HEADER]: 'prod', ...headers },
  };
}

async function setup() {
  const loaded = await loadResourcePaths(['examples/shop']);
  const storage = new MemoryFlowStorage();
  const processor = new FlowBatchProcessor(
    { topic: 'flows.raw', indexPrefix: 'segflow-flows', aggregation: { windowMs: 15_000, allowedLevel: 2, deniedLevel: 1 }, maxMessageBytes: 1_000_000, now: () => T0 },
    enrichmentInventoryOf(Inventory.fromResources(loaded.resources)), new SequenceTracker(), storage,
  );
  return { processor, storage };
}

/** Every leaf path of a document, nested arrays of objects as their parent path. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 && typeof value[0] === 'object' ? [prefix] : [prefix];
  if (value !== null && typeof value === 'object') {
    if (flowFieldByPath(prefix)?.type === 'flattened') return [prefix];
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe('Goldmane flows in the enricher', () => {
  it('maps a flow field by field, keeps Calico\'s traces and evaluates it (agrees)', async () => {
    const { processor, storage } = await setup();
    const result = await processor.process([message(flow({ pending: [{ kind: 3, namespace: 'shop', name: 'default.lockdown', tier: 'default', action: 2, policyIndex: 0, ruleIndex: 2, trigger: null }] }), 0)]);
    assert.deepEqual(result.goldmane, { flows: 1, agrees: 1, disagreements: 0, unresolved: 0 });
    assert.equal(result.deadLetters.length, 0);
    const doc = [...storage.documents.values()].map((d) => d.document as unknown as Record<string, any>)[0]!; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const p of leafPaths(doc)) assert.ok(flowFieldByPath(p), `${p} is in the field table`);
    assert.equal(doc.segflow.capture_source, 'goldmane');
    assert.equal(doc.segflow.reporter, 'dst');
    assert.deepEqual([doc.source.bytes, doc.destination.bytes, doc.source.packets, doc.destination.packets], [400, 500, 4, 5]);
    assert.deepEqual(doc.segflow.flows, { count: 2, started: 2, completed: 1, live: 1, exact: true });
    assert.deepEqual(doc.segflow.calico.enforced_str, ['0|default|np:shop/default.payments|allow|0']);
    assert.deepEqual(doc.segflow.calico.pending_str, ['0|default|snp:shop/default.lockdown|deny|2']);
    assert.equal(doc.segflow.pending_verdict, 'deny');
    assert.equal(doc.segflow.calico.evaluation, 'agrees');
    assert.deepEqual(doc.segflow.policy.ingress.enforced_str, ['0|default|np:shop/default.payments|allow|0']);
    assert.equal(doc.event.start, new Date(START * 1000).toISOString());
    assert.equal(doc.event.duration, 15e9);
    assert.equal(doc.network.direction, 'ingress');
  });

  it('flags an action and a trace that contradict segflow\'s evaluation', async () => {
    const { processor, storage } = await setup();
    const actionDiffers = flow({ action: 2, enforced: [{ kind: 1, namespace: 'shop', name: 'default.payments', tier: 'default', action: 2, policyIndex: 0, ruleIndex: 3, trigger: null }] });
    const traceDiffers = flow({ sourceName: 'catalog-5f8b7c-*', action: 2, enforced: [{ kind: 2, namespace: '', name: 'security.block', tier: 'security', action: 2, policyIndex: 0, ruleIndex: 0, trigger: null }] }, { sourceLabels: ['app=catalog'] });
    const result = await processor.process([message(actionDiffers, 0), message(traceDiffers, 1)]);
    assert.equal(result.goldmane.disagreements, 2);
    const docs = [...storage.documents.values()].map((d) => d.document as unknown as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const reasons = docs.map((d) => d.segflow.calico.disagreement_reason as string).sort();
    assert.match(reasons[0]!, /^action: calico deny, segflow allow \(ingress trace 0\|default\|np:shop\/default\.payments\|allow\|0\)$/);
    assert.match(reasons[1]!, /^trace: calico \[0\|security\|gnp:security\.block\|deny\|0\], segflow ingress \[0\|default\|np:shop\/default\.payments\|deny\|-1\]$/);
    assert.ok(docs.every((d) => d.segflow.calico.disagreement === true));
  });

  it('leaves ends it cannot resolve unevaluated, saying why', async () => {
    const { processor, storage } = await setup();
    await processor.process([
      message(flow({ sourceName: 'pvt', sourceNamespace: '', sourceType: 4 }), 0),
      message(flow({}, { destLabels: ['app=payments', 'tier=web'] }), 1),
      message(flow({ destName: 'ghost-*' }), 2),
    ]);
    const reasons = [...storage.documents.values()].map((d) => (d.document as unknown as Record<string, any>).segflow.calico.disagreement_reason as string).sort(); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(reasons, [
      'destination: no workload shop/ghost-* in the inventory',
      'destination: no workload shop/payments-84b6f7-* in the inventory carries the labels app=payments,tier=web',
      'source: Goldmane reports the private network end without an address',
    ]);
  });

  it('writes a flow read again to the same document, never adding it up twice', async () => {
    const { processor, storage } = await setup();
    await processor.process([message(flow(), 0)]);
    await processor.process([message(flow(), 1), message(flow(), 2)]);
    assert.equal(storage.documents.size, 1);
    // The same bucket read again while it was still filling: the newer counters replace the older.
    await processor.process([message(flow({}, { bytesIn: 900 }), 3)]);
    const docs = [...storage.documents.values()].map((d) => d.document);
    assert.equal(docs.length, 1);
    assert.equal(docs[0]!.network?.bytes, 1400, 'replaced (900 + 500), not added to (1800)');
  });

  it('dead-letters a bad flow naming every problem', async () => {
    const { processor, storage } = await setup();
    const bad = flow({ reporter: 0, action: 3, proto: 'bogus', enforced: [{ kind: 10, namespace: '', name: '', tier: 'default', action: 2, policyIndex: 0, ruleIndex: -1, trigger: null }] }, { endTime: START, bytesIn: -1 });
    const noKey: GoldmaneFlow = { ...flow(), key: null };
    const result = await processor.process([message(bad, 0), message(noKey, 1), message(flow(), 2, { [GOLDMANE_SOURCE_HEADER]: '' })]);
    assert.equal(storage.documents.size, 0);
    assert.equal(result.deadLetters.length, 3);
    const errors = result.deadLetters.map((d) => String(d.headers?.[DEAD_LETTER_HEADERS.error]));
    for (const part of ['Key.reporter', 'Key.action', 'Key.proto', 'Key.policies.enforced_policies[0].trigger', 'end_time', 'bytes_in']) assert.ok(errors[0]!.includes(part), `${part} in ${errors[0]}`);
    assert.match(errors[1]!, /Key: is missing/);
    assert.match(errors[2]!, /segflow-goldmane-source: is missing/);
  });
});

describe('Calico policy hits', () => {
  it('writes an end-of-tier hit as its trigger policy with rule -1', () => {
    const d = calicoHitDocument({ kind: 10, namespace: '', name: '', tier: 'platform', action: 3, policyIndex: 0, ruleIndex: -1, trigger: { kind: 2, namespace: '', name: 'platform.allow-dns', tier: 'platform', action: 3, policyIndex: 0, ruleIndex: -1, trigger: null } }, 0);
    assert.equal(hitDocumentString(d), '0|platform|gnp:platform.allow-dns|pass|-1');
    assert.equal(d.trigger, 'gnp:platform.allow-dns');
    assert.equal(hitDocumentString(calicoHitDocument({ kind: 6, namespace: 'data', name: 'redis', tier: 'default', action: 1, policyIndex: 2, ruleIndex: 0, trigger: null }, 2)), '2|default|knp:data/redis|allow|0');
    assert.equal(hitDocumentString(calicoHitDocument({ kind: 9, namespace: '', name: 'kns.shop', tier: '__PROFILE__', action: 1, policyIndex: 1, ruleIndex: 0, trigger: null }, 1)), '1|__PROFILE__|pro:kns.shop|allow|0');
  });
});
