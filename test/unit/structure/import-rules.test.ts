/**
 * The import rules of src/ (scripts/import-rules.ts): no import circle, no import from one
 * role's folder into another's, no library importing a role, nothing importing src/cli. A new
 * violation fails here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundaryProblems, importCircles, importRuleProblems, relativeImports } from '../../../scripts/import-rules.ts';

describe('import rules of src/', () => {
  it('src/ has no import circle and no import across role folders', () => {
    assert.deepEqual(importRuleProblems(), []);
  });

  it('reads static, type-only, re-export, side-effect and dynamic imports, not comments', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b/b.ts';",
      "export { c } from './c.ts';",
      "import './d.ts';",
      "const e = await import('./e.ts');",
      "import x from 'node:fs';",
      "// import { f } from './f.ts';",
      "/** import { g } from './g.ts'; */",
      "const url = 'http://example.org'; import { h } from './h.ts';",
    ].join('\n');
    assert.deepEqual(relativeImports(text), ['./a.ts', '../b/b.ts', './c.ts', './d.ts', './e.ts', './h.ts']);
  });

  it('finds circles, type-only ones included, and self-imports', () => {
    const graph = new Map<string, string[]>([
      ['inventory/a.ts', ['inventory/b.ts']],
      ['inventory/b.ts', ['inventory/c.ts']],
      ['inventory/c.ts', ['inventory/a.ts']],
      ['inventory/d.ts', ['inventory/a.ts']],
      ['runtime/self.ts', ['runtime/self.ts']],
    ]);
    assert.deepEqual(importCircles(graph), [['inventory/a.ts', 'inventory/b.ts', 'inventory/c.ts'], ['runtime/self.ts']]);
  });

  it('flags role → other role, library → role and anything → src/cli; allows src/cli and libraries', () => {
    const graph = new Map<string, string[]>([
      ['api/server.ts', ['ui/ui-plugin.ts', 'inventory/inventory.ts', 'api/config.ts']],
      ['inventory/inventory.ts', ['enricher/enricher.ts']],
      ['cli/main.ts', ['api/server.ts', 'ui/ui-plugin.ts']],
      ['goldmane/source.ts', ['contract/flow-fields.ts', 'runtime/logger.ts']],
      ['cli/explain-command.ts', ['inventory/index.ts']],
      ['inventory/index.ts', ['cli/explain-command.ts']],
    ]);
    const problems = boundaryProblems(graph);
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0]!, /^src\/api\/server\.ts → src\/ui\/ui-plugin\.ts: the api role imports the ui role's folder/);
    assert.match(problems[1]!, /^src\/inventory\/inventory\.ts → src\/enricher\/enricher\.ts: the library src\/inventory\/ imports the enricher role's folder/);
    assert.match(problems[2]!, /^src\/inventory\/index\.ts → src\/cli\/explain-command\.ts: imports the composition root src\/cli\//);
  });
});
