/**
 * The verdict cache: an LRU (lru-cache) keyed by a number, so a lookup builds no string, with a
 * direct-mapped front array for the hot set.
 *
 * LRU key: the (source token, destination token[, source port]) pair is interned to a pair id
 * through maps (tokens are endpoint snapshot uids or address strings), and the key is
 * `pairId · 2^25 + protocol · 2^17 + portField`, where portField is the destination port, the
 * ICMP type·256+code, or 65536 for "none".
 *
 * Front array: 65,536 slots, each holding (generation, source uid, destination uid,
 * protocol·2^17+portField) in one Int32Array stride plus the verdict. When both sides are
 * single-IP endpoints (tokens are uids) a lookup hashes the tuple, compares four integers and is
 * done — no map lookups; anything else, or a slot holding another tuple, falls through to the LRU.
 *
 * Invalidation: everything belongs to one inventory revision; the first lookup at a newer
 * revision starts a fresh generation (new LRU and pair tables, front slots of older generations
 * never match). The pair tables are also reset when they outgrow 4× the LRU size.
 */
import { LRUCache } from 'lru-cache';
import type { Verdict } from './verdict.ts';

export type Token = string | number;

const NONE = 65536;
const PAIR_STRIDE = 2 ** 25;
const HOT_SLOTS = 1 << 16;
const UID_LIMIT = 2 ** 31;

function field(portField: number | undefined): number {
  return portField === undefined || portField < 0 || portField > 65535 ? NONE : portField;
}

export class VerdictCache {
  private readonly max: number;
  private readonly maxPairs: number;
  private lru: LRUCache<number, Verdict>;
  private pairs = new Map<Token, Map<Token, number | Map<number, number>>>();
  private numericPairs = new Map<number, number>();
  private nextPair = 0;
  private revision = -1;
  /** Bumped on every reset; front slots stamped with an older generation never match. */
  private generation = 1;
  private readonly hot = new Int32Array(HOT_SLOTS * 4);
  private readonly hotVals: (Verdict | undefined)[] = new Array<Verdict | undefined>(HOT_SLOTS).fill(undefined);
  // The tuple of the last lookup, so set() can fill the same front slot.
  private lastSlot = -1;
  private lastSrc = 0;
  private lastDst = 0;
  private lastPf = 0;
  private lastKey = -1;

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
    this.generation = (this.generation + 1) | 0 || 1;
    this.lastSlot = -1;
    this.lastKey = -1;
  }

  private sync(revision: number): void {
    if (revision !== this.revision || this.nextPair >= this.maxPairs) {
      this.clear();
      this.revision = revision;
    }
  }

  private pairId(src: Token, dst: Token, srcPort: number | undefined, usesSrcPort: boolean): number {
    if (!usesSrcPort && typeof src === 'number' && typeof dst === 'number' && src < 67108864 && dst < 67108864) {
      const k = src * 67108864 + dst;
      let pair = this.numericPairs.get(k);
      if (pair === undefined) {
        pair = this.nextPair++;
        this.numericPairs.set(k, pair);
      }
      return pair;
    }
    let byDst = this.pairs.get(src);
    if (byDst === undefined) {
      byDst = new Map();
      this.pairs.set(src, byDst);
    }
    let pair = byDst.get(dst);
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
      return pair;
    }
    if (pair === undefined || typeof pair !== 'number') {
      pair = this.nextPair++;
      byDst.set(dst, pair);
    }
    return pair;
  }

  /**
   * Looks a flow up at `revision`. `srcPort` only counts when `usesSrcPort` (some rule
   * constrains source ports). Remembers the flow so that a following set() stores under it.
   */
  lookup(revision: number, src: Token, dst: Token, srcPort: number | undefined, usesSrcPort: boolean, protocol: number, portField: number | undefined): Verdict | undefined {
    this.sync(revision);
    const pf = (protocol & 255) * 131072 + field(portField);
    this.lastSlot = -1;
    if (!usesSrcPort && typeof src === 'number' && typeof dst === 'number' && src < UID_LIMIT && dst < UID_LIMIT) {
      const slot = (Math.imul(Math.imul(src, 0x9e3779b1) ^ dst, 0x85ebca6b) ^ Math.imul(pf, 0xc2b2ae35)) >>> 16;
      const b = slot * 4;
      const hot = this.hot;
      if (hot[b] === this.generation && hot[b + 1] === src && hot[b + 2] === dst && hot[b + 3] === pf) return this.hotVals[slot];
      this.lastSlot = slot;
      this.lastSrc = src;
      this.lastDst = dst;
      this.lastPf = pf;
    }
    this.lastKey = this.pairId(src, dst, srcPort, usesSrcPort) * PAIR_STRIDE + pf;
    const v = this.lru.get(this.lastKey);
    if (v !== undefined) this.fillHot(v);
    return v;
  }

  private fillHot(v: Verdict): void {
    const slot = this.lastSlot;
    if (slot < 0) return;
    const b = slot * 4;
    this.hot[b] = this.generation;
    this.hot[b + 1] = this.lastSrc;
    this.hot[b + 2] = this.lastDst;
    this.hot[b + 3] = this.lastPf;
    this.hotVals[slot] = v;
  }

  /** Stores a verdict for the flow of the last lookup() (which must have missed). */
  set(v: Verdict): void {
    if (this.lastKey < 0) return;
    this.lru.set(this.lastKey, v);
    this.fillHot(v);
  }
}
