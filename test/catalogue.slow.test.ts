/**
 * The slow half of the catalogue of bad inputs (test/catalogue.ts; the rest is in
 * test/catalogue.test.ts): the heavy entries (seconds each to render) built on their own, then
 * every content entry at once beside the sample posts, which must fail in one run with every
 * error and leave the previous output byte-for-byte as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUE } from './catalogue.ts';
import { addEntries, assertDiagnostics, buildProject, checkEntry, key, newProject, shape } from './catalogue-build.ts';
import { copySamples, snapshot } from './helpers.ts';

for (const entry of CATALOGUE.filter((e) => e.heavy)) {
  test(`catalogue ${entry.id}: ${entry.description}`, (t) => checkEntry(t, entry));
}

test('the sample posts plus every content catalogue entry: one build fails reporting every error, and leaves the previous output byte-for-byte as it was', async (t) => {
  const p = await newProject(t);
  await copySamples(p.root);
  const first = await buildProject(p);
  assert.equal(first.ok, true, JSON.stringify(first.diagnostics.filter((d) => d.severity === 'error')));
  const before = await snapshot(p.out);
  assert.ok(before.size > 30, `${before.size} files`);

  const entries = CATALOGUE.filter((e) => e.kind === 'content');
  await addEntries(p, entries);
  const report = await buildProject(p);
  assert.equal(report.ok, false);
  const expected = entries.flatMap((e) => e.expect);
  // Errors: exactly the catalogue's, all in this one run.
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  assertDiagnostics(errors, expected.filter((d) => d.severity === 'error'));
  // Warnings of the per-file stages are reported too (site-wide checks such as duplicate slugs run only once the posts are sound).
  const warnings = new Set(report.diagnostics.filter((d) => d.severity === 'warning').map((d) => key(shape(d, false))));
  for (const w of expected.filter((d) => d.severity === 'warning' && !d.code.startsWith('site/'))) assert.ok(warnings.has(key({ ...w, column: undefined })), `missing ${key(w)}`);
  assert.deepEqual(await snapshot(p.out), before, 'the output folder is byte-for-byte what the first build wrote');
});
