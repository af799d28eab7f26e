/**
 * `npm run bench -- api`: latency and throughput of the query API over a large flow index,
 * beside the same Elasticsearch queries sent straight to Elasticsearch in the same run.
 *
 * Data: SEGFLOW_BENCH_API_DOCS documents (default 5,000,000) in `segflow-bench-api-*`
 * (SEGFLOW_BENCH_API_PREFIX), written with the real index template and FlowBulkWriter, spread
 * over 24 hours, 40 namespaces, ~8 % denied. Ids are deterministic (`bench-<n>`), so a run
 * reuses what an earlier run loaded and only tops it up.
 *
 * The API runs as its own process (`segflow api`, as it is deployed), so the load generator's
 * work (HTTP client, parsing answers) does not share the API's event loop.
 *
 * Queries (each through the API on loopback HTTP, and the identical Elasticsearch requests
 * straight to Elasticsearch, alternating in rounds so both see the same machine state):
 *  - troubleshooting: GET /api/v1/denied for one destination namespace over the whole 24 h
 *    (direct: the same requests in the keyed form, query/denied-groups.ts — the data is
 *    written with the query keys; compared in the same run with `baseline`, the one-request
 *    aggregation /denied used first, a top_hits in every group, and `fieldsForm`, the two-step
 *    read on the nine fields that indices written before the keys still get, both straight to
 *    Elasticsearch: `p95VsThis` and `requestsPerSecVsThis` in each),
 *  - stats: GET /api/v1/flows/stats as the web UI's stats view asks by default (the last hour,
 *    every view), on the newest hour of the data, answered from the summaries of its whole
 *    five-minute blocks and the flows of its edges (the run summarises the data's last two
 *    hours first, timed; direct: the summary path's requests, with a summary cache of its own
 *    as the API has; `uncached`: the same route of a second API process started with
 *    `--stats-cache-mib 0`, so every block's summary is read on every request; `rawPath`: the
 *    route's five aggregations over every flow of the hour, as before summaries, straight to
 *    Elasticsearch; `openEdgeDirect`: the direct series with "now" at the range's end, so the
 *    trailing edge's block is open and read raw, as a `to=now` range is — the hour itself
 *    ends inside a closed block, whose edge steps the cache serves),
 *  - search: GET /api/v1/flows, 15 minutes, source namespace + verdict + protocol, 100 rows
 *    (direct: the same search without the point in time the API opens for paging).
 *
 * Every request's range lies a millisecond after the previous one's, as ranges relative to
 * "now" do, so no series is answered from Elasticsearch's request cache.
 *
 * A third series sends the direct requests through a bare Node.js pass-through proxy
 * (bench/passthrough-proxy.ts): the floor of any Node.js hop on this machine, so a run shows
 * how much of the API's added latency is the hop itself and how much the API's own work.
 *
 * Each series also records the CPU time per request of every process involved (Elasticsearch
 * from its node stats, the API and the proxy from /proc, the load generator itself), so a run
 * shows where a series' time went.
 *
 * Writes bench/results/api.json: top-level figures are the troubleshooting query; `scenarios`
 * has both. `p95VsDirect` = API p95 / direct p95 (the target is ≤ 1.2); `floorP95VsDirect` =
 * pass-through p95 / direct p95; `p95VsFloor` = API p95 / pass-through p95.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, estypes } from '@elastic/elasticsearch';
import type { FlowDocument, PolicyHitDocument } from '../src/contract/flow-fields.ts';
import { bulkRequestFromClient, FlowBulkWriter, type FlowBulkItem } from '../src/enricher/elasticsearch/flow-bulk-writer.ts';
import { installFlowIndexTemplate } from '../src/enricher/elasticsearch/flow-index-template.ts';
import { dailyFlowIndexName, flowIndexPattern } from '../src/contract/flow-index-names.ts';
import { SeededRandom } from '../src/collector/sources/synthetic/seeded-random.ts';
import { createElasticsearchClient } from '../src/runtime/elasticsearch-client.ts';
import { UNRESTRICTED } from '../src/api/query/access-scope.ts';
import { compileFilter, flowFilterDefinitions, parseFilter } from '../src/api/query/flow-filters.ts';
import { buildFlowQuery, buildFlowSearchRequest, parseSort } from '../src/api/query/flow-search.ts';
import { buildDeniedGroupsRequest, buildDeniedPairsRequest, buildMatrixRequest, buildPolicyHitsRequest, buildStatsRequest, buildTalkersRequest, parseViews, timelineIntervalMs } from '../src/api/query/flow-stats.ts';
import { buildDeniedExamplesRequest, buildDeniedGroupKeysRequest, buildKeyedFiguresRequest, buildKeyedNewestRequest, DENIED_KEYS_PAGE, newestGroups, type DeniedGroupsForm } from '../src/api/query/denied-groups.ts';
import { FlowStore } from '../src/api/flow-store.ts';
import { readStatsFromSummaries } from '../src/api/query/stats-summary-reader.ts';
import { SummaryBlockCache } from '../src/api/query/summary-block-cache.ts';
import { SUMMARY_BLOCK_MS } from '../src/contract/flow-summary.ts';
import { SummaryRollup } from '../src/enricher/summary/summary-rollup.ts';
import { elasticsearchCpuMs, ownCpuMs, processCpuMs } from './cpu-time.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const WINDOW_MS = 15_000;
const WINDOWS_PER_DAY = 5_760;
const NAMESPACES = 40;

/** Benchmark document n: timestamps spread over the 24 h before `anchorMs`. */
export function benchDocument(n: number, anchorMs: number): FlowBulkItem {
  // Seeded per document, so document n is the same on every run (and loads can be topped up).
  const seeded = new SeededRandom((n * 2654435761) >>> 0);
  const r = (): number => seeded.next();
  const windowStart = anchorMs - (1 + (n % WINDOWS_PER_DAY)) * WINDOW_MS;
  const srcNs = `ns-${Math.floor(r() * NAMESPACES)}`;
  const dstNs = r() < 0.7 ? srcNs : `ns-${Math.floor(r() * NAMESPACES)}`;
  const srcApp = `app-${Math.floor(r() * 10)}`;
  const dstApp = `app-${Math.floor(r() * 10)}`;
  const deny = r() < 0.08;
  const dstPort = [80, 443, 8080, 5432, 6379, 9090][Math.floor(r() * 6)] as number;
  const tcp = r() < 0.9;
  const srcIp = `10.${1 + Math.floor(r() * 40)}.${Math.floor(r() * 250)}.${1 + Math.floor(r() * 250)}`;
  const dstIp = `10.${1 + Math.floor(r() * 40)}.${Math.floor(r() * 250)}.${1 + Math.floor(r() * 250)}`;
  const reporter = r() < 0.5 ? 'src' : 'dst';
  const bytes = Math.floor(r() * 100_000);
  const hit: PolicyHitDocument = deny
    ? { policy_index: 0, tier: 'default', kind: 'np', namespace: dstNs, name: `default.allow-${dstApp}`, action: 'deny', rule_index: -1, trigger: `np:${dstNs}/default.allow-${dstApp}` }
    : { policy_index: 0, tier: 'default', kind: 'np', namespace: dstNs, name: `default.allow-${dstApp}`, action: 'allow', rule_index: Math.floor(r() * 3) };
  const str = `0|default|np:${dstNs}/default.allow-${dstApp}|${hit.action}|${hit.rule_index}`;
  const start = new Date(windowStart).toISOString();
  const end = new Date(windowStart + WINDOW_MS).toISOString();
  const id = `bench-${n}`;
  const document: FlowDocument = {
    '@timestamp': end,
    ecs: { version: '8.17.0' },
    event: { kind: 'event', category: ['network'], type: ['connection', deny ? 'denied' : 'allowed'], action: 'network_flow', start, end, dataset: 'segflow.flow', module: 'segflow', id },
    source: { ip: srcIp, port: 30_000 + Math.floor(r() * 30_000), bytes, packets: 1 + (bytes >> 10) },
    destination: { ip: dstIp, port: dstPort, bytes: deny ? 0 : bytes * 2, packets: deny ? 0 : 1 + (bytes >> 9) },
    network: { transport: tcp ? 'tcp' : 'udp', type: 'ipv4', iana_number: tcp ? '6' : '17', bytes: deny ? bytes : bytes * 3, packets: 2 + (bytes >> 9) },
    related: { ip: [srcIp, dstIp] },
    host: { name: `node-${Math.floor(r() * 20)}` },
    rule: { name: `${dstNs}/default.allow-${dstApp}`, ruleset: 'default', uuid: `np:${dstNs}/default.allow-${dstApp}:ingress:${hit.rule_index}` },
    segflow: {
      verdict: deny ? 'deny' : 'allow', reporter, capture_source: 'synthetic',
      source: { kind: 'workload', name: `${srcApp}-5d7c8-${n % 97}`, aggregated_name: `${srcApp}-5d7c8-*`, namespace: srcNs, labels: { app: srcApp, team: `t${srcNs.length}` } },
      destination: { kind: 'workload', name: `${dstApp}-6f7d8-${n % 89}`, aggregated_name: `${dstApp}-6f7d8-*`, namespace: dstNs, labels: { app: dstApp, tier: 'backend' } },
      policy: { ingress: { verdict: deny ? 'deny' : 'allow', enforced: [hit], enforced_str: [str] } },
      flows: { count: 1, started: 1, completed: 1 },
      aggregation: { level: 1, interval_s: 15, records: 1 },
    },
  };
  return { id, index: dailyFlowIndexName(windowStart, benchPrefix()), document };
}

