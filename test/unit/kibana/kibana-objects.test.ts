/**
 * The committed Kibana saved objects (`kibana/*.ndjson`) are exactly what the generator makes
 * from the field table, and they hang together: the four dashboards exist, ids are unique,
 * every reference resolves to an object in the files, and the data view describes every field.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveFlowFields } from '../../../src/contract/flow-fields.ts';
import { KIBANA_OBJECTS_DIR, renderKibanaObjectFiles } from '../../../src/kibana/generate-kibana-objects.ts';
import { FLOW_DATA_VIEW_ID, parseNdjson, type KibanaSavedObject } from '../../../src/kibana/kibana-saved-objects.ts';
import { readSavedObjectFiles } from '../../../src/kibana/kibana-import.ts';

async function committedObjects(): Promise<KibanaSavedObject[]> {
  return readSavedObjectFiles([KIBANA_OBJECTS_DIR]);
}

describe('Kibana saved objects', () => {
  it('the committed kibana/*.ndjson match the generator (run `npm run kibana:gen` after changing the field table or dashboards)', async () => {
    const rendered = renderKibanaObjectFiles();
    const committed = (await readdir(KIBANA_OBJECTS_DIR)).filter((n) => n.endsWith('.ndjson')).sort();
    assert.deepEqual(committed, [...rendered.keys()].sort(), 'kibana/ holds exactly the generated files');
    for (const [name, text] of rendered) {
      const have = await readFile(path.join(KIBANA_OBJECTS_DIR, name), 'utf8');
      assert.ok(have === text, `kibana/${name} drifted from src/kibana: run \`npm run kibana:gen\` and commit the result`);
    }
  });

  it('has the data view and the four dashboards, each object once', async () => {
    const objects = await committedObjects();
    const all = [...renderKibanaObjectFiles().values()].flatMap((text) => parseNdjson(text));
    assert.equal(new Set(all.map((o) => `${o.type}/${o.id}`)).size, all.length, 'no type/id appears in two files');
    const dashboards = objects.filter((o) => o.type === 'dashboard').map((o) => o.attributes.title).sort();
    assert.deepEqual(dashboards, ['Denied connections', 'Flows overview', 'Namespace traffic', 'Policy hits']);
    const dataView = objects.find((o) => o.type === 'index-pattern');
    assert.equal(dataView?.id, FLOW_DATA_VIEW_ID);
    assert.equal(dataView?.attributes.title, 'segflow-flows-*');
    assert.equal(dataView?.attributes.timeFieldName, '@timestamp');
  });

  it('every reference resolves to an object in the files, and every dashboard panel has its reference', async () => {
    const objects = await committedObjects();
    const ids = new Set(objects.map((o) => `${o.type}/${o.id}`));
    for (const o of objects) {
      for (const ref of o.references) assert.ok(ids.has(`${ref.type}/${ref.id}`), `${o.type} ${o.id}: reference ${ref.name} → ${ref.type}/${ref.id} is not in kibana/`);
      if (o.type === 'dashboard') {
        const panels = JSON.parse(o.attributes.panelsJSON as string) as { panelIndex: string; panelRefName: string; gridData: { x: number; w: number } }[];
        assert.ok(panels.length >= 4, `${o.id} has panels`);
        for (const p of panels) {
          assert.ok(o.references.some((r) => r.name === `${p.panelIndex}:${p.panelRefName}`), `${o.id} panel ${p.panelIndex} has no reference`);
          assert.ok(p.gridData.x + p.gridData.w <= 48, `${o.id} panel ${p.panelIndex} fits the 48-column grid`);
        }
      }
      if (o.type === 'lens') {
        const layers = Object.keys((o.attributes.state as { datasourceStates: { formBased: { layers: object } } }).datasourceStates.formBased.layers);
        for (const layer of layers) assert.ok(o.references.some((r) => r.name === `indexpattern-datasource-layer-${layer}` && r.id === FLOW_DATA_VIEW_ID), `${o.id} layer ${layer} references the data view`);
      }
    }
  });

  it('the data view describes every leaf field of the table with its description', async () => {
    const dataView = (await committedObjects()).find((o) => o.type === 'index-pattern');
    const attrs = JSON.parse(dataView?.attributes.fieldAttrs as string) as Record<string, { customDescription: string }>;
    const leaves = resolveFlowFields().filter((f) => f.type !== 'nested');
    assert.deepEqual(Object.keys(attrs).sort(), leaves.map((f) => f.path).sort());
    for (const f of leaves) assert.equal(attrs[f.path]?.customDescription, f.description);
  });
});
