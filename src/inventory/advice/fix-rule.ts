/**
 * The one rule a fix adds, as a policy document's rule: Calico v3 (`action`, `protocol`,
 * `source`/`destination` with selector, namespaceSelector, nets, ports) or Kubernetes
 * NetworkPolicy (`from`/`to` peers, `ports`). Pure.
 *
 * The peer is the flow's other end: the destination for an egress rule, the source for an ingress
 * rule. Workloads and host endpoints are named by their identity labels (stable-labels.ts) and
 * namespace, anything else by its address (/32 or /128). The port is the destination's, by name
 * when the destination endpoint declares that port under a name.
 */
import type { EndpointRef } from '../policy/verdict-engine.ts';
import type { NamedPort } from '../model/resources.ts';
import { peerSelector } from './stable-labels.ts';

export type RuleDirection = 'ingress' | 'egress';
export type FixAction = 'Allow' | 'Pass';

/** What the rule has to match: the flow's peer, protocol and destination port. */
export interface FixTarget {
  /** The end the rule names as its peer. */
  readonly peer: EndpointRef;
  /** IANA protocol number. */
  readonly protocol: number;
  /** Destination port (TCP/UDP/SCTP), null when the protocol has none. */
  readonly port: number | null;
  /** Ports the destination endpoint declares (for named ports); empty when none or not an endpoint. */
  readonly destinationPorts: readonly NamedPort[];
  readonly icmp: { readonly type: number; readonly code: number | null } | null;
}

/** Where the rule goes: the editing policy's namespace (null = cluster-scoped policy). */
export interface RuleHome {
  readonly namespace: string | null;
}

const CALICO_PROTOCOL: Readonly<Record<number, string>> = { 6: 'TCP', 17: 'UDP', 1: 'ICMP', 58: 'ICMPv6', 132: 'SCTP', 136: 'UDPLite' };
const K8S_PROTOCOL: Readonly<Record<number, string>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** The port to write: the destination's declared name for (protocol, port), else the number. */
export function portSpec(target: FixTarget): number | string | null {
  if (target.port === null) return null;
  const named = target.destinationPorts.find((p) => p.protocol === target.protocol && p.port === target.port);
  return named !== undefined ? named.name : target.port;
}

function addressNet(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

/** True when the peer can be named by labels (a workload, host endpoint or network set with labels). */
function labelledPeer(peer: EndpointRef): boolean {
  if (peer.kind === 'workload') return true;
  return (peer.kind === 'host' || peer.kind === 'networkset') && Object.keys(peerSelector(peer).labels).length > 0;
}

/** The Calico entity (`source` or `destination` body, without ports) naming the peer. */
export function calicoPeer(peer: EndpointRef, home: RuleHome): Record<string, unknown> {
  if (!labelledPeer(peer)) return { nets: [addressNet(peer.ip)] };
  const sel = peerSelector(peer);
  const out: Record<string, unknown> = { selector: sel.selector };
  if (sel.namespace === null) {
    // A namespaced policy's rule selectors only see its own namespace; global() reaches
    // cluster-scoped endpoints (host endpoints, global network sets).
    if (home.namespace !== null) out.namespaceSelector = 'global()';
  } else if (home.namespace !== sel.namespace) {
    out.namespaceSelector = `projectcalico.org/name == '${sel.namespace}'`;
  }
  return out;
}

/** A Calico v3 rule allowing (or passing) exactly the target, for a rule list of `direction`. */
export function calicoRule(action: FixAction, direction: RuleDirection, target: FixTarget, home: RuleHome): Record<string, unknown> {
  const rule: Record<string, unknown> = { action, protocol: CALICO_PROTOCOL[target.protocol] ?? target.protocol };
  if (target.icmp !== null) rule.icmp = target.icmp.code === null ? { type: target.icmp.type } : { type: target.icmp.type, code: target.icmp.code };
  const port = portSpec(target);
  // A named port on a peer given by address cannot be resolved there: write the number.
  const ports = port === null ? undefined : [typeof port === 'string' && direction === 'egress' && !labelledPeer(target.peer) ? target.port : port];
  const peer = calicoPeer(target.peer, home);
  if (direction === 'ingress') {
    rule.source = peer;
    if (ports) rule.destination = { ports };
  } else {
    rule.destination = ports ? { ...peer, ports } : peer;
  }
  return rule;
}

/** A Kubernetes NetworkPolicy rule (ingress `from` / egress `to`) for the target. */
export function kubernetesRule(direction: RuleDirection, target: FixTarget, home: RuleHome): Record<string, unknown> {
  let peer: Record<string, unknown>;
  if (target.peer.kind === 'workload') {
    const sel = peerSelector(target.peer);
    peer = { podSelector: { matchLabels: { ...sel.labels } } };
    if (sel.namespace !== home.namespace) peer.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': sel.namespace } };
  } else {
    // Kubernetes policies select pods only: everything else is an address block.
    peer = { ipBlock: { cidr: addressNet(target.peer.ip) } };
  }
  const rule: Record<string, unknown> = { [direction === 'ingress' ? 'from' : 'to']: [peer] };
  const proto = K8S_PROTOCOL[target.protocol];
  const port = portSpec(target);
  if (proto !== undefined) rule.ports = [port === null ? { protocol: proto } : { protocol: proto, port: typeof port === 'string' && target.peer.kind !== 'workload' && direction === 'egress' ? target.port : port }];
  return rule;
}

/** True when Kubernetes NetworkPolicy can express the target (it has no ICMP or other protocols). */
export function kubernetesCanExpress(target: FixTarget): boolean {
  return K8S_PROTOCOL[target.protocol] !== undefined;
}
