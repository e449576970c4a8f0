import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublished, leftOutAs, selectPosts } from '../../src/content/select.ts';
import { testDate, testPost } from './fixtures.ts';

const sel = { drafts: false, future: false, now: Date.UTC(2021, 0, 1) };

test('drafts and future posts are left out unless asked for, and counted', () => {
  const posts = [
    { post: testPost({ title: 'Out', date: testDate('2020-06-01') }) },
    { post: testPost({ title: 'Draft', date: testDate('2020-06-01'), draft: true }) },
    { post: testPost({ title: 'Later', date: testDate('2021-03-01') }) },
    { post: testPost({ title: 'Later still', date: testDate('2022-03-01') }) },
    { post: null },
  ];
  const s = selectPosts(posts, sel);
  assert.deepEqual(s.published.map((p) => p.post.title), ['Out']);
  assert.deepEqual(s.skipped, { drafts: 1, future: 2 });
  assert.equal(s.nextChangeAt, Date.UTC(2021, 2, 1), 'the first future post: the site changes then');
  assert.equal(selectPosts(posts, { drafts: true, future: true, now: sel.now }).published.length, 4);
});

test('a future draft is left out as a draft, and published only with both flags', () => {
  const p = testPost({ title: 'Both', date: testDate('2022-01-01'), draft: true });
  assert.equal(leftOutAs(p, sel), 'draft');
  assert.equal(leftOutAs(p, { ...sel, drafts: true }), 'future');
  assert.equal(isPublished(p, { drafts: true, future: true, now: sel.now }), true);
});
