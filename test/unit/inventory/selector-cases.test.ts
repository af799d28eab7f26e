// The match/no-match table of docs/policy-semantics.md §1.7 (from libcalico-go parser_test.go plus the
// † cases), and the extra valid spellings from tokenizer_test.go. Every case is evaluated both on
// the parsed selector and on the re-parse of its canonical string, as Calico's own test does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSelector, parseSelectorAst } from '../../../src/inventory/selector/index.ts';

const labels = (o: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(o));

type Case = readonly [id: string, selector: string, labels: Record<string, string>, match: boolean];

const SQ = `a in {"'", '"', "c"}`;
const NSQ = `a not in {"'", '"', "c"}`;

const CASES: readonly Case[] = [
  ['1', 'a == "b"', { a: 'b' }, true],
  ['2', 'a == "b"', { a: 'b', c: 'd' }, true],
  ['3', 'a == "b"', {}, false],
  ['4', 'a == "b"', { a: 'c' }, false],
  ['5', 'a == "b"', { c: 'd' }, false],
  ['6', 'a == "b" && c == "d"', { a: 'b', c: 'd' }, true],
  ['7', 'a == "b" && c == "d"', { a: 'b', c: 'e' }, false],
  ['8', 'a == "b" && c == "d"', { a: 'b' }, false],
  ['9', 'a == "b" || c == "d"', { c: 'd' }, true],
  ['10', 'a == "b" || c == "d"', { a: 'e', c: 'e' }, false],
  ['11', SQ, { a: 'c' }, true],
  ['12', SQ, { a: '"' }, true],
  ['13', SQ, { a: "'" }, true],
  ['14', SQ, {}, false],
  ['15', NSQ, {}, true],
  ['16', NSQ, { a: 'e' }, true],
  ['17', NSQ, { a: 'c' }, false],
  ['18', "a == 'a'", { a: 'a' }, true],
  ['19', 'a != "b"', { a: 'a' }, true],
  ['20', 'a != "a"', {}, true],
  ['21', 'a != "a"', { a: 'a' }, false],
  ['22', 'a contains "a"', { a: 'bab' }, true],
  ['23', 'a contains "a"', { b: 'aaa' }, false],
  ['24', 'a starts with "a"', { a: 'abb' }, true],
  ['25', 'a starts with "a"', { a: 'baa' }, false],
  ['26', 'a ends with "a"', { a: 'bba' }, true],
  ['27', 'a ends with "a"', { a: 'aab' }, false],
  ['28', '!a in {"a"}', { a: 'b' }, true],
  ['29', 'a in {"a", "b"}', { a: 'b' }, true],
  ['30', 'a in {"a", "b"}', { a: 'c' }, false],
  ['31', 'a not in {"d", "e"}', { a: 'a' }, true],
  ['32', 'a not in {"a"}', { a: 'a' }, false],
  ['33', 'has(a)', { a: 'b' }, true],
  ['34', 'has(b)', { a: 'b' }, false],
  ['35', '!has(a)', { b: 'b' }, true],
  ['36', '!has(a)', { a: 'b' }, false],
  ['37', '!!has(b)', { a: 'b' }, false],
  ['38', '!!! has(a)', { a: 'b' }, false],
  ['39', '', {}, true],
  ['40', '', { a: 'b' }, true],
  ['41', ' ', {}, true],
  ['42a', 'all()', { a: 'b' }, true],
  ['42b', ' all()', { a: 'b' }, true],
  ['43', 'global()', { a: 'b' }, true],
  ['44', "a == 'a1' && b != 'b1'", { a: 'a1', b: 'b1' }, false],
  ['45', "a != 'a1' && !b == 'b1'", { a: 'a1', b: 'b1' }, false],
  ['46', 'has(a) && !has(b)', { a: 'a' }, true],
  ['47', '!(!has(a) || has(b))', { a: 'a' }, true],
  ['48', '!(has(b) || !has(a))', { a: 'a' }, true],
  ['49', "a == 'a1' || b != 'b1'", { a: 'a1', b: 'b1' }, true],
  ['50', "a != 'a1' || b != 'b1'", { a: 'a1', b: 'b1' }, false],
  ['51', "! a == 'a1' || ! b == 'b1'", { a: 'a1', b: 'b1' }, false],
  ['52†', 'a in {}', { a: '' }, false],
  ['53†', 'a not in {}', {}, true],
  ['54†', 'a in {"x",}', { a: 'x' }, true],
  ['55†', 'a == ""', {}, false],
  ['56†', 'a == ""', { a: '' }, true],
  ['57†', 'has(a) && a != "x"', {}, false],
  ['58†', "a notin {'x'}", { a: 'y' }, true],
];

