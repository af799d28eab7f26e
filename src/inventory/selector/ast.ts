/**
 * The selector AST: an immutable discriminated union, plus builders that keep the invariants the
 * rest of the module relies on (set members sorted by code point and de-duplicated, `and`/`or`
 * never empty, every node frozen so a cached tree can be shared safely).
 *
 * The node set mirrors libcalico-go's parser/ast.go one-to-one. Parentheses leave no node behind
 * and an even run of `!` leaves none either, exactly as Calico's parser does, so the canonical
 * string (canonical.ts) comes out the same as Calico's `String()`.
 */

/** Label key Calico adds to every namespaced endpoint/network set; `global()` tests its absence. */
export const NAMESPACE_LABEL = 'projectcalico.org/namespace';

export interface AllNode { readonly kind: 'all' }
export interface GlobalNode { readonly kind: 'global' }
export interface HasNode { readonly kind: 'has'; readonly key: string }
export interface EqNode { readonly kind: 'eq'; readonly key: string; readonly value: string }
export interface NeqNode { readonly kind: 'neq'; readonly key: string; readonly value: string }
export interface ContainsNode { readonly kind: 'contains'; readonly key: string; readonly value: string }
export interface StartsWithNode { readonly kind: 'startsWith'; readonly key: string; readonly value: string }
export interface EndsWithNode { readonly kind: 'endsWith'; readonly key: string; readonly value: string }
/** `values` is sorted by code point (= Go's byte order) and free of duplicates. */
export interface InNode { readonly kind: 'in'; readonly key: string; readonly values: readonly string[] }
/** `values` is sorted by code point (= Go's byte order) and free of duplicates. */
export interface NotInNode { readonly kind: 'notIn'; readonly key: string; readonly values: readonly string[] }
export interface NotNode { readonly kind: 'not'; readonly operand: SelectorNode }
/** At least one operand; n-ary and left-to-right, like Calico's AndNode. */
export interface AndNode { readonly kind: 'and'; readonly operands: readonly SelectorNode[] }
/** At least one operand; n-ary and left-to-right, like Calico's OrNode. */
export interface OrNode { readonly kind: 'or'; readonly operands: readonly SelectorNode[] }

export type SelectorNode =
  | AllNode | GlobalNode | HasNode
  | EqNode | NeqNode | ContainsNode | StartsWithNode | EndsWithNode
  | InNode | NotInNode
  | NotNode | AndNode | OrNode;

/** Node kinds that test a single label against a single string. */
export type ValueNode = EqNode | NeqNode | ContainsNode | StartsWithNode | EndsWithNode;
/** Node kinds that read a label key. */
export type KeyedNode = HasNode | ValueNode | InNode | NotInNode;

/**
 * Orders strings by Unicode code point, which is the order Go's sort.Strings gives over UTF-8
 * bytes. Plain `<` on JS strings compares UTF-16 units and would put U+E000..U+FFFF after
 * astral characters, so the canonical form of such a set would differ from Calico's.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a code point above U+FFFF, so it sorts after any other BMP unit.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorted, de-duplicated, frozen copy of a set literal's members. */
export function normaliseSet(values: Iterable<string>): readonly string[] {
  const out = [...new Set(values)].sort(compareCodePoints);
  return Object.freeze(out);
}

const ALL: AllNode = Object.freeze({ kind: 'all' });
const GLOBAL: GlobalNode = Object.freeze({ kind: 'global' });

function nonEmpty(kind: string, operands: readonly SelectorNode[]): readonly SelectorNode[] {
  // Calico's AndNode/OrNode index Operands[0] unconditionally; an empty one is a programming error.
  if (operands.length === 0) throw new RangeError(`selector '${kind}' node needs at least one operand`);
  return Object.freeze([...operands]);
}

/**
 * Builders for AST nodes. Use these rather than object literals: they freeze the node and
 * normalise set literals, which the canonical form and the compiled matcher rely on.
 */
export const nodes = Object.freeze({
  all: (): AllNode => ALL,
  global: (): GlobalNode => GLOBAL,
  has: (key: string): HasNode => Object.freeze({ kind: 'has', key }),
  eq: (key: string, value: string): EqNode => Object.freeze({ kind: 'eq', key, value }),
  neq: (key: string, value: string): NeqNode => Object.freeze({ kind: 'neq', key, value }),
  contains: (key: string, value: string): ContainsNode => Object.freeze({ kind: 'contains', key, value }),
  startsWith: (key: string, value: string): StartsWithNode => Object.freeze({ kind: 'startsWith', key, value }),
  endsWith: (key: string, value: string): EndsWithNode => Object.freeze({ kind: 'endsWith', key, value }),
  in: (key: string, values: Iterable<string>): InNode => Object.freeze({ kind: 'in', key, values: normaliseSet(values) }),
  notIn: (key: string, values: Iterable<string>): NotInNode =>
    Object.freeze({ kind: 'notIn', key, values: normaliseSet(values) }),
  not: (operand: SelectorNode): NotNode => Object.freeze({ kind: 'not', operand }),
  and: (operands: readonly SelectorNode[]): AndNode => Object.freeze({ kind: 'and', operands: nonEmpty('and', operands) }),
  or: (operands: readonly SelectorNode[]): OrNode => Object.freeze({ kind: 'or', operands: nonEmpty('or', operands) }),
});

/** True for the node kinds that carry a label key (used by the rewrites and key extraction). */
export function isKeyed(node: SelectorNode): node is KeyedNode {
  switch (node.kind) {
    case 'all': case 'global': case 'not': case 'and': case 'or':
      return false;
    default:
      return true;
  }
}
