/**
 * Generates a link-dense corpus shaped like a real project blog with years of release notes
 * (the shape that made real blogs slow): one post in ten is a release note of a few hundred to a
 * few thousand list items, each with a pull-request link, an author link and inline code, in
 * sections and nested lists; the others are articles with many inline, reference and bare links.
 * About 20 KB per post on average, like the 1,043-post blog of issue 15. Jekyll-style: dated
 * file names, `layout: post`, no `date:`. Deterministic.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'fix add remove update the a parser cache option flag support error when with for build server config crash memory path link output release deprecate handle'.split(' ');
const MODULES = ['fs', 'http', 'crypto', 'stream', 'url', 'worker_threads', 'net', 'dns', 'zlib', 'buffer'];
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar'];

function words(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(r() * WORDS.length)]!);
  return out.join(' ');
}

function releaseNote(i: number, r: () => number): string {
  const items = 150 + Math.floor(r() * 1500);
  const out: string[] = [`Version ${i}.0.0 is out. See the [full changelog](https://github.com/example/project/compare/v${i - 1}.0.0...v${i}.0.0).\n`];
  let pr = 10_000 + i * 3_000;
  for (let s = 0; s < items; s++) {
    if (s % 120 === 0) out.push(`\n### ${MODULES[(s / 120) % MODULES.length]}\n`);
    pr += 1 + Math.floor(r() * 3);
    const user = USERS[Math.floor(r() * USERS.length)]!;
    const mod = MODULES[Math.floor(r() * MODULES.length)]!;
    const sha = Math.floor(r() * 0xfffffff).toString(16).padStart(7, '0');
    out.push(`* [[\`${sha}\`](https://github.com/example/project/commit/${sha})] - **${mod}**: ${words(r, 6)} (${user}) [#${pr}](https://github.com/example/project/pull/${pr})`);
    if (s % 40 === 7) out.push(`  * also ${words(r, 4)} in [\`${mod}.md\`](https://nodejs.org/api/${mod}.html#${mod}_${words(r, 1)})`);
  }
  return out.join('\n') + '\n';
}

function article(i: number, r: () => number): string {
  const out: string[] = [];
  for (let s = 0; s < 12; s++) {
    out.push(`## ${words(r, 3)} ${s}\n`);
    out.push(`${words(r, 12)} [${words(r, 2)}](https://example.com/${i}/${s}) ${words(r, 10)} <https://example.org/docs/${s}> and [the docs][docs${s}]. ${words(r, 14)} see https://www.example.net/${i}/${s} for ${words(r, 6)}.\n`);
    out.push(`- [${words(r, 2)}](https://github.com/example/project/issues/${i * 10 + s}) ${words(r, 5)}\n- \`${MODULES[s % MODULES.length]}\` ${words(r, 7)} [all posts](/posts/)\n`);
    out.push(`[docs${s}]: https://docs.example.com/${i}/${s} "Docs ${s}"\n`);
  }
  return out.join('\n');
}

export function linkPostText(i: number): string {
  const r = rng(i * 7919 + 3);
  const isRelease = i % 10 === 0;
  const title = isRelease ? `Project ${i}.0.0 released` : `Notes on ${words(r, 3)} (${i})`;
  const fm = `---\nlayout: post\ntitle: "${title}"\nauthor: ${USERS[i % USERS.length]}\ncategories: [${isRelease ? 'release' : 'notes'}]\n---\n\n`;
  return fm + (isRelease ? releaseNote(i, r) : article(i, r));
}

export function linkPostName(i: number): string {
  const day = new Date(Date.UTC(2012, 0, 1) + i * 86_400_000 * 3).toISOString().slice(0, 10);
  return `${day}-post-${String(i).padStart(5, '0')}.md`;
}

/** Writes `n` link-dense posts into `dir/content/posts/` (the folder is emptied first). */
export async function generateLinkCorpus(dir: string, n: number): Promise<string> {
  const content = path.join(dir, 'content');
  await rm(content, { recursive: true, force: true });
  await mkdir(path.join(content, 'posts'), { recursive: true });
  for (let i = 0; i < n; i++) await writeFile(path.join(content, 'posts', linkPostName(i)), linkPostText(i));
  return content;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = 'links-corpus', n = '1000'] = process.argv.slice(2);
  await generateLinkCorpus(path.resolve(dir), Number(n));
}
