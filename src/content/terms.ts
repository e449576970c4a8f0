/**
 * Category and tag values as authors write them: a list, a bare string, a comma-separated
 * string, empty or null. Names are trimmed, empty ones dropped and duplicates merged
 * case-insensitively (first spelling wins).
 */
import type { Config } from '../config.ts';
import { slugify, splitCamelCase } from '../text/slug.ts';

export interface TermNames {
  names: string[];
  /** Set when part of the value could not be read as names (a map, say). */
  problem: string | null;
  /** True when the value held a list inside a list (its names are read as one flat list). */
  nested: boolean;
}

/** Reads one front-matter value into a list of term names. */
export function termNames(value: unknown): TermNames {
  const names: string[] = [];
  let problem: string | null = null;
  let nested = false;
  const visit = (v: unknown, inList: boolean) => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') {
      for (const part of inList ? [v] : v.split(',')) names.push(part);
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      names.push(String(v));
    } else if (Array.isArray(v)) {
      if (inList) nested = true;
      for (const item of v) visit(item, true);
    } else {
      problem = 'must be a name, a comma-separated list of names, or a list of names (not a map)';
    }
  };
  visit(value, false);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
    const key = name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return { names: out, problem, nested };
}

/** The name shown for a term: the configured display name, else CamelCase split into words. */
export function displayTermName(name: string, config: Config): string {
  const lower = name.toLowerCase();
  for (const [key, display] of Object.entries(config.taxonomies.displayNames)) {
    if (key.toLowerCase() === lower) return display;
  }
  return config.taxonomies.splitCamelCase ? splitCamelCase(name) : name;
}

/**
 * Kebab-case slug of a term; `ArtificialIntelligence` and `Artificial Intelligence` share one. A
 * name with no letter or digit (`..`, `!!!`) is spelled out in hex (`term-2e2e`), so that two such
 * names do not share one page.
 */
export function termSlug(name: string): string {
  return slugify(splitCamelCase(name), `term-${Buffer.from(name).toString('hex')}`);
}
