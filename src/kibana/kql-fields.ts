/**
 * A parser for the Kibana Query Language (KQL) that returns the fields a query refers to, so
 * tests can check saved queries against the index mappings. It covers the KQL grammar Kibana
 * documents: `and`/`or`/`not` with parentheses, `field : value`, `field : (a or b)`, quoted
 * and wildcard values, `field < value` range comparisons, `field : *` existence, and nested
 * queries `parent : { child : value }`. Anything else is a syntax error: a query the parser
 * cannot read is a query whose fields cannot be checked, which must fail, not pass silently.
 */

/** One field named in a query. */
export interface KqlFieldReference {
  /** Full dotted path (nested children are prefixed with their parent). */
  readonly field: string;
  /** The nested parent when the field was named inside `parent : { … }`. */
  readonly nestedPath?: string;
  /** `range` for `< <= > >=` comparisons, `exists` for `field : *`, else `match`. */
  readonly kind: 'match' | 'range' | 'exists';
}

/** A KQL syntax error with the position it was found at. */
export class KqlSyntaxError extends Error {
  constructor(message: string, readonly query: string, readonly position: number) {
    super(`KQL syntax error at ${position}: ${message} in ${JSON.stringify(query)}`);
  }
}

type Token =
  | { kind: 'lparen' | 'rparen' | 'lbrace' | 'rbrace' | 'colon' | 'end'; pos: number }
  | { kind: 'range'; op: '<' | '<=' | '>' | '>='; pos: number }
  | { kind: 'word'; text: string; quoted: boolean; pos: number };

const SPECIAL = new Set(['(', ')', '{', '}', ':', '<', '>', '"']);

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '(') tokens.push({ kind: 'lparen', pos });
    else if (c === ')') tokens.push({ kind: 'rparen', pos });
    else if (c === '{') tokens.push({ kind: 'lbrace', pos });
    else if (c === '}') tokens.push({ kind: 'rbrace', pos });
    else if (c === ':') tokens.push({ kind: 'colon', pos });
    else if (c === '<' || c === '>') {
      const op = query[i + 1] === '=' ? (`${c}=` as '<=' | '>=') : (c as '<' | '>');
      tokens.push({ kind: 'range', op, pos });
      i += op.length;
      continue;
    } else if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= query.length) throw new KqlSyntaxError('unterminated quoted string', query, pos);
        const d = query[i] as string;
        if (d === '\\') {
          text += query[i + 1] ?? '';
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      tokens.push({ kind: 'word', text, quoted: true, pos });
      continue;
    } else {
      let text = '';
      while (i < query.length) {
        const d = query[i] as string;
        if (d === '\\') {
          text += query[i + 1] ?? '';
          i += 2;
          continue;
        }
        if (/\s/.test(d) || SPECIAL.has(d)) break;
        text += d;
        i++;
      }
      tokens.push({ kind: 'word', text, quoted: false, pos });
      continue;
    }
    i++;
  }
  tokens.push({ kind: 'end', pos: query.length });
  return tokens;
}

/** Returns every field reference in `query` (empty for an empty query); throws KqlSyntaxError. */
export function kqlFieldReferences(query: string): KqlFieldReference[] {
  const tokens = tokenize(query);
  const refs: KqlFieldReference[] = [];
  let at = 0;
  const peek = (): Token => tokens[at] as Token;
  const next = (): Token => tokens[at++] as Token;
  const isKeyword = (t: Token, k: string): boolean => t.kind === 'word' && !t.quoted && t.text.toLowerCase() === k;
  const expect = (kind: Token['kind'], what: string): Token => {
    const t = next();
    if (t.kind !== kind) throw new KqlSyntaxError(`expected ${what}`, query, t.pos);
    return t;
  };

  // An unquoted value may span several words (`message : null pointer`) up to a keyword.
  const moreWords = (): void => {
    next();
    for (let t = peek(); t.kind === 'word' && !t.quoted && !['and', 'or', 'not'].includes(t.text.toLowerCase()); t = peek()) next();
  };

  // Values after `field :` — one value, or a parenthesised and/or/not list of values. Without
  // parentheses an `and`/`or` after the value belongs to the enclosing expression.
  const valueList = (): void => {
    const first = peek();
    if (first.kind === 'word') {
      moreWords();
      return;
    }
    if (first.kind !== 'lparen') throw new KqlSyntaxError('expected a value', query, first.pos);
    const valueOperand = (): void => {
      const t = peek();
      if (isKeyword(t, 'not')) {
        next();
        valueOperand();
      } else if (t.kind === 'lparen') {
        next();
        valueOr();
        expect('rparen', '")"');
      } else if (t.kind === 'word') moreWords();
      else throw new KqlSyntaxError('expected a value', query, t.pos);
    };
    const valueOr = (): void => {
      valueOperand();
      while (isKeyword(peek(), 'or') || isKeyword(peek(), 'and')) {
        next();
        valueOperand();
      }
    };
    valueOr();
  };

  const orExpr = (nested: string | undefined): void => {
    andExpr(nested);
    while (isKeyword(peek(), 'or')) {
      next();
      andExpr(nested);
    }
  };
  const andExpr = (nested: string | undefined): void => {
    notExpr(nested);
    while (isKeyword(peek(), 'and')) {
      next();
      notExpr(nested);
    }
  };
  const notExpr = (nested: string | undefined): void => {
    if (isKeyword(peek(), 'not')) {
      next();
      notExpr(nested);
      return;
    }
    primary(nested);
  };
  const primary = (nested: string | undefined): void => {
    const t = next();
    if (t.kind === 'lparen') {
      orExpr(nested);
      expect('rparen', '")"');
      return;
    }
    if (t.kind !== 'word') throw new KqlSyntaxError('expected a field or a value', query, t.pos);
    const after = peek();
    const field = nested === undefined ? t.text : `${nested}.${t.text}`;
    const base = nested === undefined ? {} : { nestedPath: nested };
    if (after.kind === 'range') {
      next();
      const value = next();
      if (value.kind !== 'word') throw new KqlSyntaxError('expected a value after a comparison', query, value.pos);
      refs.push({ field, kind: 'range', ...base });
    } else if (after.kind === 'colon') {
      next();
      if (peek().kind === 'lbrace') {
        next();
        if (nested !== undefined) throw new KqlSyntaxError('nested query inside a nested query', query, after.pos);
        orExpr(field);
        expect('rbrace', '"}"');
        return;
      }
      const value = peek();
      const exists = value.kind === 'word' && !value.quoted && value.text === '*';
      valueList();
      refs.push({ field, kind: exists ? 'exists' : 'match', ...base });
    } else if (nested !== undefined) {
      throw new KqlSyntaxError('free text inside a nested query', query, t.pos);
    } else {
      // Free text over all fields: names no field; it may go on for several words.
      for (let w = peek(); w.kind === 'word' && !w.quoted && !['and', 'or', 'not'].includes(w.text.toLowerCase()); w = peek()) next();
    }
  };

  if (peek().kind === 'end') return refs;
  orExpr(undefined);
  const rest = peek();
  if (rest.kind !== 'end') throw new KqlSyntaxError('unexpected input', query, rest.pos);
  return refs;
}
