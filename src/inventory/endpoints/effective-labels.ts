/**
 * Effective labels (docs/policy-semantics.md §1.9): an endpoint's own labels plus the labels its profiles
 * apply. Kubernetes pods inherit from `kns.<ns>` (namespace labels as `pcns.*`) and
 * `ksa.<ns>.<sa>` (service-account labels as `pcsa.*`); the endpoint's own labels win, and an
 * earlier profile wins over a later one.
 */
import type { Labels } from '../selector/index.ts';
import { internLabels, internString } from '../selector/interned-string.ts';
import type { Profile, Rule } from '../model/resources.ts';
import { K8S_NAMESPACE_NAME_LABEL, NAME_LABEL } from '../loader/calico-labels.ts';

export const NAMESPACE_PROFILE_PREFIX = 'kns.';
export const SERVICE_ACCOUNT_PROFILE_PREFIX = 'ksa.';
export const DEFAULT_ALLOW_PROFILE = 'projectcalico-default-allow';

/** Labels the `kns.<ns>` profile applies for a namespace with these labels. */
export function namespaceProfileLabels(namespace: string, nsLabels: Labels | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (nsLabels) for (const [k, v] of nsLabels) out.set(`pcns.${k}`, v);
  if (!out.has(`pcns.${K8S_NAMESPACE_NAME_LABEL}`)) out.set(`pcns.${K8S_NAMESPACE_NAME_LABEL}`, namespace);
  out.set(`pcns.${NAME_LABEL}`, namespace);
  return out;
}

/** Labels the `ksa.<ns>.<sa>` profile applies. */
export function serviceAccountProfileLabels(name: string, saLabels: Labels | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (saLabels) for (const [k, v] of saLabels) out.set(`pcsa.${k}`, v);
  out.set(`pcsa.${NAME_LABEL}`, name);
  return out;
}

/** Own labels first, then each profile's labels for keys not yet present (interned, for matching). */
export function mergeLabels(own: Labels, inherited: readonly Labels[]): Labels {
  const out = internLabels(own);
  for (const labels of inherited) {
    for (const [k, v] of labels) if (!out.has(k)) out.set(internString(k), internString(v));
  }
  return out;
}

const EMPTY_ENTITY = Object.freeze({ nets: [], notNets: [], selector: null, notSelector: null, ports: [], notPorts: [], services: null });

/** A rule that matches everything with the given action. */
export function matchAllRule(action: Rule['action']): Rule {
  return Object.freeze({
    action, ipVersion: null, protocol: null, notProtocol: null, icmp: null, notICMP: null,
    source: EMPTY_ENTITY, destination: EMPTY_ENTITY, hasHttp: false,
  });
}

const ALLOW_ALL = matchAllRule('Allow');

/** The profile Calico generates for a namespace: allow everything both ways, apply pcns.* labels. */
export function namespaceProfile(namespace: string, nsLabels: Labels | undefined): Profile {
  return {
    kind: 'Profile', name: `${NAMESPACE_PROFILE_PREFIX}${namespace}`, ingress: [ALLOW_ALL], egress: [ALLOW_ALL],
    labelsToApply: namespaceProfileLabels(namespace, nsLabels),
  };
}

/** The profile Calico generates for a service account: no rules, apply pcsa.* labels. */
export function serviceAccountProfile(namespace: string, name: string, saLabels: Labels | undefined): Profile {
  return {
    kind: 'Profile', name: `${SERVICE_ACCOUNT_PROFILE_PREFIX}${namespace}.${name}`, ingress: [], egress: [],
    labelsToApply: serviceAccountProfileLabels(name, saLabels),
  };
}

/** `projectcalico-default-allow`, carried by auto host endpoints. */
export const DEFAULT_ALLOW: Profile = Object.freeze({
  kind: 'Profile', name: DEFAULT_ALLOW_PROFILE, ingress: [ALLOW_ALL], egress: [ALLOW_ALL], labelsToApply: new Map<string, string>(),
});
