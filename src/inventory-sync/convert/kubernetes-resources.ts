/**
 * The body (everything but apiVersion, kind and metadata) of Kubernetes objects, reduced to the
 * fields the inventory loader reads (src/inventory/loader/parse-resource.ts), so that status
 * heartbeats, controller bookkeeping and other churn never change a document.
 */
import { podAddressesOf } from './pod-addresses.ts';
import { copyJson, fieldPath, isMap, setDefined, type FieldProblems, type JsonMap } from './field-problems.ts';

type BodyOf = (object: JsonMap, problems: FieldProblems, warnings: string[]) => JsonMap;

/** A container's named ports (the only ones Calico and the loader use for policy). */
function namedPortsOf(container: JsonMap, path: string, problems: FieldProblems): JsonMap[] {
  const out: JsonMap[] = [];
  problems.list(container, 'ports', path).forEach((port, i) => {
    const p = fieldPath(fieldPath(path, 'ports'), i);
    if (!isMap(port)) {
      problems.add(p, 'expected a map');
      return;
    }
    const name = problems.string(port, 'name', p);
    const containerPort = port.containerPort;
    if (typeof containerPort !== 'number' || !Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) {
      problems.add(fieldPath(p, 'containerPort'), `expected a port 1-65535, got ${JSON.stringify(containerPort ?? null)}`);
      return;
    }
    const protocol = problems.string(port, 'protocol', p);
    if (name === undefined || name === '') return;
    out.push({ name, containerPort, protocol: protocol || 'TCP' });
  });
  return out;
}

/** Containers that declare named ports, as `{name, ports}` (others carry nothing the loader reads). */
function containersOf(spec: JsonMap, key: 'containers' | 'initContainers', problems: FieldProblems): JsonMap[] {
  const out: JsonMap[] = [];
  problems.list(spec, key, 'spec').forEach((c, i) => {
    const p = fieldPath(fieldPath('spec', key), i);
    if (!isMap(c)) {
      problems.add(p, 'expected a map');
      return;
    }
    const ports = namedPortsOf(c, p, problems);
    if (ports.length > 0) out.push({ name: problems.string(c, 'name', p) ?? '', ports });
  });
  return out;
}

const pod: BodyOf = (object, problems, warnings) => {
  const raw = problems.map(object, 'spec', '') ?? {};
  const spec: JsonMap = {};
  setDefined(spec, 'nodeName', problems.string(raw, 'nodeName', 'spec') || undefined);
  if (problems.boolean(raw, 'hostNetwork', 'spec') === true) spec.hostNetwork = true;
  // Calico reads serviceAccountName only (never the deprecated serviceAccount).
  setDefined(spec, 'serviceAccountName', problems.string(raw, 'serviceAccountName', 'spec') || undefined);
  const containers = containersOf(raw, 'containers', problems);
  if (containers.length > 0) spec.containers = containers;
  // Calico also takes the named ports of init containers (sidecars serve on them).
  const initContainers = containersOf(raw, 'initContainers', problems);
  if (initContainers.length > 0) spec.initContainers = initContainers;

  const status: JsonMap = {};
  const rawStatus = problems.map(object, 'status', '') ?? {};
  setDefined(status, 'phase', problems.string(rawStatus, 'phase', 'status') || undefined);
  const addresses = podAddressesOf(object, problems);
  if (addresses.ips.length > 0) {
    status.podIP = addresses.ips[0];
    status.podIPs = addresses.ips.map((ip) => ({ ip }));
    if (addresses.source !== null && !addresses.source.startsWith('status.')) {
      warnings.push(`status: no pod IP reported yet; addresses taken from ${addresses.source}, as Calico takes them`);
    }
  }
  return { spec, status };
};

const node: BodyOf = (object, problems) => {
  const raw = problems.map(object, 'spec', '') ?? {};
  const spec: JsonMap = {};
  setDefined(spec, 'podCIDR', problems.string(raw, 'podCIDR', 'spec') || undefined);
  const podCIDRs = problems.list(raw, 'podCIDRs', 'spec');
  if (podCIDRs.length > 0) spec.podCIDRs = copyJson(podCIDRs);
  const rawStatus = problems.map(object, 'status', '') ?? {};
  const addresses: JsonMap[] = [];
  problems.list(rawStatus, 'addresses', 'status').forEach((a, i) => {
    const p = fieldPath(fieldPath('status', 'addresses'), i);
    if (!isMap(a)) {
      problems.add(p, 'expected a map with type and address');
      return;
    }
    const type = problems.string(a, 'type', p, true);
    const address = problems.string(a, 'address', p, true);
    if (type !== undefined && address !== undefined) addresses.push({ type, address });
  });
  return { spec, status: addresses.length > 0 ? { addresses } : {} };
};

