/**
 * What policies select and flows resolve to: pods and Calico workload endpoints, host
 * endpoints, namespaces, service accounts, services and endpoint slices, nodes.
 */
import type { Cidr } from '../model/ip.ts';
import { parseProtocol, type EndpointResource, type EndpointSlice, type EndpointSlicePort, type NamedPort, type Namespace, type Node, type Service, type ServiceAccount, type ServicePort } from '../model/resources.ts';
import { FieldError } from './errors.ts';
import { K8S_NAMESPACE_NAME_LABEL, NAMESPACE_LABEL, ORCHESTRATOR_LABEL, SERVICE_ACCOUNT_LABEL } from './calico-labels.ts';
import { NAMED_PORT_RE } from './calico-rules.ts';
import { boolAt, cidrAt, cidrListAt, describe, intAt, ipAt, isObj, join, labelsAt, listAt, nameOf, namespaceOf, type Obj, objAt, strAt, stringListAt, timestampAt } from './field-readers.ts';

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

export function parsePod(doc: Obj, path: string): EndpointResource {
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

export function parseWorkloadEndpoint(doc: Obj, path: string): EndpointResource {
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

export function parseHostEndpoint(doc: Obj, path: string): EndpointResource {
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

export function parseNamespace(doc: Obj, path: string): Namespace {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const mp = join(path, 'metadata');
  const name = nameOf(meta, mp);
  const labels = labelsAt(meta, 'labels', mp);
  // The API server always sets this label.
  if (!labels.has(K8S_NAMESPACE_NAME_LABEL)) labels.set(K8S_NAMESPACE_NAME_LABEL, name);
  return { kind: 'Namespace', name, labels };
}

export function parseServiceAccount(doc: Obj, path: string): ServiceAccount {
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

export function parseService(doc: Obj, path: string): Service {
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

export function parseEndpointSlice(doc: Obj, path: string): EndpointSlice {
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

export function parseNode(doc: Obj, path: string): Node {
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

// Admin network policies (policy.networking.k8s.io) → global policies of Calico's admin tiers,
// as libcalico-go converts them (docs/calico-semantics.md §4): AdminNetworkPolicy and
// BaselineAdminNetworkPolicy as Calico 3.29–3.31 (conversion.go K8sAdminNetworkPolicyToCalico,
// K8sBaselineAdminNetworkPolicyToCalico), ClusterNetworkPolicy as 3.32
// (clusternetworkpolicy.go K8sClusterNetworkPolicyToCalico).
