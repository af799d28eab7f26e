/**
 * Longest-prefix match over IPv4 and IPv6 CIDRs: one hash map per prefix length, probed from the
 * longest present length down. With the handful of distinct prefix lengths real network sets use
 * this is a few map lookups per address, and updates are O(1).
 */
import { maskWords, type Cidr, type IpAddr } from '../model/ip.ts';

interface Family<T> {
  /** prefix length → masked-network key → values stored under that exact CIDR. */
  readonly byLength: Map<number, Map<string | number, T[]>>;
  /** Present prefix lengths, longest first. */
  lengths: number[];
}

function keyOf(version: 4 | 6, words: readonly number[]): string | number {
  return version === 4 ? (words[0] as number) : words.join(':');
}

export class PrefixTable<T> {
  private readonly v4: Family<T> = { byLength: new Map(), lengths: [] };
  private readonly v6: Family<T> = { byLength: new Map(), lengths: [] };
  private count = 0;

  get size(): number {
    return this.count;
  }

  private family(version: 4 | 6): Family<T> {
    return version === 4 ? this.v4 : this.v6;
  }

  add(cidr: Cidr, value: T): void {
    const fam = this.family(cidr.version);
    let byKey = fam.byLength.get(cidr.prefix);
    if (!byKey) {
      byKey = new Map();
      fam.byLength.set(cidr.prefix, byKey);
      fam.lengths = [...fam.byLength.keys()].sort((a, b) => b - a);
    }
    const key = keyOf(cidr.version, cidr.words);
    const list = byKey.get(key);
    if (list) list.push(value);
    else byKey.set(key, [value]);
    this.count++;
  }

  /** Removes one occurrence of `value` stored under exactly `cidr`; false if absent. */
  remove(cidr: Cidr, value: T): boolean {
    const fam = this.family(cidr.version);
    const byKey = fam.byLength.get(cidr.prefix);
    if (!byKey) return false;
    const key = keyOf(cidr.version, cidr.words);
    const list = byKey.get(key);
    const i = list ? list.indexOf(value) : -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    this.count--;
    if (list.length === 0) {
      byKey.delete(key);
      if (byKey.size === 0) {
        fam.byLength.delete(cidr.prefix);
        fam.lengths = [...fam.byLength.keys()].sort((a, b) => b - a);
      }
    }
    return true;
  }

  private probe(fam: Family<T>, addr: IpAddr, len: number): T[] | undefined {
    const byKey = fam.byLength.get(len) as Map<string | number, T[]>;
    if (addr.version === 4) {
      const w = addr.words[0] as number;
      return byKey.get(len === 0 ? 0 : len >= 32 ? w : (w & (0xffffffff << (32 - len))) >>> 0);
    }
    return byKey.get(keyOf(addr.version, maskWords(addr.words, len)));
  }

  /** Values of the longest prefix containing `addr` (with its length), or undefined. */
  longest(addr: IpAddr): { prefix: number; values: readonly T[] } | undefined {
    const fam = this.family(addr.version);
    for (const len of fam.lengths) {
      const hit = this.probe(fam, addr, len);
      if (hit) return { prefix: len, values: hit };
    }
    return undefined;
  }

  /** Every value whose CIDR contains `addr`, longest prefix first. */
  containing(addr: IpAddr): T[] {
    const fam = this.family(addr.version);
    const out: T[] = [];
    for (const len of fam.lengths) {
      const hit = this.probe(fam, addr, len);
      if (hit) out.push(...hit);
    }
    return out;
  }
}
