/**
 * The four segflow dashboards and the saved search they embed, built from the flow field table
 * through the Lens builders. Every file under `kibana/` is generated from
 * {@link buildKibanaObjectFiles}; edit this file, then run `npm run kibana:gen`.
 *
 * Policy aggregations use the keyword trace fields (`segflow.policy.*.enforced_str`, the Calico
 * policy-hit strings `index|tier|kind:[ns/]name|action|rule`) and the `rule.*` fields of the
 * deciding policy: Lens cannot aggregate inside `nested` fields, so the nested traces are only
 * for the query API and KQL `field:{ … }` filters.
 */
import { buildFlowDataView } from './flow-data-view.ts';
import { FLOW_DATA_VIEW_ID, savedObject, type KibanaReference, type KibanaSavedObject } from './kibana-saved-objects.ts';
import {
  countColumn,
  dateHistogramColumn,
  lensDonut,
  lensMetric,
  lensTable,
  lensXY,
  sumColumn,
  termsColumn,
  uniqueCountColumn,
  type LensAttributes,
} from './lens-builder.ts';

/** KQL selecting documents whose verdict is deny. */
export const DENIED_QUERY = 'segflow.verdict : "deny"';

/** Attributes of a saved search (a Discover session). */
export interface SavedSearchAttributes {
  readonly title: string;
  readonly description: string;
  readonly columns: readonly string[];
  readonly sort: readonly (readonly [string, 'asc' | 'desc'])[];
  readonly grid: Record<string, never>;
  readonly hideChart: boolean;
  readonly isTextBasedQuery: boolean;
  readonly kibanaSavedObjectMeta: { readonly searchSourceJSON: string };
}

/** Attributes of a dashboard; `panelsJSON`, `optionsJSON` and `searchSourceJSON` are JSON strings. */
export interface DashboardAttributes {
  readonly title: string;
  readonly description: string;
  readonly panelsJSON: string;
  readonly optionsJSON: string;
  readonly timeRestore: boolean;
  readonly timeFrom: string;
  readonly timeTo: string;
  readonly refreshInterval: { readonly pause: boolean; readonly value: number };
  readonly version: number;
  readonly kibanaSavedObjectMeta: { readonly searchSourceJSON: string };
}

/** One dashboard panel: an embedded saved object and its size on Kibana's 48-column grid. */
interface PanelSpec {
  readonly object: KibanaSavedObject<LensAttributes> | KibanaSavedObject<SavedSearchAttributes>;
  readonly w: number;
  readonly h: number;
}

const GRID_COLUMNS = 48;

function searchSourceJSON(query: string, withIndex: boolean): string {
  return JSON.stringify({
    query: { query, language: 'kuery' },
    filter: [],
    ...(withIndex ? { indexRefName: 'kibanaSavedObjectMeta.searchSourceJSON.index' } : {}),
  });
}

