/** Unit tests for src/content/load.ts: finding post files and reading them as UTF-8 text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeUtf8, isIgnoredName, isPostFile, listPostFiles, readSourceFile } from '../../src/content/load.ts';
import { nodeFs } from '../../src/fs.ts';

/** A fresh folder under the OS temp dir, removed after the test. */
async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-load-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

test('.md, .markdown and .txt files are posts, in any case', () => {
  for (const name of ['a.md', 'b.markdown', 'c.txt', 'D.MD', '2019-06-26-hello.Markdown']) assert.equal(isPostFile(name), true, name);
});

test('other extensions are not posts', () => {
  for (const name of ['a.html', 'b.json', 'c', 'md', 'notes.md.bak', 'image.png']) assert.equal(isPostFile(name), false, name);
});

test('editor leftovers and dotfiles are ignored', () => {
  for (const name of ['x.md~', '.#x.md', 'x.md.swp', '.x.md.swp', 'x.md.swx', '.hidden.md', '#x.md#', 'x.md.tmp', '4913', '.git']) {
    assert.equal(isIgnoredName(name), true, name);
  }
  for (const name of ['x.md~', '.#x.md', 'x.md.swp', '.hidden.md', '#x.md#']) assert.equal(isPostFile(name), false, name);
});

test('ordinary names are not ignored', () => {
  for (const name of ['x.md', 'posts', '#hashtag.md', 'a#b.md', 'tilde~name.md']) assert.equal(isIgnoredName(name), false, name);
});

test('decodeUtf8 strips a byte order mark', () => {
  assert.deepEqual(decodeUtf8(bytes([0xef, 0xbb, 0xbf], '---\ntitle: x\n')), { text: '---\ntitle: x\n' });
});

test('decodeUtf8 turns CRLF and lone CR into LF', () => {
  assert.deepEqual(decodeUtf8(bytes('a\r\nb\rc\n')), { text: 'a\nb\nc\n' });
});

test('decodeUtf8 keeps valid multi-byte text', () => {
  assert.deepEqual(decodeUtf8(bytes('Café 日本語 🎉')), { text: 'Café 日本語 🎉' });
});

test('invalid UTF-8 is content/not-utf8 at the line and column of the bad byte', () => {
  const r = decodeUtf8(bytes('ab\ncd', [0xff], 'ef'));
  assert.equal(r.text, undefined);
  assert.ok(r.error);
  assert.equal(r.error.code, 'content/not-utf8');
  assert.equal(r.error.line, 2);
  assert.equal(r.error.column, 3);
});

test('a stray continuation byte is reported where it is', () => {
  const r = decodeUtf8(bytes('line one\nline two\n12345', [0x80]));
  assert.deepEqual([r.error?.code, r.error?.line, r.error?.column], ['content/not-utf8', 3, 6]);
});

test('a Latin-1 é is reported at the é, not at the byte after it', () => {
  // "café au lait" saved as Latin-1: é is the single byte 0xE9, a UTF-8 lead byte whose
  // continuation never comes. The decoder only fails at the following space.
  const r = decodeUtf8(bytes('caf', [0xe9], ' au lait\n'));
  assert.deepEqual([r.error?.code, r.error?.line, r.error?.column], ['content/not-utf8', 1, 4]);
});

test('a truncated sequence at the end of the file is reported at its first byte', () => {
  const r = decodeUtf8(bytes('abc', [0xe2, 0x82]));
  assert.deepEqual([r.error?.code, r.error?.line, r.error?.column], ['content/not-utf8', 1, 4]);
});

test('NUL bytes are content/binary at their position', () => {
  const r = decodeUtf8(bytes('a\nbc', [0], 'd'));
  assert.deepEqual([r.error?.code, r.error?.line, r.error?.column], ['content/binary', 2, 3]);
});

test('NUL bytes win over invalid UTF-8', () => {
  assert.equal(decodeUtf8(bytes([0xff, 0x00])).error?.code, 'content/binary');
});

