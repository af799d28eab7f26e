/**
 * Kubernetes NetworkPolicy (and Calico's StagedKubernetesNetworkPolicy), converted to a Calico
 * policy in the default tier the way Calico's `K8sNetworkPolicyToCalico` does.
 */
import type { Policy, Rule } from '../model/resources.ts';
import { andSelectors } from '../selector/index.ts';
import { FieldError } from './errors.ts';
import { ORCHESTRATOR_LABEL } from './calico-labels.ts';
import { NAMED_PORT_RE, namespaceClause, parseSel, ruleAt, selectorSpec, stagedActionAt } from './calico-rules.ts';
import { cidrAt, describe, intAt, isObj, join, labelKeyProblem, labelsAt, listAt, nameOf, namespaceOf, type Obj, objAt, strAt, stringListAt } from './field-readers.ts';

export function k8sSelectorText(s: Obj | undefined, path: string, type: 'pod' | 'namespace'): string {
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

export function parseKubernetesPolicy(kind: 'KubernetesNetworkPolicy' | 'StagedKubernetesNetworkPolicy', doc: Obj, path: string): Policy | null {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const namespace = namespaceOf(meta, mp);
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  const staged = kind === 'StagedKubernetesNetworkPolicy';
  if (staged && stagedActionAt(s, sp) === 'Delete') return null;
  const podSelText = k8sSelectorText(objAt(s, 'podSelector', sp), join(sp, 'podSelector'), 'pod');
  const selector = selectorSpec(podSelText, andSelectors(parseSel(podSelText, join(sp, 'podSelector')), namespaceClause(namespace)));

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
  return {
    kind, name, namespace, tier: 'default', order: 1000, staged, selector, types, ingress, egress,
    doNotTrack: false, preDNAT: false, applyOnForward: false, notes: [],
  };
}

// Other kinds
