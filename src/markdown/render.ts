/**
 * Over 250 lines: the remark pipeline and the plugin passes it runs, in the order they run.
 *
 * Markdown stage: remark + remark-gfm + remark-html, with our own mdast plugin for the things a
 * blog needs (drop the repeated title, one h1 per page, heading ids with anchors, a table of
 * contents, safe links). One processor per build context; no global state.
 */
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import remarkHtml from 'remark-html';
import { defaultSchema, type Schema } from 'hast-util-sanitize';
import GithubSlugger from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import type * as Lowlight from 'lowlight';
import type { Element } from 'hast';
import type { Code, Heading, Nodes, Parent, Root, RootContent } from 'mdast';
import type { Config } from '../config.ts';
import { error, warning, type Diagnostic, type Result } from '../diagnostics.ts';
import type { Post, RenderedContent, TocEntry } from '../model.ts';
import { decodeEntities } from '../text/entities.ts';
import { localLinkPlaceholder } from '../text/local-links.ts';
import { escapeAttr } from '../text/html.ts';
import { MATHML_ELEMENTS, mathSyntax, renderMath, type MathProblem } from './math.ts';
import { cutsOf, parseInParts } from './chunks.ts';
import { loadBundled, loadOnFirstUse, packageModules } from '../lazy.ts';
import { oneByte } from '../text/one-byte.ts';

/**
 * What MathML elements may carry: Temml's presentation attributes, its classes, and inline style
 * limited to a list of layout properties with plain values. No `href`, `id`, event handler or
 * `xlink:` attribute, and no style value with `(` (so no `url()`), quotes, `\`, `/` or `:` in it.
 */
