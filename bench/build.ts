/**
 * `npm run bench`: build speed at 1,000, 4,000 and 10,000 generated posts (bench/corpus.ts), for
 * a cold build (no cache, no output), a warm build (nothing changed), one post changed and one
 * template changed. Each build runs in a fresh process; wall time includes Node's start-up.
 *
 *   npm run bench                      # all sizes
 *   npm run bench -- --sizes 1000      # one size
 *   npm run bench -- --workers 1       # pass through to quire build
 *   npm run bench -- --terms 0         # leave out the many-terms case (default: 10,000)
 *   npm run bench -- --sizes= --terms 10000   # only the many-terms case
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

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,4000,10000' }, terms: { type: 'string', default: '10000' }, workers: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const sizes = values.sizes.split(',').filter(Boolean).map(Number);
const terms = Number(values.terms);

interface Run {
  code: number;
  wallMs: number;
  userMs: number;
  systemMs: number;
  maxRssMb: number;
}

function build(dir: string, extra: string[] = []): Run & { log: string } {
  const args = ['--import', import.meta.resolve('tsx'), path.join(ROOT, 'bench/child.ts'), 'build', '--verbose', '--content', 'content', '--templates', 'templates', '--out', 'public', '--base-url', 'https://example.com/'];
  if (values.workers) args.push('--workers', values.workers);
  const started = performance.now();
  const r = spawnSync(process.execPath, [...args, ...extra], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, INIT_CWD: dir } });
  const wallMs = performance.now() - started;
  const lines = r.stdout.trim().split('\n');
  const run = JSON.parse(lines.at(-1) ?? '{}') as Run;
  if (run.code !== 0) throw new Error(`build failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  return { ...run, wallMs, log: lines.slice(0, -1).join('\n') };
}

const rows: string[] = [];
const row = (n: number, scenario: string, r: Run) =>
  rows.push(`| ${n.toLocaleString('en')} | ${scenario} | ${(r.wallMs / 1000).toFixed(2)} s | ${(r.wallMs / n).toFixed(2)} | ${(r.userMs / 1000).toFixed(2)} s | ${Math.round(r.maxRssMb)} MB |`);

for (const n of sizes) {
  const dir = path.join(os.tmpdir(), `quire-bench-${n}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await generateCorpus(dir, n);
  await cp(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });

  const cold = build(dir);
  process.stderr.write(`${n} cold:\n${cold.log}\n`);
  row(n, 'cold (no cache, no output)', cold);
  const warm = build(dir);
  process.stderr.write(`${n} warm:\n${warm.log}\n`);
  row(n, 'warm (nothing changed)', warm);

  const post = path.join(dir, 'content/posts/post-00042.md');
  await writeFile(post, (await readFile(post, 'utf8')) + '\nOne more sentence, added for the benchmark.\n');
  const onePost = build(dir);
  process.stderr.write(`${n} one post:\n${onePost.log}\n`);
  row(n, 'one post changed', onePost);

  const layout = path.join(dir, 'templates/layouts/post.hbs');
  await writeFile(layout, (await readFile(layout, 'utf8')) + '\n<!-- changed for the benchmark -->\n');
  const oneTemplate = build(dir);
  process.stderr.write(`${n} one template:\n${oneTemplate.log}\n`);
  row(n, 'one template changed (post layout)', oneTemplate);

  if (!values.keep) await rm(dir, { recursive: true, force: true });
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
console.log(`\nMachine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`);
console.log(`Command: npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}\n`);
if (rows.length) {
  console.log('| posts | build | wall | ms/post | user CPU | peak RSS |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
}
if (termRows.length) {
  console.log('\n| input | build | wall | pages | user CPU | peak RSS |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const r of termRows) console.log(r);
}
