import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { AGENT_HEAP_GROWING_PERCENT } from '../../../src/collector/agent-heap-growth.ts';

describe('agent heap growth', () => {
  // V8 ignores a flag it does not know when it is set at run time, silently: on node's command
  // line the same flag is checked. If this fails, a Node.js upgrade dropped the flag and the
  // agent is back to a full collection a second (bench: gcPer10s in agent-cpu.json).
  it('is a flag this Node.js knows', () => {
    const run = spawnSync(process.execPath, [`--heap-growing-percent=${AGENT_HEAP_GROWING_PERCENT}`, '-e', ''], { encoding: 'utf8' });
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    const unknown = spawnSync(process.execPath, ['--heap-growing-percent-no-such-flag=1', '-e', ''], { encoding: 'utf8' });
    assert.notEqual(unknown.status, 0, 'node accepted an unknown flag: this check proves nothing');
  });
});
