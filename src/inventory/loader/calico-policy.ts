/** Calico's own policy resources: (Staged)(Global)NetworkPolicy, Tier, (Global)NetworkSet, Profile. */
import { isNamespacedKind, type NetworkSet, type Policy, type PolicyKind, type Profile, type Tier } from '../model/resources.ts';
import { andSelectors, nodes, prefixLabelKeys, replaceAll, type SelectorNode } from '../selector/index.ts';
import { FieldError } from './errors.ts';
import { NAMESPACE_LABEL } from './calico-labels.ts';
import { HAS_SERVICE_ACCOUNT, namespaceClause, noGlobal, rulesAt, selAt, selectorSpec, stagedActionAt, tierNameAt, typesAt, withNamespaceSelector } from './calico-rules.ts';
import { boolAt, cidrListAt, join, labelsAt, listAt, nameOf, namespaceOf, numAt, type Obj, objAt, strAt } from './field-readers.ts';

export function parseCalicoPolicy(kind: PolicyKind, doc: Obj, path: string): Policy | null {
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
  const selector = selectorSpec([sel?.text ?? 'all()', nsSel ? `namespaceSelector: ${nsSel.text}` : '', saSel ? `serviceAccountSelector: ${saSel.text}` : ''].filter(Boolean).join('; '), ast ?? nodes.all());

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

  return { kind, name, namespace, tier, order, staged, selector, types, ingress, egress, doNotTrack, preDNAT, applyOnForward, notes: [] };
}

// Kubernetes NetworkPolicy (and StagedKubernetesNetworkPolicy) → Calico (conversion.go)

export function parseTier(doc: Obj, path: string): Tier {
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

export function parseNetworkSet(kind: 'NetworkSet' | 'GlobalNetworkSet', doc: Obj, path: string): NetworkSet {
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

export function parseProfile(doc: Obj, path: string): Profile {
  const meta = objAt(doc, 'metadata', path, true) as Obj;
  const name = nameOf(meta, join(path, 'metadata'));
  const sp = join(path, 'spec');
  const s = objAt(doc, 'spec', path) ?? {};
  return {
    kind: 'Profile', name, ingress: rulesAt(s, 'ingress', sp, null), egress: rulesAt(s, 'egress', sp, null),
    labelsToApply: labelsAt(s, 'labelsToApply', sp),
  };
}
