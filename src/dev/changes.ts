/**
 * What a changed path means for the dev server, and what a batch of changes invalidates.
 * Pure functions: the watcher reports paths, these decide the work.
 */
import path from 'node:path';
import { isIgnoredName } from '../content/load.ts';

export type ChangeKind = 'config' | 'template' | 'asset' | 'content' | 'ignored';

export interface WatchedPaths {
  contentDir: string;
  templatesDir: string;
  /** Files copied verbatim to the output root (`static/`), if any. */
  staticDir?: string;
  /** Config files that exist or could appear (the explicit --config file, or the candidates at the root). */
  configFiles: string[];
}

/** Kind of one changed path (file or folder, added, changed or removed). */
export function classify(absPath: string, paths: WatchedPaths): ChangeKind {
  const p = path.resolve(absPath);
  if (paths.configFiles.some((c) => path.resolve(c) === p)) return 'config';
  const inside = (dir: string) => p === path.resolve(dir) || p.startsWith(path.resolve(dir) + path.sep);
  for (const dir of [paths.contentDir, ...(paths.staticDir ? [paths.staticDir] : [])]) {
    if (!inside(dir)) continue;
    const rel = path.relative(dir, p);
    // Every file there is part of the site (posts, images, downloads); a folder may hold some.
    return rel && rel.split(path.sep).some((seg) => isIgnoredName(seg) && seg !== '.well-known') ? 'ignored' : 'content';
  }
  if (inside(paths.templatesDir)) {
    const rel = path.relative(paths.templatesDir, p);
    if (!rel || rel.split(path.sep).some(isIgnoredName)) return rel ? 'ignored' : 'template';
    return rel.split(path.sep)[0] === 'assets' ? 'asset' : 'template';
  }
  return 'ignored';
}

/** The work a batch needs, from most to least: everything, the theme and all pages, assets, some posts. */
export type Plan = 'full' | 'theme' | 'assets' | 'content' | 'none';

export function planFor(kinds: Iterable<ChangeKind>): Plan {
  const set = new Set(kinds);
  if (set.has('config')) return 'full';
  if (set.has('template')) return 'theme';
  if (set.has('asset')) return set.has('content') ? 'theme' : 'assets';
  if (set.has('content')) return 'content';
  return 'none';
}
