/**
 * Short human explanations of denied flows, from a stored document's policy traces: which side
 * denied (the source's egress or the destination's ingress), which tier, policy and rule, and
 * for end-of-tier denies which policy selected the endpoint. Pure.
 */
import type { StoredPolicyHit } from '../../contract/api/flows.ts';

/** A policy hit as stored (any part may be missing from an old or foreign document). */
type StoredHit = StoredPolicyHit;
interface StoredSide { verdict?: string; enforced?: StoredHit[] }
interface StoredEndpoint { namespace?: string; name?: string; aggregated_name?: string; kind?: string }

/** The stored document fields an explanation needs (all optional: documents may lack any). */
export interface ExplainableDocument {
  source?: { ip?: string };
  destination?: { ip?: string; port?: number };
  network?: { transport?: string };
  segflow?: { source?: StoredEndpoint; destination?: StoredEndpoint; policy?: { egress?: StoredSide; ingress?: StoredSide } };
}

function endpointName(e: StoredEndpoint | undefined, ip: string | undefined): string {
  if (e === undefined) return ip ?? 'unknown';
  const name = e.name ?? e.aggregated_name ?? ip ?? 'unknown';
  if (e.kind === 'public' || e.kind === 'private') return `${e.kind} address ${ip ?? name}`;
  return e.namespace ? `${e.namespace}/${name}` : name;
}

function policyName(h: StoredHit): string {
  return `${h.kind ? `${h.kind}:` : ''}${h.namespace ? `${h.namespace}/` : ''}${h.name ?? '?'}`;
}

/** The deciding (last) hit of a trace. */
export function decidingHit(trace: readonly StoredHit[] | undefined): StoredHit | undefined {
  if (!trace || trace.length === 0) return undefined;
  return [...trace].sort((a, b) => (a.policy_index ?? 0) - (b.policy_index ?? 0))[trace.length - 1];
}

/** Which side denied, per the stored per-direction verdicts. */
export function denyingSide(doc: ExplainableDocument): 'egress' | 'ingress' | undefined {
  const p = doc.segflow?.policy;
  if (p?.egress?.verdict === 'deny') return 'egress';
  if (p?.ingress?.verdict === 'deny') return 'ingress';
  return undefined;
}

/** One or two sentences saying why the flow was denied. */
export function explainDenied(doc: ExplainableDocument): string {
  const src = endpointName(doc.segflow?.source, doc.source?.ip);
  const dst = endpointName(doc.segflow?.destination, doc.destination?.ip);
  const port = doc.destination?.port !== undefined ? ` port ${doc.destination.port}` : '';
  const what = `${src} → ${dst}${port}${doc.network?.transport ? `/${doc.network.transport}` : ''}`;
  const side = denyingSide(doc);
  if (side === undefined) return `${what} was denied; the document carries no per-direction verdict to say where.`;
  const where = side === 'egress' ? `on egress from ${src}` : `on ingress to ${dst}`;
  const hit = decidingHit(doc.segflow?.policy?.[side]?.enforced);
  if (hit === undefined) return `${what} was denied ${where}; no policy trace was recorded.`;
  if (hit.kind === 'pro') {
    return `${what} was denied ${where}: no policy selected the endpoint and its profile${hit.name && !hit.name.startsWith('__') ? ` ${hit.name}` : 's'} did not allow it.`;
  }
  if (hit.rule_index === -1) {
    const trigger = hit.trigger ? ` because ${hit.trigger} selects the endpoint` : ` because ${policyName(hit)} selects the endpoint`;
    return `${what} was denied ${where}: no rule in tier ${hit.tier ?? '?'} matched, so the tier's default deny applied${trigger}. Add an allow rule in that tier (or a pass) to permit it.`;
  }
  return `${what} was denied ${where} by rule ${hit.rule_index ?? '?'} (deny) of ${policyName(hit)} in tier ${hit.tier ?? '?'}.`;
}
