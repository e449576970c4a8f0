#!/usr/bin/env node
// `quire` (npx quire, or installed as a package's bin): runs the TypeScript sources through tsx,
// as the npm scripts do. cli.ts does not run by itself when imported, so it is called explicitly.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli.ts');
run(process.argv.slice(2));
