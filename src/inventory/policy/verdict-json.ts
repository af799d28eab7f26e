/**
 * The verdict as a JSON document: what `segflow explain --output json` prints and `POST
 * /api/v1/explain` answers (its schema is ExplainAnswer in contract/api/explain.ts). It lives
 * with the verdict engine so both the CLI and the API take it from the library.
 */
import type { EndpointRef, ScopeResult, SideResult, Verdict } from './verdict-engine.ts';

function scopeJson(s: ScopeResult): object {
  return { action: s.action, trace: s.trace, hits: s.hits, decidingHit: s.decidingHit?.index ?? null };
}

function sideJson(s: SideResult): object {
  return { ...scopeJson(s), reached: s.reached, stage: s.stage, stages: s.stages, pending: scopeJson(s.pending) };
}

function endpointJson(e: EndpointRef): object {
  return { kind: e.kind, name: e.name, namespace: e.namespace, labels: e.labels, ip: e.ip, node: e.node, serviceAccount: e.serviceAccount };
}

/**
 * The verdict document. `warnings`: the load's warnings; `skippedCaveats`: caveats every
 * verdict of this load carries (policy documents that were skipped).
 */
export function verdictJson(v: Verdict, warnings: readonly string[] = [], skippedCaveats: readonly string[] = []): object {
  return {
    verdict: v.verdict, source: endpointJson(v.source), destination: endpointJson(v.destination),
    egress: sideJson(v.egress), ingress: sideJson(v.ingress), decidedBy: v.decidedBy, l7Unevaluated: v.l7Unevaluated,
    caveats: [...v.caveats, ...skippedCaveats], warnings, revision: v.revision,
  };
}
