/** Unit tests for src/new-post.ts: the new file's text and where it goes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { cleanTitle, newPost, newPostText } from '../../src/new-post.ts';
import { parseFrontMatter } from '../../src/content/frontmatter.ts';
import { tempDir } from '../helpers.ts';

test('any title reads back exactly from the front matter written for it', () => {
  const specials = fc.constantFrom(': ', ' #', '#', '-', '- ', '"', "'", '\\', '[', ']', '{', '}', '&', '*', '!', '|', '>', '%', '@', '`', '?', ',', 'yes', 'null', '~', '2020-01-01', '\t', '\u2028', '\u00a0', '\ufeff', 'é', '日本', '🎉');
  const title = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), specials), { maxLength: 10 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(title, fc.boolean(), (raw, page) => {
      const clean = cleanTitle(raw);
      const r = parseFrontMatter(newPostText(clean, page ? null : '2024-02-29'), 'content/posts/x.md');
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.value?.data.title, clean);
      assert.equal(r.value?.data.draft, true);
      assert.equal(r.value?.data.date, page ? undefined : '2024-02-29');
      assert.equal(r.value?.data.layout, page ? 'page' : undefined);
    }),
    { seed: 20261130, numRuns: 2000 },
  );
});

test('a title is one line: whitespace runs become a space, control characters go', () => {
  assert.equal(cleanTitle('  Two\n lines\tand\r\ntabs  '), 'Two lines and tabs');
  assert.equal(cleanTitle('bell\u0007 and\u0085next'), 'bell and next');
  assert.equal(cleanTitle('lone \ud800 surrogate'), 'lone \ufffd surrogate');
});

test("the date is today in the config's time zone, not the machine's", async (t) => {
  const now = Date.UTC(2024, 0, 1, 12, 0); // noon UTC: already Jan 2 at UTC+14, still Jan 1 at UTC-11
  for (const [zone, day] of [['Pacific/Kiritimati', '2024-01-02'], ['Pacific/Pago_Pago', '2024-01-01']] as const) {
    const root = await tempDir(t);
    await writeFile(path.join(root, 'quire.config.toml'), `timezone = "${zone}"\n`);
    const r = await newPost({ root, contentDir: path.join(root, 'content'), title: 'Day', now, cwd: root });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.file, path.join(root, 'content/posts', `${day}-day.md`));
    assert.match(await readFile(r.file!, 'utf8'), new RegExp(`^date: ${day}$`, 'm'));
  }
});

test('an existing file is never overwritten', async (t) => {
  const root = await tempDir(t);
  const options = { root, contentDir: path.join(root, 'content'), title: 'Once', page: true, cwd: root };
  assert.ok((await newPost(options)).file);
  const again = await newPost(options);
  assert.equal(again.file, null);
  assert.deepEqual(again.diagnostics.map((d) => [d.code, d.file]), [['new/exists', 'content/pages/once.md']]);
  assert.deepEqual(await readdir(path.join(root, 'content/pages')), ['once.md']);
});
