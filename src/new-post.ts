/**
 * `quire new "Title"`: starts a draft post at content/posts/YYYY-MM-DD-slug.md (today in the
 * site's time zone, so the file-name date and `date:` agree with what the build will show), or,
 * with `--page`, a standalone page at content/pages/slug.md. Never overwrites a file.
 */
import path from 'node:path';
import type * as Yaml from 'yaml';
import { onFirstUse } from './lazy.ts';

const YAML = onFirstUse<typeof Yaml>('yaml');
import { displayPath, error, type Diagnostic } from './diagnostics.ts';
import { isErrno, nodeFs, type Fs } from './fs.ts';
import { instantDate } from './content/dates.ts';
import { loadConfig } from './load-config.ts';
import { slugify } from './text/slug.ts';

export interface NewPostOptions {
  /** Project root: where the config file is looked for. */
  root: string;
  contentDir: string;
  configFile?: string;
  title: string;
  /** A standalone page (content/pages/, `layout: page`, no date) instead of a dated post. */
  page?: boolean;
  /** "Now" (defaults to the clock). */
  now?: number;
  /** Base for paths shown in messages (defaults to the process's working directory). */
  cwd?: string;
  fs?: Fs;
}

export interface NewPostResult {
  /** The created file (absolute), or null when nothing was written. */
  file: string | null;
  diagnostics: Diagnostic[];
}

export async function newPost(options: NewPostOptions): Promise<NewPostResult> {
  const fs = options.fs ?? nodeFs;
  const display = (abs: string) => displayPath(options.cwd ?? process.cwd(), abs);
  const loaded = await loadConfig(fs, options.root, options.configFile, {}, display);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const config = loaded.value;
  if (!config) return { file: null, diagnostics };

  const title = cleanTitle(options.title);
  const slug = slugify(title);
  const today = instantDate(options.now ?? Date.now(), config.timezone);
  const day = `${String(today.year).padStart(4, '0')}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
  const file = options.page ? path.join(options.contentDir, 'pages', `${slug}.md`) : path.join(options.contentDir, 'posts', `${day}-${slug}.md`);
  try {
    await fs.mkdir(path.dirname(file));
    await fs.writeFileExclusive(file, newPostText(title, options.page ? null : day));
  } catch (e) {
    const exists = isErrno(e, 'EEXIST');
    diagnostics.push(
      error(exists ? 'new/exists' : 'new/write-failed', exists ? 'this file already exists; nothing was written' : `cannot write the file: ${(e as Error).message}`, {
        file: display(file),
        hint: exists ? 'edit it, or choose another title' : 'check that the content folder is writable',
      }),
    );
    return { file: null, diagnostics };
  }
  return { file, diagnostics };
}

/**
 * The new file's text: front matter (the title double-quoted by the YAML library, so quotes,
 * `: `, `#`, a leading `-` and any Unicode read back exactly), a blank line, and nothing else.
 * `date` null makes a page (`layout: page`, no date).
 */
export function newPostText(title: string, date: string | null): string {
  const quoted = YAML.stringify(title, { defaultStringType: 'QUOTE_DOUBLE', lineWidth: 0 }).trimEnd();
  const lines = ['---', `title: ${quoted}`, date === null ? 'layout: page' : `date: ${date}`, 'draft: true', '---', '', ''];
  return lines.join('\n');
}

/** One line of text: whitespace runs (newlines too) become one space; control characters and lone surrogates go. */
export function cleanTitle(title: string): string {
  return title
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[\s\u0085]+/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .trim();
}
