/**
 * Recursive-descent parser: tokens → AST, with the grammar and precedence of libcalico-go's
 * parser.go (docs/policy-semantics.md §1.3–1.4):
 *
 *   selector := <empty> | orExpr EOF
 *   orExpr   := andExpr { "||" andExpr }
 *   andExpr  := unary { "&&" unary }
 *   unary    := { "!" } primary
 *   primary  := has(k) | all() | global() | "(" orExpr ")" | k OP "s" | k (in|not in) "{" [ "s" { "," "s" } [","] ] "}"
 */
import { nodes, type SelectorNode } from './ast.ts';
import { SelectorError } from './errors.ts';
import { tokenize, type Token, type TokenKind } from './tokenizer.ts';

/**
 * Deepest parenthesis nesting accepted. Calico has no limit (Go stacks grow); we cap it so a
 * hostile selector fails with a SelectorError instead of overflowing the JS stack in the parser,
 * the canonicaliser or the compiled matcher. No real selector comes near it.
 */
export const MAX_NESTING = 500;

const EXPECTED_PRIMARY = "expected a label, has(...), all(), global(), '!' or '('";

const VALUE_OPERATORS: Partial<Record<TokenKind, { text: string; build: (k: string, v: string) => SelectorNode }>> = {
  eq: { text: '==', build: nodes.eq },
  ne: { text: '!=', build: nodes.neq },
  contains: { text: 'contains', build: nodes.contains },
  startsWith: { text: 'starts with', build: nodes.startsWith },
  endsWith: { text: 'ends with', build: nodes.endsWith },
};

class Parser {
  private pos = 0;
  private depth = 0;
  private readonly src: string;
  private readonly tokens: Token[];

  constructor(src: string) {
    this.src = src;
    this.tokens = tokenize(src);
  }

  parse(): SelectorNode {
    // An empty or blank selector selects everything, as in Calico's Parse.
    if (this.peek().kind === 'eof') return nodes.all();
    const node = this.orExpr();
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      this.fail(rest, rest.kind === 'rparen'
        ? "unexpected ')' without a matching '('"
        : `unexpected ${this.describe(rest)} at end of selector; expected '&&', '||' or the end`);
    }
    return node;
  }

  private peek(): Token {
    // The tokenizer always ends with 'eof' and nothing advances past it, so this is in range.
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const tok = this.peek();
    if (tok.kind !== 'eof') this.pos++;
    return tok;
  }

  private fail(tok: Token, reason: string): never {
    throw new SelectorError(this.src, tok.start + 1, reason);
  }

  private describe(tok: Token): string {
    switch (tok.kind) {
      case 'eof': return 'end of selector';
      case 'string': return `string ${this.src.slice(tok.start, tok.end)}`;
      case 'label': return `label '${tok.value}'`;
      default: return `'${this.src.slice(tok.start, tok.end)}'`;
    }
  }

  private orExpr(): SelectorNode {
    const operands = [this.andExpr()];
    while (this.peek().kind === 'or') {
      this.pos++;
      operands.push(this.andExpr());
    }
    // A single term stays unwrapped, so "(a)" and "a" have the same AST and canonical form.
    return operands.length === 1 ? operands[0] as SelectorNode : nodes.or(operands);
  }

  private andExpr(): SelectorNode {
    const operands = [this.unary()];
    while (this.peek().kind === 'and') {
      this.pos++;
      operands.push(this.unary());
    }
    return operands.length === 1 ? operands[0] as SelectorNode : nodes.and(operands);
  }

  private unary(): SelectorNode {
    // Calico folds a run of '!' into its parity: "!!has(a)" is has(a), with no Not node.
    let negated = false;
    while (this.peek().kind === 'not') {
      negated = !negated;
      this.pos++;
    }
    const operand = this.primary();
    return negated ? nodes.not(operand) : operand;
  }

  private primary(): SelectorNode {
    const tok = this.next();
    switch (tok.kind) {
      case 'has': return nodes.has(tok.value);
      case 'all': return nodes.all();
      case 'global': return nodes.global();
      case 'label': return this.comparison(tok);
      case 'lparen': {
        if (++this.depth > MAX_NESTING) this.fail(tok, `parentheses nested deeper than ${MAX_NESTING}`);
        const inner = this.orExpr();
        const close = this.next();
        if (close.kind !== 'rparen') {
          this.fail(close, `expected ')' to close the '(' at column ${tok.start + 1}, found ${this.describe(close)}`);
        }
        this.depth--;
        return inner;
      }
      case 'eof': return this.fail(tok, `unexpected end of selector; ${EXPECTED_PRIMARY}`);
      default: return this.fail(tok, `unexpected ${this.describe(tok)}; ${EXPECTED_PRIMARY}`);
    }
  }

  /** `label OP "string"` or `label (in|not in) {set}`; the label token is already consumed. */
  private comparison(labelTok: Token): SelectorNode {
    const key = labelTok.value;
    const op = this.next();
    const valueOp = VALUE_OPERATORS[op.kind];
    if (valueOp !== undefined) {
      const lit = this.next();
      if (lit.kind !== 'string') {
        // Wording fixed by the API contract: "expected a quoted string after '=='".
        this.fail(lit, `expected a quoted string after '${valueOp.text}'`);
      }
      return valueOp.build(key, lit.value);
    }
    if (op.kind === 'in' || op.kind === 'notIn') {
      const opText = op.kind === 'in' ? 'in' : 'not in';
      const open = this.next();
      if (open.kind !== 'lbrace') this.fail(open, `expected '{' after '${opText}', found ${this.describe(open)}`);
      const values: string[] = [];
      // Members are strings separated by commas; a trailing comma is allowed, as in Calico.
      let afterMember = false;
      while (this.peek().kind === 'string') {
        values.push(this.next().value);
        afterMember = true;
        if (this.peek().kind !== 'comma') break;
        this.pos++;
        afterMember = false;
      }
      const close = this.next();
      if (close.kind !== 'rbrace') {
        this.fail(close, afterMember
          ? `expected ',' or '}' in set, found ${this.describe(close)}`
          : `expected a quoted string or '}' in set, found ${this.describe(close)}`);
      }
      return op.kind === 'in' ? nodes.in(key, values) : nodes.notIn(key, values);
    }
    return this.fail(op, `expected an operator after label '${key}', found ${this.describe(op)}`);
  }
}

/**
 * Parses selector text into an AST.
 * @throws SelectorError (with a 1-based column) for anything Calico's parser rejects.
 */
export function parseAst(text: string): SelectorNode {
  return new Parser(text).parse();
}
