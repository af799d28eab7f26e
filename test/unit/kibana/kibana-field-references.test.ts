/**
 * Every field every saved object refers to exists in the flow index template with a type that
 * fits its use — and the check really fails when a field is renamed or retyped, when a chart
 * aggregates inside `nested`, or when a query cannot be read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FLOW_FIELDS, type FlowFieldSpec } from '../../../src/contract/flow-fields.ts';
import { buildFlowMappings } from '../../../src/enricher/elasticsearch/flow-index-template.ts';
import { KIBANA_OBJECTS_DIR } from '../../../src/kibana/generate-kibana-objects.ts';
import { readSavedObjectFiles } from '../../../src/kibana/kibana-import.ts';
import { savedObject, type KibanaSavedObject } from '../../../src/kibana/kibana-saved-objects.ts';
import { KqlSyntaxError, kqlFieldReferences } from '../../../src/kibana/kql-fields.ts';
import { countColumn, lensTable, lensXY, sumColumn, termsColumn } from '../../../src/kibana/lens-builder.ts';
import { checkFieldReferences, scanFieldReferences } from '../../../src/kibana/saved-object-field-references.ts';

/** The field table with one field renamed or retyped, as a careless edit would leave it. */
function editedTable(path: string, change: Partial<FlowFieldSpec>): FlowFieldSpec[] {
  let found = false;
  const table = FLOW_FIELDS.map((f) => {
    if (f.name !== path) return f;
    found = true;
    return { ...f, ...change } as FlowFieldSpec;
  });
  assert.ok(found, `${path} is a table field`);
  return table;
}

