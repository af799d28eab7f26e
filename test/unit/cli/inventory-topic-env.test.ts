/**
 * SEGFLOW_INVENTORY_TOPIC is the default inventory topic of every role that reads or writes it
 * (the manifests set it once in their ConfigMap); the command line still wins.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { projectRoot } from '../../../src/services/services-config.ts';

const run = promisify(execFile);
const cli = path.join(projectRoot, 'bin', 'segflow.js');

async function printConfig(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(process.execPath, [cli, ...args, '--print-config'], { env: { ...process.env, ...env }, cwd: projectRoot });
  return stdout;
}

describe('SEGFLOW_INVENTORY_TOPIC', () => {
  for (const [role, args, key] of [['enrich', ['enrich'], 'inventory-topic'], ['api', ['api'], 'inventory-topic'], ['inventory sync', ['inventory', 'sync'], 'topic']] as const) {
    it(`is the default of segflow ${role}`, async () => {
      const out = await printConfig([...args], { SEGFLOW_INVENTORY_TOPIC: 'inv-from-env' });
      assert.match(out, new RegExp(`^${key}: inv-from-env # environment$`, 'm'));
    });
    it(`is overridden by segflow ${role}'s command line`, async () => {
      const out = await printConfig([...args, `--${key}`, 'inv-from-cli'], { SEGFLOW_INVENTORY_TOPIC: 'inv-from-env' });
      assert.match(out, new RegExp(`^${key}: inv-from-cli`, 'm'));
    });
  }
});
