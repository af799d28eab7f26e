/**
 * A Goldmane flow → a flow document (the mapping, field by field, is in docs/goldmane.md).
 * One Goldmane flow (one key in one 15 s bucket) is one document. Its id is a hash of the
 * Goldmane instance name, the flow's own identity and its time range: Goldmane's result ids do
 * not survive its restarts, this does — a flow read twice (a reconnect's history overlap, a
 * Goldmane or segflow restart) is written to the same document, and a bucket read again with
 * higher counters (it was still filling) replaces it. Nothing is ever added up twice.
 *
 * `segflow.verdict` is what Calico's dataplane did (Calico reported it; segflow did not see the
 * packets); segflow's own evaluation is kept beside it (`segflow.policy.*`,
 * `segflow.calico.evaluated_verdict`) with the comparison (`segflow.calico.evaluation`).
 */
import { flowDocumentId } from '../../contract/flow-document-id.ts';
import type { FlowDocument } from '../../contract/flow-fields.ts';
import { GoldmaneEndpointType, GoldmaneReporter, goldmaneFlowIdentity } from '../../contract/goldmane/goldmane-flow.ts';
import { parseProtocol } from '../../inventory/model/resources.ts';
import { transportName } from '../transform/flow-aggregation.ts';
import { SEGFLOW_VERSION, verdictPolicyFields } from '../transform/flow-document-builder.ts';
import { calicoAction, calicoHitDocument, hitDocumentString } from './calico-policy-hits.ts';
import type { GoldmaneEvaluation } from './goldmane-evaluation.ts';
import type { CheckedGoldmaneFlow } from './goldmane-flow-check.ts';

const ECS_VERSION = '8.17.0';

/** Goldmane's endpoint type → segflow's end kind (a plain network by its pub/pvt name). */
function endKind(type: number, name: string): 'workload' | 'host' | 'networkset' | 'public' | 'private' {
  if (type === GoldmaneEndpointType.HostEndpoint) return 'host';
  if (type === GoldmaneEndpointType.NetworkSet) return 'networkset';
  if (type === GoldmaneEndpointType.Network) return name === 'pvt' ? 'private' : 'public';
  return 'workload';
}

/** `k=v` strings → a label map (a label without `=` keeps an empty value). */
export function labelMap(labels: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) {
    const eq = l.indexOf('=');
    if (eq < 0) out[l] = '';
    else out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
}

/** The document id of a Goldmane flow read from instance `sourceName`. */
export function goldmaneDocumentId(flow: CheckedGoldmaneFlow, sourceName: string): string {
  return flowDocumentId(['goldmane', sourceName, goldmaneFlowIdentity(flow)], flow.startTime * 1000);
}

