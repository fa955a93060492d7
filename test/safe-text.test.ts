import { describe, expect, it } from 'vitest';
import { escapeLogText, escapeTerminalText, maskSecrets, unsafeChars, visibleText } from '../src/io/safe-text.js';

describe('escapeLogText: no log line carries a workflow command or an escape sequence', () => {
  it.each([
    ['a\n::stop-commands::tok\nb', 'a%0A::stop-commands::tok%0Ab'],
    ['x\r::add-mask::\r', 'x%0D::add-mask::%0D'],
    ['::add-mask::value', '%3A:add-mask::value'],
    ['  ::warning::x', '  %3A:warning::x'],
    ['\u00a0::error::x', '\u00a0%3A:error::x'],
    ['path ##[stop-commands]tok', 'path #%23[stop-commands]tok'],
    ['100% done', '100%25 done'],
    ['%0A is not a newline', '%250A is not a newline'],
    ['\u001b[2K\u001b[1Agone', '%1B[2K%1B[1Agone'],
    ['\u009b31m', '%C2%9B31m'],
    ['a\u202eb\u2066c\u200bd\ufeffe', 'a%E2%80%AEb%E2%81%A6c%E2%80%8Bd%EF%BB%BFe'],
    ['line\u2028sep', 'line%E2%80%A8sep'],
    ['tab\tkept', 'tab\tkept'],
    ['plain: src/a.ts (1 finding)', 'plain: src/a.ts (1 finding)'],
  ])('%j → %j', (input, escaped) => {
    expect(escapeLogText(input)).toBe(escaped);
  });

  it('leaves no line break and no command start, whatever the input', () => {
    const samples = ['\n::x::', '\r\n##[y]', '\u0085::z::', '::a::\n::b::', '\u2029::c::'];
    for (const sample of samples) {
      const line = escapeLogText(sample);
      expect(line).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
      expect(line.trimStart().startsWith('::')).toBe(false);
      expect(line).not.toContain('##[');
    }
  });
});

describe('escapeTerminalText: the CLI shows what a line held, and leaves % alone', () => {
  it.each([
    ['70% expected cache hits', '70% expected cache hits'],
    ['\u001b[2K\u001b[1Agone', '\\u001B[2K\\u001B[1Agone'],
    ['a\n::stop-commands::tok', 'a\\u000A::stop-commands::tok'],
    ['::add-mask::value', '%3A:add-mask::value'],
    ['path ##[stop-commands]tok', 'path #%23[stop-commands]tok'],
    ['x\u202ey', 'x\\u202Ey'],
    ['tab\tkept', 'tab\tkept'],
  ])('%j → %j', (input, shown) => {
    expect(escapeTerminalText(input)).toBe(shown);
  });
});

describe('maskSecrets', () => {
  it('masks keys of a real length, and leaves short values alone', () => {
    expect(maskSecrets("task: unknown value 'sk-ant-0123456789'", ['sk-ant-0123456789'])).toBe("task: unknown value '***'");
    expect(maskSecrets('unknown command', ['k', ''])).toBe('unknown command');
  });
});

describe('unsafeChars and visibleText', () => {
  it('keeps what a multi-line text may hold, shows the rest', () => {
    expect('a\tb\nc\u0007d\u202ee'.replace(unsafeChars('\t\n'), '')).toBe('a\tb\ncde');
    expect(visibleText('test/a\n::x::\u202e.ts')).toBe('test/a\\u000A::x::\\u202E.ts');
    expect(visibleText('tests/test_ok.py')).toBe('tests/test_ok.py');
  });
});
