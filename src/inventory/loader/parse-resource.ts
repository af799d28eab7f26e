/**
 * Plain object (one YAML/JSON document) → normalised resources. Pure: no I/O. Validates every
 * field it reads and applies Calico's conversions (docs/calico-policy.md §1.9, §2.2): namespaced
 * selectors get their namespace clause, namespaceSelector / serviceAccountSelector /
 * serviceAccounts are prefixed and folded in, Types are defaulted, and Kubernetes
 * NetworkPolicies are converted the way `K8sNetworkPolicyToCalico` does.
 */
import {
  SelectorError, andSelectors, nodes, parseSelectorAst, prefixLabelKeys, replaceAll, replaceGlobal,
  type SelectorNode,
} from '../selector/index.ts';
import { canonicalIp, parseCidr, type Cidr } from '../model/ip.ts';
import {
  isNamespacedKind, parseProtocol, PROTOCOL_NUMBERS,
  type EndpointResource, type EndpointSlice, type EndpointSlicePort, type EntityRule, type IcmpMatch, type NamedPort,
  type AdminPolicyKind, type FailsafePort, type FelixConfiguration, type Namespace, type NetworkSet, type Node, type Policy, type PolicyKind, type PortMatch, type Profile, type Resource, type ResourceKind,
  type Rule, type RuleAction, type SelectorSpec, type Service, type ServiceAccount, type ServicePort, type Tier,
} from '../model/resources.ts';
import { FieldError, makeIssue, type LoadIssue } from './errors.ts';

export const NAMESPACE_LABEL = 'projectcalico.org/namespace';
export const ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';
export const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
export const NAME_LABEL = 'projectcalico.org/name';
export const K8S_NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Where a document came from, for messages. */
export interface DocumentOrigin {
  readonly file: string;
  /** 1-based document number in the file. */
  readonly document: number;
}

export interface ParseResult {
  readonly resources: Resource[];
  readonly issues: LoadIssue[];
}

type Obj = Record<string, unknown>;

const CALICO_API = 'projectcalico.org/v3';

/** (apiVersion, kind) → internal kind. */
const KINDS: ReadonlyMap<string, ResourceKind> = new Map<string, ResourceKind>([
  [`${CALICO_API}/Tier`, 'Tier'],
  [`${CALICO_API}/GlobalNetworkPolicy`, 'GlobalNetworkPolicy'],
  [`${CALICO_API}/NetworkPolicy`, 'NetworkPolicy'],
  [`${CALICO_API}/StagedGlobalNetworkPolicy`, 'StagedGlobalNetworkPolicy'],
  [`${CALICO_API}/StagedNetworkPolicy`, 'StagedNetworkPolicy'],
  [`${CALICO_API}/StagedKubernetesNetworkPolicy`, 'StagedKubernetesNetworkPolicy'],
  [`${CALICO_API}/GlobalNetworkSet`, 'GlobalNetworkSet'],
  [`${CALICO_API}/NetworkSet`, 'NetworkSet'],
  [`${CALICO_API}/HostEndpoint`, 'HostEndpoint'],
  [`${CALICO_API}/WorkloadEndpoint`, 'WorkloadEndpoint'],
  [`${CALICO_API}/Profile`, 'Profile'],
  ['v1/Pod', 'Pod'],
  ['v1/Namespace', 'Namespace'],
  ['v1/ServiceAccount', 'ServiceAccount'],
  ['v1/Service', 'Service'],
  ['discovery.k8s.io/v1/EndpointSlice', 'EndpointSlice'],
  ['networking.k8s.io/v1/NetworkPolicy', 'KubernetesNetworkPolicy'],
  ['v1/Node', 'Node'],
  ['policy.networking.k8s.io/v1alpha1/AdminNetworkPolicy', 'AdminNetworkPolicy'],
  ['policy.networking.k8s.io/v1alpha1/BaselineAdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  ['policy.networking.k8s.io/v1alpha2/ClusterNetworkPolicy', 'ClusterNetworkPolicy'],
  [`${CALICO_API}/FelixConfiguration`, 'FelixConfiguration'],
]);

// ---------------------------------------------------------------------------------------------
// Field readers. Each throws FieldError(path, reason) for the first problem.

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function objAt(parent: Obj, key: string, path: string, required = false): Obj | undefined {
  const v = parent[key];
  const p = join(path, key);
  if (v === undefined || v === null) {
    if (required) throw new FieldError(p, 'required field is missing');
    return undefined;
  }
  if (!isObj(v)) throw new FieldError(p, `expected a map, got ${describe(v)}`);
  return v;
}

function listAt(parent: Obj, key: string, path: string): unknown[] {
  const v = parent[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(join(path, key), `expected a list, got ${describe(v)}`);
  return v;
}

function strAt(parent: Obj, key: string, path: string, required = false): string | undefined {
  const v = parent[key];
  const p = join(path, key);
  if (v === undefined || v === null) {
    if (required) throw new FieldError(p, 'required field is missing');
    return undefined;
  }
  if (typeof v !== 'string') throw new FieldError(p, `expected a string, got ${describe(v)}`);
  return v;
}

function boolAt(parent: Obj, key: string, path: string): boolean {
  const v = parent[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new FieldError(join(path, key), `expected true or false, got ${describe(v)}`);
  return v;
}

function numAt(parent: Obj, key: string, path: string): number | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FieldError(join(path, key), `expected a number, got ${describe(v)}`);
  return v;
}

function intAt(parent: Obj, key: string, path: string, min: number, max: number): number | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new FieldError(join(path, key), `expected an integer ${min}–${max}, got ${describe(v)}`);
  }
  return v;
}

function stringListAt(parent: Obj, key: string, path: string): string[] {
  return listAt(parent, key, path).map((v, i) => {
    if (typeof v !== 'string') throw new FieldError(join(join(path, key), i), `expected a string, got ${describe(v)}`);
    return v;
  });
}

// A label key as Kubernetes (and Calico) accept it: an optional DNS-subdomain prefix of at most
// 253 characters and a slash, then a name of at most 63 that starts and ends with a letter or
// digit. (So keys such as `__proto__` never reach the label maps.)
const LABEL_NAME_RE = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key, or null when it is. */
export function labelKeyProblem(key: string): string | null {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix)) {
      return 'its prefix (before "/") must be a DNS subdomain: lower-case letters, digits, "-" and ".", at most 253';
    }
  }
  if (!LABEL_NAME_RE.test(name)) {
    return 'its name must be 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return null;
}

function labelsAt(parent: Obj, key: string, path: string): Map<string, string> {
  const out = new Map<string, string>();
  const o = objAt(parent, key, path);
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) {
    const p = join(join(path, key), k);
    const problem = labelKeyProblem(k);
    if (problem !== null) throw new FieldError(p, `invalid label key ${JSON.stringify(k)}: ${problem}`);
    if (typeof v === 'string') out.set(k, v);
    else if (typeof v === 'number' || typeof v === 'boolean') throw new FieldError(p, `label value must be a string, got ${describe(v)} (quote it)`);
    else throw new FieldError(p, `label value must be a string, got ${describe(v)}`);
  }
  return out;
}

const DNS_NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function nameOf(meta: Obj, path: string): string {
  const name = strAt(meta, 'name', path, true) as string;
  if (name === '') throw new FieldError(join(path, 'name'), 'must not be empty');
  if (name.length > 253 || /[/\s]/.test(name)) throw new FieldError(join(path, 'name'), `invalid name ${JSON.stringify(name)}`);
  return name;
}

