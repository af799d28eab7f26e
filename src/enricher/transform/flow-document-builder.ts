/**
 * Flow aggregates → Elasticsearch flow documents (the shape the field table defines), and the
 * idempotent merge of a new aggregate into a document already stored for the same key and
 * window: counters add up only for agent batches the stored document does not yet contain.
 */
import { POLICY_SHORT_KIND } from '../../inventory/model/resources.ts';
import type { PolicyHit } from '../../inventory/policy/trace.ts';
import type { SideResult, Verdict } from '../../inventory/policy/verdict-engine.ts';
import type { FlowDocument, PolicyHitDocument } from '../../contract/flow-fields.ts';
import { recordOrderKey, sumBatches, transportName, type AggregatedEnd, type FlowAggregate } from './flow-aggregation.ts';
import { capTuples, countTuples, decodeTuples, DEFAULT_MAX_TUPLES_PER_DOCUMENT, encodeTuples, unionTuples, type TupleFlags } from './flow-tuple-set.ts';
import { combineOutcomes, isMismatch, type ObservedOutcome } from './observed-outcome.ts';

const ECS_VERSION = '8.17.0';
export const SEGFLOW_VERSION = '0.1.0';

function hitDocument(hit: PolicyHit): PolicyHitDocument {
  return {
    policy_index: hit.index, tier: hit.tier, kind: hit.kind, name: hit.name, action: hit.action, rule_index: hit.ruleIndex,
    ...(hit.namespace ? { namespace: hit.namespace } : {}),
  };
}

/** The decision as a side reached it: null when that side was never evaluated (egress denied first). */
function sideVerdict(side: SideResult): 'allow' | 'deny' {
  return side.action === 'allow' || side.action === 'profile-allow' || side.action === 'no-endpoint' ? 'allow' : 'deny';
}

function endDocument(end: AggregatedEnd, labels: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: end.kind, aggregated_name: end.aggregatedName };
  if (end.name) out.name = end.name;
  if (end.namespace) out.namespace = end.namespace;
  if (Object.keys(labels).length > 0) out.labels = labels;
  if (end.serviceAccount) out.service_account = end.serviceAccount;
  if (end.node) out.node = end.node;
  return out;
}

function policyName(hit: PolicyHit): string {
  return hit.namespace ? `${hit.namespace}/${hit.name}` : hit.name;
}

/** ECS `rule.category`: the policy's kind from its short kind (admin kinds included), or Profile. */
const POLICY_CATEGORY: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(Object.entries(POLICY_SHORT_KIND).map(([kind, short]) => [short, kind])),
  pro: 'Profile',
});

/** The parts of a document its verdict alone fixes. */
interface VerdictParts {
  readonly rule: Record<string, string> | undefined;
  readonly pendingVerdict: 'allow' | 'deny';
  readonly policy: Record<string, unknown>;
}

/**
 * Built once per verdict and shared by every document of that verdict: records of one flow
 * share their verdict object, and at level 0 a verdict has thousands of documents. Shared parts
 * are never changed in place (mergeFlowDocumentInto leaves `rule` and `segflow.policy` alone).
 */
const verdictParts = new WeakMap<Verdict, VerdictParts>();

