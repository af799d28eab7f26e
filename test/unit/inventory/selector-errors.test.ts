// Selectors Calico rejects (docs/policy-semantics.md §1.8), and the columns/reasons SelectorError reports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NESTING, SelectorError, parseSelector, parseSelectorAst } from '../../../src/inventory/selector/index.ts';

function errorOf(selector: string): SelectorError {
  try {
    parseSelectorAst(selector);
  } catch (e) {
    assert.ok(e instanceof SelectorError, `expected SelectorError, got ${String(e)}`);
    return e;
  }
  assert.fail(`selector ${JSON.stringify(selector)} was accepted`);
}

const PARSER_TEST_BAD = [
  'b == b', 'b contains b', 'b starts with b', 'b ends with b', "'b1' == b", 'b', 'a b', '!',
  'foo == "bar" &', 'foo == "bar" |', 'foo != ||', 'foo in {"", ||', 'foo in ""', '"FOO', `"FOO'`,
  "'FOO", '(', '(a == "foo"', ')', '()', '%', 'a == "b" && %', 'a == "b" || %', 'a ', 'has(foo) &&',
];
const TOKENIZER_TEST_BAD = [
  `${'x'.repeat(513)} == "v"`, 'label == "value', "label == 'value", 'label = "value"', 'all(', 'global(',
  'has()', 'has(foo', 'has( foo ', 'a == "b" & has(foo)', 'a == "b" | has(foo)', 'label starts foo "value"',
  'label inf "value"', 'label ends foo "value"', 'label ends withs "value"', 'label squiggles "value"',
];
const DERIVED_BAD = [
  'has (a)', 'all ()', 'a == "b"\n', '\na == "b"', 'a == "b" &&\nc == "d"', "a in {'x' 'y'}", "a == 'b' c == 'd'",
  "a.b == 'x' && ",
];
const EXTRA_BAD = [
  'a == "b" && && c == "d"', 'a in {"x",,}', 'a in {,}', 'a in {"x"', 'a not in "x"', 'a startswith b',
  'a == "b" ()', '!= "b"', 'a\r== "b"', 'a\u00a0== "b"', 'a:b == "c"', 'has(a:b)', `has(${'x'.repeat(513)})`,
  'a containsx "b"', 'a in"c"', 'global() all()', 'a == "b")', '((a == "b")', 'a === "b"', 'a ! = "b"',
];

describe('selector rejects every §1.8 selector with a SelectorError', () => {
  for (const [source, list] of [['parser_test.go', PARSER_TEST_BAD], ['tokenizer_test.go', TOKENIZER_TEST_BAD],
    ['derived', DERIVED_BAD], ['extra', EXTRA_BAD]] as const) {
    for (const bad of list) {
      it(`${source}: ${JSON.stringify(bad.length > 40 ? `${bad.slice(0, 12)}…${bad.slice(-12)}` : bad)}`, () => {
        const err = errorOf(bad);
        assert.equal(err.selector, bad);
        assert.ok(err.column >= 1 && err.column <= bad.length + 1, `column ${err.column} inside 1..${bad.length + 1}`);
        assert.ok(err.reason.length > 0);
        // parseSelector goes through the same parser and must not cache a failure.
        assert.throws(() => parseSelector(bad), SelectorError);
        assert.throws(() => parseSelector(bad), SelectorError);
      });
    }
  }
});

