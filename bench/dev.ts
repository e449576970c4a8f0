/// <reference lib="dom" />
/**
 * Dev-server benchmark (issue 3) on a generated 1,000-post site:
 *   - cold `quire build` vs `quire dev` start-up (both as real processes, wall time);
 *   - save a post → the open browser page shows the new text (median of 20 saves, each once the
 *     previous rebuild is done);
 *   - save a template → the open page shows the change (median of 5).
 * Run: npm run bench:dev [-- --posts N]. Needs Chromium (see test/e2e/browser.ts).
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCorpus } from './corpus.ts';
import { launchBrowser } from '../test/e2e/browser.ts';
import { ensureDist } from '../scripts/dist.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { posts: { type: 'string', default: '1000' }, saves: { type: 'string', default: '20' } } });
const N = Number(values.posts);
const SAVES = Number(values.saves);
// quire runs as users run it: bin/quire.js, the compiled dist/ (compiled here first if src/ changed).
const problem = ensureDist();
if (problem) throw new Error(problem);

function run(args: string[], until?: RegExp): Promise<{ ms: number; stop: () => void; out: () => string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/quire.js'), ...args], { cwd: ROOT, env: { ...process.env, INIT_CWD: ROOT } });
  let out = '';
  return new Promise((resolve, reject) => {
    const done = () => resolve({ ms: performance.now() - started, stop: () => child.kill('SIGINT'), out: () => out });
    child.stdout.on('data', (d) => {
      out += d;
      if (until && until.test(out)) done();
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => (until ? reject(new Error(`exited ${code}: ${out}`)) : done()));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-bench-dev-'));
try {
  const content = await generateCorpus(dir, N);
  const templates = path.join(dir, 'templates');
  await cp(path.join(ROOT, 'templates'), templates, { recursive: true });
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${N} posts`);

  const cold = await run(['build', '--content', content, '--templates', templates, '--out', path.join(dir, 'public')]);
  const dev = await run(['dev', '--content', content, '--templates', templates, '--port', '0'], /Serving (http:\/\/\S+)/);
  const url = /Serving (http:\/\/\S+)/.exec(dev.out())![1]!;

  const browser = await launchBrowser();
  const page = await browser.newPage();
  const postFile = path.join(content, 'posts', 'post-00007.md');
  const original = await readFile(postFile, 'utf8');
  const title = /title: "?(.+?)"?\n/.exec(original)![1]!;
  // A readable file name gives the slug (README, Stable URLs): post-00007.md is at posts/post-00007/.
  await page.goto(new URL('posts/post-00007/', url).href);
  if ((await page.textContent('h1'))?.trim() !== title) throw new Error(`post page for "${title}" not found`);

  if (process.env.QT) page.on('console', (m) => void (m.text().startsWith('T ') && console.log(m.text())));
  // Each save is measured on its own: the next one waits until the server has finished the
  // previous rebuild (its site-wide steps run after the page is shown) and its re-check 150 ms
  // later; saved sooner, at 4,000 posts a save would wait behind the previous one's rebuild.
  const rebuilt = (plan = 'content') => dev.out().match(new RegExp(`Rebuilt \\(${plan}\\)`, 'g'))?.length ?? 0;
  const idle = async (before: number, plan = 'content') => {
    for (let waited = 0; rebuilt(plan) <= before && waited < 60_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 400));
  };
  const saves: number[] = [];
  for (let i = 0; i < SAVES; i++) {
    const marker = `marker-${i}-${Date.now()}`;
    const before = rebuilt();
    const t0 = performance.now();
    if (process.env.QT) console.log('T write', Date.now() % 100000);
    await writeFile(postFile, original.replace('## Section 1', `${marker}\n\n## Section 1`));
    await page.waitForFunction((m) => document.body.textContent!.includes(m), marker, { timeout: 30_000, polling: 'raf' });
    saves.push(performance.now() - t0);
    if (process.env.QT) console.log('T seen', Date.now() % 100000);
    await idle(before);
  }
  const layout = path.join(templates, 'layouts', 'post.hbs');
  const layoutText = await readFile(layout, 'utf8');
  const templateSaves: number[] = [];
  for (let i = 0; i < 5; i++) {
    const marker = `template-marker-${i}-${Date.now()}`;
    const before = rebuilt('theme');
    const t0 = performance.now();
    await writeFile(layout, layoutText.replace('</article>', `<p>${marker}</p></article>`));
    await page.waitForFunction((m) => document.body.textContent!.includes(m), marker, { timeout: 60_000, polling: 'raf' });
    templateSaves.push(performance.now() - t0);
    await idle(before, 'theme'); // as for posts: the next save waits until this rebuild has rendered the whole site
  }
  await browser.close();
  dev.stop();
  const rebuilds = [...dev.out().matchAll(/Rebuilt \(content\) in (\d+) ms/g)].map((m) => Number(m[1]));
  const themeRebuilds = [...dev.out().matchAll(/Rebuilt \(theme\) in (\d+) ms/g)].map((m) => Number(m[1]));
  if (process.env.BENCH_VERBOSE) console.log('server-side content rebuilds (ms):', rebuilds.join(' '));
  if (process.env.QT) console.log(dev.out().split('\n').filter((l) => l.startsWith('T ')).join('\n'));

  console.log('\n| measure | result | target |\n|---|---|---|');
  console.log(`| cold \`quire build\` (process start to exit) | ${fmt(cold.ms)} | — |`);
  console.log(`| \`quire dev\` start-up (process start to "Serving") | ${fmt(dev.ms)} | ≤ cold build |`);
  console.log(`| save a post → browser shows it (median of ${SAVES}; min ${fmt(Math.min(...saves))}, max ${fmt(Math.max(...saves))}) | ${fmt(median(saves))} | ≤ 100 ms at 4,000 posts |`);
  console.log(`| save a template → page reloaded (median of 5; max ${fmt(Math.max(...templateSaves))}) | ${fmt(median(templateSaves))} | < 2 s |`);
  console.log(`| save a template → whole site rendered again (server's rebuild, median of 5) | ${fmt(median(themeRebuilds))} | — |`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
