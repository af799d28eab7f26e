/**
 * json-extent: value extents over raw JSON bytes, table-driven against JSON.parse, and the
 * errors (with byte offsets) for bytes that are not the JSON the walk expects.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachArrayElement, forEachObjectEntry, isEmptyObject, JsonExtentError, skipWhitespace, valueEnd } from '../../../src/runtime/json/json-extent.ts';

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('valueEnd', () => {
  // Each value is followed by a tail that must not be consumed.
  const values = [
    '"plain"', '""', '"with \\"quotes\\""', '"ends in a backslash \\\\"', '"\\\\\\"still inside"',
    '"braces { [ ] } and commas , : inside"', '"unicode é 漢字 😀"', '"\\u0022 escaped quote"',
    '{}', '[]', '{"a":1}', '{"a":{"b":[1,2,{"c":"}"}]},"d":"]"}', '[1,"2",[3],{"4":[5]}]',
    '{ "spaced" : [ 1 , 2 ] }', '0', '-12.5e+3', 'true', 'false', 'null',
  ];
  for (const value of values) {
    for (const tail of [',"x"', '}', ']', ' ,', '']) {
      it(`${value} followed by ${JSON.stringify(tail)}`, () => {
        const b = bytes(`${value}${tail}`);
        const end = valueEnd(b, 0);
        assert.equal(b.toString('utf8', 0, end), value);
        assert.deepEqual(JSON.parse(b.toString('utf8', 0, end)), JSON.parse(value));
      });
    }
  }

  const bad: [string, RegExp][] = [
    ['"never closed', /unterminated string at byte 0/],
    ['"escaped close\\"', /unterminated string at byte 0/],
    ['{"a":[1,2}', /unclosed object at byte 0/],
    ['[[1]', /unclosed array at byte 0/],
    ['', /expected a value, found the end at byte 0/],
    [',', /expected a value at byte 0/],
    ['tru"e"', /unexpected character in a literal at byte 3/],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => valueEnd(bytes(input), 0), (err: unknown) => err instanceof JsonExtentError && message.test(err.message));
    });
  }
});

describe('forEachObjectEntry and forEachArrayElement', () => {
  it('visit every entry with its decoded key and exact value bytes, whitespace or not', () => {
    const value = { plain: 1, 'with "quote"': 's', 'é漢': [1, { x: null }], '': {}, back: 'a\\b' };
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), ` \n${JSON.stringify(value, null, '\t')}\r\n`]) {
      const b = bytes(text);
      const seen: Record<string, unknown> = {};
      const end = forEachObjectEntry(b, skipWhitespace(b, 0), (key, start) => {
        const stop = valueEnd(b, start);
        seen[key] = JSON.parse(b.toString('utf8', start, stop));
        return stop;
      });
      assert.deepEqual(seen, value);
      assert.equal(skipWhitespace(b, end), b.length);
    }
  });

  it('decode escaped keys', () => {
    const b = bytes('{"a\\u0062":1,"\\"q\\"":2}');
    const keys: string[] = [];
    forEachObjectEntry(b, 0, (key, start) => {
      keys.push(key);
      return valueEnd(b, start);
    });
    assert.deepEqual(keys, ['ab', '"q"']);
  });

  it('walk array elements in order', () => {
    const b = bytes('[ 1, "two" ,{"three":[3]},[], null ]');
    const elements: unknown[] = [];
    const end = forEachArrayElement(b, 0, (start) => {
      const stop = valueEnd(b, start);
      elements.push(JSON.parse(b.toString('utf8', start, stop)));
      return stop;
    });
    assert.deepEqual(elements, [1, 'two', { three: [3] }, [], null]);
    assert.equal(end, b.length);
  });

  const bad: [string, 'object' | 'array', RegExp][] = [
    ['[1]', 'object', /expected an object at byte 0/],
    ['{1:2}', 'object', /expected a key at byte 1/],
    ['{"a" 1}', 'object', /expected ":" at byte 5/],
    ['{"a":1 "b":2}', 'object', /expected "," or "}" at byte 7/],
    ['{"a":1,}', 'object', /expected a key at byte 7/],
    ['{"a":', 'object', /expected a value, found the end at byte 5/],
    ['{"a":1', 'object', /unclosed object: the input ends at byte 6/],
    ['[1', 'array', /unclosed array: the input ends at byte 2/],
    ['{}', 'array', /expected an array at byte 0/],
    ['[1 2]', 'array', /expected "," or "]" at byte 3/],
    ['[1,', 'array', /expected a value, found the end at byte 3/],
  ];
  for (const [input, kind, message] of bad) {
    it(`reject ${JSON.stringify(input)} as an ${kind}`, () => {
      const b = bytes(input);
      const walk = kind === 'object' ? () => forEachObjectEntry(b, 0, (_key, start) => valueEnd(b, start)) : () => forEachArrayElement(b, 0, (start) => valueEnd(b, start));
      assert.throws(walk, (err: unknown) => err instanceof JsonExtentError && message.test(err.message), input);
    });
  }

  it('tell an empty object from a non-empty one', () => {
    assert.equal(isEmptyObject(bytes('{}'), 0), true);
    assert.equal(isEmptyObject(bytes('{ \n }'), 0), true);
    assert.equal(isEmptyObject(bytes('{"a":1}'), 0), false);
  });
});