const MATHML_ATTRIBUTES: NonNullable<Schema['attributes']>[string] = [
  ['display', 'block', 'inline'],
  ['className', /^(?:tml|wbk|chr|ff)-[a-z0-9-]+$/, /^(?:mathscr|mathcal|menclose|upstrike|downstrike|sout|actuarial|circle-pad|longdiv-top|phasor-bottom|special-fraction)$/],
  ['style', /^(?:\s*(?:color|background-color|border(?:-(?:top|right|bottom|left))?|padding(?:-(?:top|right|bottom|left))?|margin-left|width|height|display|text-align|font-(?:weight|style|family)|math-depth|math-style|white-space|justify-content)\s*:[\w\s.#%-]+(?:;|$))+$/],
  ...['mathvariant', 'mathsize', 'displaystyle', 'scriptlevel', 'fence', 'form', 'stretchy', 'separator', 'lspace', 'rspace', 'largeop', 'movablelimits', 'symmetric', 'minsize', 'maxsize', 'accent', 'accentunder', 'width', 'height', 'depth', 'voffset', 'linethickness', 'columnalign', 'rowalign', 'rowspacing', 'columnspacing', 'notation', 'linebreak'].map((name): [string, RegExp] => [name, /^[\w\s.%-]*$/]),
  ['mathcolor', /^#?\w+$/],
  ['mathbackground', /^#?\w+$/],
];

/** The sanitiser's defaults, plus plain heading ids (no `user-content-` prefix), our anchor class, and MathML. */
const SCHEMA: Schema = {
  ...defaultSchema,
  clobberPrefix: '',
  tagNames: [...(defaultSchema.tagNames ?? []), ...MATHML_ELEMENTS],
  attributes: {
    ...defaultSchema.attributes,
    a: [
      ...(defaultSchema.attributes?.a ?? []).filter((attr) => !(Array.isArray(attr) && attr[0] === 'className')),
      ['className', 'data-footnote-backref', 'heading-anchor'],
    ],
    span: [...(defaultSchema.attributes?.span ?? []), ['className', /^hljs-[\w-]+$/, 'math-display', 'tml-eqn']],
    div: [...(defaultSchema.attributes?.div ?? []), ['className', 'math-display']],
    ...Object.fromEntries(MATHML_ELEMENTS.map((name) => [name, MATHML_ATTRIBUTES])),
  },
};

/**
 * highlight.js's common grammars (about 37: js, ts, python, go, rust, bash, css, html, sql, yaml...),
 * loaded and registered when the first block in a language is highlighted. lowlight's entry point
 * also loads all 190 grammars (~120 ms); its two modules we use are loaded alone (~50 ms).
 */
let grammars: ReturnType<typeof Lowlight.createLowlight> | undefined;
const lowlight = () => (grammars ??= highlighterOf(lowlightModules()));

/** The highlighter from lowlight's own modules; from its entry point when they are not where lowlight 3 has them. */
export function highlighterOf(own: Pick<typeof Lowlight, 'createLowlight' | 'common'> | null): ReturnType<typeof Lowlight.createLowlight> {
  if (own) return own.createLowlight(own.common);
  const lib = loadOnFirstUse<typeof Lowlight>('lowlight')();
  return lib.createLowlight(lib.common);
}

/**
 * lowlight's `createLowlight` and `common`: from their one-file bundle beside the bundled code
 * (scripts/dist.js), else from their own modules (lowlight 3's layout), or null.
 */
export function lowlightModules(): Pick<typeof Lowlight, 'createLowlight' | 'common'> | null {
  const bundle = loadBundled('lowlight');
  const [index, common] = bundle ? [bundle, { grammars: bundle.common }] : (packageModules('lowlight', ['lib/index.js', 'lib/common.js']) ?? []);
  if (typeof index?.createLowlight !== 'function' || typeof common?.grammars !== 'object' || !common.grammars) return null;
  return { createLowlight: index.createLowlight as typeof Lowlight.createLowlight, common: common.grammars as typeof Lowlight.common };
}

export type MarkdownRenderer = (post: Post) => Result<RenderedContent | null>;

interface FileData {
  toc: TocEntry[];
  text: string;
  firstParagraph: string;
  excerpt: string | null;
  links: [string, number][];
  localLinks: [string, string][];
  /** Line (in the body) of the first node flattened by capNesting, or null. */
  tooDeep: number | null;
  /** Formulas whose TeX did not parse (absent when math is off for the post). */
  math?: MathProblem[];
}

/** Creates the renderer for one build: frozen remark processors configured from `config`. */
export function createMarkdownRenderer(config: Config, options: { skipUntriggered?: boolean; parseInParts?: boolean } = {}): MarkdownRenderer {
  const html = config.markdown.allowHtml ? { sanitize: false } : { sanitize: SCHEMA };
  const mathCache = {}; // Temml, once loaded
  // One frozen processor per combination, made when first needed:
  // - without the GFM constructs a text has no trigger for (see UNTRIGGERED): at most 2^5 sets,
  //   in practice two or three per build;
  // - with math syntax only for posts that have a `$` (every math construct starts with one) and
  //   math on (the site's `math`, or the post's own `math:`).
  const processors = new Map<string, ReturnType<typeof pipeline>>();
  const pipeline = (skip: number, math: boolean) => {
    const names = new Set(UNTRIGGERED.flatMap((u, i) => (skip & (1 << i) ? u.names : [])));
    return remark()
      .use([capNesting, remarkGfm, ...(math ? [mathSyntax] : options.parseInParts === false ? [] : [partParsing])])
      .use(withoutConstructs, names)
      .use(options.skipUntriggered === false ? [] : [literalLinksWhenTriggered])
      .use(blogTransforms, { allowHtml: config.markdown.allowHtml, math: math ? mathCache : null })
      .use(remarkHtml, html)
      .freeze();
  };
  const processorFor = (skip: number, math: boolean) => {
    const key = `${skip} ${math}`;
    let p = processors.get(key);
    if (!p) processors.set(key, (p = pipeline(skip, math)));
    return p;
  };

  return (post) => {
    try {
      const skip = options.skipUntriggered === false ? 0 : untriggered(post.body);
      const math = (post.math ?? config.math) && post.body.includes('$');
      const file = processorFor(skip, math).processSync({ value: post.body, data: { title: post.title, bodyLine: post.bodyLine, relPath: post.relPath } });
      const data = file.data as unknown as FileData;
      const html = oneByte(String(file.value)); // half the memory, and half the bytes from a worker
      const diagnostics: Diagnostic[] = [];
      if (data.tooDeep !== null) {
        diagnostics.push(
          warning('markdown/too-deep', `lists, block quotes or emphasis are nested more than ${MAX_DEPTH} levels deep; deeper levels are flattened into the last one`, {
            file: post.file,
            line: post.bodyLine + data.tooDeep - 1,
            column: 1,
            hint: 'no reader can follow this much nesting: split it into separate lists or quotes',
          }),
        );
      }
      for (const problem of data.math ?? []) {
        diagnostics.push(
          warning('markdown/invalid-math', `TeX that does not parse: ${problem.message}; the formula is shown as its source`, {
            file: post.file,
            line: post.bodyLine + problem.line - 1,
            column: problem.column,
            hint: 'fix the formula, or write \\$ for a dollar sign that is not math (math: false in the front matter turns math off for the post)',
          }),
        );
      }
      return {
        value: { html, toc: data.toc, text: data.text, wordCount: countWords(data.text), firstParagraph: data.firstParagraph, excerpt: data.excerpt, links: data.links, localLinks: data.localLinks, hasImages: html.includes('<img') },
        diagnostics,
      };
    } catch (e) {
      const err = e as Error & { line?: number; column?: number };
      return {
        value: null,
        diagnostics: [
          error('markdown/failed', `markdown could not be rendered: ${err.message}`, {
            file: post.file,
            line: post.bodyLine + (err.line ?? 1) - 1,
            column: err.column ?? 1,
          }),
        ],
      };
    }
  };
}

/**
 * GFM constructs that a text without their trigger can never produce, with that trigger. micromark
 * tries them at characters every text is full of (a table at the start of every block, footnotes
 * and task-list checks at every `[` and `]`, email autolinks at every letter that starts a word),
 * and each attempt fails; a text without the trigger gets the same output without them (tested on
 * every sample, the Jekyll corpus, and generated and link-dense posts). Link-dense posts, full of
 * brackets, gain the most.
 */
const UNTRIGGERED: { names: string[]; present: (text: string) => boolean }[] = [
  { names: ['emailAutolink'], present: (t) => t.includes('@') },
  { names: ['wwwAutolink'], present: (t) => /www\./i.test(t) },
  { names: ['protocolAutolink'], present: (t) => /https?:\/\//i.test(t) },
  { names: ['table'], present: (t) => t.includes('|') },
  // A footnote call and definition start `[^`; a task-list check is `[ ]`, `[x]` or `[X]` with any white space.
  { names: ['gfmFootnoteDefinition', 'gfmFootnoteCall', 'gfmPotentialFootnoteCall', 'tasklistCheck'], present: (t) => t.includes('[^') || /\[[\sxX]\]/.test(t) },
];

/** Bit i set: `text` lacks the trigger of UNTRIGGERED[i]. */
function untriggered(text: string): number {
  let skip = 0;
  for (let i = 0; i < UNTRIGGERED.length; i++) if (!UNTRIGGERED[i]!.present(text)) skip |= 1 << i;
  return skip;
}

/** Drops the named micromark constructs from the parser (registered after remark-gfm). */
function withoutConstructs(this: { data(): unknown }, names: ReadonlySet<string>) {
  if (!names.size) return;
  type Construct = { name?: string };
  type Record_ = Record<string, Construct | Construct[]>;
  const data = this.data() as { micromarkExtensions?: Record<string, unknown>[] };
  if (!data.micromarkExtensions) throw new Error('withoutConstructs must come after remark-gfm');
  const filter = (record: Record_): Record_ => {
    const out: Record_ = {};
    for (const [code, value] of Object.entries(record)) {
      const kept = (Array.isArray(value) ? value : [value]).filter((c) => !c.name || !names.has(c.name));
      if (kept.length) out[code] = kept;
    }
    return out;
  };
  data.micromarkExtensions = data.micromarkExtensions.map((ext) => {
    const next: Record<string, unknown> = { ...ext };
    for (const kind of ['document', 'flow', 'text'] as const) if (ext[kind]) next[kind] = filter(ext[kind] as Record_);
    return next;
  });
}

/**
 * Long posts are parsed in parts where nothing reaches across (see chunks.ts); posts with math are
 * parsed whole. A part whose nesting was capped passes its first too-deep line on to the whole.
 */
function partParsing(this: { parser?: (doc: string, file: never) => unknown }) {
  const whole = this.parser! as (doc: string, file: never) => Root;
  this.parser = (doc: string, file: never): Root => {
    const cuts = cutsOf(doc);
    if (!cuts.length) return whole(doc, file);
    let first: number | undefined;
    const root = parseInParts(doc, cuts, (text) => whole(text, file), (part, lines) => {
      const line = TOO_DEEP.get(part);
      if (line !== undefined && first === undefined) first = line + lines;
    });
    if (first !== undefined) TOO_DEEP.set(root, first);
    return root;
  };
}

/**
 * GFM's literal-autolink transform (mdast-util-gfm-autolink-literal) runs four regular expressions
 * over every text node, and each needs `@`, `http://`, `https://` or `www.` (any case) to match.
 * It runs only on trees with a text node holding one: release notes keep their thousands of URLs in
 * link destinations, not in text, and the transform cost them ~5 % of the build.
 */
function literalLinksWhenTriggered(this: { data(): unknown }) {
  type Transform = (tree: Root) => Root | undefined | void;
  const data = this.data() as { fromMarkdownExtensions?: unknown[] };
  const wrap = (ext: unknown): unknown => {
    if (Array.isArray(ext)) return ext.map(wrap);
    const transforms = (ext as { transforms?: Transform[] }).transforms;
    if (!transforms) return ext;
    return { ...(ext as object), transforms: transforms.map((t) => (t.name === LITERAL_LINKS ? (tree: Root) => (hasLiteralLinkTrigger(tree) ? t(tree) : undefined) : t)) };
  };
  data.fromMarkdownExtensions = data.fromMarkdownExtensions?.map(wrap);
}

/** The name of mdast-util-gfm-autolink-literal's transform (a test checks it is still there). */
export const LITERAL_LINKS = 'transformGfmAutolinkLiterals';
const LITERAL_LINK_TRIGGER = /@|https?:\/\/|www\./i;

function hasLiteralLinkTrigger(tree: Root): boolean {
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'text' && LITERAL_LINK_TRIGGER.test(node.value)) return true;
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
  return false;
}

/** Deepest level of the tree (the root is level 0) kept as written; see capNesting. */
const MAX_DEPTH = 100;
const CONTAINERS = new Set(['blockquote', 'list', 'listItem', 'footnoteDefinition']);
const TOO_DEEP = new WeakMap<Root, number>();

/**
 * Caps nesting before anything walks the tree: GFM's transforms, mdast-to-hast, the sanitiser and
 * the serialiser all recurse once per level, and a 5,000-deep list or block quote overflows the
 * stack (issue 6). Below level MAX_DEPTH, containers keep only the blocks they hold (a list keeps
 * one item holding them) and other nodes keep only their text, so every word stays on the page.
 * Registered before remark-gfm so that its transform runs first; the tree is walked without recursion.
 */
function capNesting(this: { data(): unknown }) {
  const data = this.data() as { fromMarkdownExtensions?: unknown[] };
  (data.fromMarkdownExtensions ??= []).push({ transforms: [capDepth] });
}

function capDepth(tree: Root): void {
  let first: number | null = null;
  const stack: [Parent, number][] = [[tree, 0]];
  while (stack.length) {
    const entry = stack.pop()!;
    let node = entry[0];
    const depth = entry[1];
    let childDepth = depth + 1;
    if (depth >= MAX_DEPTH && node.type !== 'table' && node.type !== 'tableRow') {
      const container = CONTAINERS.has(node.type);
      // What is too deep below this node: a container (in a list: inside an item), or any inline parent.
      const list = node.type === 'list';
      const nested = node.children.find((c) => 'children' in c && (!container || (CONTAINERS.has(c.type) && (!list || c.children.some((g) => CONTAINERS.has(g.type))))));
      if (nested) {
        const line = nested.position?.start.line ?? node.position?.start.line ?? 1;
        if (first === null || line < first) first = line;
        const kept = descendants(node, container ? (n) => CONTAINERS.has(n.type) : (n) => 'children' in n);
        if (list) {
          node.children = [{ type: 'listItem', spread: false, children: kept } as RootContent];
          childDepth++;
          node = node.children[0] as Parent;
        } else {
          node.children = kept;
        }
      }
    }
    for (const child of node.children) if ('children' in child) stack.push([child, childDepth]);
  }
  if (first !== null) TOO_DEEP.set(tree, first);
}

/** The descendants of `node` in document order, passing through (and dropping) those `through` accepts. */
function descendants(node: Parent, through: (n: Nodes) => boolean): RootContent[] {
  const out: RootContent[] = [];
  const stack: RootContent[] = [...node.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (through(n) && 'children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as RootContent);
    else out.push(n);
  }
  return out;
}

/**
 * The mdast plugin: all blog-specific rewriting of the tree. One walk (walkTree) makes the links
 * safe and local and gathers what the passes after it need, in document order; those passes then
 * work on what it found (the headings, the code blocks) instead of walking the tree again.
 */
function blogTransforms(options: { allowHtml: boolean; math: Parameters<typeof renderMath>[2] | null }) {
  return (tree: Root, file: { value: unknown; data: Record<string, unknown> }) => {
    file.data.tooDeep = TOO_DEEP.get(tree) ?? null;
    dropRepeatedTitle(tree, String(file.data.title ?? ''));
    file.data.firstParagraph = firstRealParagraph(tree);
    const found = walkTree(tree, { allowHtml: options.allowHtml, relPath: String(file.data.relPath ?? ''), bodyLine: Number(file.data.bodyLine ?? 1) });
    file.data.text = found.blocks.join('\n');
    file.data.excerpt = found.blocksBeforeMore === null ? null : found.blocks.slice(0, found.blocksBeforeMore).join('\n').replace(/\s+/g, ' ').trim();
    file.data.links = [...found.links];
    file.data.localLinks = [...found.localLinks];
    demoteIfNeeded(found.headings);
    file.data.toc = addHeadingIds(found.headings);
    highlightCode(found.code);
    if (options.math) file.data.math = renderMath(tree, String(file.value), options.math);
  };
}

/** What walkTree needs to know about the post. */
interface WalkContext {
  /** Raw HTML is kept (`markdown.allowHtml`): its URLs are made safe and local too. */
  allowHtml: boolean;
  /** The post's path in the content folder, that relative links are resolved against. */
  relPath: string;
  /** The file line the body starts on. */
  bodyLine: number;
}

/** What walkTree finds, each list in document order. */
interface Found {
  /** The plain text of each block (see TEXT_BLOCKS), without raw HTML: the post's text, joined by line breaks. */
  blocks: string[];
  /** How many of `blocks` come before a top-level `<!--more-->` (the excerpt), or null without one. */
  blocksBeforeMore: number | null;
  /** Where each link URL is first used, as a line of the file (after script URLs became `#`, before local links became placeholders). */
  links: Map<string, number>;
  /** Each local link's placeholder and its URL as written (see markLocal). */
  localLinks: Map<string, string>;
  headings: Heading[];
  code: Code[];
}

/**
 * Blocks whose text is one piece of the plain text, with a line break between pieces (so
 * `word\n\nword` stays two words). What is inside one is part of its text, never a piece itself.
 */
const TEXT_BLOCKS = new Set(['paragraph', 'heading', 'code', 'tableCell']);

/**
 * The one walk of the tree, in document order and without recursion (an explicit stack; see
 * capNesting for why nothing here recurses): visitNode on each node, then, for a block of
 * TEXT_BLOCKS not inside another, its plain text. Top-level nodes are taken one at a time so that
 * the walk knows which blocks come before a top-level `<!--more-->`. What needs the whole tree
 * first (heading levels: demoteIfNeeded) is done on what the walk found, after it.
 */
function walkTree(tree: Root, context: WalkContext): Found {
  const found: Found = { blocks: [], blocksBeforeMore: null, links: new Map(), localLinks: new Map(), headings: [], code: [] };
  const more = tree.children.findIndex(isMoreMarker);
  // A stack of nodes to visit, and beside it whether each is inside a text block.
  const nodes: Nodes[] = [];
  const inText: boolean[] = [];
  for (let i = 0; i < tree.children.length; i++) {
    if (i === more) found.blocksBeforeMore = found.blocks.length;
    nodes.push(tree.children[i]!);
    inText.push(false);
    while (nodes.length) {
      const node = nodes.pop()!;
      let within = inText.pop()!;
      visitNode(node, found, context);
      if (!within && TEXT_BLOCKS.has(node.type)) {
        found.blocks.push(toString(node, { includeHtml: false }));
        within = true;
      }
      if ('children' in node) {
        for (let c = node.children.length - 1; c >= 0; c--) {
          nodes.push(node.children[c]!);
          inText.push(within);
        }
      }
    }
  }
  return found;
}

/**
 * A top-level `<!--more-->` line: what comes before it is the excerpt. Checked before the walk
 * rewrites raw HTML, which cannot make or unmake one (it only rewrites tags, and the marker has none).
 */
function isMoreMarker(node: RootContent): boolean {
  return node.type === 'html' && /^<!--\s*more\s*-->$/i.test(node.value.trim());
}

/**
 * One node on the walk. A link, image or definition: a script URL becomes inert, then the URL's
 * first line is noted (so the link checker reports `#`, not the script, and the URL as written,
 * not its placeholder), then a local URL becomes a placeholder. Raw HTML you allowed: the URL
 * attributes are made inert, then local, the same way (their lines are not noted). Headings and
 * code blocks are kept for the passes after the walk.
 */
function visitNode(node: Nodes, found: Found, context: WalkContext): void {
  switch (node.type) {
    case 'link':
    case 'image':
    case 'definition': {
      if (isScriptUrl(node.url)) node.url = '#';
      if (node.position && !found.links.has(node.url)) found.links.set(node.url, context.bodyLine + node.position.start.line - 1);
      const placeholder = markLocal(node.url, context.relPath, found.localLinks);
      if (placeholder !== null) node.url = placeholder;
      break;
    }
    case 'html':
      // Raw HTML is dropped by the sanitiser unless `markdown.allowHtml` is on; then its URLs are checked too.
      if (context.allowHtml) {
        const safe = neutraliseRawHtmlUrls(node.value);
        node.value = rewriteRawUrls(safe, LINK_ATTRS, (written) => markLocal(written, context.relPath, found.localLinks));
      }
      break;
    case 'heading':
      found.headings.push(node);
      break;
    case 'code':
      found.code.push(node);
      break;
  }
}

/**
 * Links written as files (`./photo.jpg`, `../other-post.md`, `../trip/`) and root-relative ones
 * (`/images/x.png`) cannot be resolved here: their URLs depend on every post's slug and on the
 * base path. They become placeholders (`LOCAL_LINK`) that the site stage replaces; the pairs
 * (placeholder, URL as written) are kept in `pairs` for that and for the link checker's line
 * numbers. Returns the placeholder for `url`, or null for a URL that needs none.
 */
function markLocal(url: string, relPath: string, pairs: Map<string, string>): string | null {
  const placeholder = localLinkPlaceholder(url, relPath);
  if (placeholder !== null) pairs.set(placeholder, url);
  return placeholder;
}

/**
 * Syntax highlighting at build time: a fenced block in a known language gets highlight.js token
 * spans (styled by the theme, no client JavaScript); an unknown language stays plain code.
 */
function highlightCode(blocks: readonly Code[]): void {
  for (const node of blocks) {
    const lang = node.lang?.toLowerCase();
    if (!lang || !lowlight().registered(lang)) continue;
    let result;
    try {
      result = lowlight().highlight(lang, node.value);
    } catch {
      continue; // a grammar that fails on odd input: plain code is fine
    }
    // `hChildren` becomes the children of the `<code>` element remark-html makes (class kept).
    const children: Element['children'] = [...(result.children as Element['children']), { type: 'text', value: '\n' }];
    node.data = { ...node.data, hChildren: children };
  }
}

/**
 * The text of the first top-level paragraph that has words of its own: a paragraph holding only an
 * image (a post that opens with a photo) would give its alt text as the summary and description.
 */
function firstRealParagraph(tree: Root): string {
  for (const n of tree.children) {
    if (n.type !== 'paragraph') continue;
    if (!toString(n, { includeHtml: false, includeImageAlt: false }).trim()) continue;
    return toString(n, { includeHtml: false }).replace(/\s+/g, ' ').trim();
  }
  return '';
}

/** Drops a leading `# Title` that repeats the post's title, so the page has one h1. */
function dropRepeatedTitle(tree: Root, title: string): void {
  const first = tree.children[0];
  if (first?.type === 'heading' && first.depth === 1 && sameText(toString(first), title)) tree.children.shift();
}

/** When h1s remain in the body, every heading moves down a level: the page title is the only h1. */
function demoteIfNeeded(headings: readonly Heading[]): void {
  if (!headings.some((h) => h.depth === 1)) return;
  for (const h of headings) h.depth = Math.min(6, h.depth + 1) as Heading['depth'];
}

const RAW_TAG = /<[a-zA-Z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>/g;
const RAW_ATTR = /([^\s"'<>/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)/g;
/** Attributes whose value a browser follows or loads as a URL. */
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data', 'cite', 'lowsrc', 'dynsrc', 'ping', 'srcset']);

/**
 * `javascript:` (and `vbscript:`, `data:` other than images) in the URL attributes of raw HTML
 * becomes `#`. Character references are decoded first, and a scheme spelled with one we do not
 * know (`javascript&colon;`) counts as a script URL too.
 */
export function neutraliseRawHtmlUrls(html: string): string {
  if (!/[:&]/.test(html)) return html;
  return rewriteRawUrls(html, URL_ATTRS, (value) => {
    const scheme = value.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
    const dangerous = isScriptUrl(value) || /^(javascript|vbscript|data)&/.test(scheme) || value.split(',').some((part) => isScriptUrl(part.trim()));
    return dangerous ? '#' : null;
  });
}

/** Attributes of raw HTML that are links written as files (see markLocal). */
const LINK_ATTRS = new Set(['src', 'href']);

/**
 * Rewrites URL attributes (`names`, any case) in raw HTML: `fn` gets each value with character
 * references decoded and returns its replacement, or null to keep the attribute as written.
 */
function rewriteRawUrls(html: string, names: ReadonlySet<string>, fn: (value: string) => string | null): string {
  return html.replace(RAW_TAG, (tag) =>
    tag.replace(RAW_ATTR, (whole, name: string, eq: string, raw: string) => {
      if (!names.has(name.toLowerCase())) return whole;
      const next = fn(decodeEntities(raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw));
      return next === null ? whole : `${name}${eq}"${escapeAttr(next)}"`;
    }),
  );
}

export function isScriptUrl(url: string): boolean {
  // Browsers ignore whitespace and control characters inside the scheme.
  const scheme = url.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
  return /^(javascript|vbscript|data):/.test(scheme) && !/^data:image\/(png|gif|jpe?g|webp);/.test(scheme);
}

/** Ids the theme's pages and footnotes use: a heading never takes one (`## Main` gets `main-1`). */
const RESERVED_IDS = ['main', 'top', 'related-title', 'search-form', 'search-input', 'search-results', 'search-status', 'footnote-label'];
const FOOTNOTE_ID = /^(user-content-)?fn(ref)?-\d+(-\d+)?$/;

/**
 * Gives each heading (in document order: the slugger numbers repeats in turn) a stable id
 * (GitHub's algorithm) and an anchor link; returns the outline.
 */
function addHeadingIds(headings: readonly Heading[]): TocEntry[] {
  const slugger = new GithubSlugger();
  for (const id of RESERVED_IDS) slugger.slug(id);
  const toc: TocEntry[] = [];
  for (const h of headings) {
    // Raw HTML in a heading is not its text (dropped, or markup): not in its id, TOC entry or anchor label.
    const text = toString(h, { includeHtml: false }).replace(/\s+/g, ' ').trim();
    let id = slugger.slug(text) || slugger.slug('section');
    if (FOOTNOTE_ID.test(id)) id = slugger.slug(`section ${text}`); // `## fn 1` is not a footnote's id
    h.data = { ...h.data, hProperties: { ...(h.data?.hProperties ?? {}), id } };
    const anchor: RootContent = {
      type: 'link',
      url: `#${id}`,
      children: [{ type: 'text', value: '#' }],
      data: { hProperties: { className: ['heading-anchor'], ariaLabel: `Link to section: ${text}` } },
    };
    h.children.push({ type: 'text', value: ' ' }, anchor as Heading['children'][number]);
    toc.push({ depth: h.depth, text, id });
  }
  return toc;
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}

/** Words in plain text: runs of letters or digits, with inner apostrophes and hyphens. */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