const service: BodyOf = (object, problems) => {
  const raw = problems.map(object, 'spec', '') ?? {};
  const spec: JsonMap = {};
  setDefined(spec, 'clusterIP', problems.string(raw, 'clusterIP', 'spec') || undefined);
  const clusterIPs = problems.list(raw, 'clusterIPs', 'spec');
  if (clusterIPs.length > 0) spec.clusterIPs = copyJson(clusterIPs);
  const ports: JsonMap[] = [];
  problems.list(raw, 'ports', 'spec').forEach((port, i) => {
    const p = fieldPath(fieldPath('spec', 'ports'), i);
    if (!isMap(port)) {
      problems.add(p, 'expected a map');
      return;
    }
    const out: JsonMap = {};
    setDefined(out, 'name', problems.string(port, 'name', p) || undefined);
    out.protocol = problems.string(port, 'protocol', p) || 'TCP';
    setDefined(out, 'port', port.port);
    setDefined(out, 'targetPort', port.targetPort ?? undefined);
    ports.push(out);
  });
  if (ports.length > 0) spec.ports = ports;
  return { spec };
};

const endpointSlice: BodyOf = (object, problems) => {
  const out: JsonMap = {};
  setDefined(out, 'addressType', problems.string(object, 'addressType', ''));
  const endpoints: JsonMap[] = [];
  problems.list(object, 'endpoints', '').forEach((e, i) => {
    const p = fieldPath('endpoints', i);
    if (!isMap(e)) {
      problems.add(p, 'expected a map');
      return;
    }
    const entry: JsonMap = { addresses: copyJson(problems.list(e, 'addresses', p)) };
    const conditions = problems.map(e, 'conditions', p);
    // Only readiness matters to the loader (serving/terminating flip during rollouts).
    const ready = conditions === undefined ? undefined : problems.boolean(conditions, 'ready', fieldPath(p, 'conditions'));
    if (ready !== undefined) entry.conditions = { ready };
    endpoints.push(entry);
  });
  out.endpoints = endpoints;
  const ports: JsonMap[] = [];
  problems.list(object, 'ports', '').forEach((port, i) => {
    const p = fieldPath('ports', i);
    if (!isMap(port)) {
      problems.add(p, 'expected a map');
      return;
    }
    const entry: JsonMap = {};
    setDefined(entry, 'name', problems.string(port, 'name', p) || undefined);
    entry.protocol = problems.string(port, 'protocol', p) || 'TCP';
    setDefined(entry, 'port', port.port ?? undefined);
    ports.push(entry);
  });
  out.ports = ports;
  return out;
};

const metadataOnly: BodyOf = () => ({});

/** The whole spec (policies: the loader reads all of it). */
const wholeSpec: BodyOf = (object, problems) => {
  const spec = problems.map(object, 'spec', '');
  return { spec: spec === undefined ? {} : copyJson(spec) };
};

export interface KubernetesKind {
  readonly scope: 'namespaced' | 'cluster';
  readonly bodyOf: BodyOf;
}

/** `apiVersion/kind` → how to convert it. */
export const KUBERNETES_KINDS: ReadonlyMap<string, KubernetesKind> = new Map<string, KubernetesKind>([
  ['v1/Namespace', { scope: 'cluster', bodyOf: metadataOnly }],
  ['v1/ServiceAccount', { scope: 'namespaced', bodyOf: metadataOnly }],
  ['v1/Pod', { scope: 'namespaced', bodyOf: pod }],
  ['v1/Service', { scope: 'namespaced', bodyOf: service }],
  ['v1/Node', { scope: 'cluster', bodyOf: node }],
  ['discovery.k8s.io/v1/EndpointSlice', { scope: 'namespaced', bodyOf: endpointSlice }],
  ['networking.k8s.io/v1/NetworkPolicy', { scope: 'namespaced', bodyOf: wholeSpec }],
  // Admin policies are published as they are; evaluating them comes later.
  ['policy.networking.k8s.io/v1alpha1/AdminNetworkPolicy', { scope: 'cluster', bodyOf: wholeSpec }],
  ['policy.networking.k8s.io/v1alpha1/BaselineAdminNetworkPolicy', { scope: 'cluster', bodyOf: wholeSpec }],
  ['policy.networking.k8s.io/v1alpha2/ClusterNetworkPolicy', { scope: 'cluster', bodyOf: wholeSpec }],
]);
