/**
 * The enricher's own lag as an agent report document (contract/agent-report-document.ts):
 * messages of its assigned partitions not yet processed, written at each lag reading, so the
 * completeness figure can say that the newest data is still on its way.
 */
import { hostname } from 'node:os';
import type { LagReportDocument } from '../../contract/agent-report-document.ts';
import type { PartitionLag } from '../consumer-lag.ts';

/** The lag report of enricher `instanceId` of consumer group `groupId` at `nowMs`. */
export function buildLagReport(groupId: string, instanceId: string, lags: readonly PartitionLag[], nowMs: number): LagReportDocument {
  return {
    '@timestamp': new Date(nowMs).toISOString(),
    report: { kind: 'enricher_lag' },
    reporter: { kind: 'enricher', id: `${groupId}/${instanceId}`, node: hostname() },
    lag: { messages: lags.reduce((n, l) => n + Math.max(0, l.lag), 0), partitions: lags.length },
  };
}
