/**
 * Replay of a candidate inventory over stored flow history: every stored flow (one report per
 * connection) in the range and the caller's scope is re-evaluated with the current and the
 * candidate inventory, and the verdict changes are counted, grouped and sampled. One
 * implementation for `/preview`, `/fixes` and `/recommendations`.
 *
 * Documents with both addresses replay by address, at their own time. Documents aggregated at
 * level 2 or 3 (the enricher's default for allowed flows) keep no addresses, only each end's
 * identity (kind, namespace, owner prefix or name, shared labels): each address-less end is
 * resolved to a representative endpoint of the current inventory (representative-endpoints.ts;
 * a candidate only changes policies, so the endpoints are the same in both) and the flow is
 * evaluated with those addresses, the stored destination port and protocol, as of now (the
 * representative is a current endpoint). Ends without a representative (`pub`/`pvt`, a workload
 * gone from the inventory, labels no endpoint carries any more) are counted in
 * `skipped_unresolved` with the most frequent reasons; `by_address` + `by_identity` = `evaluated`.
 * Group samples and examples carry the addresses evaluated, with `by`/`address` saying whether
 * they were stored or representative.
 *
 *   const candidate = candidateInventory(view.resources, [modifiedPolicy]);
 *   const r = await replayPolicyChange({
 *     store: ctx.store, current: view.inventory, candidate, range, scope: principal.scope,
 *     maxFlows: ctx.config.limits.previewMaxFlows, timeoutMs: ctx.config.timeouts.queryMs,
 *     examples: 20,             // changed flows kept with their candidate traces
 *     filters: [],              // extra Elasticsearch clauses (e.g. one namespace)
 *     groupUnchanged: false,    // true: also group flows whose verdict did not change
 *   });
 *   r.counts.deny_to_allow; r.groups  // [{ key, source, destination, protocol, port, current, candidate, flows }]
 *
 * Groups use the keys of `/denied` (namespace + aggregated name per side, destination port,
 * protocol), so a fix's "allowed groups" line up with the denied groups the user saw.
 */
import type { estypes } from '@elastic/elasticsearch';
import { Inventory, keyOf, parseProtocol, protocolName, type FlowInput, type Resource, type Verdict } from '../../inventory/index.ts';
import type { FlowStore } from '../flow-store.ts';
import type { AccessScope } from './access-scope.ts';
import { scanFlowsNewestFirst } from './flow-scan.ts';
import { buildFlowQuery, TIME_FIELD } from './flow-search.ts';
import { RepresentativeEndpoints, type Representative } from '../../inventory/endpoints/representative-endpoints.ts';

/** Stored fields a replay reads per flow. */
const REPLAY_FIELDS = [
  TIME_FIELD, 'source.ip', 'source.port', 'destination.ip', 'destination.port', 'network.iana_number', 'network.transport',
  'segflow.verdict', 'segflow.source.kind', 'segflow.source.namespace', 'segflow.source.name', 'segflow.source.aggregated_name', 'segflow.source.labels',
  'segflow.destination.kind', 'segflow.destination.namespace', 'segflow.destination.name', 'segflow.destination.aggregated_name', 'segflow.destination.labels',
];

interface ReplayEndDoc { kind?: string; namespace?: string; name?: string; aggregated_name?: string; labels?: Record<string, unknown> }

interface ReplayDoc {
  '@timestamp'?: string;
  source?: { ip?: string; port?: number };
  destination?: { ip?: string; port?: number };
  network?: { iana_number?: string; transport?: string };
  segflow?: { verdict?: string; source?: ReplayEndDoc; destination?: ReplayEndDoc };
}

/** What a replay's counts count (the `counting` line of the answers). */
export const REPLAY_COUNTING = 'one report per connection (see /flows/stats); reports stored without addresses are replayed by identity (a representative endpoint per end), those whose ends cannot be resolved are counted in skipped_unresolved';

/** The inventory with `candidates` replacing (by kind/namespace/name) or adding to `resources`. */
export function candidateInventory(resources: readonly Resource[], candidates: readonly Resource[]): Inventory {
  const replaced = new Set(candidates.map(keyOf));
  return Inventory.fromResources([...resources.filter((r) => !replaced.has(keyOf(r))), ...candidates]);
}

