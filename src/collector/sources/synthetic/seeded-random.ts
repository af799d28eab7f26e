/**
 * A small seeded pseudo-random generator (mulberry32) with the draws the synthetic traffic
 * model needs. Seeded so that a test can assert on generated traffic and a benchmark can be
 * repeated; not for anything security-related.
 */

/** Deterministic random draws from one 32-bit seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Any number is accepted; fold it into 32 bits so 1.5 and 2**40 still seed something.
    this.state = (Math.floor(seed) ^ Math.floor(seed / 2 ** 32)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Exponentially distributed with the given mean (inter-arrival times of a Poisson process). */
  exponential(mean: number): number {
    // 1 - next() is in (0, 1], so the log is finite.
    return -Math.log(1 - this.next()) * mean;
  }

  /**
   * Log-uniform in [min, max]: every order of magnitude is equally likely, which is how message
   * sizes and connection lifetimes spread in practice (many small, a few very large).
   */
  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min)));
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** Picks items with probability proportional to their weight, in O(log n) per draw. */
export class WeightedPicker<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weightOf: (item: T) => number,
  ) {
    let sum = 0;
    for (const item of items) {
      const weight = weightOf(item);
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new Error(`weights must be finite and >= 0, got ${weight}`);
      sum += weight;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  /** Whether there is anything to pick (some item with a positive weight). */
  get isEmpty(): boolean {
    return this.total === 0;
  }

  /** Draws one item; throws when {@link isEmpty}. */
  pick(random: SeededRandom): T {
    if (this.total === 0) throw new Error('cannot pick: no item has a positive weight');
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid]! > target) high = mid;
      else low = mid + 1;
    }
    return this.items[low]!;
  }
}
