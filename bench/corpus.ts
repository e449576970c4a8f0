/**
 * Generates benchmark corpora shaped like the sample posts: ~6 KB bodies with headings, lists,
 * code and a table; varied titles and dates; 20 categories; some with the samples' front-matter
 * quirks (duplicated keys, blank lines, bare-string categories, an empty tag). Deterministic.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const CATEGORIES = [
  'ArtificialIntelligence', 'Cybersecurity', 'Cryptography', 'TechTrends', 'DataStructures', 'Algorithms', 'WebDevelopment',
  'Databases', 'Networking', 'OperatingSystems', 'Compilers', 'DistributedSystems', 'MachineLearning', 'CloudComputing',
  'DevOps', 'Security', 'Programming', 'Mathematics', 'Robotics', 'QuantumComputing',
];
const WORDS = 'neural network layer gradient model data training learning deep function input output weight bias vector matrix system process algorithm structure memory compute signal feature'.split(' ');

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(r: () => number, words = 14): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(r() * WORDS.length)]!);
  const s = out.join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + '.';
}

export function postText(i: number, r = rng(i + 1)): string {
  const title = `Understanding ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} number ${i}`;
  // 10,000 posts span 1998–2025: all in the past, so every post is published.
  const day = new Date(Date.UTC(1998, 0, 1) + i * 86_400_000 * 1);
  const date = day.toISOString().slice(0, 10);
  const cat = CATEGORIES[i % CATEGORIES.length]!;
  const quirky = i % 5 === 0;
  const fm = quirky
    ? `---\n\ntype: "posts"\ntitle: ${title}\nicon: fa-comment-alt\ncategories: ${cat}\ntag:   \n\ndate: "${date}"\ntype: posts\n---\n`
    : `---\ntitle: "${title}"\ndate: ${date}\ncategories: ["${cat}", "${CATEGORIES[(i * 3) % CATEGORIES.length]}"]\ntags: [t${i % 50}]\n---\n`;
  const sections: string[] = [`\n# ${title}\n`];
  for (let s = 0; s < 6; s++) {
    sections.push(`## Section ${s + 1}: ${sentence(r, 4).slice(0, -1)}\n`);
    sections.push(`${sentence(r)} ${sentence(r)} ${sentence(r)} **${sentence(r, 3)}** ${sentence(r)} [a link](https://example.com/${i}/${s}).\n`);
    if (s === 1) sections.push(`- ${sentence(r, 6)}\n- ${sentence(r, 6)}\n- ${sentence(r, 6)}\n`);
    if (s === 2) sections.push('```js\nfunction train(model, data) {\n  for (const batch of data) model.step(batch);\n  return model;\n}\n```\n');
    if (s === 3) sections.push(`| layer | units | activation |\n|---|---|---|\n| input | 784 | none |\n| hidden | ${128 + (i % 64)} | relu |\n| output | 10 | softmax |\n`);
    sections.push(`${sentence(r)} ${sentence(r)} ${sentence(r)} ${sentence(r)}\n`);
  }
  return fm + sections.join('\n');
}

/** Writes `n` posts into `dir/content/posts/` (the folder is emptied first). */
export async function generateCorpus(dir: string, n: number): Promise<string> {
  const content = path.join(dir, 'content');
  await rm(content, { recursive: true, force: true });
  await mkdir(path.join(content, 'posts'), { recursive: true });
  for (let i = 0; i < n; i++) await writeFile(path.join(content, 'posts', `post-${String(i).padStart(5, '0')}.md`), postText(i));
  return content;
}

/** One post with `n` categories and `n` tags (issue 13): every term gets a page, each category three feeds. */
export function manyTermsPost(n: number): string {
  const list = (name: (i: number) => string) => Array.from({ length: n }, (_, i) => `  - ${name(i)}`).join('\n');
  return `---\ntitle: Many terms\ndate: 2020-01-01\ncategories:\n${list((i) => `Category ${i}`)}\ntags:\n${list((i) => `tag-${i}`)}\n---\nA post with ${n} categories and ${n} tags.\n`;
}

/** Writes `manyTermsPost(n)` as the only post of `dir/content/posts/` (the folder is emptied first). */
export async function generateManyTerms(dir: string, n: number): Promise<string> {
  const content = path.join(dir, 'content');
  await rm(content, { recursive: true, force: true });
  await mkdir(path.join(content, 'posts'), { recursive: true });
  await writeFile(path.join(content, 'posts', 'many-terms.md'), manyTermsPost(n));
  return content;
}
