/**
 * Reads the agent reports behind an answer's completeness figure (completeness-query.ts builds
 * the searches, completeness.ts computes). The figure accompanies the answer: when the reports
 * cannot be read, the figure says so (status unknown) and the answer itself still stands.
 */
import type { estypes } from '@elastic/elasticsearch';
import { agentReportIndexPattern } from '../../contract/flow-index-names.ts';
import type { Completeness } from '../../contract/api/completeness.ts';
import type { ApiContext } from '../context.ts';
import type { AccessScope } from './access-scope.ts';
import { computeCompleteness, unknownCompleteness } from './completeness.ts';
import { buildLagRequest, buildPossibleLossRequest, buildReporterRequest, readLags, readPossibleLoss, readReporters } from './completeness-query.ts';
import type { TimeRange } from './time-range.ts';

/** Most reporters read per figure (one terms bucket each). */
const MAX_REPORTERS = 10_000;

/**
 * The completeness of the data in `range` for a caller with `scope`. Agent reports are per node,
 * not per namespace: a scoped caller gets the same counts (its flows may come from any node) but
 * no node names.
 */
export async function readCompleteness(ctx: ApiContext, range: TimeRange, scope: AccessScope): Promise<Completeness> {
  const index = agentReportIndexPattern(ctx.config.indexPrefix);
  const transport = { requestTimeout: ctx.config.timeouts.queryMs, maxRetries: 0 };
  const nowMs = ctx.now();
  try {
    // One round trip for the three searches: every stats and /flows answer carries the figure.
    const header = { index, ignore_unavailable: true, allow_no_indices: true };
    const requests = [buildReporterRequest(range, MAX_REPORTERS), buildLagRequest(nowMs), buildPossibleLossRequest(range)];
    const { responses } = await ctx.store.client.msearch({ searches: requests.flatMap((r) => [header, r as estypes.MsearchMultisearchBody]) }, transport);
    const [reporterAnswer, lagAnswer, lossAnswer] = responses.map((answer, i) => {
      if ('error' in answer) throw new Error(`agent report search ${i + 1} of 3 failed: ${answer.status} ${answer.error?.type ?? 'error'}`);
      return answer as estypes.SearchResponse;
    }) as [estypes.SearchResponse, estypes.SearchResponse, estypes.SearchResponse];
    const { reporters, truncated } = readReporters(reporterAnswer);
    return computeCompleteness({ range, nowMs, reporters, lags: readLags(lagAnswer), includeNames: scope.namespaces === null, truncated, possibleLoss: readPossibleLoss(lossAnswer) });
  } catch (error) {
    return unknownCompleteness(error instanceof Error ? error.message : String(error));
  }
}
