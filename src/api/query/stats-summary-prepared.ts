/**
 * The heavy views of the stats view from summaries (denied pairs, matrix, rule hits) over a
 * cached run of blocks plus a request's own entries (its edges and stale blocks), giving exactly
 * what the mergedX functions of stats-summary.ts give for all entries at once — without
 * regrouping and re-sorting the run on every request.
 *
 * A run's entries are grouped by key and put in composite order once (kept beside the run's
 * cached entries, for as long as those live: a WeakMap). A request adds its entries to copies of
 * the groups they touch, sorts only its new keys, and walks both orders together; the denied
 * pairs, of which only `limit` are shown, take the run's ranking and look only at the first
 * untouched ones.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { FacetEntries } from '../../contract/flow-summary-facets.ts';
import type { SummaryCellEntry, SummaryHitEntry, SummaryPairEntry } from '../../contract/flow-summary.ts';
import { shapeDeniedPairs, shapeMatrix, shapeRuleHits, type DeniedPair, type MatrixCell, type RuleHit } from './flow-stats.ts';
import { compareKeyRecords, part } from './stats-summary.ts';

type Bucket = estypes.AggregationsCompositeBucket;
type Key = Record<string, string | number | null>;

/** One group: its identity, composite key and figures. */
interface Group<F> {
  readonly id: string;
  readonly key: Key;
  readonly fig: F;
}

/** How a facet groups entries and adds their figures. */
interface FacetRules<X, F> {
  readonly names: readonly string[];
  readonly numeric?: readonly string[];
  idOf(x: X): string;
  keyOf(x: X): Key;
  zero(): F;
  add(f: F, x: X): void;
  copy(f: F): F;
}

/** A facet's groups of a run: by id, and in composite order. */
interface PreparedFacet<F> {
  readonly byId: Map<string, Group<F>>;
  readonly order: Group<F>[];
}

function prepare<X, F>(entries: readonly X[], r: FacetRules<X, F>): PreparedFacet<F> {
  const byId = new Map<string, Group<F>>();
  for (const x of entries) {
    const id = r.idOf(x);
    let g = byId.get(id);
    if (g === undefined) {
      g = { id, key: r.keyOf(x), fig: r.zero() };
      byId.set(id, g);
    }
    r.add(g.fig, x);
  }
  const order = [...byId.values()].sort((a, b) => compareKeyRecords(a.key, b.key, r.names, r.numeric));
  return { byId, order };
}

/** The groups a request's entries touch (copies of the run's, with the entries added) and its new keys in composite order. */
function overlay<X, F>(p: PreparedFacet<F>, rest: readonly X[], r: FacetRules<X, F>): { touched: Map<string, Group<F>>; added: Group<F>[] } {
  const touched = new Map<string, Group<F>>();
  const added: Group<F>[] = [];
  for (const x of rest) {
    const id = r.idOf(x);
    let g = touched.get(id);
    if (g === undefined) {
      const base = p.byId.get(id);
      g = base === undefined ? { id, key: r.keyOf(x), fig: r.zero() } : { id, key: base.key, fig: r.copy(base.fig) };
      touched.set(id, g);
      if (base === undefined) added.push(g);
    }
    r.add(g.fig, x);
  }
  added.sort((a, b) => compareKeyRecords(a.key, b.key, r.names, r.numeric));
  return { touched, added };
}

/** Every group of run and request in composite order, cut at `max` as the raw route's pages are. */
function inOrder<F>(p: PreparedFacet<F>, o: { touched: Map<string, Group<F>>; added: Group<F>[] }, r: FacetRules<unknown, F>, max: number): { groups: Group<F>[]; truncated: boolean } {
  const out: Group<F>[] = [];
  let i = 0;
  let j = 0;
  while ((i < p.order.length || j < o.added.length) && out.length < max) {
    const a = p.order[i];
    const b = o.added[j];
    if (b === undefined || (a !== undefined && compareKeyRecords(a.key, b.key, r.names, r.numeric) < 0)) {
      out.push(o.touched.get((a as Group<F>).id) ?? (a as Group<F>));
      i++;
    } else {
      out.push(b);
      j++;
    }
  }
  return { groups: out, truncated: p.order.length + o.added.length >= max };
}

// ---------------------------------------------------------------------------------------------

interface PairFig { flows: number; bytes: number; last: number }
const PAIR_NAMES = ['source_namespace', 'source_name', 'dest_namespace', 'dest_name'];
const pairRules: FacetRules<SummaryPairEntry, PairFig> = {
  names: PAIR_NAMES,
  idOf: (x) => part(x.source_namespace) + part(x.source_name) + part(x.dest_namespace) + part(x.dest_name),
  keyOf: (x) => ({ source_namespace: x.source_namespace ?? null, source_name: x.source_name ?? null, dest_namespace: x.dest_namespace ?? null, dest_name: x.dest_name ?? null }),
  zero: () => ({ flows: 0, bytes: 0, last: -Infinity }),
  add: (f, x) => {
    f.flows += x.flows;
    f.bytes += x.bytes;
    const ms = Date.parse(x.last_seen);
    if (ms > f.last) f.last = ms;
  },
  copy: (f) => ({ ...f }),
};

