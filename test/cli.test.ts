/** Runs the real CLI and checks exit codes, diagnostics and what is (not) written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readdir, readFile, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { copySamples, page, ROOT, runCli, runProcess, snapshot, tempDir, text, writeFiles, type CliResult } from './helpers.ts';
import { COMMANDS, OPTIONS } from '../src/cli/args.ts';


test('a clean build exits 0 and prints a one-line summary', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  const r = await runCli(['build', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Built 5 posts, \d+ pages into .* in \d+ ms \(5 warnings\); \d+ written, 0 unchanged, 0 removed\.$/m);
  assert.match(r.stderr, /content\/posts\/000_12afb2bbc284cb8d\.txt:9:1: warning: duplicate key "type" \(first at line 3\).*\[frontmatter\/duplicate-key\]/);
  assert.match(r.stderr, /5 warnings: .*3 × frontmatter\/duplicate-key/);
});

test('sample 000 shows June 26, 2019 when built with TZ=America/Los_Angeles', async (t) => {
  const dir = await tempDir(t);
  const la = await runCli(['build', '--out', path.join(dir, 'la')], { TZ: 'America/Los_Angeles' });
  const tokyo = await runCli(['build', '--out', path.join(dir, 'tokyo')], { TZ: 'Asia/Tokyo' });
  assert.equal(la.code, 0, la.stderr);
  assert.equal(tokyo.code, 0, tokyo.stderr);
  const doc = await page(path.join(dir, 'la'), 'posts/understanding-the-principles-of-deep-learning-in-neural-networks-2/');
  assert.equal(text(doc.querySelector('article time')), 'June 26, 2019');
  assert.equal(doc.querySelector('article time')?.getAttribute('datetime'), '2019-06-26');
  assert.deepEqual(await snapshot(path.join(dir, 'la')), await snapshot(path.join(dir, 'tokyo')), 'byte-identical in every time zone');
});

test('a broken post fails the build with its file:line, and every broken post is reported', async (t) => {
  const dir = await tempDir(t);
  const content = await copySamples(dir);
  await writeFiles(content, {
    'posts/broken-yaml.md': '---\ntitle: Fine\ndate: 2020-01-01\ncategories: [a, b\n---\nBody\n',
    'posts/bad-date.md': '---\ntitle: Bad date\n\ndate: 2021-02-30\n---\nBody\n',
    'posts/unclosed.md': '\n---\ntitle: Never closed\n',
  });
  const r = await runCli(['build', '--content', content, '--out', path.join(dir, 'public')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /posts\/bad-date\.md:4:1: error: .*\[frontmatter\/invalid-date\]/);
  assert.match(r.stderr, /posts\/broken-yaml\.md:\d+:\d+: error: .*\[frontmatter\/yaml-syntax\]/);
  assert.match(r.stderr, /posts\/unclosed\.md:2:1: error: .*\[frontmatter\/unclosed\]/);
  assert.match(r.stderr, /Build failed: 3 errors/);
  assert.equal(existsSync(path.join(dir, 'public')), false, 'nothing written');
});

test('a failed build leaves the previous output untouched', async (t) => {
  const dir = await tempDir(t);
  const content = await copySamples(dir);
  const out = path.join(dir, 'public');
  assert.equal((await runCli(['build', '--content', content, '--out', out])).code, 0);
  const before = await snapshot(out);
  const beforeMtime = (await stat(path.join(out, 'index.html'))).mtimeMs;
  await writeFile(path.join(content, 'posts/new.md'), '---\ntitle: [unclosed\n---\n');
  const r = await runCli(['build', '--content', content, '--out', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /was not changed/);
  assert.deepEqual(await snapshot(out), before);
  assert.equal((await stat(path.join(out, 'index.html'))).mtimeMs, beforeMtime);
  assert.deepEqual((await readdir(dir)).sort(), ['content', 'public'], 'no temporary folders left');
});

test('--strict turns warnings into errors', async (t) => {
  const dir = await tempDir(t);
  const r = await runCli(['build', '--strict', '--out', path.join(dir, 'public')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /000_12afb2bbc284cb8d\.txt:9:1: error: duplicate key/);
});

test('refuses to replace a non-empty folder it did not create', async (t) => {
  const dir = await tempDir(t);
  const out = path.join(dir, 'precious');
  await mkdir(out);
  await writeFile(path.join(out, 'thesis.docx'), 'irreplaceable');
  const r = await runCli(['build', '--out', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\[output\/not-ours\]/);
  assert.equal(await readFile(path.join(out, 'thesis.docx'), 'utf8'), 'irreplaceable');
  const root = await runCli(['build', '--out', '.']);
  assert.equal(root.code, 1);
  assert.match(root.stderr, /\[output\/unsafe-dir\]/);
});

test('drafts and future posts are left out unless asked for, and the summary says so', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  await writeFiles(content, {
    'a.md': '---\ntitle: Published\ndate: 2020-01-01\n---\nHello\n',
    'b.md': '---\ntitle: Draft\ndate: 2020-01-02\ndraft: true\n---\nHello\n',
    'c.md': '---\ntitle: From the future\ndate: 2999-01-01\n---\nHello\n',
  });
  const plain = await runCli(['build', '--content', content, '--out', path.join(dir, 'p1')]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /Built 1 posts.*left out 1 draft \(use --drafts\) and 1 future-dated \(use --future\)/);
  const all = await runCli(['build', '--content', content, '--out', path.join(dir, 'p2'), '--drafts', '--future']);
  assert.match(all.stdout, /Built 3 posts/);
});

test('a bad config value is an error with the config file line', async (t) => {
  const dir = await tempDir(t);
  const config = path.join(dir, 'site.yml');
  await writeFile(config, 'title: Mine\npostsPerPage: many\ntimezone: Mars/Olympus\n');
  const r = await runCli(['build', '--config', config, '--out', path.join(dir, 'public')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /site\.yml:2:\d+: error: "postsPerPage" must be .*\[config\/invalid-value\]/);
  assert.match(r.stderr, /site\.yml:3:\d+: error: "timezone" .*\[config\/invalid-value\]/);
});

test('unknown options are usage errors (exit 2)', async () => {
  const r = await runCli(['build', '--nope']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Usage: quire build/);
});

test('a mistyped option names the one that was meant, with the usage (exit 2)', async () => {
  const r = await runCli(['build', '--draft']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^quire: unknown option --draft \(did you mean --drafts\?\)$/m);
  assert.match(r.stderr, /--drafts +include posts with draft: true/);
  assert.equal(r.stdout, '');
});

test('a stray argument is named as such, with the option it was probably meant for (exit 2)', async () => {
  const r = await runCli(['build', 'content2']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^quire: unexpected argument "content2" \(to build another folder: --content content2\)$/m);
  assert.doesNotMatch(r.stderr, /unknown command/);
});

test('an option of another command is a usage error naming it (exit 2)', async () => {
  const build = await runCli(['build', '--port', '4000']);
  assert.equal(build.code, 2);
  assert.match(build.stderr, /^quire: --port is an option of quire dev, not of quire build$/m);
  const dev = await runCli(['dev', '--strict']);
  assert.equal(dev.code, 2, 'dev must not start');
  assert.match(dev.stderr, /--strict is an option of quire build, not of quire dev/);
});

test('bad option values are usage errors (exit 2)', async () => {
  for (const [args, message] of [
    [['build', '--out'], /--out needs a value: --out DIR/],
    [['build', '--workers', 'many'], /--workers must be a whole number from 1 to 64/],
    [['dev', '--port', '99999'], /--port must be a whole number from 0 to 65535/],
    [['build', '--drafts=yes'], /--drafts takes no value/],
    [['biuld'], /unknown command "biuld" \(did you mean build\?\)/],
    [['new'], /quire new needs a title/],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
  }
});

test('--help and quire help <command> list every option of each command', async () => {
  const all = await runCli(['--help']);
  assert.equal(all.code, 0);
  for (const command of COMMANDS) {
    const one = await runCli(['help', command]);
    const flag = await runCli([command, '--help']);
    assert.equal(one.code, 0);
    assert.equal(flag.stdout, one.stdout);
    const section = all.stdout.split(/\n(?=quire \w+: )/).find((s) => s.startsWith(`quire ${command}:`));
    assert.ok(section, `--help has a section for ${command}`);
    for (const [name, spec] of Object.entries(OPTIONS)) {
      const listed = new RegExp(`^  (-h, )?--${name}\\b`, 'm');
      assert.equal(listed.test(section), spec.commands.includes(command), `--help: --${name} under ${command}`);
      assert.equal(listed.test(one.stdout), spec.commands.includes(command), `help ${command}: --${name}`);
    }
  }
});

test("the README's Commands table lists exactly the options of each command", async () => {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 1));
  const rows = new Map<string, string[]>();
  let header: string[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] === 'option') header = cells;
    const m = /^`(?:-h, )?--([a-z-]+)/.exec(cells[0] ?? '');
    if (m && header.length) rows.set(m[1]!, COMMANDS.filter((c) => cells[header.indexOf(c)] === '✓'));
  }
  assert.deepEqual(new Set(rows.keys()), new Set(Object.keys(OPTIONS)));
  for (const [name, spec] of Object.entries(OPTIONS)) assert.deepEqual(rows.get(name), [...spec.commands], `--${name}`);
});

test('bin/quire.js is executable and builds the project like npm run build', async (t) => {
  const bin = path.join(ROOT, 'bin/quire.js');
  assert.ok((await stat(bin)).mode & 0o111, 'executable');
  const help = await runProcess(bin, ['help', 'build'], ROOT);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /Usage: quire build/);
  const out = path.join(await tempDir(t), 'public');
  const built = await runProcess(bin, ['build', '--out', out], ROOT);
  assert.equal(built.code, 0, built.stderr);
  assert.match(built.stdout, /^Built 5 posts/m);
  const wrong = await runProcess(bin, ['build', '--draft'], ROOT);
  assert.equal(wrong.code, 2);
});

test('npm run new -- --help reaches quire new', async () => {
  const r = await runProcess('npm', ['run', '--silent', 'new', '--', '--help'], ROOT);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Usage: quire new "Title"/);
});

test('repeated warnings are printed once, a code with many shows five, and --verbose lists every one', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  const files: Record<string, string> = {};
  // No date anywhere (the modification time is used): one missing-date warning per file.
  for (let i = 1; i <= 12; i++) files[`posts/post-${i}.md`] = `---\ntitle: Post ${i}\nlayout: news_item\n---\nHello ${i}\n`;
  await writeFiles(content, files);
  // Each on its own day, so the twelve warnings differ (identical ones are printed once).
  for (let i = 1; i <= 12; i++) await utimes(path.join(content, `posts/post-${i}.md`), Date.UTC(2020, 0, i) / 1000, Date.UTC(2020, 0, i) / 1000);
  const args = ['build', '--content', content, '--out', path.join(dir, 'public'), '--base-url', 'https://example.com/'];
  const short = await runCli(args);
  assert.equal(short.code, 0, short.stderr);
  const unknownLayout = short.stderr.match(/\[frontmatter\/unknown-layout\]/g) ?? [];
  assert.equal(unknownLayout.length, 1, 'the same unknown layout on 12 posts is printed once');
  assert.match(short.stderr, /post-1\.md:3:1: warning: layout "news_item" has no template; using the post layout \(and 11 other files\) \[frontmatter\/unknown-layout\]/);
  assert.equal((short.stderr.match(/\[frontmatter\/missing-date\]/g) ?? []).length, 5, 'the first 5 of 12');
  assert.match(short.stderr, /^… and 7 more frontmatter\/missing-date \(--verbose lists all\)$/m);
  assert.match(short.stderr, /^24 warnings: 12 × frontmatter\/missing-date, 12 × frontmatter\/unknown-layout$/m);

  const verbose = await runCli([...args, '--verbose']);
  assert.equal(verbose.code, 0, verbose.stderr);
  assert.equal((verbose.stderr.match(/\[frontmatter\/unknown-layout\]/g) ?? []).length, 12);
  assert.equal((verbose.stderr.match(/\[frontmatter\/missing-date\]/g) ?? []).length, 12);
  assert.doesNotMatch(verbose.stderr, /more frontmatter|other files/);
  assert.match(verbose.stderr, /^24 warnings: 12 × frontmatter\/missing-date, 12 × frontmatter\/unknown-layout$/m);
});

test('errors are all printed, however many say the same', async (t) => {
  const dir = await tempDir(t);
  const content = path.join(dir, 'content');
  const files: Record<string, string> = {};
  for (let i = 1; i <= 12; i++) files[`posts/p${i}.md`] = `---\ntitle: Post ${i}\ndate: 2021-02-30\n---\nHello\n`;
  await writeFiles(content, files);
  const r = await runCli(['build', '--content', content, '--out', path.join(dir, 'public')]);
  assert.equal(r.code, 1);
  assert.equal((r.stderr.match(/: error: invalid date: .*\[frontmatter\/invalid-date\]/g) ?? []).length, 12);
  assert.match(r.stderr, /^12 errors: 12 × frontmatter\/invalid-date(;|$)/m);
});

test('--base-url puts every link under the sub-path', async (t) => {
  const out = path.join(await tempDir(t), 'public');
  const r = await runCli(['build', '--out', out, '--base-url', 'https://example.com/blog/']);
  assert.equal(r.code, 0, r.stderr);
  const home = await page(out, '');
  assert.ok(home.querySelectorAll('main a').every((a) => a.getAttribute('href')!.startsWith('/blog/')));
});

test('dev with a --host that does not resolve is a clear usage error (exit 2), not an internal error', async (t) => {
  const dir = await tempDir(t);
  await writeFiles(path.join(dir, 'content'), { 'a.md': '---\ntitle: A\ndate: 2020-01-01\n---\nx\n' });
  const r = await runCli(['dev', '--content', path.join(dir, 'content'), '--host', 'no-such-host.invalid', '--port', '0']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /cannot serve the site: --host no-such-host\.invalid is not an address of this machine/);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
});
