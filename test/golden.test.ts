/**
 * Golden sites: each folder under test/fixtures/sites/<name>/ holds `content/` (and maybe
 * `static/` and `quire.config.yml`); the site built from it in memory (memoryFs, a fixed clock
 * and mtime, the real theme) must equal `expected/` byte for byte.
 *
 * When a change to the output is intended, refresh them on purpose and review the diff:
 *   UPDATE_GOLDEN=1 node --import tsx --test test/golden.test.ts && git diff test/fixtures/sites
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { build } from '../src/build.ts';
import { memoryFs } from '../src/fs.ts';
import { ROOT, TEMPLATES } from './helpers.ts';

const SITES = path.join(ROOT, 'test/fixtures/sites');
const NOW = Date.UTC(2030, 0, 1);
const MTIME = Date.UTC(2024, 5, 1);

async function tree(dir: string, as: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) if (e.isFile()) out[path.join(as, path.relative(dir, path.join(e.parentPath, e.name)))] = await readFile(path.join(e.parentPath, e.name));
  return out;
}

for (const name of (await readdir(SITES)).sort()) {
  test(`golden site ${name}: built in memory, byte for byte what expected/ holds`, async () => {
    const dir = path.join(SITES, name);
    const config = await readFile(path.join(dir, 'quire.config.yml')).catch(() => null);
    const fs = memoryFs({
      ...(await tree(path.join(dir, 'content'), '/site/content')),
      ...(await tree(path.join(dir, 'static'), '/site/static')),
      ...(await tree(TEMPLATES, '/site/templates')),
      ...(config ? { '/site/quire.config.yml': config } : {}),
    }, MTIME);
    const r = await build({ root: '/site', contentDir: '/site/content', templatesDir: '/site/templates', outDir: '/site/public', cwd: '/site', now: NOW, fs, write: false });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    const built = new Map(r.files.map((f) => [f.outPath, Buffer.from(f.contents)]));
    const expectedDir = path.join(dir, 'expected');
    if (process.env.UPDATE_GOLDEN) {
      await rm(expectedDir, { recursive: true, force: true });
      for (const [rel, bytes] of built) {
        await mkdir(path.dirname(path.join(expectedDir, rel)), { recursive: true });
        await writeFile(path.join(expectedDir, rel), bytes);
      }
    }
    const expected = await tree(expectedDir, '');
    assert.deepEqual([...built.keys()].sort(), Object.keys(expected).sort(), 'the same files');
    for (const [rel, bytes] of built) assert.ok(bytes.equals(expected[rel]!), `${rel} differs from expected/ (UPDATE_GOLDEN=1 refreshes it on purpose)`);
  });
}
