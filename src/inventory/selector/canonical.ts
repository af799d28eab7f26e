/**
 * Calico's canonical selector string (`Selector.String()` in libcalico-go parser/ast.go):
 * single spaces around binary operators, every `&&`/`||` group parenthesised, `!` glued to its
 * operand, `starts with`/`ends with` spelled out, set members sorted and de-duplicated, and a
 * string quoted with `"` unless it contains `"`. Byte-for-byte equal to Calico's output, so it
 * can serve as a cache key and be compared with selector strings Calico reports.
 */
import { normaliseSet, type SelectorNode } from './ast.ts';

function quote(value: string): string {
  // No escapes exist in the language, so the only choice is the quote character.
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

const VALUE_OPS = {
  eq: ' == ',
  neq: ' != ',
  contains: ' contains ',
  startsWith: ' starts with ',
  endsWith: ' ends with ',
} as const;

function emit(node: SelectorNode, out: string[]): void {
  switch (node.kind) {
    case 'all': out.push('all()'); return;
    case 'global': out.push('global()'); return;
    case 'has': out.push('has(', node.key, ')'); return;
    case 'eq': case 'neq': case 'contains': case 'startsWith': case 'endsWith':
      out.push(node.key, VALUE_OPS[node.kind], quote(node.value));
      return;
    case 'in': case 'notIn': {
      // Re-normalise: cheap, and keeps hand-built nodes that skipped the builders canonical.
      const members = normaliseSet(node.values).map(quote).join(', ');
      out.push(node.key, node.kind === 'in' ? ' in {' : ' not in {', members, '}');
      return;
    }
    case 'not':
      out.push('!');
      emit(node.operand, out);
      return;
    case 'and': case 'or': {
      const sep = node.kind === 'and' ? ' && ' : ' || ';
      out.push('(');
      node.operands.forEach((op, i) => {
        if (i > 0) out.push(sep);
        emit(op, out);
      });
      out.push(')');
      return;
    }
  }
}

/** Renders an AST in Calico's canonical form; `all()` for the empty selector. */
export function canonicalString(node: SelectorNode): string {
  const out: string[] = [];
  emit(node, out);
  return out.join('');
}
