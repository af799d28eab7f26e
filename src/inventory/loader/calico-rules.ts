/**
 * Selectors and rules as Calico writes them (docs/policy-semantics.md §1.9, §2.2): namespaced
 * selectors get their namespace clause, namespaceSelector / serviceAccountSelector /
 * serviceAccounts are prefixed and folded in, ports, ICMP and nets are checked. Shared by every
 * policy family: Kubernetes and admin policies are converted to Calico rules and read here.
 */
import { parseProtocol, type EntityRule, type IcmpMatch, type PortMatch, type Rule, type RuleAction, type SelectorSpec } from '../model/resources.ts';
import { SelectorError, andSelectors, nodes, parseSelectorAst, prefixLabelKeys, replaceAll, replaceGlobal, type SelectorNode } from '../selector/index.ts';
import { FieldError } from './errors.ts';
import { NAMESPACE_LABEL, SERVICE_ACCOUNT_LABEL } from './calico-labels.ts';
import { cidrListAt, describe, DNS_NAME_RE, intAt, isObj, join, listAt, type Obj, objAt, strAt, stringListAt } from './field-readers.ts';

export function parseSel(text: string, path: string): SelectorNode {
  try {
    return parseSelectorAst(text);
  } catch (err) {
    if (err instanceof SelectorError) {
      throw new FieldError(path, `invalid selector ${JSON.stringify(text)} at column ${err.column}: ${err.reason}`, err.column);
    }
    throw err;
  }
}

function containsGlobal(n: SelectorNode): boolean {
  switch (n.kind) {
    case 'global': return true;
    case 'not': return containsGlobal(n.operand);
    case 'and': case 'or': return n.operands.some(containsGlobal);
    default: return false;
  }
}

export function noGlobal(text: string, ast: SelectorNode, path: string): SelectorNode {
  if (containsGlobal(ast)) {
    const col = text.indexOf('global(') + 1;
    throw new FieldError(path, `invalid selector ${JSON.stringify(text)} at column ${col}: global() is only allowed as a whole rule namespaceSelector`, col);
  }
  return ast;
}

/** Optional selector field: undefined when absent or blank. */
export function selAt(parent: Obj, key: string, path: string): { text: string; ast: SelectorNode } | undefined {
  const text = strAt(parent, key, path);
  if (text === undefined || text.trim() === '') return undefined;
  return { text, ast: parseSel(text, join(path, key)) };
}

const HAS_NAMESPACE = nodes.has(NAMESPACE_LABEL);
export const HAS_SERVICE_ACCOUNT = nodes.has(SERVICE_ACCOUNT_LABEL);

export function namespaceClause(ns: string): SelectorNode {
  return nodes.eq(NAMESPACE_LABEL, ns);
}

export function selectorSpec(text: string, ast: SelectorNode): SelectorSpec {
  return { text, ast };
}

// Rules

const ACTIONS: readonly RuleAction[] = ['Allow', 'Deny', 'Pass', 'Log'];
export const NAMED_PORT_RE = /^[a-zA-Z0-9_.-]{1,128}$/;
export const PORT_PROTOCOLS = new Set([6, 17, 132]);

function portsAt(parent: Obj, key: string, path: string): PortMatch[] {
  return listAt(parent, key, path).map((v, i): PortMatch => {
    const p = join(join(path, key), i);
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0 || v > 65535) throw new FieldError(p, `port must be 0–65535, got ${v}`);
      return { kind: 'range', min: v, max: v };
    }
    if (typeof v !== 'string') throw new FieldError(p, `expected a port number, range "min:max" or port name, got ${describe(v)}`);
    const range = /^([0-9]+):([0-9]+)$/.exec(v);
    if (range) {
      const min = Number(range[1]);
      const max = Number(range[2]);
      if (min > 65535 || max > 65535) throw new FieldError(p, `port range ${JSON.stringify(v)} outside 0–65535`);
      if (min > max) throw new FieldError(p, `port range ${JSON.stringify(v)} has min > max`);
      return { kind: 'range', min, max };
    }
    if (/^[0-9]+$/.test(v)) {
      const n = Number(v);
      if (n > 65535) throw new FieldError(p, `port must be 0–65535, got ${v}`);
      return { kind: 'range', min: n, max: n };
    }
    if (!NAMED_PORT_RE.test(v)) throw new FieldError(p, `invalid port ${JSON.stringify(v)} (a number, "min:max" or a name of [a-zA-Z0-9_.-]{1,128})`);
    return { kind: 'named', name: v };
  });
}

function icmpAt(parent: Obj, key: string, path: string): IcmpMatch | null {
  const o = objAt(parent, key, path);
  if (!o) return null;
  const p = join(path, key);
  const type = intAt(o, 'type', p, 0, 254);
  const code = intAt(o, 'code', p, 0, 255);
  if (type === undefined) {
    if (code !== undefined) throw new FieldError(join(p, 'code'), 'code requires type');
    return null;
  }
  return { type, code: code ?? null };
}

interface RuleContext {
  /** Namespace of a namespaced policy, or null for global policies and profiles. */
  readonly namespace: string | null;
  readonly direction: 'ingress' | 'egress';
}

