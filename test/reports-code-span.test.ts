// Inline code and fenced blocks show code exactly as written, backticks included (issue 15 item 8):
// a code span's delimiter is longer than any backtick run inside it, padded when the code starts or
// ends with a backtick; a fence is longer than any backtick or tilde run inside. Checked by rendering
// with micromark + GFM (the renderer the sanitiser tests use) and reading the <code> text back.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codeBlock, codeCell, codeSpan, sanitizeMarkdown } from '../src/reports/sanitize.js';
import { findingListItem, renderFindingDetails } from '../src/reports/findings.js';
import { findDefects } from '../src/emulator/anthropic/responders/findings.js';
import type { Finding } from '../src/types.js';
import { renderGfm } from './helpers/github-render.js';

const OPTIONS = { serverUrl: 'https://github.com', owner: 'acme', repo: 'shop' };

function decode(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text of every <code> element, in order (inline spans and the code of fenced blocks). */
function codeTexts(html: string): string[] {
  return [...html.matchAll(/<code[^>]*>([\s\S]*?)<\/code>/g)].map((match) => decode(match[1]!));
}

const TRICKY = [
  'exec(`tar czf ${name}`);',
  '`x`',
  '``',
  '`',
  'a ``` b',
  ' leading and trailing ',
  '` starts with a backtick',
  'ends with a backtick `',
  'src/a`b`c.ts',
  '~~~ and ````',
];

describe('codeSpan', () => {
  it.each(TRICKY)('renders %j as one code element with exactly that text', (text) => {
    const html = renderGfm(`Line 5, ${codeSpan(text)}; then prose.`);
    expect(codeTexts(html)).toEqual([text]);
    expect(html).toContain('; then prose.');
  });

  it('renders any mix of backticks, spaces and text exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('`', '``', ' ', 'a', '~', 'x y'), { minLength: 1, maxLength: 12 }), (parts) => {
        const text = parts.join('');
        // A span of only spaces renders as those spaces (CommonMark strips nothing then).
        expect(codeTexts(renderGfm(`see ${codeSpan(text)} here`))).toEqual([text]);
      }),
    );
  });

  it('in a table cell (codeCell) keeps backticks and pipes and one cell', () => {
    const text = 'a|`b`|c';
    const html = renderGfm(`| path | n |\n|---|---|\n| ${codeCell(text)} | 1 |`);
    expect(codeTexts(html)).toEqual([text]);
    expect(html.match(/<td>/g)).toHaveLength(2);
  });
});

describe('codeBlock', () => {
  it.each(['```\nnot closed by this\n```', '~~~~~~\nx\n````````', 'const s = `${a}`;'])(
    'shows %j verbatim in one block',
    (code) => {
      const html = renderGfm(`${codeBlock(code, 'ts')}\n\nafter`);
      expect(codeTexts(html)).toEqual([`${code}\n`]);
      expect(html).toMatch(/<p>after<\/p>/);
    },
  );
});

describe('quoted code in a finding', () => {
  it('the emulated model quotes a line with backticks as one code span that reports render exactly', () => {
    const line = 'exec(`tar czf ${archive} ${dir}`);';
    const [defect] = findDefects(
      {
        path: 'src/backup.ts',
        language: 'typescript',
        status: 'modified',
        totalLines: 5,
        code: new Map([[5, `  ${line}`]]),
        baseCode: new Map(),
        changed: new Set([5]),
        diff: '',
      },
      { securityOnly: false },
    ).filter((d) => d.category === 'command-injection');
    expect(defect).toBeDefined();
    const finding: Finding = {
      task: 'code-review',
      path: 'src/backup.ts',
      startLine: 5,
      endLine: 5,
      severity: 'high',
      category: defect!.category,
      title: defect!.title,
      explanation: defect!.explanation,
      suggestedFix: null,
      cwe: null,
      fingerprint: 'ab'.repeat(20),
      customId: 'r1',
    };
    for (const markdown of [
      sanitizeMarkdown(defect!.explanation, OPTIONS),
      findingListItem(finding, null, OPTIONS),
      renderFindingDetails(finding, 'https://github.com/acme/shop/blob/x/src/backup.ts#L5', OPTIONS),
    ]) {
      expect(codeTexts(renderGfm(markdown))).toContain(line);
    }
  });
});
