/**
 * The Kibana data view over the daily flow indices, derived from the flow field table: every
 * mapped leaf field gets the table's description (shown in Discover and Lens field popovers),
 * byte counters get Kibana's bytes format, and the time field is `@timestamp`.
 *
 * The data view does not list fields (`fields: '[]'`): Kibana reads them from the index
 * mappings (the template derived from the same table), so types can never disagree.
 */
import { resolveFlowFields } from '../contract/flow-fields.ts';
import { FLOW_DATA_VIEW_ID, FLOW_DATA_VIEW_PATTERN, savedObject, type KibanaSavedObject } from './kibana-saved-objects.ts';

/** Attributes of an `index-pattern` saved object; the JSON-in-string fields are Kibana's format. */
export interface DataViewAttributes {
  readonly title: string;
  readonly name: string;
  readonly timeFieldName: string;
  readonly allowNoIndex: boolean;
  /** JSON: field path → { customDescription }. */
  readonly fieldAttrs: string;
  /** JSON: field path → { id: format id }. */
  readonly fieldFormatMap: string;
  readonly fields: string;
  readonly runtimeFieldMap: string;
  readonly sourceFilters: string;
  readonly typeMeta: string;
}

/** Kibana caps a field's custom description at 300 characters. */
export const MAX_FIELD_DESCRIPTION = 300;

/** Counters shown as byte sizes. */
const BYTE_FIELDS = ['network.bytes', 'source.bytes', 'destination.bytes'] as const;

/** The flow data view saved object. */
export function buildFlowDataView(): KibanaSavedObject<DataViewAttributes> {
  const fieldAttrs: Record<string, { customDescription: string }> = {};
  // Nested parents are not fields in a data view (their sub-fields are), so only leaves get a description.
  for (const field of resolveFlowFields()) {
    if (field.type === 'nested') continue;
    const description = field.description.length > MAX_FIELD_DESCRIPTION ? `${field.description.slice(0, MAX_FIELD_DESCRIPTION - 1)}…` : field.description;
    fieldAttrs[field.path] = { customDescription: description };
  }
  const fieldFormatMap = Object.fromEntries(BYTE_FIELDS.map((f) => [f, { id: 'bytes' }]));
  return savedObject('index-pattern', FLOW_DATA_VIEW_ID, {
    title: FLOW_DATA_VIEW_PATTERN,
    name: 'segflow flows',
    timeFieldName: '@timestamp',
    // The data view is imported before the enricher has written a first daily index.
    allowNoIndex: true,
    fieldAttrs: JSON.stringify(fieldAttrs),
    fieldFormatMap: JSON.stringify(fieldFormatMap),
    fields: '[]',
    runtimeFieldMap: '{}',
    sourceFilters: '[]',
    typeMeta: '{}',
  });
}
