#!/usr/bin/env node
// The segflow CLI. Sources are TypeScript run through tsx, so `npx segflow` works from a
// checkout without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