function benchPrefix(): string {
  return process.env.SEGFLOW_BENCH_API_PREFIX ?? 'segflow-bench-api';
}

/** Latency summary of one series, in milliseconds. */
interface Series { p50Ms: number; p95Ms: number; p99Ms: number; requestsPerSec: number; requests: number; errors: number }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Runs `call` `requests` times with `concurrency` workers; latencies per call and throughput. */
async function load(call: () => Promise<void>, requests: number, concurrency: number): Promise<{ latencies: number[]; seconds: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests) {
      next++;
      const s = performance.now();
      try {
        await call();
      } catch (err) {
        // A failing request measures nothing: the run stops and says why.
        errors++;
        throw new Error(`api bench: a request failed: ${(err as Error).message}`, { cause: err });
      }
      latencies.push(performance.now() - s);
    }
  }));
  return { latencies, seconds: (performance.now() - t0) / 1000, errors };
}

function summarise(runs: { latencies: number[]; seconds: number; errors: number }[]): Series {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const round = (x: number): number => Math.round(x * 10) / 10;
  return { p50Ms: round(percentile(all, 50)), p95Ms: round(percentile(all, 95)), p99Ms: round(percentile(all, 99)), requestsPerSec: round(all.length / seconds), requests: all.length, errors: runs.reduce((s, r) => s + r.errors, 0) };
}

