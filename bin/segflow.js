#!/usr/bin/env node
// The segflow CLI. Sources are TypeScript run through tsx, so `npx segflow` works from a
// checkout without a build step.
import { register } from 'tsx/esm/api';

register();
// Before anything else loads: an older Node gets one line saying how to get Node.js 24.
const { requireSupportedNode } = await import('../src/cli/required-node.ts');
requireSupportedNode();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
