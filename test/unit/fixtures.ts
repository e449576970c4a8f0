/**
 * Shared builders for the data-model objects the unit tests feed to the pipeline stages, so that
 * each test file states only the fields its tests care about.
 */
import { serialize } from 'node:v8';
import { parseDate, type PostDate } from '../../src/content/dates.ts';
import type { Post, RenderedContent } from '../../src/model.ts';

/** The fields most tests' post specs share; a test file extends it with its own. */
export interface TestPostSpec {
  title: string;
  /** Front-matter style date, for testDate. */
  date: string;
  categories?: string[];
  tags?: string[];
}

/** A post and its rendered content, as buildSite takes them. */
export interface TestEntry {
  post: Post;
  content: RenderedContent;
}

/**
 * Parses a front-matter style date (`2019-06-26`, `2019-07-01 10:30 +02:00`, ...) in `timeZone`,
 * throwing when the value is not a valid date so that a typo in a test fails loudly.
 */
export function testDate(value: string, timeZone = 'UTC'): PostDate {
  const parsed = parseDate(value, timeZone);
  if (!parsed.ok) throw new Error(`bad test date ${value}: ${parsed.reason}`);
  return parsed.date;
}

/** `posts/<title in lower case, non-word runs replaced by '-'>.md`: the default `relPath` of testPost. */
export function testRelPath(title: string): string {
  return `posts/${title.toLowerCase().replace(/\W+/g, '-')}.md`;
}

/**
 * A normalised post with the given fields and plain defaults for the rest: `relPath` from the
 * title (see testRelPath), `file` `content/<relPath>`, date 2020-01-01 (UTC) from front matter,
 * layout `post`, no update date, terms, slug, description or author, no toc, icon or draft flag,
 * empty data and body, and a body starting on line 1. A field given as `undefined` takes its
 * default, so optional spec fields can be passed straight through.
 */
export function testPost(fields: Partial<Post> & { title: string }): Post {
  const { title, ...given } = definedFields(fields);
  const relPath = given.relPath ?? testRelPath(title);
  return {
    relPath,
    kind: 'post',
    menu: null,
    aliases: [],
    permalink: null,
    cover: null,
    file: `content/${relPath}`,
    title,
    date: given.date ?? testDate('2020-01-01'),
    dateSource: 'front-matter',
    updated: null,
    categories: [],
    tags: [],
    layout: 'post',
    toc: false,
    icon: null,
    draft: false,
    slug: null,
    description: null,
    author: null,
    data: {},
    body: '',
    bodyLine: 1,
    ...given,
  };
}

/**
 * Rendered markdown with the given fields; the rest empty (no html, text, words, toc, excerpt or
 * links). As in testPost, a field given as `undefined` takes its default.
 */
export function testContent(fields: Partial<RenderedContent> = {}): RenderedContent {
  return { html: '', toc: [], text: '', wordCount: 0, firstParagraph: '', excerpt: null, links: [], ...definedFields(fields) };
}

/** `fields` without its `undefined` entries, so that spreading it never overwrites a default. */
function definedFields<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

/** Whether V8 holds the string one byte per character: its serialised form's tag says so ('"' one-byte, 'c' two-byte). */
export function isOneByte(s: string): boolean {
  return serialize(s)[2] === 0x22;
}
