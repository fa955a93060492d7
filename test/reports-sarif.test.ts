import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/types.js';
import { buildSarif, cweTag, sarifLevel, sarifUri, writeSarif } from '../src/reports/sarif.js';
import { fixtureContext, fixtureFinding, fixtureResults } from './helpers/report-fixtures.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return fixtureFinding({
    task: 'security-scan',
    path: 'src/legacy code/a.ts',
    startLine: 10,
    endLine: 12,
    severity: 'critical',
    title: 'User input concatenated into SQL',
    explanation: 'The `id` parameter reaches `db.query` unescaped; ping @admin for details.',
    cwe: 'CWE-89',
    fingerprint: 'fp-sql-1',
    customId: 'sec-1',
    ...overrides,
  });
}

const repo = { serverUrl: 'https://github.com', owner: 'acme', repo: 'shop' };

describe('SARIF document', () => {
  const log = buildSarif({
    task: 'security-scan',
    ...repo,
    findings: [
      finding({ severity: 'medium', fingerprint: 'fp-sql-2', startLine: 40, endLine: 40, cwe: 'cwe_89' }),
      finding(),
      finding({ category: 'Hard-coded secret', cwe: 'CWE-798', severity: 'low', path: 'config/ü.ts', fingerprint: 'fp-secret' }),
      finding({
        category: 'style',
        cwe: null,
        severity: 'info',
        path: './src/b.ts',
        fingerprint: 'fp-style',
        startLine: 9,
        endLine: 3,
      }),
    ],
  });
  const run = log.runs[0]!;

  it('is SARIF 2.1.0 from the overnight driver', () => {
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver.name).toBe('overnight');
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    expect(run.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('has one rule per category with security and CWE tags and the worst level', () => {
    const rules = run.tool.driver.rules!;
    expect(rules.map((rule) => rule.id)).toEqual(['sql-injection', 'hard-coded-secret', 'style']);
    const sql = rules[0]!;
    expect(sql.name).toBe('SqlQueryBuiltFromInput');
    expect(sql.shortDescription?.text).toBe('SQL query built from untrusted input');
    expect(sql.defaultConfiguration?.level).toBe('error');
    expect(sql.properties?.tags).toEqual(['security-scan', 'security', 'external/cwe/cwe-89']);
    expect(sql.properties?.['security-severity']).toBe('9.5');
    expect(rules[1]!.properties?.tags).toContain('external/cwe/cwe-798');
    expect(rules[1]!.defaultConfiguration?.level).toBe('note');
  });

  it('locates results with percent-encoded relative URIs, ordered regions and fingerprints', () => {
    const results = run.results!;
    expect(results).toHaveLength(4);
    const first = results[0]!;
    expect(first.ruleId).toBe('sql-injection');
    expect(first.ruleIndex).toBe(0);
    expect(first.level).toBe('error');
    const location = first.locations![0]!.physicalLocation!;
    expect(location.artifactLocation).toEqual({ uri: 'src/legacy%20code/a.ts', uriBaseId: '%SRCROOT%' });
    expect(location.region).toEqual({ startLine: 10, endLine: 12 });
    expect(first.partialFingerprints).toEqual({ 'overnightFingerprint/v1': 'fp-sql-1' });
    expect(results.map((r) => r.level)).toEqual(['error', 'warning', 'note', 'note']);
    const uris = results.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri);
    expect(uris).toContain('config/%C3%BC.ts');
    expect(uris).toContain('src/b.ts');
    const style = results.find((r) => r.ruleId === 'style')!;
    expect(style.locations![0]!.physicalLocation!.region).toEqual({ startLine: 3, endLine: 9 });
  });

  it('sanitises model text in messages', () => {
    const text = run.results![0]!.message.text!;
    expect(text).toContain('User input concatenated into SQL');
    expect(text).not.toMatch(/@admin/);
  });

  it('maps severities and CWE ids', () => {
    expect(['critical', 'high', 'medium', 'low', 'info'].map((s) => sarifLevel(s as Finding['severity']))).toEqual([
      'error',
      'error',
      'warning',
      'note',
      'note',
    ]);
    expect(cweTag('CWE-079')).toBe('external/cwe/cwe-79');
    expect(cweTag('not a cwe')).toBeNull();
    expect(sarifUri('a b/c#d?.ts')).toBe('a%20b/c%23d%3F.ts');
  });

  it('writeSarif writes the document to sarif-path, including refactor problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overnight-sarif-'));
    const context = fixtureContext(
      fixtureResults({
        task: 'refactor-validation',
        verdicts: [
          {
            path: 'src/a.ts',
            verdict: 'INVALID',
            summary: 'x',
            findings: [finding({ task: 'refactor-validation', cwe: null, category: 'behaviour-change' })],
          },
        ],
      }),
      { sarifPath: join(dir, 'nested', 'overnight.sarif') },
    );
    await writeSarif(context);
    const written = JSON.parse(readFileSync(context.sarifPath, 'utf8'));
    expect(written.runs[0].results[0].ruleId).toBe('behaviour-change');
    expect(written.runs[0].automationDetails.id).toBe('overnight/refactor-validation/');
    expect(written.runs[0].tool.driver.rules[0].properties.tags).not.toContain('security');
  });
});
