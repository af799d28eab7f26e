/**
 * Selector tokenizer, following libcalico-go's tokenizer.go rule for rule (see
 * docs/policy-semantics.md §1.2). The lexical grammar is context sensitive: the words
 * `contains`, `starts with`, `ends with`, `not in` and `in` are operators only directly after a
 * label, and label names are otherwise unrestricted, so `in == "x"` and
 * `contains contains "contains"` are valid. Every token records its source offset so parser
 * errors can name a column.
 */
import { SelectorError } from './errors.ts';

/** Longest label key Calico accepts (bytes; keys are ASCII so this is also characters). */
export const MAX_LABEL_LENGTH = 512;

export type TokenKind =
  | 'label' | 'string'
  | 'lparen' | 'rparen' | 'lbrace' | 'rbrace' | 'comma'
  | 'eq' | 'ne' | 'not' | 'and' | 'or'
  | 'in' | 'notIn' | 'contains' | 'startsWith' | 'endsWith'
  | 'has' | 'all' | 'global'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Label name for `label` and `has`, the unquoted contents for `string`, otherwise ''. */
  readonly value: string;
  /** 0-based offset of the token's first character in the source (source length for `eof`). */
  readonly start: number;
  /** 0-based offset just past the token's last character. */
  readonly end: number;
}

const SPACE = 0x20;
const TAB = 0x09;

/** Only space and TAB separate tokens; Calico rejects newlines and other whitespace. */
function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** The label-key alphabet: `A-Z a-z 0-9 _ . / -`. */
export function isLabelChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x5f || c === 0x2e || c === 0x2f || c === 0x2d;
}

/** True if `key` would be accepted as a label name by the tokenizer (Calico's ValidLabel). */
export function isValidLabelKey(key: string): boolean {
  if (key.length === 0 || key.length > MAX_LABEL_LENGTH) return false;
  for (let i = 0; i < key.length; i++) if (!isLabelChar(key.charCodeAt(i))) return false;
  return true;
}

function skipBlanks(src: string, i: number): number {
  while (i < src.length && isBlank(src.charCodeAt(i))) i++;
  return i;
}

/** An operator word must end at end of input or at a character that cannot continue a label. */
function atWordBoundary(src: string, i: number): boolean {
  return i >= src.length || !isLabelChar(src.charCodeAt(i));
}

/**
 * Matches a (possibly two-word) operator at `i`, allowing any run of blanks (including none)
 * between the words, and returns the offset after it, or -1.
 *
 * Calico trims blanks after the last word before its boundary check; checking directly after the
 * word instead accepts exactly the same selectors (an operator is never followed by a label in
 * the grammar) but lets `a not in b` fail in the parser with a clearer message.
 */
function matchWords(src: string, i: number, first: string, second?: string): number {
  if (!src.startsWith(first, i)) return -1;
  let j = i + first.length;
  if (second !== undefined) {
    j = skipBlanks(src, j);
    if (!src.startsWith(second, j)) return -1;
    j += second.length;
  }
  return atWordBoundary(src, j) ? j : -1;
}

/** Offset just past the run of label characters starting at `i`. */
function scanLabel(src: string, i: number): number {
  while (i < src.length && isLabelChar(src.charCodeAt(i))) i++;
  return i;
}

function describeChar(src: string, i: number): string {
  const cp = src.codePointAt(i) ?? 0;
  return JSON.stringify(String.fromCodePoint(cp));
}

