/**
 * Worker start time: how long the worker pool takes to start two threads and get eight small posts
 * back (each thread starts, loads its modules and the markdown stage, and renders its chunk of
 * four), the way a build's posts stage starts them. Median of 7 rounds, new threads each.
 *
 *   node bench/worker-start.mjs                      # the compiled dist/bundle/, as quire runs
 *   node bench/worker-start.mjs --unbundled          # the compiled modules as tsc wrote them (dist/parallel/)
 *   node --import tsx bench/worker-start.mjs --source  # the TypeScript sources through tsx (the tests)
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE, ensureDist } from '../scripts/dist.js';

const source = process.argv.includes('--source');
const unbundled = process.argv.includes('--unbundled');
if (!source) {
  const problem = ensureDist();
  if (problem) throw new Error(problem);
}
const root = path.resolve(import.meta.dirname, '..');
const load = (module) => import(source ? `../src/${module}.ts` : `../dist/${module}.js`);
// The bundled pool starts the bundled worker beside it (dist/bundle/post-worker.js).
const { processInWorkers } = await (source || unbundled ? load('parallel/pool') : import(`../dist/${BUNDLE}/pool.js`));
const { DEFAULT_CONFIG } = await load('config');

// Eight dated posts of Jekyll's blog (test/fixtures): two chunks of four, so two threads; no git lookups.
const contentDir = path.join(root, 'test/fixtures/jekyll-posts');
const names = (await readdir(contentDir)).filter((n) => /^\d{4}-\d\d-\d\d-.+\.md$/.test(n)).sort().slice(0, 8);
const files = await Promise.all(names.map(async (name) => ({ absPath: path.join(contentDir, name), bytes: await readFile(path.join(contentDir, name)), mtimeMs: 0 })));
const init = { config: DEFAULT_CONFIG, contentDir, postLayouts: ['post'], cwd: root, sel: { drafts: false, future: false, now: Date.now() } };

const times = [];
for (let round = 0; round < 7; round++) {
  const started = performance.now();
  const entries = await processInWorkers(files.map((f) => ({ size: f.bytes.byteLength, load: async () => f })), init, 2);
  if (round === 0 && new Set(entries.map((e) => e.absPath)).size !== files.length) throw new Error('posts missing');
  times.push(performance.now() - started);
  if (entries.length !== files.length || entries.some((e) => !e.content)) throw new Error('a post was not rendered');
}
times.sort((a, b) => a - b);
console.log(`${source ? 'src/ through tsx' : unbundled ? 'dist/ (compiled, unbundled)' : 'dist/bundle/ (compiled, bundled)'}: two worker threads started, four posts rendered by each: median ${times[3].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[6].toFixed(0)})`);
