/**
 * Reads the agent reports behind an answer's completeness figure (completeness-query.ts builds
 * the searches, completeness.ts computes). The figure accompanies the answer: when the reports
 * cannot be read, the figure says so (status unknown) and the answer itself still stands.
 */
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
    const [reporterAnswer, lagAnswer, lossAnswer] = await Promise.all([
      ctx.store.client.search({ index, ignore_unavailable: true, allow_no_indices: true, ...buildReporterRequest(range, MAX_REPORTERS) }, transport),
      ctx.store.client.search({ index, ignore_unavailable: true, allow_no_indices: true, ...buildLagRequest(nowMs) }, transport),
      ctx.store.client.search({ index, ignore_unavailable: true, allow_no_indices: true, ...buildPossibleLossRequest(range) }, transport),
    ]);
    const { reporters, truncated } = readReporters(reporterAnswer);
    return computeCompleteness({ range, nowMs, reporters, lags: readLags(lagAnswer), includeNames: scope.namespaces === null, truncated, possibleLoss: readPossibleLoss(lossAnswer) });
  } catch (error) {
    return unknownCompleteness(error instanceof Error ? error.message : String(error));
  }
}