async function fetchJson(url: string, init?: RequestInit): Promise<unknown> {
  // identity: fetch asks for gzip by default, and Elasticsearch would then compress its answers
  // to the direct queries only (the API's client does not ask), charging the direct side with
  // compression on both ends. Neither side compresses on loopback.
  const r = await fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), 'accept-encoding': 'identity' } });
  const body = await r.text();
  if (!r.ok) throw new Error(`${r.status} ${body.slice(0, 200)}`);
  return JSON.parse(body);
}

/** Loads (or tops up) the dataset; returns the stored document count and the data's time span. */
export async function ensureDataset(esUrl: string, target: number): Promise<{ docs: number; fromMs: number; toMs: number; loadedNow: number }> {
  const client = createElasticsearchClient(esUrl);
  const prefix = benchPrefix();
  const pattern = flowIndexPattern(prefix);
  try {
    await installFlowIndexTemplate(client, { prefix, refreshInterval: '30s' });
    const existing = await client.count({ index: pattern, allow_no_indices: true, ignore_unavailable: true });
    let anchor = Date.now() - (Date.now() % WINDOW_MS);
    if (existing.count > 0) {
      const r = await client.search({ index: pattern, size: 0, aggs: { max: { max: { field: 'event.end' } } } });
      anchor = (r.aggregations?.max as estypes.AggregationsMaxAggregate).value as number;
    }
    let loadedNow = 0;
    if (existing.count < target) {
      process.stderr.write(`api bench: loading documents ${existing.count}..${target} into ${pattern}\n`);
      const writer = new FlowBulkWriter({ bulk: bulkRequestFromClient(client, { requestTimeoutMs: 120_000 }) });
      const batchSize = 5_000;
      let n = existing.count;
      const t0 = Date.now();
      const worker = async (): Promise<void> => {
        while (n < target) {
          const from = n;
          n = Math.min(target, n + batchSize);
          const items: FlowBulkItem[] = [];
          for (let i = from; i < n; i++) items.push(benchDocument(i, anchor));
          const r = await writer.write(items);
          if (r.rejected.length > 0) throw new Error(`bench load: ${r.rejected.length} rejected, first: ${JSON.stringify(r.rejected[0]?.reason)}`);
          loadedNow += r.indexed;
          if (Math.floor(from / 250_000) !== Math.floor(n / 250_000)) process.stderr.write(`api bench: ${n} documents (${Math.round(loadedNow / ((Date.now() - t0) / 1000))}/s)\n`);
        }
      };
      await Promise.all([worker(), worker()]);
      await client.indices.refresh({ index: pattern });
    }
    const count = (await client.count({ index: pattern })).count;
    return { docs: count, fromMs: anchor - WINDOWS_PER_DAY * WINDOW_MS, toMs: anchor + WINDOW_MS, loadedNow };
  } finally {
    await client.close();
  }
}