function partsOf(v: Verdict): VerdictParts {
  const known = verdictParts.get(v);
  if (known) return known;
  const denied = v.verdict === 'deny';
  // rule.* names one policy: for a deny, the denying side's; for an allow, the side whose own
  // policy allowed it (the destination's ingress first), a profile only when nothing else decided.
  const isPolicy = (side: SideResult): boolean => side.decidingHit !== null && side.decidingHit.kind !== 'pro';
  const deciding = denied
    ? (v.decidedBy === 'ingress' ? v.ingress : v.egress)
    : v.ingress.reached && isPolicy(v.ingress) ? v.ingress : isPolicy(v.egress) ? v.egress : v.ingress.decidingHit ? v.ingress : v.egress;
  const decidingHit = deciding.decidingHit;
  const direction = deciding === v.ingress ? 'ingress' : 'egress';
  const egressPending = sideVerdict({ ...v.egress, action: v.egress.pending.action } as SideResult);
  const ingressPending = sideVerdict({ ...v.ingress, action: v.ingress.pending.action } as SideResult);
  const parts: VerdictParts = {
    rule: decidingHit ? {
      name: policyName(decidingHit), id: `${decidingHit.kind}:${policyName(decidingHit)}`, ruleset: decidingHit.tier,
      category: POLICY_CATEGORY[decidingHit.kind] ?? decidingHit.kind, uuid: `${decidingHit.kind}:${policyName(decidingHit)}:${direction}:${decidingHit.ruleIndex}`,
    } : undefined,
    pendingVerdict: egressPending === 'deny' || (v.ingress.reached && ingressPending === 'deny') ? 'deny' : 'allow',
    policy: {
      egress: {
        verdict: sideVerdict(v.egress), enforced: v.egress.hits.map(hitDocument), enforced_str: [...v.egress.trace],
        pending_verdict: egressPending, pending: v.egress.pending.hits.map(hitDocument), pending_str: [...v.egress.pending.trace],
      },
      ...(v.ingress.reached ? {
        ingress: {
          verdict: sideVerdict(v.ingress), enforced: v.ingress.hits.map(hitDocument), enforced_str: [...v.ingress.trace],
          pending_verdict: ingressPending, pending: v.ingress.pending.hits.map(hitDocument), pending_str: [...v.ingress.pending.trace],
        },
      } : {}),
    },
  };
  verdictParts.set(v, parts);
  return parts;
}

/** segflow's policy fields of a verdict (the `segflow.policy` traces): also for flows Calico reported through Goldmane. */
export function verdictPolicyFields(v: Verdict): { readonly policy: Record<string, unknown> } {
  return { policy: partsOf(v).policy };
}

/** `event.type`: the verdict's, plus start/end when a tuple started/completed in the window (fixed order). */
function eventTypeOf(denied: boolean, flows: { readonly started?: number; readonly completed?: number }): FlowDocument['event']['type'] {
  const type: FlowDocument['event']['type'] = ['connection', denied ? 'denied' : 'allowed'];
  if ((flows.started ?? 0) > 0) type.push('start');
  if ((flows.completed ?? 0) > 0) type.push('end');
  return type;
}

/**
 * conntrack's ASSURED and UNREPLIED cannot hold together: the kernel sets IPS_ASSURED only once
 * a reply was seen (IPS_SEEN_REPLY, which is never cleared), and UNREPLIED is the absence of
 * that. Records of one document disagree only over time (a connection reported unreplied, then
 * assured) or across its connections; the document shows the furthest state: assured wins.
 */
export function ctFlagsOf(flags: Iterable<string>): string[] {
  const seen = new Set(flags);
  if (seen.has('assured')) return ['assured'];
  return seen.has('unreplied') ? ['unreplied'] : [];
}

/** The document's tuple fields from a tuple set, capped (see flow-tuple-set.ts). */
function flowsOf(tuples: TupleFlags, maxTuples: number, sampledK?: number): NonNullable<FlowDocument['segflow']['flows']> {
  const capped = capTuples(tuples, maxTuples, sampledK);
  return { ...countTuples(capped), exact: capped.exact, tuples: encodeTuples(capped.tuples) };
}

/**
 * Builds the document for an aggregate; `ingestedAt` is the enricher's clock. Batches in
 * `excludeBatches` (already in the stored document) are left out of the counters (the tuple
 * set, a set, takes every record: it merges idempotently).
 */
