/**
 * Plain object (one YAML/JSON document) → normalised resources. Pure: no I/O. Maps apiVersion +
 * kind to the internal kind and hands the document to its family's converter (calico-policy.ts,
 * kubernetes-policy.ts, admin-policy.ts, endpoint-resources.ts, felix-configuration.ts), all
 * built from the field readers in field-readers.ts. Every field read is validated; a bad
 * document becomes an error issue naming the field, an unknown kind a warning.
 */
import { PROTOCOL_NUMBERS, type Resource, type ResourceKind } from '../model/resources.ts';
import { FieldError, makeIssue, type LoadIssue } from './errors.ts';
import { parseAdminPolicy } from './admin-policy.ts';
import { parseCalicoPolicy, parseNetworkSet, parseProfile, parseTier } from './calico-policy.ts';
import { parseEndpointSlice, parseHostEndpoint, parseNamespace, parseNode, parsePod, parseService, parseServiceAccount, parseWorkloadEndpoint } from './endpoint-resources.ts';
import { FELIX_FIELDS_READ, parseFelixConfiguration } from './felix-configuration.ts';
import { describe, isObj, join, type Obj } from './field-readers.ts';
import { parseKubernetesPolicy } from './kubernetes-policy.ts';

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

// Field readers. Each throws FieldError(path, reason) for the first problem.

function parseKnown(kind: ResourceKind, doc: Obj, path: string): Resource | null {
  switch (kind) {
    case 'Tier': return parseTier(doc, path);
    case 'GlobalNetworkPolicy': case 'NetworkPolicy': case 'StagedGlobalNetworkPolicy': case 'StagedNetworkPolicy':
      return parseCalicoPolicy(kind, doc, path);
    case 'KubernetesNetworkPolicy': case 'StagedKubernetesNetworkPolicy':
      return parseKubernetesPolicy(kind, doc, path);
    case 'GlobalNetworkSet': case 'NetworkSet': return parseNetworkSet(kind, doc, path);
    case 'HostEndpoint': return parseHostEndpoint(doc, path);
    case 'WorkloadEndpoint': return parseWorkloadEndpoint(doc, path);
    case 'Profile': return parseProfile(doc, path);
    case 'Pod': return parsePod(doc, path);
    case 'Namespace': return parseNamespace(doc, path);
    case 'ServiceAccount': return parseServiceAccount(doc, path);
    case 'Service': return parseService(doc, path);
    case 'EndpointSlice': return parseEndpointSlice(doc, path);
    case 'Node': return parseNode(doc, path);
    case 'AdminNetworkPolicy': case 'BaselineAdminNetworkPolicy': case 'ClusterNetworkPolicy':
      return parseAdminPolicy(kind, doc, path);
    case 'FelixConfiguration': return parseFelixConfiguration(doc, path);
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
export { K8S_NAMESPACE_NAME_LABEL, NAME_LABEL, NAMESPACE_LABEL, ORCHESTRATOR_LABEL, SERVICE_ACCOUNT_LABEL } from './calico-labels.ts';
export { labelKeyProblem } from './field-readers.ts';
export { ADMIN_TIERS } from './admin-policy.ts';
