/**
 * Pure AST transformations for the selector rewrites Calico's update processors perform
 * (docs/policy-semantics.md §1.9), plus key extraction for label indexes. All functions return new trees
 * and share untouched subtrees; inputs are never modified (nodes are frozen).
 */
import { NAMESPACE_LABEL, isKeyed, nodes, type SelectorNode } from './ast.ts';

/**
 * ANDs selectors together the way Calico's processors do by string concatenation
 * (`(A) && (B)`, re-parsed): the result is one `and` node whose operands are the inputs
 * unchanged, so its canonical string equals Calico's for the concatenated selector. No
 * flattening or `all()` elimination is done, because Calico does none and the canonical form
 * would change. No operands gives `all()`; one gives that node itself.
 */
export function andSelectors(...operands: SelectorNode[]): SelectorNode {
  if (operands.length === 0) return nodes.all();
  if (operands.length === 1) return operands[0] as SelectorNode;
  return nodes.and(operands);
}

/** Applies `fn` bottom-up, rebuilding only the nodes whose children changed. */
function mapTree(node: SelectorNode, fn: (n: SelectorNode) => SelectorNode): SelectorNode {
  switch (node.kind) {
    case 'not': {
      const operand = mapTree(node.operand, fn);
      return fn(operand === node.operand ? node : nodes.not(operand));
    }
    case 'and': case 'or': {
      const operands = node.operands.map((op) => mapTree(op, fn));
      const same = operands.every((op, i) => op === node.operands[i]);
      if (same) return fn(node);
      return fn(node.kind === 'and' ? nodes.and(operands) : nodes.or(operands));
    }
    default:
      return fn(node);
  }
}

/**
 * Prefixes every label key the selector reads (Calico's PrefixVisitor), e.g. `pcns.` to turn a
 * namespaceSelector into a selector over the namespace labels inherited by endpoints.
 * `all()` and `global()` are left alone; replace them afterwards with replaceAll/replaceGlobal.
 */
export function prefixLabelKeys(node: SelectorNode, prefix: string): SelectorNode {
  if (prefix === '') return node;
  return mapTree(node, (n) => {
    if (!isKeyed(n)) return n;
    const key = prefix + n.key;
    switch (n.kind) {
      case 'has': return nodes.has(key);
      case 'in': return nodes.in(key, n.values);
      case 'notIn': return nodes.notIn(key, n.values);
      default: return nodes[n.kind](key, n.value);
    }
  });
}

/** Replaces every `all()` (including an empty selector) with `replacement`, e.g. `has(projectcalico.org/namespace)`. */
export function replaceAll(node: SelectorNode, replacement: SelectorNode): SelectorNode {
  return mapTree(node, (n) => (n.kind === 'all' ? replacement : n));
}

/** Replaces every `global()` with `replacement`, e.g. `!has(projectcalico.org/namespace)`. */
export function replaceGlobal(node: SelectorNode, replacement: SelectorNode): SelectorNode {
  return mapTree(node, (n) => (n.kind === 'global' ? replacement : n));
}

function collectKeys(node: SelectorNode, out: Set<string>): void {
  switch (node.kind) {
    case 'all': return;
    // The compiled global() reads the namespace label (see compile.ts), so an index must too.
    case 'global': out.add(NAMESPACE_LABEL); return;
    case 'not': collectKeys(node.operand, out); return;
    case 'and': case 'or':
      for (const op of node.operands) collectKeys(op, out);
      return;
    default: out.add(node.key);
  }
}

/**
 * Every label key whose presence or value can change the selector's result: a label index only
 * needs to re-evaluate the selector when one of these keys changes on an endpoint.
 */
export function labelKeysOf(node: SelectorNode): Set<string> {
  const out = new Set<string>();
  collectKeys(node, out);
  return out;
}
