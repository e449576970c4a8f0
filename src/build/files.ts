/** The list stage, and the files of the site that are not posts, gathered for the site stage. */
import path from 'node:path';
import type { Diagnostic, Result } from '../diagnostics.ts';
import type { Fs } from '../fs.ts';
import { listContent } from '../content/load.ts';
import { relativePosix } from '../paths.ts';
import type { SiteFile } from '../site/files.ts';
import type { SourceRead } from './posts.ts';

/** Posts and other files under the content folder, plus every file under `static/` (when it exists). */
export async function listSiteFiles(fs: Fs, contentDir: string, staticDir: string | null, display: (abs: string) => string): Promise<Result<{ posts: string[]; files: string[] }>> {
  const content = await listContent(fs, contentDir, display);
  if (!staticDir || !(await fs.stat(staticDir).then((s) => s.isDirectory(), () => false))) return content;
  const statics = await listContent(fs, staticDir, display);
  const files = [...content.value.files, ...statics.value.posts, ...statics.value.files];
  return { value: { posts: content.value.posts, files }, diagnostics: [...content.diagnostics, ...statics.diagnostics] };
}

/** The files read (and `.txt` files without front matter) as site files; remembers their bytes in `keep`. */
export function collectSiteFiles(
  reads: SourceRead[],
  assets: { absPath: string; bytes: Uint8Array | null; diagnostics: Diagnostic[] }[],
  contentDir: string,
  staticDir: string | null,
  display: (abs: string) => string,
  keep: Map<string, Uint8Array>,
): Result<SiteFile[]> {
  const diagnostics: Diagnostic[] = [];
  const files: SiteFile[] = [];
  const inStatic = (abs: string) => staticDir !== null && abs.startsWith(path.resolve(staticDir) + path.sep);
  const all = [...reads.flatMap((r) => (r.asset ? [{ absPath: r.absPath, bytes: r.asset, diagnostics: [] }] : [])), ...assets];
  for (const a of all) {
    diagnostics.push(...a.diagnostics);
    if (!a.bytes) continue;
    keep.set(a.absPath, a.bytes);
    const from = inStatic(a.absPath) ? 'static' : 'content';
    const relPath = relativePosix(from === 'static' ? staticDir! : contentDir, a.absPath);
    files.push({ relPath, from, file: display(a.absPath), contents: a.bytes });
  }
  return { value: files, diagnostics };
}
