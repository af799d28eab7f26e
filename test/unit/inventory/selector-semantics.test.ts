// Evaluation semantics (docs/policy-semantics.md §1.4–1.5): absent labels, every operator, precedence,
// parentheses, quoting, all()/global(), and the AST shapes the parser produces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  NAMESPACE_LABEL, compileSelector, nodes, parseSelector, parseSelectorAst, type SelectorNode,
} from '../../../src/inventory/selector/index.ts';

const labels = (o: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(o));

type Row = readonly [selector: string, labels: Record<string, string>, expected: boolean];

function table(title: string, rows: readonly Row[]): void {
  describe(title, () => {
    for (const [selector, lbls, expected] of rows) {
      it(`${JSON.stringify(selector)} on ${JSON.stringify(lbls)} → ${expected}`, () => {
        assert.equal(parseSelector(selector).matches(labels(lbls)), expected);
      });
    }
  });
}

table('absent vs present labels (§1.5 table)', [
  ['k == "s"', { k: 's' }, true],
  ['k == "s"', { k: 'S' }, false],
  ['k == "s"', {}, false],
  ['k != "s"', { k: 's' }, false],
  ['k != "s"', { k: 't' }, true],
  ['k != "s"', {}, true],
  ['k != ""', {}, true],
  ['k != ""', { k: '' }, false],
  ['k in {"s", "t"}', { k: 't' }, true],
  ['k in {"s", "t"}', { k: 'u' }, false],
  ['k in {"s", "t"}', {}, false],
  ['k in {}', {}, false],
  ['k in {}', { k: 'x' }, false],
  ['k in {""}', { k: '' }, true],
  ['k in {""}', {}, false],
  ['k not in {"s", "t"}', { k: 's' }, false],
  ['k not in {"s", "t"}', { k: 'u' }, true],
  ['k not in {"s", "t"}', {}, true],
  ['k not in {}', { k: 'x' }, true],
  ['k not in {"s"}', { k: 's' }, false],
  ['k not in {"s"}', {}, true],
  ['has(k)', { k: '' }, true],
  ['has(k)', { kk: 'v' }, false],
  ['!has(k)', { k: '' }, false],
  ['!has(k)', {}, true],
  ['k contains "ell"', { k: 'hello' }, true],
  ['k contains "ELL"', { k: 'hello' }, false],
  ['k contains ""', { k: '' }, true],
  ['k contains ""', {}, false],
  ['k starts with "he"', { k: 'hello' }, true],
  ['k starts with "lo"', { k: 'hello' }, false],
  ['k starts with ""', {}, false],
  ['k ends with "lo"', { k: 'hello' }, true],
  ['k ends with "he"', { k: 'hello' }, false],
  ['k ends with "hello!"', { k: 'hello' }, false],
  ['k ends with ""', {}, false],
  ['k == "é✓"', { k: 'é✓' }, true],
  ['k contains "✓"', { k: 'é✓' }, true],
  ['k == "10"', { k: '010' }, false],
]);

table('all(), global() and the empty selector', [
  ['all()', {}, true],
  ['all( )', { a: 'b' }, true],
  ['!all()', { a: 'b' }, false],
  ['', { [NAMESPACE_LABEL]: 'ns' }, true],
  ['\t \t', {}, true],
  ['global()', {}, true],
  ['global( )', { a: 'b' }, true],
  // Documented choice: global() means "not namespaced", i.e. what Calico rewrites it to.
  ['global()', { [NAMESPACE_LABEL]: 'default' }, false],
  ['!global()', { [NAMESPACE_LABEL]: 'default' }, true],
  ['has(a) && all()', { a: '1' }, true],
  ['has(a) || all()', {}, true],
]);

table('precedence: ! binds tightest, then &&, then ||', [
  // !a == 'x' is !(a == 'x'), so it is true when a is absent (not "(!a) == 'x'", which is invalid).
  ["!a == 'x'", {}, true],
  ["!a == 'x'", { a: 'x' }, false],
  ['!a in {"a"}', {}, true],
  ['!a in {"a"}', { a: 'a' }, false],
  // a || (b && c): true via a alone.
  ["a == '1' || b == '2' && c == '3'", { a: '1' }, true],
  ["a == '1' || b == '2' && c == '3'", { b: '2' }, false],
  ["a == '1' || b == '2' && c == '3'", { b: '2', c: '3' }, true],
  // (a || b) && c would need c; the grammar does not group that way.
  ["b == '2' && c == '3' || a == '1'", { a: '1' }, true],
  ["(a == '1' || b == '2') && c == '3'", { a: '1' }, false],
  ["(a == '1' || b == '2') && c == '3'", { a: '1', c: '3' }, true],
  ['!(has(a) && has(b))', { a: '1' }, true],
  ['!has(a) && has(b)', { a: '1' }, false],
  ['!(has(a) || has(b))', { b: '1' }, false],
  ['!!has(a)', { a: '1' }, true],
  ['!! ! has(a)', { a: '1' }, false],
  ['!(!(has(a)))', { a: '1' }, true],
  ['has(a) && has(b) && has(c) && has(d)', { a: '', b: '', c: '', d: '' }, true],
  ['has(a) && has(b) && has(c) && has(d)', { a: '', b: '', c: '' }, false],
  ['has(a) || has(b) || has(c) || has(d)', { d: '' }, true],
  ['has(a) || has(b) || has(c) || has(d)', { e: '' }, false],
  ['has(a) && has(b) && has(c)', { a: '', b: '' }, false],
  ['has(a) || has(b) || has(c)', { c: '' }, true],
]);

