// The verdicts answer (refactor-validation): INVALID when an export of the base version is gone or a
// function's parameter count changed, with problems on real lines of the new code; VALID otherwise.
import type { ParsedFileBlock } from '../../../prompt/format.js';
import { languageFamily } from './prompt.js';
import { findExports } from './signatures.js';

export interface ProblemAnswer {
  start_line: number;
  end_line: number;
  kind: 'behaviour-change' | 'type-break' | 'missing-import' | 'missing-export' | 'broken-reference' | 'edge-case' | 'other';
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  title: string;
  explanation: string;
}

export interface VerdictAnswer {
  path: string;
  verdict: 'VALID' | 'INVALID';
  summary: string;
  problems: ProblemAnswer[];
}

/** The sent head line closest to `line` (a problem must point at a line the reader can see). */
function closestSentLine(code: Map<number, string>, line: number): number {
  let best = 1;
  let distance = Infinity;
  for (const n of code.keys()) {
    const d = Math.abs(n - line);
    if (d < distance) [best, distance] = [n, d];
  }
  return best;
}

export function verdictFor(block: ParsedFileBlock): VerdictAnswer {
  if (block.baseCode.size === 0) {
    return { path: block.path, verdict: 'VALID', summary: 'New file: there is no original to compare with.', problems: [] };
  }
  const family = languageFamily(block.language, block.path);
  const before = findExports(block.baseCode, family);
  const after = new Map(findExports(block.code, family).map((s) => [s.name, s]));
  const headIsWhole = block.code.size >= block.totalLines;
  const problems: ProblemAnswer[] = [];
  for (const symbol of before) {
    const now = after.get(symbol.name);
    if (!now) {
      // A name outside the sent ranges may still exist: only a whole file proves it is gone.
      if (!headIsWhole) continue;
      const line = closestSentLine(block.code, symbol.line);
      problems.push({
        start_line: line,
        end_line: line,
        kind: 'missing-export',
        severity: 'high',
        title: `Export ${symbol.name} was removed`,
        explanation: `The original exported ${symbol.kind} \`${symbol.name}\` (line ${symbol.line} of the original); the refactored file no longer exports it, so every importer breaks.`,
      });
      continue;
    }
    if (symbol.kind === 'function' && now.kind === 'function' && symbol.params.length !== now.params.length) {
      problems.push({
        start_line: now.line,
        end_line: now.line,
        kind: 'type-break',
        severity: 'high',
        title: `${symbol.name} now takes ${now.params.length} parameter(s) instead of ${symbol.params.length}`,
        explanation: `\`${symbol.name}(${symbol.params.join(', ')})\` became \`${now.name}(${now.params.join(', ')})\`: existing callers pass the old arguments.`,
      });
    }
  }
  if (problems.length === 0) {
    return {
      path: block.path,
      verdict: 'VALID',
      summary: `Every export of the original (${before.length}) keeps its name and parameter count.`,
      problems,
    };
  }
  return { path: block.path, verdict: 'INVALID', summary: `${problems.length} break(s) in the public interface.`, problems };
}

export function verdictsAnswer(blocks: ParsedFileBlock[]): { summary: string; verdicts: VerdictAnswer[] } {
  const verdicts = blocks.map(verdictFor);
  const invalid = verdicts.filter((v) => v.verdict === 'INVALID').length;
  const summary =
    verdicts.length === 0
      ? 'No files to validate.'
      : invalid === 0
        ? `All ${verdicts.length} file(s) keep their behaviour.`
        : `${invalid} of ${verdicts.length} file(s) change their public interface.`;
  return { summary, verdicts };
}