/**
 * Summarises the two hours before `toMs` (the stats scenario's range and more) as the enricher
 * does for closed blocks, timed: the summary path needs them, and the entries per flow are the
 * summaries' reduction on this data.
 */
async function ensureSummaries(esUrl: string, toMs: number): Promise<{ blocks: number; flows: number; entries: number; seconds: number; flowsPerEntry: number }> {
  const client = createElasticsearchClient(esUrl);
  try {
    const started = performance.now();
    const r = await new SummaryRollup({ client, prefix: benchPrefix() }).rollUp(SummaryRollup.blocksIn(toMs - 2 * 3_600_000 - SUMMARY_BLOCK_MS, toMs));
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    process.stderr.write(`api bench: summarised ${r.blocks} blocks (${r.flows} counted flows into ${r.entries} entries) in ${seconds} s\n`);
    return { ...r, seconds, flowsPerEntry: Math.round((r.flows / r.entries) * 100) / 100 };
  } finally {
    await client.close();
  }
}

/** CPU time per request of one series, by process (ms): where a series' time went. */
type SeriesCpu = Record<string, number>;

/**
 * Accumulates the CPU Elasticsearch, the load generator and the series' own hop (the API or the
 * proxy process, none for direct) spent while one series ran, round by round.
 */
class SeriesCpuMeter {
  private readonly totals: SeriesCpu = { elasticsearch: 0, loadGenerator: 0 };
  private requests = 0;

  constructor(private readonly es: Client, private readonly hop?: { name: 'api' | 'proxy'; pid: number }) {
    if (hop) this.totals[hop.name] = 0;
  }

  /** Runs one round, adding the CPU time spent meanwhile. */
  async round<T extends { latencies: number[] }>(run: () => Promise<T>): Promise<T> {
    const before = { es: await elasticsearchCpuMs(this.es), own: ownCpuMs(), hop: this.hop ? processCpuMs(this.hop.pid) : 0 };
    const out = await run();
    this.totals.loadGenerator! += ownCpuMs() - before.own;
    if (this.hop) this.totals[this.hop.name]! += processCpuMs(this.hop.pid) - before.hop;
    this.totals.elasticsearch! += (await elasticsearchCpuMs(this.es)) - before.es;
    this.requests += out.latencies.length;
    return out;
  }

  perRequest(): SeriesCpu {
    return Object.fromEntries(Object.entries(this.totals).map(([k, ms]) => [k, Math.round((ms / this.requests) * 100) / 100]));
  }
}

const filterQuery = (params: Record<string, string>): estypes.QueryDslQueryContainer[] => {
  const defs = flowFilterDefinitions();
  return Object.entries(params).map(([k, v]) => compileFilter(parseFilter(defs.get(k)!, v)));
};

