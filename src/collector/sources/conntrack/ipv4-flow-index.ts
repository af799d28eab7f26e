/**
 * Finds a tracked IPv4 flow's slot by its identity (conntrack id, protocol, addresses, ports or
 * ICMP fields) without a string key: an open-addressing hash table of slots in an Int32Array,
 * the identities in typed arrays by slot.
 *
 * Why: a busy node's table holds ~1.2 million entries, and every table listing looks each one
 * up. A `Map` keyed by strings took ~0.8 µs per lookup at that size, in scattered order (the
 * kernel lists in hash order): the key's hash, its bucket, its entry and the stored key string
 * are four places in memory. Here a lookup reads the table and one slot's identity.
 *
 * Linear probing with backward-shift deletion (no tombstones under 20,000 inserts and deletes a
 * second); the table doubles at half full.
 */

/** An IPv4 flow's identity, as numbers (see packedIpv4Key in conntrack-observation.ts). */
export interface Ipv4FlowIdentity {
  id: number;
  /** Protocol | kinds << 8 (which port/ICMP fields are present). */
  protocolKinds: number;
  /** Addresses, big-endian u32. */
  src: number;
  dst: number;
  /** First << 16 | second: source port (or ICMP id), destination port (or ICMP type). */
  ports: number;
}

const EMPTY = -1;
/** Numbers per identity. */
const IDENTITY = 5;
const INITIAL_TABLE = 1 << 12;

function hashOf(id: number, protocolKinds: number, src: number, dst: number, ports: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ src ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ dst ^ (h >>> 13), 0x27d4eb2f);
  h = Math.imul(h ^ ports ^ (h >>> 16), 0x165667b1);
  h ^= protocolKinds;
  return (h ^ (h >>> 15)) >>> 0;
}

/** See the module comment. */
export class Ipv4FlowIndex {
  /** Slot per table position, EMPTY when free. */
  private table = new Int32Array(INITIAL_TABLE).fill(EMPTY);
  private mask = INITIAL_TABLE - 1;
  private count = 0;
  /**
   * Identities by slot, IDENTITY numbers each (id, src, dst, ports, protocolKinds): side by side,
   * so a comparison reads one place in memory, not five.
   */
  private identities = new Uint32Array(0);

  get size(): number {
    return this.count;
  }

  /** The slot of the flow with this identity, or -1. */
  find(id: number, protocolKinds: number, src: number, dst: number, ports: number): number {
    const table = this.table;
    const mask = this.mask;
    for (let at = hashOf(id, protocolKinds, src, dst, ports) & mask; ; at = (at + 1) & mask) {
      const slot = table[at]!;
      if (slot === EMPTY) return -1;
      const i = slot * IDENTITY;
      const ids = this.identities;
      if (ids[i] === id && ids[i + 1] === src && ids[i + 2] === dst && ids[i + 3] === ports && ids[i + 4] === protocolKinds) return slot;
    }
  }

  /** Indexes `slot` under an identity no indexed slot has (the caller found none). */
  insert(slot: number, id: number, protocolKinds: number, src: number, dst: number, ports: number): void {
    if ((slot + 1) * IDENTITY > this.identities.length) this.growSlots(slot + 1);
    const i = slot * IDENTITY;
    const ids = this.identities;
    ids[i] = id;
    ids[i + 1] = src;
    ids[i + 2] = dst;
    ids[i + 3] = ports;
    ids[i + 4] = protocolKinds;
    if ((this.count + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    this.place(slot);
    this.count++;
  }

  /** Removes `slot` (indexed) from the index. */
  remove(slot: number): void {
    const table = this.table;
    const mask = this.mask;
    let at = this.homeOf(slot);
    while (table[at] !== slot) {
      if (table[at] === EMPTY) throw new Error(`Ipv4FlowIndex: slot ${slot} is not indexed`);
      at = (at + 1) & mask;
    }
    // Backward shift: pull later entries of the run into the hole when their home allows it.
    let hole = at;
    for (let next = (hole + 1) & mask; table[next] !== EMPTY; next = (next + 1) & mask) {
      const moved = table[next]!;
      const home = this.homeOf(moved);
      // `moved` may fill the hole unless its home lies cyclically in (hole, next].
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        table[hole] = moved;
        hole = next;
      }
    }
    table[hole] = EMPTY;
    this.count--;
  }

  /** Calls `visit` with every indexed slot (table order); `visit` may remove the slot it is given. */
  forEachSlot(visit: (slot: number) => void): void {
    // Removal shifts later entries back, so collect first.
    const slots = new Int32Array(this.count);
    let n = 0;
    for (let at = 0; at < this.table.length; at++) if (this.table[at] !== EMPTY) slots[n++] = this.table[at]!;
    for (let i = 0; i < n; i++) visit(slots[i]!);
  }

  /** The identity of indexed `slot`. */
  identityOf(slot: number): Ipv4FlowIdentity {
    const i = slot * IDENTITY;
    const ids = this.identities;
    return { id: ids[i]!, protocolKinds: ids[i + 4]!, src: ids[i + 1]!, dst: ids[i + 2]!, ports: ids[i + 3]! };
  }

  clear(): void {
    this.table.fill(EMPTY);
    this.count = 0;
  }

  /** Table position `slot`'s identity hashes to. */
  private homeOf(slot: number): number {
    const i = slot * IDENTITY;
    const ids = this.identities;
    return hashOf(ids[i]!, ids[i + 4]!, ids[i + 1]!, ids[i + 2]!, ids[i + 3]!) & this.mask;
  }

  private place(slot: number): void {
    const table = this.table;
    const mask = this.mask;
    let at = this.homeOf(slot);
    while (table[at] !== EMPTY) at = (at + 1) & mask;
    table[at] = slot;
  }

  private rehash(size: number): void {
    const old = this.table;
    this.table = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    for (let at = 0; at < old.length; at++) if (old[at] !== EMPTY) this.place(old[at]!);
  }

  private growSlots(need: number): void {
    const grown = new Uint32Array(Math.max(need, (this.identities.length / IDENTITY) * 2, 1024) * IDENTITY);
    grown.set(this.identities);
    this.identities = grown;
  }
}
