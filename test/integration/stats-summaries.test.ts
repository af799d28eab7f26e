/**
 * `/flows/stats` from summaries on a real Elasticsearch: flow documents written with the real
 * FlowBulkWriter, summarised by the real rollup, and every answer compared with the answer the
 * raw route gives for the same range before any summary exists (or after they are removed):
 * aligned and unaligned ranges, a range whose recent blocks are not summarised, other views,
 * limit and interval, a namespaced caller, and a later merge into a flow document of a
 * summarised block (stale fingerprint → that block from the flows → still exact, though the
 * API had cached the block; after the next rollup → from the summary again), and a late write
 * into the closed block of a range's edge whose 30-second steps the API had cached (its steps
 * are read again, the answer still the raw route's). Every answer is
 * also asked again (then from the API's summary cache) and of an API with the cache off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { dailyFlowIndexName } from '../../src/contract/flow-index-names.ts';
import { blockStartOf, dailySummaryIndexName, summaryIndexPattern, SUMMARY_BLOCK_MS } from '../../src/contract/flow-summary.ts';
import { FlowIndexRetention } from '../../src/enricher/elasticsearch/flow-index-retention.ts';
import { bulkRequestFromClient, FlowBulkWriter, type FlowBulkItem } from '../../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { installFlowIndexTemplate } from '../../src/enricher/elasticsearch/flow-index-template.ts';
import { SummaryRollup } from '../../src/enricher/summary/summary-rollup.ts';
import { loadResourceText } from '../../src/inventory/index.ts';
import { parseTokenConfig } from '../../src/api/auth/tokens.ts';
import { FlowStore } from '../../src/api/flow-store.ts';
import { StaticInventorySource } from '../../src/api/inventory/inventory-source.ts';
import { parseViews } from '../../src/api/query/flow-stats.ts';
import { readStatsFromSummaries } from '../../src/api/query/stats-summary-reader.ts';
import { SummaryBlockCache } from '../../src/api/query/summary-block-cache.ts';
import { ApiServer } from '../../src/api/server.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import { benchDocument } from '../../bench/api.ts';
import { deleteFlowIndices } from '../harness/pipeline-resources.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';
import { FIXTURE_RESOURCES_YAML, fixtureItems } from '../unit/api/flow-fixtures.ts';

const MIN = 60_000;
const ADMIN = 'admin-token-0123456789abcdef';
const SHOP = 'shop-viewer-token-0123456789';

describe('/flows/stats from summaries equals the raw answer', () => {
  let client: Client;
  let prefix: string;
  let server: ApiServer;
  let app: FastifyInstance;
  let store: FlowStore;
  let rollup: SummaryRollup;
  let writer: FlowBulkWriter;
  let items: FlowBulkItem[];
  // Every document lies in the two hours before the anchor, a block start.
  const anchor = blockStartOf(Date.now()) - SUMMARY_BLOCK_MS;
  const iso = (ms: number): string => new Date(ms).toISOString();

  let uncachedServer: ApiServer;
  let uncached: FastifyInstance;

  async function stats(fromMs: number, toMs: number, extra = '', token = ADMIN, on: FastifyInstance = app): Promise<Record<string, unknown>> {
    const r = await on.inject({ method: 'GET', url: `/api/v1/flows/stats?from=${iso(fromMs)}&to=${iso(toMs)}${extra}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as Record<string, unknown>;
  }
  /** Lookups in the API's summary cache with an outcome (hit or miss), of one kind or both: the summary path ran. */
  async function lookups(outcome: 'hit' | 'miss', on: FastifyInstance = app, kind?: 'block' | 'run' | 'step' | 'steps'): Promise<number> {
    const r = await on.inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN}` } });
    return r.body.split('\n')
      .filter((l) => l.startsWith('segflow_api_stats_cache_lookups_total{') && (kind === undefined || l.includes(`kind="${kind}"`)) && l.includes(`outcome="${outcome}"`))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  }
  const allLookups = async (on: FastifyInstance = app): Promise<number> => (await lookups('hit', on)) + (await lookups('miss', on));
  const dropSummaries = async (): Promise<void> => {
    const names = Object.keys(await client.indices.get({ index: summaryIndexPattern(prefix), allow_no_indices: true, ignore_unavailable: true }));
    if (names.length > 0) await client.indices.delete({ index: names });
  };
  const summarise = (fromMs: number, toMs: number) => rollup.rollUp(SummaryRollup.blocksIn(fromMs, toMs));

  // The ranges compared: name, from, to, extra parameters, token.
  const scenarios: [string, number, number, string, string][] = [
    ['aligned hour', anchor - 90 * MIN, anchor - 30 * MIN, '', ADMIN],
    ['unaligned edges', anchor - 100 * MIN + 7_003, anchor - 20 * MIN - 11_000, '', ADMIN],
    ['recent blocks not summarised', anchor - 60 * MIN - 1, anchor + MIN, '', ADMIN],
    ['two views, limit 3, 1 m timeline', anchor - 100 * MIN + 7_003, anchor - 20 * MIN - 11_000, '&view=top_talkers,timeline&limit=3&interval=1m', ADMIN],
    ['pairs, matrix and hits, limit 1', anchor - 125 * MIN, anchor - 30 * MIN, '&view=top_denied_pairs,namespace_matrix,policy_hits&limit=1', ADMIN],
    ['namespaced caller', anchor - 90 * MIN, anchor - 30 * MIN, '', SHOP],
    // More blocks than one request reads whole: without the cache Elasticsearch merges them.
    ['long range, blocks merged by Elasticsearch', anchor - 130 * MIN + 1, anchor + 2 * MIN, '', ADMIN],
  ];
  const reference = new Map<string, Record<string, unknown>>();

  before(async () => {
    const url = requireElasticsearchUrl();
    client = createElasticsearchClient(url);
    prefix = uniqueName('statssummaries');
    await installFlowIndexTemplate(client, { prefix, refreshInterval: '1s' });
    // Generated traffic: 480 windows (two hours) with 8 documents each, ~8 % denied, both
    // reporters; plus the fixture world (public sources, profiles, egress traces, documents
    // without names: the missing keys).
    items = [];
    for (let j = 0; j < 8; j++) {
      for (let i = 0; i < 480; i++) {
        const item = benchDocument(j * 5_760 + i, anchor);
        items.push({ ...item, index: dailyFlowIndexName(Date.parse(item.document.event.start ?? item.document['@timestamp']), prefix) });
      }
    }
    items.push(...fixtureItems(prefix, anchor - 42 * MIN, 6));
    writer = new FlowBulkWriter({ bulk: bulkRequestFromClient(client, { refresh: 'wait_for' }) });
    const written = await writer.write(items);
    assert.equal(written.rejected.length, 0, JSON.stringify(written.rejected[0]));
    const tokens = parseTokenConfig({ tokens: [{ name: 'admin', token: ADMIN, role: 'admin' }, { name: 'shop', token: SHOP, role: 'viewer', namespaces: ['shop'] }] });
    const inventory = new StaticInventorySource(loadResourceText(FIXTURE_RESOURCES_YAML, 'fixture').resources);
    server = new ApiServer({ port: 0, elasticsearchUrl: url, indexPrefix: prefix, logLevel: 'warn' }, { elasticsearch: client, tokens, inventory });
    app = await server.ready();
    // The same API with the summary cache off: every answer must be the same (exactness never rests on the cache).
    uncachedServer = new ApiServer({ port: 0, elasticsearchUrl: url, indexPrefix: prefix, logLevel: 'warn', statsCacheMiB: 0 }, { elasticsearch: client, tokens, inventory });
    uncached = await uncachedServer.ready();
    store = new FlowStore(client, prefix);
    rollup = new SummaryRollup({ client, prefix });
    // The raw answers, while no summary exists.
    for (const [name, from, to, extra, token] of scenarios) reference.set(name, await stats(from, to, extra, token));
    // Summaries for everything but the newest half hour.
    await summarise(anchor - 130 * MIN, anchor - 30 * MIN);
  });

  after(async () => {
    await server?.stop();
    await uncachedServer?.stop();
    await deleteFlowIndices(client, prefix);
    await client?.close();
  });

  const options = { timeoutMs: 60_000 };
  const views = parseViews(undefined);

  for (const [name, from, to, extra, token] of scenarios) {
    it(`answers exactly as the raw route: ${name}`, async () => {
      const expected = reference.get(name)!;
      assert.ok((expected.totals as { flows: number }).flows > 0, 'the range has flows');
      const lookupsBefore = await allLookups();
      assert.deepEqual(await stats(from, to, extra, token), expected);
      // The admin's requests were answered from summaries; the namespaced caller's by the raw route.
      assert.equal(await allLookups() > lookupsBefore, token === ADMIN, 'which path answered');
      // Again: the blocks now come from the cache, and the answer is the same.
      const hitsBefore = await lookups('hit');
      assert.deepEqual(await stats(from, to, extra, token), expected);
      assert.equal(await lookups('hit') > hitsBefore, token === ADMIN, 'the second answer used the cache');
      // And without the cache.
      const uncachedBefore = await lookups('miss', uncached);
      assert.deepEqual(await stats(from, to, extra, token, uncached), expected);
      assert.equal(await lookups('hit', uncached), 0, 'a cache of 0 MiB holds nothing');
      assert.equal(await lookups('miss', uncached) > uncachedBefore, token === ADMIN);
    });
  }

  it('reads whole current blocks from the summaries and the rest from the flows', async () => {
    const aligned = await readStatsFromSummaries(store, prefix, { fromMs: anchor - 90 * MIN, toMs: anchor - 30 * MIN }, views, 30_000, options);
    assert.equal(aligned?.summaryBlocks, 12);
    assert.deepEqual(aligned?.rawRanges, []);
    const recent = await readStatsFromSummaries(store, prefix, { fromMs: anchor - 60 * MIN - 1, toMs: anchor + MIN }, views, 30_000, options);
    assert.equal(recent?.summaryBlocks, 6);
    assert.deepEqual(recent?.rawRanges, [{ fromMs: anchor - 60 * MIN - 1, toMs: anchor - 60 * MIN }, { fromMs: anchor - 30 * MIN, toMs: anchor + MIN }]);
    assert.equal(await readStatsFromSummaries(store, prefix, { fromMs: anchor - 20 * MIN, toMs: anchor }, views, 30_000, options), undefined, 'no current block: the raw route');
    // 26 candidate blocks, more than are read whole: 20 current ones merged by Elasticsearch, the newest 6 from the flows.
    const long = await readStatsFromSummaries(store, prefix, { fromMs: anchor - 130 * MIN, toMs: anchor + 2 * MIN }, views, 30_000, options);
    assert.equal(long?.summaryBlocks, 20);
    assert.deepEqual(long?.rawRanges, [{ fromMs: anchor - 30 * MIN, toMs: anchor + 2 * MIN }]);
  });

  it('retention deletes a day\'s summaries with its flows, by name', async () => {
    const oldDay = Date.UTC(2020, 0, 1);
    await client.indices.create({ index: dailySummaryIndexName(oldDay, prefix) });
    await client.indices.create({ index: dailyFlowIndexName(oldDay, prefix) });
    const result = await new FlowIndexRetention({ client, prefix, retentionDays: 7 }).runOnce();
    assert.deepEqual(result.deleted, [dailyFlowIndexName(oldDay, prefix)]);
    const left = Object.keys(await client.indices.get({ index: summaryIndexPattern(prefix) }));
    assert.ok(!left.includes(dailySummaryIndexName(oldDay, prefix)), 'the expired summary index is gone');
    assert.ok(left.includes(dailySummaryIndexName(anchor - 60 * MIN, prefix)), 'current summaries stay');
  });

  it('reads a block from the flows after a later merge into it, and from its summary after the next rollup', async () => {
    const range = { fromMs: anchor - 90 * MIN, toMs: anchor - 30 * MIN };
    // A count-once document of the block [anchor-80m, anchor-75m) gets a later batch merged in (more records, bytes, a new ingestion time).
    const block = anchor - 80 * MIN;
    const target = items.find((i) => i.document.segflow.reporter === 'src' && blockStartOf(Date.parse(i.document['@timestamp'])) === block)!;
    assert.ok(target, 'a count-once document in the block');
    const merged = structuredClone(target.document) as FlowDocument;
    merged.segflow.aggregation = { ...merged.segflow.aggregation!, records: (merged.segflow.aggregation?.records ?? 0) + 1 };
    merged.network = { ...merged.network, bytes: (merged.network?.bytes ?? 0) + 1_000_000 };
    merged.event.ingested = new Date().toISOString();
    assert.equal((await writer.write([{ id: target.id, index: target.index, document: merged }])).indexed, 1);

    const stale = await readStatsFromSummaries(store, prefix, range, views, 30_000, options);
    assert.equal(stale?.summaryBlocks, 11, 'the merged block is stale');
    assert.deepEqual(stale?.rawRanges, [{ fromMs: block, toMs: block + SUMMARY_BLOCK_MS }]);
    // The API cached every block of this range before the merge (the scenarios above); the
    // merged block's live fingerprint now differs, so it is looked up, missed and read from the flows.
    const [hitsBefore, missesBefore, runMissesBefore] = [await lookups('hit', app, 'block'), await lookups('miss', app, 'block'), await lookups('miss', app, 'run')];
    const mixed = await stats(range.fromMs, range.toMs);
    assert.equal(await lookups('miss', app, 'run') - runMissesBefore, 2, 'the cached run of 12 blocks is not found under the new fingerprint, nor one of 11');
    assert.equal(await lookups('hit', app, 'block') - hitsBefore, 11, 'the 11 unchanged blocks from the cache');
    assert.equal(await lookups('miss', app, 'block') - missesBefore, 1, 'the merged block missed');
    assert.deepEqual(await stats(range.fromMs, range.toMs, '', ADMIN, uncached), mixed, 'the same without the cache');
    await dropSummaries();
    const raw = await stats(range.fromMs, range.toMs);
    assert.notDeepEqual(raw.totals, reference.get('aligned hour')!.totals, 'the merge changed the figures');
    assert.equal((raw.totals as { bytes: number }).bytes, (reference.get('aligned hour')!.totals as { bytes: number }).bytes + 1_000_000);
    assert.deepEqual(mixed, raw);

    await summarise(anchor - 130 * MIN, anchor - 30 * MIN);
    const again = await readStatsFromSummaries(store, prefix, range, views, 30_000, options);
    assert.equal(again?.summaryBlocks, 12, 'current again after the rollup');
    assert.equal(again?.cachedBlocks, 0, 'no cache given: every block read');
    assert.deepEqual(await stats(range.fromMs, range.toMs), raw);
    assert.deepEqual(await stats(range.fromMs, range.toMs), raw, 'and again, all from the cache');
  });

  it('reads an edge step again after a late write into its closed block, and stays exact', async () => {
    // Trailing edge [anchor-55m, anchor-52m10s) in a closed, summarised block: five whole steps
    // (cached) and the partial step [anchor-52m30s, anchor-52m10s) (raw on every request).
    const edgeBlock = anchor - 55 * MIN;
    const range = { fromMs: anchor - 90 * MIN, toMs: edgeBlock + 2 * MIN + 50_000 };
    const first = await stats(range.fromMs, range.toMs);
    const runHits = await lookups('hit', app, 'run');
    assert.deepEqual(await stats(range.fromMs, range.toMs), first);
    assert.equal(await lookups('hit', app, 'run') - runHits, 1, 'the blocks\' run with the edge\'s five steps merged in, from the cache');
    const ownCache = new SummaryBlockCache(64 * 1_048_576);
    const direct = await readStatsFromSummaries(store, prefix, range, views, 30_000, options, ownCache);
    assert.deepEqual([direct?.edgeSteps, direct?.cachedEdgeSteps], [5, 0]);
    assert.deepEqual(direct?.rawRanges, [{ fromMs: edgeBlock + 2 * MIN + 30_000, toMs: range.toMs }], 'only the partial step raw');
    const directAgain = await readStatsFromSummaries(store, prefix, range, views, 30_000, options, ownCache);
    assert.deepEqual([directAgain?.edgeSteps, directAgain?.cachedEdgeSteps], [5, 5]);
    assert.equal(directAgain?.run, direct?.run, 'the same cached run, steps included');

    // A later batch merged into a count-once document of a whole step of the edge block.
    const target = items.find((i) => {
      const t = Date.parse(i.document['@timestamp']);
      return i.document.segflow.reporter === 'src' && t >= edgeBlock + 30_000 && t < edgeBlock + 2 * MIN;
    })!;
    assert.ok(target, 'a count-once document in a whole step of the edge');
    const merged = structuredClone(target.document) as FlowDocument;
    merged.segflow.aggregation = { ...merged.segflow.aggregation!, records: (merged.segflow.aggregation?.records ?? 0) + 1 };
    merged.network = { ...merged.network, bytes: (merged.network?.bytes ?? 0) + 2_000_000 };
    merged.event.ingested = new Date().toISOString();
    assert.equal((await writer.write([{ id: target.id, index: target.index, document: merged }])).indexed, 1);

    const stepMisses = await lookups('miss', app, 'step');
    const after = await stats(range.fromMs, range.toMs);
    assert.equal(await lookups('miss', app, 'step') - stepMisses, 5, 'every step of the written block read again');
    assert.equal((after.totals as { bytes: number }).bytes, (first.totals as { bytes: number }).bytes + 2_000_000, 'the late write counts');
    assert.deepEqual(await stats(range.fromMs, range.toMs), after, 'again, from the steps cached under the new fingerprint');
    assert.deepEqual(await stats(range.fromMs, range.toMs, '', ADMIN, uncached), after, 'the same without the cache');
    await dropSummaries();
    assert.deepEqual(await stats(range.fromMs, range.toMs), after, 'the raw route\'s answer');
  });

  it('top talkers are the talkers with the most bytes, not the top names of the top namespaces', async () => {
    // In a minute of its own: namespace tt-a sends most in total (60 + 60) but tt-b holds the
    // biggest single talker (100).
    const from = anchor + 30_000;
    const talker = (n: number, namespace: string, name: string, bytes: number): FlowBulkItem => {
      const base = benchDocument(900_000 + n, anchor);
      const document = structuredClone(base.document) as FlowDocument;
      const at = iso(from + 10_000 + n * 1_000);
      document['@timestamp'] = at;
      document.event = { ...document.event, id: `talker-${n}`, start: at, end: at };
      document.network = { ...document.network, bytes };
      document.segflow.reporter = 'src';
      document.segflow.source = { ...document.segflow.source, namespace, name: `${name}-1`, aggregated_name: name };
      return { id: `talker-${n}`, index: dailyFlowIndexName(Date.parse(at), prefix), document };
    };
    const written = await writer.write([talker(1, 'tt-a', 'x', 60), talker(2, 'tt-a', 'v', 60), talker(3, 'tt-b', 'y', 100)]);
    assert.equal(written.indexed, 3);
    for (const on of [app, uncached]) {
      const top1 = await stats(from, from + MIN, '&view=top_talkers&limit=1', ADMIN, on);
      assert.deepEqual((top1.top_talkers as { namespace: string; name: string; bytes: number }[]).map((t) => [t.namespace, t.name, t.bytes]), [['tt-b', 'y', 100]]);
      assert.equal(top1.top_talkers_truncated, false);
      const top2 = await stats(from, from + MIN, '&view=top_talkers&limit=2', ADMIN, on);
      assert.deepEqual((top2.top_talkers as { namespace: string; name: string; bytes: number }[]).map((t) => [t.namespace, t.name, t.bytes]), [['tt-b', 'y', 100], ['tt-a', 'v', 60]], 'a tie: the smaller name first');
    }
  });
});
