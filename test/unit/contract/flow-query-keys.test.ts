/**
 * The query keys (src/contract/flow-query-keys.ts): the primary-report rule as a table, and the
 * denied group id — stable, separator-proof, null for a missing field, the same from a document
 * as from the values a composite aggregation returns for it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DENIED_GROUP_KEYS, deniedGroupId, deniedGroupValuesOf, isPrimaryReport, withFlowQueryKeys } from '../../../src/contract/flow-query-keys.ts';

const deniedDoc = () => ({
  destination: { port: 5432 }, network: { transport: 'tcp' },
  rule: { name: 'shop/default.db', ruleset: 'default', uuid: 'np:shop/default.db:ingress:-1' },
  segflow: {
    verdict: 'deny', reporter: 'dst',
    source: { kind: 'workload', namespace: 'shop', aggregated_name: 'checkout-7f9-*' },
    destination: { kind: 'workload', namespace: 'shop', aggregated_name: 'postgres-0' },
  } as Record<string, unknown> & { verdict: string; reporter: string; source: { kind: string } },
});

describe('flow query keys', () => {
  const cases: [string, string | undefined, boolean][] = [
    ['src', 'workload', true], ['src', 'public', true], ['src', undefined, true],
    ['dst', 'workload', false], ['dst', 'host', false],
    ['dst', 'public', true], ['dst', 'private', true], ['dst', 'networkset', true], ['dst', undefined, true],
  ];
  for (const [reporter, kind, primary] of cases) {
    it(`primary report: reporter ${reporter}, source kind ${kind ?? '(none)'} → ${primary}`, () => {
      assert.equal(isPrimaryReport(reporter, kind), primary);
    });
  }

  it('reads the group values in key order, null where the document has none', () => {
    assert.deepEqual(deniedGroupValuesOf(deniedDoc()), ['shop', 'checkout-7f9-*', 'shop', 'postgres-0', 5432, 'tcp', 'shop/default.db', 'default', 'np:shop/default.db:ingress:-1']);
    const bare = deniedDoc();
    delete (bare as { rule?: unknown }).rule;
    assert.deepEqual(deniedGroupValuesOf(bare).slice(6), [null, null, null]);
    assert.equal(DENIED_GROUP_KEYS.length, 9);
  });

  it('gives a stable id that no separator or type confusion can collide', () => {
    const values = deniedGroupValuesOf(deniedDoc());
    assert.equal(deniedGroupId(values), deniedGroupId([...values]));
    assert.match(deniedGroupId(values), /^[A-Za-z0-9_-]{22}$/);
    const ids = new Set([
      deniedGroupId(['a|b', 'c', null, null, null, null, null, null, null]),
      deniedGroupId(['a', 'b|c', null, null, null, null, null, null, null]),
      deniedGroupId(['a', 'b', null, null, 80, null, null, null, null]),
      deniedGroupId(['a', 'b', null, null, '80', null, null, null, null]),
      deniedGroupId(['a', 'b', null, null, null, null, null, null, null]),
      deniedGroupId(['a', 'b', '', null, null, null, null, null, null]),
    ]);
    assert.equal(ids.size, 6);
  });

  it('sets both keys on a denied document and only the report key on an allowed one', () => {
    const denied = withFlowQueryKeys(deniedDoc());
    assert.equal(denied.segflow.primary_report, false);
    assert.equal(denied.segflow.denied_group, deniedGroupId(deniedGroupValuesOf(denied)));
    const allowed = deniedDoc();
    allowed.segflow.verdict = 'allow';
    allowed.segflow.denied_group = 'stale';
    allowed.segflow.reporter = 'src';
    withFlowQueryKeys(allowed);
    assert.equal(allowed.segflow.primary_report, true);
    assert.equal('denied_group' in allowed.segflow, false);
  });
});