/** A content tree with posts, ignored files and nested folders. */
async function makeContent(dir: string): Promise<string> {
  const content = path.join(dir, 'content');
  const files: Record<string, string> = {
    'a.md': '# a',
    'b.markdown': '# b',
    'c.txt': '# c',
    'nested/deep/d.md': '# d',
    'nested/e.MD': '# e',
    'notes.json': '{}',
    'x.md~': 'backup',
    '.#x.md': 'lock',
    'x.md.swp': 'swap',
    '.hidden.md': 'hidden',
    '#x.md#': 'autosave',
    '.git/HEAD.md': 'not a post',
  };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(content, rel)), { recursive: true });
    await writeFile(path.join(content, rel), text);
  }
  return content;
}

test('listPostFiles finds posts in nested folders, sorted, skipping ignored names', async (t) => {
  const dir = await tempDir(t);
  const content = await makeContent(dir);
  const r = await listPostFiles(nodeFs, content, (abs) => path.relative(dir, abs));
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(
    r.value.map((abs) => path.relative(content, abs).split(path.sep).join('/')),
    ['a.md', 'b.markdown', 'c.txt', 'nested/deep/d.md', 'nested/e.MD'],
  );
  assert.ok(r.value.every((p) => path.isAbsolute(p)));
});

test('listPostFiles skips a symlink pointing outside the content folder, with a warning', async (t) => {
  const dir = await tempDir(t);
  const content = await makeContent(dir);
  await mkdir(path.join(dir, 'outside'));
  await writeFile(path.join(dir, 'outside', 'secret.md'), '# secret');
  await symlink(path.join(dir, 'outside'), path.join(content, 'linked-dir'));
  await symlink(path.join(dir, 'outside', 'secret.md'), path.join(content, 'linked-file.md'));
  const r = await listPostFiles(nodeFs, content, (abs) => path.relative(dir, abs));
  assert.ok(!r.value.some((p) => p.includes('secret') || p.includes('linked')), r.value.join('\n'));
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.severity, d.file]),
    [
      ['content/symlink-outside', 'warning', path.join('content', 'linked-dir')],
      ['content/symlink-outside', 'warning', path.join('content', 'linked-file.md')],
    ],
  );
});

test('listPostFiles follows a symlink that stays inside the content folder', async (t) => {
  const dir = await tempDir(t);
  const content = await makeContent(dir);
  await symlink(path.join(content, 'nested', 'deep'), path.join(content, 'shortcut'));
  const r = await listPostFiles(nodeFs, content, (abs) => path.relative(dir, abs));
  assert.deepEqual(r.diagnostics, []);
  const rel = r.value.map((abs) => path.relative(content, abs).split(path.sep).join('/'));
  assert.ok(rel.includes('nested/deep/d.md'));
});

test('listPostFiles does not hang on a symlink loop', async (t) => {
  const dir = await tempDir(t);
  const content = await makeContent(dir);
  await symlink(content, path.join(content, 'nested', 'back-to-root'));
  await symlink('..', path.join(content, 'nested', 'deep', 'up'));
  await symlink(path.join(content, 'self-loop'), path.join(content, 'self-loop'));
  const r = await listPostFiles(nodeFs, content, (abs) => path.relative(dir, abs));
  const real = new Set(await Promise.all(r.value.map((abs) => realpath(abs))));
  const expected = ['a.md', 'b.markdown', 'c.txt', 'nested/deep/d.md', 'nested/e.MD'].map((rel) => path.join(content, rel));
  assert.deepEqual([...real].sort(), (await Promise.all(expected.map((p) => realpath(p)))).sort());
  // A link to itself cannot be resolved: reported, not followed.
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.file]), [['content/broken-symlink', path.join('content', 'self-loop')]]);
});

test('listPostFiles lists a post reached through a looping symlink only once', async (t) => {
  const dir = await tempDir(t);
  const content = await makeContent(dir);
  // nested/deep/up → nested: nested/deep is walked a second time as nested/deep/up/deep.
  await symlink('..', path.join(content, 'nested', 'deep', 'up'));
  const r = await listPostFiles(nodeFs, content, (abs) => path.relative(dir, abs));
  const rel = r.value.map((abs) => path.relative(content, abs).split(path.sep).join('/'));
  assert.deepEqual(rel, ['a.md', 'b.markdown', 'c.txt', 'nested/deep/d.md', 'nested/e.MD']);
});

test('listPostFiles warns about a broken symlink and goes on', async (t) => {
  const dir = await tempDir(t);
  const content = await makeContent(dir);
  await symlink(path.join(content, 'gone.md'), path.join(content, 'dangling.md'));
  const r = await listPostFiles(nodeFs, content, (abs) => path.relative(dir, abs));
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['content/broken-symlink', 'warning']]);
  assert.equal(r.value.length, 5);
});