/**
 * Splits `src` into tokens, always ending with an `eof` token.
 * @throws SelectorError for characters Calico's tokenizer rejects (lone `=`, `&`, `|`, newline,
 *   unterminated strings, over-long labels, a non-operator after a label, malformed `has(`).
 */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const n = src.length;
  const fail = (offset: number, reason: string): never => {
    throw new SelectorError(src, offset + 1, reason);
  };
  const push = (kind: TokenKind, start: number, end: number, value = ''): number => {
    tokens.push({ kind, value, start, end });
    return end;
  };
  const label = (start: number): number => {
    const end = scanLabel(src, start);
    if (end === start) return fail(start, `unexpected character ${describeChar(src, start)}`);
    if (end - start > MAX_LABEL_LENGTH) {
      fail(start, `label too long (${end - start} characters, maximum is ${MAX_LABEL_LENGTH})`);
    }
    return end;
  };

  let i = 0;
  for (;;) {
    i = skipBlanks(src, i);
    if (i >= n) {
      push('eof', n, n);
      return tokens;
    }
    const start = i;
    const c = src.charCodeAt(i);
    const prev = tokens.length > 0 ? tokens[tokens.length - 1] : undefined;
    switch (c) {
      case 0x28: i = push('lparen', start, start + 1); break; // (
      case 0x29: i = push('rparen', start, start + 1); break; // )
      case 0x7b: i = push('lbrace', start, start + 1); break; // {
      case 0x7d: i = push('rbrace', start, start + 1); break; // }
      case 0x2c: i = push('comma', start, start + 1); break; // ,
      case 0x22: // "
      case 0x27: { // '
        // No escapes: the literal simply runs to the next identical quote character.
        const quote = src[start] ?? '';
        const close = src.indexOf(quote, start + 1);
        if (close < 0) fail(start, `unterminated string literal (no closing ${quote})`);
        i = push('string', start, close + 1, src.slice(start + 1, close));
        break;
      }
      case 0x3d: // =
        if (src.charCodeAt(i + 1) !== 0x3d) fail(start, "expected '==' but found a lone '='");
        i = push('eq', start, start + 2);
        break;
      case 0x21: // ! — immediately followed by '=' it is always the '!=' operator
        i = src.charCodeAt(i + 1) === 0x3d ? push('ne', start, start + 2) : push('not', start, start + 1);
        break;
      case 0x26: // &
        if (src.charCodeAt(i + 1) !== 0x26) fail(start, "expected '&&' but found a lone '&'");
        i = push('and', start, start + 2);
        break;
      case 0x7c: // |
        if (src.charCodeAt(i + 1) !== 0x7c) fail(start, "expected '||' but found a lone '|'");
        i = push('or', start, start + 2);
        break;
      default: {
        if (prev?.kind === 'label') {
          // After a label only an operator word may follow (punctuation was handled above).
          let end: number;
          if ((end = matchWords(src, i, 'contains')) >= 0) i = push('contains', start, end);
          else if ((end = matchWords(src, i, 'starts', 'with')) >= 0) i = push('startsWith', start, end);
          else if ((end = matchWords(src, i, 'ends', 'with')) >= 0) i = push('endsWith', start, end);
          else if ((end = matchWords(src, i, 'not', 'in')) >= 0) i = push('notIn', start, end);
          else if ((end = matchWords(src, i, 'in')) >= 0) i = push('in', start, end);
          else fail(start, `expected an operator after label '${prev.value}'`);
        } else if (src.startsWith('has(', i)) {
          const keyStart = skipBlanks(src, i + 4);
          if (!isLabelChar(src.charCodeAt(keyStart))) fail(keyStart, 'expected a label name inside has(...)');
          const keyEnd = label(keyStart);
          const close = skipBlanks(src, keyEnd);
          if (src.charCodeAt(close) !== 0x29) fail(close, "expected ')' to close has(");
          i = push('has', start, close + 1, src.slice(keyStart, keyEnd));
        } else if (src.startsWith('all(', i) || src.startsWith('global(', i)) {
          const kind = src.startsWith('all(', i) ? 'all' : 'global';
          const close = skipBlanks(src, i + kind.length + 1);
          if (src.charCodeAt(close) !== 0x29) fail(close, `expected ')' after ${kind}(`);
          i = push(kind, start, close + 1);
        } else {
          const end = label(start);
          i = push('label', start, end, src.slice(start, end));
        }
      }
    }
  }
}
