/**
 * Builders for Lens saved objects (Kibana 8.9+ document shape: one `formBased` datasource layer
 * per chart, by-reference data view). Charts are described by their bucket and metric columns;
 * the builders assign deterministic column ids (so `npm run kibana:gen` output is stable),
 * derive each column's Lens data type from the flow field table, and refuse fields the table
 * does not have — the first of two guards against dashboards drifting from the documents (the
 * second is the field-reference unit test, which checks the finished objects).
 */
import { flowFieldByPath, type ResolvedFlowField } from '../contract/flow-fields.ts';
import { FLOW_DATA_VIEW_ID, savedObject, type KibanaSavedObject } from './kibana-saved-objects.ts';

/** Lens's name for "count every document" (not a real field). */
export const LENS_RECORDS_FIELD = '___records___';

/** The one datasource layer every chart here uses. */
export const LENS_LAYER_ID = 'layer1';

/** Lens's data types, as Kibana names field types. */
type LensDataType = 'string' | 'number' | 'date' | 'ip' | 'boolean';

/** A column of a Lens layer, as stored in `state.datasourceStates.formBased.layers.*.columns`. */
export interface LensColumn {
  readonly label: string;
  readonly customLabel?: boolean;
  readonly dataType: LensDataType;
  readonly operationType: 'count' | 'sum' | 'unique_count' | 'terms' | 'date_histogram';
  readonly sourceField: string;
  readonly isBucketed: boolean;
  readonly scale: 'ordinal' | 'ratio' | 'interval';
  readonly params?: Record<string, unknown>;
}

/** A column before it gets an id; terms columns are ordered by the chart's first metric. */
export interface ColumnSpec {
  readonly column: LensColumn;
}

function tableField(path: string): ResolvedFlowField {
  const field = flowFieldByPath(path);
  if (!field) throw new Error(`Kibana objects: ${path} is not in the flow field table (src/contract/flow-fields.ts)`);
  return field;
}

function lensDataType(field: ResolvedFlowField): LensDataType {
  switch (field.type) {
    case 'keyword':
      return 'string';
    case 'long':
      return 'number';
    case 'date':
      return 'date';
    case 'ip':
      return 'ip';
    case 'boolean':
      return 'boolean';
    default:
      throw new Error(`Kibana objects: ${field.path} is a ${field.type} field, which Lens cannot use as a column`);
  }
}

/** Number of documents (each document is one aggregated flow window). */
export function countColumn(label = 'Flow records'): ColumnSpec {
  return {
    column: { label, customLabel: true, dataType: 'number', operationType: 'count', sourceField: LENS_RECORDS_FIELD, isBucketed: false, scale: 'ratio', params: { emptyAsNull: true } },
  };
}

/** Sum of a numeric field; `bytes` formats the value as a byte size. */
export function sumColumn(path: string, label: string, format: 'bytes' | 'number' = 'number'): ColumnSpec {
  const field = tableField(path);
  return {
    column: {
      label, customLabel: true, dataType: lensDataType(field), operationType: 'sum', sourceField: path, isBucketed: false, scale: 'ratio',
      params: { emptyAsNull: true, format: format === 'bytes' ? { id: 'bytes', params: { decimals: 1 } } : { id: 'number', params: { decimals: 0 } } },
    },
  };
}

/** Distinct values of a field. */
export function uniqueCountColumn(path: string, label: string): ColumnSpec {
  const field = tableField(path);
  return { column: { label, customLabel: true, dataType: 'number', operationType: 'unique_count', sourceField: field.path, isBucketed: false, scale: 'ratio', params: { emptyAsNull: true } } };
}

/** Time buckets over the data view's time field, interval chosen by Kibana from the time range. */
export function dateHistogramColumn(path = '@timestamp'): ColumnSpec {
  const field = tableField(path);
  return {
    column: { label: path, dataType: lensDataType(field), operationType: 'date_histogram', sourceField: path, isBucketed: true, scale: 'interval', params: { interval: 'auto', includeEmptyRows: true, dropPartials: false } },
  };
}

/** Top values of a field; missing values are shown as their own bucket when `missing` is set. */
export function termsColumn(path: string, label: string, size = 10, options: { otherBucket?: boolean; missing?: boolean } = {}): ColumnSpec {
  const field = tableField(path);
  return {
    column: {
      label, customLabel: true, dataType: lensDataType(field), operationType: 'terms', sourceField: path, isBucketed: true, scale: 'ordinal',
      // orderBy is filled in by the chart builder (it needs the metric column's id).
      params: { size, orderDirection: 'desc', otherBucket: options.otherBucket ?? true, missingBucket: options.missing ?? false, parentFormat: { id: 'terms' }, include: [], exclude: [], includeIsRegex: false, excludeIsRegex: false },
    },
  };
}

/** What every chart has: a stable id, a title, an optional KQL query restricting its documents. */
export interface ChartBase {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  /** KQL over the flow data view (e.g. `segflow.verdict : "deny"`). */
  readonly query?: string;
}

interface Layer {
  readonly ids: string[];
  readonly columns: Record<string, LensColumn>;
  readonly metricIds: string[];
  readonly bucketIds: string[];
}

