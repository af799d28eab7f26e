/**
 * Reads the stats view's figures from summaries where they are current and from the flow
 * documents everywhere else (query/stats-summary.ts has the pure rules). First, at once: the
 * flows' live fingerprint of every whole block in the range and of the closed blocks holding
 * its unaligned edges, and the flows of the edges' parts read raw (partial 30-second steps,
 * edges in open blocks: query/stats-summary-steps.ts); then the edges' whole steps, from the
 * cache or once from the flows (query/stats-summary-step-reader.ts). With the cache off the
 * edges are read raw whole. A block whose entries the cache (query/summary-block-cache.ts) holds under
 * its live fingerprint comes from there; the others' summary documents are read whole, used
 * where their stored fingerprint equals the live one (and cached), and the blocks left (stale or
 * not summarised) are read from the flows. Answers undefined when no block of the range is
 * current, so the caller runs the raw route unchanged.
 */
import type { estypes } from '@elastic/elasticsearch';
import { collectFacets, emptyFacetEntries, FLOW_FACETS, SUMMARY_FACETS, type FacetEntries, type FacetSearch, type FlowFacet } from '../../contract/flow-summary-facets.ts';
import { sameFingerprint, summaryDocumentId, summaryIndexPattern, SUMMARY_BLOCK_MS, SUMMARY_TIMELINE_MS } from '../../contract/flow-summary.ts';
import type { FlowStore, StoreCallOptions } from '../flow-store.ts';
import type { StatsView } from './flow-stats.ts';
import { buildLiveFingerprintRequest, buildStoredFingerprintsRequest, liveFingerprintOf, liveFingerprints, storedFingerprintsOf } from '../../contract/flow-summary-fingerprints.ts';
import {
  blockRanges, blocksInside, buildSummaryDocumentsRequest, concatEntries, joinRanges, MAX_SUMMARY_BLOCKS,
  mergeSameKeys, rawRanges, rawRangesQuery, summaryDocumentEntries, type SummaryDocumentRead,
} from './stats-summary.ts';
import { readEdgeSteps, stepKeysOf } from './stats-summary-step-reader.ts';
import { planEdges, type EdgePlan } from './stats-summary-steps.ts';
import { SummaryBlockCache, type CachedBlockKey } from './summary-block-cache.ts';
import type { TimeRange } from './time-range.ts';

type Query = estypes.QueryDslQueryContainer;

/** What the summary path read: the merged entries and how the range was split. */
export interface SummaryRead {
  /** All entries: `run` and `rest` together. */
  readonly entries: FacetEntries;
  /**
   * The current blocks' entries, with the edges' whole steps when every block is current, same
   * keys merged (the same object while the run stays cached: stats-summary-prepared.ts keeps its
   * groups beside it).
   */
  readonly run: FacetEntries;
  /** The request's own entries: read from the flows (partial steps, open-block edges, stale blocks) or steps not in the run. */
  readonly rest: FacetEntries;
  readonly summaryBlocks: number;
  /** Parts of the range read from the flows, in order. */
  readonly rawRanges: readonly TimeRange[];
  /** Blocks whose entries came from the cache (the rest of summaryBlocks from Elasticsearch). */
  readonly cachedBlocks: number;
  /** Whole 30-second steps of the edges (closed blocks) not read raw, and how many of them came from the cache. */
  readonly edgeSteps: number;
  readonly cachedEdgeSteps: number;
}

/** The facets the views need from the flows (totals always come from the timeline). */
function facetsFor(views: readonly StatsView[]): FlowFacet[] {
  return FLOW_FACETS.filter((f) => f === 'timeline'
    || (f === 'talkers' && views.includes('top_talkers'))
    || (f === 'cells' && views.includes('namespace_matrix'))
    || (f === 'pairs' && views.includes('top_denied_pairs'))
    || ((f === 'egress' || f === 'ingress') && views.includes('policy_hits')));
}

