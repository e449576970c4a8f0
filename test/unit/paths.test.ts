/**
 * src/paths.ts answers as `path` does, for any paths: generated folders and paths made of names,
 * dots, doubled and trailing separators, and paths outside the folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fc from 'fast-check';
import { isPlainRelative, joinIn, relativeIn, relativePosix } from '../../src/paths.ts';

const part = fc.constantFrom('a', 'b', 'posts', 'é', 'x.md', '.', '..', '', '.hidden', 'a b', '...');
const rel = fc.array(part, { minLength: 0, maxLength: 5 }).map((parts) => parts.join('/'));
const dir = fc.array(fc.constantFrom('site', 'content', 'a', 'b', 'x y'), { minLength: 0, maxLength: 3 }).map((parts) => path.resolve('/', ...parts));

test('relativeIn and relativePosix give what path.relative gives', () => {
  fc.assert(
    fc.property(dir, rel, fc.boolean(), (from, r, inside) => {
      const to = inside ? from + path.sep + r : path.resolve('/', r);
      assert.equal(relativeIn(from, to), path.relative(from, to));
      assert.equal(relativePosix(from, to), path.relative(from, to).split(path.sep).join('/'));
    }),
    { numRuns: 2000 },
  );
});

test('joinIn gives what path.join gives', () => {
  fc.assert(
    fc.property(dir, rel, (d, r) => assert.equal(joinIn(d, r), path.join(d, r))),
    { numRuns: 2000 },
  );
});

test('a plain relative path is inside any folder it is joined to; anything else is not called plain', () => {
  fc.assert(
    fc.property(dir, rel, (d, r) => {
      if (isPlainRelative(r)) assert.ok(path.resolve(d, r).startsWith(d === path.sep ? d : d + path.sep), r);
    }),
    { numRuns: 2000 },
  );
  for (const r of ['posts/a/index.html', 'a', '.well-known/x', 'a..b/c']) assert.equal(isPlainRelative(r), true, r);
  for (const r of ['', '.', '..', '../a', 'a/../../b', 'a//b', 'a/', '/a', './a', 'a/.']) assert.equal(isPlainRelative(r), false, r);
});

test('a folder given with a trailing separator, or not normalised, still gets path.relative\'s answer', () => {
  assert.equal(relativeIn('/site/', '/site/a/b'), path.relative('/site/', '/site/a/b'));
  assert.equal(relativeIn('/site/../site', '/site/../site/a'), path.relative('/site/../site', '/site/../site/a'));
  assert.equal(relativeIn('site', 'site/a'), path.relative('site', 'site/a'));
  assert.equal(relativeIn('/site', '/sites/a'), path.relative('/site', '/sites/a'));
});
