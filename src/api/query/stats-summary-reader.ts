/**
 * Reads the stats view's figures from summaries where they are current and from the flow
 * documents everywhere else (query/stats-summary.ts has the pure rules): the candidate blocks'
 * stored fingerprints and the flows' live ones at once, then the current blocks' summaries and
 * the rest of the range's flows at once. Answers undefined when no block of the range is
 * current, so the caller runs the raw route unchanged.
 */
import type { estypes } from '@elastic/elasticsearch';
import { collectFacets, FLOW_FACETS, SUMMARY_FACETS, type FacetEntries, type FacetSearch, type FlowFacet, type SummaryFacet } from '../../contract/flow-summary-facets.ts';
import { summaryDocumentId, summaryIndexPattern, SUMMARY_BLOCK_MS, type FlowSummaryDocument } from '../../contract/flow-summary.ts';
import type { FlowStore, StoreCallOptions } from '../flow-store.ts';
import { UNRESTRICTED } from './access-scope.ts';
import { buildFlowQuery } from './flow-search.ts';
import type { StatsView } from './flow-stats.ts';
import {
  blocksInside, buildBlockHeadersRequest, buildLiveFingerprintRequest, concatEntries, currentBlocks, liveFingerprints, MAX_SUMMARY_BLOCKS, rangesClause,
  rawRanges, storedFingerprints,
} from './stats-summary.ts';
import type { TimeRange } from './time-range.ts';

/** What the summary path read: the merged entries and how the range was split. */
export interface SummaryRead {
  readonly entries: FacetEntries;
  readonly summaryBlocks: number;
  readonly rawRanges: readonly TimeRange[];
}

/** The facets the views need (totals always come from the timeline). */
function facetsFor<F extends FlowFacet | SummaryFacet>(all: readonly F[], views: readonly StatsView[]): F[] {
  return all.filter((f) => f === 'timeline'
    || (f === 'talkers' && views.includes('top_talkers'))
    || (f === 'cells' && views.includes('namespace_matrix'))
    || (f === 'pairs' && views.includes('top_denied_pairs'))
    || ((f === 'egress' || f === 'ingress' || f === 'hits') && views.includes('policy_hits')));
}

/**
 * The entries of an unfiltered, unrestricted stats request over `range` (the caller checked
 * summariesCanAnswer), or undefined when summaries cover none of it. `stepMs`: the timeline
 * interval (any multiple of the summaries' timeline step when no timeline is asked for).
 */
export async function readStatsFromSummaries(store: FlowStore, indexPrefix: string, range: TimeRange, views: readonly StatsView[], stepMs: number, options: StoreCallOptions): Promise<SummaryRead | undefined> {
  const candidates = blocksInside(range);
  if (candidates.length === 0 || candidates.length > MAX_SUMMARY_BLOCKS) return undefined;
  const summaries = summaryIndexPattern(indexPrefix);
  const [headers, live] = await Promise.all([
    store.search<Pick<FlowSummaryDocument, 'block_start' | 'fingerprint'>>({ index: summaries, ...buildBlockHeadersRequest(candidates) }, options, 'stats_summary_headers'),
    store.search(buildLiveFingerprintRequest(candidates), options, 'stats_summary_fingerprints'),
  ]);
  const current = currentBlocks(candidates, storedFingerprints(headers), liveFingerprints(live));
  if (current.length === 0) return undefined;
  const raw = rawRanges(range, current);
  const fromFlows: FacetSearch = (request) => store.search(request, options, 'stats_summary_flows');
  const fromSummaries: FacetSearch = (request) => store.search({ index: summaries, ...request }, options, 'stats_summary_blocks');
  const rawQuery = buildFlowQuery({ range, filters: [], scope: UNRESTRICTED, dedupReporters: 'stored', extra: [rangesClause(raw)] });
  const blockIds: estypes.QueryDslQueryContainer = { ids: { values: current.map(summaryDocumentId) } };
  const [flows, blocks] = await Promise.all([
    raw.length > 0 ? collectFacets(fromFlows, rawQuery, 'flows', facetsFor(FLOW_FACETS, views), stepMs) : undefined,
    collectFacets(fromSummaries, blockIds, 'summaries', facetsFor(SUMMARY_FACETS, views), stepMs),
  ]);
  return { entries: flows ? concatEntries(flows.entries, blocks.entries) : blocks.entries, summaryBlocks: current.length, rawRanges: raw };
}

/** The timeline step of a request without a timeline: the block (fewer buckets, same totals). */
export const TOTALS_STEP_MS = SUMMARY_BLOCK_MS;
