/** The site the theme tests look at: the sample posts plus test/fixtures/theme (every element, a page, tags). */
import path from 'node:path';
import { cp, readdir, utimes } from 'node:fs/promises';
import { buildSite, ROOT, SAMPLE_CONTENT, tempDir } from './helpers.ts';
import type { BuildReport } from '../src/build.ts';

export const THEME_FIXTURE = path.join(ROOT, 'test/fixtures/theme');

/** Builds the theme site into a temporary `public/` (removed after the test); `baseUrl` overrides the fixture's. */
export async function buildThemeSite(t: Parameters<typeof tempDir>[0], baseUrl?: string): Promise<{ out: string; report: BuildReport }> {
  const dir = await tempDir(t, 'quire-theme-');
  const content = path.join(dir, 'content');
  await cp(SAMPLE_CONTENT, content, { recursive: true });
  // The sample without a date is dated by its file's time: a fixed one, for the same pages (and screenshots) on every run.
  const fixed = new Date(Date.UTC(2019, 8, 1));
  for (const name of await readdir(path.join(content, 'posts'))) await utimes(path.join(content, 'posts', name), fixed, fixed);
  await cp(path.join(THEME_FIXTURE, 'content'), content, { recursive: true });
  const out = path.join(dir, 'public');
  const report = await buildSite({ root: dir, outDir: out, contentDir: content, configFile: path.join(THEME_FIXTURE, 'quire.config.yml'), cache: false, ...(baseUrl ? { overrides: { baseUrl } } : {}) });
  return { out, report };
}
