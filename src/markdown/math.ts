/**
 * TeX math at build time: `$…$` and `$$…$$` become MathML (Temml), with no client JavaScript.
 *
 * Syntax: remark-math's parts (micromark-extension-math's `$$` block and `$$…$$` inline
 * constructs, mdast-util-math's tree) plus our own single-dollar construct with Pandoc's rule, so
 * that prices stay prose: the opening `$` has a non-space character right after it, the closing
 * `$` a non-space character right before it and no digit right after it. "It costs $5 and $10"
 * has no math (remark-math alone would render "5 and " as math); `\$` is always a dollar sign.
 *
 * `$…$` is inline math; `$$…$$` is display math, on lines of its own or inside a paragraph (as in
 * Pandoc and LaTeX). TeX that does not parse stays as written, as code, with a warning.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { mathFromMarkdown as MathFromMarkdown } from 'mdast-util-math';
import type { ElementContent, Element, Properties } from 'hast';
import type { InlineMath, Math } from 'mdast-util-math';
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';

const require = createRequire(import.meta.url);

/**
 * The syntax modules, loaded (~40 ms) when the first post with math is parsed: most builds have
 * none, and a build that parses one changed post should not pay for them.
 * micromark-extension-math's entry module also exports its HTML compiler, which loads KaTeX
 * (~100 ms, never used here): its two syntax modules are loaded by path instead. The package's
 * `exports` lists only its entry, so the path is resolved next to it.
 */
let syntaxModules: { mathFlow: Construct; mathText: (options: { singleDollarTextMath: boolean }) => Construct; mathFromMarkdown: typeof MathFromMarkdown } | undefined;
function mathModules(): NonNullable<typeof syntaxModules> {
  const lib = (file: string) => fileURLToPath(new URL(`./lib/${file}`, import.meta.resolve('micromark-extension-math')));
  return (syntaxModules ??= {
    mathFlow: (require(lib('math-flow.js')) as { mathFlow: Construct }).mathFlow,
    mathText: (require(lib('math-text.js')) as { mathText: (options: { singleDollarTextMath: boolean }) => Construct }).mathText,
    mathFromMarkdown: (require('mdast-util-math') as { mathFromMarkdown: typeof MathFromMarkdown }).mathFromMarkdown,
  });
}

/** The parts of micromark's tokenizer API used here (its types package is not a dependency). */
type Code = number | null;
type State = (code: Code) => State | undefined;
interface Token {
  type: string;
}
interface Effects {
  enter(type: string): Token;
  exit(type: string): Token;
  consume(code: Code): void;
}
interface TokenizeContext {
  events: [string, Token, unknown][];
}
interface Construct {
  name?: string;
  tokenize: (this: TokenizeContext, effects: Effects, ok: State, nok: State) => State;
  previous?: (this: TokenizeContext, code: Code) => boolean;
}

const DOLLAR = 36;
const BACKSLASH = 92;
/** Spaces, tabs and line endings: micromark gives tabs, virtual spaces and line endings negative codes. */
const isSpace = (code: Code) => code === null || code < 0 || code === 32;
const isLineEnding = (code: Code) => code === -5 || code === -4 || code === -3;
const isDigit = (code: Code) => code !== null && code >= 48 && code <= 57;

/**
 * `$…$` with Pandoc's rule (see the module comment). It makes the same tokens as
 * micromark-extension-math's `mathText`, so mdast-util-math builds the same `inlineMath` node.
 */
