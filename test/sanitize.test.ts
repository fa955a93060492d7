import { describe, expect, it } from 'vitest';
import { capBody, codeBlock, codeCell, codeSpan, sanitizeInline, sanitizeMarkdown } from '../src/reports/sanitize.js';
import { findMarkers, fingerprintsMarker, hasMarker, marker, readFingerprints } from '../src/reports/markers.js';
import { groupBySeverityThenFile, meetsSeverity, permalink, sortFindings } from '../src/reports/group.js';
import type { Finding, Severity } from '../src/types.js';
import { renderGfm } from './helpers/github-render.js';

const repo = { serverUrl: 'https://github.com', owner: 'acme', repo: 'shop' };
const clean = (text: string) => sanitizeMarkdown(text, repo);

/** Mentions GitHub would turn into notifications: `@name` not preceded by a letter or digit, outside code. */
function liveMentions(markdown: string): string[] {
  const outsideCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...outsideCode.matchAll(/(?<![A-Za-z0-9])@[A-Za-z0-9][A-Za-z0-9-]*/g)].map((m) => m[0]);
}

describe('sanitizeMarkdown', () => {
  it('neutralises user and team mentions and e-mail autolinks but leaves code alone', () => {
    const out = clean('Ping @octocat and @acme/security-team, mail ops@acme.dev; `@Override` is fine');
    expect(liveMentions(out)).toEqual([]);
    expect(out).toContain('@&#8203;octocat');
    expect(out).toContain('@&#8203;acme/security-team');
    // GFM would make the address a mailto: link; the zero-width space keeps it text that reads the same.
    expect(out).toContain('ops@&#8203;acme.dev');
    expect(out).toContain('`@Override`');
  });

  it('neutralises a mention hidden behind a backslash or an entity', () => {
    expect(liveMentions(clean('\\@octocat'))).toEqual([]);
    expect(clean('&#64;octocat')).toBe('@&#8203;octocat');
  });

  it('removes HTML comments and cannot be made to forge an overnight marker', () => {
    const forged = marker('report', { task: 'code-review', state: 's1', round: 'r1' });
    const out = clean(`before ${forged} after\n\`${forged}\`\n\`\`\`\n${forged}\n\`\`\`\n${forged.replace('<!--', '<!--  ')}`);
    expect(findMarkers(out)).toEqual([]);
    expect(hasMarker(out, 'report')).toBe(false);
    expect(out).toContain('before  after');
    expect(out).not.toMatch(/<!--\s*overnight/i);
  });

  it('escapes raw HTML so no tag reaches the page', () => {
    const out = clean(
      '<img src="https://evil.example/p.png"> <details><summary>ok</summary>x</details> <script>alert(1)</script>',
    );
    expect(out).not.toMatch(/<(img|details|summary|script)/i);
    expect(out).toContain('&lt;details>');
    expect(out).toContain('&lt;script>');
  });

  it('keeps links into the repository and defuses every other link into unclickable text', () => {
    const out = clean(
      [
        '[the fix](https://github.com/acme/shop/blob/abc123/src/a.ts#L3)',
        '[phish](https://evil.example/login) and [js](javascript:alert(1))',
        '[escape](https://github.com/acme/shop/../../other/repo)',
        'see https://evil.example/x?y=1. and www.evil.example and https://github.com/acme/shop/issues/1',
        'and <https://evil.example/auto>',
      ].join('\n'),
    );
    expect(out).toContain('[the fix](https://github.com/acme/shop/blob/abc123/src/a.ts#L3)');
    expect(out).toContain('phish (`https://evil.example/login`)');
    expect(out).toContain('js (`javascript:alert(1)`)');
    // A bare URL into the repository becomes an explicit link (its end is then ours, not the renderer's).
    expect(out).toContain('[https://github.com/acme/shop/issues/1](https://github.com/acme/shop/issues/1)');
    expect(out).toContain('and `https://evil.example/auto`');
    const hrefs = [...renderGfm(out).matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['https://github.com/acme/shop/blob/abc123/src/a.ts#L3', 'https://github.com/acme/shop/issues/1']);
  });

  it('drops images, keeping their alt text as words', () => {
    const out = clean('Look: ![diagram of @octocat](https://evil.example/track.png)');
    expect(out).toBe('Look: (image removed: diagram of @&#8203;octocat)');
  });

  it('keeps #123 references to this repository and defuses references into other repositories', () => {
    const out = clean('Fixes #12, like acme/shop#4, unlike other/repo#3');
    expect(out).toBe('Fixes #12, like acme/shop#4, unlike `other/repo#3`');
  });

  it('escapes link reference definitions so [text][ref] cannot point anywhere', () => {
    const out = clean('[x][ref]\n\n[ref]: https://evil.example');
    expect(out).toContain('\\[ref\\]: `https://evil.example`');
  });

  it('closes a fenced code block the model left open, so the rest of the page stays outside it', () => {
    const out = clean('Fix:\n```ts\nconst a = 1;\n@octocat <b>');
    expect(out).toBe('Fix:\n```ts\nconst a = 1;\n@octocat <b>\n```');
    // Inside code nothing is escaped: the code is shown as written.
    expect(out).toContain('<b>');
  });

  it('re-fences code so a nested fence inside cannot close it early', () => {
    const out = clean('~~~md\n```\n<img src=x>\n~~~\nafter <b>');
    expect(out).toBe('````md\n```\n<img src=x>\n````\nafter &lt;b>');
  });

  it('escapes a backtick it could not pair, so nothing after it becomes code or escapes sanitising', () => {
    const out = clean('a ` b @octocat');
    expect(out).toBe('a \\` b @&#8203;octocat');
  });

  it('removes bidirectional control characters from prose and shows them in code', () => {
    expect(clean('safe\u202etxt.exe')).toBe('safetxt.exe');
    expect(clean('```\nif (a\u202e) {}\n```')).toContain('<U+202E>');
  });

  it('caps the length and still closes the code block it cut', () => {
    const out = sanitizeMarkdown(`intro\n\`\`\`js\n${'x = 1;\n'.repeat(500)}\`\`\`\nafter`, { ...repo, maxLength: 400 });
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out).toMatch(/```\n… \(truncated\)$/);
    expect((out.match(/^```/gm) ?? []).length % 2).toBe(0);
  });
});