function entityAt(parent: Obj, key: 'source' | 'destination', path: string, ctx: RuleContext): EntityRule {
  const p = join(path, key);
  const o = objAt(parent, key, path) ?? {};
  const sel = selAt(o, 'selector', p);
  const notSel = selAt(o, 'notSelector', p);
  const nsSel = selAt(o, 'namespaceSelector', p);
  if (sel) noGlobal(sel.text, sel.ast, join(p, 'selector'));
  if (notSel) noGlobal(notSel.text, notSel.ast, join(p, 'notSelector'));
  if (nsSel && containsGlobal(nsSel.ast) && nsSel.ast.kind !== 'global') {
    noGlobal(nsSel.text, nsSel.ast, join(p, 'namespaceSelector'));
  }
  const nets = cidrListAt(o, 'nets', p);
  const notNets = cidrListAt(o, 'notNets', p);
  for (const [i, c] of notNets.entries()) {
    if (c.prefix === 0) throw new FieldError(join(join(p, 'notNets'), i), `notNets must not contain ${c.text} (it matches nothing)`);
  }
  const ports = portsAt(o, 'ports', p);
  const notPorts = portsAt(o, 'notPorts', p);

  const sa = objAt(o, 'serviceAccounts', p);
  let saAst: SelectorNode | undefined;
  let saText = '';
  if (sa) {
    const sp = join(p, 'serviceAccounts');
    const names = stringListAt(sa, 'names', sp);
    for (const [i, n] of names.entries()) {
      if (!DNS_NAME_RE.test(n)) throw new FieldError(join(join(sp, 'names'), i), `invalid service account name ${JSON.stringify(n)}`);
    }
    const saSel = selAt(sa, 'selector', sp);
    if (saSel) noGlobal(saSel.text, saSel.ast, join(sp, 'selector'));
    const parts: SelectorNode[] = [];
    if (saSel) parts.push(prefixLabelKeys(saSel.ast, 'pcsa.'));
    if (names.length > 0) parts.push(nodes.in(SERVICE_ACCOUNT_LABEL, names));
    if (parts.length > 0) saAst = andSelectors(...parts);
    saText = [saSel ? `serviceAccounts.selector: ${saSel.text}` : '', names.length ? `serviceAccounts.names: ${names.join(',')}` : ''].filter(Boolean).join('; ');
  }

  let services: EntityRule['services'] = null;
  const svc = objAt(o, 'services', p);
  if (svc) {
    const sp = join(p, 'services');
    const name = strAt(svc, 'name', sp, true) as string;
    let namespace = strAt(svc, 'namespace', sp) ?? '';
    if (namespace === '') {
      if (ctx.namespace === null) throw new FieldError(join(sp, 'namespace'), 'required in a global policy');
      namespace = ctx.namespace;
    }
    const allowed = (ctx.direction === 'egress' && key === 'destination') || (ctx.direction === 'ingress' && key === 'source');
    if (!allowed) throw new FieldError(sp, `services is only allowed on ${ctx.direction === 'egress' ? 'egress destination' : 'ingress source'}`);
    if (sel || notSel || nsSel || sa || nets.length || notNets.length) {
      throw new FieldError(sp, 'services cannot be combined with selector, notSelector, namespaceSelector, serviceAccounts, nets or notNets');
    }
    if (key === 'destination' && (ports.length || notPorts.length)) throw new FieldError(sp, 'ports cannot be combined with destination services');
    services = { name, namespace };
  }

  // Effective positive selector (§1.9).
  const parts: SelectorNode[] = [];
  const texts: string[] = [];
  if (nsSel) {
    let ns = prefixLabelKeys(nsSel.ast, 'pcns.');
    ns = replaceAll(ns, HAS_NAMESPACE);
    ns = replaceGlobal(ns, nodes.not(HAS_NAMESPACE));
    parts.push(ns);
    texts.push(`namespaceSelector: ${nsSel.text}`);
  } else if (ctx.namespace !== null && (sel || notSel || sa)) {
    parts.push(namespaceClause(ctx.namespace));
  }
  if (sel) {
    parts.push(sel.ast);
    texts.unshift(sel.text);
  }
  if (saAst) {
    parts.push(saAst);
    texts.push(saText);
  }
  const selector = parts.length > 0 ? selectorSpec(texts.join('; ') || `${NAMESPACE_LABEL} == '${ctx.namespace ?? ''}'`, andSelectors(...parts)) : null;
  return { nets, notNets, selector, notSelector: notSel ? selectorSpec(notSel.text, notSel.ast) : null, ports, notPorts, services };
}

