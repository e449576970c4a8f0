/**
 * What compiling a theme needs to know of its templates, from one walk of each syntax tree: the
 * partials each calls (for the missing-partial check, each layout's id and the partials whose
 * output can be shared), the inline partials it defines, and what makes its output depend on more
 * than its context object. One walk, not one per question: the three walks of every template this
 * replaces took ~40 ms of a build's start, in code run once and never optimised.
 */
import { createHash } from 'node:crypto';
import { compareText } from '../text/compare.ts';

type Program = hbs.AST.Program;

/** One template's facts (see templateFacts). */
export interface TemplateFacts {
  /** Every `{{> name}}` and `{{#> name}}` with a name written out, with its position (1-based). */
  partials: { name: string; line: number; column: number }[];
  /** The partials `{{#*inline "name"}}` defines. */
  inline: Set<string>;
  /** A partial chosen per page (`{{> (lookup . "name")}}`): which partials it calls is not known. */
  dynamicPartial: boolean;
  /** A decorator (`{{#*inline}}` is one): it can stand in for a partial's name on one page. */
  decorators: boolean;
  /** A partial block (`{{#> name}}...{{/name}}`, `{{> @partial-block}}`'s source): its content differs per call. */
  partialBlock: boolean;
  /** Reads `@data` or a parent context (`../`): its output depends on more than its context object. */
  readsOutside: boolean;
}

/** A template's facts, from one walk of its syntax tree (positions are left out of the walk). */
export function templateFacts(ast: Program): TemplateFacts {
  const facts: TemplateFacts = { partials: [], inline: new Set(), dynamicPartial: false, decorators: false, partialBlock: false, readsOutside: false };
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    const n = node as { type?: string; name?: { type?: string; original?: unknown }; path?: { original?: unknown }; params?: { value?: unknown }[]; data?: boolean; depth?: number; loc?: hbs.AST.SourceLocation };
    const type = n.type;
    if (type === 'PartialStatement' || type === 'PartialBlockStatement') {
      if (type === 'PartialBlockStatement') facts.partialBlock = true;
      if (n.name?.type === 'PathExpression') facts.partials.push({ name: String(n.name.original), line: n.loc?.start.line ?? 1, column: (n.loc?.start.column ?? 0) + 1 });
      else facts.dynamicPartial = true;
    } else if (type === 'DecoratorBlock' || type === 'Decorator') {
      facts.decorators = true;
      if (type === 'DecoratorBlock' && n.path?.original === 'inline' && n.params?.[0]?.value !== undefined) facts.inline.add(String(n.params[0].value));
    } else if (type === 'PathExpression' && (n.data || (n.depth ?? 0) > 0)) {
      facts.readsOutside = true;
    }
    for (const key in n) if (key !== 'loc') walk((n as Record<string, unknown>)[key]);
  };
  walk(ast);
  return facts;
}

/** A layout or partial with its facts (null: it did not parse). */
export interface FactSource {
  kind: 'layout' | 'partial';
  name: string;
  text: string;
  facts: TemplateFacts | null;
}

/**
 * The partials whose output depends on nothing but their context object, so a page renders each
 * once per object (see `sharedOutput` in templates.ts): those that read no `@data` or parent
 * context, take no partial block, and call only partials that are pure too, by name. None when the
 * theme has a decorator (an inline partial can stand in for a name on one page).
 */
export function purePartials(sources: Omit<FactSource, 'text'>[]): Set<string> {
  if (sources.some((s) => s.facts?.decorators)) return new Set();
  const facts = new Map(sources.flatMap((s) => (s.kind === 'partial' && s.facts ? [[s.name, s.facts] as const] : [])));
  const verdicts = new Map<string, boolean | 'deciding'>();
  const isPure = (name: string): boolean => {
    const known = verdicts.get(name);
    if (known !== undefined) return known === true; // 'deciding': it calls itself, so it is not shared
    const f = facts.get(name);
    verdicts.set(name, 'deciding');
    const verdict = !!f && !f.readsOutside && !f.partialBlock && !f.dynamicPartial && f.partials.every((p) => isPure(p.name));
    verdicts.set(name, verdict);
    return verdict;
  };
  return new Set([...facts.keys()].filter(isPure));
}

/**
 * A digest per layout of everything its pages are rendered from: `base` and the layout, the
 * partials either calls (and those call, and so on), the names of every layout and partial, the
 * icons and the assets' hashes. Only the other layouts' text is left out, so a changed post layout
 * leaves the home page, listings and term pages as they were (kept by the page cache, or by dev's
 * render cache) and a changed term layout the posts' pages. A theme with a partial chosen per page
 * (`{{> (lookup . "name")}}`), a decorator or a template that did not parse gives every layout the
 * whole theme's `id`.
 */
export function layoutIds(theme: { id: string; icons: Map<string, string>; assetHashes: Record<string, string> }, sources: FactSource[]): Map<string, string> {
  const ids = new Map<string, string>();
  const layouts = sources.filter((s) => s.kind === 'layout');
  if (sources.some((s) => !s.facts || s.facts.dynamicPartial || s.facts.decorators)) {
    for (const l of layouts) ids.set(l.name, theme.id);
    return ids;
  }
  const partials = new Map(sources.filter((s) => s.kind === 'partial').map((s) => [s.name, s]));
  const shared = createHash('sha256').update(sources.map((s) => `${s.kind}:${s.name}`).join('\0')).update('\0').update([...theme.icons].join('\0')).update(JSON.stringify(theme.assetHashes)).digest('hex');
  const base = layouts.find((l) => l.name === 'base');
  for (const layout of layouts) {
    const reached = new Set<FactSource>();
    const visit = (s: FactSource | undefined): void => {
      if (!s || reached.has(s)) return;
      reached.add(s);
      for (const p of s.facts!.partials) visit(partials.get(p.name));
    };
    visit(base);
    visit(layout);
    const texts = [...reached].map((s) => `${s.kind}:${s.name}\0${s.text}`).sort(compareText);
    ids.set(layout.name, createHash('sha256').update(shared).update('\0').update(texts.join('\0')).digest('hex'));
  }
  return ids;
}
