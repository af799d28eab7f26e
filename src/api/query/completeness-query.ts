/**
 * The Elasticsearch requests behind the completeness figure, and the reading of their answers
 * into completeness.ts's input (pure: no I/O here). One search over the batch reports in and
 * around the range (per reporter: before / in / after, per boot in the range: sequences,
 * records, loss counters), one over the enrichers' recent lag reports, and one over the spans
 * possibly lost that overlap the range (whenever they were reported: a span is reported when the
 * source comes back, which may be long after the range).
 */
import type { estypes } from '@elastic/elasticsearch';
import { FLOW_REPORTER_KINDS, lossField, REPORT_FIELDS as F } from '../../contract/agent-report-document.ts';
import { LOSS_CAUSES } from '../../contract/wire/loss-report.ts';
import { SPAN_LOSS_CAUSES, type SpanLossCause } from '../../contract/loss-causes.ts';
import { LAG_PERSISTENCE_MS, type BootInRange, type EnricherLag, type ReportedLossSpan, type ReporterInWindow } from './completeness.ts';

/** How far around the range reporters are looked for: the range's length, within [10 min, 24 h]. */
export function lookaroundMs(range: { fromMs: number; toMs: number }): number {
  return Math.min(24 * 3_600_000, Math.max(10 * 60_000, range.toMs - range.fromMs));
}

/** How far back an enricher's lag report counts as current (it writes one every 5 s). */
export const LAG_REPORT_MAX_AGE_MS = 60_000;

const rangeClause = (gte: number | undefined, lt: number | undefined): estypes.QueryDslQueryContainer => ({
  range: { [F.time]: { ...(gte !== undefined ? { gte } : {}), ...(lt !== undefined ? { lt } : {}), format: 'epoch_millis' } },
});

/** The batch report search of a range; `maxReporters` bounds the reporters read. */
export function buildReporterRequest(range: { fromMs: number; toMs: number }, maxReporters: number): estypes.SearchRequest {
  const around = lookaroundMs(range);
  const lossAggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  const beforeLossAggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const cause of LOSS_CAUSES) {
    lossAggs[`${cause}.rt`] = { max: { field: lossField(cause, 'records_total') } };
    lossAggs[`${cause}.rb`] = { min: { field: lossField(cause, 'records_before') } };
    beforeLossAggs[`${cause}.rt`] = { max: { field: lossField(cause, 'records_total') } };
  }
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [{ term: { [F.reportKind]: 'batch' } }, { terms: { [F.reporterKind]: [...FLOW_REPORTER_KINDS] } }, rangeClause(range.fromMs - around, range.toMs + around)] } },
    aggs: {
      reporters: {
        terms: { field: F.reporterId, size: maxReporters },
        aggs: {
          kind: { terms: { field: F.reporterKind, size: 1 } },
          node: { terms: { field: F.node, size: 1 } },
          heartbeat: { max: { field: F.heartbeatMs } },
          before: {
            filter: rangeClause(undefined, range.fromMs),
            aggs: { last: { max: { field: F.time } }, boots: { terms: { field: F.boot, size: 1000 }, aggs: { max_seq: { max: { field: F.sequence } }, ...beforeLossAggs } } },
          },
          after: { filter: rangeClause(range.toMs, undefined), aggs: { first: { min: { field: F.time } } } },
          in: {
            filter: rangeClause(range.fromMs, range.toMs),
            aggs: {
              last: { max: { field: F.time } },
              boots: {
                terms: { field: F.boot, size: 1000 },
                aggs: {
                  min_seq: { min: { field: F.sequence } },
                  max_seq: { max: { field: F.sequence } },
                  records: { sum: { field: F.records } },
                  pred_boot: { terms: { field: F.predecessorBoot, size: 1 } },
                  pred_last: { max: { field: F.predecessorLastSequence } },
                  ...lossAggs,
                },
              },
            },
          },
        },
      },
    },
  };
}

/** The lag report search (latest report of every enricher that reported in the last minute). */
export function buildLagRequest(nowMs: number): estypes.SearchRequest {
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [{ term: { [F.reportKind]: 'enricher_lag' } }, rangeClause(nowMs - LAG_REPORT_MAX_AGE_MS, undefined)] } },
    aggs: {
      enrichers: {
        terms: { field: F.reporterId, size: 100 },
        aggs: {
          latest: { top_hits: { size: 1, sort: [{ [F.time]: { order: 'desc' } }], _source: { includes: [F.lagMessages, F.time] } } },
          recent: { filter: rangeClause(nowMs - LAG_PERSISTENCE_MS, undefined), aggs: { low: { min: { field: F.lagMessages } } } },
        },
      },
    },
  };
}

/** Most span reports read per figure (a growing span is reported every 30 s; the longest of a start counts). */
export const MAX_LOSS_SPAN_REPORTS = 1_000;

