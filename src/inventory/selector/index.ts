/**
 * Calico label selectors: the public API.
 *
 * Text is tokenized and parsed exactly as libcalico-go's `lib/selector` does (the spec is
 * docs/policy-semantics.md §1), yielding an immutable AST. `compileSelector` turns an AST
 * into a `Selector` whose `matches` is a pre-compiled closure for the hot path and whose
 * `canonical` is Calico's `String()` form. The rewrite helpers implement the AST side of the
 * update processors' selector rewrites (§1.9); which rewrite applies where is the policy
 * engine's business.
 */
import type { SelectorNode } from './ast.ts';
import { canonicalString } from './canonical.ts';
import { compileMatcher, type Labels } from './compile.ts';
import { parseAst } from './parser.ts';

export type {
  SelectorNode, AllNode, GlobalNode, HasNode, EqNode, NeqNode, ContainsNode, StartsWithNode,
  EndsWithNode, InNode, NotInNode, NotNode, AndNode, OrNode,
} from './ast.ts';
export { NAMESPACE_LABEL, nodes } from './ast.ts';
export type { Labels } from './compile.ts';
export { SelectorError } from './errors.ts';
export { MAX_LABEL_LENGTH, isValidLabelKey } from './tokenizer.ts';
export { MAX_NESTING } from './parser.ts';
export { andSelectors, prefixLabelKeys, replaceAll, replaceGlobal, labelKeysOf } from './rewrite.ts';

/** A parsed and compiled selector. */
export interface Selector {
  readonly ast: SelectorNode;
  /** Calico's canonical `String()` form (§1.6); equal selectors share it, so it works as a cache key. */
  readonly canonical: string;
  /**
   * True if an endpoint with these effective labels is selected. A plain closure (no `this`), so
   * it may be passed around detached; it does not allocate.
   */
  matches(labels: Labels): boolean;
}

/**
 * Parses selector text into its AST without compiling it.
 * @throws SelectorError with a 1-based column for any selector Calico rejects.
 */
export function parseSelectorAst(text: string): SelectorNode {
  return parseAst(text);
}

/**
 * Compiles an AST (from the parser, the `nodes` builders or the rewrite helpers) into a Selector.
 * @throws RangeError for an `and`/`or` node without operands (the builders prevent that).
 */
export function compileSelector(ast: SelectorNode): Selector {
  const matches = compileMatcher(ast);
  return Object.freeze({ ast, canonical: canonicalString(ast), matches });
}

/** Most selectors kept by parseSelector; a cluster has far fewer distinct selectors than this. */
export const SELECTOR_CACHE_LIMIT = 10_000;

const cache = new Map<string, Selector>();

/**
 * Parses and compiles selector text, memoised by the exact source text so the many policies that
 * repeat a selector share one compiled closure. The cache is bounded: once full, the least
 * recently used entry is dropped. Failures are not cached.
 * @throws SelectorError with a 1-based column for any selector Calico rejects.
 */
export function parseSelector(text: string): Selector {
  const hit = cache.get(text);
  if (hit !== undefined) {
    // Re-insert to mark it most recently used (Map keeps insertion order).
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const sel = compileSelector(parseAst(text));
  if (cache.size >= SELECTOR_CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(text, sel);
  return sel;
}

/** Number of selectors currently memoised by parseSelector (for metrics and tests). */
export function selectorCacheSize(): number {
  return cache.size;
}

/** Empties parseSelector's memo (tests, or after a bulk policy reload). */
export function clearSelectorCache(): void {
  cache.clear();
}
