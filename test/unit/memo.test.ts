import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Memo } from '../../src/memo.ts';

test('a memo reuses a value while its key is the same, per owner and kind', () => {
  const memo = new Memo();
  const owner = {};
  let made = 0;
  const make = () => ({ n: ++made });
  const a = memo.reuse(owner, 'view', 'k1', make);
  assert.equal(memo.reuse(owner, 'view', 'k1', make), a);
  assert.notEqual(memo.reuse(owner, 'view', 'k2', make), a);
  assert.notEqual(memo.reuse({}, 'view', 'k2', make), a, 'another owner');
  assert.equal(made, 3);
});

test('two memos share nothing: ids, views and tables are per build state', () => {
  const one = new Memo();
  const two = new Memo();
  const o = {};
  assert.equal(one.id(o), one.id(o));
  one.markView(o);
  assert.equal(two.viewId(o), undefined);
  one.keyed('feed', 'feed.xml', 'k', () => 'first');
  assert.equal(two.keyed('feed', 'feed.xml', 'k', () => 'second'), 'second');
  assert.equal(one.digest('x'.repeat(600)), two.digest('x'.repeat(600)), 'digests depend only on the text');
});

test('a one-shot build\'s memo does not keep what only a later build could reuse (a page\'s view); the dev server\'s does', () => {
  const owner = {};
  let made = 0;
  const make = () => ({ n: ++made });
  const oneShot = new Memo();
  assert.notEqual(oneShot.reuse(owner, 'post', 'k', make, true), oneShot.reuse(owner, 'post', 'k', make, true), 'made again: not held until the build ends');
  assert.equal(oneShot.reuse(owner, 'summary', 'k', make), oneShot.reuse(owner, 'summary', 'k', make), 'shared within the build: kept');
  const dev = new Memo({ forNextBuild: true });
  assert.equal(dev.reuse(owner, 'post', 'k', make, true), dev.reuse(owner, 'post', 'k', make, true), 'kept for the next rebuild');
  assert.equal(made, 4);
});
