import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { classify, planFor, type WatchedPaths } from '../../src/dev/changes.ts';

const root = path.resolve('/site');
const paths: WatchedPaths = {
  contentDir: path.join(root, 'content'),
  templatesDir: path.join(root, 'templates'),
  configFiles: [path.join(root, 'quire.config.yml')],
};
const at = (...p: string[]) => path.join(root, ...p);

test('classifies posts, folders and editor leftovers under content/', () => {
  assert.equal(classify(at('content/posts/a.md'), paths), 'content');
  assert.equal(classify(at('content/posts/a.markdown'), paths), 'content');
  assert.equal(classify(at('content/posts/a.txt'), paths), 'content');
  assert.equal(classify(at('content/new-folder'), paths), 'content');
  assert.equal(classify(at('content'), paths), 'content');
  assert.equal(classify(at('content/posts/a.md~'), paths), 'ignored');
  assert.equal(classify(at('content/posts/.a.md.swp'), paths), 'ignored');
  assert.equal(classify(at('content/posts/.#a.md'), paths), 'ignored');
  assert.equal(classify(at('content/posts/#a.md#'), paths), 'ignored');
  assert.equal(classify(at('content/.git/index'), paths), 'ignored');
  assert.equal(classify(at('content/photo.png'), paths), 'content', 'every file under content/ is part of the site');
});

test('classifies templates, assets and config', () => {
  assert.equal(classify(at('templates/layouts/post.hbs'), paths), 'template');
  assert.equal(classify(at('templates/partials/x/y.hbs'), paths), 'template');
  assert.equal(classify(at('templates/icons/star.svg'), paths), 'template');
  assert.equal(classify(at('templates/assets/style.css'), paths), 'asset');
  assert.equal(classify(at('templates/layouts/.post.hbs.swp'), paths), 'ignored');
  assert.equal(classify(at('quire.config.yml'), paths), 'config');
  assert.equal(classify(at('package.json'), paths), 'ignored');
  assert.equal(classify(at('public/index.html'), paths), 'ignored');
});

test('a batch needs the largest plan of its changes', () => {
  assert.equal(planFor([]), 'none');
  assert.equal(planFor(['ignored']), 'none');
  assert.equal(planFor(['content', 'content']), 'content');
  assert.equal(planFor(['asset']), 'assets');
  assert.equal(planFor(['asset', 'content']), 'theme');
  assert.equal(planFor(['content', 'template']), 'theme');
  assert.equal(planFor(['content', 'template', 'config']), 'full');
});

test('the live-reload client script is valid JavaScript', async () => {
  const { CLIENT_SCRIPT } = await import('../../src/dev/client.ts');
  assert.doesNotThrow(() => new Function(CLIENT_SCRIPT));
});
