// Findings as workflow annotations (`::warning file=…,line=…::…`), for runs whose token cannot write
// to the pull request (a fork's `pull_request` run): GitHub shows them on the changed lines of the
// run's "Files changed" view without the token writing anything. Annotations are plain text, but the
// model wrote them, so they are one line, without control or bidirectional characters, size-capped;
// @actions/core escapes the workflow-command syntax (`::`, `%`, newlines, `,` in properties).
import * as core from '@actions/core';
import type { Finding } from '../types.js';
import { sortFindings } from './group.js';
import type { ReportContext } from './reporter.js';

/** GitHub keeps at most 50 annotations of a job; the worst findings go first. */
export const MAX_ANNOTATIONS = 50;
const MAX_MESSAGE_LENGTH = 1_000;
const MAX_TITLE_LENGTH = 200;

export interface FindingAnnotation {
  file: string;
  startLine: number;
  endLine: number;
  title: string;
  message: string;
}

// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]+/g;

/** One line of plain text: control and bidirectional characters become spaces, at most `max` characters. */
export function plainLine(text: string, max: number): string {
  const line = text.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The findings of a round (verdict problems included), worst first, at most `max`, as annotations. */
export function findingAnnotations(
  context: ReportContext,
  max = MAX_ANNOTATIONS,
): { annotations: FindingAnnotation[]; total: number } {
  const findings: Finding[] = [...context.results.findings, ...context.results.verdicts.flatMap((verdict) => verdict.findings)];
  const annotations = sortFindings(findings)
    .slice(0, max)
    .map((finding) => ({
      file: finding.path,
      startLine: finding.startLine,
      endLine: Math.max(finding.startLine, finding.endLine),
      title: plainLine(`overnight ${finding.severity}: ${finding.title}`, MAX_TITLE_LENGTH),
      message: plainLine(`${finding.title}. ${finding.explanation}`, MAX_MESSAGE_LENGTH),
    }));
  return { annotations, total: findings.length };
}

/** Writes the annotations as workflow commands (only meaningful inside a GitHub Actions job). */
export function emitAnnotations(annotations: FindingAnnotation[]): void {
  for (const a of annotations) {
    core.warning(a.message, { title: a.title, file: a.file, startLine: a.startLine, endLine: a.endLine });
  }
}