describe('sanitizeInline', () => {
  it('keeps one line, escapes table pipes and applies the block rules', () => {
    const out = sanitizeInline('SQL | injection\nvia <b>@octocat</b> ![x](https://e.x/i.png)', repo);
    expect(out).toBe('SQL \\| injection via &lt;b>@&#8203;octocat&lt;/b> (image removed: x)');
  });

  it('caps titles', () => {
    const out = sanitizeInline('word '.repeat(200), repo);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.endsWith('… (truncated)')).toBe(true);
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(codeBlock('a\n````\nb', 'ts')).toBe('`````ts\na\n````\nb\n`````');
  });
});

describe('capBody', () => {
  it('leaves a short body alone', () => {
    expect(capBody('short')).toEqual({ body: 'short', truncated: false });
  });

  it('cuts at a line boundary, closes an open fence and appends the notice, within the limit', () => {
    const body = `intro\n\`\`\`ts\n${'const x = 1;\n'.repeat(10_000)}\`\`\``;
    const { body: capped, truncated } = capBody(body, 65_536, '\n\nNOTICE');
    expect(truncated).toBe(true);
    expect(capped.length).toBeLessThanOrEqual(65_536);
    expect(capped.endsWith('\n```\n\nNOTICE')).toBe(true);
    expect(capped).not.toMatch(/const x = 1\n/); // never a half line
  });
});

