/**
 * The naive floor every speed figure is compared with: one thread, no cache, and per post exactly
 * what a minimal remark blog does — gray-matter, remark + remark-gfm + remark-html, one Handlebars
 * page written to disk — plus one index page. No listings, feeds, search, related posts or link
 * checking: the minimum markdown work a blog of these posts cannot avoid with remark.
 *
 *   node bench/naive.mjs CONTENT_DIR OUT_DIR
 *
 * Plain JavaScript, so that no TypeScript loader is measured, as Quire runs from dist/.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import Handlebars from 'handlebars';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import remarkHtml from 'remark-html';

/** gray-matter; front matter it rejects (the samples' duplicated keys) is skipped, as a naive builder would. */
/** @returns {{ data: Record<string, unknown>, content: string }} */
function frontMatter(text) {
  try {
    return matter(text);
  } catch {
    return { data: {}, content: text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '') };
  }
}

/** Builds every markdown file under `content` into `out`; returns how many. */
export async function naiveBuild(content, out) {
  await rm(out, { recursive: true, force: true });
  const page = Handlebars.compile('<!doctype html><html><head><title>{{title}}</title></head><body><article><h1>{{title}}</h1>{{{html}}}</article></body></html>');
  const index = Handlebars.compile('<!doctype html><html><body><ul>{{#each posts}}<li><a href="/{{slug}}/">{{title}}</a></li>{{/each}}</ul></body></html>');
  const processor = remark().use(remarkGfm).use(remarkHtml);
  const files = (await readdir(content, { recursive: true })).filter((f) => /\.(md|markdown)$/.test(f)).sort();
  const posts = [];
  for (const file of files) {
    const text = await readFile(path.join(content, file), 'utf8');
    const { data, content: body } = frontMatter(text);
    const html = String(await processor.process(body));
    const slug = path.basename(file).replace(/\.\w+$/, '');
    const title = String(data.title ?? slug);
    await mkdir(path.join(out, slug), { recursive: true });
    await writeFile(path.join(out, slug, 'index.html'), page({ title, html }));
    posts.push({ slug, title });
  }
  await writeFile(path.join(out, 'index.html'), index({ posts }));
  return files.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [content, out] = process.argv.slice(2);
  if (!content || !out) throw new Error('usage: bench/naive.ts CONTENT_DIR OUT_DIR');
  const started = performance.now();
  const posts = await naiveBuild(path.resolve(content), path.resolve(out));
  // The same resource line as bench/child.mjs, for bench/build.ts.
  const usage = process.resourceUsage();
  process.stdout.write(`${posts} posts\n${JSON.stringify({ code: 0, wallMs: performance.now() - started, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssMb: usage.maxRSS / 1024 })}\n`);
}
