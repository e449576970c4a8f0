/**
 * Unit tests for src/render/theme-facts.ts: one walk of a template's syntax tree gives the partials
 * it calls (with their positions), the inline partials it defines, and what makes its output depend
 * on more than its context object; purePartials and layoutIds are decided from those facts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Handlebars from 'handlebars';
import { purePartials, templateFacts } from '../../src/render/theme-facts.ts';

const facts = (text: string) => templateFacts(Handlebars.parseWithoutProcessing(text));

test('templateFacts: every partial called by name, with its line and column, inside blocks and partial blocks too', () => {
  const f = facts('a {{> one}}\n{{#each xs}}\n  {{> two x=1}}{{#if y}}{{> three}}{{else}}{{> four}}{{/if}}\n{{/each}}{{#> five}}{{> six}}{{/five}}');
  assert.deepEqual(f.partials, [
    { name: 'one', line: 1, column: 3 },
    { name: 'two', line: 3, column: 3 },
    { name: 'three', line: 3, column: 25 },
    { name: 'four', line: 3, column: 44 },
    { name: 'five', line: 4, column: 10 },
    { name: 'six', line: 4, column: 21 },
  ]);
  assert.equal(f.partialBlock, true);
  assert.equal(f.dynamicPartial, false);
  assert.equal(f.decorators, false);
  assert.equal(f.readsOutside, false);
});

test('templateFacts: a partial chosen per page, a decorator, an inline partial, @data and a parent context are each told apart', () => {
  const plain = facts('{{title}} {{#each items}}{{name}}{{/each}}');
  assert.deepEqual(plain, { partials: [], inline: new Set(), dynamicPartial: false, decorators: false, partialBlock: false, readsOutside: false });
  assert.equal(facts('{{> (lookup . "which")}}').dynamicPartial, true);
  const inline = facts('{{#*inline "mark"}}!{{/inline}}{{> mark}}');
  assert.deepEqual([...inline.inline], ['mark']);
  assert.equal(inline.decorators, true);
  assert.equal(facts('{{#each xs}}{{@index}}{{/each}}').readsOutside, true);
  assert.equal(facts('{{#each xs}}{{../title}}{{/each}}').readsOutside, true);
  assert.equal(facts('{{#if (eq @root.x 1)}}y{{/if}}').readsOutside, true, 'inside a subexpression');
  assert.equal(facts('{{> @partial-block}}').readsOutside, true);
  assert.equal(facts('{{> item x=@index}}').readsOutside, true, 'in a partial\'s hash');
});

test('purePartials: shared through any number of pure callers; not when a partial calls itself, reads @data, or calls one that does', () => {
  const parse = (partials: Record<string, string>) => Object.entries(partials).map(([name, text]) => ({ kind: 'partial' as const, name, facts: facts(text) }));
  const pure = purePartials(parse({ item: '{{> a}}{{> b}}', a: '{{> leaf}}', b: '{{> leaf}}', leaf: '{{name}}', loop: '{{#with next}}{{> loop}}{{/with}}', data: '{{@index}}', caller: '{{> data}}', missing: '{{> nowhere}}', block: '{{#> leaf}}x{{/leaf}}', chosen: '{{> (lookup . "leaf")}}' }));
  assert.deepEqual([...pure].sort(), ['a', 'b', 'item', 'leaf']);
  // A decorator anywhere in the theme (a layout's inline partial): none is shared.
  assert.deepEqual([...purePartials([...parse({ leaf: '{{name}}' }), { kind: 'layout', name: 'home', facts: facts('{{#*inline "leaf"}}i{{/inline}}') }])], []);
});
