/**
 * The field table is the single source: its invariants hold, the index template maps exactly
 * its fields with their types (nested sub-tables included), uses no x-pack-only mapper, and a
 * realistic document only uses table fields.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { estypes } from '@elastic/elasticsearch';
import {
  FLOW_FIELDS,
  FLOW_FIELD_TYPES,
  checkFlowFieldTable,
  flowFieldByApiName,
  flowFieldByPath,
  resolveFlowFields,
} from '../../../src/contract/flow-fields.ts';
import { buildFlowIndexTemplate, buildFlowMappings } from '../../../src/enricher/elasticsearch/flow-index-template.ts';
import { sampleFlowDocument } from './flow-document-sample.ts';

type Props = Record<string, estypes.MappingProperty>;

/** Every mapped leaf (and nested field) as path → mapping, walking objects and nested fields. */
function mappedFields(properties: Props, prefix = ''): Map<string, estypes.MappingProperty> {
  const out = new Map<string, estypes.MappingProperty>();
  for (const [name, mapping] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const sub = (mapping as { properties?: Props }).properties;
    if (mapping.type === 'object') {
      for (const [p, m] of mappedFields(sub ?? {}, path)) out.set(p, m);
    } else {
      out.set(path, mapping);
      if (mapping.type === 'nested') for (const [p, m] of mappedFields(sub ?? {}, path)) out.set(p, m);
    }
  }
  return out;
}

