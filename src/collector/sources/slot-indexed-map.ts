/**
 * A `Map<string, V>` for short-lived values under heavy churn, whose hash table holds slot
 * numbers instead of the values; the values sit in an array, freed slots reused.
 *
 * Why: with tens of thousands of inserts and deletes a second, V8 rebuilds a Map's hash table
 * every few thousand operations and keeps the old one (still holding every entry it had) for
 * iterators until the next full collection. Once the table has grown old, each of those
 * discarded tables keeps thousands of young values alive through every minor collection,
 * which then copies and promotes them although they died long ago — in the conntrack tracker
 * at 20,000 events/s, ~8.5 MB per minor collection for ~1 MB of live connections. Discarded tables of
 * this map pin only keys and small integers; the values array is updated in place, so a
 * deleted value is garbage at once.
 */
export class SlotIndexedMap<V> implements Iterable<[string, V]> {
  private readonly slotOf = new Map<string, number>();
  private readonly values: (V | undefined)[] = [];
  private readonly freeSlots: number[] = [];

  get size(): number {
    return this.slotOf.size;
  }

  /** Slots allocated: the most entries held at once since the last {@link clear} (freed slots are reused). */
  get slotCount(): number {
    return this.values.length;
  }

  has(key: string): boolean {
    return this.slotOf.has(key);
  }

  get(key: string): V | undefined {
    const slot = this.slotOf.get(key);
    return slot === undefined ? undefined : this.values[slot];
  }

  set(key: string, value: V): this {
    const slot = this.slotOf.get(key);
    if (slot === undefined) this.insert(key, value);
    else this.values[slot] = value;
    return this;
  }

  /** Sets `key` only when absent; true when it was added (two lookups where `has` then `set` take three). */
  add(key: string, value: V): boolean {
    if (this.slotOf.get(key) !== undefined) return false;
    this.insert(key, value);
    return true;
  }

  /** Removes `key` and returns its value (two lookups where `get` then `delete` take three). */
  take(key: string): V | undefined {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return undefined;
    const value = this.values[slot];
    this.release(key, slot);
    return value;
  }

  delete(key: string): boolean {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return false;
    this.release(key, slot);
    return true;
  }

  /** Puts an absent key in a free slot (or a new one). */
  private insert(key: string, value: V): void {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.values.length;
    this.slotOf.set(key, slot);
    this.values[slot] = value;
  }

  /** Forgets a present key; its value is garbage at once and its slot free for the next key. */
  private release(key: string, slot: number): void {
    this.slotOf.delete(key);
    this.values[slot] = undefined;
    this.freeSlots.push(slot);
  }

  clear(): void {
    this.slotOf.clear();
    this.values.length = 0;
    this.freeSlots.length = 0;
  }

  /**
   * Calls `visit` for every entry in insertion order, allocating nothing per entry (the
   * iterator makes a pair for each); `visit` may delete the current entry, as with a Map.
   */
  forEach(visit: (value: V, key: string) => void): void {
    this.slotOf.forEach((slot, key) => visit(this.values[slot]!, key));
  }

  /** Entries in insertion order; deleting the current entry while iterating is safe, as with a Map. */
  *[Symbol.iterator](): IterableIterator<[string, V]> {
    for (const [key, slot] of this.slotOf) yield [key, this.values[slot]!];
  }
}
