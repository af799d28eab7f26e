/**
 * The Elasticsearch side of the enricher against a real Elasticsearch: the template derived
 * from the field table installs (on the local distribution without x-pack mappers as on a full
 * one), realistic flow documents written through FlowBulkWriter are searchable by term, CIDR,
 * nested policy hit and flattened label, a replay overwrites instead of duplicating, documents
 * that violate the mapping come back as permanent rejections with Elasticsearch's reason while
 * the rest of the batch indexes, and retention deletes only the expired daily indices.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { buildDeadLetter, parseDeadLetterHeaders } from '../../src/enricher/dead-letter.ts';
import { flowDocumentId } from '../../src/contract/flow-document-id.ts';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { FlowBulkWriter, bulkRequestFromClient, type FlowBulkItem } from '../../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { dailyFlowIndexName } from '../../src/contract/flow-index-names.ts';
import { FlowIndexRetention } from '../../src/enricher/elasticsearch/flow-index-retention.ts';
import { buildFlowIndexTemplate, installFlowIndexTemplate } from '../../src/enricher/elasticsearch/flow-index-template.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';
import { sampleFlowDocument } from '../unit/enricher/flow-document-sample.ts';
import { deleteFlowIndices } from '../harness/pipeline-resources.ts';

const SOURCES = [
  { ip: '10.244.1.60', namespace: 'shop', app: 'cart' },
  { ip: '10.244.2.17', namespace: 'shop', app: 'frontend' },
  { ip: '10.1.0.9', namespace: 'payments', app: 'payments-api' },
  { ip: '192.168.5.20', namespace: undefined, app: undefined }, // private, unknown
  { ip: '203.0.113.7', namespace: undefined, app: undefined }, // public
  { ip: 'fd00:10:244::5', namespace: 'shop', app: 'catalog' },
];
// Windows every 15 s from 23:57:30 UTC to 00:02:15 UTC: the batch spans two daily indices.
const FIRST_WINDOW = Date.parse('2026-11-27T23:57:30Z');
const WINDOWS = 20;

interface Expected {
  total: number;
  in10slash8: number;
  cartLabel: number;
  denied: number;
  deniedByDefaultDeny: number;
  perIndex: Map<string, number>;
}

function realisticBatch(prefix: string): { items: FlowBulkItem[]; expected: Expected } {
  const items: FlowBulkItem[] = [];
  const expected: Expected = { total: 0, in10slash8: 0, cartLabel: 0, denied: 0, deniedByDefaultDeny: 0, perIndex: new Map() };
  for (let w = 0; w < WINDOWS; w++) {
    const windowStart = FIRST_WINDOW + w * 15_000;
    SOURCES.forEach((src, s) => {
      const verdict = (w + s) % 4 === 0 ? 'deny' : 'allow';
      const doc = sampleFlowDocument({ sourceIp: src.ip, windowStart: new Date(windowStart).toISOString(), verdict });
      const seg = doc.segflow;
      if (src.ip.includes(':')) doc.network = { ...doc.network, type: 'ipv6' };
      if (src.namespace === undefined) {
        seg.source = { kind: src.ip.startsWith('192.168.') ? 'private' : 'public', aggregated_name: src.ip.startsWith('192.168.') ? 'pvt' : 'pub' };
      } else {
        seg.source = { ...seg.source, namespace: src.namespace, name: `${src.app}-${w}`, aggregated_name: `${src.app}-*`, labels: { app: src.app ?? '', 'app.kubernetes.io/part-of': 'shop' } };
      }
      const ingress = seg.policy?.ingress;
      if (verdict === 'allow' && ingress) {
        ingress.verdict = 'allow';
        ingress.enforced = [{ policy_index: 0, tier: 'default', kind: 'np', namespace: 'payments', name: 'allow-from-shop', action: 'allow', rule_index: 0 }];
        ingress.enforced_str = ['0|default|np:payments/allow-from-shop|allow|0'];
      }
      const id = flowDocumentId(['dst', src.ip, '10.244.1.5', 8080, 'tcp', verdict], windowStart);
      doc.event.id = id;
      const index = dailyFlowIndexName(windowStart, prefix);
      items.push({ id, index, document: doc });
      expected.total++;
      expected.perIndex.set(index, (expected.perIndex.get(index) ?? 0) + 1);
      if (src.ip.startsWith('10.')) expected.in10slash8++;
      if (src.app === 'cart') expected.cartLabel++;
      if (verdict === 'deny') {
        expected.denied++;
        expected.deniedByDefaultDeny++;
      }
    });
  }
  return { items, expected };
}

describe('enricher Elasticsearch layout and bulk writer (real Elasticsearch)', () => {
  const client = createElasticsearchClient(requireElasticsearchUrl());
  const prefix = uniqueName('sftest-flows');
  const registry = new Registry();
  const writer = new FlowBulkWriter({ bulk: bulkRequestFromClient(client, { refresh: 'wait_for' }), registry, maxAttempts: 5, deadlineMs: 60_000 });
  const pattern = `${prefix}-*`;
  const { items, expected } = realisticBatch(prefix);

  const count = async (query: object): Promise<number> => (await client.count({ index: pattern, query })).count;

  before(async () => {
    assert.equal(await installFlowIndexTemplate(client, { prefix, refreshInterval: '1s' }), 'created');
    assert.equal(await installFlowIndexTemplate(client, { prefix, refreshInterval: '1s' }), 'unchanged', 'installing twice changes nothing');
  });

  after(async () => {
    await deleteFlowIndices(client, prefix);
    await client.close();
  });

  it('indexes a realistic batch in one request into two daily indices; the mapping comes from the template', async () => {
    const result = await writer.write(items);
    const { versions, ...counts } = result;
    assert.deepEqual(counts, { indexed: expected.total, rejected: [], conflicts: [], requests: 1, retries: 0 });
    assert.equal(versions.size, expected.total, 'Elasticsearch gave every written document a version');
    assert.equal(await count({ match_all: {} }), expected.total);
    for (const [index, n] of expected.perIndex) assert.equal((await client.count({ index })).count, n, index);
    assert.deepEqual([...expected.perIndex.keys()].sort(), [`${prefix}-2026.11.27`, `${prefix}-2026.11.28`]);

    const index = `${prefix}-2026.11.28`;
    const mapping = (await client.indices.getMapping({ index }))[index]?.mappings;
    assert.equal(mapping?.dynamic, 'strict');
    const props = mapping?.properties as Record<string, { properties?: Record<string, { type?: string; properties?: Record<string, { type?: string }> }> }>;
    assert.equal(props.source?.properties?.ip?.type, 'ip');
    assert.equal(props.segflow?.properties?.source?.properties?.labels?.type, 'flattened');
    const settings = (await client.indices.getSettings({ index }))[index]?.settings?.index;
    assert.equal(String(settings?.number_of_shards), '1');
    assert.equal(String(settings?.number_of_replicas), '0');
  });

  it('finds flows by term, by CIDR, by nested policy hit and by flattened label', async () => {
    assert.equal(await count({ term: { 'source.ip': '10.0.0.0/8' } }), expected.in10slash8, 'CIDR on source.ip');
    assert.equal(await count({ term: { 'related.ip': '10.244.1.5' } }), expected.total, 'every flow has the destination in related.ip');
    assert.equal(await count({ term: { 'source.ip': 'fd00:10:244::/48' } }), WINDOWS, 'IPv6 CIDR');
    assert.equal(await count({ term: { 'segflow.verdict': 'deny' } }), expected.denied);
    assert.equal(await count({ term: { 'segflow.source.kind': 'public' } }), WINDOWS);

    const nestedHit = (name: string, action: string) => ({
      nested: {
        path: 'segflow.policy.ingress.enforced',
        query: { bool: { filter: [{ term: { 'segflow.policy.ingress.enforced.name': name } }, { term: { 'segflow.policy.ingress.enforced.action': action } }] } },
      },
    });
    assert.equal(await count(nestedHit('default-deny', 'deny')), expected.deniedByDefaultDeny, 'nested: name and action in the same hit');
    // Denied flows' traces hold "quarantine pass" and "default-deny deny": name and action
    // from different hits must not match, which a flat keyword array could not guarantee.
    assert.equal(await count(nestedHit('quarantine', 'deny')), 0, 'nested: no cross-hit match');
    assert.equal(await count(nestedHit('quarantine', 'pass')), expected.denied);
    assert.equal(await count({ term: { 'segflow.policy.ingress.enforced_str': '1|platform|gnp:default-deny|deny|-1' } }), expected.denied, 'policy-hit strings');

    assert.equal(await count({ term: { 'segflow.source.labels.app': 'cart' } }), expected.cartLabel, 'flattened label key');
    assert.equal(await count({ term: { 'segflow.source.labels': 'cart' } }), expected.cartLabel, 'flattened label value on the root field');

    const agg = await client.search({ index: pattern, size: 0, aggs: { ns: { terms: { field: 'segflow.source.namespace' } } } });
    const buckets = (agg.aggregations?.ns as { buckets: Array<{ key: string; doc_count: number }> }).buckets;
    assert.deepEqual(Object.fromEntries(buckets.map((b) => [b.key, b.doc_count])), { shop: 3 * WINDOWS, payments: WINDOWS });
  });

  it('a replayed batch overwrites (deterministic ids): no duplicates', async () => {
    const result = await writer.write(items);
    assert.equal(result.indexed, expected.total);
    assert.equal(await count({ match_all: {} }), expected.total);
  });

  it('documents that violate the mapping are rejected for good with the reason; the others index', async () => {
    const windowStart = Date.parse('2026-11-28T01:00:00Z');
    const index = dailyFlowIndexName(windowStart, prefix);
    const good = sampleFlowDocument({ windowStart: new Date(windowStart).toISOString(), sourceIp: '10.9.9.9' });
    const wrongType = { ...sampleFlowDocument({ windowStart: new Date(windowStart).toISOString() }), segflow: { ...good.segflow, flows: { count: 'many' } } } as unknown as FlowDocument;
    const unknownField = { ...sampleFlowDocument({ windowStart: new Date(windowStart).toISOString() }), bogus: { field: 1 } } as unknown as FlowDocument;
    const badIp = { ...good, source: { ...good.source, ip: 'not-an-ip' } } as FlowDocument;
    const batch: FlowBulkItem[] = [
      { id: 'good-1', index, document: good },
      { id: 'wrong-type', index, document: wrongType },
      { id: 'unknown-field', index, document: unknownField },
      { id: 'bad-ip', index, document: badIp },
      { id: 'good-2', index, document: { ...good, source: { ...good.source, ip: '10.9.9.10' } } },
    ];
    const result = await writer.write(batch);
    assert.equal(result.indexed, 2);
    assert.equal(result.requests, 1, 'permanent errors are not retried');
    const byId = new Map(result.rejected.map((r) => [r.item.id, r]));
    assert.deepEqual([...byId.keys()].sort(), ['bad-ip', 'unknown-field', 'wrong-type']);
    assert.equal(byId.get('wrong-type')?.status, 400);
    assert.match(byId.get('wrong-type')?.reason ?? '', /segflow\.flows\.count/);
    assert.match(byId.get('unknown-field')?.errorType ?? '', /strict_dynamic_mapping_exception/);
    assert.match(byId.get('unknown-field')?.reason ?? '', /bogus/);
    assert.match(byId.get('bad-ip')?.reason ?? '', /source\.ip/);
    assert.equal(await count({ terms: { 'source.ip': ['10.9.9.9', '10.9.9.10'] } }), 2);

    // What the enricher sends to the dead-letter topic for one of them.
    const rejection = byId.get('unknown-field');
    assert.ok(rejection);
    const message = buildDeadLetter({
      reason: rejection.errorType, stage: 'index', topic: 'flows.raw', partition: 0, offset: '42', key: rejection.item.id,
      payload: JSON.stringify(rejection.item.document), error: rejection.reason, contentType: 'application/json',
    });
    assert.equal(parseDeadLetterHeaders(message.headers).reason, 'strict_dynamic_mapping_exception');
    assert.deepEqual(JSON.parse(String(message.value)), JSON.parse(JSON.stringify(unknownField)));

    const rejected = await registry.getSingleMetric('segflow_es_documents_rejected_total')?.get();
    assert.equal(rejected?.values.reduce((s, v) => s + v.value, 0), 3);
  });

  it('retention deletes only the expired daily indices of its prefix, by name', async () => {
    const old = [`${prefix}-2020.01.01`, `${prefix}-2020.01.02`];
    const decoys = [`${prefix}-downsampled-2020.01.01`, `${prefix}-2020.01.01-restored`];
    for (const index of [...old, ...decoys]) await client.indices.create({ index });
    const otherPrefix = `${prefix}x-2020.01.01`; // shares our prefix as a string, not as a family
    await client.indices.create({ index: otherPrefix, settings: { number_of_shards: 1, number_of_replicas: 0 } });
    try {
      const now = Date.parse('2026-11-30T12:00:00Z');
      const retention = new FlowIndexRetention({ client, prefix, retentionDays: 7, now: () => now });
      const result = await retention.runOnce();
      assert.deepEqual(result.deleted, old);
      assert.deepEqual(result.kept, [`${prefix}-2026.11.27`, `${prefix}-2026.11.28`]);
      const left = (await client.cat.indices({ index: `${prefix}*`, format: 'json', h: 'index' })).map((r) => r.index).sort();
      assert.deepEqual(left, [...decoys, `${prefix}-2026.11.27`, `${prefix}-2026.11.28`, otherPrefix].sort());

      // The periodic form: one more expired day goes at start(), stop() waits for the run.
      await client.indices.create({ index: `${prefix}-2021.06.30` });
      const periodic = new FlowIndexRetention({ client, prefix, retentionDays: 7, now: () => now, intervalMs: 60_000 });
      periodic.start();
      await periodic.stop();
      assert.equal((await client.indices.exists({ index: `${prefix}-2021.06.30` })), false);
      assert.equal((await client.indices.exists({ index: `${prefix}-2026.11.28` })), true);
    } finally {
      await client.indices.delete({ index: otherPrefix, ignore_unavailable: true });
    }
  });

  it('the installed template is the one built from the table', async () => {
    const installed = (await client.indices.getIndexTemplate({ name: prefix })).index_templates[0]?.index_template;
    const built = buildFlowIndexTemplate({ prefix, refreshInterval: '1s' });
    assert.deepEqual(installed?.index_patterns, built.index_patterns);
    assert.equal((installed?._meta as { digest?: string } | undefined)?.digest, built._meta.digest);
    assert.equal(await installFlowIndexTemplate(client, { prefix, refreshInterval: '2s' }), 'updated');
  });
});