/**
 * Most blocks whose whole summary documents one request reads (two hours; ~5 MB of entries per
 * hour on the bench data). Beyond, Elasticsearch merges the blocks' lists instead: reading them
 * whole would move (and cache) far more than the merge.
 */
export const WHOLE_READ_MAX_BLOCKS = 24;

/** A cache that keeps nothing: every block is read (the path measured as "uncached"). */
const NO_CACHE = new SummaryBlockCache(0);

/**
 * The entries of an unfiltered, unrestricted stats request over `range` (the caller checked
 * summariesCanAnswer), or undefined when summaries cover none of it. `stepMs`: the timeline
 * interval (any multiple of the summaries' timeline step when no timeline is asked for).
 */
export async function readStatsFromSummaries(
  store: FlowStore, indexPrefix: string, range: TimeRange, views: readonly StatsView[], stepMs: number, options: StoreCallOptions,
  cache: SummaryBlockCache = NO_CACHE, nowMs: number = Date.now(),
): Promise<SummaryRead | undefined> {
  const candidates = blocksInside(range);
  if (candidates.length === 0 || candidates.length > MAX_SUMMARY_BLOCKS) return undefined;
  const facets = facetsFor(views);
  const fromFlows: FacetSearch = (request) => store.search(request, options, 'stats_summary_flows');
  const flowsOf = async (ranges: readonly TimeRange[]): Promise<FacetEntries> =>
    ranges.length === 0 ? emptyFacetEntries() : (await collectFacets(fromFlows, rawRangesQuery(ranges), 'flows', facets, stepMs)).entries;
  const edges = rawRanges(range, candidates);
  // Without a cache, steps would be aggregated on every request: the edges stay whole.
  const plan: EdgePlan = cache.enabled ? planEdges(edges, nowMs) : { raw: edges, steps: [], blocks: [] };
  // The edge blocks lie right before and after the candidates: the histogram's hull stays contiguous.
  const fingerprinted = [...new Set([...plan.blocks, ...candidates])].sort((a, b) => a - b);
  const [live, rawEdgeEntries] = await Promise.all([
    store.search(buildLiveFingerprintRequest(fingerprinted), options, 'stats_summary_fingerprints').then(liveFingerprints),
    flowsOf(plan.raw),
  ]);
  const keys: CachedBlockKey[] = candidates.map((start) => ({ start, fingerprint: liveFingerprintOf(live, start) }));
  const stepKeys = stepKeysOf(plan.steps, live);
  // Every block current and the edges' whole steps, merged and cached under these very
  // fingerprints: nothing to read, and the request's own entries are only its partial steps.
  const cachedWithSteps = plan.steps.length === 0 ? undefined : cache.getRun(keys, stepKeys);
  if (cachedWithSteps !== undefined) {
    return {
      entries: concatEntries(cachedWithSteps, rawEdgeEntries), run: cachedWithSteps, rest: rawEdgeEntries, summaryBlocks: keys.length, rawRanges: plan.raw,
      cachedBlocks: keys.length, edgeSteps: plan.steps.length, cachedEdgeSteps: plan.steps.length,
    };
  }
  const steps = await readEdgeSteps(store, plan.steps, live, cache, options);
  const edgeEntries = plan.steps.length === 0 ? rawEdgeEntries : concatEntries(rawEdgeEntries, steps.entries);
  const stepFigures = { edgeSteps: plan.steps.length, cachedEdgeSteps: steps.cached };
  // The run of every block with the edges' whole steps merged in (grouped once for all the
  // requests that share them: stats-summary-prepared.ts), cached when every step is.
  const withSteps = (blocks: FacetEntries): FacetEntries => {
    if (plan.steps.length === 0) return blocks;
    const run = mergeSameKeys([blocks, steps.entries]);
    if (steps.complete) cache.setRun(keys, run, stepKeys);
    return run;
  };

  // Every block current, merged and cached under these very fingerprints: no summary to read.
  const cachedRun = cache.getRun(keys);
  if (cachedRun !== undefined) {
    const run = withSteps(cachedRun);
    return { entries: concatEntries(run, rawEdgeEntries), run, rest: rawEdgeEntries, summaryBlocks: keys.length, rawRanges: plan.raw, cachedBlocks: keys.length, ...stepFigures };
  }

  const found = new Map<number, FacetEntries>();
  for (const k of keys) {
    const e = cache.getBlock(k);
    if (e !== undefined) found.set(k.start, e);
  }
  const cachedBlocks = found.size;
  const missing = keys.filter((k) => !found.has(k.start));
  const summaries = summaryIndexPattern(indexPrefix);
  // Blocks merged by Elasticsearch (too many to read whole): current, but without entries of their own.
  const aggregated: CachedBlockKey[] = [];
  let aggregatedEntries: FacetEntries | undefined;
  if (missing.length > 0 && missing.length <= WHOLE_READ_MAX_BLOCKS) {
    const byStart = new Map(missing.map((k) => [k.start, k]));
    const r = await store.search<SummaryDocumentRead>({ index: summaries, ...buildSummaryDocumentsRequest([...byStart.keys()]) }, options, 'stats_summary_blocks');
    for (const hit of r.hits?.hits ?? []) {
      if (hit._source === undefined) continue;
      const doc = summaryDocumentEntries(hit._source);
      const key = byStart.get(doc.start);
      // A stored fingerprint other than the flows' own: the block was written since its rollup.
      if (key === undefined || !sameFingerprint(doc.fingerprint, key.fingerprint)) continue;
      found.set(doc.start, doc.entries);
      cache.setBlock(key, doc.entries);
    }
  } else if (missing.length > 0) {
    // A long range: whole documents would be too much to move (and to keep); compare the
    // stored fingerprints and let Elasticsearch merge the current blocks' lists.
    const stored = storedFingerprintsOf(await store.search(
      { index: summaries, ...buildStoredFingerprintsRequest(missing.map((k) => k.start)) }, options, 'stats_summary_headers',
    ));
    for (const k of missing) {
      const s = stored.get(k.start);
      if (s !== undefined && sameFingerprint(s, k.fingerprint)) aggregated.push(k);
    }
    if (aggregated.length > 0) {
      const fromSummaries: FacetSearch = (request) => store.search({ index: summaries, ...request }, options, 'stats_summary_blocks');
      // Every facet at the blocks' own timeline step, so the merged run serves any later request.
      const ids: Query = { ids: { values: aggregated.map((k) => summaryDocumentId(k.start)) } };
      aggregatedEntries = (await collectFacets(fromSummaries, ids, 'summaries', SUMMARY_FACETS, SUMMARY_TIMELINE_MS)).entries;
    }
  }
  const inAggregate = new Set(aggregated.map((k) => k.start));
  const current = keys.filter((k) => found.has(k.start) || inAggregate.has(k.start));
  if (current.length === 0) return undefined;

  const stale = blockRanges(candidates.filter((b) => !found.has(b) && !inAggregate.has(b)));
  let blocks = cache.getRun(current);
  if (blocks === undefined) {
    const parts = current.filter((k) => found.has(k.start)).map((k) => found.get(k.start) as FacetEntries);
    blocks = mergeSameKeys(aggregatedEntries === undefined ? parts : [...parts, aggregatedEntries]);
    cache.setRun(current, blocks);
  }
  const staleEntries = await flowsOf(stale);
  // The steps join the run only when it is the run of every block (the key says so).
  const allCurrent = current.length === keys.length;
  const run = allCurrent ? withSteps(blocks) : blocks;
  const rest = concatEntries(allCurrent ? rawEdgeEntries : edgeEntries, staleEntries);
  return {
    entries: concatEntries(run, rest), run, rest, summaryBlocks: current.length,
    rawRanges: joinRanges([...plan.raw, ...stale]), cachedBlocks, ...stepFigures,
  };
}

/** The timeline step of a request without a timeline: the block (fewer buckets, same totals). */
export const TOTALS_STEP_MS = SUMMARY_BLOCK_MS;