table('quoting: both quote styles, no escapes', [
  ["a == 'x'", { a: 'x' }, true],
  ['a == "x"', { a: 'x' }, true],
  [`a == "it's"`, { a: "it's" }, true],
  [`a == 'say "hi"'`, { a: 'say "hi"' }, true],
  ['a == "back\\slash"', { a: 'back\\slash' }, true],
  ['a == "a b\tc"', { a: 'a b\tc' }, true],
  ['a == "x && y"', { a: 'x && y' }, true],
  ['a == "has(b)"', { a: 'has(b)' }, true],
  ['a in {"x", \'y\'}', { a: 'y' }, true],
  ['a == "\n"', { a: '\n' }, true],
]);

describe('AST shapes', () => {
  const cases: readonly (readonly [string, SelectorNode])[] = [
    ['', nodes.all()],
    ['(((has(a))))', nodes.has('a')],
    ['!!has(a)', nodes.has('a')],
    ['!!!has(a)', nodes.not(nodes.has('a'))],
    ["!a == 'x'", nodes.not(nodes.eq('a', 'x'))],
    ['a != "x"', nodes.neq('a', 'x')],
    ['a contains "x"', nodes.contains('a', 'x')],
    ['a startswith "x"', nodes.startsWith('a', 'x')],
    ['a ends with "x"', nodes.endsWith('a', 'x')],
    ['a in {"z", "y", "z"}', nodes.in('a', ['y', 'z'])],
    ['a not in {}', nodes.notIn('a', [])],
    ['global()', nodes.global()],
    ['has(a) || has(b) && has(c) || has(d)',
      nodes.or([nodes.has('a'), nodes.and([nodes.has('b'), nodes.has('c')]), nodes.has('d')])],
    ['(has(a) && has(b)) && has(c)',
      nodes.and([nodes.and([nodes.has('a'), nodes.has('b')]), nodes.has('c')])],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseSelectorAst(text), expected);
    });
  }

  it('produces frozen nodes', () => {
    const ast = parseSelectorAst('a in {"x"} && !has(b)');
    assert.ok(Object.isFrozen(ast));
    assert.equal(ast.kind, 'and');
    if (ast.kind !== 'and') return;
    assert.ok(Object.isFrozen(ast.operands));
    const first = ast.operands[0];
    assert.ok(first !== undefined && first.kind === 'in' && Object.isFrozen(first.values));
  });
});

describe('compiled matchers', () => {
  it('agree with a naive AST interpreter over a grid of selectors and label sets', () => {
    const interp = (n: SelectorNode, l: ReadonlyMap<string, string>): boolean => {
      switch (n.kind) {
        case 'all': return true;
        case 'global': return !l.has(NAMESPACE_LABEL);
        case 'has': return l.has(n.key);
        case 'eq': return l.has(n.key) && l.get(n.key) === n.value;
        case 'neq': return !l.has(n.key) || l.get(n.key) !== n.value;
        case 'contains': return l.has(n.key) && (l.get(n.key) ?? '').includes(n.value);
        case 'startsWith': return l.has(n.key) && (l.get(n.key) ?? '').startsWith(n.value);
        case 'endsWith': return l.has(n.key) && (l.get(n.key) ?? '').endsWith(n.value);
        case 'in': return l.has(n.key) && n.values.includes(l.get(n.key) ?? '');
        case 'notIn': return !l.has(n.key) || !n.values.includes(l.get(n.key) ?? '');
        case 'not': return !interp(n.operand, l);
        case 'and': return n.operands.every((o) => interp(o, l));
        case 'or': return n.operands.some((o) => interp(o, l));
      }
    };
    const selectors = [
      'a in {"1", "2", "3"}', 'a not in {"1", "2"}', 'a in {"1"}', 'a not in {"1"}', '!has(a)', '!(a == "1")',
      'has(a) && has(b) && has(c) && b != "1" && c in {"", "2"}', 'a == "1" || b == "1" || c == "1" || has(d)',
      '!(a == "1" && b == "2") || global()', 'a contains "" && b starts with "1" || c ends with "2"',
    ];
    const keys = ['a', 'b', 'c', 'd', NAMESPACE_LABEL];
    const values = [undefined, '', '1', '2', '12'];
    let checked = 0;
    for (const text of selectors) {
      const sel = parseSelector(text);
      // Every assignment of the five values to the five keys: 5^5 label sets.
      for (let code = 0; code < values.length ** keys.length; code++) {
        const m = new Map<string, string>();
        let c = code;
        for (const k of keys) {
          const v = values[c % values.length];
          c = Math.floor(c / values.length);
          if (v !== undefined) m.set(k, v);
        }
        assert.equal(sel.matches(m), interp(sel.ast, m), `${text} on ${JSON.stringify([...m])}`);
        checked++;
      }
    }
    assert.equal(checked, selectors.length * 3125);
  });

  it('matches is a detached closure (no this binding needed)', () => {
    const { matches } = parseSelector('a == "b"');
    assert.equal(matches(labels({ a: 'b' })), true);
    assert.equal([labels({ a: 'b' }), labels({ a: 'c' })].filter(matches).length, 1);
  });

  it('compiles hand-built ASTs with unsorted, duplicated set members', () => {
    const sel = compileSelector({ kind: 'in', key: 'a', values: ['z', 'x', 'z'] });
    assert.equal(sel.canonical, 'a in {"x", "z"}');
    assert.equal(sel.matches(labels({ a: 'z' })), true);
    assert.equal(sel.matches(labels({ a: 'y' })), false);
  });

  it('rejects and/or nodes without operands', () => {
    assert.throws(() => nodes.and([]), RangeError);
    assert.throws(() => nodes.or([]), RangeError);
    assert.throws(() => compileSelector({ kind: 'or', operands: [] }), RangeError);
  });
});