export function buildFlowDocument(agg: FlowAggregate, ingestedAt: number, excludeBatches?: ReadonlySet<string>, maxTuples = DEFAULT_MAX_TUPLES_PER_DOCUMENT): FlowDocument {
  const e = agg.first;
  // Attributes that may differ between the records of a document come from the latest one, so
  // the document does not depend on the order its records arrived in.
  const latest = agg.latest;
  const c = sumBatches(agg, excludeBatches);
  const v = e.verdict;
  const denied = v.verdict === 'deny';
  const parts = partsOf(v);
  const flows = flowsOf(agg.tuples, maxTuples);
  const relatedIps = [...new Set([agg.source.ip, agg.destination.ip, e.service?.ip ?? null, agg.level < 2 ? latest.srcNatIp : null].filter((x): x is string => x !== null))];
  const relatedHosts = [...new Set([agg.source.name ?? agg.source.aggregatedName, agg.destination.name ?? agg.destination.aggregatedName])];
  const tags = [agg.level > 0 ? 'aggregated' : null, latest.record.source === 'synthetic' ? 'synthetic' : null].filter((x): x is string => x !== null);
  const ctFlags = ctFlagsOf(agg.ctFlags);

  const doc: Record<string, unknown> = {
    // The latest record's end, not the window's end: that may lie up to a window in the future,
    // and a search for "the last 15 minutes" must find what happened a second ago.
    '@timestamp': new Date(Math.min(agg.lastEndMs, agg.windowEndMs)).toISOString(),
    ecs: { version: ECS_VERSION },
    ...(tags.length ? { tags } : {}),
    event: {
      kind: 'event', category: ['network'], type: eventTypeOf(denied, flows), action: 'network_flow',
      outcome: agg.outcome === 'established' ? 'success' : agg.outcome === 'unknown' ? 'unknown' : 'failure',
      ...(denied ? { reason: 'policy_denied' } : {}),
      start: new Date(agg.windowStartMs).toISOString(), end: new Date(agg.windowEndMs).toISOString(),
      duration: (agg.windowEndMs - agg.windowStartMs) * 1_000_000,
      dataset: 'segflow.flow', module: 'segflow', id: agg.id,
      ingested: new Date(ingestedAt).toISOString(), sequence: c.maxSequence,
    },
    agent: { id: latest.agentId, ephemeral_id: latest.bootId },
    source: {
      ...(agg.source.ip ? { ip: agg.source.ip, address: agg.source.ip } : {}),
      ...(agg.source.port !== null ? { port: agg.source.port } : {}),
      bytes: c.originalBytes, packets: c.originalPackets,
      ...(agg.level < 2 && latest.srcNatIp ? { nat: { ip: latest.srcNatIp, ...(latest.srcNatPort ? { port: latest.srcNatPort } : {}) } } : {}),
    },
    destination: {
      ...(agg.destination.ip ? { ip: agg.destination.ip, address: agg.destination.ip } : {}),
      ...(agg.destination.port !== null ? { port: agg.destination.port } : {}),
      bytes: c.replyBytes, packets: c.replyPackets,
    },
    network: {
      transport: transportName(e.record.protocol), type: latest.record.ipVersion === 6 ? 'ipv6' : 'ipv4',
      iana_number: String(e.record.protocol), direction: e.reporter === 'dst' ? 'ingress' : 'egress',
      bytes: c.originalBytes + c.replyBytes, packets: c.originalPackets + c.replyPackets,
    },
    ...(relatedIps.length ? { related: { ip: relatedIps, hosts: relatedHosts } } : { related: { hosts: relatedHosts } }),
    host: { name: e.record.nodeName },
    observer: { hostname: e.record.nodeName, type: 'sensor', product: 'segflow', vendor: 'segflow', version: SEGFLOW_VERSION },
    ...(parts.rule ? { rule: parts.rule } : {}),
    segflow: {
      verdict: v.verdict,
      pending_verdict: parts.pendingVerdict,
      reporter: e.reporter,
      capture_source: latest.record.source,
      source: endDocument(agg.source, agg.sourceLabels),
      destination: {
        ...endDocument(agg.destination, agg.destinationLabels),
        ...(e.service ? { service: { ip: e.service.ip, port: e.service.port, name: e.service.name, namespace: e.service.namespace, ...(e.service.portName ? { port_name: e.service.portName } : {}) } } : {}),
      },
      policy: parts.policy,
      observed: {
        outcome: agg.outcome, dataplane_verdict: latest.record.dataplaneVerdict, mismatch: isMismatch(v.verdict, agg.outcome),
        ...(latest.record.ruleHint ? { rule_hint: latest.record.ruleHint } : {}),
      },
      flows,
      aggregation: { level: agg.level, interval_s: Math.round((agg.windowEndMs - agg.windowStartMs) / 1000), records: c.records, batches: c.batches, latest_record: recordOrderKey(latest) },
      inventory: { revision: String(agg.revision) },
      ct: {
        ...(latest.record.tcpState !== 'NONE' ? { state: latest.record.tcpState } : {}),
        ...(ctFlags.length ? { flags: ctFlags } : {}),
        ...(latest.record.conntrackMark ? { mark: latest.record.conntrackMark } : {}),
      },
    },
  };
  if (agg.source.port === null && agg.destination.port === null && !agg.source.ip) delete (doc.source as Record<string, unknown>).address;
  return doc as unknown as FlowDocument;
}

