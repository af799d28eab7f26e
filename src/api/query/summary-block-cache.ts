/**
 * The API's in-process cache of summary entries for the stats view (query/stats-summary-reader.ts):
 * a closed block's entries as read from its summary document, and the merged entries of a run
 * of blocks, each keyed by the blocks' starts and fingerprints.
 *
 * Exactness never rests on the cache: a reader looks a block up under the fingerprint the flow
 * documents have now (contract/flow-summary.ts says why equal fingerprints mean the same flows),
 * so a block written to since it was cached is simply not found, and is read again. Entries
 * are never changed once cached, so a key always means the same figures.
 *
 * Memory is bounded by an estimate of the entries' heap size; the least recently used items go
 * first. A budget of 0 turns the cache off (every lookup misses, nothing is kept).
 */
import type { FacetEntries } from '../../contract/flow-summary-facets.ts';
import type { BlockFingerprint } from '../../contract/flow-summary.ts';

/**
 * What a lookup was for: one block's entries, the merged entries of a run of blocks, one
 * 30-second step of a block holding a range's unaligned edge (query/stats-summary-steps.ts), or
 * the merged entries of all whole steps of a request's edges.
 */
export type SummaryCacheKind = 'block' | 'run' | 'step' | 'steps';

/** Told of every lookup (metrics). */
export type SummaryCacheObserver = (kind: SummaryCacheKind, hit: boolean) => void;

/** A block as the cache keys it: its start and the fingerprint its entries describe. */
export interface CachedBlockKey {
  readonly start: number;
  readonly fingerprint: BlockFingerprint;
}

/** The key of one block's entries. */
export function blockCacheKey(b: CachedBlockKey): string {
  const f = b.fingerprint;
  return `${b.start}:${f.flows}:${f.records}:${f.maxIngestedMs ?? '-'}`;
}

/** The key of one step's entries: its block's key (so any write into the block changes it) and the step's start. */
export function stepCacheKey(b: CachedBlockKey, stepStart: number): string {
  return `step/${blockCacheKey(b)}/${stepStart}`;
}

/** The key of the merged entries of several steps: theirs in order. */
export function stepsCacheKey(steps: readonly CachedStepKey[]): string {
  return `steps/${steps.map((s) => stepCacheKey(s.block, s.start)).join(',')}`;
}

/** A step as the cache keys it: its block's key and its start. */
export interface CachedStepKey {
  readonly block: CachedBlockKey;
  readonly start: number;
}

/** The key of a run's merged entries: its blocks' keys in order, and the edge steps merged into it if any. */
export function runCacheKey(blocks: readonly CachedBlockKey[], steps: readonly CachedStepKey[] = []): string {
  const run = `run/${blocks.map(blockCacheKey).join(',')}`;
  return steps.length === 0 ? run : `${run}+${stepsCacheKey(steps)}`;
}

// Rough V8 sizes: an object with its fields, a string's header. Only used to bound memory.
const ENTRY_BYTES = 96;
const STRING_BYTES = 24;

function stringBytes(v: unknown): number {
  return typeof v === 'string' ? STRING_BYTES + v.length : 0;
}

/** An estimate of the heap the entries take (objects, their strings; numbers are in the object). */
export function estimateEntryBytes(e: FacetEntries): number {
  let bytes = 0;
  for (const list of [e.timeline, e.talkers, e.cells, e.pairs, e.hits] as readonly (readonly object[])[]) {
    for (const entry of list) {
      bytes += ENTRY_BYTES;
      for (const v of Object.values(entry)) bytes += stringBytes(v);
    }
  }
  return bytes;
}

interface Item {
  readonly entries: FacetEntries;
  readonly bytes: number;
}

/** Figures of the cache for the metrics. */
export interface SummaryCacheSize {
  readonly items: number;
  readonly bytes: number;
}

/** An LRU of FacetEntries by estimated bytes (a Map's insertion order is the recency order). */
export class SummaryBlockCache {
  private readonly items = new Map<string, Item>();
  private bytes = 0;

  constructor(readonly maxBytes: number, private readonly observe: SummaryCacheObserver = () => {}) {
    if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new Error(`summary cache: maxBytes must be an integer ≥ 0, got ${maxBytes}`);
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** A block's entries under its fingerprint now, if cached. */
  getBlock(b: CachedBlockKey): FacetEntries | undefined {
    return this.lookup('block', blockCacheKey(b));
  }

  setBlock(b: CachedBlockKey, entries: FacetEntries): void {
    this.store(blockCacheKey(b), entries);
  }

  /** A step's entries (every facet, at the step's own timeline resolution) under its block's fingerprint now, if cached. */
  getStep(b: CachedBlockKey, stepStart: number): FacetEntries | undefined {
    return this.lookup('step', stepCacheKey(b, stepStart));
  }

  setStep(b: CachedBlockKey, stepStart: number, entries: FacetEntries): void {
    this.store(stepCacheKey(b, stepStart), entries);
  }

  /** The merged entries of exactly these steps under their blocks' fingerprints, if cached. */
  getSteps(steps: readonly CachedStepKey[]): FacetEntries | undefined {
    return this.lookup('steps', stepsCacheKey(steps));
  }

  setSteps(steps: readonly CachedStepKey[], entries: FacetEntries): void {
    this.store(stepsCacheKey(steps), entries);
  }

  /**
   * The merged entries of exactly these blocks under these fingerprints (with these edge steps
   * merged in, if any), if cached.
   */
  getRun(blocks: readonly CachedBlockKey[], steps: readonly CachedStepKey[] = []): FacetEntries | undefined {
    return this.lookup('run', runCacheKey(blocks, steps));
  }

  setRun(blocks: readonly CachedBlockKey[], entries: FacetEntries, steps: readonly CachedStepKey[] = []): void {
    // A run's grouped and ordered views (stats-summary-prepared.ts) live beside its entries, about as large again.
    this.store(runCacheKey(blocks, steps), entries, 2);
  }

  size(): SummaryCacheSize {
    return { items: this.items.size, bytes: this.bytes };
  }

  private lookup(kind: SummaryCacheKind, key: string): FacetEntries | undefined {
    const item = this.items.get(key);
    this.observe(kind, item !== undefined);
    if (item === undefined) return undefined;
    // Most recently used last.
    this.items.delete(key);
    this.items.set(key, item);
    return item.entries;
  }

  private store(key: string, entries: FacetEntries, weight = 1): void {
    if (!this.enabled) return;
    const bytes = estimateEntryBytes(entries) * weight;
    // An item larger than the whole budget would evict everything and then itself.
    if (bytes > this.maxBytes) return;
    const old = this.items.get(key);
    if (old !== undefined) {
      this.items.delete(key);
      this.bytes -= old.bytes;
    }
    this.items.set(key, { entries, bytes });
    this.bytes += bytes;
    for (const [k, item] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(k);
      this.bytes -= item.bytes;
    }
  }
}
