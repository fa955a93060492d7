// The knobs of issue 19: min-confidence (an input) and the known false-positive classes (the
// decisions file), and the deterministic rules that put a finding in a class.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { parseDecisions } from '../src/decisions/decisions-file.js';
import { applyDismissals } from '../src/decisions/index.js';
import { FALSE_POSITIVE_CLASS_NAMES, heldBackClass } from '../src/tasks/false-positives.js';
import type { Finding } from '../src/types.js';

const env = { ANTHROPIC_API_KEY: 'sk-ant-test-0000' };

function finding(over: Partial<Finding>): Finding {
  return {
    task: 'security-scan',
    path: 'src/server.ts',
    startLine: 3,
    endLine: 3,
    severity: 'medium',
    category: 'missing-rate-limit',
    title: 't',
    explanation: 'e',
    suggestedFix: null,
    cwe: 'CWE-770',
    fingerprint: 'a'.repeat(32),
    customId: 'c',
    confidence: 'likely',
    trigger: 'many requests → login',
    ...over,
  };
}

describe('min-confidence and false-positive-classes', () => {
  it('names a bad min-confidence and a bad false-positive class in one line each', () => {
    expect(parseConfig({ 'min-confidence': 'possible' }, env).minConfidence).toBe('possible');
    expect(parseConfig({}, env).minConfidence).toBe('likely');
    expect(() => parseConfig({ 'min-confidence': 'sure' }, env)).toThrow(
      "min-confidence: unknown value 'sure'; use one of certain, likely, possible",
    );
    const decisions = parseDecisions('false-positive-classes: [dos, log-spoofing]\n', '.github/overnight.yml@abc1234');
    expect(decisions.falsePositiveClasses).toEqual(['log-spoofing']);
    expect(decisions.problems).toEqual([
      `.github/overnight.yml@abc1234: false-positive class 'dos' is not one of ${FALSE_POSITIVE_CLASS_NAMES.join(', ')}; skipped`,
    ]);
    const notAList = parseDecisions('false-positive-classes: denial-of-service\n', 'f');
    expect(notAList.falsePositiveClasses).toBeUndefined();
    expect(notAList.problems[0]).toMatch(/'false-positive-classes' must be a list/);
  });

  it('holds back a class finding without an attack path and confidence certain, by category, CWE and path', () => {
    const all = FALSE_POSITIVE_CLASS_NAMES;
    expect(heldBackClass(finding({}), all)).toBe('denial-of-service');
    // A concrete path and certainty: posted.
    expect(
      heldBackClass(
        finding({ confidence: 'certain', trigger: 'unauthenticated POST /login → bcrypt per request → CPU exhausted' }),
        all,
      ),
    ).toBeNull();
    // Certain but no path, or a path but only likely: held back.
    expect(heldBackClass(finding({ confidence: 'certain' }), all)).toBe('denial-of-service');
    // Memory safety only in memory-safe languages.
    expect(heldBackClass(finding({ category: 'buffer-overflow', cwe: 'CWE-787' }), all)).toBe('memory-safety');
    expect(heldBackClass(finding({ path: 'src/parse.c', category: 'buffer-overflow', cwe: 'CWE-787' }), all)).toBeNull();
    // XSS in an escaping framework's component, not in plain DOM code.
    expect(heldBackClass(finding({ path: 'src/App.tsx', category: 'xss', cwe: 'CWE-79' }), all)).toBe('framework-escaped-output');
    expect(heldBackClass(finding({ path: 'src/dom.ts', category: 'xss', cwe: 'CWE-79' }), all)).toBeNull();
    // Class names are matched as words: a stack trace is no race, client-side XSS no client-side check.
    expect(heldBackClass(finding({ path: 'src/err.ts', category: 'stack-trace-exposure', cwe: 'CWE-209' }), all)).toBeNull();
    expect(heldBackClass(finding({ path: 'src/dom.ts', category: 'client-side-xss', cwe: null }), all)).toBeNull();
    expect(heldBackClass(finding({ path: 'src/pay.ts', category: 'race-condition', cwe: null }), all)).toBe('theoretical-race');
    // Test, example and doc paths, whatever the weakness.
    expect(heldBackClass(finding({ path: 'test/login.test.ts', category: 'sql-injection', cwe: 'CWE-89' }), all)).toBe(
      'test-code',
    );
    expect(heldBackClass(finding({ path: 'examples/basic/app.js', category: 'sql-injection', cwe: 'CWE-89' }), all)).toBe(
      'test-code',
    );
    expect(heldBackClass(finding({ path: 'docs/guide.md', category: 'hardcoded-secret', cwe: 'CWE-798' }), all)).toBe(
      'documentation',
    );
    // A code-review finding without a CWE is not a security finding: no class applies.
    expect(heldBackClass(finding({ task: 'code-review', cwe: null, path: 'test/a.test.ts' }), all)).toBeNull();
    // The team's list decides: without denial-of-service, the finding is posted.
    expect(heldBackClass(finding({}), ['test-code'])).toBeNull();
    const { kept, dismissed } = applyDismissals(
      [finding({}), finding({ category: 'sql-injection', cwe: 'CWE-89' })],
      parseDecisions('false-positive-classes: []\n', 'f'),
      null,
      new Date(),
    );
    expect([kept.length, dismissed.length]).toEqual([2, 0]);
  });
});