/**
 * The merged tuple fields of two documents. A stored document from before tuple sets (no
 * `tuples`) cannot be merged exactly: its numbers are kept as lower bounds, marked inexact, and
 * it stays without a set.
 */
function mergeFlows(t: FlowDocument['segflow']['flows'], i: FlowDocument['segflow']['flows'], maxTuples: number): NonNullable<FlowDocument['segflow']['flows']> {
  if (t?.tuples === undefined || i?.tuples === undefined) {
    const count = Math.max(t?.count ?? 0, i?.count ?? 0);
    return { count, started: Math.min(count, (t?.started ?? 0) + (i?.started ?? 0)), completed: Math.min(count, (t?.completed ?? 0) + (i?.completed ?? 0)), exact: false };
  }
  const union = decodeTuples(t.tuples);
  const incoming = decodeTuples(i.tuples);
  // Either side a sample already: the union is a sample of at most the smaller one's size.
  const sizes = [t.exact === false ? union.size : undefined, i.exact === false ? incoming.size : undefined].filter((n): n is number => n !== undefined);
  unionTuples(union, incoming);
  return flowsOf(union, maxTuples, sizes.length > 0 ? Math.min(...sizes) : undefined);
}

/**
 * Merges `incoming` (built from new records) into `target` (the document stored for the same id,
 * or an earlier contribution), **in place**. Returns false, changing nothing, when every batch of
 * `incoming` is already in `target` (a replay). Otherwise counters add up, tuple sets and flags
 * are unioned, and the attributes of the later latest record win — so any split, order or
 * replay of the same records gives the same document.
 * In place because the enricher merges thousands of documents per fetched batch: copying each
 * one was its largest cost.
 */
