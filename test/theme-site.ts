/** The site the theme tests look at: the sample posts plus test/fixtures/theme (every element, a page, tags). */
import path from 'node:path';
import { cp } from 'node:fs/promises';
import { buildSite, ROOT, SAMPLE_CONTENT, tempDir } from './helpers.ts';
import type { BuildReport } from '../src/build.ts';

export const THEME_FIXTURE = path.join(ROOT, 'test/fixtures/theme');

/** Builds the theme site into a temporary `public/` (removed after the test); `baseUrl` overrides the fixture's. */
export async function buildThemeSite(t: Parameters<typeof tempDir>[0], baseUrl?: string): Promise<{ out: string; report: BuildReport }> {
  const dir = await tempDir(t, 'quire-theme-');
  const content = path.join(dir, 'content');
  await cp(SAMPLE_CONTENT, content, { recursive: true, preserveTimestamps: true });
  await cp(path.join(THEME_FIXTURE, 'content'), content, { recursive: true });
  const out = path.join(dir, 'public');
  const report = await buildSite({ root: dir, outDir: out, contentDir: content, configFile: path.join(THEME_FIXTURE, 'quire.config.yml'), cache: false, ...(baseUrl ? { overrides: { baseUrl } } : {}) });
  return { out, report };
}