/** Assigns ids c0, c1, … (buckets first, as Lens orders them) and orders terms by the first metric. */
function layer(buckets: readonly ColumnSpec[], metrics: readonly ColumnSpec[]): Layer {
  const columns: Record<string, LensColumn> = {};
  const bucketIds = buckets.map((_, i) => `c${i}`);
  const metricIds = metrics.map((_, i) => `c${buckets.length + i}`);
  const orderBy = metricIds[0] === undefined ? { type: 'alphabetical' } : { type: 'column', columnId: metricIds[0] };
  buckets.forEach((b, i) => {
    columns[bucketIds[i] as string] = b.column.operationType === 'terms' ? { ...b.column, params: { ...b.column.params, orderBy } } : b.column;
  });
  metrics.forEach((m, i) => {
    columns[metricIds[i] as string] = m.column;
  });
  return { ids: [...bucketIds, ...metricIds], columns, metricIds, bucketIds };
}

/** Attributes of a Lens saved object. */
export interface LensAttributes {
  readonly title: string;
  readonly description: string;
  readonly visualizationType: 'lnsXY' | 'lnsDatatable' | 'lnsMetric' | 'lnsPie';
  readonly state: {
    readonly datasourceStates: { readonly formBased: { readonly layers: Record<string, { readonly columns: Record<string, LensColumn>; readonly columnOrder: readonly string[]; readonly incompleteColumns: Record<string, never> }> } };
    readonly visualization: Record<string, unknown>;
    readonly query: { readonly query: string; readonly language: 'kuery' };
    readonly filters: readonly unknown[];
    readonly internalReferences: readonly unknown[];
    readonly adHocDataViews: Record<string, never>;
  };
}

function lensObject(chart: ChartBase, visualizationType: LensAttributes['visualizationType'], l: Layer, visualization: Record<string, unknown>): KibanaSavedObject<LensAttributes> {
  const attributes: LensAttributes = {
    title: chart.title,
    description: chart.description ?? '',
    visualizationType,
    state: {
      datasourceStates: { formBased: { layers: { [LENS_LAYER_ID]: { columns: l.columns, columnOrder: l.ids, incompleteColumns: {} } } } },
      visualization,
      query: { query: chart.query ?? '', language: 'kuery' },
      filters: [],
      internalReferences: [],
      adHocDataViews: {},
    },
  };
  return savedObject('lens', chart.id, attributes, [{ type: 'index-pattern', id: FLOW_DATA_VIEW_ID, name: `indexpattern-datasource-layer-${LENS_LAYER_ID}` }]);
}

/** A bar/line/area chart: x buckets (time or terms), metrics on the y axis, optional split series. */
export function lensXY(chart: ChartBase & { x: ColumnSpec; split?: ColumnSpec; metrics: readonly ColumnSpec[]; seriesType: 'bar_stacked' | 'bar_horizontal_stacked' | 'line' | 'area_stacked' }): KibanaSavedObject<LensAttributes> {
  const l = layer(chart.split ? [chart.x, chart.split] : [chart.x], chart.metrics);
  const visualization: Record<string, unknown> = {
    legend: { isVisible: true, position: 'right' },
    valueLabels: 'hide',
    fittingFunction: 'None',
    preferredSeriesType: chart.seriesType,
    layers: [{
      layerId: LENS_LAYER_ID, layerType: 'data', seriesType: chart.seriesType, accessors: l.metricIds, xAccessor: l.bucketIds[0],
      ...(chart.split ? { splitAccessor: l.bucketIds[1] } : {}),
    }],
  };
  return lensObject(chart, 'lnsXY', l, visualization);
}

/** A table: one row per combination of the bucket columns, then the metrics. */
export function lensTable(chart: ChartBase & { rows: readonly ColumnSpec[]; metrics: readonly ColumnSpec[] }): KibanaSavedObject<LensAttributes> {
  const l = layer(chart.rows, chart.metrics);
  const visualization = {
    layerId: LENS_LAYER_ID, layerType: 'data',
    columns: l.ids.map((columnId) => ({ columnId, isTransposed: false })),
    sorting: l.metricIds[0] === undefined ? undefined : { columnId: l.metricIds[0], direction: 'desc' },
    rowHeight: 'single', rowHeightLines: 1,
  };
  return lensObject(chart, 'lnsDatatable', l, visualization);
}

/** One big number. */
export function lensMetric(chart: ChartBase & { metric: ColumnSpec }): KibanaSavedObject<LensAttributes> {
  const l = layer([], [chart.metric]);
  return lensObject(chart, 'lnsMetric', l, { layerId: LENS_LAYER_ID, layerType: 'data', metricAccessor: l.metricIds[0] });
}

/** A donut of one metric over the top values of one field. */
export function lensDonut(chart: ChartBase & { group: ColumnSpec; metric: ColumnSpec }): KibanaSavedObject<LensAttributes> {
  const l = layer([chart.group], [chart.metric]);
  const visualization = {
    shape: 'donut',
    layers: [{ layerId: LENS_LAYER_ID, layerType: 'data', primaryGroups: l.bucketIds, metrics: l.metricIds, numberDisplay: 'percent', categoryDisplay: 'default', legendDisplay: 'default', nestedLegend: false }],
  };
  return lensObject(chart, 'lnsPie', l, visualization);
}
