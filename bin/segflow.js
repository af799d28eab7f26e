#!/usr/bin/env node
// The segflow CLI. It runs the JavaScript that `npm run build` compiles from src/ into dist/
// (`npm ci` runs the build through `prepare`), so a command starts without compiling anything.
// When dist/ is missing or was built from other sources than src/ holds now (a checkout being
// edited), it runs the TypeScript sources through tsx instead: same behaviour, slower start,
// and on a terminal one line on stderr says so (scripts and tests reading stderr see only the
// command's own output).
// A default import, not a named one: on a Node.js without enableCompileCache (older than 22.1) a
// named import fails at link time, before the version check below can say what is wrong.
import nodeModule from 'node:module';
// V8 keeps the compiled code of every module it loads in the OS temp folder, so the next start
// skips parsing them (a read-only file system just leaves it off).
nodeModule.enableCompileCache?.();
const { builtCliIsCurrent } = await import('../scripts/build-cli.js');

let cli = { dir: '../dist/cli', ext: 'js' };
if (!builtCliIsCurrent()) {
  if (process.stderr.isTTY) process.stderr.write('segflow: dist/ is missing or older than src/, running the TypeScript sources through tsx (slower start); `npm run build` compiles them\n');
  const { register } = await import('tsx/esm/api');
  register();
  cli = { dir: '../src/cli', ext: 'ts' };
}
// Before anything else loads: an older Node gets one line saying how to get Node.js 24.
const { requireSupportedNode } = await import(`${cli.dir}/required-node.${cli.ext}`);
requireSupportedNode();
const { main } = await import(`${cli.dir}/main.${cli.ext}`);
await main(process.argv);
