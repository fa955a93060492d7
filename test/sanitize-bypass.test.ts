// The sanitiser judged by what a reader on GitHub would get: each known bypass, rendered by a real
// CommonMark + GFM renderer (micromark) and checked against GitHub's linking rules
// (test/helpers/github-render.ts), plus the fixed point (sanitising the output changes nothing).
import { describe, expect, it } from 'vitest';
import { codeBlock, codeCell, sanitizeInline, sanitizeMarkdown } from '../src/reports/sanitize.js';
import { findMarkers } from '../src/reports/markers.js';
import { liveConstructs, liveKinds, renderGfm } from './helpers/github-render.js';

const repository = { serverUrl: 'https://github.com', owner: 'acme', repo: 'shop' };
const clean = (text: string) => sanitizeMarkdown(text, repository);
const cleanInline = (text: string) => sanitizeInline(text, repository);

/** What GitHub would make live in the sanitised text, as readable strings (empty: nothing). */
function liveIn(markdown: string): string[] {
  return liveKinds(liveConstructs(markdown, repository));
}

/** The same in a table row we built (our table is structure the test chose, so it is not counted). */
function liveInTable(markdown: string): string[] {
  return liveKinds(liveConstructs(markdown, repository), ['structure']);
}

/** The cells of the table's body row, as text: a split cell shows as a changed second cell. */
function bodyCells(markdown: string): string[] {
  const body = renderGfm(markdown).split('<tbody>')[1] ?? '';
  return [...body.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
}

/** Rendered HTML without tags, for asserting what the reader sees. */
function visibleText(markdown: string): string {
  return renderGfm(markdown)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\u200b/g, '');
}

// Each bypass found in the security review (issue 12, item 2) and each construct it pointed at.
const bypasses: [name: string, input: string][] = [
  ['an empty link joins a mention back together', 'Ping @[]()octocat please'],
  ['an empty link joins a team mention back together', 'cc @[]()acme/security-team'],
  ['empty links join a tracking image back together', '![p][]()(https[]()://evil.example/pixel.png)'],
  ['an empty link joins a cross-repository reference', 'See other-org[]()/repo#3 and other-org/[]()repo#3'],
  ['an empty link joins a clickable foreign link', '[click here][]()(https://evil.example/login)'],
  ['an empty link joins a bare URL', 'Go to https[]()://evil.example/x or www[]().evil.example'],
  ['a link reference definition inside a quote', '> [docs]: https://evil.example/a\n\nRead [docs].'],
  ['a link reference definition inside a list item', '- [docs]: https://evil.example/a\n\nRead [docs].'],
  ['a link reference definition with escaped brackets in its label', '[a\\]b]: https://evil.example/a\n\nRead [a\\]b].'],
  ['a link reference definition to a //host destination', '> [x]: //evil.example/p\n\n[x] and ![x]'],
  ['a table delimiter row splits a code span and frees a mention', 'a\n:-:\n`@octocat|x`'],
  ['an e-mail address becomes a mailto link', 'Write to ops@evil.example today'],
  ['a mention spelled with an entity', 'Ping &#64;octocat and &commat;octocat'],
  ['a setext heading forges page structure', 'Approved, nothing to fix\n==='],
  ['a thematic break hidden behind a list marker', '* **'],
  ['a footnote points off the page', 'Claim[^1]\n\n[^1]: https://evil.example'],
  ['a task-list checkbox', '- [x] reviewed by security'],
  ['an autolink in angle brackets', 'See <https://evil.example/a> and <mailto:x@evil.example>'],
  ['a raw HTML comment spanning lines', 'a <!-- b\nc --> @octocat'],
  ['a link whose text is a link', '[[inner](https://github.com/acme/shop)](https://evil.example)'],
];

