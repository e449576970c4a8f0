#!/usr/bin/env node
// `quire` (npx quire, npm run build/dev/new): runs the JavaScript compiled from src/ into dist/
// and bundled in dist/bundle/ (see scripts/dist.js), with plain node (no TypeScript loader).
// When dist/ is missing or was compiled from another src/ (after a git pull, or an edit), it is
// compiled again first, saying so: stale code never runs.
// See scripts/dist.js. cli.js does not run by itself when imported, so it is called explicitly.
import { ensureDist, entryPoint } from '../scripts/dist.js';
import { setV8Flags } from '../scripts/v8-flags.js';

setV8Flags(process.argv[2]); // before any heap has begun marking (see scripts/v8-flags.js)

const problem = ensureDist();
if (problem) {
  process.stderr.write(`quire: ${problem}\n`);
  process.exit(1);
}
const { run } = await import(entryPoint());
run(process.argv.slice(2));