describe('saved-object field references', () => {
  it('every field in kibana/*.ndjson exists in the index template with a type that fits its use', async () => {
    const objects = await readSavedObjectFiles([KIBANA_OBJECTS_DIR]);
    const scan = scanFieldReferences(objects);
    assert.deepEqual(scan.unreadable, [], 'every query, filter and column can be read');
    assert.deepEqual(checkFieldReferences(scan.references, buildFlowMappings()), []);
    // The scan found the fields of every kind of place, not an empty list that trivially passes.
    const uses = new Set(scan.references.map((r) => r.use));
    for (const use of ['time', 'describe', 'bytes-format', 'bucket', 'date-histogram', 'numeric-metric', 'distinct', 'query', 'display', 'sort'] as const) assert.ok(uses.has(use), `found references used as ${use}`);
    const fields = new Set(scan.references.map((r) => r.field));
    for (const f of ['segflow.verdict', 'rule.name', 'segflow.policy.ingress.enforced_str', 'segflow.policy.egress.pending_str', 'segflow.observed.mismatch', 'network.bytes']) assert.ok(fields.has(f), `found ${f}`);
  });

  it('fails when a field the dashboards use is renamed in the table', async () => {
    const objects = await readSavedObjectFiles([KIBANA_OBJECTS_DIR]);
    const { references } = scanFieldReferences(objects);
    const problems = checkFieldReferences(references, buildFlowMappings(editedTable('segflow.verdict', { name: 'segflow.decision' })));
    assert.ok(problems.length > 5, 'the verdict is used in many places');
    assert.ok(problems.every((p) => p.includes('segflow.verdict is not a field of the index mapping')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('query')) && problems.some((p) => p.includes('(terms)')), 'both KQL queries and terms columns are caught');
  });

  it('fails when a summed field stops being numeric or a grouped field becomes un-aggregatable', async () => {
    const objects = await readSavedObjectFiles([KIBANA_OBJECTS_DIR]);
    const { references } = scanFieldReferences(objects);
    const bytes = checkFieldReferences(references, buildFlowMappings(editedTable('network.bytes', { type: 'keyword' })));
    assert.ok(bytes.some((p) => /network\.bytes needs a numeric type, is keyword \(use: numeric-metric\)/.test(p)), bytes.join('\n'));
    assert.ok(bytes.some((p) => /network\.bytes needs a numeric type, is keyword \(use: bytes-format\)/.test(p)), bytes.join('\n'));
    const labels = checkFieldReferences(references, buildFlowMappings(editedTable('segflow.destination.namespace', { type: 'flattened' })));
    assert.ok(labels.some((p) => /segflow\.destination\.namespace needs an aggregatable type, is flattened/.test(p)), labels.join('\n'));
  });

  it('rejects aggregating inside nested trace fields and un-nested queries on them', () => {
    const chart = lensXY({ id: 'bad-nested', title: 'bad', seriesType: 'bar_stacked', x: termsColumn('segflow.policy.ingress.enforced.name', 'Policy'), metrics: [countColumn()], query: 'segflow.policy.ingress.enforced.action : "deny"' });
    const { references, unreadable } = scanFieldReferences([chart as unknown as KibanaSavedObject]);
    assert.deepEqual(unreadable, []);
    const problems = checkFieldReferences(references, buildFlowMappings());
    assert.ok(problems.some((p) => p.includes('segflow.policy.ingress.enforced.name lies inside nested segflow.policy.ingress.enforced, which Kibana cannot aggregate')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('segflow.policy.ingress.enforced.action lies inside nested') && p.includes('enforced:{ … }')), problems.join('\n'));
    const nestedQuery = lensTable({ id: 'ok-nested', title: 'ok', rows: [termsColumn('rule.name', 'Policy')], metrics: [countColumn()], query: 'segflow.policy.ingress.enforced:{ name : "deny-all" and action : "deny" } and segflow.source.labels.app : web' });
    const ok = scanFieldReferences([nestedQuery as unknown as KibanaSavedObject]);
    assert.deepEqual(checkFieldReferences(ok.references, buildFlowMappings()), [], 'nested KQL and flattened keys are fine');
  });

  it('rejects group-by on fields the table does not mark aggregatable, and sums on non-numbers', () => {
    const chart = lensTable({ id: 'bad-agg', title: 'bad', rows: [termsColumn('event.id', 'Id')], metrics: [sumColumn('segflow.aggregation.level', 'Level')] });
    const problems = checkFieldReferences(scanFieldReferences([chart as unknown as KibanaSavedObject]).references, buildFlowMappings());
    assert.ok(problems.some((p) => p.includes('event.id is not marked aggregatable in the field table')), problems.join('\n'));
    const keywordSum = savedObject('lens', 'bad-sum', { state: { datasourceStates: { formBased: { layers: { l: { columns: { a: { operationType: 'sum', sourceField: 'rule.name' } } } } } }, query: { language: 'kuery', query: '' }, filters: [] } });
    assert.ok(checkFieldReferences(scanFieldReferences([keywordSum as unknown as KibanaSavedObject]).references, buildFlowMappings()).some((p) => p.includes('rule.name needs a numeric type')));
  });

  it('reports what it cannot read instead of passing it', () => {
    const objects = [
      savedObject('lens', 'bad-kql', { state: { datasourceStates: { formBased: { layers: {} } }, query: { language: 'kuery', query: 'segflow.verdict : (deny' }, filters: [] } }),
      savedObject('lens', 'lucene', { state: { datasourceStates: { formBased: { layers: {} } }, query: { language: 'lucene', query: 'segflow.verdict:deny' }, filters: [] } }),
      savedObject('lens', 'unknown-op', { state: { datasourceStates: { formBased: { layers: { l: { columns: { a: { operationType: 'cumulative_sum_of_mystery', sourceField: 'x' } } } } } }, query: { language: 'kuery', query: '' }, filters: [] } }),
      { ...savedObject('lens', 'other-type', {}), type: 'map' },
    ] as unknown as KibanaSavedObject[];
    const { unreadable } = scanFieldReferences(objects);
    assert.equal(unreadable.length, 4, unreadable.join('\n'));
    assert.match(unreadable[0] ?? '', /bad-kql query: KQL syntax error/);
    assert.match(unreadable[1] ?? '', /lucene query cannot be checked/);
    assert.match(unreadable[2] ?? '', /operation cumulative_sum_of_mystery is not known/);
    assert.match(unreadable[3] ?? '', /type map is not known/);
  });

  it('finds fields in Kibana filters (phrase, range, exists, nested DSL)', () => {
    const filters = [
      { meta: { key: 'segflow.verdict', type: 'phrase' }, query: { match_phrase: { 'segflow.verdict': 'deny' } } },
      { meta: { type: 'range' }, query: { range: { 'destination.port': { gte: 1, lt: 1024 } } } },
      { meta: { type: 'exists' }, query: { exists: { field: 'rule.nam' } } },
      { meta: { type: 'custom' }, query: { nested: { path: 'segflow.policy.egress.enforced', query: { term: { 'segflow.policy.egress.enforced.tier': 'security' } } } } },
    ];
    const object = savedObject('lens', 'filters', { state: { datasourceStates: { formBased: { layers: {} } }, query: { language: 'kuery', query: '' }, filters } });
    const { references } = scanFieldReferences([object as unknown as KibanaSavedObject]);
    assert.deepEqual(references.map((r) => `${r.field}/${r.use}${r.nestedPath ? `@${r.nestedPath}` : ''}`).sort(), [
      'destination.port/range-query', 'rule.nam/query', 'segflow.policy.egress.enforced.tier/query@segflow.policy.egress.enforced', 'segflow.verdict/query', 'segflow.verdict/query',
    ]);
    assert.deepEqual(checkFieldReferences(references, buildFlowMappings()), ['lens filters filters[2]: rule.nam is not a field of the index mapping']);
  });
});

describe('KQL field parser', () => {
  const fields = (q: string): string[] => kqlFieldReferences(q).map((r) => `${r.kind}:${r.field}${r.nestedPath ? `@${r.nestedPath}` : ''}`);

  it('reads fields from the KQL forms Kibana documents', () => {
    assert.deepEqual(fields(''), []);
    assert.deepEqual(fields('   '), []);
    assert.deepEqual(fields('segflow.verdict : "deny"'), ['match:segflow.verdict']);
    assert.deepEqual(fields('segflow.verdict:deny and not destination.port >= 1024'), ['match:segflow.verdict', 'range:destination.port']);
    assert.deepEqual(fields('(a : 1 or b : (x or "y z" or not w)) and c : *'), ['match:a', 'match:b', 'exists:c']);
    assert.deepEqual(fields('NOT rule.name : deny\\-all* OR free text'), ['match:rule.name']);
    assert.deepEqual(fields('p : { name : x and (action : deny or rule_index < 0) }'), ['match:p.name@p', 'match:p.action@p', 'range:p.rule_index@p']);
    assert.deepEqual(fields('"quoted free text"'), []);
  });

  it('rejects what it cannot read', () => {
    for (const bad of ['a : (x', 'a : "open', 'a :', 'a : x)', 'p : { q : { r : 1 } }', 'p : { loose }', 'a >', '(a : 1']) {
      assert.throws(() => kqlFieldReferences(bad), KqlSyntaxError, bad);
    }
  });
});
