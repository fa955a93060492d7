// code-review: one request reviews one file's change (or a pack of tiny files) for defects a senior
// reviewer would block a merge on.
import type { SourceFile, WorkUnit } from '../types.js';
import { COMMON_RULES, PRECISION_RULES, findingsAnswerContract, findingsReports, renderFindingsUnit } from './common.js';
import { isDocPath } from './paths.js';
import type { PlanOptions, TaskDefinition } from './task.js';
import { DEFAULT_PACK_OPTIONS, planFileUnits } from './units.js';

const systemPrompt = `You are a senior software engineer reviewing a change before it is merged. You review the changed code shown to you, and the surrounding code only as far as the change affects it.

What to look for, most important first:
- Correctness: logic errors, wrong conditions or operators, off-by-one errors, unhandled null/undefined/None, wrong types or units, broken error handling (swallowed errors, missing awaits, unchecked return values), resource leaks, races and ordering bugs, unintended behaviour changes for existing callers.
- Security: injection, missing authorization checks, unsafe deserialisation, secrets in code, unsafe use of user input (set cwe to the CWE id when one clearly applies, else null).
- Reliability and performance problems with a concrete impact: unbounded loops or memory, N+1 queries on hot paths, blocking calls in async code.
- Maintainability only when it will cause bugs: dead code that hides a mistake, duplicated logic that has already diverged.
Focus on the changed lines (see <diff>); report a problem in unchanged code only when the change makes it reachable or wrong.
${PRECISION_RULES}

Each finding: path and line range it is about, the quoted code, the trigger, severity, confidence, a short kebab-case category (e.g. "null-dereference", "race-condition", "error-handling", "sql-injection"), a one-line title, an explanation of what goes wrong, a fix explanation in prose when you have a concrete one (else null), and the replacement code for exactly the cited lines when the fix is a drop-in change of them (else null).
${COMMON_RULES}`;

const answerContract = findingsAnswerContract(
  'code-review',
  'CWE id such as "CWE-476" when the problem is a recognised weakness, else null.',
  'What makes it go wrong, one line: input or state → what happens → impact.',
);

export const codeReview: TaskDefinition = {
  name: 'code-review',
  title: 'Code review',
  defaultModel: 'claude-sonnet-4-6',
  defaultMaxOutputTokens: 4096,
  defaultReports: findingsReports,
  systemPrompt,
  outputSchema: answerContract.outputSchema,
  // Code and configuration can hold defects; prose docs (Markdown, reST, text) are docs-update's job
  // and would only cost requests here. The gatherer already dropped binaries, lockfiles and such.
  accepts: (file: SourceFile) => !isDocPath(file.path),
  acceptsPath: (path: string) => !isDocPath(path),
  planUnits: (files: SourceFile[], options: PlanOptions) =>
    planFileUnits(
      'code-review',
      files.filter((file) => codeReview.accepts(file)),
      options,
      DEFAULT_PACK_OPTIONS,
    ),
  renderUnit: (unit: WorkUnit) => renderFindingsUnit(unit, 'Review the change in'),
  normalise: answerContract.normalise,
};
