/**
 * Reads the flows of a query newest first, page by page over one point in time, up to a number of
 * documents: the scan under the replays (/preview, /fixes, /recommendations) and the observed
 * traffic recommendations start from. A point in time keeps the pages consistent while the
 * enricher writes; `_shard_doc` breaks ties between documents of the same time.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FlowStore } from '../flow-store.ts';
import type { SortValue } from './cursor.ts';
import { TIME_FIELD } from './flow-search.ts';

const PAGE_SIZE = 5_000;

export interface FlowScan {
  readonly store: FlowStore;
  readonly query: estypes.QueryDslQueryContainer;
  /** Source fields each hit carries. */
  readonly fields: readonly string[];
  readonly maxFlows: number;
  readonly timeoutMs: number;
  /** Operation name for the store's latency metric. */
  readonly operation: string;
  /** Documents per page (default 5,000). */
  readonly pageSize?: number;
}

/** Hands every hit to `onHit`, newest first; `truncated` when `maxFlows` stopped the scan before the end. */
export async function scanFlowsNewestFirst<T>(scan: FlowScan, onHit: (hit: estypes.SearchHit<T>) => void): Promise<{ scanned: number; truncated: boolean }> {
  const opts = { timeoutMs: scan.timeoutMs };
  const pit = await scan.store.openPit('1m', opts);
  let scanned = 0;
  let after: SortValue[] | undefined;
  try {
    for (;;) {
      const size = Math.min(scan.pageSize ?? PAGE_SIZE, scan.maxFlows - scanned);
      if (size <= 0) return { scanned, truncated: true };
      const r: estypes.SearchResponse<T> = await scan.store.search<T>({
        pit: { id: pit, keep_alive: '1m' }, query: scan.query, size, _source: { includes: [...scan.fields] },
        sort: [{ [TIME_FIELD]: { order: 'desc' } }, { _shard_doc: { order: 'asc' } }] as estypes.SortCombinations[],
        track_total_hits: false, ...(after ? { search_after: after as estypes.SortResults } : {}),
      }, opts, scan.operation);
      for (const hit of r.hits.hits) {
        scanned++;
        onHit(hit);
      }
      const last = r.hits.hits[r.hits.hits.length - 1];
      if (r.hits.hits.length < size || last?.sort === undefined) return { scanned, truncated: false };
      after = last.sort as SortValue[];
    }
  } finally {
    void scan.store.closePit(pit);
  }
}
