/**
 * `npm run bench`: build speed next to the naive remark floor (bench/naive.mjs: one thread,
 * gray-matter + remark + remark-gfm + remark-html + one Handlebars page per post), measured in the
 * same run, on two corpora:
 *   - generated posts shaped like the samples (bench/corpus.ts) at 1,000 and 4,000 posts (and
 *     10,000 with --sizes);
 *   - a link-dense, release-note-shaped corpus (bench/corpus-links.ts, about 24 MB for 1,000 posts).
 * Cold builds (no cache, no output) and the floor run in turn, `--runs` times each, and the table
 * gives medians; then the rebuilds, each a median too: a warm build (nothing changed) of 5, and one
 * post changed and one template changed of 3 (changed anew each time).
 * Each build runs in a fresh process, from the compiled dist/ as users run it (bench/child.mjs),
 * and the floor as plain JavaScript too (bench/naive.mjs); wall time includes Node's start-up.
 * "CPU" is user + system time over wall time: 2.0 means two cores busy the whole time.
 *
 *   npm run bench                          # 1,000 and 4,000 generated, 1,000 link-dense, 10,000 terms
 *   npm run bench -- --sizes 1000 --links 0 --terms 0 --runs 1
 *   npm run bench -- --workers 1           # passed through to quire build
 *   npm run bench -- --sizes= --links 0 --terms 10000   # only the many-terms case
 *
 * A separate table times one post with 10,000 categories and 10,000 tags (issue 13): 20,000 term
 * pages, 30,000 category feeds, the term indexes and every link between them.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus, generateManyTerms } from './corpus.ts';
import { generateLinkCorpus } from './corpus-links.ts';
import { ensureDist } from '../scripts/dist.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,4000' },
    links: { type: 'string', default: '1000' },
    terms: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    workers: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').filter(Boolean).map(Number);
const terms = Number(values.terms);
const RUNS = Math.max(1, Number(values.runs));
// The builds run the compiled dist/ (bench/child.mjs), as users run quire: compile it first if src/ changed.
const problem = ensureDist();
if (problem) throw new Error(problem);

interface Run {
  code: number;
  wallMs: number;
  userMs: number;
  systemMs: number;
  maxRssMb: number;
}

function spawnRun(script: string, args: string[], dir: string): Run & { log: string } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, script), ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, INIT_CWD: dir } });
  const wallMs = performance.now() - started;
  const lines = r.stdout.trim().split('\n');
  const run = JSON.parse(lines.at(-1) || '{}') as Run;
  if (run.code !== 0) throw new Error(`${script} failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  return { ...run, wallMs, log: lines.slice(0, -1).join('\n') };
}

function build(dir: string, extra: string[] = []) {
  const args = ['build', '--verbose', '--content', 'content', '--templates', 'templates', '--out', 'public', '--base-url', 'https://example.com/'];
  if (values.workers) args.push('--workers', values.workers);
  return spawnRun('bench/child.mjs', [...args, ...extra], dir);
}

const floor = (dir: string) => spawnRun('bench/naive.mjs', ['content', 'naive-out'], dir);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function medianRun(runs: Run[]): Run {
  return { code: 0, wallMs: median(runs.map((r) => r.wallMs)), userMs: median(runs.map((r) => r.userMs)), systemMs: median(runs.map((r) => r.systemMs)), maxRssMb: median(runs.map((r) => r.maxRssMb)) };
}

const rows: string[] = [];
function row(corpus: string, n: number, scenario: string, r: Run, floorRun?: Run) {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const cpu = ((r.userMs + r.systemMs) / r.wallMs).toFixed(2);
  const vs = floorRun ? `${(r.wallMs / floorRun.wallMs).toFixed(2)}×` : '';
  rows.push(`| ${corpus} | ${n.toLocaleString('en')} | ${scenario} | ${s(r.wallMs)} | ${s(r.userMs)} | ${cpu} | ${Math.round(r.maxRssMb)} MB | ${vs} |`);
}

async function corpus(name: string, n: number, generate: (dir: string, n: number) => Promise<string>, changedPost: string) {
  const dir = path.join(os.tmpdir(), `quire-bench-${name}-${n}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await generate(dir, n);
  await cp(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });

  // Cold builds and the floor in turn (A B A B …), so both see the same machine.
  const colds: Run[] = [];
  const floors: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    await rm(path.join(dir, 'public'), { recursive: true, force: true });
    await rm(path.join(dir, '.cache'), { recursive: true, force: true });
    const cold = build(dir);
    process.stderr.write(`${name} ${n} cold ${i + 1}/${RUNS}: ${(cold.wallMs / 1000).toFixed(1)} s\n${cold.log}\n`);
    colds.push(cold);
    const f = floor(dir);
    process.stderr.write(`${name} ${n} floor ${i + 1}/${RUNS}: ${(f.wallMs / 1000).toFixed(1)} s\n`);
    floors.push(f);
  }
  const floorRun = medianRun(floors);
  row(name, n, `naive remark floor (1 thread), median of ${RUNS}`, floorRun);
  row(name, n, `cold (no cache, no output), median of ${RUNS}`, medianRun(colds), floorRun);

  // The rebuilds are short and noisy: each is the median of several (a post or the layout changed anew each time).
  const warms = Array.from({ length: 5 }, () => build(dir));
  process.stderr.write(`${name} ${n} warm: ${warms.map((r) => (r.wallMs / 1000).toFixed(2)).join(' ')} s\n${warms[0]!.log}\n`);
  row(name, n, 'warm (nothing changed), median of 5', medianRun(warms), floorRun);

  const post = path.join(dir, 'content/posts', changedPost);
  const onePosts: Run[] = [];
  for (let i = 0; i < 3; i++) {
    await writeFile(post, (await readFile(post, 'utf8')) + `\nOne more sentence (${i + 1}), added for the benchmark.\n`);
    onePosts.push(build(dir));
  }
  process.stderr.write(`${name} ${n} one post: ${onePosts.map((r) => (r.wallMs / 1000).toFixed(2)).join(' ')} s\n${(onePosts[0] as Run & { log: string }).log}\n`);
  row(name, n, 'one post changed, median of 3', medianRun(onePosts), floorRun);

  const layout = path.join(dir, 'templates/layouts/post.hbs');
  const templates: Run[] = [];
  for (let i = 0; i < 3; i++) {
    await writeFile(layout, (await readFile(layout, 'utf8')) + `\n<!-- changed for the benchmark (${i + 1}) -->\n`);
    templates.push(build(dir));
  }
  process.stderr.write(`${name} ${n} one template: ${templates.map((r) => (r.wallMs / 1000).toFixed(2)).join(' ')} s\n${(templates[0] as Run & { log: string }).log}\n`);
  row(name, n, 'one template changed (post layout), median of 3', medianRun(templates), floorRun);

  if (!values.keep) await rm(dir, { recursive: true, force: true });
}

for (const n of sizes) await corpus('generated', n, generateCorpus, 'post-00042.md');
const links = Number(values.links);
if (links > 0) {
  const { linkPostName } = await import('./corpus-links.ts');
  await corpus('link-dense', links, generateLinkCorpus, linkPostName(42));
}

// One post with `terms` categories and `terms` tags: cold, then warm (nothing changed).
const termRows: string[] = [];
if (terms > 0) {
  const dir = path.join(os.tmpdir(), `quire-bench-terms-${terms}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await generateManyTerms(dir, terms);
  await cp(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const termRow = (scenario: string, r: Run & { log: string }) => {
    const pages = Number(/Built \d+ posts?, (\d+) pages/.exec(r.log)?.[1]);
    termRows.push(`| 1 post, ${terms.toLocaleString('en')} categories + ${terms.toLocaleString('en')} tags | ${scenario} | ${(r.wallMs / 1000).toFixed(2)} s | ${pages.toLocaleString('en')} | ${(r.userMs / 1000).toFixed(2)} s | ${Math.round(r.maxRssMb)} MB |`);
  };
  const cold = build(dir);
  process.stderr.write(`${terms} terms cold:\n${cold.log}\n`);
  termRow('cold (no cache, no output)', cold);
  const warm = build(dir);
  process.stderr.write(`${terms} terms warm:\n${warm.log}\n`);
  termRow('warm (nothing changed)', warm);
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nMachine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`Command: npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}\n`);
if (rows.length) {
  console.log('| corpus | posts | build | wall | user CPU | CPU | peak RSS | wall vs floor |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
}
if (termRows.length) {
  console.log('\n| input | build | wall | pages | user CPU | peak RSS |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const r of termRows) console.log(r);
}