export function mergeFlowDocumentInto(target: FlowDocument, incoming: FlowDocument, maxTuples = DEFAULT_MAX_TUPLES_PER_DOCUMENT): boolean {
  const targetBatches = target.segflow.aggregation?.batches ?? [];
  const known = new Set(targetBatches);
  const incomingBatches = incoming.segflow.aggregation?.batches ?? [];
  const fresh = incomingBatches.filter((b) => !known.has(b));
  if (incomingBatches.length > 0 && fresh.length === 0) return false;
  if (fresh.length !== incomingBatches.length) {
    // Batches are merged whole by the aggregator, so a partial overlap means the incoming
    // document mixes replayed and new batches; counting it again would double the replayed part.
    throw new Error(`document ${target.event.id}: incoming batches overlap the stored ones partially; merge per batch`);
  }
  type Counters = Record<'source' | 'destination' | 'network', Record<string, number>>;
  const t = target as unknown as Counters;
  const i = incoming as unknown as Counters;
  for (const side of ['source', 'destination', 'network'] as const) {
    t[side] ??= {};
    t[side].bytes = (t[side].bytes ?? 0) + (i[side]?.bytes ?? 0);
    t[side].packets = (t[side].packets ?? 0) + (i[side]?.packets ?? 0);
  }
  const tf = target.segflow;
  const inf = incoming.segflow;
  const flows = mergeFlows(tf.flows, inf.flows, maxTuples);
  tf.flows = flows;
  const targetLatest = tf.aggregation?.latest_record ?? '';
  const incomingLatest = inf.aggregation?.latest_record ?? '';
  const incomingIsLater = incomingLatest > targetLatest;
  tf.aggregation = {
    ...tf.aggregation,
    records: (tf.aggregation?.records ?? 0) + (inf.aggregation?.records ?? 0),
    batches: [...targetBatches, ...fresh].sort(),
    ...(incomingIsLater ? { latest_record: incomingLatest } : {}),
  };
  const outcome = combineOutcomes((tf.observed?.outcome ?? 'unknown') as ObservedOutcome, (inf.observed?.outcome ?? 'unknown') as ObservedOutcome);
  const observedFrom = incomingIsLater ? inf.observed : tf.observed;
  tf.observed = {
    outcome, mismatch: isMismatch(tf.verdict, outcome),
    ...(observedFrom?.dataplane_verdict ? { dataplane_verdict: observedFrom.dataplane_verdict } : {}),
    ...(observedFrom?.rule_hint ? { rule_hint: observedFrom.rule_hint } : {}),
  };
  target.event.outcome = outcome === 'established' ? 'success' : outcome === 'unknown' ? 'unknown' : 'failure';
  if (incoming['@timestamp'] > target['@timestamp']) target['@timestamp'] = incoming['@timestamp'];
  target.event.sequence = Math.max(target.event.sequence ?? 0, incoming.event.sequence ?? 0);
  target.event.ingested = incoming.event.ingested;
  target.event.type = eventTypeOf(tf.verdict === 'deny', flows);
  tf.inventory = { revision: String(Math.max(Number(tf.inventory?.revision ?? 0), Number(inf.inventory?.revision ?? 0))) };
  const flags = ctFlagsOf([...(tf.ct?.flags ?? []), ...(inf.ct?.flags ?? [])]);
  const ctFrom = incomingIsLater ? inf.ct : tf.ct;
  tf.ct = {
    ...(ctFrom?.state !== undefined ? { state: ctFrom.state } : {}),
    ...(flags.length ? { flags } : {}),
    ...(ctFrom?.mark !== undefined ? { mark: ctFrom.mark } : {}),
  };
  if (incomingIsLater) {
    // The latest record's attributes (see buildFlowDocument).
    if (incoming.agent) target.agent = incoming.agent;
    else delete target.agent;
    tf.capture_source = inf.capture_source;
    if (incoming.tags) target.tags = incoming.tags;
    else delete target.tags;
    if (incoming.network?.type) (target.network ??= {}).type = incoming.network.type;
    if (incoming.source?.nat) (target.source ??= {}).nat = incoming.source.nat;
    else if (target.source) delete target.source.nat;
    if (incoming.related) target.related = incoming.related;
  }
  for (const side of ['source', 'destination'] as const) {
    const end = tf[side];
    const a = end?.labels;
    const b = inf[side]?.labels;
    if (!end || !a) continue;
    if (!b) {
      delete end.labels;
      continue;
    }
    for (const k of Object.keys(a)) if (b[k] !== a[k]) delete a[k];
    if (Object.keys(a).length === 0) delete end.labels;
  }
  return true;
}

/** {@link mergeFlowDocumentInto} on a copy: the merged document, or null for a replay. */
export function mergeFlowDocuments(stored: FlowDocument, incoming: FlowDocument): FlowDocument | null {
  const merged = structuredClone(stored);
  return mergeFlowDocumentInto(merged, incoming) ? merged : null;
}
