import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import packageJson from '../../../package.json' with { type: 'json' };
import { nodeVersionProblem } from '../../../src/cli/required-node.ts';

describe('required Node.js version', () => {
  it('accepts the minimum and anything newer, by number rather than text', () => {
    for (const version of ['v24.11.0', 'v24.11.1', 'v24.22.3', 'v25.0.0', 'v26.10.0', 'v100.0.0']) {
      assert.equal(nodeVersionProblem('>=24.11.0', version, '/x/node'), undefined, version);
    }
  });

  it('refuses older releases, naming the executable, its version and how to get Node.js 24', () => {
    for (const version of ['v20.20.2', 'v22.22.0', 'v24.10.9', 'v24.0.0', 'v9.99.99']) {
      const problem = nodeVersionProblem('>=24.11.0', version, '/usr/bin/node');
      assert.ok(problem, version);
      assert.match(problem, /needs Node\.js 24\.11\.0 or newer/);
      assert.ok(problem.includes(`/usr/bin/node is ${version}`), problem);
      assert.match(problem, /scripts\/use-node-24\.sh/);
    }
  });

  it('says so when the range or the version cannot be read', () => {
    assert.match(nodeVersionProblem('^24', 'v24.11.0', 'n')!, /engines\.node is "\^24"; expected the form ">=X\.Y\.Z"/);
    assert.match(nodeVersionProblem('>=24.11.0', 'v24.11.0-pre', '/opt/node')!, /cannot read the Node\.js version "v24\.11\.0-pre" of \/opt\/node/);
  });

  it('package.json declares Node.js 24 LTS and this test runs on it', () => {
    assert.equal(packageJson.engines.node, '>=24.11.0');
    assert.equal(nodeVersionProblem(packageJson.engines.node, process.version, process.execPath), undefined);
  });

  it('the CLI on an older Node exits 1 with the reason before loading anything else', () => {
    // The check reads process.version, so an older Node is imitated by overriding it in a preload.
    const root = path.resolve(import.meta.dirname, '../../..');
    const r = spawnSync(process.execPath, ['--import', 'data:text/javascript,Object.defineProperty(process,"version",{value:"v20.20.2"})', path.join(root, 'bin/segflow.js'), '--help'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^segflow needs Node\.js 24\.11\.0 or newer \(Node\.js 24 LTS\); .* is v20\.20\.2\./);
    assert.equal(r.stdout, '');
  });
});
