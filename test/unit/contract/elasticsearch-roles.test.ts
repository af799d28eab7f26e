/**
 * The role descriptors as data: what each grants, on which indices, and that every privilege
 * says why. Whether Elasticsearch accepts them and they suffice is proven against a secured
 * node in test/integration/elasticsearch-roles.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { apiElasticsearchRole, enricherElasticsearchRole, roleDescriptorBody, segflowElasticsearchRoles } from '../../../src/contract/elasticsearch-roles.ts';
import { elasticsearchRoleDescriptors } from '../../../src/cli/install-command.ts';
import { projectRoot } from '../../../src/services/services-config.ts';

const WRITE_OR_ADMIN = ['create_index', 'index', 'create_doc', 'create', 'write', 'delete', 'delete_index', 'maintenance', 'manage', 'all', 'indices:admin/mapping/put'];

describe('segflow Elasticsearch roles', () => {
  it('cover only the prefix\'s flow, summary and agent report indices', () => {
    for (const role of segflowElasticsearchRoles('acme-flows')) {
      const names = role.indices.flatMap((g) => g.names);
      assert.deepEqual(names.sort(), ['acme-flows-*', 'acme-flows.reports-*', 'acme-flows.summaries-*'], role.name);
    }
  });

  it('give the API no write, delete or administrative privilege', () => {
    const api = apiElasticsearchRole('segflow-flows');
    assert.deepEqual(api.cluster.map((p) => p.privilege), ['cluster:monitor/main']);
    const granted = api.indices.flatMap((g) => g.privileges.map((p) => p.privilege));
    assert.deepEqual(granted.filter((p) => WRITE_OR_ADMIN.includes(p)), []);
  });

  it('give the enricher no broad named privilege (manage, all, monitor, write)', () => {
    const enricher = enricherElasticsearchRole('segflow-flows');
    const granted = [...enricher.cluster.map((p) => p.privilege), ...enricher.indices.flatMap((g) => g.privileges.map((p) => p.privilege))];
    for (const broad of ['all', 'manage', 'monitor', 'write', 'manage_index_templates', 'delete']) assert.ok(!granted.includes(broad), broad);
    // Agent reports are appended, never overwritten or read; only whole expired days go.
    const reports = enricher.indices.find((g) => g.names[0] === 'segflow-flows.reports-*');
    assert.deepEqual(reports?.privileges.map((p) => p.privilege), ['create_index', 'create_doc', 'indices:admin/mapping/put', 'view_index_metadata', 'delete_index']);
  });

  it('give every privilege a reason, carried into the descriptor\'s metadata', () => {
    for (const role of segflowElasticsearchRoles('segflow-flows')) {
      const body = roleDescriptorBody(role, 'segflow-flows');
      const count = role.cluster.length + role.indices.reduce((n, g) => n + g.privileges.length, 0);
      assert.equal(Object.keys(body.metadata.segflow_reasons).length, count, role.name);
      for (const reason of Object.values(body.metadata.segflow_reasons)) assert.ok(reason.length > 20, reason);
      assert.ok(body.indices.every((g) => g.allow_restricted_indices === false));
    }
  });

  it('are keyed by role names derived from the prefix', () => {
    assert.deepEqual(Object.keys(elasticsearchRoleDescriptors('segflow-flows')), ['segflow-flows-enricher', 'segflow-flows-api']);
    assert.deepEqual(elasticsearchRoleDescriptors('acme')['acme-api']?.indices[0]?.names, ['acme-*']);
  });

  it('are what docs/install.md lists, row for row', () => {
    const docs = readFileSync(path.join(projectRoot, 'docs', 'install.md'), 'utf8');
    for (const role of segflowElasticsearchRoles('segflow-flows')) {
      const section = docs.split(`**\`${role.name}\`**`)[1]?.split('\n\n')[1] ?? '';
      const rows = section.split('\n').slice(2);
      const expected = [
        ...role.cluster.map((p) => `| cluster | \`${p.privilege}\` | ${p.reason} |`),
        ...role.indices.flatMap((g) => g.privileges.map((p) => `| \`${g.names.join(', ')}\` | \`${p.privilege}\` | ${p.reason} |`)),
      ];
      assert.deepEqual(rows, expected, `docs/install.md, table of ${role.name}`);
    }
  });

  it('refuse a prefix that would act as a pattern', () => {
    assert.throws(() => segflowElasticsearchRoles('*'), /forbids/);
    assert.throws(() => segflowElasticsearchRoles(''), /1-200 characters/);
  });
});
