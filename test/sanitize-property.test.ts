// Property-based: hostile fragments combined at random (fast-check), each result rendered by a real
// CommonMark + GFM renderer and judged by GitHub's linking rules (test/helpers/github-render.ts).
// At least 10,000 generated texts per property in CI (issue 12: "Done when").
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sanitizeInline, sanitizeMarkdown } from '../src/reports/sanitize.js';
import { findMarkers } from '../src/reports/markers.js';
import { liveConstructs, liveKinds } from './helpers/github-render.js';

const repository = { serverUrl: 'https://github.com', owner: 'acme', repo: 'shop' };
const RUNS = 10_000;

// Syntax that means something to CommonMark, GFM or GitHub, and text around it.
const FRAGMENTS = [
  '[]()',
  '[',
  ']',
  '(',
  ')',
  '![',
  '](',
  '[x]: ',
  '[^1]',
  '@',
  '!',
  '<',
  '>',
  '`',
  '```',
  '~~~',
  '#',
  '/',
  ':',
  '\\',
  '&',
  ';',
  '|',
  '*',
  '**',
  '_',
  '~',
  '-',
  '=',
  '$',
  '"',
  "'",
  '\n',
  '\n\n',
  '> ',
  '- ',
  '* ',
  '1. ',
  '   ',
  '    ',
  '\t',
  ' ',
  ':-:',
  '---',
  '***',
  'word',
  'ops',
  'x',
  '12',
  'evil.example',
  'github.com',
  'acme/shop',
  'https://',
  'http://',
  'www.',
  'ftp://',
  'mailto:',
  '@octocat',
  '@acme/team',
  'org/repo#3',
  'acme/shop#4',
  '#12',
  'GH-7',
  'a1b2c3d',
  'user@a1b2c3d4',
  'https://evil.example/p.png',
  'https://github.com/acme/shop/blob/main/a.ts#L1',
  'https://github.com/acme/shop/../evil',
  '<!--',
  '-->',
  '<!-- overnight:',
  '<!-- overnight:report state=s -->',
  '<img src=x>',
  '<https://evil.example>',
  '&#64;',
  '&lt;',
  '&amp;',
  '&#x5b;',
  '&#8203;',
  '\\[',
  '\\`',
  '\\@',
  '\u200b',
  '\u202e',
  '\u00a0',
  'é',
  '😀',
];
const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const hostileText = fc.array(fragment, { minLength: 1, maxLength: 16 }).map((parts) => parts.join(''));

/**
 * The contexts overnight puts model text in, in one document (one render per generated text): the
 * explanation at the top level (PR comment) or indented in a finding's list item (issue report), a
 * title in a table cell and at the start of a list item, and our own text after each.
 */
function report(block: string, inline: string, indented: boolean): string {
  return [
    indented ? `- **Finding**\n\n${block.replace(/^(?=.)/gm, '  ')}` : block,
    'SEPARATOR-ONE',
    `| Title | Severity |\n| --- | --- |\n| ${inline} | high |`,
    `- ${inline}\n- next`,
    'REPORT-END',
  ].join('\n\n');
}

describe('the sanitiser on generated hostile text', () => {
  it(`nothing live, nothing swallowed, table rows intact, a fixed point (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(hostileText, fc.boolean(), (text, indented) => {
        const block = sanitizeMarkdown(text, repository);
        const inline = sanitizeInline(text, repository);
        expect(sanitizeMarkdown(block, repository)).toBe(block);
        expect(sanitizeInline(inline, repository)).toBe(inline);
        const page = report(block, inline, indented);
        const live = liveConstructs(page, repository);
        expect(liveKinds(live, ['structure']), page).toEqual([]);
        // The only page structure is the table we built: no heading, rule, table or checkbox of the model's.
        expect(live.structure, page).toEqual(['<table>']);
        expect(findMarkers(page), page).toEqual([]);
        expect(page, page).not.toMatch(/<!--\s*overnight/i);
        for (const separator of ['SEPARATOR-ONE', 'REPORT-END']) {
          expect(live.html, page).toContain(`<p>${separator}</p>`);
        }
        const row = live.html.split('<tbody>')[1] ?? '';
        expect([...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1])[1], page).toBe('high');
      }),
      { numRuns: RUNS },
    );
    // Generous for a loaded CI machine: about 10 s of work on one free core.
  }, 180_000);

  it('cut to a length, the result is still a fixed point within that length (2,000 cases)', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 20, max: 120 }), (text, maxLength) => {
        const options = { ...repository, maxLength };
        const block = sanitizeMarkdown(text, options);
        const inline = sanitizeInline(text, options);
        expect(block.length).toBeLessThanOrEqual(maxLength);
        expect(inline.length).toBeLessThanOrEqual(maxLength);
        expect(sanitizeMarkdown(block, options)).toBe(block);
        expect(sanitizeInline(inline, options)).toBe(inline);
      }),
      { numRuns: 2_000 },
    );
  });
});
