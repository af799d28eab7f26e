// Canonical strings (docs/policy-semantics.md §1.6), taken from parser_test.go's canonicalisation and
// visitor tables, plus the rules the section states.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileSelector, nodes, parseSelector } from '../../../src/inventory/selector/index.ts';

const CANONICAL: readonly (readonly [input: string, canonical: string])[] = [
  // parser_test.go canonicalisationTests
  ['', 'all()'],
  [' all() ', 'all()'],
  [' (all() )', 'all()'],
  ['! (has( b)||! has(a ))', '!(has(b) || !has(a))'],
  ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")'],
  [`a == "'"`, `a == "'"`],
  [`a == '"'`, `a == '"'`],
  [`a contains '"'`, `a contains '"'`],
  [`a contains "'"`, `a contains "'"`],
  [`a startswith '"'`, `a starts with '"'`],
  [`a endswith "'"`, `a ends with "'"`],
  [`a!='"'`, `a != '"'`],
  ['a in {"d"}', 'a in {"d"}'],
  ['a in {"a", "b"}', 'a in {"a", "b"}'],
  ['a in {"d", "a", "b"}', 'a in {"a", "b", "d"}'],
  ['a in {"z", "x", "y", "a"}', 'a in {"a", "x", "y", "z"}'],
  ['a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}'],
  // §1.6 rules
  ["a == 'b'", 'a == "b"'],
  ['a not in {"x", \'"\', "x",}', `a not in {'"', "x"}`],
  ['a notin {}', 'a not in {}'],
  ['a in {}', 'a in {}'],
  ['a starts   with "x"', 'a starts with "x"'],
  ['a ends\twith "x"', 'a ends with "x"'],
  ['!!has(a)', 'has(a)'],
  ['!!!has(a)', '!has(a)'],
  ["!(a == 'v')", '!a == "v"'],
  ['global( )', 'global()'],
  ['has(a)&&has(b)||has(c)', '((has(a) && has(b)) || has(c))'],
  ['has(a)||has(b)&&has(c)', '(has(a) || (has(b) && has(c)))'],
  ['(has(a) && has(b)) && has(c)', '((has(a) && has(b)) && has(c))'],
  ['has(a) && has(b) && has(c)', '(has(a) && has(b) && has(c))'],
  ['((((a == "b"))))', 'a == "b"'],
  ['a in {"b", "B", "a", "-", "_"}', 'a in {"-", "B", "_", "a", "b"}'],
  // visitor table's complex selector, unprefixed
  ["!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))", '!(!((k == "v" && has(t)) || all()) && a in {"b", "c"})'],
];

describe('canonical form', () => {
  for (const [input, expected] of CANONICAL) {
    it(`${JSON.stringify(input)} → ${expected}`, () => {
      const sel = parseSelector(input);
      assert.equal(sel.canonical, expected);
      // Round trip: the canonical string parses to the same canonical string and AST.
      const again = parseSelector(expected);
      assert.equal(again.canonical, expected);
      assert.deepEqual(again.ast, sel.ast);
    });
  }

  it('sorts set members by code point as Go does on UTF-8 bytes, not by UTF-16 unit', () => {
    // U+FF21 (fullwidth A) is below U+1F600 as a code point but above its surrogates in UTF-16.
    const sel = parseSelector('a in {"😀", "Ａ", "z"}');
    assert.equal(sel.canonical, 'a in {"z", "Ａ", "😀"}');
  });

  it('quotes a value containing both quote kinds with single quotes, as Calico does', () => {
    // Unparseable (there are no escapes), but only reachable through a hand-built AST.
    assert.equal(compileSelector(nodes.eq('a', `x"y'z`)).canonical, `a == 'x"y'z'`);
  });

  it('renders a single-operand and/or node in parentheses, as Calico would', () => {
    assert.equal(compileSelector(nodes.and([nodes.has('a')])).canonical, '(has(a))');
  });

  it('gives equal canonical strings for differently spelled equal selectors', () => {
    const spellings = ["a=='x'&&!has(b)", '( a == "x" ) && ! has( b )', "a == 'x' && !!!has(b)"];
    const canon = new Set(spellings.map((s) => parseSelector(s).canonical));
    assert.deepEqual([...canon], ['(a == "x" && !has(b))']);
  });
});
