/**
 * The rollup: summarises closed blocks of count-once flow documents into one summary document
 * per block (contract/flow-summary.ts), replacing what an earlier rollup wrote for it.
 *
 * Each pass refreshes the flow indices (so every settled write is visible), opens a point in
 * time on them and reads every block of the pass from it: a block's figures and its
 * fingerprint come from the same snapshot, so a write that lands after the snapshot shows as a
 * changed fingerprint to readers (who then read the block's flows instead) until the next
 * rollup of that block.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { collectFacets, FLOW_FACETS, type FacetSearch } from '../../contract/flow-summary-facets.ts';
import {
  blockStartOf, countedFlowsQuery, dailySummaryIndexName, FINGERPRINT_AGGS, fingerprintFromAggs, FLOW_SUMMARY_VERSION, summaryDocumentId,
  summaryIndexPattern, SUMMARY_BLOCK_MS, SUMMARY_TIMELINE_MS, type FlowSummaryDocument,
} from '../../contract/flow-summary.ts';
import { flowIndexPattern } from '../../contract/flow-index-names.ts';
import type { Logger } from '../../runtime/logger.ts';
import { bulkRequestFromClient, FlowBulkWriter } from '../elasticsearch/flow-bulk-writer.ts';
import { installSummaryIndexTemplate } from './summary-index-template.ts';

/** Blocks read from one point in time (a bounded pass, so a long backfill never holds one PIT for long). */
export const BLOCKS_PER_PASS = 24;

/** What a rollup did. */
export interface RollupResult {
  readonly blocks: number;
  /** Count-once flow documents summarised. */
  readonly flows: number;
  /** Entries stored, over all blocks and views. */
  readonly entries: number;
}

/** Options of the rollup. */
export interface SummaryRollupOptions {
  readonly client: Client;
  /** Flow index prefix (summaries go to `<prefix>.summaries-*`). */
  readonly prefix: string;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/** Rolls up blocks of one flow index prefix. One instance per process; `rollUp` calls may overlap. */
export class SummaryRollup {
  private readonly client: Client;
  private readonly prefix: string;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private readonly writer: FlowBulkWriter<FlowSummaryDocument>;
  private template: Promise<unknown> | undefined;

  constructor(options: SummaryRollupOptions) {
    this.client = options.client;
    this.prefix = options.prefix;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.writer = new FlowBulkWriter<FlowSummaryDocument>({ bulk: bulkRequestFromClient(this.client, { refresh: 'wait_for' }), maxAttempts: 4, maxBackoffMs: 2_000 });
  }

  /** The blocks overlapping [fromMs, toMs), oldest first. */
  static blocksIn(fromMs: number, toMs: number): number[] {
    const out: number[] = [];
    for (let b = blockStartOf(fromMs); b < toMs; b += SUMMARY_BLOCK_MS) out.push(b);
    return out;
  }

  /** Summarises the blocks starting at `blockStarts` (each must be a block start). */
  async rollUp(blockStarts: readonly number[]): Promise<RollupResult> {
    for (const b of blockStarts) if (blockStartOf(b) !== b) throw new Error(`rollup: ${new Date(b).toISOString()} is not the start of a ${SUMMARY_BLOCK_MS / 60_000}-minute block`);
    this.template ??= installSummaryIndexTemplate(this.client, { prefix: this.prefix }).catch((err: unknown) => {
      this.template = undefined;
      throw err;
    });
    await this.template;
    const sorted = [...new Set(blockStarts)].sort((a, b) => a - b);
    let flows = 0;
    let entries = 0;
    for (let i = 0; i < sorted.length; i += BLOCKS_PER_PASS) {
      const pass = await this.rollUpPass(sorted.slice(i, i + BLOCKS_PER_PASS));
      flows += pass.flows;
      entries += pass.entries;
    }
    return { blocks: sorted.length, flows, entries };
  }

  private async rollUpPass(blocks: readonly number[]): Promise<{ flows: number; entries: number }> {
    const pattern = flowIndexPattern(this.prefix);
    await this.client.indices.refresh({ index: pattern, ignore_unavailable: true, allow_no_indices: true });
    const exists = await this.client.indices.exists({ index: pattern, allow_no_indices: false, ignore_unavailable: true });
    const pit = exists ? (await this.client.openPointInTime({ index: pattern, keep_alive: '2m', ignore_unavailable: true })).id : undefined;
    try {
      const search: FacetSearch = (request) => pit === undefined
        ? Promise.resolve(emptyAnswer())
        : this.client.search({ ...request, pit: { id: pit, keep_alive: '2m' } });
      const docs: FlowSummaryDocument[] = [];
      for (const start of blocks) docs.push(await summariseBlock(search, start, this.now()));
      const written = await this.writer.write(docs.map((document) => ({ id: summaryDocumentId(Date.parse(document.block_start)), index: dailySummaryIndexName(Date.parse(document.block_start), this.prefix), document })));
      if (written.rejected.length > 0) {
        const first = written.rejected[0];
        throw new Error(`rollup: Elasticsearch rejected ${written.rejected.length} summary document(s) in ${summaryIndexPattern(this.prefix)}; first: block ${first?.item.document.block_start}: ${first?.reason}`);
      }
      const flows = docs.reduce((n, d) => n + d.fingerprint.flows, 0);
      const entries = docs.reduce((n, d) => n + d.timeline.length + d.talkers.length + d.cells.length + d.pairs.length + d.hits.length, 0);
      this.logger?.debug({ blocks: blocks.length, from: new Date(blocks[0] ?? 0).toISOString(), flows, entries }, 'summarised flow blocks');
      return { flows, entries };
    } finally {
      if (pit !== undefined) await this.client.closePointInTime({ id: pit }).catch(() => undefined);
    }
  }
}

function emptyAnswer(): estypes.SearchResponse {
  return { took: 0, timed_out: false, _shards: { total: 0, successful: 0, failed: 0 }, hits: { total: { value: 0, relation: 'eq' }, hits: [] } };
}

/** Reads one block's figures and fingerprint and makes its summary document. */
export async function summariseBlock(search: FacetSearch, blockStartMs: number, nowMs: number): Promise<FlowSummaryDocument> {
  const end = blockStartMs + SUMMARY_BLOCK_MS;
  const { entries, first } = await collectFacets(search, countedFlowsQuery(blockStartMs, end), 'flows', FLOW_FACETS, SUMMARY_TIMELINE_MS, { aggs: { ...FINGERPRINT_AGGS }, trackTotalHits: true });
  const total = first.hits.total;
  const fp = fingerprintFromAggs(typeof total === 'number' ? total : total?.value ?? 0, (first.aggregations ?? {}) as Record<string, unknown>);
  return {
    block_start: new Date(blockStartMs).toISOString(), block_end: new Date(end).toISOString(), version: FLOW_SUMMARY_VERSION, rolled_up_at: new Date(nowMs).toISOString(),
    fingerprint: { flows: fp.flows, records: fp.records, ...(fp.maxIngestedMs !== null ? { max_ingested: new Date(fp.maxIngestedMs).toISOString() } : {}) },
    ...entries,
  };
}