export function buildGoldmaneFlowDocument(flow: CheckedGoldmaneFlow, sourceName: string, evaluation: GoldmaneEvaluation, revision: number, ingestedAt: number): { id: string; windowStartMs: number; document: FlowDocument } {
  const k = flow.key;
  const id = goldmaneDocumentId(flow, sourceName);
  const startMs = flow.startTime * 1000;
  const endMs = flow.endTime * 1000;
  const denied = calicoAction(k.action) === 'deny';
  const reporterSrc = k.reporter === GoldmaneReporter.Src;
  // Goldmane counts from the reporter's point of view: out = what the reporting end sent.
  const forward = reporterSrc ? { bytes: flow.bytesOut, packets: flow.packetsOut } : { bytes: flow.bytesIn, packets: flow.packetsIn };
  const backward = reporterSrc ? { bytes: flow.bytesIn, packets: flow.packetsIn } : { bytes: flow.bytesOut, packets: flow.packetsOut };
  const enforced = k.enforced.map(calicoHitDocument);
  const pending = k.pending.map(calicoHitDocument);
  const pendingLast = pending.filter((h) => h.action !== 'pass').at(-1);
  const protocol = parseProtocol(k.proto) ?? 0;
  const end = (type: number, name: string, namespace: string, labels: readonly string[]): Record<string, unknown> => {
    const map = labelMap(labels);
    return { kind: endKind(type, name), aggregated_name: name, ...(namespace ? { namespace } : {}), ...(Object.keys(map).length > 0 ? { labels: map } : {}) };
  };
  const decidingHit = enforced.filter((h) => h.action !== 'pass').at(-1);
  const eventType: FlowDocument['event']['type'] = ['connection', denied ? 'denied' : 'allowed'];
  if (flow.connectionsStarted > 0) eventType.push('start');
  if (flow.connectionsCompleted > 0) eventType.push('end');
  const evaluated = evaluation.evaluation === 'unresolved' ? undefined : evaluation;
  const doc = {
    '@timestamp': new Date(endMs).toISOString(),
    ecs: { version: ECS_VERSION },
    tags: ['aggregated', 'goldmane'],
    event: {
      kind: 'event', category: ['network'], type: eventType, action: 'network_flow',
      outcome: flow.connectionsCompleted > 0 || flow.connectionsLive > 0 ? 'success' : denied ? 'failure' : 'unknown',
      ...(denied ? { reason: 'policy_denied' } : {}),
      start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), duration: (endMs - startMs) * 1_000_000,
      dataset: 'segflow.flow', module: 'segflow', id, ingested: new Date(ingestedAt).toISOString(),
    },
    source: { bytes: forward.bytes, packets: forward.packets },
    destination: { ...(k.destPort > 0 ? { port: k.destPort } : {}), bytes: backward.bytes, packets: backward.packets },
    network: {
      transport: transportName(protocol), iana_number: String(protocol), direction: reporterSrc ? 'egress' : 'ingress',
      bytes: forward.bytes + backward.bytes, packets: forward.packets + backward.packets,
    },
    related: { hosts: [...new Set([k.sourceName, k.destName])] },
    observer: { type: 'sensor', product: 'segflow', vendor: 'segflow', version: SEGFLOW_VERSION },
    ...(decidingHit ? {
      rule: {
        name: decidingHit.namespace ? `${decidingHit.namespace}/${decidingHit.name}` : decidingHit.name,
        id: `${decidingHit.kind}:${decidingHit.namespace ? `${decidingHit.namespace}/` : ''}${decidingHit.name}`,
        ruleset: decidingHit.tier,
        uuid: `${decidingHit.kind}:${decidingHit.namespace ? `${decidingHit.namespace}/` : ''}${decidingHit.name}:${reporterSrc ? 'egress' : 'ingress'}:${decidingHit.rule_index}`,
      },
    } : {}),
    segflow: {
      verdict: denied ? 'deny' : 'allow',
      ...(pendingLast ? { pending_verdict: pendingLast.action === 'deny' ? 'deny' : 'allow' } : {}),
      reporter: reporterSrc ? 'src' : 'dst',
      capture_source: 'goldmane',
      source: end(k.sourceType, k.sourceName, k.sourceNamespace, flow.sourceLabels),
      destination: {
        ...end(k.destType, k.destName, k.destNamespace, flow.destLabels),
        ...(k.destServiceName ? {
          service: {
            name: k.destServiceName, ...(k.destServiceNamespace ? { namespace: k.destServiceNamespace } : {}),
            ...(k.destServicePort > 0 ? { port: k.destServicePort } : {}), ...(k.destServicePortName ? { port_name: k.destServicePortName } : {}),
          },
        } : {}),
      },
      ...(evaluated ? verdictPolicyFields(evaluated.verdict) : {}),
      calico: {
        source: sourceName,
        action: denied ? 'deny' : 'allow',
        enforced, enforced_str: enforced.map(hitDocumentString),
        pending, pending_str: pending.map(hitDocumentString),
        ...(evaluated ? { evaluated_verdict: evaluated.sideVerdict } : {}),
        evaluation: evaluation.evaluation,
        disagreement: evaluation.evaluation === 'disagrees',
        ...(evaluation.reason ? { disagreement_reason: evaluation.reason } : {}),
      },
      flows: {
        count: Math.max(flow.connectionsStarted, flow.connectionsCompleted + flow.connectionsLive),
        started: flow.connectionsStarted, completed: flow.connectionsCompleted, live: flow.connectionsLive, exact: true,
      },
      aggregation: { level: 2, interval_s: flow.endTime - flow.startTime, records: 1 },
      inventory: { revision: String(revision) },
    },
  };
  return { id, windowStartMs: startMs, document: doc as unknown as FlowDocument };
}
