// AST rewrite helpers used for Calico's update-processor rewrites (docs/policy-semantics.md §1.9), key
// extraction, and parseSelector's cache.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  NAMESPACE_LABEL, SELECTOR_CACHE_LIMIT, andSelectors, clearSelectorCache, compileSelector, labelKeysOf, nodes,
  parseSelector, parseSelectorAst, prefixLabelKeys, replaceAll, replaceGlobal, selectorCacheSize,
} from '../../../src/inventory/selector/index.ts';

const labels = (o: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(o));
const canon = (n: Parameters<typeof compileSelector>[0]): string => compileSelector(n).canonical;

describe('prefixLabelKeys (Calico PrefixVisitor table from parser_test.go)', () => {
  const rows: readonly (readonly [string, string])[] = [
    ["k == 'v'", 'visited/k == "v"'],
    ["k != 'v'", 'visited/k != "v"'],
    ["k contains 'v'", 'visited/k contains "v"'],
    ["k starts with 'v'", 'visited/k starts with "v"'],
    ["k ends with 'v'", 'visited/k ends with "v"'],
    ["k == 'v' && x == 'y'", '(visited/k == "v" && visited/x == "y")'],
    ["k == 'v' || has(x)", '(visited/k == "v" || has(visited/x))'],
    ["!(k == 'v')", '!visited/k == "v"'],
    ["k in {'v'}", 'visited/k in {"v"}'],
    ["k not in {'v'}", 'visited/k not in {"v"}'],
    ["!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))",
      '!(!((visited/k == "v" && has(visited/t)) || all()) && visited/a in {"b", "c"})'],
    ['global()', 'global()'],
  ];
  for (const [input, expected] of rows) {
    it(`${input} → ${expected}`, () => {
      const ast = parseSelectorAst(input);
      const before = canon(ast);
      assert.equal(canon(prefixLabelKeys(ast, 'visited/')), expected);
      assert.equal(canon(ast), before, 'input tree untouched');
    });
  }

  it('returns the same tree for an empty prefix or a tree without keys', () => {
    const ast = parseSelectorAst('has(a)');
    assert.equal(prefixLabelKeys(ast, ''), ast);
    const all = parseSelectorAst('all() || global()');
    assert.equal(prefixLabelKeys(all, 'pcns.'), all);
  });
});

describe('replaceAll / replaceGlobal', () => {
  const hasNs = nodes.has(NAMESPACE_LABEL);
  const notHasNs = nodes.not(nodes.has(NAMESPACE_LABEL));

  it('GNP namespaceSelector: prefix pcns., then all() → has(projectcalico.org/namespace)', () => {
    const ns = prefixLabelKeys(parseSelectorAst(''), 'pcns.');
    const combined = replaceAll(andSelectors(parseSelectorAst('app == "web"'), ns), hasNs);
    assert.equal(canon(combined), '(app == "web" && has(projectcalico.org/namespace))');
    const sel = compileSelector(combined);
    assert.equal(sel.matches(labels({ app: 'web', [NAMESPACE_LABEL]: 'default' })), true);
    assert.equal(sel.matches(labels({ app: 'web' })), false);
  });

  it('EntityRule namespaceSelector global(): → !has(projectcalico.org/namespace)', () => {
    const ns = replaceGlobal(replaceAll(prefixLabelKeys(parseSelectorAst('global()'), 'pcns.'), hasNs), notHasNs);
    assert.equal(canon(ns), '!has(projectcalico.org/namespace)');
    const sel = compileSelector(ns);
    assert.equal(sel.matches(labels({ role: 'host' })), true);
    assert.equal(sel.matches(labels({ [NAMESPACE_LABEL]: 'default' })), false);
  });

  it('EntityRule namespaceSelector with labels: keys prefixed, nested all() replaced', () => {
    const ns = replaceAll(prefixLabelKeys(parseSelectorAst("team == 'a' || all()"), 'pcns.'), hasNs);
    assert.equal(canon(ns), '(pcns.team == "a" || has(projectcalico.org/namespace))');
  });

  it('replaces inside not/and/or and leaves other nodes alone', () => {
    const ast = parseSelectorAst('!(all() && has(a)) || global()');
    assert.equal(canon(replaceAll(ast, nodes.has('x'))), '(!(has(x) && has(a)) || global())');
    assert.equal(canon(replaceGlobal(ast, nodes.has('y'))), '(!(all() && has(a)) || has(y))');
    const untouched = parseSelectorAst('has(a) && b == "c"');
    assert.equal(replaceAll(untouched, nodes.has('x')), untouched);
  });
});

