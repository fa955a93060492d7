// The report targets, in the order they publish: files and code scanning first, then the GitHub
// posts, and the job summary last so it can link to what the others published.
import { writesFiles } from '../tasks/paths.js';
import type { ReportTarget, TaskName } from '../types.js';
import type { CollectedResults, Reporter, ReportResult } from './reporter.js';
import { createCheckRunReporter } from './check-run.js';
import { issueReporter } from './issue.js';
import { prCommentReporter } from './pr-comment.js';
import { prReviewReporter } from './pr-review.js';
import { createPullRequestReporter } from './pull-request.js';
import { sarifReporter } from './sarif.js';
import { createSummaryReporter } from './summary.js';

/** Targets that write to GitHub (the CLI drops them unless a token and repository are set). */
export const GITHUB_TARGETS: ReadonlySet<ReportTarget> = new Set(['issue', 'pr-review', 'pr-comment', 'sarif', 'pull-request']);

/** A pull request round's check run (check-run.ts): completed after the other posts, linking to them. */
export interface CheckRunOptions {
  gateLine: (results: CollectedResults) => string | null;
  runUrl?: string;
}

/**
 * The reporters for `targets`, in publishing order. `artifact` means: generated files as a patch in the
 * results instead of a pull request (results themselves are always saved, whatever the targets).
 * `earlier` are the results already published in this round, for the summary's links.
 */
export function reportersFor(
  targets: ReportTarget[],
  task: TaskName,
  earlier: () => ReportResult[],
  repoRoot?: string,
  checkRun?: CheckRunOptions,
): Reporter[] {
  const wanted = new Set(targets);
  const list: Reporter[] = [];
  if (wanted.has('sarif')) list.push(sarifReporter);
  if (wanted.has('issue')) list.push(issueReporter);
  // The review goes first so that what it could not place inline is folded into the sticky comment.
  if (wanted.has('pr-review')) list.push(prReviewReporter);
  if (wanted.has('pr-comment')) list.push(prCommentReporter);
  if (writesFiles(task) && (wanted.has('pull-request') || wanted.has('artifact'))) {
    list.push(createPullRequestReporter({ preferPatch: !wanted.has('pull-request'), ...(repoRoot ? { repoRoot } : {}) }));
  }
  if (checkRun) {
    list.push(
      createCheckRunReporter({
        ...checkRun,
        links: () =>
          earlier()
            .filter((r) => r.url)
            .map((r) => ({ label: r.target, url: r.url! })),
      }),
    );
  }
  if (wanted.has('summary')) {
    list.push({
      target: 'summary',
      publish: (context) =>
        createSummaryReporter({
          links: earlier()
            .filter((r) => r.url)
            .map((r) => ({ label: r.target, url: r.url! })),
          notes: earlier()
            .filter((r) => !r.url)
            .map((r) => `${r.target}: ${r.note}`),
        }).publish(context),
    });
  }
  return list;
}