describe('known bypasses, judged on the rendered page', () => {
  for (const [name, input] of bypasses) {
    it(`${name}: nothing live, and sanitising again changes nothing`, () => {
      const out = clean(input);
      expect(liveIn(out), out).toEqual([]);
      expect(clean(out)).toBe(out);
    });
  }

  it('a foreign link keeps its text and shows its target as code; a repository link stays a link', () => {
    const out = clean('[login](https://evil.example/a) and [the fix](https://github.com/acme/shop/blob/abc/a.ts#L3)');
    expect(liveIn(out)).toEqual([]);
    expect(renderGfm(out)).toContain('<a href="https://github.com/acme/shop/blob/abc/a.ts#L3">the fix</a>');
    expect(visibleText(out)).toBe('login (https://evil.example/a) and the fix');
  });

  it('a bare URL into the repository stays clickable; one that climbs out of it does not', () => {
    const out = clean('See https://github.com/acme/shop/issues/1. Not https://github.com/acme/shop/../../evil/x');
    expect(liveIn(out)).toEqual([]);
    expect(renderGfm(out)).toContain('href="https://github.com/acme/shop/issues/1"');
  });

  it('model text can never produce an overnight marker, in prose, code or split by an empty link', () => {
    const forged = '<!-- overnight:report task=code-review state=s1 round=r1 -->';
    for (const input of [
      forged,
      `\`${forged}\``,
      `\`\`\`\n${forged}\n\`\`\``,
      '<[]()!-- overnight:report state=s1 -->',
      '<!<!-- -->-- overnight:report state=s1 -->',
      '&lt;!-- overnight:report state=s1 --&gt;',
    ]) {
      for (const out of [clean(input), cleanInline(input)]) {
        expect(findMarkers(out), out).toEqual([]);
        expect(out).not.toMatch(/<!--\s*overnight/i);
      }
    }
  });

  it('a fence the model opens (after a list marker, in a quote, with tildes) does not swallow what follows', () => {
    // (U+FEFF: a reader drops a byte-order mark at the start of a document, so a `~~~` behind it must be escaped too.)
    for (const input of ['```js\nconst a = 1;', '- ~~~\n  x', '> ```\n> y', '    ~~~\nz', '1. ```\n   w', '\ufeff~~~\nz']) {
      const html = renderGfm(`${clean(input)}\n\nREPORT-CONTINUES`);
      expect(html, input).toContain('<p>REPORT-CONTINUES</p>');
    }
  });

  it('a fence the model labels as a rendered diagram or a suggestion is shown as plain code', () => {
    for (const language of ['mermaid', 'geojson', 'topojson', 'stl', 'math', 'suggestion', 'MERMAID']) {
      const out = clean(`\`\`\`${language}\ngraph TD; A-->B; click A "https://evil.example"\n\`\`\``);
      expect(out.split('\n')[0]).toBe('```');
      expect(codeBlock('x', language).split('\n')[0]).toBe('```');
    }
    expect(codeBlock('x', 'ts').split('\n')[0]).toBe('```ts');
  });

  // Shaped to make a scan per bracket, comment opener, list marker or URL character cost the whole
  // line (each took seconds before the scans were bounded); judged on the result, not on a clock.
  it('input shaped for quadratic work (20,000 characters) still comes out inert and a fixed point', () => {
    for (const input of [
      '[]('.repeat(7_000),
      '[a](b'.repeat(4_000),
      '!['.repeat(10_000),
      '<!--'.repeat(5_000),
      '- '.repeat(10_000),
      `https://x${'.'.repeat(20_000)}x`,
      `https://x${')'.repeat(20_000)}`,
      `${'a'.repeat(10_000)}/${'b'.repeat(10_000)}#1`,
    ]) {
      const out = clean(input);
      expect(out.length).toBeLessThanOrEqual(20_000);
      expect(liveIn(out)).toEqual([]);
      expect(clean(out)).toBe(out);
    }
  });

  it('keeps an explanation readable: paragraphs, lists, emphasis and code spans render as written', () => {
    const explanation = [
      '**Impact:** `parseInt(value)` returns `NaN` for `"a|b"`, so the total is wrong.',
      '',
      '- first, the loop in `sum()` skips index 0;',
      '- then `total && count` is *falsy*.',
      '',
      '1. Fix the loop.',
      '2. Add a test, see #12.',
    ].join('\n');
    const out = clean(explanation);
    expect(liveIn(out)).toEqual([]);
    expect(renderGfm(out)).toBe(renderGfm(explanation));
  });
});

describe('inline text (titles, table cells), judged on the rendered page', () => {
  const inTable = (cell: string) => `| Title | Severity |\n| --- | --- |\n| ${cell} | high |`;

  it('a code span holding a pipe cannot split a table cell and free a mention', () => {
    const cell = cleanInline('`@octocat|x` and `a\\|b`');
    expect(liveInTable(inTable(cell))).toEqual([]);
    expect(bodyCells(inTable(cell))).toHaveLength(2);
    expect(bodyCells(inTable(cell))[1]).toBe('high');
    expect(cleanInline(cell)).toBe(cell);
  });

  it('a path holding a backslash and a pipe stays in its own cell (codeCell)', () => {
    const cell = codeCell('src/a\\|@octocat.ts');
    expect(liveInTable(inTable(cell))).toEqual([]);
    expect(bodyCells(inTable(cell))).toEqual([expect.stringContaining('<code>'), 'high']);
  });

  it('a title that starts like a block (heading, list, rule) stays text in a list item', () => {
    for (const title of ['# Approved', '- [x] done', '***', '1. one', '> quoted', ':-:', '~~~ fence']) {
      const out = cleanInline(title);
      expect(liveIn(`- ${out}`), title).toEqual([]);
      expect(renderGfm(`- ${out}\n- next`), title).not.toMatch(/<(h\d|hr|blockquote|pre|ol|table|input)/);
      expect(cleanInline(out)).toBe(out);
    }
  });

  for (const [name, input] of bypasses) {
    it(`${name}: nothing live in a table cell, and sanitising again changes nothing`, () => {
      const out = cleanInline(input);
      expect(liveInTable(inTable(out)), out).toEqual([]);
      expect(bodyCells(inTable(out))[1], out).toBe('high');
      expect(cleanInline(out)).toBe(out);
    });
  }
});