const dollarMath: Construct = {
  name: 'dollarMath',
  tokenize(effects, ok, nok) {
    let last: Code = DOLLAR; // the last character taken into the formula
    let close: Token;
    const start: State = (code) => {
      effects.enter('mathText');
      effects.enter('mathTextSequence');
      effects.consume(code);
      effects.exit('mathTextSequence');
      return open;
    };
    // A space, the end, or a second `$` (the `$$` form, another construct) right after: not math.
    const open: State = (code) => (isSpace(code) || code === DOLLAR ? nok(code) : between(code));
    const between: State = (code) => {
      if (code === null) return nok(code); // never closed: the dollar is text
      if (isLineEnding(code)) {
        effects.enter('lineEnding');
        effects.consume(code);
        effects.exit('lineEnding');
        last = 32;
        return between;
      }
      if (code === DOLLAR && !isSpace(last)) {
        close = effects.enter('mathTextSequence');
        effects.consume(code);
        return closing;
      }
      effects.enter('mathTextData');
      return data(code);
    };
    const data: State = (code) => {
      if (code === null || isLineEnding(code) || (code === DOLLAR && !isSpace(last))) {
        effects.exit('mathTextData');
        return between(code);
      }
      effects.consume(code);
      last = code;
      return code === BACKSLASH ? escaped : data;
    };
    // `\$` (and `\` before anything) is one TeX token: that dollar never closes the formula.
    const escaped: State = (code) => {
      if (code === null || isLineEnding(code)) return data(code);
      effects.consume(code);
      last = code === BACKSLASH ? 0 : code; // `\\` is a line break in TeX, not an escape of what follows
      return data;
    };
    // A digit right after the closing `$` ("$5 to US$10"): it was not the end.
    const closing: State = (code) => {
      if (isDigit(code)) {
        close.type = 'mathTextData';
        last = DOLLAR;
        return data(code);
      }
      effects.exit('mathTextSequence');
      effects.exit('mathText');
      return ok(code);
    };
    return start;
  },
  // Not the second `$` of `$$` (an escaped `\$` before it is fine).
  previous(code) {
    return code !== DOLLAR || this.events[this.events.length - 1]?.[1].type === 'characterEscape';
  },
};

/** The unified plugin: math syntax for the parser (`$$` blocks, `$$…$$` and `$…$` inline). */
export function mathSyntax(this: { data(): unknown }) {
  const data = this.data() as { micromarkExtensions?: unknown[]; fromMarkdownExtensions?: unknown[] };
  const { mathFlow, mathText, mathFromMarkdown } = mathModules();
  (data.micromarkExtensions ??= []).push({ flow: { [DOLLAR]: mathFlow }, text: { [DOLLAR]: [dollarMath, mathText({ singleDollarTextMath: false })] } });
  (data.fromMarkdownExtensions ??= []).push(mathFromMarkdown());
}

/** TeX that did not parse: where in the body (1-based line and column) and what Temml said. */
export interface MathProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * What Temml's MathML tree nodes look like (its `__renderToMathMLTree`; pinned version, tested):
 * MathNode (`type`, `attributes`...), TextNode (`text`), Span (an HTML span in `\text`: no `type`,
 * but `attributes`), DocumentFragment (only `children`).
 */
interface TemmlNode {
  type?: string;
  text?: string;
  attributes?: Record<string, unknown>;
  classes?: string[];
  style?: Record<string, unknown>;
  children?: TemmlNode[];
}
interface Temml {
  __renderToMathMLTree(tex: string, options: Record<string, unknown>): TemmlNode;
}

/** Temml, loaded on the first formula (a sync require of its CommonJS build; ~100 ms, so only for posts with math). */
function temml(cache: { temml?: Temml }): Temml {
  return (cache.temml ??= require('temml') as Temml);
}

/** The MathML elements Temml writes (MathML Core, plus `menclose`, which the theme styles): the sanitiser allows these. */
export const MATHML_ELEMENTS = [
  'math', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup', 'mfrac', 'msqrt', 'mroot',
  'munder', 'mover', 'munderover', 'mmultiscripts', 'mprescripts', 'none', 'mtable', 'mtr', 'mtd', 'mpadded',
  'mphantom', 'mstyle', 'menclose',
];

