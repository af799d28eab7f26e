/**
 * The verdict cache: an LRU (lru-cache) keyed by a number, so a lookup builds no string.
 *
 * The (source token, destination token[, source port]) pair is interned to a pair id through
 * nested maps (tokens are endpoint snapshot uids or address strings, whose hashes V8 caches);
 * the key is `pairId · 2^25 + protocol · 2^17 + portField`, where portField is the destination
 * port, the ICMP type·256+code, or 65536 for "none".
 *
 * In front of the LRU sits a direct-mapped array of 65,536 slots (last verdict per slot):
 * skewed traffic is served from it without touching the LRU's recency lists, and anything it
 * misses falls through to the LRU.
 *
 * Invalidation: the whole cache (LRU and pair table) belongs to one inventory revision; the first
 * lookup at a newer revision starts a fresh generation, so no verdict outlives the state it was
 * computed from. (The pair table is also reset when it outgrows 4× the LRU size.)
 */
import { LRUCache } from 'lru-cache';
import type { Verdict } from './verdict-engine.ts';

export type Token = string | number;

const NONE = 65536;
const PAIR_STRIDE = 2 ** 25;
/** Slots of the direct-mapped front array (a power of two). */
const HOT_SLOTS = 1 << 16;

export class VerdictCache {
  private readonly max: number;
  private lru: LRUCache<number, Verdict>;
  private pairs = new Map<Token, Map<Token, number | Map<number, number>>>();
  /** Pairs of two numeric tokens (snapshot uids < 2^26), one map lookup instead of two. */
  private numericPairs = new Map<number, number>();
  private nextPair = 0;
  private revision = -1;
  private readonly maxPairs: number;
  private readonly hotKeys = new Float64Array(HOT_SLOTS).fill(-1);
  private readonly hotVals: (Verdict | undefined)[] = new Array<Verdict | undefined>(HOT_SLOTS);
  /** Slot of the key last returned by key(). */
  private slot = 0;

  constructor(max: number) {
    this.max = max;
    this.lru = new LRUCache<number, Verdict>({ max });
    this.maxPairs = Math.min(max * 4, 2 ** 27);
  }

  get size(): number {
    return this.lru.size;
  }

  clear(): void {
    this.lru = new LRUCache<number, Verdict>({ max: this.max });
    this.pairs = new Map();
    this.numericPairs = new Map();
    this.nextPair = 0;
    this.hotKeys.fill(-1);
    this.hotVals.fill(undefined);
  }

  private sync(revision: number): void {
    if (revision !== this.revision || this.nextPair >= this.maxPairs) {
      this.clear();
      this.revision = revision;
    }
  }

  /** Numeric key for a flow at `revision`; `srcPort` only when source ports can matter. */
  key(revision: number, src: Token, dst: Token, srcPort: number | undefined, usesSrcPort: boolean, protocol: number, portField: number | undefined): number {
    this.sync(revision);
    let pair: number | Map<number, number> | undefined;
    if (!usesSrcPort && typeof src === 'number' && typeof dst === 'number' && src < 67108864 && dst < 67108864) {
      const k = src * 67108864 + dst;
      pair = this.numericPairs.get(k);
      if (pair === undefined) {
        pair = this.nextPair++;
        this.numericPairs.set(k, pair);
      }
      return this.finish(pair, protocol, portField);
    }
    let byDst = this.pairs.get(src);
    if (byDst === undefined) {
      byDst = new Map();
      this.pairs.set(src, byDst);
    }
    pair = byDst.get(dst);
    if (usesSrcPort) {
      let bySport = pair as Map<number, number> | undefined;
      if (bySport === undefined || typeof bySport === 'number') {
        bySport = new Map();
        byDst.set(dst, bySport);
      }
      const sp = srcPort ?? NONE;
      pair = bySport.get(sp);
      if (pair === undefined) {
        pair = this.nextPair++;
        bySport.set(sp, pair);
      }
    } else if (pair === undefined || typeof pair !== 'number') {
      pair = this.nextPair++;
      byDst.set(dst, pair);
    }
    return this.finish(pair as number, protocol, portField);
  }

  private finish(pair: number, protocol: number, portField: number | undefined): number {
    const field = portField === undefined || portField < 0 || portField > 65535 ? NONE : portField;
    this.slot = (Math.imul(pair ^ (field << 8) ^ protocol, 0x9e3779b1) >>> 16) & (HOT_SLOTS - 1);
    return pair * PAIR_STRIDE + (protocol & 255) * 131072 + field;
  }

  /** Looks up the key last returned by key(). */
  get(key: number): Verdict | undefined {
    const slot = this.slot;
    if (this.hotKeys[slot] === key) return this.hotVals[slot];
    const v = this.lru.get(key);
    if (v !== undefined) {
      this.hotKeys[slot] = key;
      this.hotVals[slot] = v;
    }
    return v;
  }

  /** Stores under the key last returned by key(). */
  set(key: number, v: Verdict): void {
    this.lru.set(key, v);
    this.hotKeys[this.slot] = key;
    this.hotVals[this.slot] = v;
  }
}
