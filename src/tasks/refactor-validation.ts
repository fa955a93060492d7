// refactor-validation: one request compares the original (base) and the proposed (head) version of
// one file in a PR and says whether behaviour is kept: VALID, or INVALID with the problems, each
// anchored on the proposed code so it can become an inline review comment.
import type { Finding, RefactorVerdict, SourceFile, TaskOutput, WorkUnit } from '../types.js';
import { COMMON_RULES, makeFinding, rankFindings, renderUnitFile, resolvePath, sentFiles } from './common.js';
import { isDocPath } from './paths.js';
import { assertMatchesSchema, compileAnswerSchema, lineSchema, objectSchema, severitySchema } from './schemas.js';
import { LIMITS, cleanText } from './text.js';
import { MalformedAnswerError, type NormaliseContext, type PlanOptions, type TaskDefinition } from './task.js';
import { planFileUnits } from './units.js';

export const PROBLEM_KINDS = [
  'behaviour-change',
  'type-break',
  'missing-import',
  'missing-export',
  'broken-reference',
  'edge-case',
  'other',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

const systemPrompt = `You are a senior engineer validating a refactoring in a pull request. For each file you get the original version (<base_code>), the diff (<diff>) and the proposed version (<code>). Decide whether the proposed code keeps the observable behaviour of the original.

Check, for every changed function, class and module boundary:
- Behaviour: same results, return values and side effects for every input, including errors thrown or returned, ordering, laziness/eagerness, mutation of arguments, async timing (a missing await, a promise no longer returned), default values and short-circuiting.
- Types and signatures: changed parameter or return types, optionality, nullability, generics, arity, or overloads that break callers.
- Imports and exports: a symbol that is used but no longer imported, an export that was removed or renamed (breaks other modules), a default export turned into a named one.
- References: calls to functions, methods, fields or files that no longer exist or were renamed incompletely.
- Edge cases: empty collections, zero, negative numbers, null/None/undefined, unicode, very large input, concurrency, where the old and new code differ.
Intended fixes are behaviour changes too: report them as "behaviour-change" with severity "info" or "low" when the change is evidently deliberate and safe; they do not make the file INVALID by themselves.

Verdict: "VALID" when behaviour is kept (possibly with low/info remarks); "INVALID" when at least one problem of severity medium or above changes behaviour or breaks callers. Report only real differences you can point at; no style remarks.

Each problem: start_line and end_line in the PROPOSED code (the "N| " prefixes of <code>; for something that was removed, the proposed lines where it used to be), kind (behaviour-change, type-break, missing-import, missing-export, broken-reference, edge-case, other), severity, a one-line title and an explanation contrasting old and new behaviour.
Answer one verdict per file, with "path" the path attribute of its <file> block.
${COMMON_RULES}`;

const outputSchema = objectSchema({
  summary: { type: 'string', description: 'One or two sentences on the refactoring overall.' },
  verdicts: {
    type: 'array',
    items: objectSchema({
      path: { type: 'string', description: 'The path attribute of the <file> block.' },
      verdict: { type: 'string', enum: ['VALID', 'INVALID'] },
      summary: { type: 'string', description: 'Why the file is VALID or INVALID, in one or two sentences.' },
      problems: {
        type: 'array',
        items: objectSchema({
          start_line: lineSchema('First line in the proposed code.'),
          end_line: lineSchema('Last line in the proposed code.'),
          kind: { type: 'string', enum: [...PROBLEM_KINDS] },
          severity: severitySchema,
          title: { type: 'string', description: 'One line, at most 100 characters.' },
          explanation: { type: 'string', description: 'Old behaviour versus new behaviour, and who is affected.' },
        }),
      },
    }),
  },
});
const validate = compileAnswerSchema(outputSchema);

interface VerdictsAnswer {
  summary: string;
  verdicts: {
    path: string;
    verdict: 'VALID' | 'INVALID';
    summary: string;
    problems: {
      start_line: number;
      end_line: number;
      kind: ProblemKind;
      severity: Finding['severity'];
      title: string;
      explanation: string;
    }[];
  }[];
}

export const refactorValidation: TaskDefinition = {
  name: 'refactor-validation',
  title: 'Refactor validation',
  defaultModel: 'claude-sonnet-4-6',
  defaultMaxOutputTokens: 4096,
  defaultReports: () => ['pr-comment', 'pr-review', 'summary'],
  systemPrompt,
  outputSchema,
  /**
   * Only code with an original to compare against: modified or renamed, with base content. Docs
   * (README, CLAUDE.md, ...) have no behaviour to keep; validating them would only cost money.
   */
  accepts: (file: SourceFile) =>
    (file.status === 'modified' || file.status === 'renamed') && file.baseContent !== undefined && !isDocPath(file.path),
  acceptsPath: (path: string, status: SourceFile['status']) => status !== 'added' && !isDocPath(path),
  /** One file per unit, never packed: the verdict is per file. The base version is always sent whole. */
  planUnits: (files: SourceFile[], options: PlanOptions) =>
    planFileUnits(
      'refactor-validation',
      files.filter((file) => refactorValidation.accepts(file)),
      options,
    ),
  renderUnit(unit: WorkUnit): string {
    const blocks = unit.files.map((file) => renderUnitFile(unit, file, { includeBase: true, includeDiff: true }));
    const file = unit.files[0]!;
    const renamed = file.status === 'renamed' && file.previousPath ? ` (renamed from ${file.previousPath})` : '';
    const part = unit.part ? ` This request shows part ${unit.part} of the proposed code; judge the parts shown.` : '';
    return [
      `Validate the refactoring of ${file.path}${renamed}: compare <base_code> (original) with <code> (proposed).${part}`,
      ...blocks,
    ].join('\n\n');
  },
  /**
   * Verdicts for paths that were not in the unit are DROPPED; problem lines are anchored on the proposed
   * lines sent (clamped, snapped or dropped, see anchorLines). A unit file without a verdict makes the
   * answer malformed: a missing verdict must not read as "nothing wrong". Two verdicts for one path are
   * merged (INVALID wins).
   */
  normalise(answer: unknown, context: NormaliseContext): TaskOutput {
    const parsed = assertMatchesSchema<VerdictsAnswer>(validate, answer, 'refactor-validation');
    const sent = sentFiles(context);
    const previous = new Map<string, string>();
    for (const file of context.files) if (file.previousPath) previous.set(file.previousPath, file.path);
    const byPath = new Map<string, RefactorVerdict>();
    for (const raw of parsed.verdicts) {
      const previousMatch = resolvePath(raw.path, previous);
      const path = resolvePath(raw.path, sent) ?? (previousMatch !== null ? previous.get(previousMatch)! : null);
      if (path === null) continue;
      const findings: Finding[] = [];
      for (const problem of raw.problems) {
        const finding = makeFinding(
          'refactor-validation',
          sent.get(path)!,
          { ...problem, category: problem.kind, fix_explanation: null, replacement: null, cwe: null },
          context.customId,
          () => null,
        );
        if (finding) findings.push(finding);
      }
      const existing = byPath.get(path);
      const summary = cleanText(raw.summary, LIMITS.summary);
      if (existing) {
        existing.verdict = existing.verdict === 'INVALID' || raw.verdict === 'INVALID' ? 'INVALID' : 'VALID';
        existing.summary = cleanText(`${existing.summary} ${summary}`, LIMITS.summary);
        existing.findings = rankFindings([...existing.findings, ...findings]);
      } else {
        byPath.set(path, { path, verdict: raw.verdict, summary, findings: rankFindings(findings) });
      }
    }
    for (const path of sent.keys()) {
      if (!byPath.has(path)) throw new MalformedAnswerError(`refactor-validation answer has no verdict for "${path}"`);
    }
    return { kind: 'verdict', verdicts: [...byPath.values()], summary: cleanText(parsed.summary, LIMITS.summary) };
  },
};