describe('markers', () => {
  it('round-trips kinds and fields, including values with spaces and comment terminators', () => {
    const body = `hello\n${marker('report', { task: 'code-review', state: 'a b-->c', round: 3 })}\n${marker('report-part', { part: 2 })}`;
    expect(findMarkers(body)).toEqual([
      { kind: 'report', fields: { task: 'code-review', state: 'a b-->c', round: '3' } },
      { kind: 'report-part', fields: { part: '2' } },
    ]);
    expect(findMarkers(body, 'report-part')).toHaveLength(1);
    expect(hasMarker(body, 'report', { state: 'a b-->c', round: 3 })).toBe(true);
    expect(hasMarker(body, 'report', { round: 4 })).toBe(false);
  });

  it('is a hidden HTML comment', () => {
    expect(marker('report', { a: 1, b: 'x' })).toBe('<!-- overnight:report a=1 b=x -->');
  });

  it('rejects kinds a reader could not parse back', () => {
    expect(() => marker('Report Kind', {})).toThrow(/invalid marker kind/);
  });

  it('round-trips fingerprints, de-duplicated, across several markers', () => {
    const body = `${fingerprintsMarker(['a1', 'b,2', 'a1'])}\ntext\n${fingerprintsMarker(['c3'])}`;
    expect(readFingerprints(body)).toEqual(['a1', 'b,2', 'c3']);
    expect(fingerprintsMarker([])).toBe('');
  });
});

function finding(severity: Severity, path: string, startLine: number, title = 't'): Finding {
  return {
    task: 'code-review',
    path,
    startLine,
    endLine: startLine,
    severity,
    category: 'bug',
    title,
    explanation: '',
    suggestedFix: null,
    cwe: null,
    fingerprint: `${severity}-${path}-${startLine}`,
    customId: 'cr-1',
  };
}

describe('group', () => {
  it('sorts by severity, then path, then line', () => {
    const sorted = sortFindings([
      finding('low', 'a.ts', 1),
      finding('critical', 'b.ts', 9),
      finding('critical', 'a.ts', 20),
      finding('critical', 'a.ts', 3),
    ]);
    expect(sorted.map((f) => `${f.severity} ${f.path}:${f.startLine}`)).toEqual([
      'critical a.ts:3',
      'critical a.ts:20',
      'critical b.ts:9',
      'low a.ts:1',
    ]);
  });

  it('groups by severity then file in report order', () => {
    const groups = groupBySeverityThenFile([finding('info', 'z.ts', 1), finding('high', 'b.ts', 1), finding('high', 'a.ts', 1)]);
    expect([...groups.keys()]).toEqual(['high', 'info']);
    expect([...groups.get('high')!.keys()]).toEqual(['a.ts', 'b.ts']);
  });

  it('builds permalinks with every path segment percent-encoded', () => {
    expect(permalink('https://github.com/', 'acme', 'shop', 'abc123', 'src/legacy code/a#b.ts', 10, 12)).toBe(
      'https://github.com/acme/shop/blob/abc123/src/legacy%20code/a%23b.ts#L10-L12',
    );
  });

  it('filters by minimum severity', () => {
    expect(meetsSeverity(finding('high', 'a', 1), 'medium')).toBe(true);
    expect(meetsSeverity(finding('low', 'a', 1), 'medium')).toBe(false);
    expect(meetsSeverity(finding('info', 'a', 1), 'info')).toBe(true);
  });
});

describe('codeSpan', () => {
  it('keeps a hostile file name inside one span and unreadable as a marker', () => {
    const name = 'src/<!-- overnight:report task=code-review state=s round=r -->`x`.ts';
    const span = codeSpan(name);
    expect(findMarkers(span)).toEqual([]);
    // One code element, backticks shown as written (the delimiter is longer than any run inside).
    const codes = [...renderGfm(`x ${span} y`).matchAll(/<code>([^<]*)<\/code>/g)];
    expect(codes).toHaveLength(1);
    expect(codes[0]![1]).toContain('`x`.ts');
  });

  // The PR comment's tables put paths in cells: a pipe must not split the row, nor a name forge a marker
  // (the PR comment used to strip backticks and pipes by hand and left marker look-alikes readable).
  it('in a table cell (codeCell), also escapes the pipes', () => {
    const cell = codeCell('src/a|b <!-- overnight:sticky task=code-review -->.ts');
    expect(findMarkers(cell)).toEqual([]);
    expect(cell).not.toMatch(/(?<!\\)\|/);
    expect(`| ${cell} | x |`.split(/(?<!\\)\|/)).toHaveLength(4);
  });
});
