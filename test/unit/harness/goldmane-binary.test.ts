/** The Goldmane test binary lookup: the env variable first, and a loud failure naming the suite when nothing is found. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { goldmaneBinaryCandidates, requireGoldmaneBinary } from '../../harness/goldmane.ts';

it("looks at SEGFLOW_GOLDMANE_BIN first, then in the checkout's .local/tools", () => {
  const candidates = goldmaneBinaryCandidates({ SEGFLOW_GOLDMANE_BIN: '/opt/goldmane' });
  assert.deepEqual(candidates.map((c) => c.from), ['env SEGFLOW_GOLDMANE_BIN', "the checkout's .local/tools"]);
  assert.match(candidates[1]!.path, /\/\.local\/tools\/goldmane\/goldmane$/);
});

it('fails naming the suite, why and how to run it when no binary exists', () => {
  const missing = [{ path: '/nonexistent/goldmane', from: 'env SEGFLOW_GOLDMANE_BIN' }];
  assert.throws(() => requireGoldmaneBinary('test/integration/x.test.ts', {}, missing), (error: Error) => {
    assert.match(error.message, /^test\/integration\/x\.test\.ts DID NOT RUN: no executable Goldmane binary \(looked at \/nonexistent\/goldmane \(env SEGFLOW_GOLDMANE_BIN\)\)/);
    assert.match(error.message, /set SEGFLOW_GOLDMANE_BIN=/);
    return true;
  });
});
