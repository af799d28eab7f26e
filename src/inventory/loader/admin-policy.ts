/**
 * Kubernetes admin network policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
 * ClusterNetworkPolicy), converted to Calico policies in their own tiers; what cannot be
 * expressed as written is kept as a note on the policy.
 */
import type { AdminPolicyKind, Policy, Rule, RuleAction } from '../model/resources.ts';
import { FieldError } from './errors.ts';
import { NAMED_PORT_RE, parseSel, ruleAt, selectorSpec, withNamespaceSelector } from './calico-rules.ts';
import { cidrListAt, describe, intAt, isObj, join, listAt, nameOf, type Obj, objAt, strAt } from './field-readers.ts';
import { k8sSelectorText } from './kubernetes-policy.ts';

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

export function parseAdminPolicy(kind: AdminPolicyKind, doc: Obj, path: string): Policy {
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
  const selector = selectorSpec(`${sel.selector}; namespaceSelector: ${sel.namespaceSelector}`, withNamespaceSelector(selAst, nsAst));
  const notes: string[] = [];
  const ingress = adminRulesAt(kind, s, sp, 'ingress', notes);
  const egress = adminRulesAt(kind, s, sp, 'egress', notes);
  return {
    kind, name, namespace: null, tier, order, staged: false, selector,
    // The admin tiers default to Pass, so a direction only counts when it has rules (calculateANPPolicyTypes).
    types: { ingress: ingress.length > 0, egress: egress.length > 0 },
    ingress, egress, doNotTrack: false, preDNAT: false, applyOnForward: false, notes,
  };
}

// FelixConfiguration (failsafe ports only)
