/** docs/flow-document.md is generated from the field table; this fails when they drift. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { resolveFlowFields } from '../../../src/contract/flow-fields.ts';
import { FLOW_DOCUMENT_DOC, renderFlowDocument } from '../../../scripts/generate-flow-document.ts';

describe('docs/flow-document.md', () => {
  it('is what the generator makes from the field table (regenerate: node --import tsx scripts/generate-flow-document.ts)', () => {
    assert.equal(readFileSync(FLOW_DOCUMENT_DOC, 'utf8'), renderFlowDocument());
  });

  it('lists every field of the table once, nested sub-fields included', () => {
    const text = renderFlowDocument();
    for (const f of resolveFlowFields()) {
      const rows = text.split('\n').filter((line) => line.startsWith(`| \`${f.path}\` |`));
      assert.equal(rows.length, 1, f.path);
    }
  });
});