describe('selector §1.7 cases', () => {
  for (const [id, selector, lbls, expected] of CASES) {
    it(`#${id} ${JSON.stringify(selector)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(lbls)}`, () => {
      const sel = parseSelector(selector);
      assert.equal(sel.matches(labels(lbls)), expected);
      // Calico's test re-parses the canonical string and expects the same verdict.
      const again = parseSelector(sel.canonical);
      assert.equal(again.matches(labels(lbls)), expected);
      assert.equal(again.canonical, sel.canonical, 'canonical form is a fixed point');
    });
  }
});

describe('selector: further parser_test.go rows', () => {
  const rows: readonly Case[] = [
    ['and-1', "a == 'a1' && b == 'b1'", { a: 'a1', b: 'b1' }, true],
    ['and-3', "a != 'a1' && b == 'b1'", { a: 'a1', b: 'b1' }, false],
    ['and-4', "a != 'a1' && b != 'b1'", { a: 'a1', b: 'b1' }, false],
    ['and-6', "!a == 'a1' && b == 'b1'", { a: 'a1', b: 'b1' }, false],
    ['and-8', '!has(b) && has(a)', { a: 'a' }, true],
    ['or-3', "a != 'a1' || b == 'b1'", { a: 'a1', b: 'b1' }, true],
    ['not-1', '! has(a)', { a: 'b' }, false],
    ['not-2', '!!!has(a)', { a: 'b' }, false],
    ['not-3', '!! ! has(a)', { a: 'b' }, false],
    ['not-4', '! !!has(a)', { a: 'b' }, false],
    ['contains', 'a contains "a"', { a: 'aaa', b: 'c' }, true],
    ['contains-empty', 'a contains "a"', {}, false],
    ['starts', 'a starts with "a"', { b: 'aaa' }, false],
    ['ends', 'a ends with "a"', { a: 'b' }, false],
    ['global-empty', ' global()', {}, true],
    ['in-miss', 'a in {"a"}', { a: 'b' }, false],
  ];
  for (const [id, selector, lbls, expected] of rows) {
    it(`${id}: ${JSON.stringify(selector)} on ${JSON.stringify(lbls)} → ${expected}`, () => {
      assert.equal(parseSelector(selector).matches(labels(lbls)), expected);
    });
  }
});

describe('selector: valid spellings from tokenizer_test.go', () => {
  const long = 'x'.repeat(512);
  const valid: readonly (readonly [string, string])[] = [
    ['a!="b"', 'a != "b"'],
    ['a=="b"', 'a == "b"'],
    ['(a=="b")', 'a == "b"'],
    ['label contains"value"', 'label contains "value"'],
    ['label startswith "value"', 'label starts with "value"'],
    ['label starts  with "value"', 'label starts with "value"'],
    ['label starts\twith "value"', 'label starts with "value"'],
    ['label endswith "value"', 'label ends with "value"'],
    ['has(calico/k8s_NS-.1/role)', 'has(calico/k8s_NS-.1/role)'],
    ['calico/k8s_ns == "kube-system" && k8s-app == "kube-dns"', '(calico/k8s_ns == "kube-system" && k8s-app == "kube-dns")'],
    [`${long} == "v"`, `${long} == "v"`],
    [`has(${long})`, `has(${long})`],
    ['contains contains "contains"', 'contains contains "contains"'],
    ['in == "x"', 'in == "x"'],
    ['not in {"x"}', 'not in {"x"}'],
    ['has == "x" && all != "y"', '(has == "x" && all != "y")'],
    ['-1 == "x"', '-1 == "x"'],
    ['a notin{"x"}', 'a not in {"x"}'],
    ['a in{"x"}', 'a in {"x"}'],
    ['\ta == "b"\t', 'a == "b"'],
  ];
  for (const [input, canonical] of valid) {
    it(`accepts ${JSON.stringify(input.length > 60 ? `${input.slice(0, 20)}…` : input)}`, () => {
      assert.equal(parseSelector(input).canonical, canonical);
    });
  }

  it('tokenises `a notin"bar"&&!has(foo)||b in"c"` but rejects it in the parser (set literal required)', () => {
    // The tokenizer gets through the whole string; the parser then fails at the first `"bar"`.
    assert.throws(() => parseSelectorAst('a notin"bar"&&!has(foo)||b in"c"'),
      (e: unknown) => e instanceof Error && 'column' in e && e.column === 8 && /expected '\{' after 'not in'/.test(e.message));
  });
});
