// Small pieces every report shares: the repository a report links into (and so what the sanitiser
// keeps clickable), counts and plurals, dates, severity breakdowns, and how a task is named.
import { SEVERITIES, type Finding } from '../types.js';
import { getTask, isTaskName } from '../tasks/index.js';
import type { ReportContext } from './reporter.js';
import type { SanitizeOptions } from './sanitize.js';
import { countBySeverity } from './group.js';

export interface RepositoryRef {
  serverUrl: string;
  owner: string;
  repo: string;
}

/** The repository the report is about: the GitHub context, or owner/name from the state. */
export function repositoryOf(context: Pick<ReportContext, 'github' | 'state'>): RepositoryRef | null {
  if (context.github) {
    return { serverUrl: context.github.serverUrl, owner: context.github.owner, repo: context.github.repo };
  }
  const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)$/.exec(context.state.repository);
  if (!match || !context.state.serverUrl) return null;
  return { serverUrl: context.state.serverUrl, owner: match[1]!, repo: match[2]! };
}

/** What the sanitiser treats as this repository (links into it stay clickable); derived once, here. */
export function sanitizeOptionsFor(context: Pick<ReportContext, 'github' | 'state'>): SanitizeOptions {
  const repository = repositoryOf(context);
  return repository ?? { serverUrl: 'https://invalid.invalid', owner: '-', repo: '-' };
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/** YYYY-MM-DD of an ISO timestamp (today when missing or invalid). */
export function isoDate(timestamp: string | null | undefined): string {
  const date = timestamp ? new Date(timestamp) : new Date();
  return (Number.isNaN(date.getTime()) ? new Date() : date).toISOString().slice(0, 10);
}

/** "1 critical, 2 high" (only severities that occur), or "none". */
export function severityBreakdown(findings: Finding[]): string {
  const counts = countBySeverity(findings);
  const parts = SEVERITIES.filter((severity) => counts[severity] > 0).map((severity) => `${counts[severity]} ${severity}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** A task's human title from its definition ("Code review"); an unknown name reads as itself. */
export function taskTitle(task: string): string {
  return isTaskName(task) ? getTask(task).title : task;
}
