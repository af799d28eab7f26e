/**
 * AST → matcher closure. Evaluation is the policy engine's hot path (millions of verdicts a
 * second), so all the work that can be done once is done here: each node becomes a small
 * specialised closure, set literals become `Set`s, one-member sets become equality tests,
 * two- and three-way `&&`/`||` are unrolled, literals are interned (as label maps are, see
 * interned-string.ts), and nothing allocates per call.
 */
import { NAMESPACE_LABEL, type SelectorNode } from './ast.ts';
import { internString } from './interned-string.ts';

/** An endpoint's effective labels (docs/policy-semantics.md §1.9). */
export type Labels = ReadonlyMap<string, string>;

/** A compiled selector: true if the labels are selected. */
export type Matcher = (labels: Labels) => boolean;

const always: Matcher = () => true;
const never: Matcher = () => false;

/**
 * Compiles an AST to a matcher with Calico's semantics (§1.5): a missing label fails `==`,
 * `in`, `contains`, `starts with`, `ends with` and `has`, and satisfies `!=` and `not in`.
 *
 * `global()` is compiled as `!has(projectcalico.org/namespace)`: it only ever appears (legally)
 * as an EntityRule namespaceSelector, which Calico's update processor rewrites to exactly that,
 * so evaluating an unrewritten `global()` the same way gives the answer Calico's dataplane would.
 * (Calico's raw GlobalNode.Evaluate returns true; that only differs for namespaced endpoints.)
 */
export function compileMatcher(node: SelectorNode): Matcher {
  switch (node.kind) {
    case 'all':
      return always;
    case 'global':
      return (labels) => !labels.has(NAMESPACE_LABEL);
    case 'has': {
      const key = internString(node.key);
      return (labels) => labels.has(key);
    }
    case 'eq': {
      const key = internString(node.key);
      const value = internString(node.value);
      // Map.get gives undefined for an absent label, which never equals a string.
      return (labels) => labels.get(key) === value;
    }
    case 'neq': {
      const key = internString(node.key);
      const value = internString(node.value);
      // ...and undefined always differs from one, which is Calico's "absent ⇒ true".
      return (labels) => labels.get(key) !== value;
    }
    case 'contains': {
      const { key, value } = node;
      return (labels) => {
        const v = labels.get(key);
        return v !== undefined && v.includes(value);
      };
    }
    case 'startsWith': {
      const { key, value } = node;
      return (labels) => {
        const v = labels.get(key);
        return v !== undefined && v.startsWith(value);
      };
    }
    case 'endsWith': {
      const { key, value } = node;
      return (labels) => {
        const v = labels.get(key);
        return v !== undefined && v.endsWith(value);
      };
    }
    case 'in': {
      const key = internString(node.key);
      const values = node.values.map(internString);
      const [first] = values;
      if (first === undefined) return never;
      if (values.length === 1) return (labels) => labels.get(key) === first;
      const set: ReadonlySet<string> = new Set(values);
      return (labels) => {
        const v = labels.get(key);
        return v !== undefined && set.has(v);
      };
    }
    case 'notIn': {
      const key = internString(node.key);
      const values = node.values.map(internString);
      const [first] = values;
      if (first === undefined) return always;
      if (values.length === 1) return (labels) => labels.get(key) !== first;
      const set: ReadonlySet<string> = new Set(values);
      return (labels) => {
        const v = labels.get(key);
        return v === undefined || !set.has(v);
      };
    }
    case 'not': {
      const operand = node.operand;
      if (operand.kind === 'has') {
        const key = internString(operand.key);
        return (labels) => !labels.has(key);
      }
      const inner = compileMatcher(operand);
      return (labels) => !inner(labels);
    }
    case 'and':
      return compileAnd(node.operands.map(compileMatcher));
    case 'or':
      return compileOr(node.operands.map(compileMatcher));
  }
}

function compileAnd(ms: Matcher[]): Matcher {
  const [a, b, c] = ms;
  if (a === undefined) throw new RangeError("selector 'and' node needs at least one operand");
  if (b === undefined) return a;
  if (c === undefined) return (l) => a(l) && b(l);
  if (ms.length === 3) return (l) => a(l) && b(l) && c(l);
  return (l) => {
    for (let i = 0; i < ms.length; i++) if (!(ms[i] as Matcher)(l)) return false;
    return true;
  };
}

function compileOr(ms: Matcher[]): Matcher {
  const [a, b, c] = ms;
  if (a === undefined) throw new RangeError("selector 'or' node needs at least one operand");
  if (b === undefined) return a;
  if (c === undefined) return (l) => a(l) || b(l);
  if (ms.length === 3) return (l) => a(l) || b(l) || c(l);
  return (l) => {
    for (let i = 0; i < ms.length; i++) if ((ms[i] as Matcher)(l)) return true;
    return false;
  };
}
