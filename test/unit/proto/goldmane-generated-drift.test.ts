import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GOLDMANE_GENERATED_DIR, generateGoldmaneProtoCode, goldmaneGeneratedPaths } from '../../../src/contract/goldmane/generate-goldmane-proto.ts';

it('the committed Goldmane protobuf code matches proto/goldmane (run `npm run proto:gen:goldmane` after editing it)', async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'segflow-goldmane-gen-'));
  try {
    const fresh = await generateGoldmaneProtoCode(tmp);
    const committed = goldmaneGeneratedPaths(GOLDMANE_GENERATED_DIR);
    for (const kind of ['js', 'dts'] as const) {
      const want = await readFile(fresh[kind], 'utf8');
      const have = await readFile(committed[kind], 'utf8').catch(() => '(missing)');
      assert.ok(want.length > 1000, `pbjs/pbts produced an implausibly small ${kind} file`);
      assert.ok(have === want, `${path.relative(process.cwd(), committed[kind])} drifted from proto/goldmane/api.proto`);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
