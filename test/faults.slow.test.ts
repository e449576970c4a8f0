/**
 * Faults with real processes: a build killed (SIGKILL, SIGINT) while it writes leaves the
 * previous site byte-for-byte as it was and the next build cleans up; a build killed while it
 * applies its committed changes is completed by the next one; two builds started at once do not
 * corrupt each other; a build whose committed changes cannot all be applied says the site is
 * partly updated and the next build completes it. (Write failures such as a full disk are
 * injected through the Fs interface in test/unit/write.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { postText } from '../bench/corpus.ts';
import { BIN, ROOT, runCli, snapshot, tempDir, TEMPLATES, writeFiles } from './helpers.ts';

/** A project of `count` generated posts with its own copy of the theme, built once into public/. */
async function builtProject(t: Parameters<typeof tempDir>[0], count = 400) {
  const root = await tempDir(t, 'quire-faults-');
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`p${String(i).padStart(3, '0')}.md`] = postText(i);
  await writeFiles(path.join(root, 'content'), files);
  await cp(TEMPLATES, path.join(root, 'templates'), { recursive: true });
  const args = (out = 'public') => ['build', '--content', path.join(root, 'content'), '--templates', path.join(root, 'templates'), '--out', path.join(root, out), '--base-url', 'https://example.com/'];
  const first = await runCli(args());
  assert.equal(first.code, 0, first.stderr);
  return { root, args, out: path.join(root, 'public') };
}

/** Changes the post layout, so that every post page changes. */
async function changeTemplate(root: string): Promise<void> {
  const layout = path.join(root, 'templates/layouts/post.hbs');
  await writeFile(layout, (await readFile(layout, 'utf8')) + '\n<!-- changed -->\n');
}

function startCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, INIT_CWD: ROOT }, stdio: 'ignore' });
}

/** Polls until `check` returns a value (every 2 ms), or fails after `ms`. */
async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const stagingDir = async (root: string) => (await readdir(root)).find((n) => n.startsWith('.public.quire-tmp-'));
const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

for (const signal of ['SIGKILL', 'SIGINT'] as const) {
  test(`a build killed with ${signal} while writing leaves the previous public/ byte-for-byte intact; the next build cleans up`, async (t) => {
    const p = await builtProject(t);
    const before = await snapshot(p.out);
    await changeTemplate(p.root);
    const child = startCli(p.args());
    const stage = await waitFor(() => stagingDir(p.root), 60_000, 'the staging folder');
    await new Promise((r) => setTimeout(r, 15)); // let it write some files
    child.kill(signal);
    await exited(child);
    assert.equal(existsSync(path.join(p.root, stage, '.quire-journal.json')), false, 'killed before its changes were committed');
    assert.deepEqual(await snapshot(p.out), before, 'public/ is exactly as the last good build left it');

    const next = await runCli(p.args());
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual((await readdir(p.root)).sort(), ['content', 'public', 'templates'], 'no staging folder or lock is left');
    const fresh = await runCli([...p.args('fresh'), '--no-cache']);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.deepEqual(await snapshot(p.out), await snapshot(path.join(p.root, 'fresh')), 'the site is what a fresh build makes');
  });
}

test('a build killed while applying its committed changes is completed by the next build', async (t) => {
  const p = await builtProject(t);
  await changeTemplate(p.root);
  const child = startCli(p.args());
  const stage = await waitFor(async () => {
    const s = await stagingDir(p.root);
    return s && existsSync(path.join(p.root, s, '.quire-journal.json')) ? s : undefined;
  }, 60_000, 'the committed journal');
  child.kill('SIGKILL');
  await exited(child);
  t.diagnostic(existsSync(path.join(p.root, stage)) ? 'killed in the middle of applying' : 'the apply had already finished');
  const next = await runCli(p.args());
  assert.equal(next.code, 0, next.stderr);
  const fresh = await runCli([...p.args('fresh'), '--no-cache']);
  assert.deepEqual(await snapshot(p.out), await snapshot(path.join(p.root, 'fresh')));
  assert.deepEqual((await readdir(p.root)).sort(), ['content', 'fresh', 'public', 'templates']);
});

test('two builds started at once: each either succeeds or stops with output/locked; the site is never a mix', async (t) => {
  const p = await builtProject(t);
  await changeTemplate(p.root);
  const [a, b] = await Promise.all([runCli(p.args()), runCli(p.args())]);
  for (const r of [a, b]) {
    if (r.code !== 0) {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /another build \(process \d+\) is writing .*public.*\[output\/locked\]/);
      assert.match(r.stderr, /hint: wait for it to finish and build again/);
    }
  }
  assert.ok(a.code === 0 || b.code === 0, 'at least one build succeeded');
  t.diagnostic(`exit codes ${a.code} and ${b.code}`);
  const fresh = await runCli([...p.args('fresh'), '--no-cache']);
  assert.deepEqual(await snapshot(p.out), await snapshot(path.join(p.root, 'fresh')));
  assert.deepEqual((await readdir(p.root)).sort(), ['content', 'fresh', 'public', 'templates']);
});

test('a build whose committed changes cannot all be applied says public/ is partly updated; while the cause persists the next build says so again; once fixed, it completes the update', async (t) => {
  const p = await builtProject(t, 20);
  await changeTemplate(p.root); // every post page changes
  // A folder where the last post page goes: its move fails (EISDIR, for root too) after the pages before it were moved.
  const last = (await readdir(path.join(p.out, 'posts'))).sort().at(-1)!;
  const blocked = path.join(p.out, 'posts', last, 'index.html');
  await rm(blocked);
  await mkdir(path.join(blocked, 'keep'), { recursive: true });

  const failed = await runCli(p.args());
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stderr, /error: could not finish updating .*public: .*; .*public is partly updated \[output\/apply-failed\]/);
  assert.match(failed.stderr, /hint: fix the cause and build again: the next build completes the update first/);
  assert.doesNotMatch(failed.stderr, /internal error/);

  const again = await runCli(p.args());
  assert.equal(again.code, 1, again.stderr);
  assert.match(again.stderr, /could not complete the update an earlier build started in .*public: .*; .*public is partly updated \[output\/apply-failed\]/);
  assert.equal((await readdir(p.root)).filter((n) => n.startsWith('.public.quire-')).length, 1, 'one staging folder, kept for the next build');

  await rm(blocked, { recursive: true });
  const fixed = await runCli(p.args());
  assert.equal(fixed.code, 0, fixed.stderr);
  const fresh = await runCli([...p.args('fresh'), '--no-cache']);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.deepEqual(await snapshot(p.out), await snapshot(path.join(p.root, 'fresh')), 'the site is what a fresh build makes');
  assert.deepEqual((await readdir(p.root)).sort(), ['content', 'fresh', 'public', 'templates']);
});
