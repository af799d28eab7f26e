/**
 * A set of flow slots (small non-negative integers) with O(1) add, remove and size, kept dense
 * so that visiting its members costs what they number, not what the table holds: the tracker's
 * flows due for a lookup are ~100,000 of a busy table's 1.2 million, and scanning every slot for
 * them twice per refresh was a quarter of the agent's work there.
 */
export class SlotSet {
  /** Members, densely in [0, size). */
  private members = new Int32Array(1024);
  /** Per slot: its index in `members` + 1, or 0 when not a member. */
  private positions = new Int32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(slot: number): boolean {
    return slot < this.positions.length && this.positions[slot] !== 0;
  }

  add(slot: number): void {
    if (slot >= this.positions.length) {
      const grown = new Int32Array(Math.max(slot + 1, this.positions.length * 2));
      grown.set(this.positions);
      this.positions = grown;
    }
    if (this.positions[slot] !== 0) return;
    if (this.count === this.members.length) {
      const grown = new Int32Array(this.members.length * 2);
      grown.set(this.members);
      this.members = grown;
    }
    this.members[this.count] = slot;
    this.positions[slot] = ++this.count;
  }

  delete(slot: number): void {
    if (slot >= this.positions.length) return;
    const position = this.positions[slot]!;
    if (position === 0) return;
    // The last member takes the place of the one leaving.
    const last = this.members[--this.count]!;
    this.members[position - 1] = last;
    this.positions[last] = position;
    this.positions[slot] = 0;
  }

  /** Calls `visit` with every member; `visit` must not change the set. */
  forEach(visit: (slot: number) => void): void {
    const members = this.members;
    for (let i = 0, n = this.count; i < n; i++) visit(members[i]!);
  }
}
