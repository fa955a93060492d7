// Where a redacted secret was, from the scanner to a finding: redactSecrets says which lines (of the
// real file) and which rule, never the value; submit gives each final request the redactions of its
// files (a file left out by the budget takes none); collect turns what a state carries into findings,
// and ignores what recordRedactions could not have written.
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/gather/redact.js';
import { heldBackClass, FALSE_POSITIVE_CLASS_NAMES } from '../src/tasks/false-positives.js';
import { recordRedactions, redactionFindings } from '../src/tasks/redaction-findings.js';
import { fingerprint } from '../src/tasks/fingerprint.js';
import { locateFinding, refOf } from '../src/decisions/index.js';
import type { PlannedRequest, RequestRecord, SourceFile } from '../src/types.js';
import { plannedRequest } from './helpers/engine.js';
import { makeFile } from './helpers/source-file.js';

const TOKEN = 'ghp_R7mQ2xK9vL4nP8sT3wY6zB1cD5fG0hJ2kN4q';
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';

async function gathered(path: string, content: string): Promise<SourceFile> {
  const redacted = await redactSecrets(content, path);
  return makeFile(path, redacted.content, {
    redactions: redacted.redactions,
    ...(redacted.spots.length ? { secrets: redacted.spots } : {}),
  });
}

function request(customId: string, path: string, ranges: { start: number; end: number }[]): PlannedRequest {
  const planned = plannedRequest(customId, path, 'x', 100);
  planned.record.lineRanges = { [path]: ranges };
  return planned;
}

describe('redactSecrets: where each secret was', () => {
  it('names the line in the real file, the rule and the check, and nothing of the value', async () => {
    const content = [
      '// config',
      `export const token = '${TOKEN}';`,
      'export const key = `-----BEGIN PRIVATE KEY-----',
      PEM_BODY,
      PEM_BODY,
      '-----END PRIVATE KEY-----`;',
      "export const region = 'eu-west-1';",
    ].join('\n');
    const redacted = await redactSecrets(content, 'src/config.ts');
    expect(redacted.spots).toEqual([
      { line: 2, rule: 'github', check: 'GITHUB_TOKEN' },
      { line: 3, endLine: 6, rule: 'privatekey', check: 'PrivateKey' },
    ]);
    expect(redacted.content.split('\n')).toHaveLength(7);
    expect(JSON.stringify(redacted.spots)).not.toMatch(/ghp_|MIIE|R7mQ2x/);
  });
});

describe('recordRedactions: the final requests carry their files’ redactions', () => {
  it('a split file gives each redaction to the part that holds its line; a file not in the requests gives none', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `export const v${i} = ${i};`);
    lines[4] = `export const a = '${TOKEN}';`;
    lines[29] = `export const b = '${TOKEN}';`;
    const split = await gathered('src/split.ts', lines.join('\n'));
    const dropped = await gathered('src/dropped.ts', `export const c = '${TOKEN}';\n`);
    expect(dropped.secrets).toHaveLength(1);
    const part1 = request('sec-1', 'src/split.ts', [{ start: 1, end: 20 }]);
    const part2 = request('sec-2', 'src/split.ts', [{ start: 21, end: 40 }]);
    // src/dropped.ts was gathered, then left out (max-cost-usd): its request is not among the final ones.
    recordRedactions('security-scan', [part1, part2], [split, dropped]);
    expect(part1.record.secrets).toEqual([{ path: 'src/split.ts', line: 5, rule: 'github', check: 'GITHUB_TOKEN' }]);
    expect(part2.record.secrets).toEqual([{ path: 'src/split.ts', line: 30, rule: 'github', check: 'GITHUB_TOKEN' }]);
  });

  it('tasks that report no findings carry none (their states stay as they were)', async () => {
    const file = await gathered('src/a.ts', `export const a = '${TOKEN}';\n`);
    for (const task of ['test-generation', 'docs-update', 'refactor-validation'] as const) {
      const planned = request('x-1', 'src/a.ts', [{ start: 1, end: 1 }]);
      recordRedactions(task, [planned], [file]);
      expect(planned.record.secrets, task).toBeUndefined();
    }
  });
});

describe('redactionFindings: what a state carries becomes findings', () => {
  const record = (secrets: unknown[]): RequestRecord =>
    ({ ...plannedRequest('sec-1', 'src/a.ts', 'x', 1).record, secrets }) as RequestRecord;

  it('ignores spots recordRedactions could not have written (another path, a bad line, text as a rule)', async () => {
    const file = await gathered('src/a.ts', `// a\nexport const a = '${TOKEN}';\n`);
    const findings = redactionFindings(
      'security-scan',
      record([
        { path: 'src/a.ts', line: 2, rule: 'github' },
        { path: 'src/other.ts', line: 2, rule: 'github' },
        { path: 'src/a.ts', line: 0, rule: 'github' },
        { path: 'src/a.ts', line: 99, rule: 'github' },
        { path: 'src/a.ts', line: 1, rule: 'see <img src=x onerror=alert(1)>' },
      ]),
      [file],
      'sec-1',
    );
    expect(findings.map((f) => [f.path, f.startLine, f.title])).toEqual([['src/a.ts', 2, 'Hard-coded credential: GitHub token']]);
  });

  it('a key in a test file is likely a fixture, so the test-code class holds it back unless a team removes that class', async () => {
    const file = await gathered('test/auth.test.ts', `// a\nconst token = '${TOKEN}';\n`);
    const rec = { ...record([{ path: 'test/auth.test.ts', line: 2, rule: 'github' }]), paths: ['test/auth.test.ts'] };
    const [finding] = redactionFindings('security-scan', rec, [file], 'sec-1');
    expect(finding!.confidence).toBe('likely');
    expect(heldBackClass(finding!, FALSE_POSITIVE_CLASS_NAMES)).toBe('test-code');
    expect(heldBackClass(finding!, ['documentation'])).toBeNull();
    const source = await gathered('src/auth.ts', `// a\nconst token = '${TOKEN}';\n`);
    const [posted] = redactionFindings(
      'security-scan',
      { ...record([{ path: 'src/auth.ts', line: 2, rule: 'github' }]), paths: ['src/auth.ts'] },
      [source],
      'sec-1',
    );
    expect(heldBackClass(posted!, FALSE_POSITIVE_CLASS_NAMES)).toBeNull();
  });

  it('two lines reading the same hold two secrets: two fingerprints, the first the one a model finding there gets', async () => {
    const other = 'ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c';
    const file = await gathered('src/a.ts', `const token = '${TOKEN}';\nconst x = 1;\nconst token = '${other}';\n`);
    const findings = redactionFindings(
      'security-scan',
      record([
        { path: 'src/a.ts', line: 1, rule: 'github' },
        { path: 'src/a.ts', line: 3, rule: 'github' },
      ]),
      [file],
      'sec-1',
    );
    expect(findings).toHaveLength(2);
    expect(findings[0]!.fingerprint).not.toBe(findings[1]!.fingerprint);
    const modelPrint = fingerprint({
      task: 'code-review',
      path: 'src/a.ts',
      category: 'x',
      cwe: 'CWE-798',
      code: "const token = '[REDACTED:github]';",
    });
    expect(findings[0]!.fingerprint).toBe(modelPrint);
    // A later night finds each again where it now is (not "resolved" while the key is still there).
    const moved = `// moved\n${file.content}`;
    expect(findings.map((f) => locateFinding(moved, refOf(f)))).toEqual([
      { start: 2, end: 2 },
      { start: 4, end: 4 },
    ]);
  });
});