export function ruleAt(v: unknown, path: string, ctx: RuleContext): Rule {
  if (!isObj(v)) throw new FieldError(path, `expected a rule map, got ${describe(v)}`);
  const actionText = strAt(v, 'action', path, true) as string;
  const action = ACTIONS.find((a) => a === actionText);
  if (!action) throw new FieldError(join(path, 'action'), `invalid action ${JSON.stringify(actionText)} (one of Allow, Deny, Pass, Log)`);
  let ipVersion: 4 | 6 | null = null;
  if (v.ipVersion !== undefined && v.ipVersion !== null) {
    if (v.ipVersion !== 4 && v.ipVersion !== 6) throw new FieldError(join(path, 'ipVersion'), `must be 4 or 6, got ${describe(v.ipVersion)}`);
    ipVersion = v.ipVersion;
  }
  const protoOf = (key: string): number | null => {
    const raw = v[key];
    if (raw === undefined || raw === null) return null;
    const n = parseProtocol(raw);
    if (n === null) throw new FieldError(join(path, key), `invalid protocol ${describe(raw)} (TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or 1–255)`);
    return n;
  };
  const protocol = protoOf('protocol');
  const notProtocol = protoOf('notProtocol');
  const icmp = icmpAt(v, 'icmp', path);
  const notICMP = icmpAt(v, 'notICMP', path);
  if ((icmp || notICMP) && protocol !== 1 && protocol !== 58) {
    throw new FieldError(join(path, icmp ? 'icmp' : 'notICMP'), 'requires protocol ICMP or ICMPv6');
  }
  if (protocol === 1 && ipVersion === 6) throw new FieldError(join(path, 'ipVersion'), 'protocol ICMP is IPv4 only');
  if (protocol === 58 && ipVersion === 4) throw new FieldError(join(path, 'ipVersion'), 'protocol ICMPv6 is IPv6 only');
  const source = entityAt(v, 'source', path, ctx);
  const destination = entityAt(v, 'destination', path, ctx);
  for (const [side, e] of [['source', source], ['destination', destination]] as const) {
    for (const key of ['ports', 'notPorts'] as const) {
      const list = e[key];
      if (list.length === 0) continue;
      const numeric = list.some((pm) => pm.kind === 'range');
      if (protocol !== null ? !PORT_PROTOCOLS.has(protocol) : numeric) {
        throw new FieldError(join(join(path, side), key), 'ports require protocol TCP, UDP or SCTP');
      }
    }
  }
  const cidrs = [...source.nets, ...source.notNets, ...destination.nets, ...destination.notNets];
  if (cidrs.some((c) => c.version === 4) && cidrs.some((c) => c.version === 6)) {
    throw new FieldError(path, 'a rule must not mix IPv4 and IPv6 CIDRs');
  }
  const http = objAt(v, 'http', path);
  if (http && action !== 'Allow') throw new FieldError(join(path, 'http'), 'http match is only allowed in Allow rules');
  return { action, ipVersion, protocol, notProtocol, icmp, notICMP, source, destination, hasHttp: http !== undefined };
}

export function rulesAt(parent: Obj, key: 'ingress' | 'egress', path: string, namespace: string | null): Rule[] {
  return listAt(parent, key, path).map((r, i) => ruleAt(r, join(join(path, key), i), { namespace, direction: key }));
}

// Calico policies

export function typesAt(specObj: Obj, path: string, ingress: unknown[], egress: unknown[]): { ingress: boolean; egress: boolean } {
  const raw = specObj.types;
  if (raw === undefined || raw === null) {
    // api/pkg/defaults/networkpolicy.go
    if (egress.length === 0) return { ingress: true, egress: false };
    if (ingress.length === 0) return { ingress: false, egress: true };
    return { ingress: true, egress: true };
  }
  const list = stringListAt(specObj, 'types', path);
  const out = { ingress: false, egress: false };
  for (const [i, t] of list.entries()) {
    if (t === 'Ingress') out.ingress = true;
    else if (t === 'Egress') out.egress = true;
    else throw new FieldError(join(join(path, 'types'), i), `invalid type ${JSON.stringify(t)} (Ingress or Egress)`);
  }
  // Felix treats an empty Types list as both directions.
  if (list.length === 0) return { ingress: true, egress: true };
  return out;
}

export function tierNameAt(specObj: Obj, path: string): string {
  const tier = strAt(specObj, 'tier', path) ?? '';
  if (tier === '') return 'default';
  if (!DNS_NAME_RE.test(tier)) throw new FieldError(join(path, 'tier'), `invalid tier name ${JSON.stringify(tier)}`);
  return tier;
}

export function stagedActionAt(specObj: Obj, path: string): 'Set' | 'Delete' | 'Learn' | 'Ignore' {
  const a = strAt(specObj, 'stagedAction', path) ?? 'Set';
  if (a !== 'Set' && a !== 'Delete' && a !== 'Learn' && a !== 'Ignore') {
    throw new FieldError(join(path, 'stagedAction'), `invalid stagedAction ${JSON.stringify(a)} (Set, Delete, Learn or Ignore)`);
  }
  return a;
}

/** A global policy's selector with its namespaceSelector folded in (§1.9: pcns. prefix, all() → has(namespace)). */
export function withNamespaceSelector(ast: SelectorNode | null, nsAst: SelectorNode): SelectorNode {
  const pre = prefixLabelKeys(nsAst, 'pcns.');
  return replaceAll(ast ? andSelectors(ast, pre) : pre, HAS_NAMESPACE);
}