function namespaceOf(meta: Obj, path: string): string {
  const ns = strAt(meta, 'namespace', path);
  if (ns === undefined || ns === '') return 'default';
  if (!DNS_NAME_RE.test(ns) || ns.length > 63) throw new FieldError(join(path, 'namespace'), `invalid namespace ${JSON.stringify(ns)}`);
  return ns;
}

function ipAt(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new FieldError(path, `expected an IP address, got ${describe(v)}`);
  const ip = canonicalIp(v);
  if (ip === null) throw new FieldError(path, `invalid IP address ${JSON.stringify(v)}`);
  return ip;
}

function cidrAt(v: unknown, path: string): Cidr {
  if (typeof v !== 'string') throw new FieldError(path, `expected a CIDR, got ${describe(v)}`);
  const c = parseCidr(v);
  if (c === null) throw new FieldError(path, `invalid CIDR ${JSON.stringify(v)}`);
  return c;
}

function cidrListAt(parent: Obj, key: string, path: string): Cidr[] {
  return listAt(parent, key, path).map((v, i) => cidrAt(v, join(join(path, key), i)));
}

function timestampAt(meta: Obj, key: string, path: string): number | null {
  const v = meta[key];
  if (v === undefined || v === null) return null;
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new FieldError(join(path, key), `invalid timestamp ${describe(v)}`);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Selectors

function parseSel(text: string, path: string): SelectorNode {
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

function noGlobal(text: string, ast: SelectorNode, path: string): SelectorNode {
  if (containsGlobal(ast)) {
    const col = text.indexOf('global(') + 1;
    throw new FieldError(path, `invalid selector ${JSON.stringify(text)} at column ${col}: global() is only allowed as a whole rule namespaceSelector`, col);
  }
  return ast;
}

/** Optional selector field: undefined when absent or blank. */
function selAt(parent: Obj, key: string, path: string): { text: string; ast: SelectorNode } | undefined {
  const text = strAt(parent, key, path);
  if (text === undefined || text.trim() === '') return undefined;
  return { text, ast: parseSel(text, join(path, key)) };
}

const HAS_NAMESPACE = nodes.has(NAMESPACE_LABEL);
const HAS_SERVICE_ACCOUNT = nodes.has(SERVICE_ACCOUNT_LABEL);

function namespaceClause(ns: string): SelectorNode {
  return nodes.eq(NAMESPACE_LABEL, ns);
}

function spec(text: string, ast: SelectorNode): SelectorSpec {
  return { text, ast };
}

// ---------------------------------------------------------------------------------------------
// Rules

const ACTIONS: readonly RuleAction[] = ['Allow', 'Deny', 'Pass', 'Log'];
const NAMED_PORT_RE = /^[a-zA-Z0-9_.-]{1,128}$/;
const PORT_PROTOCOLS = new Set([6, 17, 132]);

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
  const selector = parts.length > 0 ? spec(texts.join('; ') || `${NAMESPACE_LABEL} == '${ctx.namespace ?? ''}'`, andSelectors(...parts)) : null;
  return { nets, notNets, selector, notSelector: notSel ? spec(notSel.text, notSel.ast) : null, ports, notPorts, services };
}

function ruleAt(v: unknown, path: string, ctx: RuleContext): Rule {
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

function rulesAt(parent: Obj, key: 'ingress' | 'egress', path: string, namespace: string | null): Rule[] {
  return listAt(parent, key, path).map((r, i) => ruleAt(r, join(join(path, key), i), { namespace, direction: key }));
}

// ---------------------------------------------------------------------------------------------
// Calico policies

function typesAt(specObj: Obj, path: string, ingress: unknown[], egress: unknown[]): { ingress: boolean; egress: boolean } {
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

function tierNameAt(specObj: Obj, path: string): string {
  const tier = strAt(specObj, 'tier', path) ?? '';
  if (tier === '') return 'default';
  if (!DNS_NAME_RE.test(tier)) throw new FieldError(join(path, 'tier'), `invalid tier name ${JSON.stringify(tier)}`);
  return tier;
}

function stagedActionAt(specObj: Obj, path: string): 'Set' | 'Delete' | 'Learn' | 'Ignore' {
  const a = strAt(specObj, 'stagedAction', path) ?? 'Set';
  if (a !== 'Set' && a !== 'Delete' && a !== 'Learn' && a !== 'Ignore') {
    throw new FieldError(join(path, 'stagedAction'), `invalid stagedAction ${JSON.stringify(a)} (Set, Delete, Learn or Ignore)`);
  }
  return a;
}

/** A global policy's selector with its namespaceSelector folded in (§1.9: pcns. prefix, all() → has(namespace)). */
function withNamespaceSelector(ast: SelectorNode | null, nsAst: SelectorNode): SelectorNode {
  const pre = prefixLabelKeys(nsAst, 'pcns.');
  return replaceAll(ast ? andSelectors(ast, pre) : pre, HAS_NAMESPACE);
}

function calicoPolicy(kind: PolicyKind, doc: Obj, path: string): Policy | null {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const namespaced = isNamespacedKind(kind);
  const namespace = namespaced ? namespaceOf(meta, mp) : null;
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  const staged = kind.startsWith('Staged');
  if (staged && stagedActionAt(s, sp) === 'Delete') return null;
  const tier = tierNameAt(s, sp);
  const order = numAt(s, 'order', sp) ?? null;

  const sel = selAt(s, 'selector', sp);
  if (sel) noGlobal(sel.text, sel.ast, join(sp, 'selector'));
  const nsSel = selAt(s, 'namespaceSelector', sp);
  const saSel = selAt(s, 'serviceAccountSelector', sp);
  if (nsSel) noGlobal(nsSel.text, nsSel.ast, join(sp, 'namespaceSelector'));
  if (saSel) noGlobal(saSel.text, saSel.ast, join(sp, 'serviceAccountSelector'));
  if (namespaced && nsSel) throw new FieldError(join(sp, 'namespaceSelector'), `not allowed in a namespaced ${kind}`);

  let ast: SelectorNode | null = sel ? sel.ast : null;
  if (namespaced) {
    ast = ast ? andSelectors(ast, namespaceClause(namespace as string)) : namespaceClause(namespace as string);
  } else if (nsSel) {
    ast = withNamespaceSelector(ast, nsSel.ast);
  }
  if (saSel) {
    const pre = prefixLabelKeys(saSel.ast, 'pcsa.');
    ast = replaceAll(ast ? andSelectors(ast, pre) : pre, HAS_SERVICE_ACCOUNT);
  }
  const selector = spec([sel?.text ?? 'all()', nsSel ? `namespaceSelector: ${nsSel.text}` : '', saSel ? `serviceAccountSelector: ${saSel.text}` : ''].filter(Boolean).join('; '), ast ?? nodes.all());

  const ingressRaw = listAt(s, 'ingress', sp);
  const egressRaw = listAt(s, 'egress', sp);
  const types = typesAt(s, sp, ingressRaw, egressRaw);
  const ingress = rulesAt(s, 'ingress', sp, namespace);
  const egress = rulesAt(s, 'egress', sp, namespace);
  const doNotTrack = boolAt(s, 'doNotTrack', sp);
  const preDNAT = boolAt(s, 'preDNAT', sp);
  const applyOnForward = boolAt(s, 'applyOnForward', sp);
  if (doNotTrack && preDNAT) throw new FieldError(join(sp, 'preDNAT'), 'cannot be combined with doNotTrack');
  if ((doNotTrack || preDNAT) && !applyOnForward) throw new FieldError(join(sp, 'applyOnForward'), `must be true when ${doNotTrack ? 'doNotTrack' : 'preDNAT'} is set`);
  if (preDNAT && egress.length > 0) throw new FieldError(join(sp, 'egress'), 'preDNAT policies cannot have egress rules');

  const legacyBase = tier === 'default' ? `default.${name}` : name.startsWith(`${tier}.`) ? name : `${tier}.${name}`;
  const legacyName = `${namespace ? `${namespace}/` : ''}${staged ? 'staged:' : ''}${legacyBase}`;
  return { kind, name, namespace, tier, order, staged, selector, types, ingress, egress, doNotTrack, preDNAT, applyOnForward, legacyName, notes: [] };
}

// ---------------------------------------------------------------------------------------------
// Kubernetes NetworkPolicy (and StagedKubernetesNetworkPolicy) → Calico (conversion.go)

function k8sSelectorText(s: Obj | undefined, path: string, type: 'pod' | 'namespace'): string {
  const parts: string[] = [];
  if (type === 'pod') parts.push(`${ORCHESTRATOR_LABEL} == 'k8s'`);
  if (!s) return parts.join(' && ');
  const matchLabels = labelsAt(s, 'matchLabels', path);
  const exprs = listAt(s, 'matchExpressions', path);
  if (type === 'namespace' && matchLabels.size === 0 && exprs.length === 0) return 'all()';
  for (const k of [...matchLabels.keys()].sort()) {
    const v = matchLabels.get(k) as string;
    if (v.includes("'")) throw new FieldError(join(join(path, 'matchLabels'), k), `invalid label value ${JSON.stringify(v)}`);
    parts.push(`${k} == '${v}'`);
  }
  for (const [i, e] of exprs.entries()) {
    const ep = join(join(path, 'matchExpressions'), i);
    if (!isObj(e)) throw new FieldError(ep, `expected a map, got ${describe(e)}`);
    const key = strAt(e, 'key', ep, true) as string;
    const problem = labelKeyProblem(key);
    if (problem !== null) throw new FieldError(join(ep, 'key'), `invalid label key ${JSON.stringify(key)}: ${problem}`);
    const op = strAt(e, 'operator', ep, true) as string;
    const values = stringListAt(e, 'values', ep);
    for (const [j, val] of values.entries()) if (val.includes("'")) throw new FieldError(join(join(ep, 'values'), j), `invalid label value ${JSON.stringify(val)}`);
    const list = values.join("', '");
    switch (op) {
      case 'In':
        if (values.length === 0) throw new FieldError(join(ep, 'values'), 'operator In needs at least one value');
        parts.push(`${key} in { '${list}' }`);
        break;
      case 'NotIn':
        if (values.length === 0) throw new FieldError(join(ep, 'values'), 'operator NotIn needs at least one value');
        parts.push(`${key} not in { '${list}' }`);
        break;
      case 'Exists': parts.push(`has(${key})`); break;
      case 'DoesNotExist': parts.push(`! has(${key})`); break;
      default: throw new FieldError(join(ep, 'operator'), `invalid operator ${JSON.stringify(op)} (In, NotIn, Exists, DoesNotExist)`);
    }
  }
  return parts.join(' && ');
}

interface K8sPort { protocol: string | null; ports: (number | string)[] | null }

function k8sPortsAt(rule: Obj, path: string): K8sPort[] {
  const raw = listAt(rule, 'ports', path);
  if (raw.length === 0) return [{ protocol: null, ports: null }];
  return raw.map((p, i): K8sPort => {
    const pp = join(join(path, 'ports'), i);
    if (!isObj(p)) throw new FieldError(pp, `expected a map, got ${describe(p)}`);
    const proto = strAt(p, 'protocol', pp) ?? 'TCP';
    if (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP') throw new FieldError(join(pp, 'protocol'), `invalid protocol ${JSON.stringify(proto)} (TCP, UDP or SCTP)`);
    const port = p.port;
    if (port === undefined || port === null) return { protocol: proto, ports: null };
    const endPort = intAt(p, 'endPort', pp, 1, 65535);
    if (typeof port === 'number') {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new FieldError(join(pp, 'port'), `port must be 1–65535, got ${port}`);
      if (endPort !== undefined) {
        if (endPort < port) throw new FieldError(join(pp, 'endPort'), `endPort ${endPort} is below port ${port}`);
        return { protocol: proto, ports: [`${port}:${endPort}`] };
      }
      return { protocol: proto, ports: [port] };
    }
    if (typeof port !== 'string' || !NAMED_PORT_RE.test(port)) throw new FieldError(join(pp, 'port'), `invalid port ${describe(port)}`);
    if (endPort !== undefined) throw new FieldError(join(pp, 'endPort'), 'endPort requires a numeric port');
    return { protocol: proto, ports: [/^[0-9]+$/.test(port) ? Number(port) : port] };
  });
}

/** One k8s rule → Calico raw rules, one per (protocol × peer), protocols sorted (k8sRuleToCalico). */
function k8sRuleToCalico(rule: Obj, path: string, ingress: boolean): Obj[] {
  const peersRaw = listAt(rule, ingress ? 'from' : 'to', path);
  const peers: (Obj | null)[] = [];
  for (const [i, peer] of peersRaw.entries()) {
    const pp = join(join(path, ingress ? 'from' : 'to'), i);
    if (!isObj(peer)) throw new FieldError(pp, `expected a map, got ${describe(peer)}`);
    const ipBlock = objAt(peer, 'ipBlock', pp);
    if (ipBlock) {
      const bp = join(pp, 'ipBlock');
      const cidr = cidrAt(strAt(ipBlock, 'cidr', bp, true), join(bp, 'cidr'));
      const except = listAt(ipBlock, 'except', bp).map((e, j) => cidrAt(e, join(join(bp, 'except'), j)).text);
      peers.push({ nets: [cidr.text], notNets: except });
      continue;
    }
    const podSel = objAt(peer, 'podSelector', pp);
    const nsSel = objAt(peer, 'namespaceSelector', pp);
    const out: Obj = { selector: k8sSelectorText(podSel, join(pp, 'podSelector'), 'pod') };
    const nsText = nsSel ? k8sSelectorText(nsSel, join(pp, 'namespaceSelector'), 'namespace') : '';
    if (nsText) out.namespaceSelector = nsText;
    peers.push(out);
  }
  if (peers.length === 0) peers.push(null);

  const protocolPorts = new Map<string, (number | string)[]>();
  for (const p of k8sPortsAt(rule, path)) {
    if (p.protocol === null) {
      protocolPorts.set('', []);
      continue;
    }
    if (p.ports === null) protocolPorts.set(p.protocol, []);
    else {
      const existing = protocolPorts.get(p.protocol);
      if (existing === undefined) protocolPorts.set(p.protocol, [...p.ports]);
      else if (existing.length > 0) existing.push(...p.ports);
    }
  }
  const out: Obj[] = [];
  for (const proto of [...protocolPorts.keys()].sort()) {
    const ports = protocolPorts.get(proto) as (number | string)[];
    for (const peer of peers) {
      const r: Obj = { action: 'Allow' };
      if (proto !== '') r.protocol = proto;
      const local: Obj = ports.length > 0 ? { ports } : {};
      if (ingress) {
        r.source = peer ?? {};
        r.destination = local;
      } else {
        r.source = {};
        r.destination = { ...(peer ?? {}), ...local };
      }
      out.push(r);
    }
  }
  return out;
}

function k8sPolicy(kind: 'KubernetesNetworkPolicy' | 'StagedKubernetesNetworkPolicy', doc: Obj, path: string): Policy | null {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const namespace = namespaceOf(meta, mp);
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  const staged = kind === 'StagedKubernetesNetworkPolicy';
  if (staged && stagedActionAt(s, sp) === 'Delete') return null;
  const podSelText = k8sSelectorText(objAt(s, 'podSelector', sp), join(sp, 'podSelector'), 'pod');
  const selector = spec(podSelText, andSelectors(parseSel(podSelText, join(sp, 'podSelector')), namespaceClause(namespace)));

  const convert = (key: 'ingress' | 'egress'): Rule[] => {
    const rules: Rule[] = [];
    for (const [i, r] of listAt(s, key, sp).entries()) {
      const rp = join(join(sp, key), i);
      if (!isObj(r)) throw new FieldError(rp, `expected a map, got ${describe(r)}`);
      for (const raw of k8sRuleToCalico(r, rp, key === 'ingress')) rules.push(ruleAt(raw, rp, { namespace, direction: key }));
    }
    return rules;
  };
  const ingress = convert('ingress');
  const egress = convert('egress');

  // policyTypes as the API server defaults them (Ingress, plus Egress when egress rules exist),
  // then Calico's conversion (no types → [Ingress]).
  const typesRaw = s.policyTypes;
  let types: { ingress: boolean; egress: boolean };
  if (typesRaw === undefined || typesRaw === null) {
    types = { ingress: true, egress: listAt(s, 'egress', sp).length > 0 };
  } else {
    types = { ingress: false, egress: false };
    for (const [i, t] of stringListAt(s, 'policyTypes', sp).entries()) {
      if (t === 'Ingress') types.ingress = true;
      else if (t === 'Egress') types.egress = true;
      else throw new FieldError(join(join(sp, 'policyTypes'), i), `invalid policy type ${JSON.stringify(t)} (Ingress or Egress)`);
    }
    if (!types.ingress && !types.egress) types.ingress = true;
  }
  const legacyName = `${namespace}/${staged ? 'staged:' : ''}knp.default.${name}`;
  return {
    kind, name, namespace, tier: 'default', order: 1000, staged, selector, types, ingress, egress,
    doNotTrack: false, preDNAT: false, applyOnForward: false, legacyName, notes: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Other kinds

function tier(doc: Obj, path: string): Tier {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const name = nameOf(meta, join(path, 'metadata'));
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  let order = numAt(s, 'order', sp) ?? null;
  const action = strAt(s, 'defaultAction', sp) ?? 'Deny';
  if (action !== 'Deny' && action !== 'Pass') throw new FieldError(join(sp, 'defaultAction'), `invalid defaultAction ${JSON.stringify(action)} (Deny or Pass)`);
  if (name === 'default' && action !== 'Deny') throw new FieldError(join(sp, 'defaultAction'), 'the default tier must have defaultAction Deny');
  // Calico ≥ 3.30 reads a tier without order as 1,000,000, the default tier's order
  // (libcalico-go/lib/resources/tier.go DefaultTierFields), not as "last".
  order ??= 1_000_000;
  return { kind: 'Tier', name, order, defaultAction: action };
}

function networkSet(kind: 'NetworkSet' | 'GlobalNetworkSet', doc: Obj, path: string): NetworkSet {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const namespace = kind === 'NetworkSet' ? namespaceOf(meta, mp) : null;
  const labels = labelsAt(meta, 'labels', mp);
  if (namespace !== null) labels.set(NAMESPACE_LABEL, namespace);
  const s = objAt(doc, 'spec', path) ?? {};
  const nets = cidrListAt(s, 'nets', join(path, 'spec'));
  return { kind, name, namespace, labels, nets };
}

function namedPortsAt(parent: Obj, key: string, path: string, portKey: 'port' | 'containerPort'): NamedPort[] {
  const out: NamedPort[] = [];
  for (const [i, p] of listAt(parent, key, path).entries()) {
    const pp = join(join(path, key), i);
    if (!isObj(p)) throw new FieldError(pp, `expected a map, got ${describe(p)}`);
    const port = intAt(p, portKey, pp, 0, 65535);
    if (port === undefined) throw new FieldError(join(pp, portKey), 'required field is missing');
    const protoRaw = p.protocol ?? 'TCP';
    const protocol = parseProtocol(protoRaw);
    if (protocol === null) throw new FieldError(join(pp, 'protocol'), `invalid protocol ${describe(protoRaw)}`);
    const name = strAt(p, 'name', pp);
    if (name === undefined || name === '') continue;
    if (!NAMED_PORT_RE.test(name)) throw new FieldError(join(pp, 'name'), `invalid port name ${JSON.stringify(name)}`);
    out.push({ name, protocol, port });
  }
  return out;
}

function pod(doc: Obj, path: string): EndpointResource {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const namespace = namespaceOf(meta, mp);
  const labels = labelsAt(meta, 'labels', mp);
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  const st = objAt(doc, 'status', path) ?? {};
  const stp = join(path, 'status');
  const sa = strAt(s, 'serviceAccountName', sp) || strAt(s, 'serviceAccount', sp) || 'default';
  const ports: NamedPort[] = [];
  // Init containers count too (sidecars are init containers with restartPolicy Always), as in
  // Calico's workload endpoint conversion.
  for (const field of ['containers', 'initContainers'] as const) {
    for (const [i, c] of listAt(s, field, sp).entries()) {
      const cp = join(join(sp, field), i);
      if (!isObj(c)) throw new FieldError(cp, `expected a map, got ${describe(c)}`);
      ports.push(...namedPortsAt(c, 'ports', cp, 'containerPort'));
    }
  }
  const ips: string[] = [];
  const podIPs = listAt(st, 'podIPs', stp);
  for (const [i, entry] of podIPs.entries()) {
    const ep = join(join(stp, 'podIPs'), i);
    if (!isObj(entry)) throw new FieldError(ep, `expected a map, got ${describe(entry)}`);
    const ip = ipAt(entry.ip, join(ep, 'ip'));
    if (!ips.includes(ip)) ips.push(ip);
  }
  const single = strAt(st, 'podIP', stp);
  if (single) {
    const ip = ipAt(single, join(stp, 'podIP'));
    if (!ips.includes(ip)) ips.unshift(ip);
  }
  const phase = strAt(st, 'phase', stp);
  // Calico has no workload endpoint for host-networked or finished pods.
  const active = !boolAt(s, 'hostNetwork', sp) && phase !== 'Succeeded' && phase !== 'Failed';
  const all = new Map(labels);
  all.set(NAMESPACE_LABEL, namespace);
  all.set(ORCHESTRATOR_LABEL, 'k8s');
  // Calico sets the label only for names shorter than 63 (a label value holds at most 63).
  if (sa.length < 63) all.set(SERVICE_ACCOUNT_LABEL, sa);
  return {
    kind: 'Pod', name, namespace, node: strAt(s, 'nodeName', sp) ?? null, ips: active ? ips : [], labels: all,
    serviceAccount: sa, profiles: [`kns.${namespace}`, `ksa.${namespace}.${sa}`], ports, interfaceName: null,
    generateName: strAt(meta, 'generateName', mp) ?? null, createdAt: timestampAt(meta, 'creationTimestamp', mp),
  };
}

function workloadEndpoint(doc: Obj, path: string): EndpointResource {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const namespace = namespaceOf(meta, mp);
  const labels = labelsAt(meta, 'labels', mp);
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  const ips: string[] = [];
  for (const [i, n] of listAt(s, 'ipNetworks', sp).entries()) {
    const c = cidrAt(n, join(join(sp, 'ipNetworks'), i));
    if (c.prefix !== (c.version === 4 ? 32 : 128)) throw new FieldError(join(join(sp, 'ipNetworks'), i), `expected a single address (/32 or /128), got ${c.text}`);
    const ip = c.text.slice(0, c.text.indexOf('/'));
    if (!ips.includes(ip)) ips.push(ip);
  }
  const sa = strAt(s, 'serviceAccountName', sp) ?? null;
  const orchestrator = strAt(s, 'orchestrator', sp);
  labels.set(NAMESPACE_LABEL, namespace);
  if (orchestrator && !labels.has(ORCHESTRATOR_LABEL)) labels.set(ORCHESTRATOR_LABEL, orchestrator);
  if (sa && sa.length <= 63 && !labels.has(SERVICE_ACCOUNT_LABEL)) labels.set(SERVICE_ACCOUNT_LABEL, sa);
  return {
    kind: 'WorkloadEndpoint', name, namespace, node: strAt(s, 'node', sp) ?? null, ips, labels, serviceAccount: sa,
    profiles: stringListAt(s, 'profiles', sp), ports: namedPortsAt(s, 'ports', sp, 'port'),
    interfaceName: strAt(s, 'interfaceName', sp) ?? null, generateName: strAt(s, 'pod', sp) ?? null,
    createdAt: timestampAt(meta, 'creationTimestamp', mp),
  };
}

function hostEndpoint(doc: Obj, path: string): EndpointResource {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const labels = labelsAt(meta, 'labels', mp);
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  const ips = [...new Set(listAt(s, 'expectedIPs', sp).map((v, i) => ipAt(v, join(join(sp, 'expectedIPs'), i))))];
  const interfaceName = strAt(s, 'interfaceName', sp) ?? null;
  if (ips.length === 0 && !interfaceName) throw new FieldError(sp, 'a host endpoint needs interfaceName or expectedIPs');
  return {
    kind: 'HostEndpoint', name, namespace: null, node: strAt(s, 'node', sp) ?? null, ips, labels, serviceAccount: null,
    profiles: stringListAt(s, 'profiles', sp), ports: namedPortsAt(s, 'ports', sp, 'port'), interfaceName,
    generateName: null, createdAt: timestampAt(meta, 'creationTimestamp', mp),
  };
}

function profile(doc: Obj, path: string): Profile {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const name = nameOf(meta, join(path, 'metadata'));
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  return {
    kind: 'Profile', name, ingress: rulesAt(s, 'ingress', sp, null), egress: rulesAt(s, 'egress', sp, null),
    labelsToApply: labelsAt(s, 'labelsToApply', sp),
  };
}

function namespaceRes(doc: Obj, path: string): Namespace {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const labels = labelsAt(meta, 'labels', mp);
  // The API server always sets this label.
  if (!labels.has(K8S_NAMESPACE_NAME_LABEL)) labels.set(K8S_NAMESPACE_NAME_LABEL, name);
  return { kind: 'Namespace', name, labels };
}

function serviceAccount(doc: Obj, path: string): ServiceAccount {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  return { kind: 'ServiceAccount', name: nameOf(meta, mp), namespace: namespaceOf(meta, mp), labels: labelsAt(meta, 'labels', mp) };
}

function k8sProtocol(parent: Obj, path: string): number {
  const raw = strAt(parent, 'protocol', path) ?? 'TCP';
  const n = raw === 'TCP' ? 6 : raw === 'UDP' ? 17 : raw === 'SCTP' ? 132 : null;
  if (n === null) throw new FieldError(join(path, 'protocol'), `invalid protocol ${JSON.stringify(raw)} (TCP, UDP or SCTP)`);
  return n;
}

function service(doc: Obj, path: string): Service {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  const ips: string[] = [];
  const add = (v: unknown, p: string): void => {
    if (v === 'None' || v === '' || v === undefined || v === null) return;
    const ip = ipAt(v, p);
    if (!ips.includes(ip)) ips.push(ip);
  };
  add(s.clusterIP, join(sp, 'clusterIP'));
  for (const [i, v] of listAt(s, 'clusterIPs', sp).entries()) add(v, join(join(sp, 'clusterIPs'), i));
  const ports: ServicePort[] = listAt(s, 'ports', sp).map((p, i) => {
    const pp = join(join(sp, 'ports'), i);
    if (!isObj(p)) throw new FieldError(pp, `expected a map, got ${describe(p)}`);
    const port = intAt(p, 'port', pp, 1, 65535);
    if (port === undefined) throw new FieldError(join(pp, 'port'), 'required field is missing');
    const tp = p.targetPort;
    if (tp !== undefined && tp !== null && typeof tp !== 'number' && typeof tp !== 'string') throw new FieldError(join(pp, 'targetPort'), `expected a number or name, got ${describe(tp)}`);
    return { name: strAt(p, 'name', pp) ?? null, protocol: k8sProtocol(p, pp), port, targetPort: (tp as number | string | undefined) ?? null };
  });
  return { kind: 'Service', name: nameOf(meta, mp), namespace: namespaceOf(meta, mp), clusterIPs: ips, ports };
}

function endpointSlice(doc: Obj, path: string): EndpointSlice {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const labels = labelsAt(meta, 'labels', mp);
  const addressType = strAt(doc, 'addressType', path) ?? 'IPv4';
  if (addressType !== 'IPv4' && addressType !== 'IPv6' && addressType !== 'FQDN') {
    throw new FieldError(join(path, 'addressType'), `invalid addressType ${JSON.stringify(addressType)} (IPv4, IPv6 or FQDN)`);
  }
  const addresses: string[] = [];
  for (const [i, e] of listAt(doc, 'endpoints', path).entries()) {
    const ep = join(join(path, 'endpoints'), i);
    if (!isObj(e)) throw new FieldError(ep, `expected a map, got ${describe(e)}`);
    const cond = objAt(e, 'conditions', ep);
    if (cond && cond.ready === false) continue;
    for (const [j, a] of listAt(e, 'addresses', ep).entries()) {
      if (addressType === 'FQDN') continue;
      const ip = ipAt(a, join(join(ep, 'addresses'), j));
      if (!addresses.includes(ip)) addresses.push(ip);
    }
  }
  const ports: EndpointSlicePort[] = listAt(doc, 'ports', path).map((p, i) => {
    const pp = join(join(path, 'ports'), i);
    if (!isObj(p)) throw new FieldError(pp, `expected a map, got ${describe(p)}`);
    return { name: strAt(p, 'name', pp) ?? null, protocol: k8sProtocol(p, pp), port: intAt(p, 'port', pp, 1, 65535) ?? null };
  });
  return {
    kind: 'EndpointSlice', name: nameOf(meta, mp), namespace: namespaceOf(meta, mp),
    serviceName: labels.get('kubernetes.io/service-name') ?? null, addresses, ports,
  };
}

// Node addresses that are host endpoint addresses (Calico's auto host endpoints take these two;
// Hostname and the DNS types are names, not addresses).
const NODE_ADDRESS_TYPES: ReadonlySet<string> = new Set(['InternalIP', 'ExternalIP']);

function node(doc: Obj, path: string): Node {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const labels = labelsAt(meta, 'labels', mp);
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  const stp = join(path, 'status');
  const st = objAt(doc, 'status', path) ?? {};
  const addresses: string[] = [];
  for (const [i, a] of listAt(st, 'addresses', stp).entries()) {
    const ap = join(join(stp, 'addresses'), i);
    if (!isObj(a)) throw new FieldError(ap, `expected a map, got ${describe(a)}`);
    const type = strAt(a, 'type', ap, true) as string;
    const address = strAt(a, 'address', ap, true) as string;
    if (!NODE_ADDRESS_TYPES.has(type)) continue;
    const ip = ipAt(address, join(ap, 'address'));
    if (!addresses.includes(ip)) addresses.push(ip);
  }
  const podCIDRs: Cidr[] = [];
  const single = strAt(s, 'podCIDR', sp);
  if (single) podCIDRs.push(cidrAt(single, join(sp, 'podCIDR')));
  for (const c of cidrListAt(s, 'podCIDRs', sp)) if (!podCIDRs.some((x) => x.text === c.text)) podCIDRs.push(c);
  return { kind: 'Node', name, labels, addresses, podCIDRs };
}

// ---------------------------------------------------------------------------------------------
// Admin network policies (policy.networking.k8s.io) → global policies of Calico's admin tiers,
// as libcalico-go converts them (docs/calico-semantics.md §4): AdminNetworkPolicy and
// BaselineAdminNetworkPolicy as Calico 3.29–3.31 (conversion.go K8sAdminNetworkPolicyToCalico,
// K8sBaselineAdminNetworkPolicyToCalico), ClusterNetworkPolicy as 3.32
// (clusternetworkpolicy.go K8sClusterNetworkPolicyToCalico).

/** The tier each admin kind lands in (ClusterNetworkPolicy: by spec.tier). */
export const ADMIN_TIERS = Object.freeze({
  AdminNetworkPolicy: 'adminnetworkpolicy',
  BaselineAdminNetworkPolicy: 'baselineadminnetworkpolicy',
  Admin: 'kube-admin',
  Baseline: 'kube-baseline',
});

const ADMIN_ACTIONS: Readonly<Record<AdminPolicyKind, Readonly<Record<string, RuleAction>>>> = {
  AdminNetworkPolicy: { Allow: 'Allow', Deny: 'Deny', Pass: 'Pass' },
  BaselineAdminNetworkPolicy: { Allow: 'Allow', Deny: 'Deny' },
  ClusterNetworkPolicy: { Accept: 'Allow', Deny: 'Deny', Pass: 'Pass' },
};

/** A rule Calico cannot convert: why (for the note) — its action decides what Calico puts instead. */
class UnconvertibleRule extends Error {}

interface AdminPort { protocol: string; port: number | string | null }

/** ANP/BANP `ports` → (protocol, port) entries; null = every protocol and port (unpackANPPorts). */
function anpPortsAt(rule: Obj, path: string, notes: string[], where: string): AdminPort[] | null {
  const raw = listAt(rule, 'ports', path);
  if (raw.length === 0) return null;
  const out: AdminPort[] = [];
  for (const [i, p] of raw.entries()) {
    const pp = join(join(path, 'ports'), i);
    if (!isObj(p)) throw new FieldError(pp, `expected a map, got ${describe(p)}`);
    const set = ['portNumber', 'namedPort', 'portRange'].filter((k) => p[k] !== undefined && p[k] !== null);
    if (set.length !== 1) throw new FieldError(pp, `exactly one of portNumber, namedPort or portRange, got ${set.length === 0 ? 'none' : set.join(', ')}`);
    if (set[0] === 'namedPort') {
      const name = strAt(p, 'namedPort', pp, true) as string;
      if (!NAMED_PORT_RE.test(name)) throw new FieldError(join(pp, 'namedPort'), `invalid port name ${JSON.stringify(name)}`);
      // Calico 3.29–3.31 do not convert named ports ("TODO: Add support for NamedPorts"): the
      // entry reads as no port at all, which turns the whole rule into "every protocol and port".
      notes.push(`${where}: namedPort ${JSON.stringify(name)} is read as every port, as Calico 3.29–3.31 convert it (the rule matches any protocol and port)`);
      return null;
    }
    if (set[0] === 'portNumber') {
      const o = objAt(p, 'portNumber', pp) as Obj;
      const op = join(pp, 'portNumber');
      const port = intAt(o, 'port', op, 1, 65535);
      if (port === undefined) throw new FieldError(join(op, 'port'), 'required field is missing');
      out.push({ protocol: k8sProtocolName(o, op), port });
    } else {
      const o = objAt(p, 'portRange', pp) as Obj;
      const op = join(pp, 'portRange');
      const start = intAt(o, 'start', op, 1, 65535);
      const end = intAt(o, 'end', op, 1, 65535);
      if (start === undefined) throw new FieldError(join(op, 'start'), 'required field is missing');
      if (end === undefined) throw new FieldError(join(op, 'end'), 'required field is missing');
      if (end < start) throw new FieldError(join(op, 'end'), `end ${end} is below start ${start}`);
      out.push({ protocol: k8sProtocolName(o, op), port: `${start}:${end}` });
    }
  }
  return out;
}

function k8sProtocolName(o: Obj, path: string): string {
  const proto = strAt(o, 'protocol', path) ?? 'TCP';
  if (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP') throw new FieldError(join(path, 'protocol'), `invalid protocol ${JSON.stringify(proto)} (TCP, UDP or SCTP)`);
  return proto;
}

/** CNP `protocols` → entries; null = every protocol and port (unpackCNPProtocols). */
function cnpProtocolsAt(rule: Obj, path: string): AdminPort[] | null {
  const raw = listAt(rule, 'protocols', path);
  if (raw.length === 0) return null;
  const out: AdminPort[] = [];
  for (const [i, p] of raw.entries()) {
    const pp = join(join(path, 'protocols'), i);
    if (!isObj(p)) throw new FieldError(pp, `expected a map, got ${describe(p)}`);
    const set = ['tcp', 'udp', 'sctp', 'destinationNamedPort'].filter((k) => p[k] !== undefined && p[k] !== null);
    if (set.length !== 1) throw new FieldError(pp, `exactly one of tcp, udp, sctp or destinationNamedPort, got ${set.length === 0 ? 'none' : set.join(', ')}`);
    const key = set[0] as string;
    if (key === 'destinationNamedPort') {
      const name = strAt(p, key, pp, true) as string;
      if (!NAMED_PORT_RE.test(name)) throw new FieldError(join(pp, key), `invalid port name ${JSON.stringify(name)}`);
      out.push({ protocol: '', port: name });
      continue;
    }
    const o = objAt(p, key, pp) as Obj;
    const op = join(pp, key);
    const protocol = key.toUpperCase();
    const dp = objAt(o, 'destinationPort', op);
    if (!dp) {
      out.push({ protocol, port: null });
      continue;
    }
    const dpp = join(op, 'destinationPort');
    const number = intAt(dp, 'number', dpp, 0, 65535);
    const range = objAt(dp, 'range', dpp);
    if (number !== undefined && number !== 0 && range) throw new FieldError(dpp, 'exactly one of number or range');
    if (range) {
      const rp = join(dpp, 'range');
      const start = intAt(range, 'start', rp, 1, 65535);
      const end = intAt(range, 'end', rp, 1, 65535);
      if (start === undefined) throw new FieldError(join(rp, 'start'), 'required field is missing');
      if (end === undefined) throw new FieldError(join(rp, 'end'), 'required field is missing');
      if (end < start) throw new FieldError(join(rp, 'end'), `end ${end} is below start ${start}`);
      out.push({ protocol, port: `${start}:${end}` });
    } else {
      out.push({ protocol, port: number === undefined || number === 0 ? null : number });
    }
  }
  return out;
}

/** Entries grouped by protocol (sorted, "" = no protocol), null port list = every port. */
function groupByProtocol(entries: AdminPort[] | null): Array<[string, (number | string)[] | null]> {
  if (entries === null) return [['', null]];
  const byProto = new Map<string, (number | string)[] | null>();
  for (const e of entries) {
    if (e.port === null) byProto.set(e.protocol, null);
    else {
      const existing = byProto.get(e.protocol);
      if (existing === undefined) byProto.set(e.protocol, [e.port]);
      else if (existing !== null) existing.push(e.port);
    }
  }
  return [...byProto.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A namespaced-pod peer or subject (`{namespaceSelector, podSelector}`). */
function namespacedPodAt(o: Obj, key: string, path: string): { selector: string; namespaceSelector: string } {
  const p = join(path, key);
  const pods = objAt(o, key, path) as Obj;
  return {
    selector: k8sSelectorText(objAt(pods, 'podSelector', p, true), join(p, 'podSelector'), 'pod'),
    namespaceSelector: k8sSelectorText(objAt(pods, 'namespaceSelector', p, true), join(p, 'namespaceSelector'), 'namespace'),
  };
}

/** One peer → the entity fields of its Calico rule side; throws UnconvertibleRule for kinds Calico does not convert. */
function adminPeerAt(peer: unknown, path: string, egress: boolean): Obj {
  if (!isObj(peer)) throw new FieldError(path, `expected a map, got ${describe(peer)}`);
  const keys = Object.keys(peer).filter((k) => peer[k] !== undefined && peer[k] !== null);
  if (keys.length !== 1) throw new FieldError(path, `a peer sets exactly one field, got ${keys.length === 0 ? 'none' : keys.join(', ')}`);
  const key = keys[0] as string;
  if (key === 'namespaces') return { namespaceSelector: k8sSelectorText(objAt(peer, key, path), join(path, key), 'namespace') };
  if (key === 'pods') return namespacedPodAt(peer, key, path);
  if (egress && key === 'networks') return { nets: cidrListAt(peer, key, path).map((c) => c.text) };
  if (egress && (key === 'nodes' || key === 'domainNames')) throw new UnconvertibleRule(`${key} peers are not converted by Calico`);
  throw new FieldError(join(path, key), `unknown ${egress ? 'egress' : 'ingress'} peer field (${egress ? 'namespaces, pods, networks, nodes or domainNames' : 'namespaces or pods'})`);
}

function adminRulesAt(kind: AdminPolicyKind, s: Obj, sp: string, direction: 'ingress' | 'egress', notes: string[]): Rule[] {
  const rules: Rule[] = [];
  for (const [i, r] of listAt(s, direction, sp).entries()) {
    const rp = join(join(sp, direction), i);
    if (!isObj(r)) throw new FieldError(rp, `expected a map, got ${describe(r)}`);
    const actionText = strAt(r, 'action', rp, true) as string;
    const action = ADMIN_ACTIONS[kind][actionText];
    if (action === undefined) throw new FieldError(join(rp, 'action'), `invalid action ${JSON.stringify(actionText)} (${Object.keys(ADMIN_ACTIONS[kind]).join(', ')})`);
    // No policy name in the text: identical notes of many policies count as one warning (the
    // issue's file and document say which; a verdict's caveat names the policy).
    const where = `${kind} ${direction} rule ${i}${typeof r.name === 'string' && r.name ? ` (${r.name})` : ''}`;
    const peersKey = direction === 'ingress' ? 'from' : 'to';
    const peersRaw = listAt(r, peersKey, rp);
    if (peersRaw.length === 0) throw new FieldError(join(rp, peersKey), 'at least one peer is required');
    try {
      const peers = peersRaw.map((p, j) => adminPeerAt(p, join(join(rp, peersKey), j), direction === 'egress'));
      const groups = groupByProtocol(kind === 'ClusterNetworkPolicy' ? cnpProtocolsAt(r, rp) : anpPortsAt(r, rp, notes, where));
      for (const [proto, ports] of groups) {
        for (const peer of peers) {
          const raw: Obj = { action };
          if (proto !== '') raw.protocol = proto;
          const local: Obj = ports !== null ? { ports } : {};
          if (direction === 'ingress') {
            raw.source = peer;
            raw.destination = local;
          } else {
            raw.destination = { ...peer, ...local };
          }
          rules.push(ruleAt(raw, rp, { namespace: null, direction }));
        }
      }
    } catch (err) {
      if (!(err instanceof UnconvertibleRule)) throw err;
      // Fail closed as Calico does: a Deny or Pass rule becomes deny-all, an Allow/Accept rule is dropped.
      if (action === 'Allow') notes.push(`${where}: dropped, as Calico drops it (${err.message})`);
      else {
        notes.push(`${where}: replaced by a deny-all rule, as Calico replaces it (${err.message})`);
        rules.push(ruleAt({ action: 'Deny' }, rp, { namespace: null, direction }));
      }
    }
  }
  return rules;
}

function adminPolicy(kind: AdminPolicyKind, doc: Obj, path: string): Policy {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  // The API server admits a single BaselineAdminNetworkPolicy, named "default" (its CRD's rule).
  if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default') {
    throw new FieldError(join(mp, 'name'), `a BaselineAdminNetworkPolicy must be named "default", got ${JSON.stringify(name)}`);
  }
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path, true) as Obj;
  let tier: string;
  let order: number;
  if (kind === 'BaselineAdminNetworkPolicy') {
    tier = ADMIN_TIERS.BaselineAdminNetworkPolicy;
    order = 1000;
  } else {
    const priority = intAt(s, 'priority', sp, 0, 1000);
    if (priority === undefined) throw new FieldError(join(sp, 'priority'), 'required field is missing');
    order = priority;
    if (kind === 'ClusterNetworkPolicy') {
      const t = strAt(s, 'tier', sp, true);
      if (t !== 'Admin' && t !== 'Baseline') throw new FieldError(join(sp, 'tier'), `invalid tier ${JSON.stringify(t)} (Admin or Baseline)`);
      tier = ADMIN_TIERS[t];
    } else {
      tier = ADMIN_TIERS.AdminNetworkPolicy;
    }
  }
  const subject = objAt(s, 'subject', sp, true) as Obj;
  const subp = join(sp, 'subject');
  const subjectKeys = ['namespaces', 'pods'].filter((k) => subject[k] !== undefined && subject[k] !== null);
  if (subjectKeys.length !== 1) throw new FieldError(subp, `exactly one of namespaces or pods, got ${subjectKeys.length === 0 ? 'none' : subjectKeys.join(', ')}`);
  // A namespaces subject still selects pods only (the orchestrator clause keeps host endpoints out).
  const sel = subjectKeys[0] === 'namespaces'
    ? { selector: k8sSelectorText(undefined, join(subp, 'namespaces'), 'pod'), namespaceSelector: k8sSelectorText(objAt(subject, 'namespaces', subp), join(subp, 'namespaces'), 'namespace') }
    : namespacedPodAt(subject, 'pods', subp);
  const selAst = parseSel(sel.selector, subp);
  const nsAst = parseSel(sel.namespaceSelector, subp);
  const selector = spec(`${sel.selector}; namespaceSelector: ${sel.namespaceSelector}`, withNamespaceSelector(selAst, nsAst));
  const notes: string[] = [];
  const ingress = adminRulesAt(kind, s, sp, 'ingress', notes);
  const egress = adminRulesAt(kind, s, sp, 'egress', notes);
  const legacyName = kind === 'AdminNetworkPolicy' ? `kanp.adminnetworkpolicy.${name}` : kind === 'BaselineAdminNetworkPolicy' ? `kbanp.baselineadminnetworkpolicy.${name}` : name;
  return {
    kind, name, namespace: null, tier, order, staged: false, selector,
    // The admin tiers default to Pass, so a direction only counts when it has rules (calculateANPPolicyTypes).
    types: { ingress: ingress.length > 0, egress: egress.length > 0 },
    ingress, egress, doNotTrack: false, preDNAT: false, applyOnForward: false, legacyName, notes,
  };
}

// ---------------------------------------------------------------------------------------------
// FelixConfiguration (failsafe ports only)

const FELIX_FIELDS_READ: ReadonlySet<string> = new Set(['failsafeInboundHostPorts', 'failsafeOutboundHostPorts']);

function failsafePortsAt(s: Obj, key: string, path: string): FailsafePort[] | null {
  if (s[key] === undefined || s[key] === null) return null;
  return listAt(s, key, path).map((v, i) => {
    const p = join(join(path, key), i);
    if (!isObj(v)) throw new FieldError(p, `expected a map {protocol, port, net}, got ${describe(v)}`);
    const port = intAt(v, 'port', p, 0, 65535);
    if (port === undefined) throw new FieldError(join(p, 'port'), 'required field is missing');
    // felixconfig.go: "if the protocol is not specified, it defaults to tcp".
    const protoRaw = v.protocol ?? 'TCP';
    const protocol = parseProtocol(protoRaw);
    if (protocol === null || !PORT_PROTOCOLS.has(protocol)) throw new FieldError(join(p, 'protocol'), `invalid protocol ${describe(protoRaw)} (TCP, UDP or SCTP)`);
    const netText = strAt(v, 'net', p);
    let net: Cidr | null = null;
    if (netText !== undefined && netText !== '') {
      net = parseCidr(netText) ?? (canonicalIp(netText) !== null ? parseCidr(`${netText}/${netText.includes(':') ? 128 : 32}`) : null);
      if (net === null) throw new FieldError(join(p, 'net'), `invalid CIDR ${JSON.stringify(netText)}`);
    }
    return { protocol, port, net };
  });
}

function felixConfiguration(doc: Obj, path: string): FelixConfiguration {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const name = nameOf(meta, join(path, 'metadata'));
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  return {
    kind: 'FelixConfiguration', name,
    failsafeInboundHostPorts: failsafePortsAt(s, 'failsafeInboundHostPorts', sp),
    failsafeOutboundHostPorts: failsafePortsAt(s, 'failsafeOutboundHostPorts', sp),
  };
}

function parseKnown(kind: ResourceKind, doc: Obj, path: string): Resource | null {
  switch (kind) {
    case 'Tier': return tier(doc, path);
    case 'GlobalNetworkPolicy': case 'NetworkPolicy': case 'StagedGlobalNetworkPolicy': case 'StagedNetworkPolicy':
      return calicoPolicy(kind, doc, path);
    case 'KubernetesNetworkPolicy': case 'StagedKubernetesNetworkPolicy':
      return k8sPolicy(kind, doc, path);
    case 'GlobalNetworkSet': case 'NetworkSet': return networkSet(kind, doc, path);
    case 'HostEndpoint': return hostEndpoint(doc, path);
    case 'WorkloadEndpoint': return workloadEndpoint(doc, path);
    case 'Profile': return profile(doc, path);
    case 'Pod': return pod(doc, path);
    case 'Namespace': return namespaceRes(doc, path);
    case 'ServiceAccount': return serviceAccount(doc, path);
    case 'Service': return service(doc, path);
    case 'EndpointSlice': return endpointSlice(doc, path);
    case 'Node': return node(doc, path);
    case 'AdminNetworkPolicy': case 'BaselineAdminNetworkPolicy': case 'ClusterNetworkPolicy':
      return adminPolicy(kind, doc, path);
    case 'FelixConfiguration': return felixConfiguration(doc, path);
  }
}

/** Maps apiVersion + kind to the internal kind, or undefined when segflow does not know it. */
export function internalKind(apiVersion: string, kind: string): ResourceKind | undefined {
  return KINDS.get(`${apiVersion}/${kind}`);
}

/**
 * Parses one document (a resource or a `kind: List`). Invalid documents (or list items) are
 * skipped with an error issue; unknown kinds are skipped with a warning. Never throws for bad
 * input.
 */
export function parseDocument(doc: unknown, origin: DocumentOrigin, pathPrefix = ''): ParseResult {
  const resources: Resource[] = [];
  const issues: LoadIssue[] = [];
  const issue = (severity: 'error' | 'warning', path: string, reason: string, column?: number): void => {
    issues.push(makeIssue(severity, origin.file, origin.document, path, reason, column));
  };
  if (doc === null || doc === undefined) return { resources, issues };
  if (!isObj(doc)) {
    issue('error', pathPrefix, `expected a resource map, got ${describe(doc)}`);
    return { resources, issues };
  }
  const apiVersion = doc.apiVersion;
  const kind = doc.kind;
  if (typeof kind !== 'string' || kind === '') {
    issue('error', join(pathPrefix, 'kind'), 'required field is missing');
    return { resources, issues };
  }
  if (kind === 'List' || kind.endsWith('List')) {
    const items = doc.items;
    if (!Array.isArray(items)) {
      issue('error', join(pathPrefix, 'items'), `expected a list, got ${describe(items)}`);
      return { resources, issues };
    }
    for (const [i, item] of items.entries()) {
      const sub = parseDocument(item, origin, join(join(pathPrefix, 'items'), i));
      resources.push(...sub.resources);
      issues.push(...sub.issues);
    }
    return { resources, issues };
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    issue('error', join(pathPrefix, 'apiVersion'), 'required field is missing');
    return { resources, issues };
  }
  const internal = internalKind(apiVersion, kind);
  if (internal === undefined) {
    issue('warning', join(pathPrefix, 'kind'), `unknown kind ${JSON.stringify(kind)} (apiVersion ${apiVersion}), skipped`);
    return { resources, issues };
  }
  try {
    const r = parseKnown(internal, doc, pathPrefix);
    if (r !== null) resources.push(r);
    // What a conversion could not carry over as written is a warning (and the verdicts it decides repeat it).
    if (r !== null && 'notes' in r) for (const note of r.notes) issue('warning', join(pathPrefix, 'spec'), note);
    if (r !== null && r.kind === 'FelixConfiguration') {
      const ignored = Object.keys(isObj(doc.spec) ? doc.spec : {}).filter((k) => !FELIX_FIELDS_READ.has(k)).sort();
      if (ignored.length > 0) issue('warning', join(pathPrefix, 'spec'), `FelixConfiguration ${r.name}: only the failsafe port lists are evaluated; ignored: ${ignored.join(', ')}`);
    }
  } catch (err) {
    if (err instanceof FieldError) issue('error', err.path, err.reason, err.column);
    else throw err;
  }
  return { resources, issues };
}

export { PROTOCOL_NUMBERS };