/** Runs the benchmark and writes bench/results/api.json. */
export async function runApiBench(): Promise<unknown> {
  const esUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
  const target = Number(process.env.SEGFLOW_BENCH_API_DOCS ?? 5_000_000);
  if (!Number.isInteger(target) || target < 1) throw new Error(`SEGFLOW_BENCH_API_DOCS must be a positive integer, got ${process.env.SEGFLOW_BENCH_API_DOCS}`);
  // Requests per scenario and side: the search is ~10x quicker, so it gets a larger sample for a steadier p95.
  const requestsEnv = process.env.SEGFLOW_BENCH_API_REQUESTS;
  const requestsOf = { troubleshooting: Number(requestsEnv ?? 400), stats: Number(requestsEnv ?? 200), search: Number(requestsEnv ?? 1_000) };
  const concurrency = Number(process.env.SEGFLOW_BENCH_API_CONCURRENCY ?? 4);
  const dataset = await ensureDataset(esUrl, target);
  const pattern = flowIndexPattern(benchPrefix());

  const summaries = await ensureSummaries(esUrl, dataset.toMs);
  const apiProcess = await startApiProcess(esUrl);
  // The stats route without its summary cache: what every request costs when no block is cached.
  const uncachedApi = await startApiProcess(esUrl, ['--stats-cache-mib', '0']);
  const base = apiProcess.base;
  const proxy = await startPassthroughProxy(esUrl);
  const es = createElasticsearchClient(esUrl);
  try {
    const range = { fromMs: dataset.fromMs, toMs: dataset.toMs };
    const iso = (ms: number): string => new Date(ms).toISOString();

    // Every request's range is a millisecond later than the one before, as a range relative to
    // "now" is: Elasticsearch's request cache would otherwise answer repeats of an aggregation
    // over an index that no longer changes without running it. One shift per call, shared by
    // all series.
    let shiftMs = 0;
    const shifted = (r: { fromMs: number; toMs: number }): { fromMs: number; toMs: number } => {
      shiftMs++;
      return { fromMs: r.fromMs + shiftMs, toMs: r.toMs + shiftMs };
    };

    // Troubleshooting: denied groups for one destination namespace over the full day.
    const deniedParams = { dest_namespace: 'ns-7' };
    const deniedUrl = (): string => {
      const r = shifted(range);
      return `${base}/api/v1/denied?from=${iso(r.fromMs)}&to=${iso(r.toMs)}&dest_namespace=ns-7&limit=50`;
    };
    // The data was written with the query keys (FlowBulkWriter stamps them): the API reads the keyed form.
    const deniedQuery = (form: DeniedGroupsForm): estypes.QueryDslQueryContainer =>
      buildFlowQuery({ range: shifted(range), filters: filterQuery(deniedParams), scope: UNRESTRICTED, dedupReporters: form === 'keyed' ? 'stored' : true });
    const esSearch = async (target: string, request: estypes.SearchRequest): Promise<estypes.SearchResponse> => {
      // filter_path is a URL parameter (the API's client moves it there itself).
      const { filter_path: filterPath, ...body } = request;
      const filter = filterPath === undefined ? '' : `&filter_path=${encodeURIComponent([filterPath].flat().join(','))}`;
      return await fetchJson(`${target}/${pattern}/_search?ignore_unavailable=true&allow_no_indices=true${filter}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) as estypes.SearchResponse;
    };
    const allBuckets = async (target: string, build: (after: Record<string, estypes.FieldValue> | undefined) => estypes.SearchRequest, pick: (aggs: Record<string, estypes.AggregationsAggregate>) => estypes.AggregationsCompositeAggregate | undefined): Promise<estypes.AggregationsCompositeBucket[]> => {
      const buckets: estypes.AggregationsCompositeBucket[] = [];
      let after: Record<string, estypes.FieldValue> | undefined;
      for (;;) {
        const g = pick((await esSearch(target, build(after))).aggregations ?? {});
        if (!g) return buckets;
        buckets.push(...(g.buckets as estypes.AggregationsCompositeBucket[]));
        if ((g.buckets as unknown[]).length === 0 || g.after_key === undefined) return buckets;
        after = g.after_key as Record<string, estypes.FieldValue>;
      }
    };
    // Direct: the API's requests (query/denied-groups.ts) in a form, for the newest 50 groups.
    const deniedDirect = (target: string, form: DeniedGroupsForm = 'keyed') => async (): Promise<void> => {
      const query = deniedQuery(form);
      const everyGroup = (): Promise<estypes.AggregationsCompositeBucket[]> =>
        allBuckets(target, (after) => buildDeniedGroupKeysRequest(query, after, DENIED_KEYS_PAGE, form), (a) => a.groups as estypes.AggregationsCompositeAggregate | undefined);
      if (form === 'keyed') {
        const [, newest] = await Promise.all([everyGroup(), esSearch(target, buildKeyedNewestRequest(query, 50))]);
        const ids = newest.hits.hits.map((h) => (h._source as { segflow: { denied_group: string } }).segflow.denied_group);
        if (ids.length > 0) await esSearch(target, buildKeyedFiguresRequest(query, ids));
        return;
      }
      const newest = newestGroups(await everyGroup(), 50);
      if (newest.length > 0) await esSearch(target, buildDeniedExamplesRequest(query, newest));
    };
    // Baseline: the one-request form /denied used before (a top_hits in every composite bucket, pages of 1,000), straight to Elasticsearch.
    const deniedBaseline = (target: string) => async (): Promise<void> => {
      const query = deniedQuery('fields');
      let after: Record<string, estypes.FieldValue> | undefined;
      for (;;) {
        const g = (await esSearch(target, buildDeniedGroupsRequest(query, after))).aggregations?.groups as estypes.AggregationsCompositeAggregate | undefined;
        if (!g || (g.buckets as unknown[]).length === 0 || g.after_key === undefined) return;
        after = g.after_key as Record<string, estypes.FieldValue>;
      }
    };

    // Search: 15 minutes in the middle of the data, three filters, 100 rows newest first.
    const searchRange = { fromMs: range.toMs - 6 * 3_600_000, toMs: range.toMs - 6 * 3_600_000 + 900_000 };
    const searchParams = { source_namespace: 'ns-3', action: 'allow', protocol: 'tcp' };
    const searchUrl = `${base}/api/v1/flows?from=${iso(searchRange.fromMs)}&to=${iso(searchRange.toMs)}&source_namespace=ns-3&action=allow&protocol=tcp&limit=100`;
    const searchBody = buildFlowSearchRequest({
      query: buildFlowQuery({ range: searchRange, filters: filterQuery(searchParams), scope: UNRESTRICTED }),
      sort: parseSort(undefined), size: 100, sourceIncludes: undefined, pitId: 'unused', keepAlive: '1m', searchAfter: undefined, trackTotal: true, timeout: '60000ms',
    });
    // Straight to Elasticsearch: the same query, sort and size on the index pattern (no PIT, so no shard-doc tiebreak).
    const { pit: _pit, ...directSearchBody } = searchBody;
    directSearchBody.sort = (searchBody.sort as estypes.SortCombinations[]).slice(0, -1);
    const searchDirect = (target: string) => async (): Promise<void> => {
      await fetchJson(`${target}/${pattern}/_search?ignore_unavailable=true&allow_no_indices=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(directSearchBody) });
    };
    const viaApi = (url: string | (() => string)) => async (): Promise<void> => { await fetchJson(typeof url === 'string' ? url : url()); };

    // Stats: what the web UI's stats view asks by default (the last hour, every view), on the newest hour of the data.
    const lastHour = { fromMs: range.toMs - 3_600_000, toMs: range.toMs };
    const statsUrl = (api = base) => (): string => {
      const r = shifted(lastHour);
      return `${api}/api/v1/flows/stats?from=${iso(r.fromMs)}&to=${iso(r.toMs)}`;
    };
    const statsViews = parseViews(undefined);
    const statsDirect = (target: string) => async (): Promise<void> => {
      const statsRange = shifted(lastHour);
      const statsQuery = buildFlowQuery({ range: statsRange, filters: [], scope: UNRESTRICTED, dedupReporters: 'stored' });
      const pick = (name: string) => (a: Record<string, estypes.AggregationsAggregate>) => a[name] as estypes.AggregationsCompositeAggregate | undefined;
      const hits = (a: Record<string, estypes.AggregationsAggregate>) => (a.trace as unknown as { hits: estypes.AggregationsCompositeAggregate } | undefined)?.hits;
      // The same requests the route sends, at once as it does (routes/stats-routes.ts).
      await Promise.all([
        esSearch(target, buildStatsRequest(statsQuery, statsViews, statsRange, timelineIntervalMs(undefined, statsRange))),
        allBuckets(target, (after) => buildTalkersRequest(statsQuery, after), pick('talkers')),
        allBuckets(target, (after) => buildDeniedPairsRequest(statsQuery, after), pick('pairs')),
        allBuckets(target, (after) => buildMatrixRequest(statsQuery, after), pick('matrix')),
        allBuckets(target, (after) => buildPolicyHitsRequest(statsQuery, 'egress', after), hits),
        allBuckets(target, (after) => buildPolicyHitsRequest(statsQuery, 'ingress', after), hits),
      ]);
    };

    // The summary path's requests (query/stats-summary-reader.ts), straight to Elasticsearch
    // (or through the proxy): what the API sends for the stats view now.
    const summaryClients = new Map<string, { store: FlowStore; cache: SummaryBlockCache }>();
    // openEdge: "now" is the range's end, as for a `to=now` range in production, so the
    // trailing edge's block is still being written and is aggregated raw on every request; by
    // default the bench's static hour ends inside a closed block, whose whole 30 s steps are cached.
    const statsSummaryDirect = (target: string, openEdge = false) => async (): Promise<void> => {
      const clientKey = `${target}${openEdge ? '/open' : ''}`;
      let reader = summaryClients.get(clientKey);
      if (reader === undefined) {
        // A cache of the API's default size, as the API process keeps one.
        reader = { store: new FlowStore(createElasticsearchClient(target), benchPrefix()), cache: new SummaryBlockCache(64 * 1_048_576) };
        summaryClients.set(clientKey, reader);
      }
      const statsRange = shifted(lastHour);
      const read = await readStatsFromSummaries(
        reader.store, benchPrefix(), statsRange, statsViews, timelineIntervalMs(undefined, statsRange), { timeoutMs: 60_000 }, reader.cache, openEdge ? statsRange.toMs : Date.now(),
      );
      if (read === undefined) throw new Error('api bench: no current summary block in the stats range (the rollup above should have written them)');
    };

    const scenarios: Record<string, unknown> = {};
    type Baseline = { readonly name: string; readonly query: string; readonly call: () => Promise<void>; readonly hop?: { name: 'api'; pid: number } };
    const deniedBaselines: Baseline[] = [
      { name: 'baseline', query: 'the first one-request /denied aggregation (top_hits per group), straight to Elasticsearch', call: deniedBaseline(esUrl) },
      { name: 'fieldsForm', query: 'the two-step read on the nine group fields (the form for indices written before the query keys), straight to Elasticsearch', call: deniedDirect(esUrl, 'fields') },
    ];
    const scenarioCalls: [keyof typeof requestsOf, () => Promise<void>, () => Promise<void>, () => Promise<void>, readonly Baseline[]][] = [
      ['troubleshooting', viaApi(deniedUrl), deniedDirect(esUrl), deniedDirect(proxy.base), deniedBaselines],
      ['stats', viaApi(statsUrl()), statsSummaryDirect(esUrl), statsSummaryDirect(proxy.base), [
        { name: 'uncached', query: 'the same route of an API process with the summary cache off (--stats-cache-mib 0): every block read from its summary on every request', call: viaApi(statsUrl(uncachedApi.base)), hop: { name: 'api', pid: uncachedApi.pid } },
        { name: 'rawPath', query: 'the raw route\'s five aggregations over every flow of the hour (the stats view before summaries), straight to Elasticsearch', call: statsDirect(esUrl) },
        { name: 'openEdgeDirect', query: 'the summary path\'s requests straight to Elasticsearch (as directP95Ms) with "now" at the range\'s end: the trailing edge\'s block is open, so the edge is aggregated raw on every request (what a to=now range pays)', call: statsSummaryDirect(esUrl, true) },
      ]],
      ['search', viaApi(searchUrl), searchDirect(esUrl), searchDirect(proxy.base), []],
    ];
    for (const [name, api, direct, floor, baselines] of scenarioCalls) {
      for (const call of [api, direct, floor, ...baselines.map((b) => b.call)]) await load(call, 20, concurrency); // warm-up: caches, JIT, connections
      const apiRuns = [];
      const directRuns = [];
      const floorRuns = [];
      const baselineRuns = baselines.map(() => [] as Awaited<ReturnType<typeof load>>[]);
      const cpu = {
        direct: new SeriesCpuMeter(es), floor: new SeriesCpuMeter(es, { name: 'proxy', pid: proxy.pid }), api: new SeriesCpuMeter(es, { name: 'api', pid: apiProcess.pid }),
      };
      const baselineCpu = baselines.map((b) => new SeriesCpuMeter(es, b.hop));
      const rounds = 8;
      const perRound = Math.ceil(requestsOf[name] / rounds);
      for (let round = 0; round < rounds; round++) {
        for (const [i, b] of baselines.entries()) baselineRuns[i]!.push(await baselineCpu[i]!.round(() => load(b.call, perRound, concurrency)));
        directRuns.push(await cpu.direct.round(() => load(direct, perRound, concurrency)));
        floorRuns.push(await cpu.floor.round(() => load(floor, perRound, concurrency)));
        apiRuns.push(await cpu.api.round(() => load(api, perRound, concurrency)));
      }
      const a = summarise(apiRuns);
      const d = summarise(directRuns);
      const f = summarise(floorRuns);
      const ratio = (x: number, y: number): number => Math.round((x / y) * 100) / 100;
      const compared = Object.fromEntries(baselines.map((b, i) => {
        const series = summarise(baselineRuns[i]!);
        return [b.name, { query: b.query, ...series, p95VsThis: ratio(a.p95Ms, series.p95Ms), requestsPerSecVsThis: ratio(a.requestsPerSec, series.requestsPerSec), cpuMsPerRequest: baselineCpu[i]!.perRequest() }];
      }));
      scenarios[name] = {
        ...a, directP50Ms: d.p50Ms, directP95Ms: d.p95Ms, directP99Ms: d.p99Ms, directRequestsPerSec: d.requestsPerSec, p95VsDirect: ratio(a.p95Ms, d.p95Ms),
        floorP50Ms: f.p50Ms, floorP95Ms: f.p95Ms, floorP99Ms: f.p99Ms, floorRequestsPerSec: f.requestsPerSec, floorErrors: f.errors, floorP95VsDirect: ratio(f.p95Ms, d.p95Ms), p95VsFloor: ratio(a.p95Ms, f.p95Ms),
        ...compared,
        cpuMsPerRequest: { direct: cpu.direct.perRequest(), floor: cpu.floor.perRequest(), api: cpu.api.perRequest() },
      };
      process.stderr.write(`api bench: ${name} ${JSON.stringify(scenarios[name])}\n`);
    }
    await Promise.all([...summaryClients.values()].map((reader) => reader.store.client.close()));
    type Compared = Series & { p95VsThis: number; requestsPerSecVsThis: number };
    const t = scenarios.troubleshooting as Series & { directP95Ms: number; p95VsDirect: number; baseline: Compared; fieldsForm: Compared };
    const st = scenarios.stats as Series & { directP95Ms: number; rawPath: Compared; uncached: Compared; openEdgeDirect: Compared };
    const result = {
      docs: dataset.docs, p50Ms: t.p50Ms, p95Ms: t.p95Ms, p99Ms: t.p99Ms, requestsPerSec: t.requestsPerSec, directP95Ms: t.directP95Ms, p95VsDirect: t.p95VsDirect,
      baselineP95Ms: t.baseline.p95Ms, p95VsBaseline: t.baseline.p95VsThis, requestsPerSecVsBaseline: t.baseline.requestsPerSecVsThis,
      fieldsFormP95Ms: t.fieldsForm.p95Ms, p95VsFieldsForm: t.fieldsForm.p95VsThis,
      statsP95Ms: st.p95Ms, statsRawPathP95Ms: st.rawPath.p95Ms, statsP95VsRawPath: st.rawPath.p95VsThis,
      statsRequestsPerSecVsRawPath: st.rawPath.requestsPerSecVsThis, statsUncachedP95Ms: st.uncached.p95Ms, statsP95VsUncached: st.uncached.p95VsThis,
      statsDirectP95Ms: st.directP95Ms, statsOpenEdgeDirectP95Ms: st.openEdgeDirect.p95Ms,
      statsEdges: {
        note: 'The stats hour ends inside a closed block (static data): its trailing edge (4.5 min) is served from cached 30 s steps, only the partial steps at the range boundaries are aggregated raw. openEdgeDirect is the same direct path with the trailing block still open (a to=now range): compare it with statsDirectP95Ms.',
        trailingEdgeMs: lastHour.toMs - (Math.floor(lastHour.toMs / SUMMARY_BLOCK_MS) * SUMMARY_BLOCK_MS),
      },
      summaries,
      target: { p95Ms: 100, p95VsDirect: 1.2 }, concurrency, loadedThisRun: dataset.loadedNow,
      machineLoadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
      dataRange: { from: iso(range.fromMs), to: iso(range.toMs) }, scenarios,
    };
    await mkdir(path.join(here, 'results'), { recursive: true });
    await writeFile(path.join(here, 'results', 'api.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await Promise.all([apiProcess.stop(), uncachedApi.stop(), proxy.stop(), es.close()]);
  }
}

/** Starts bench/passthrough-proxy.ts in a child process; resolves once it listens. */
async function startPassthroughProxy(esUrl: string): Promise<{ base: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'passthrough-proxy.ts'), esUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(Number(out.split('\n')[0]));
    });
    child.once('exit', (code) => reject(new Error(`api bench: the pass-through proxy exited with ${code} before listening`)));
  });
  return { base: `http://127.0.0.1:${port}`, pid: child.pid!, stop: stopper(child, exited) };
}

/** Stops a bench child process (SIGTERM) and waits for it to exit. */
function stopper(child: ChildProcess, exited: Promise<unknown>): () => Promise<void> {
  return async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
}

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

/** Starts `segflow api` over the bench indices in a child process; resolves once it answers. */
async function startApiProcess(esUrl: string, extraArgs: readonly string[] = []): Promise<{ base: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, SEGFLOW_LOG_LEVEL: 'warn' };
  delete env.KAFKA_BROKERS; // no inventory topic: the queries measured do not need the inventory
  const child = spawn(process.execPath, [
    path.join(here, '..', 'bin', 'segflow.js'), 'api', '--elasticsearch', esUrl, '--index-prefix', benchPrefix(),
    '--port', String(port), '--rate-limit', '1000000', '--query-timeout', '60000', '--no-docs', ...extraArgs,
  ], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = once(child, 'exit');
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`api bench: segflow api exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('api bench: segflow api did not answer /healthz within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, pid: child.pid!, stop: stopper(child, exited) };
}
