// Token streams for the lexical rules of docs/policy-semantics.md §1.2 (cases modelled on
// libcalico-go tokenizer_test.go), including the source offsets errors are reported from.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isValidLabelKey, tokenize } from '../../../src/inventory/selector/tokenizer.ts';

const kinds = (src: string): string[] => tokenize(src).map((t) => (t.value === '' ? t.kind : `${t.kind}(${t.value})`));

describe('tokenize', () => {
  const rows: readonly (readonly [string, readonly string[]])[] = [
    ['', ['eof']],
    [' \t ', ['eof']],
    ['a=="b"', ['label(a)', 'eq', 'string(b)', 'eof']],
    ['a!="b"', ['label(a)', 'ne', 'string(b)', 'eof']],
    ['(a=="b")', ['lparen', 'label(a)', 'eq', 'string(b)', 'rparen', 'eof']],
    ['label contains"value"', ['label(label)', 'contains', 'string(value)', 'eof']],
    ['label startswith "value"', ['label(label)', 'startsWith', 'string(value)', 'eof']],
    ['label starts  with "value"', ['label(label)', 'startsWith', 'string(value)', 'eof']],
    ['label ends with "value"', ['label(label)', 'endsWith', 'string(value)', 'eof']],
    ['label endswith "value"', ['label(label)', 'endsWith', 'string(value)', 'eof']],
    ['a notin"bar"&&!has(foo)||b in"c"',
      ['label(a)', 'notIn', 'string(bar)', 'and', 'not', 'has(foo)', 'or', 'label(b)', 'in', 'string(c)', 'eof']],
    ['a not in {"x", \'y\',}', ['label(a)', 'notIn', 'lbrace', 'string(x)', 'comma', 'string(y)', 'comma', 'rbrace', 'eof']],
    ['has( calico/k8s_NS-.1/role )', ['has(calico/k8s_NS-.1/role)', 'eof']],
    ['all( ) global()', ['all', 'global', 'eof']],
    ['!!has(a)', ['not', 'not', 'has(a)', 'eof']],
    // `!` followed by `=` is always `!=`, even where only `!` would make sense.
    ['!=', ['ne', 'eof']],
    // Keywords are not reserved when they appear where a label is expected.
    ['contains contains "contains"', ['label(contains)', 'contains', 'string(contains)', 'eof']],
    ['in in {}', ['label(in)', 'in', 'lbrace', 'rbrace', 'eof']],
    ['has (a)', ['label(has)', 'lparen', 'label(a)', 'rparen', 'eof']],
    ['all ()', ['label(all)', 'lparen', 'rparen', 'eof']],
    // No escapes: a backslash is literal and the other quote kind is plain text.
    [`a == "x\\" && b == 'it"s'`, ['label(a)', 'eq', 'string(x\\)', 'and', 'label(b)', 'eq', 'string(it"s)', 'eof']],
    ['a == "multi word\ttab"', ['label(a)', 'eq', 'string(multi word\ttab)', 'eof']],
  ];
  for (const [src, expected] of rows) {
    it(JSON.stringify(src), () => {
      assert.deepEqual(kinds(src), expected);
    });
  }

  it('records start/end offsets for every token', () => {
    const toks = tokenize(' a  starts with "x" ');
    assert.deepEqual(toks.map((t) => [t.kind, t.start, t.end]),
      [['label', 1, 2], ['startsWith', 4, 15], ['string', 16, 19], ['eof', 20, 20]]);
  });

  it('limits labels to 512 characters', () => {
    assert.deepEqual(kinds(`${'a'.repeat(512)}`), [`label(${'a'.repeat(512)})`, 'eof']);
    assert.throws(() => tokenize('a'.repeat(513)), /label too long/);
  });
});

describe('isValidLabelKey', () => {
  const rows: readonly (readonly [string, boolean])[] = [
    ['app', true], ['projectcalico.org/namespace', true], ['-_./09AZaz', true], ['x'.repeat(512), true],
    ['', false], ['x'.repeat(513), false], ['a b', false], ['a:b', false], ['é', false], ['a"', false],
  ];
  for (const [key, ok] of rows) {
    it(`${JSON.stringify(key.length > 20 ? `${key.length} chars` : key)} → ${ok}`, () => {
      assert.equal(isValidLabelKey(key), ok);
    });
  }
});
