/**
 * The per-file stages for one content file: decode, front matter, normalise, markdown, word lists.
 * Pure apart from git (asked lazily, only for undated posts): the bytes come from the read stage,
 * so the same function runs on the main thread and in worker threads (`parallel/pool.ts`).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import { displayPath, type Diagnostic } from '../diagnostics.ts';
import type { MarkdownRenderer } from '../markdown/render.ts';
import type { Post, RenderedContent } from '../model.ts';
import { once } from '../parallel/limit.ts';
import { postWords } from '../text/words.ts';
import { dateFromFileName } from './dates.ts';
import { parseFrontMatter } from './frontmatter.ts';
import { gitFirstCommitDates } from './git-dates.ts';
import { decodeSource, type RawFile } from './load.ts';
import { normalisePost } from './normalise.ts';
import { isPublished, type Selection } from './select.ts';

/** Everything known about one content file after its per-file stages. */
export interface PostEntry {
  absPath: string;
  /** Digest of the file's text (plus its mtime when the mtime is its date). */
  digest: string;
  /** Null when the file could not become a post (see diagnostics) or was skipped. */
  post: Post | null;
  /** Null when the post was not rendered (a left-out draft) or markdown failed. */
  content: RenderedContent | null;
  diagnostics: Diagnostic[];
}

/** What the per-file stages need: plain, cloneable data, so a worker thread can be given it. */
export interface WorkerInit {
  config: Config;
  contentDir: string;
  postLayouts: string[];
  /** Base for paths shown in diagnostics. */
  cwd: string;
  sel: Selection;
}

export interface FileContext {
  config: Config;
  contentDir: string;
  postLayouts: string[];
  display: (abs: string) => string;
  /** The markdown stage (loaded on first use). */
  render: (post: Post) => ReturnType<MarkdownRenderer> | Promise<ReturnType<MarkdownRenderer>>;
  /** First-commit dates from git, asked for once, and only if some post needs them. */
  gitDates: () => Promise<Map<string, number>>;
  sel: Selection;
}

export function fileContext(init: WorkerInit): FileContext {
  return {
    config: init.config,
    contentDir: init.contentDir,
    postLayouts: init.postLayouts,
    display: (abs) => displayPath(init.cwd, abs),
    render: lazyRenderer(init.config),
    gitDates: once(() => gitFirstCommitDates(init.contentDir)),
    sel: init.sel,
  };
}

/**
 * The markdown stage, loaded on first use: remark, its plugins and the highlighting grammars take
 * about a third of a second to load, which a build whose posts all come from the cache never needs.
 */
function lazyRenderer(config: Config): FileContext['render'] {
  let renderer: Promise<MarkdownRenderer> | null = null;
  return async (post) => (await (renderer ??= import('../markdown/render.ts').then((m) => m.createMarkdownRenderer(config))))(post);
}

/**
 * Dev: runs the per-file stages once on a small post of no file, so that the first save after
 * `quire dev` starts does not pay for loading the front-matter parser, remark, its plugins and a
 * grammar (about 0.3 s; a dev start whose posts all come from the cache loads none of them).
 */
export async function warmUp(config: Config): Promise<void> {
  const ctx = fileContext({ config, contentDir: '/', postLayouts: ['post'], cwd: '/', sel: { drafts: true, future: true, now: 0 } });
  await processPostFile(ctx, { absPath: '/warm-up.md', bytes: new TextEncoder().encode(WARM_UP_POST), mtimeMs: 0 });
}

const WARM_UP_POST = `---
title: Warming up
date: 2020-01-01
categories: [a]
tags: b
---

A paragraph with *emphasis*, \`code\` and [a link](https://example.com/).

## A heading

- a list
- of items

| a | table |
|---|---|
| 1 | 2 |

\`\`\`js
const answer = 42;
\`\`\`
`;

/** Runs the per-file stages on one file's bytes. A post that is not published is not rendered. */
export async function processPostFile(ctx: FileContext, raw: RawFile): Promise<PostEntry> {
  const absPath = raw.absPath;
  const diagnostics: Diagnostic[] = [];
  const read = decodeSource(raw, ctx.contentDir, ctx.display(absPath));
  diagnostics.push(...read.diagnostics);
  const source = read.value;
  if (!source) return { absPath, digest: '', post: null, content: null, diagnostics };
  let digest = createHash('sha1').update(source.text).digest('hex');
  const fm = parseFrontMatter(source.text, source.displayPath);
  diagnostics.push(...fm.diagnostics);
  if (!fm.value) return { absPath, digest, post: null, content: null, diagnostics };
  const date = fm.value.data.date;
  const undated = (date === undefined || date === null || date === '') && !dateFromFileName(path.basename(absPath), ctx.config.timezone);
  const gitDates = undated ? await ctx.gitDates() : new Map<string, number>();
  const normalised = normalisePost(source, fm.value, { config: ctx.config, postLayouts: ctx.postLayouts, gitDate: (rel) => gitDates.get(rel) ?? null });
  diagnostics.push(...normalised.diagnostics);
  const post = normalised.value;
  if (post?.dateSource === 'mtime') digest += `@${source.mtimeMs}`;
  if (!post || !isPublished(post, ctx.sel)) return { absPath, digest, post, content: null, diagnostics };
  const rendered = await ctx.render(post);
  diagnostics.push(...rendered.diagnostics);
  // Everything later stages need from the plain text is derived here; like the markdown, the text
  // is then dropped, which keeps big sites' memory (and the cache) smaller.
  const content = rendered.value && { ...rendered.value, text: '', words: postWords(post.title, rendered.value.text) };
  return { absPath, digest, post: { ...post, body: '' }, content, diagnostics };
}

/** Whether an entry needs processing again: its post is published now but was not rendered (a draft, or future, when it was made). */
export function needsRender(entry: PostEntry, sel: Selection): boolean {
  return !!entry.post && !entry.content && isPublished(entry.post, sel) && !entry.diagnostics.some((d) => d.severity === 'error');
}

/** Entries that depend on more than the file's bytes (a date from git or the mtime, a symlink) are not cached. */
export function isStorable(entry: PostEntry): boolean {
  return !entry.digest.includes('@') && entry.post?.dateSource !== 'git' && !entry.diagnostics.some((d) => d.code.startsWith('content/'));
}