/** Leaf paths of a document; arrays of objects (nested hits) are walked element by element. */
function documentPaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const element of value) {
      if (typeof element === 'object' && element !== null) {
        out.add(prefix);
        documentPaths(element, prefix, out);
      } else out.add(prefix);
    }
  } else if (typeof value === 'object' && value !== null) {
    const field = flowFieldByPath(prefix);
    if (field?.type === 'flattened') out.add(prefix);
    else for (const [k, v] of Object.entries(value)) if (v !== undefined) documentPaths(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.add(prefix);
  return out;
}

describe('flow field table', () => {
  it('has no duplicate paths or API names, no leaf used as a parent, descriptions everywhere', () => {
    assert.deepEqual(checkFlowFieldTable(), []);
  });

  it('finds its own problems', () => {
    const problems = checkFlowFieldTable([
      { name: 'a', type: 'keyword', group: 'segflow', description: 'x', api: 'dup' },
      { name: 'a.b', type: 'long', group: 'segflow', description: 'y', api: 'dup' },
      { name: 'c', type: 'long', group: 'segflow', description: 'z', values: ['1'] },
      { name: 'id', type: 'keyword', group: 'segflow', description: 'i' },
    ]);
    assert.ok(problems.some((p) => p.includes('duplicate api name dup')));
    assert.ok(problems.some((p) => p.includes('parent a is a keyword leaf')));
    assert.ok(problems.some((p) => p.includes('values on a long field')));
    assert.ok(problems.some((p) => p.includes('id: a top-level id would clash')));
  });

  it('covers the brief: ECS core, endpoints, traces, staged verdicts, reporter, outcome, counters, provenance', () => {
    const required = [
      '@timestamp', 'event.start', 'event.end', 'event.action', 'event.outcome', 'source.ip', 'source.port', 'destination.ip', 'destination.port',
      'network.transport', 'network.iana_number', 'network.type', 'network.bytes', 'network.packets', 'source.bytes', 'destination.bytes', 'related.ip', 'observer.hostname',
      'segflow.source.kind', 'segflow.source.name', 'segflow.source.aggregated_name', 'segflow.source.namespace', 'segflow.source.labels', 'segflow.source.service_account',
      'segflow.destination.service.ip', 'segflow.destination.service.port', 'segflow.destination.service.name', 'segflow.destination.service.namespace',
      'segflow.verdict', 'segflow.pending_verdict', 'segflow.policy.egress.enforced', 'segflow.policy.egress.enforced_str', 'segflow.policy.ingress.enforced.action',
      'segflow.policy.ingress.pending', 'segflow.policy.ingress.pending_str', 'segflow.reporter', 'segflow.observed.outcome', 'segflow.observed.mismatch',
      'segflow.flows.started', 'segflow.flows.completed', 'segflow.aggregation.level', 'segflow.aggregation.interval_s', 'segflow.inventory.revision',
      'agent.id', 'event.sequence', 'segflow.ct.state', 'segflow.ct.flags',
    ];
    for (const path of required) assert.ok(flowFieldByPath(path), `table has ${path}`);
    assert.equal(flowFieldByPath('segflow.source.labels')?.type, 'flattened');
    assert.equal(flowFieldByPath('segflow.policy.egress.enforced')?.type, 'nested');
    assert.equal(flowFieldByPath('segflow.policy.egress.enforced.rule_index')?.nestedPath, 'segflow.policy.egress.enforced');
    assert.equal(flowFieldByPath('segflow.policy.egress.enforced_str')?.array, true);
    assert.deepEqual(flowFieldByPath('segflow.source.kind')?.values, ['workload', 'host', 'networkset', 'public', 'private']);
    assert.equal(flowFieldByApiName('source_namespace')?.path, 'segflow.source.namespace');
    assert.equal(flowFieldByApiName('action')?.path, 'segflow.verdict');
  });

  it('uses ECS names for ECS fields and the segflow namespace for the rest', () => {
    for (const field of resolveFlowFields()) {
      if (field.group === 'segflow') assert.ok(field.path.startsWith('segflow.'), field.path);
      else assert.ok(!field.path.startsWith('segflow.'), field.path);
    }
  });

  it('accepts the realistic sample document: every leaf it sets is a table field', () => {
    const paths = documentPaths(sampleFlowDocument());
    for (const path of paths) assert.ok(flowFieldByPath(path), `document field ${path} is in the table`);
    assert.ok(paths.size > 80, `sample exercises most of the table (${paths.size} fields)`);
  });
});

describe('flow index template', () => {
  const template = buildFlowIndexTemplate();
  const mappings = template.template?.mappings as estypes.MappingTypeMapping;
  const mapped = mappedFields(mappings.properties as Props);

  it('maps every table field with its type, and nothing else', () => {
    const resolved = resolveFlowFields();
    for (const field of resolved) assert.equal(mapped.get(field.path)?.type, field.type, `${field.path} mapped as ${field.type}`);
    assert.deepEqual([...mapped.keys()].sort(), resolved.map((f) => f.path).sort());
  });

  it('is strict at the root and inside every nested field', () => {
    assert.equal(mappings.dynamic, 'strict');
    assert.equal(mappings.date_detection, false);
    const nested = [...mapped.entries()].filter(([, m]) => m.type === 'nested');
    assert.equal(nested.length, 6, 'egress/ingress × enforced/pending, and Calico\'s enforced/pending (Goldmane flows)');
    for (const [path, m] of nested) assert.equal((m as estypes.MappingNestedProperty).dynamic, 'strict', path);
  });

  it('uses only core mapping types (no constant_keyword, wildcard or other x-pack mappers)', () => {
    const types = new Set<string>();
    const walk = (props: Props): void => {
      for (const m of Object.values(props)) {
        if (m.type !== undefined) types.add(m.type);
        const sub = (m as { properties?: Props }).properties;
        if (sub) walk(sub);
      }
    };
    walk(mappings.properties as Props);
    for (const t of types) assert.ok(['object', ...FLOW_FIELD_TYPES].includes(t as never), `core type ${t}`);
    assert.ok(!types.has('constant_keyword') && !types.has('wildcard'));
  });

  it('addresses are ip, counters long, labels flattened', () => {
    for (const path of ['source.ip', 'destination.ip', 'related.ip', 'source.nat.ip', 'segflow.destination.service.ip']) assert.equal(mapped.get(path)?.type, 'ip', path);
    for (const path of ['source.bytes', 'network.packets', 'segflow.flows.started', 'segflow.policy.ingress.enforced.rule_index']) assert.equal(mapped.get(path)?.type, 'long', path);
    assert.equal(mapped.get('segflow.destination.labels')?.type, 'flattened');
  });

  it('targets daily indices of the prefix, with shards/replicas 1/0 by default and configurable', () => {
    assert.equal(template.name, 'segflow-flows');
    assert.deepEqual(template.index_patterns, ['segflow-flows-*']);
    assert.deepEqual(template.template?.settings, { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '5s' });
    const custom = buildFlowIndexTemplate({ prefix: 'acme-flows', shards: 3, replicas: 1, refreshInterval: '1s', name: 'acme' });
    assert.equal(custom.name, 'acme');
    assert.deepEqual(custom.index_patterns, ['acme-flows-*']);
    assert.deepEqual(custom.template?.settings, { number_of_shards: 3, number_of_replicas: 1, refresh_interval: '1s' });
    assert.notEqual(custom._meta.digest, template._meta.digest, 'a changed template has a new digest');
    assert.equal(buildFlowIndexTemplate()._meta.digest, template._meta.digest, 'the digest is stable');
    assert.throws(() => buildFlowIndexTemplate({ shards: 0 }), /shards/);
    assert.throws(() => buildFlowIndexTemplate({ prefix: 'Flows*' }), /forbids/);
  });

  it('derives from whatever table it is given', () => {
    const m = buildFlowMappings([
      { name: 'a.b', type: 'ip', group: 'segflow', description: 'x' },
      { name: 'a.c', type: 'nested', group: 'segflow', description: 'y', properties: [{ name: 'd', type: 'long', group: 'segflow', description: 'z' }] },
    ]);
    assert.deepEqual(m.properties, {
      a: { type: 'object', properties: { b: { type: 'ip' }, c: { type: 'nested', dynamic: 'strict', properties: { d: { type: 'long' } } } } },
    });
    assert.throws(() => buildFlowMappings([...FLOW_FIELDS, { name: 'source.ip', type: 'keyword', group: 'ecs', description: 'again' }]), /twice/);
  });
});
