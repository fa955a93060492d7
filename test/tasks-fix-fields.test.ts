// The findings answer splits a fix into prose (fix_explanation) and code replacing exactly the cited
// lines (replacement), issue 15 item 7. The replacement is kept only for the lines it was written
// for, with its indentation; an answer in the older shape (suggested_fix) from a batch submitted
// before the split is still read, its fix as prose.
import { describe, expect, it } from 'vitest';
import { getTask } from '../src/tasks/index.js';
import { DEFAULT_PLAN_OPTIONS, type NormaliseContext } from '../src/tasks/task.js';
import type { Finding, WorkUnit } from '../src/types.js';
import { makeFile } from './helpers/source-file.js';

const FILE = makeFile(
  'src/page.ts',
  `${Array.from({ length: 20 }, (_, i) =>
    i + 1 === 8 ? '    if (role == "admin") {' : i + 1 === 9 ? '      el.innerHTML = name;' : `// line ${i + 1}`,
  ).join('\n')}\n`,
);

function contextFor(unit: WorkUnit): NormaliseContext {
  return {
    customId: unit.customId,
    files: unit.files,
    record: {
      paths: unit.files.map((f) => f.path),
      contentHashes: Object.fromEntries(unit.files.map((f) => [f.path, f.contentHash])),
      lineRanges: unit.lineRanges,
      part: unit.part,
      estimatedInputTokens: 0,
      estimatedOutputTokens: 0,
      attempt: 0,
      batchId: null,
    },
  };
}

const raw = (over: Record<string, unknown>): Record<string, unknown> => ({
  path: 'src/page.ts',
  start_line: 8,
  end_line: 9,
  quote: '    if (role == "admin") {\n      el.innerHTML = name;',
  trigger: 'a name with markup → innerHTML → script runs',
  severity: 'high',
  confidence: 'certain',
  category: 'xss',
  title: 'Markup written into the page',
  explanation: 'name may hold markup.',
  fix_explanation: 'Set `textContent` instead.',
  replacement: '    if (role === "admin") {\n      el.textContent = name;\n',
  cwe: null,
  ...over,
});

function normalise(findings: Record<string, unknown>[]): Finding[] {
  const task = getTask('code-review');
  const [unit] = task.planUnits([FILE], DEFAULT_PLAN_OPTIONS);
  const out = task.normalise({ summary: 's', findings }, contextFor(unit!));
  if (out.kind !== 'findings') throw new Error('expected findings');
  return out.findings;
}

describe('fix_explanation and replacement', () => {
  it('keeps the prose fix and the replacement for the cited lines, indentation and all', () => {
    const [finding] = normalise([raw({})]);
    expect(finding).toMatchObject({
      startLine: 8,
      endLine: 9,
      suggestedFix: 'Set `textContent` instead.',
      replacement: '    if (role === "admin") {\n      el.textContent = name;',
    });
  });

  it('drops the replacement when the finding is anchored on other lines than the ones it replaces', () => {
    // Cited 3-4, but the quote is on line 9: the finding moves there, and the code written for
    // lines 3-4 must not be offered for line 9.
    const [finding] = normalise([raw({ start_line: 3, end_line: 4, quote: '      el.innerHTML = name;' })]);
    expect(finding!.startLine).toBe(9);
    expect(finding!.suggestedFix).toBe('Set `textContent` instead.');
    expect(finding!.replacement).toBeUndefined();
  });

  it('a blank replacement, or one holding only control characters, is no replacement', () => {
    expect(normalise([raw({ replacement: '  \n\t' })])[0]!.replacement).toBeUndefined();
    expect(normalise([raw({ replacement: '\u202e\u200b' })])[0]!.replacement).toBeUndefined();
    expect(normalise([raw({ replacement: null, fix_explanation: null })])[0]).toMatchObject({ suggestedFix: null });
  });

  it('reads an answer in the older shape (suggested_fix) as a prose fix without replacement', () => {
    const legacy = raw({});
    delete legacy.fix_explanation;
    delete legacy.replacement;
    legacy.suggested_fix = 'el.textContent = name;';
    const [finding] = normalise([legacy]);
    expect(finding!.suggestedFix).toBe('el.textContent = name;');
    expect(finding!.replacement).toBeUndefined();
  });

  it('still refuses an answer mixing both shapes (the schema judges it)', () => {
    expect(() => normalise([raw({ suggested_fix: 'x' })])).toThrow(/unexpected property "suggested_fix"/);
  });

  it('the schema sent to the model asks for both fields', () => {
    const schema = JSON.stringify(getTask('security-scan').outputSchema);
    expect(schema).toContain('"fix_explanation"');
    expect(schema).toContain('"replacement"');
    expect(schema).not.toContain('suggested_fix');
  });
});

describe('the emulated model', () => {
  it('answers with a replacement only where the fix is a mechanical rewrite of the line', async () => {
    const { findDefects } = await import('../src/emulator/anthropic/responders/findings.js');
    const block = (lines: string[]) => ({
      path: 'src/page.ts',
      language: 'typescript',
      status: 'modified',
      totalLines: lines.length,
      code: new Map(lines.map((text, i) => [i + 1, text])),
      baseCode: new Map<number, string>(),
      changed: new Set(lines.map((_, i) => i + 1)),
      diff: '',
    });
    const answers = findDefects(block(['  el.innerHTML = name;', '  if (a == b) go();', '  if (a == null) go();']), {
      securityOnly: false,
    });
    const byLine = (n: number, category: string) => answers.find((a) => a.start_line === n && a.category === category)!;
    expect(byLine(1, 'xss')).toMatchObject({ replacement: '  el.textContent = name;', fix_explanation: expect.any(String) });
    expect(byLine(2, 'loose-equality').replacement).toBe('  if (a === b) go();');
    expect(byLine(3, 'loose-equality').replacement).toBeNull();
  });
});

describe('a replacement is published, so it is scanned for secrets', () => {
  it('redacts a secret the model wrote into the replacement code', async () => {
    const { redactOutput } = await import('../src/engine/outcome.js');
    const { buildSecretsCorpus } = await import('./helpers/secrets-corpus.js');
    const token = buildSecretsCorpus(4242).secrets.find((s) => s.kind === 'github-pat')!.value;
    const [finding] = normalise([raw({ replacement: `    if (role === "admin") {\n      el.textContent = '${token}';` })]);
    expect(finding!.replacement).toContain(token);
    expect(await redactOutput({ kind: 'findings', summary: 's', findings: [finding!] })).toBe(1);
    expect(finding!.replacement).toBe(`    if (role === "admin") {\n      el.textContent = '[REDACTED:github]';`);
  });
});