/** The search for report documents whose possibly-lost span overlaps the range. */
export function buildPossibleLossRequest(range: { fromMs: number; toMs: number }): estypes.SearchRequest {
  return {
    size: MAX_LOSS_SPAN_REPORTS,
    track_total_hits: false,
    _source: { includes: [F.reporterKind, F.reporterId, 'possible_loss'] },
    sort: [{ [F.possibleLossTo]: { order: 'desc' } }],
    query: {
      bool: {
        filter: [
          { term: { [F.reportKind]: 'batch' } },
          { range: { [F.possibleLossFrom]: { lt: range.toMs, format: 'epoch_millis' } } },
          { range: { [F.possibleLossTo]: { gt: range.fromMs, format: 'epoch_millis' } } },
        ],
      },
    },
  };
}

/** Reads the span search's answer (documents with a cause this reader does not know are left out). */
export function readPossibleLoss(answer: estypes.SearchResponse): ReportedLossSpan[] {
  return answer.hits.hits.flatMap((hit): ReportedLossSpan[] => {
    const doc = hit._source as { reporter?: { kind?: string; id?: string }; possible_loss?: { cause?: string; from?: string; to?: string; retention_seconds?: number } } | undefined;
    const loss = doc?.possible_loss;
    const fromMs = Date.parse(loss?.from ?? '');
    const toMs = Date.parse(loss?.to ?? '');
    if (!loss || !SPAN_LOSS_CAUSES.includes(loss.cause as SpanLossCause) || !Number.isFinite(fromMs) || !Number.isFinite(toMs)) return [];
    return [{ kind: doc.reporter?.kind ?? 'goldmane', id: doc.reporter?.id ?? '', cause: loss.cause as SpanLossCause, fromMs, toMs, retentionSeconds: loss.retention_seconds ?? 0 }];
  });
}

type Bucket = Record<string, unknown> & { key: unknown; doc_count: number };
const value = (agg: unknown): number | null => {
  const v = (agg as { value?: number | null } | undefined)?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const buckets = (agg: unknown): Bucket[] => (agg as { buckets?: Bucket[] } | undefined)?.buckets ?? [];
const firstKey = (agg: unknown): string | null => {
  const k = buckets(agg)[0]?.key;
  return k === undefined || k === null ? null : String(k);
};

/** Reads the reporter search's answer; `truncated` when more reporters exist than were read. */
export function readReporters(answer: estypes.SearchResponse): { reporters: ReporterInWindow[]; truncated: boolean } {
  const agg = answer.aggregations?.reporters as { buckets?: Bucket[]; sum_other_doc_count?: number } | undefined;
  const reporters = (agg?.buckets ?? []).map((r): ReporterInWindow => {
    const inRange = r.in as Bucket;
    const before = new Map(buckets((r.before as Bucket).boots).map((b) => [String(b.key), b]));
    const boots = buckets(inRange.boots).map((b): BootInRange => {
      const earlier = before.get(String(b.key));
      const totalsBeforeRange: NonNullable<BootInRange['beforeRange']>['lossTotals'] = {};
      for (const cause of LOSS_CAUSES) {
        const t = earlier ? value(earlier[`${cause}.rt`]) : null;
        if (t !== null) totalsBeforeRange[cause] = t;
      }
      const loss: BootInRange['loss'] = {};
      for (const cause of LOSS_CAUSES) {
        const rt = value(b[`${cause}.rt`]);
        if (rt === null) continue;
        loss[cause] = { recordsTotalMax: rt, recordsBeforeMin: value(b[`${cause}.rb`]) ?? 0 };
      }
      const predBoot = firstKey(b.pred_boot);
      const predLast = value(b.pred_last);
      return {
        boot: String(b.key), batches: b.doc_count, minSequence: value(b.min_seq) ?? 0, maxSequence: value(b.max_seq) ?? 0,
        records: value(b.records) ?? 0, predecessor: predBoot !== null && predLast !== null ? { boot: predBoot, lastSequence: predLast } : null, loss,
        beforeRange: earlier ? { maxSequence: value(earlier.max_seq) ?? 0, lossTotals: totalsBeforeRange } : null,
      };
    });
    return {
      kind: firstKey(r.kind) ?? 'node-agent', id: String(r.key), node: firstKey(r.node), heartbeatMs: value(r.heartbeat) ?? 0,
      lastBeforeMs: value((r.before as Bucket).last), firstAfterMs: value((r.after as Bucket).first),
      lastInMs: inRange.doc_count > 0 ? value(inRange.last) : null, boots,
    };
  });
  return { reporters, truncated: (agg?.sum_other_doc_count ?? 0) > 0 };
}

/** Reads the lag search's answer. */
export function readLags(answer: estypes.SearchResponse): EnricherLag[] {
  return buckets(answer.aggregations?.enrichers).flatMap((b): EnricherLag[] => {
    const hit = (b.latest as { hits: { hits: Array<{ _source?: { '@timestamp'?: string; lag?: { messages?: number } } }> } }).hits.hits[0]?._source;
    if (!hit || typeof hit.lag?.messages !== 'number') return [];
    // No report in the persistence window (a stalled enricher's last one is older): its latest lag stands.
    const low = value((b.recent as Bucket | undefined)?.low);
    return [{ id: String(b.key), messages: hit.lag.messages, atMs: Date.parse(hit['@timestamp'] ?? '') || 0, persistentMessages: low ?? hit.lag.messages }];
  });
}
