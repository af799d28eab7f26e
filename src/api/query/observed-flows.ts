/**
 * The traffic a recommendation is built from: the stored flows of a range with an end in one
 * namespace (one report per connection, in the caller's scope), reduced to connection shapes —
 * what each end resolved to, protocol and destination port — with their counts. Allowed shapes
 * feed the recommender; denied ones are only counted (allowing them is a fix, not a
 * recommendation).
 */
import type { ObservedEndpoint, ObservedFlow } from '../../inventory/advice/policy-recommender.ts';
import { parseProtocol } from '../../inventory/index.ts';
import type { FlowStore } from '../flow-store.ts';
import type { AccessScope } from './access-scope.ts';
import { scanFlowsNewestFirst } from './flow-scan.ts';
import { buildFlowQuery } from './flow-search.ts';

const FIELDS = [
  'source.ip', 'destination.ip', 'destination.port', 'network.iana_number', 'network.transport', 'segflow.verdict',
  'segflow.source.kind', 'segflow.source.namespace', 'segflow.source.aggregated_name', 'segflow.source.labels',
  'segflow.destination.kind', 'segflow.destination.namespace', 'segflow.destination.aggregated_name', 'segflow.destination.labels',
];

interface EndDoc { kind?: string; namespace?: string; aggregated_name?: string; labels?: Record<string, unknown> }
interface ObservedDoc {
  source?: { ip?: string };
  destination?: { ip?: string; port?: number };
  network?: { iana_number?: string; transport?: string };
  segflow?: { verdict?: string; source?: EndDoc; destination?: EndDoc };
}

export interface ObservedTraffic {
  /** Allowed connection shapes, merged. */
  readonly flows: ObservedFlow[];
  readonly scanned: number;
  readonly allowed: number;
  readonly denied: number;
  /** Reports whose protocol could not be read. */
  readonly unreadable: number;
  readonly truncated: boolean;
}

const KINDS = new Set(['workload', 'host', 'networkset', 'public', 'private']);

function endpointOf(ip: string | undefined, d: EndDoc | undefined): ObservedEndpoint {
  const kind = KINDS.has(d?.kind ?? '') ? (d?.kind as ObservedEndpoint['kind']) : (ip === undefined ? 'private' : 'public');
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(d?.labels ?? {})) if (typeof v === 'string') labels[k] = v;
  // Workloads are identified by labels, not addresses: dropping their address merges replicas.
  return { kind, ip: kind === 'workload' ? null : ip ?? null, namespace: d?.namespace ?? null, name: d?.aggregated_name ?? null, labels };
}

function shapeKey(f: ObservedFlow): string {
  const end = (e: ObservedEndpoint): string => JSON.stringify([e.kind, e.ip, e.namespace, e.name, Object.entries(e.labels).sort()]);
  return `${end(f.source)}|${end(f.destination)}|${f.protocol}|${f.dstPort ?? ''}`;
}

/** Scans the range (newest first, at most `maxFlows` reports) for flows with an end in `namespace`. */
export async function collectObservedFlows(req: {
  readonly store: FlowStore;
  readonly range: { readonly fromMs: number; readonly toMs: number };
  readonly scope: AccessScope;
  readonly namespace: string;
  readonly maxFlows: number;
  readonly timeoutMs: number;
}): Promise<ObservedTraffic> {
  const opts = { timeoutMs: req.timeoutMs };
  // Count-once by the stored term where every index has it; older indices need the disjunction.
  const keyed = await req.store.queryKeysCover(req.range, opts);
  const query = buildFlowQuery({
    range: req.range, scope: req.scope, dedupReporters: keyed ? 'stored' : true,
    filters: [{ bool: { should: [{ term: { 'segflow.source.namespace': req.namespace } }, { term: { 'segflow.destination.namespace': req.namespace } }], minimum_should_match: 1 } }],
  });
  const shapes = new Map<string, { flow: ObservedFlow; count: number }>();
  let allowed = 0;
  let denied = 0;
  let unreadable = 0;
  const { scanned, truncated } = await scanFlowsNewestFirst<ObservedDoc>({ store: req.store, query, fields: FIELDS, maxFlows: req.maxFlows, timeoutMs: req.timeoutMs, operation: 'recommendation_scan' }, (hit) => {
    const d = hit._source ?? {};
    if (d.segflow?.verdict !== 'allow') { denied++; return; }
    const protocol = parseProtocol(d.network?.iana_number ?? d.network?.transport);
    if (protocol === null) { unreadable++; return; }
    allowed++;
    const hasPorts = protocol === 6 || protocol === 17 || protocol === 132;
    const flow: ObservedFlow = {
      source: endpointOf(d.source?.ip, d.segflow?.source), destination: endpointOf(d.destination?.ip, d.segflow?.destination),
      protocol, dstPort: hasPorts ? d.destination?.port ?? null : null, count: 1,
    };
    const key = shapeKey(flow);
    const seen = shapes.get(key);
    if (seen === undefined) shapes.set(key, { flow, count: 1 });
    else seen.count++;
  });
  return { flows: [...shapes.values()].map(({ flow, count }) => ({ ...flow, count })), scanned, allowed, denied, unreadable, truncated };
}
