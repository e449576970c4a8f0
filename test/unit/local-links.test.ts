import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localLinkPlaceholder, parsePlaceholder } from '../../src/text/local-links.ts';

test('relative links become content placeholders resolved against the post file, query and fragment kept', () => {
  assert.equal(localLinkPlaceholder('../2025-01-12-hello.md#intro', 'posts/2024/a.md'), '/__quire__/c/posts/2025-01-12-hello.md#intro');
  assert.equal(localLinkPlaceholder('./photo.jpg', 'posts/trip/index.md'), '/__quire__/c/posts/trip/photo.jpg');
  assert.equal(localLinkPlaceholder('../trip/', 'posts/a.md'), '/__quire__/c/trip/');
  assert.equal(localLinkPlaceholder('my%20photo.png?v=1', 'a.md'), '/__quire__/c/my%20photo.png?v=1');
  assert.deepEqual(parsePlaceholder('/__quire__/c/my%20photo.png?v=1'), { kind: 'c', path: 'my photo.png', suffix: '?v=1' });
});

test('root-relative links get a placeholder for the base path; external, fragment-only and escaping links do not', () => {
  assert.equal(localLinkPlaceholder('/images/x.png', 'a.md'), '/__quire__/r/images/x.png');
  assert.deepEqual(parsePlaceholder('/__quire__/r/images/x.png#top'), { kind: 'r', path: '/images/x.png', suffix: '#top' });
  for (const url of ['https://example.com/', 'mailto:me@example.com', '#section', '//cdn.example/x.js', '', '?q=1', '../../outside.md']) {
    assert.equal(localLinkPlaceholder(url, 'posts/a.md'), null, url);
  }
});
