/**
 * Reads the whole steps of an edge plan (query/stats-summary-steps.ts). Each step comes from
 * the cache under its block's live fingerprint; the missing ones of a request are aggregated
 * from the flows in one multi-search (every facet at the step's own timeline resolution, so a
 * cached step serves any later choice of views and interval), together with a fresh live
 * fingerprint of their blocks. A step is cached only when that fingerprint still equals the one
 * it is keyed by: a write landing between the two reads leaves it uncached (its entries still
 * answer this request, as the raw edges would have).
 */
import type { estypes } from '@elastic/elasticsearch';
import { collectFacets, emptyFacetEntries, FLOW_FACETS, type FacetEntries, type FacetSearch } from '../../contract/flow-summary-facets.ts';
import { sameFingerprint, SUMMARY_TIMELINE_MS, type BlockFingerprint } from '../../contract/flow-summary.ts';
import { buildLiveFingerprintRequest, liveFingerprintOf, liveFingerprints } from '../../contract/flow-summary-fingerprints.ts';
import type { FlowStore, StoreCallOptions } from '../flow-store.ts';
import { mergeSameKeys, rawRangesQuery } from './stats-summary.ts';
import { stepRange, type EdgeStep } from './stats-summary-steps.ts';
import type { CachedStepKey, SummaryBlockCache } from './summary-block-cache.ts';

/**
 * A search function that gathers the searches asked for in one turn of the event loop's
 * microtasks and sends them as one multi-search: collectFacets asks every facet group of every
 * step at once, and only facets with further pages ask again.
 */
export function batchedSearch(run: (requests: estypes.SearchRequest[]) => Promise<estypes.SearchResponse[]>): FacetSearch {
  let queue: { request: estypes.SearchRequest; resolve: (r: estypes.SearchResponse) => void; reject: (e: unknown) => void }[] = [];
  const flush = (): void => {
    const batch = queue;
    queue = [];
    run(batch.map((b) => b.request)).then(
      (answers) => batch.forEach((b, i) => (answers[i] === undefined ? b.reject(new Error('multi-search: an answer is missing')) : b.resolve(answers[i]))),
      (err: unknown) => batch.forEach((b) => b.reject(err)),
    );
  };
  return (request) => new Promise((resolve, reject) => {
    if (queue.length === 0) queueMicrotask(flush);
    queue.push({ request, resolve, reject });
  });
}

/** The cache keys of `steps` under their blocks' live fingerprints. */
export function stepKeysOf(steps: readonly EdgeStep[], live: ReadonlyMap<number, BlockFingerprint>): CachedStepKey[] {
  return steps.map((s) => ({ block: { start: s.block, fingerprint: liveFingerprintOf(live, s.block) }, start: s.start }));
}

/**
 * The steps' entries merged (same keys added up: fewer entries for the views to go through), how
 * many steps came from the cache, and whether every step is cached now (`complete`: entries
 * made from them may be cached under their keys). The merge of all of a request's steps is
 * cached too.
 */
export async function readEdgeSteps(
  store: FlowStore, steps: readonly EdgeStep[], live: ReadonlyMap<number, BlockFingerprint>, cache: SummaryBlockCache, options: StoreCallOptions,
): Promise<{ entries: FacetEntries; cached: number; complete: boolean }> {
  if (steps.length === 0) return { entries: emptyFacetEntries(), cached: 0, complete: true };
  const keys = stepKeysOf(steps, live);
  const whole = cache.getSteps(keys);
  if (whole !== undefined) return { entries: whole, cached: steps.length, complete: true };

  const entries: (FacetEntries | undefined)[] = keys.map((k) => cache.getStep(k.block, k.start));
  const missing = steps.map((s, i) => ({ s, i })).filter(({ i }) => entries[i] === undefined);
  const cached = steps.length - missing.length;
  let allCached = true;
  if (missing.length > 0) {
    const search = batchedSearch((requests) => store.msearch(requests, options, 'stats_summary_steps'));
    const blocks = [...new Set(missing.map(({ s }) => s.block))];
    // All asked in this same turn, so one multi-search carries them.
    const [read, fresh] = await Promise.all([
      Promise.all(missing.map(({ s }) => collectFacets(search, rawRangesQuery([stepRange(s)]), 'flows', FLOW_FACETS, SUMMARY_TIMELINE_MS))),
      Promise.all(blocks.map(async (b) => [b, liveFingerprintOf(liveFingerprints(await search(buildLiveFingerprintRequest([b]))), b)] as const)),
    ]);
    const unchanged = new Set(fresh.filter(([b, f]) => sameFingerprint(f, liveFingerprintOf(live, b))).map(([b]) => b));
    missing.forEach(({ s, i }, n) => {
      const e = (read[n] as { entries: FacetEntries }).entries;
      entries[i] = e;
      const k = keys[i] as (typeof keys)[number];
      if (unchanged.has(s.block)) cache.setStep(k.block, k.start, e);
      else allCached = false;
    });
  }
  const merged = mergeSameKeys(entries as FacetEntries[]);
  if (allCached) cache.setSteps(keys, merged);
  return { entries: merged, cached, complete: allCached && cache.enabled };
}