export interface ReplayRequest {
  readonly store: FlowStore;
  readonly current: Inventory;
  readonly candidate: Inventory;
  readonly range: { readonly fromMs: number; readonly toMs: number };
  readonly scope: AccessScope;
  /** Flows scanned at most (newest first); beyond it `truncated` is set. */
  readonly maxFlows: number;
  readonly timeoutMs: number;
  /** Changed flows kept as examples (with the candidate's traces). */
  readonly examples: number;
  /** Extra Elasticsearch filter clauses, ANDed. */
  readonly filters?: readonly estypes.QueryDslQueryContainer[];
  /** Also group the flows whose verdict did not change (default: only changed ones). */
  readonly groupUnchanged?: boolean;
}

export interface ReplayCounts {
  scanned: number;
  evaluated: number;
  unchanged: number;
  allow_to_deny: number;
  deny_to_allow: number;
  skipped_unknown_protocol: number;
  /** Documents with an end that has neither a stored address nor a representative (see `unresolved`). */
  skipped_unresolved: number;
  skipped_error: number;
  /** Evaluated with their stored addresses. */
  by_address: number;
  /** Evaluated with representative addresses resolved from the ends' identities. */
  by_identity: number;
}

/** Why documents could not be resolved by identity, most frequent first (at most 5). */
export interface UnresolvedReason {
  readonly reason: string;
  flows: number;
}

/** One end of a group: namespace and aggregated name (as `/denied` groups them). */
export interface ReplayPeer {
  readonly namespace: string | null;
  readonly name: string | null;
}

export interface ReplayGroup {
  /** `srcns/srcname → dstns/dstname proto/port current→candidate` (stable, for matching). */
  readonly key: string;
  readonly source: ReplayPeer;
  readonly destination: ReplayPeer;
  /** Protocol name (`tcp`) or number. */
  readonly protocol: string;
  readonly port: number | null;
  readonly current: 'allow' | 'deny';
  readonly candidate: 'allow' | 'deny';
  flows: number;
  /** The group's newest-scanned flow (the scan runs newest first): what a caller re-explains. */
  readonly sample: { readonly src_ip: string; readonly dst_ip: string; readonly time: string | null; readonly by: 'address' | 'identity' };
  first_seen: string | null;
  last_seen: string | null;
}

export interface ReplayExample {
  /** The stored document's id ('' when Elasticsearch gave none). */
  readonly id: string;
  readonly time: string | null;
  /** `address`: `stored`, or `representative` (resolved by identity: the document kept no address). */
  readonly source: { ip: string; address: 'stored' | 'representative'; port: number | null; namespace: string | null; name: string | null };
  readonly destination: { ip: string; address: 'stored' | 'representative'; port: number | null; namespace: string | null; name: string | null };
  readonly protocol: number;
  readonly stored_verdict: string | null;
  readonly current_verdict: 'allow' | 'deny';
  readonly candidate_verdict: 'allow' | 'deny';
  readonly candidate: { decided_by: Verdict['decidedBy']; egress: string[]; ingress: string[] };
}

export interface ReplayResult {
  readonly range: { from: string; to: string };
  readonly counts: ReplayCounts;
  /** Changed groups (and unchanged ones when asked), most flows first. */
  readonly groups: ReplayGroup[];
  readonly truncated: boolean;
  readonly examples: ReplayExample[];
  readonly unresolved: UnresolvedReason[];
  /** Reports stored as allowed that were not evaluated (unresolved ends or an evaluation error). */
  readonly allowedNotReplayed: number;
}

/** The group key of a flow with these ends and verdicts. */
export function replayGroupKey(src: ReplayPeer, dst: ReplayPeer, protocol: string, port: number | null, current: string, candidate: string): string {
  const end = (p: ReplayPeer): string => `${p.namespace ?? '-'}/${p.name ?? '-'}`;
  return `${end(src)} → ${end(dst)} ${protocol}/${port ?? '-'} ${current}→${candidate}`;
}

/** One end's address: stored, or a representative resolved from its identity (memoised per replay). */
type EndAddress = { readonly ip: string; readonly stored: boolean } | { readonly ip: null; readonly reason: string };