/**
 * Replaces every math node's output with MathML (through `data.hName`/`hChildren`, so it passes
 * the sanitiser like any element). Formulas that do not parse keep remark-math's output, their
 * TeX as code, and are returned with where they are.
 */
export function renderMath(tree: Root, source: string, cache: { temml?: Temml }): MathProblem[] {
  const problems: MathProblem[] = [];
  visit(tree, (node) => {
    if (node.type !== 'math' && node.type !== 'inlineMath') return;
    const math = node as Math | InlineMath;
    const start = math.position?.start.offset ?? 0;
    // `$$…$$` inside a paragraph is display math too.
    const display = math.type === 'math' || source.startsWith('$$', start);
    let root: TemmlNode;
    try {
      // `trust: false` (the default, stated): no \href, \htmlClass, \htmlStyle or \includegraphics.
      // Sizes the author writes (`\rule{1e5em}{1e5em}`) are capped at 50 em; macros expand at most
      // 1,000 times (Temml's default), so a formula cannot grow without bound.
      root = temml(cache).__renderToMathMLTree(math.value, { displayMode: display, throwOnError: true, trust: false, maxSize: [50, 50], maxExpand: 1000 });
    } catch (e) {
      // A ParseError says where; anything else is Temml failing on odd input (`\left(^` throws a
      // TypeError): either way the formula is shown as its source, never a failed post.
      const err = e as Error & { position?: number };
      const message = err.name === 'ParseError' ? err.message.split(/ at (?:end of input|position \d+)/)[0]!.trim() : `Temml could not render it (${err.name}: ${err.message})`;
      problems.push({ ...locate(source, math, err.name === 'ParseError' ? (err.position ?? 0) : 0), message });
      return;
    }
    const element = toElement(root);
    if (!element) return;
    // Wrapped, so that a formula wider than a phone scrolls inside its own box.
    const wrapper = math.type === 'math' ? 'div' : display ? 'span' : null;
    math.data = wrapper
      ? { hName: wrapper, hProperties: { className: ['math-display'] }, hChildren: [element] }
      : { hName: 'math', hProperties: element.properties, hChildren: element.children };
  });
  return problems;
}

/** Where offset `at` of a formula's TeX is in the body, when the TeX appears there as written; else where the formula starts. */
function locate(source: string, math: Math | InlineMath, at: number): { line: number; column: number } {
  const start = math.position?.start;
  const end = math.position?.end;
  if (!start || !end || start.offset === undefined || end.offset === undefined) return { line: start?.line ?? 1, column: start?.column ?? 1 };
  const inSource = source.slice(start.offset, end.offset).indexOf(math.value);
  if (inSource === -1) return { line: start.line, column: start.column };
  const before = source.slice(0, start.offset + inSource + Math.min(at, math.value.length));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}

/** Temml's tree as hast: elements with their attributes, classes and inline style; text; fragments flattened. */
function toElement(node: TemmlNode): Element | null {
  const [first] = toHast(node);
  return first?.type === 'element' ? first : null;
}

function toHast(node: TemmlNode): ElementContent[] {
  if (typeof node.text === 'string') return [{ type: 'text', value: node.text }];
  const children = (node.children ?? []).flatMap(toHast);
  const tagName = typeof node.type === 'string' ? node.type : node.attributes ? 'span' : null;
  if (!tagName) return children; // a fragment (or a link or image, which need `trust` anyway)
  const properties: Properties = {};
  // Not `id` (from `\label{top}`): the page's own ids (`top`, `main`) must stay unique.
  for (const [name, value] of Object.entries(node.attributes ?? {})) if (name !== 'id') properties[name] = String(value);
  const classes = (node.classes ?? []).filter(Boolean);
  if (classes.length) properties.className = classes;
  const style = Object.entries(node.style ?? {})
    .map(([name, value]) => `${name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}:${String(value)}`)
    .join(';');
  if (style) properties.style = style;
  return [{ type: 'element', tagName, properties, children }];
}