describe('SelectorError columns and reasons', () => {
  const table: readonly (readonly [selector: string, column: number, reason: RegExp])[] = [
    ['a == ', 6, /^expected a quoted string after '=='$/],
    ['b == b', 6, /^expected a quoted string after '=='$/],
    ['a != 5', 6, /^expected a quoted string after '!='$/],
    ['a contains b', 12, /^expected a quoted string after 'contains'$/],
    ['a starts with b', 15, /^expected a quoted string after 'starts with'$/],
    ['a ends  with b', 14, /^expected a quoted string after 'ends with'$/],
    ["'b1' == b", 1, /^unexpected string 'b1'/],
    ['b', 2, /^expected an operator after label 'b'/],
    ['a ', 3, /^expected an operator after label 'a'/],
    ['a b', 3, /^expected an operator after label 'a'/],
    ['label squiggles "value"', 7, /^expected an operator after label 'label'/],
    ['label ends withs "value"', 7, /^expected an operator after label 'label'/],
    ['!', 2, /^unexpected end of selector/],
    ['has(foo) &&', 12, /^unexpected end of selector/],
    ['foo == "bar" &', 14, /lone '&'/],
    ['foo == "bar" |', 14, /lone '\|'/],
    ['label = "value"', 7, /lone '='/],
    ['foo != ||', 8, /^expected a quoted string after '!='$/],
    ['foo in ""', 8, /^expected '\{' after 'in'/],
    ['a not in "x"', 10, /^expected '\{' after 'not in'/],
    ['foo in {"", ||', 13, /^expected a quoted string or '\}' in set/],
    ["a in {'x' 'y'}", 11, /^expected ',' or '\}' in set/],
    ['a in {"x"', 10, /^expected ',' or '\}' in set/],
    ['"FOO', 1, /^unterminated string literal/],
    ['label == \'value', 10, /^unterminated string literal/],
    [`"FOO'`, 1, /^unterminated string literal/],
    ['(', 2, /^unexpected end of selector/],
    ['(a == "foo"', 12, /^expected '\)' to close the '\(' at column 1/],
    [')', 1, /^unexpected '\)'/],
    ['()', 2, /^unexpected '\)'/],
    ['a == "b")', 9, /^unexpected '\)' without a matching '\('/],
    ['%', 1, /^unexpected character "%"/],
    ['a == "b" && %', 13, /^unexpected character "%"/],
    ['\na == "b"', 1, /^unexpected character "\\n"/],
    ['a == "b" c == "d"', 10, /^unexpected label 'c' at end of selector/],
    ['has()', 5, /^expected a label name inside has/],
    ['has(foo', 8, /^expected '\)' to close has\(/],
    ['has( foo ', 10, /^expected '\)' to close has\(/],
    ['all(', 5, /^expected '\)' after all\(/],
    ['global( x)', 9, /^expected '\)' after global\(/],
    ['has (a)', 5, /^expected an operator after label 'has'/],
    [`${'k'.repeat(513)} == "v"`, 1, /^label too long \(513 characters, maximum is 512\)/],
    [`has( ${'k'.repeat(600)})`, 6, /^label too long \(600 characters/],
  ];
  for (const [selector, column, reason] of table) {
    it(`${JSON.stringify(selector.length > 40 ? `${selector.slice(0, 10)}…` : selector)} → column ${column}`, () => {
      const err = errorOf(selector);
      assert.equal(err.column, column);
      assert.match(err.reason, reason);
    });
  }

  it('formats the message as the API documents', () => {
    const err = errorOf('a == ');
    assert.equal(err.message, "selector 'a == ' column 6: expected a quoted string after '=='");
    assert.equal(err.name, 'SelectorError');
    assert.ok(err instanceof Error);
  });

  it('escapes control characters in the message but keeps the raw selector', () => {
    const err = errorOf('a == "b" &&\nc == "d"');
    assert.equal(err.column, 12);
    assert.ok(!err.message.includes('\n'));
    assert.ok(err.message.includes('&&\\nc'));
    assert.equal(err.selector, 'a == "b" &&\nc == "d"');
  });

  it('accepts parentheses nested to the limit and rejects one level deeper without a stack overflow', () => {
    const nest = (n: number): string => `${'('.repeat(n)}a == "b"${')'.repeat(n)}`;
    assert.equal(parseSelector(nest(MAX_NESTING)).canonical, 'a == "b"');
    const err = errorOf(nest(MAX_NESTING + 1));
    assert.equal(err.column, MAX_NESTING + 1);
    assert.match(err.reason, /nested deeper than/);
  });

  it('handles a long run of "!" iteratively', () => {
    assert.equal(parseSelector(`${'!'.repeat(100_001)}has(a)`).canonical, '!has(a)');
    assert.equal(parseSelector(`${'!'.repeat(100_000)}has(a)`).canonical, 'has(a)');
  });
});
