/**
 * segflow's own verdict for a flow Calico reported, and whether the two agree. Calico reports
 * one side per flow: the reporter's (src: the source's egress policies, dst: the destination's
 * ingress policies). segflow resolves both ends to representative endpoints
 * (goldmane-endpoints.ts), evaluates the flow with its policy engine, and compares that side's
 * action and enforced trace with Calico's. A difference means the policies Calico enforced are
 * not the ones the inventory holds (drift, a missed update) — or a segflow bug: either is worth
 * a look, so it is flagged rather than reconciled.
 */
import { parseProtocol } from '../../inventory/model/resources.ts';
import type { SideResult, Verdict } from '../../inventory/policy/verdict-engine.ts';
import { GoldmaneReporter } from '../../contract/goldmane/goldmane-flow.ts';
import type { EnrichmentInventory } from '../transform/enrichment-inventory.ts';
import { calicoAction, calicoHitDocument, hitDocumentString } from './calico-policy-hits.ts';
import type { GoldmaneEndpointIndex } from './goldmane-endpoints.ts';
import type { CheckedGoldmaneFlow } from './goldmane-flow-check.ts';

export type GoldmaneEvaluation =
  | { readonly evaluation: 'unresolved'; readonly reason: string }
  | { readonly evaluation: 'agrees' | 'disagrees'; readonly verdict: Verdict; readonly sideVerdict: 'allow' | 'deny'; readonly reason?: string };

function sideVerdict(side: SideResult): 'allow' | 'deny' {
  return side.action === 'allow' || side.action === 'profile-allow' || side.action === 'no-endpoint' ? 'allow' : 'deny';
}

/** Calico's enforced trace as policy-hit strings. */
export function calicoTraceStrings(flow: CheckedGoldmaneFlow): string[] {
  return flow.key.enforced.map((h, i) => hitDocumentString(calicoHitDocument(h, i)));
}

export function evaluateGoldmaneFlow(flow: CheckedGoldmaneFlow, inventory: EnrichmentInventory, endpoints: GoldmaneEndpointIndex): GoldmaneEvaluation {
  const k = flow.key;
  const src = endpoints.resolve({ type: k.sourceType, name: k.sourceName, namespace: k.sourceNamespace, labels: flow.sourceLabels });
  const dst = endpoints.resolve({ type: k.destType, name: k.destName, namespace: k.destNamespace, labels: flow.destLabels });
  if (src.ip === null || dst.ip === null) {
    const reasons = [src.ip === null ? `source: ${src.reason}` : null, dst.ip === null ? `destination: ${dst.reason}` : null].filter((r) => r !== null);
    return { evaluation: 'unresolved', reason: reasons.join('; ') };
  }
  const protocol = parseProtocol(k.proto) ?? 0;
  const icmp = protocol === 1 || protocol === 58;
  const verdict = inventory.explain(icmp
    ? { srcIp: src.ip, dstIp: dst.ip, protocol, time: flow.endTime * 1000 - 1 }
    : { srcIp: src.ip, dstIp: dst.ip, protocol, dstPort: k.destPort, time: flow.endTime * 1000 - 1 });
  const reporterSrc = k.reporter === GoldmaneReporter.Src;
  const side = reporterSrc ? verdict.egress : verdict.ingress;
  const sideName = reporterSrc ? 'egress' : 'ingress';
  // The destination's ingress never runs when the source's egress denied: Calico reports no such flow.
  if (!reporterSrc && !verdict.ingress.reached) {
    return { evaluation: 'disagrees', verdict, sideVerdict: 'deny', reason: `action: Calico's destination reported the flow, segflow's evaluation denies it at the source's egress first (${verdict.egress.trace.join(', ')})` };
  }
  const segflowAction = sideVerdict(side);
  const calico = calicoAction(k.action);
  if (calico !== segflowAction) {
    return { evaluation: 'disagrees', verdict, sideVerdict: segflowAction, reason: `action: calico ${calico}, segflow ${segflowAction} (${sideName} trace ${side.trace.join(', ') || 'empty'})` };
  }
  const calicoTrace = calicoTraceStrings(flow);
  if (calicoTrace.length > 0 && calicoTrace.join('\n') !== side.trace.join('\n')) {
    return { evaluation: 'disagrees', verdict, sideVerdict: segflowAction, reason: `trace: calico [${calicoTrace.join(', ')}], segflow ${sideName} [${side.trace.join(', ')}]` };
  }
  return { evaluation: 'agrees', verdict, sideVerdict: segflowAction };
}