describe('andSelectors', () => {
  it('matches the canonical form Calico gets from "(A) && (B)" string concatenation', () => {
    const a = "app == 'web' && tier != 'db'";
    const b = "projectcalico.org/namespace == 'prod'";
    const combined = andSelectors(parseSelectorAst(a), parseSelectorAst(b));
    assert.equal(canon(combined), parseSelector(`(${a}) && (${b})`).canonical);
    assert.equal(canon(combined), '((app == "web" && tier != "db") && projectcalico.org/namespace == "prod")');
  });

  it('handles zero, one and three operands', () => {
    assert.equal(canon(andSelectors()), 'all()');
    const one = parseSelectorAst('has(a)');
    assert.equal(andSelectors(one), one);
    assert.equal(canon(andSelectors(one, nodes.has('b'), nodes.has('c'))), '(has(a) && has(b) && has(c))');
  });

  it('evaluates as a conjunction', () => {
    const sel = compileSelector(andSelectors(parseSelectorAst('has(a)'), parseSelectorAst('b == "1"')));
    assert.equal(sel.matches(labels({ a: '', b: '1' })), true);
    assert.equal(sel.matches(labels({ a: '' })), false);
    assert.equal(sel.matches(labels({ b: '1' })), false);
  });
});

describe('labelKeysOf', () => {
  const rows: readonly (readonly [string, readonly string[]])[] = [
    ['', []],
    ['all()', []],
    ['global()', [NAMESPACE_LABEL]],
    ['has(a)', ['a']],
    ['a == "1" && (b != "2" || !c in {"x"}) && d contains "" && e starts with "" && f ends with "" && g not in {}',
      ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
    ['has(a) || a == "x"', ['a']],
  ];
  for (const [text, keys] of rows) {
    it(`${JSON.stringify(text)} reads ${JSON.stringify(keys)}`, () => {
      assert.deepEqual([...labelKeysOf(parseSelectorAst(text))].sort(), [...keys].sort());
    });
  }
});

describe('parseSelector cache', () => {
  it('returns the same compiled selector for the same text, different ones for different text', () => {
    clearSelectorCache();
    const a = parseSelector('a == "b"');
    assert.equal(parseSelector('a == "b"'), a);
    const b = parseSelector("a == 'b'");
    assert.notEqual(b, a);
    assert.equal(b.canonical, a.canonical);
    assert.equal(selectorCacheSize(), 2);
  });

  it('stays bounded and evicts the least recently used entry', () => {
    clearSelectorCache();
    const first = parseSelector('k == "0"');
    const second = parseSelector('k == "1"');
    for (let i = 2; i < SELECTOR_CACHE_LIMIT; i++) parseSelector(`k == "${i}"`);
    assert.equal(selectorCacheSize(), SELECTOR_CACHE_LIMIT);
    assert.equal(parseSelector('k == "0"'), first); // touch: now most recently used
    parseSelector('k == "overflow"');
    assert.equal(selectorCacheSize(), SELECTOR_CACHE_LIMIT);
    assert.equal(parseSelector('k == "0"'), first, 'recently used entry survived');
    assert.notEqual(parseSelector('k == "1"'), second, 'least recently used entry was evicted');
    clearSelectorCache();
    assert.equal(selectorCacheSize(), 0);
  });
});
