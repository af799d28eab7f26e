import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GENERATED_DIR, generateProtoCode, generatedFilePaths } from '../../../src/contract/wire/generate-proto-code.ts';

it('the committed generated protobuf code matches proto/ (run `npm run proto:gen` after editing a .proto)', async () => {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'segflow-proto-gen-'));
  try {
    const fresh = await generateProtoCode(tmp);
    const committed = generatedFilePaths(GENERATED_DIR);
    for (const kind of ['js', 'dts'] as const) {
      const want = await readFile(fresh[kind], 'utf8');
      const have = await readFile(committed[kind], 'utf8').catch(() => '(missing)');
      assert.ok(want.length > 1000, `pbjs/pbts produced an implausibly small ${kind} file`);
      assert.ok(have === want, `${path.relative(process.cwd(), committed[kind])} drifted from the .proto: run \`npm run proto:gen\` and commit the result`);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
