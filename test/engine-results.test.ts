// A collect keeps a bounded number of findings in memory (the most severe), whatever the night's size;
// every answer still lands in the results file.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsWriter } from '../src/engine/results.js';
import type { Finding, RequestRecord, Severity } from '../src/types.js';

const record: RequestRecord = {
  paths: ['src/a.ts'],
  contentHashes: { 'src/a.ts': 'h' },
  lineRanges: { 'src/a.ts': [{ start: 1, end: 100 }] },
  part: null,
  estimatedInputTokens: 1,
  estimatedOutputTokens: 1,
  attempt: 0,
  batchId: 'msgbatch_1',
};

function finding(i: number, severity: Severity): Finding {
  return {
    task: 'code-review',
    path: 'src/a.ts',
    startLine: i + 1,
    endLine: i + 1,
    severity,
    category: 'bug',
    title: `finding ${i}`,
    explanation: 'x',
    suggestedFix: null,
    cwe: null,
    fingerprint: `fp${i}`,
    customId: `cr-${i}`,
  };
}

describe('ResultsWriter', () => {
  it('keeps the most severe findings up to its cap, counts the rest, and writes every answer', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'overnight-results-')), 'results.jsonl');
    const writer = new ResultsWriter(path, 'code-review', { severity: 'info', confidence: 'possible' }, {}, true, 3);
    const severities: Severity[] = ['low', 'info', 'critical', 'medium', 'low', 'high', 'info', 'critical', 'low', 'medium'];
    for (const [i, severity] of severities.entries()) {
      const usage = {
        inputTokens: 10,
        outputTokens: 5,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
        cacheCreation1hInputTokens: 0,
      };
      await writer.add(
        {
          customId: `cr-${i}`,
          status: 'succeeded',
          output: { kind: 'findings', findings: [finding(i, severity)], summary: '' },
          usage,
          model: 'claude-sonnet-4-6',
          batchId: 'msgbatch_1',
        },
        record,
        true,
      );
    }
    const results = await writer.close();
    expect(results.findings.map((f) => f.title)).toEqual(['finding 2', 'finding 7', 'finding 5']);
    expect(results.findingsNotKept).toBe(7);
    expect(results.succeeded).toBe(10);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(10);
  });

  it('keeps no finding with a cap of 0 and still counts and writes every one', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'overnight-results-')), 'results.jsonl');
    const writer = new ResultsWriter(path, 'code-review', { severity: 'info', confidence: 'possible' }, {}, true, 0);
    for (const [i, severity] of (['critical', 'low', 'high'] as Severity[]).entries()) {
      await writer.add(
        {
          customId: `cr-${i}`,
          status: 'succeeded',
          output: { kind: 'findings', findings: [finding(i, severity)], summary: '' },
          usage: {
            inputTokens: 10,
            outputTokens: 5,
            cacheCreationInputTokens: 0,
            cacheReadInputTokens: 0,
            cacheCreation1hInputTokens: 0,
          },
          model: 'claude-sonnet-4-6',
          batchId: 'msgbatch_1',
        },
        record,
        true,
      );
    }
    const results = await writer.close();
    expect(results.findings).toEqual([]);
    expect(results.findingsNotKept).toBe(3);
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(3);
  });
});
