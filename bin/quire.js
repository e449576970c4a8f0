#!/usr/bin/env node
// `quire` (npx quire, npm run build/dev/new): runs the JavaScript compiled from src/ into dist/,
// with plain node (no TypeScript loader). When dist/ is missing or was compiled from another src/
// (after a git pull, or an edit), it is compiled again first, saying so: stale code never runs.
// See scripts/dist.js. cli.js does not run by itself when imported, so it is called explicitly.
import { setFlagsFromString } from 'node:v8';
import { ensureDist } from '../scripts/dist.js';

// A build parses markdown on as many worker threads as there are cores, and each thread's heap
// would also be marked on background threads: those compete with the workers for the same cores,
// and the marking they do concurrently costs more than doing it in the threads' own pauses. Without
// concurrent marking a cold build takes about a fifth less CPU (README, "Performance"). Set first
// thing, before any heap has begun marking; `dev` keeps it, for short pauses between rebuilds.
if (process.argv[2] === 'build') setFlagsFromString('--no-concurrent-marking');

const problem = ensureDist();
if (problem) {
  process.stderr.write(`quire: ${problem}\n`);
  process.exit(1);
}
const { run } = await import('../dist/cli.js');
run(process.argv.slice(2));
