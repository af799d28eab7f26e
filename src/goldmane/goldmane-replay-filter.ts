/**
 * Recognises flows the source already published: Goldmane sends a bucket's flows again after a
 * reconnect (history overlap) or after its own restart (new result ids, same flows). A flow is
 * known by its identity (key, traces, time range); it is published again only when its content
 * changed (counters of a bucket that was still filling). Bounded: the oldest entries go first,
 * and what falls out is still harmless downstream (same document id, same content).
 */
import { LRUCache } from 'lru-cache';
import { goldmaneFlowContent, goldmaneFlowIdentity, type GoldmaneFlow } from '../contract/goldmane/goldmane-flow.ts';

export class GoldmaneReplayFilter {
  private readonly seen: LRUCache<string, string>;

  constructor(maxEntries = 200_000) {
    this.seen = new LRUCache({ max: maxEntries });
  }

  /** True when this exact flow was published before (then it need not be published again). */
  isReplay(flow: GoldmaneFlow): boolean {
    return this.seen.get(goldmaneFlowIdentity(flow)) === goldmaneFlowContent(flow);
  }

  /** Records a flow as published. */
  remember(flow: GoldmaneFlow): void {
    this.seen.set(goldmaneFlowIdentity(flow), goldmaneFlowContent(flow));
  }

  get size(): number {
    return this.seen.size;
  }
}
