/**
 * The catalogue of bad inputs (test/catalogue.ts), built for real: one test per entry asserting
 * exactly the diagnostics (code, severity, file, line) it produces and, for inputs that build,
 * what its pages show; then every content entry but the heavy ones at once beside the sample
 * posts, through the command line, which must exit 1 printing every error and leave the previous
 * output as it was. The heavy entries, and every content entry at once through build(), are in
 * test/catalogue.slow.test.ts (`npm run test:slow`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CATALOGUE } from './catalogue.ts';
import { addEntries, BASE_URL, checkEntry, newProject, put } from './catalogue-build.ts';
import { copySamples, runCli, snapshot } from './helpers.ts';

for (const entry of CATALOGUE.filter((e) => !e.heavy)) {
  test(`catalogue ${entry.id}: ${entry.description}`, (t) => checkEntry(t, entry));
}

test('the command line on the sample posts plus the content catalogue prints every error as file:line:column and exits 1, leaving the output as it was', async (t) => {
  // The real process, without the simulated EACCES (those entries are left out) and without the
  // heavy entries, which test/catalogue.slow.test.ts builds with everything else.
  const p = await newProject(t);
  await copySamples(p.root);
  await put(p.root, 'outside/quire.config.yml', `baseUrl: ${BASE_URL}\n`);
  const args = ['build', '--content', p.content, '--out', p.out, '--config', path.join(p.root, 'outside/quire.config.yml'), '--no-cache'];
  assert.equal((await runCli(args, { INIT_CWD: p.root })).code, 0);
  const before = await snapshot(p.out);
  const entries = CATALOGUE.filter((e) => e.kind === 'content' && !e.heavy && !e.unreadable);
  await addEntries(p, entries);
  const cli = await runCli(args, { INIT_CWD: p.root });
  assert.equal(cli.code, 1, cli.stderr.slice(-2000));
  const errors = entries.flatMap((e) => e.expect).filter((d) => d.severity === 'error');
  const printed = cli.stderr.split('\n').filter((line) => / error: .* \[[a-z]+\/[a-z0-9-]+\]$/.test(line));
  assert.equal(printed.length, errors.length, printed.join('\n'));
  for (const d of errors) {
    const at = `${d.file}${d.line === undefined ? '' : `:${d.line}:${d.column ?? ''}`}`;
    assert.ok(printed.some((line) => line.startsWith(at) && line.endsWith(`[${d.code}]`)), `the CLI prints ${at}… [${d.code}]`);
  }
  assert.match(cli.stderr, new RegExp(`Build failed: ${errors.length} errors, \\d+ warnings in \\d+ ms; out was not changed`));
  assert.deepEqual(await snapshot(p.out), before, 'the output folder is byte-for-byte what the first build wrote');
});