interface CellFig { flows: number; denied: number; bytes: number }
const cellRules: FacetRules<SummaryCellEntry, CellFig> = {
  names: ['source', 'destination'],
  idOf: (x) => part(x.source) + part(x.destination),
  keyOf: (x) => ({ source: x.source ?? null, destination: x.destination ?? null }),
  zero: () => ({ flows: 0, denied: 0, bytes: 0 }),
  add: (f, x) => {
    f.flows += x.flows;
    f.denied += x.denied;
    f.bytes += x.bytes;
  },
  copy: (f) => ({ ...f }),
};

interface HitFig { count: number }
const hitRules: FacetRules<SummaryHitEntry, HitFig> = {
  names: ['tier', 'kind', 'namespace', 'name', 'rule_index', 'action'],
  numeric: ['rule_index'],
  idOf: (x) => part(x.tier) + part(x.kind) + part(x.namespace) + part(x.name) + part(x.rule_index) + part(x.action),
  keyOf: (x) => ({ tier: x.tier, kind: x.kind, namespace: x.namespace ?? null, name: x.name, rule_index: x.rule_index, action: x.action }),
  zero: () => ({ count: 0 }),
  add: (f, x) => {
    f.count += x.count;
  },
  copy: (f) => ({ ...f }),
};

/** A run's prepared groups; the pairs' ranking is made when first asked for. */
interface PreparedRun {
  readonly pairs: PreparedFacet<PairFig>;
  pairRanking?: Group<PairFig>[];
  readonly cells: PreparedFacet<CellFig>;
  readonly egress: PreparedFacet<HitFig>;
  readonly ingress: PreparedFacet<HitFig>;
}

const prepared = new WeakMap<FacetEntries, PreparedRun>();

/** The run's groups, made once per run entries object (a cached run keeps its identity). */
function preparedRun(run: FacetEntries): PreparedRun {
  let p = prepared.get(run);
  if (p === undefined) {
    p = {
      pairs: prepare(run.pairs, pairRules), cells: prepare(run.cells, cellRules),
      egress: prepare(run.hits.filter((h) => h.direction === 'egress'), hitRules), ingress: prepare(run.hits.filter((h) => h.direction === 'ingress'), hitRules),
    };
    prepared.set(run, p);
  }
  return p;
}

/** shapeDeniedPairs' order (flows, then newest) with key order for its stable ties. */
function byRank(a: Group<PairFig>, b: Group<PairFig>): number {
  return b.fig.flows - a.fig.flows || b.fig.last - a.fig.last || compareKeyRecords(a.key, b.key, PAIR_NAMES);
}

const pairBucket = (g: Group<PairFig>): Bucket =>
  ({ key: g.key, doc_count: g.fig.flows, bytes: { value: g.fig.bytes }, last_seen: { value_as_string: new Date(g.fig.last).toISOString() } }) as unknown as Bucket;

/** mergedDeniedPairs of the run's and the request's entries together. */
export function preparedDeniedPairs(run: FacetEntries, rest: FacetEntries, limit: number, max: number): { pairs: DeniedPair[]; truncated: boolean } {
  const p = preparedRun(run);
  const o = overlay(p.pairs, rest.pairs, pairRules);
  if (p.pairs.order.length + o.added.length >= max) {
    const cut = inOrder(p.pairs, o, pairRules as FacetRules<unknown, PairFig>, max);
    return { pairs: shapeDeniedPairs(cut.groups.map(pairBucket), limit), truncated: cut.truncated };
  }
  // Every pair counts. Untouched groups keep the run's figures, so the best of them are the
  // first untouched ones of the run's ranking.
  p.pairRanking ??= [...p.pairs.order].sort(byRank);
  const candidates = [...o.touched.values()];
  let taken = 0;
  for (const g of p.pairRanking) {
    if (taken >= limit) break;
    if (o.touched.has(g.id)) continue;
    candidates.push(g);
    taken++;
  }
  return { pairs: shapeDeniedPairs(candidates.sort(byRank).slice(0, limit).map(pairBucket), limit), truncated: false };
}

/** mergedMatrix of the run's and the request's entries together. */
export function preparedMatrix(run: FacetEntries, rest: FacetEntries, max: number): { cells: MatrixCell[]; truncated: boolean } {
  const p = preparedRun(run);
  const cut = inOrder(p.cells, overlay(p.cells, rest.cells, cellRules), cellRules as FacetRules<unknown, CellFig>, max);
  const buckets = cut.groups.map((g) => ({ key: g.key, doc_count: g.fig.flows, denied: { doc_count: g.fig.denied }, bytes: { value: g.fig.bytes } }) as unknown as Bucket);
  return { cells: shapeMatrix(buckets), truncated: cut.truncated };
}

/** mergedRuleHits of the run's and the request's entries together. */
export function preparedRuleHits(run: FacetEntries, rest: FacetEntries, max: number): { hits: RuleHit[]; truncated: boolean } {
  const p = preparedRun(run);
  const out: RuleHit[] = [];
  let truncated = false;
  for (const direction of ['egress', 'ingress'] as const) {
    const facet = p[direction];
    const cut = inOrder(facet, overlay(facet, rest.hits.filter((h) => h.direction === direction), hitRules), hitRules as FacetRules<unknown, HitFig>, max);
    truncated ||= cut.truncated;
    out.push(...shapeRuleHits(direction, cut.groups.map((g) => ({ key: g.key, doc_count: g.fig.count }) as unknown as Bucket)));
  }
  return { hits: out, truncated };
}