/** A Discover session over the flow data view with the given columns, newest first. */
export function savedSearch(id: string, title: string, description: string, query: string, columns: readonly string[]): KibanaSavedObject<SavedSearchAttributes> {
  return savedObject('search', id, {
    title, description, columns, sort: [['@timestamp', 'desc']], grid: {}, hideChart: false, isTextBasedQuery: false,
    kibanaSavedObjectMeta: { searchSourceJSON: searchSourceJSON(query, true) },
  }, [{ name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern', id: FLOW_DATA_VIEW_ID }]);
}

/**
 * A dashboard embedding `panels` by reference, laid out left to right in rows (a panel that
 * does not fit the row starts the next one). Auto-refreshes every 30 s over the last 24 hours.
 */
export function dashboard(id: string, title: string, description: string, panels: readonly PanelSpec[]): KibanaSavedObject<DashboardAttributes> {
  const gridPanels: unknown[] = [];
  const references: KibanaReference[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  panels.forEach((panel, i) => {
    if (x + panel.w > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const panelIndex = `p${i + 1}`;
    gridPanels.push({
      type: panel.object.type,
      gridData: { x, y, w: panel.w, h: panel.h, i: panelIndex },
      panelIndex,
      embeddableConfig: { enhancements: {} },
      panelRefName: `panel_${panelIndex}`,
    });
    references.push({ name: `${panelIndex}:panel_${panelIndex}`, type: panel.object.type, id: panel.object.id });
    x += panel.w;
    rowHeight = Math.max(rowHeight, panel.h);
  });
  return savedObject('dashboard', id, {
    title, description,
    panelsJSON: JSON.stringify(gridPanels),
    optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, syncCursor: true, syncTooltips: false, hidePanelTitles: false }),
    timeRestore: true, timeFrom: 'now-24h', timeTo: 'now',
    refreshInterval: { pause: false, value: 30_000 },
    version: 1,
    kibanaSavedObjectMeta: { searchSourceJSON: searchSourceJSON('', false) },
  }, references);
}

// ---- Flows overview ----------------------------------------------------------------------

function flowsOverview(): KibanaSavedObject<object>[] {
  const charts = {
    records: lensMetric({ id: 'segflow-overview-records', title: 'Flow records', metric: countColumn('Flow records') }),
    bytes: lensMetric({ id: 'segflow-overview-bytes', title: 'Bytes', metric: sumColumn('network.bytes', 'Bytes', 'bytes') }),
    denied: lensMetric({ id: 'segflow-overview-denied', title: 'Denied flow records', query: DENIED_QUERY, metric: countColumn('Denied flow records') }),
    workloads: lensMetric({ id: 'segflow-overview-sources', title: 'Distinct sources', metric: uniqueCountColumn('segflow.source.aggregated_name', 'Distinct sources') }),
    verdictOverTime: lensXY({
      id: 'segflow-overview-verdict-over-time', title: 'Flow records by verdict', seriesType: 'bar_stacked',
      x: dateHistogramColumn(), split: termsColumn('segflow.verdict', 'Verdict', 2), metrics: [countColumn()],
    }),
    bytesOverTime: lensXY({
      id: 'segflow-overview-bytes-by-protocol', title: 'Bytes by protocol', seriesType: 'area_stacked',
      x: dateHistogramColumn(), split: termsColumn('network.transport', 'Protocol', 5), metrics: [sumColumn('network.bytes', 'Bytes', 'bytes')],
    }),
    topTalkers: lensTable({
      id: 'segflow-overview-top-talkers', title: 'Top talkers',
      rows: [
        termsColumn('segflow.source.namespace', 'Source namespace', 10, { missing: true }),
        termsColumn('segflow.source.aggregated_name', 'Source', 10),
        termsColumn('segflow.destination.namespace', 'Destination namespace', 10, { missing: true }),
        termsColumn('segflow.destination.aggregated_name', 'Destination', 10),
        termsColumn('destination.port', 'Port', 10, { missing: true }),
      ],
      metrics: [sumColumn('network.bytes', 'Bytes', 'bytes'), countColumn()],
    }),
    outcome: lensDonut({ id: 'segflow-overview-outcome', title: 'Observed outcome', group: termsColumn('segflow.observed.outcome', 'Outcome', 5), metric: countColumn() }),
  };
  const board = dashboard('segflow-flows-overview', 'Flows overview', 'segflow: flow volume, verdicts, protocols and top talkers.', [
    { object: charts.records, w: 12, h: 6 },
    { object: charts.bytes, w: 12, h: 6 },
    { object: charts.denied, w: 12, h: 6 },
    { object: charts.workloads, w: 12, h: 6 },
    { object: charts.verdictOverTime, w: 24, h: 12 },
    { object: charts.bytesOverTime, w: 24, h: 12 },
    { object: charts.topTalkers, w: 32, h: 16 },
    { object: charts.outcome, w: 16, h: 16 },
  ]);
  return [...Object.values(charts), board];
}

// ---- Denied connections --------------------------------------------------------------------

function deniedConnections(): KibanaSavedObject<object>[] {
  const charts = {
    overTime: lensXY({
      id: 'segflow-denied-over-time', title: 'Denied flow records by destination namespace', query: DENIED_QUERY, seriesType: 'bar_stacked',
      x: dateHistogramColumn(), split: termsColumn('segflow.destination.namespace', 'Destination namespace', 8, { missing: true }), metrics: [countColumn()],
    }),
    mismatches: lensMetric({ id: 'segflow-denied-mismatches', title: 'Verdict vs dataplane mismatches', query: 'segflow.observed.mismatch : true', metric: countColumn('Mismatches') }),
    bySide: lensTable({
      id: 'segflow-denied-by-side', title: 'Which side denied', query: DENIED_QUERY,
      rows: [termsColumn('segflow.policy.egress.verdict', 'Egress (source)', 2, { missing: true }), termsColumn('segflow.policy.ingress.verdict', 'Ingress (destination)', 2, { missing: true })],
      metrics: [countColumn()],
    }),
    pairs: lensTable({
      id: 'segflow-denied-pairs', title: 'Denied connections', query: DENIED_QUERY,
      rows: [
        termsColumn('segflow.source.namespace', 'Source namespace', 20, { missing: true }),
        termsColumn('segflow.source.aggregated_name', 'Source', 20),
        termsColumn('segflow.destination.namespace', 'Destination namespace', 20, { missing: true }),
        termsColumn('segflow.destination.aggregated_name', 'Destination', 20),
        termsColumn('destination.port', 'Port', 20, { missing: true }),
        termsColumn('rule.ruleset', 'Deciding tier', 10, { missing: true }),
        termsColumn('rule.name', 'Deciding policy', 10, { missing: true }),
      ],
      metrics: [countColumn()],
    }),
    deniedFlows: savedSearch('segflow-denied-flows', 'Denied flows', 'Denied flow records with the policy trace of each side (policy-hit strings index|tier|kind:[ns/]name|action|rule).', DENIED_QUERY, [
      'segflow.source.namespace', 'segflow.source.aggregated_name', 'source.ip',
      'segflow.destination.namespace', 'segflow.destination.aggregated_name', 'destination.ip', 'destination.port', 'network.transport',
      'rule.ruleset', 'rule.name', 'segflow.policy.egress.enforced_str', 'segflow.policy.ingress.enforced_str', 'segflow.reporter',
    ]),
  };
  const board = dashboard('segflow-denied-connections', 'Denied connections', 'segflow: what was denied, between whom, and by which policy.', [
    { object: charts.overTime, w: 32, h: 12 },
    { object: charts.mismatches, w: 16, h: 6 },
    { object: charts.bySide, w: 16, h: 6 },
    { object: charts.pairs, w: 48, h: 16 },
    { object: charts.deniedFlows, w: 48, h: 18 },
  ]);
  return [...Object.values(charts), board];
}

// ---- Policy hits ----------------------------------------------------------------------------

function policyHits(): KibanaSavedObject<object>[] {
  const charts = {
    deciding: lensTable({
      id: 'segflow-policy-deciding', title: 'Deciding policies',
      rows: [termsColumn('rule.ruleset', 'Tier', 20, { missing: true }), termsColumn('rule.name', 'Policy', 50, { missing: true }), termsColumn('segflow.verdict', 'Verdict', 2)],
      metrics: [countColumn(), sumColumn('network.bytes', 'Bytes', 'bytes')],
    }),
    rules: lensXY({
      id: 'segflow-policy-deciding-rules', title: 'Deciding rules', seriesType: 'bar_horizontal_stacked',
      x: termsColumn('rule.uuid', 'Rule (policy:direction:index)', 20), split: termsColumn('segflow.verdict', 'Verdict', 2), metrics: [countColumn()],
    }),
    overTime: lensXY({
      id: 'segflow-policy-over-time', title: 'Hits of deciding policies over time', seriesType: 'bar_stacked',
      x: dateHistogramColumn(), split: termsColumn('rule.name', 'Policy', 10, { missing: true }), metrics: [countColumn()],
    }),
    egressTrace: lensXY({
      id: 'segflow-policy-egress-trace', title: 'Egress trace hits (source side)', seriesType: 'bar_horizontal_stacked',
      x: termsColumn('segflow.policy.egress.enforced_str', 'Egress policy hit', 20), metrics: [countColumn()],
    }),
    ingressTrace: lensXY({
      id: 'segflow-policy-ingress-trace', title: 'Ingress trace hits (destination side)', seriesType: 'bar_horizontal_stacked',
      x: termsColumn('segflow.policy.ingress.enforced_str', 'Ingress policy hit', 20), metrics: [countColumn()],
    }),
    staged: lensTable({
      id: 'segflow-policy-staged-denies', title: 'Allowed now, denied by staged policies',
      query: 'segflow.verdict : "allow" and segflow.pending_verdict : "deny"',
      rows: [termsColumn('segflow.policy.egress.pending_str', 'Staged egress hit', 20, { missing: true }), termsColumn('segflow.policy.ingress.pending_str', 'Staged ingress hit', 20, { missing: true })],
      metrics: [countColumn()],
    }),
  };
  const board = dashboard('segflow-policy-hits', 'Policy hits', 'segflow: which tiers, policies and rules decide flows, the full traces per side, and what staged policies would change.', [
    { object: charts.deciding, w: 24, h: 16 },
    { object: charts.rules, w: 24, h: 16 },
    { object: charts.overTime, w: 48, h: 12 },
    { object: charts.egressTrace, w: 24, h: 16 },
    { object: charts.ingressTrace, w: 24, h: 16 },
    { object: charts.staged, w: 48, h: 12 },
  ]);
  return [...Object.values(charts), board];
}

// ---- Namespace traffic ------------------------------------------------------------------------

function namespaceTraffic(): KibanaSavedObject<object>[] {
  const charts = {
    matrix: lensTable({
      id: 'segflow-namespace-matrix', title: 'Namespace to namespace',
      rows: [termsColumn('segflow.source.namespace', 'Source namespace', 30, { missing: true }), termsColumn('segflow.destination.namespace', 'Destination namespace', 30, { missing: true }), termsColumn('segflow.verdict', 'Verdict', 2)],
      metrics: [countColumn(), sumColumn('network.bytes', 'Bytes', 'bytes')],
    }),
    bytesBySource: lensXY({
      id: 'segflow-namespace-bytes-over-time', title: 'Bytes sent by source namespace', seriesType: 'area_stacked',
      x: dateHistogramColumn(), split: termsColumn('segflow.source.namespace', 'Source namespace', 10, { missing: true }), metrics: [sumColumn('source.bytes', 'Bytes sent', 'bytes')],
    }),
    byDestination: lensXY({
      id: 'segflow-namespace-destinations', title: 'Flow records by destination namespace and verdict', seriesType: 'bar_horizontal_stacked',
      x: termsColumn('segflow.destination.namespace', 'Destination namespace', 15, { missing: true }), split: termsColumn('segflow.verdict', 'Verdict', 2), metrics: [countColumn()],
    }),
    services: lensTable({
      id: 'segflow-namespace-services', title: 'Services reached',
      rows: [termsColumn('segflow.destination.service.namespace', 'Service namespace', 20), termsColumn('segflow.destination.service.name', 'Service', 30), termsColumn('segflow.destination.service.port', 'Service port', 10)],
      metrics: [countColumn(), sumColumn('network.bytes', 'Bytes', 'bytes')],
    }),
  };
  const board = dashboard('segflow-namespace-traffic', 'Namespace traffic', 'segflow: traffic between namespaces, by volume and verdict, and the Services it went through.', [
    { object: charts.matrix, w: 24, h: 18 },
    { object: charts.byDestination, w: 24, h: 18 },
    { object: charts.bytesBySource, w: 24, h: 14 },
    { object: charts.services, w: 24, h: 14 },
  ]);
  return [...Object.values(charts), board];
}

/**
 * Every generated file under `kibana/` with its objects, in import order: the data view first,
 * then one file per dashboard holding the dashboard and the objects it embeds.
 */
export function buildKibanaObjectFiles(): Map<string, KibanaSavedObject<object>[]> {
  return new Map<string, KibanaSavedObject<object>[]>([
    ['segflow-data-view.ndjson', [buildFlowDataView()]],
    ['flows-overview.ndjson', flowsOverview()],
    ['denied-connections.ndjson', deniedConnections()],
    ['policy-hits.ndjson', policyHits()],
    ['namespace-traffic.ndjson', namespaceTraffic()],
  ]);
}