test('listPostFiles reports a missing content folder', async (t) => {
  const dir = await tempDir(t);
  const r = await listPostFiles(nodeFs, path.join(dir, 'nope'), (abs) => abs);
  assert.deepEqual(r.value, []);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['content/missing', 'error']]);
});

test('readSourceFile on an empty file gives null and a content/empty-file warning', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'empty.md');
  await writeFile(file, '');
  const r = await readSourceFile(nodeFs, dir, file, 'content/empty.md');
  assert.equal(r.value, null);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.file, d.line]), [['content/empty-file', 'warning', 'content/empty.md', 1]]);
});

test('readSourceFile reads a post with its relative path, normalised text and mtime', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'posts', 'hello.md');
  await mkdir(path.dirname(file));
  await writeFile(file, bytes([0xef, 0xbb, 0xbf], '---\r\ntitle: Hi\r\n---\r\nBody\r\n'));
  const when = new Date(Date.UTC(2020, 0, 2, 3, 4, 5));
  await utimes(file, when, when);
  const r = await readSourceFile(nodeFs, dir, file, 'content/posts/hello.md');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.value, {
    absPath: file,
    relPath: 'posts/hello.md',
    displayPath: 'content/posts/hello.md',
    text: '---\ntitle: Hi\n---\nBody\n',
    mtimeMs: when.getTime(),
  });
});

test('readSourceFile reports a file that is not UTF-8 with its position', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'bad.md');
  await writeFile(file, bytes('---\ntitle: x\n---\n\n', [0xff], '\n'));
  const r = await readSourceFile(nodeFs, dir, file, 'content/bad.md');
  assert.equal(r.value, null);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.column]), [['content/not-utf8', 'error', 'content/bad.md', 5, 1]]);
});

test('readSourceFile reports a binary file', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'image.md');
  await writeFile(file, bytes([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]));
  const r = await readSourceFile(nodeFs, dir, file, 'content/image.md');
  assert.equal(r.value, null);
  assert.equal(r.diagnostics[0]!.code, 'content/binary');
});

test('readSourceFile reports a file that cannot be read', async (t) => {
  const dir = await tempDir(t);
  const r = await readSourceFile(nodeFs, dir, path.join(dir, 'missing.md'), 'content/missing.md');
  assert.equal(r.value, null);
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['content/unreadable', 'error']]);
});

test('control characters are removed, reported once at the first one (line, column in characters)', () => {
  const r = decodeUtf8(bytes('---\ntitle: é\u0007x\n---\nab\u001b[31m \u0085 \u007f\f\tok\n'));
  assert.equal(r.error, undefined);
  assert.equal(r.text, '---\ntitle: éx\n---\nab[31m  \f\tok\n');
  assert.deepEqual(r.text === undefined ? null : r.controls, { count: 4, first: 'U+0007', line: 2, column: 9 });
  const plain = decodeUtf8(bytes('plain\ttext\f\n'));
  assert.equal(plain.text === undefined ? null : plain.controls, undefined);
});

test('a UTF-16 file is content/not-utf8 at 1:1, not "binary" (regression: Notepad\'s "Unicode")', () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('---\ntitle: x\n---\n', 'utf16le')]);
  assert.deepEqual([decodeUtf8(utf16).error?.code, decodeUtf8(utf16).error?.line, decodeUtf8(utf16).error?.column], ['content/not-utf8', 1, 1]);
});

test('the column of a bad byte counts characters, not bytes (regression: it counted the bytes of é and 日本)', () => {
  const r = decodeUtf8(bytes('line\ntitle: Café 日本 caf', [0xe9], '\n'));
  assert.deepEqual([r.error?.code, r.error?.line, r.error?.column], ['content/not-utf8', 2, 19]);
});

test('readSourceFile warns about removed control characters with their position', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'a.md');
  await writeFile(file, '---\ntitle: A\n---\nbell\u0007\n');
  const r = await readSourceFile(nodeFs, dir, file, 'a.md');
  assert.equal(r.value?.text, '---\ntitle: A\n---\nbell\n');
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.code, d.line, d.column]), [['warning', 'content/control-characters', 4, 5]]);
});
