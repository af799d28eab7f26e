import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { readProgress, writeProgress } from '../../../src/goldmane/goldmane-progress-file.ts';

it('keeps the source\'s progress across restarts, and names a broken file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'segflow-goldmane-progress-'));
  try {
    const file = path.join(dir, 'state', 'goldmane.json');
    assert.deepEqual(await readProgress(file), { newestStart: undefined, newestEnd: undefined }, 'absent: a fresh start');
    await writeProgress(file, { newestStart: 1_800_000_000, newestEnd: 1_800_000_015 });
    assert.deepEqual(await readProgress(file), { newestStart: 1_800_000_000, newestEnd: 1_800_000_015 });
    await writeFile(file, '{"newestStart": "yesterday"}');
    await assert.rejects(readProgress(file), /--state-file .*goldmane\.json: expected \{"newestStart": <unix s>, "newestEnd": <unix s>\}/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