function labelPairs(labels: Record<string, unknown> | undefined): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(labels ?? {})) if (typeof v === 'string') out.push([k, v]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function endAddress(ip: string | undefined, end: ReplayEndDoc | undefined, resolve: (e: ReplayEndDoc) => Representative): EndAddress {
  if (ip) return { ip, stored: true };
  if (end?.kind === undefined || (end.aggregated_name ?? end.name) === undefined) return { ip: null, reason: 'stored without an address or an identity' };
  const r = resolve(end);
  return r.ip === null ? { ip: null, reason: r.reason } : { ip: r.ip, stored: false };
}

/** The flow a stored document describes (protocol read), or why it cannot be replayed. */
function flowOf(d: ReplayDoc, resolve: (e: ReplayEndDoc) => Representative):
  | { flow: FlowInput; byIdentity: boolean; src: 'stored' | 'representative'; dst: 'stored' | 'representative' }
  | { skip: 'protocol' } | { skip: 'unresolved'; reason: string } {
  const protocol = parseProtocol(d.network?.iana_number ?? d.network?.transport);
  if (protocol === null) return { skip: 'protocol' };
  const src = endAddress(d.source?.ip, d.segflow?.source, resolve);
  const dst = endAddress(d.destination?.ip, d.segflow?.destination, resolve);
  if (src.ip === null || dst.ip === null) {
    return { skip: 'unresolved', reason: src.ip === null ? `source: ${src.reason}` : `destination: ${(dst as { reason: string }).reason}` };
  }
  const byIdentity = !src.stored || !dst.stored;
  const hasPorts = protocol === 6 || protocol === 17 || protocol === 132;
  const dstPort = d.destination?.port;
  const srcPort = d.source?.port;
  return {
    flow: {
      srcIp: src.ip, dstIp: dst.ip, protocol,
      ...(hasPorts && dstPort !== undefined ? { dstPort } : {}),
      ...(hasPorts && srcPort !== undefined ? { srcPort } : {}),
      // A representative is a current endpoint: evaluate it as of now, not at the document's time.
      ...(d['@timestamp'] && !byIdentity ? { time: Date.parse(d['@timestamp']) } : {}),
    },
    byIdentity, src: src.stored ? 'stored' : 'representative', dst: dst.stored ? 'stored' : 'representative',
  };
}

/** Scans the stored flows and compares the two inventories' verdicts (see the module comment). */
export async function replayPolicyChange(req: ReplayRequest): Promise<ReplayResult> {
  const opts = { timeoutMs: req.timeoutMs };
  // Count-once by the stored term where every index has it; older indices need the disjunction.
  const keyed = await req.store.queryKeysCover(req.range, opts);
  const query = buildFlowQuery({
    range: req.range, scope: req.scope, dedupReporters: keyed ? 'stored' : true,
    filters: [...(req.filters ?? [])],
  });
  const ends = new RepresentativeEndpoints({
    endpoints: () => req.current.endpoints.allEndpoints(), networkSets: () => req.current.endpoints.allNetworkSets(), revision: () => req.current.revision,
  });
  const resolved = new Map<string, Representative>();
  const resolve = (e: ReplayEndDoc): Representative => {
    const identity = { kind: e.kind ?? '', namespace: e.namespace ?? null, name: e.aggregated_name ?? e.name ?? '', labels: labelPairs(e.labels) };
    const key = JSON.stringify(identity);
    let r = resolved.get(key);
    if (r === undefined) {
      r = ends.resolve(identity);
      resolved.set(key, r);
    }
    return r;
  };
  const reasons = new Map<string, UnresolvedReason>();
  let allowedNotReplayed = 0;
  const counts: ReplayCounts = {
    scanned: 0, evaluated: 0, unchanged: 0, allow_to_deny: 0, deny_to_allow: 0,
    skipped_unknown_protocol: 0, skipped_unresolved: 0, skipped_error: 0, by_address: 0, by_identity: 0,
  };
  const examples: ReplayExample[] = [];
  const groups = new Map<string, ReplayGroup>();
  const { truncated } = await scanFlowsNewestFirst<ReplayDoc>({ store: req.store, query, fields: REPLAY_FIELDS, maxFlows: req.maxFlows, timeoutMs: req.timeoutMs, operation: 'preview_scan' }, (hit) => {
    counts.scanned++;
    const d = hit._source ?? {};
    const read = flowOf(d, resolve);
    if ('skip' in read) {
      if (read.skip === 'protocol') counts.skipped_unknown_protocol++;
      else {
        counts.skipped_unresolved++;
        if (d.segflow?.verdict === 'allow') allowedNotReplayed++;
        const seen = reasons.get(read.reason);
        if (seen) seen.flows++;
        else reasons.set(read.reason, { reason: read.reason, flows: 1 });
      }
      return;
    }
    const flow = read.flow;
    let current: Verdict;
    let candidate: Verdict;
    try {
      current = req.current.explain(flow);
      candidate = req.candidate.explain(flow);
    } catch {
      counts.skipped_error++;
      if (d.segflow?.verdict === 'allow') allowedNotReplayed++;
      return;
    }
    counts.evaluated++;
    if (read.byIdentity) counts.by_identity++;
    else counts.by_address++;
    const changed = current.verdict !== candidate.verdict;
    if (!changed) counts.unchanged++;
    else if (candidate.verdict === 'deny') counts.allow_to_deny++;
    else counts.deny_to_allow++;
    if (changed || req.groupUnchanged === true) {
      const src: ReplayPeer = { namespace: d.segflow?.source?.namespace ?? null, name: d.segflow?.source?.aggregated_name ?? d.segflow?.source?.name ?? null };
      const dst: ReplayPeer = { namespace: d.segflow?.destination?.namespace ?? null, name: d.segflow?.destination?.aggregated_name ?? d.segflow?.destination?.name ?? null };
      const proto = protocolName(flow.protocol);
      const port = flow.dstPort ?? null;
      const key = replayGroupKey(src, dst, proto, port, current.verdict, candidate.verdict);
      let g = groups.get(key);
      if (g === undefined) {
        g = {
          key, source: src, destination: dst, protocol: proto, port, current: current.verdict, candidate: candidate.verdict, flows: 0,
          sample: { src_ip: flow.srcIp, dst_ip: flow.dstIp, time: d['@timestamp'] ?? null, by: read.byIdentity ? 'identity' : 'address' }, first_seen: null, last_seen: null,
        };
        groups.set(key, g);
      }
      g.flows++;
      const t = d['@timestamp'] ?? null;
      if (t !== null) {
        if (g.first_seen === null || t < g.first_seen) g.first_seen = t;
        if (g.last_seen === null || t > g.last_seen) g.last_seen = t;
      }
    }
    if (changed && examples.length < req.examples) {
      examples.push({
        id: hit._id ?? '', time: d['@timestamp'] ?? null,
        source: { ip: flow.srcIp, address: read.src, port: d.source?.port ?? null, namespace: d.segflow?.source?.namespace ?? null, name: d.segflow?.source?.name ?? d.segflow?.source?.aggregated_name ?? null },
        destination: { ip: flow.dstIp, address: read.dst, port: d.destination?.port ?? null, namespace: d.segflow?.destination?.namespace ?? null, name: d.segflow?.destination?.name ?? d.segflow?.destination?.aggregated_name ?? null },
        protocol: flow.protocol, stored_verdict: d.segflow?.verdict ?? null, current_verdict: current.verdict, candidate_verdict: candidate.verdict,
        candidate: { decided_by: candidate.decidedBy, egress: [...candidate.egress.trace], ingress: [...candidate.ingress.trace] },
      });
    }
  });
  return {
    range: { from: new Date(req.range.fromMs).toISOString(), to: new Date(req.range.toMs).toISOString() },
    counts,
    groups: [...groups.values()].sort((a, b) => b.flows - a.flows || (a.key < b.key ? -1 : 1)),
    truncated,
    examples,
    allowedNotReplayed,
    unresolved: [...reasons.values()].sort((a, b) => b.flows - a.flows || (a.reason < b.reason ? -1 : 1)).slice(0, 5),
  };
}
