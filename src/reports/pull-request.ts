// The 'pull-request' target (test-generation, docs-update): generated files become a commit on a new
// branch and a DRAFT pull request, exactly once per state and round. When the token cannot write
// (403 on any step, e.g. the repository does not let Actions create pull requests), when there is no
// GitHub at all, or when the engine asks for the artifact form, the same files become a git-style
// patch `${outputDir}/overnight-<task>.patch` that `git apply` accepts.
//
// Exactly once: the branch name is derived from the state and round; a branch left by a crashed run is
// reused as is (its commit holds the same results), and an existing pull request from that branch is
// returned instead of a second one.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Octokit } from '@octokit/rest';
import type { GeneratedFile } from '../types.js';
import type { GitHubContext } from '../github/context.js';
import { selectGeneratedFiles, writesFiles, type FileSelection } from '../tasks/paths.js';
import { marker } from './markers.js';
import { errorMessage, httpStatus } from '../github/errors.js';
import { buildPatch, type ReadBase } from './patch.js';
import type { Reporter, ReportContext, ReportResult } from './reporter.js';
import { capBody, codeCell, codeSpan, sanitizeInline } from './sanitize.js';
import { collapsedSkipped, skippedOf } from './skipped.js';
import { sanitizeOptionsFor } from './format.js';

// The engine saves the patch with the results of a round (collect): one import for all three.
export { selectGeneratedFiles };

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

function baseCommit(context: ReportContext): string {
  return context.state.pullRequest?.headSha ?? context.state.headSha;
}

/** A ref-safe rendering of the state id (git refuses spaces, `..`, `~^:?*[\`, a trailing `.lock`). */
function refSafe(value: string): string {
  const safe = value
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '')
    .replace(/\.lock$/i, '-lock')
    .slice(0, 80);
  return safe || 'state';
}

export function branchName(context: Pick<ReportContext, 'stateId' | 'round'> & { results: { task: string } }): string {
  return `overnight/${context.results.task}/${refSafe(context.stateId)}-r${refSafe(String(context.round))}`;
}

function what(task: string): string {
  return task === 'docs-update' ? 'documentation' : 'tests';
}

/** Markdown body shared by the draft PR and the head of the patch note. */
export function describeGeneratedFiles(context: ReportContext, selection: FileSelection): string {
  const options = sanitizeOptionsFor(context);
  const { results, state } = context;
  const lines: string[] = [];
  const kind = what(results.task);
  lines.push(
    `overnight (\`${results.task}\`) generated ${kind} for ${new Set(selection.accepted.map((f) => f.sourcePath)).size} source file(s), on top of \`${baseCommit(context).slice(0, 12)}\`.`,
  );
  if (state.pullRequest) lines.push(`\nFor pull request #${state.pullRequest.number} (${codeSpan(state.pullRequest.headRef)}).`);
  lines.push(
    `\nBatch(es): ${results.batchIds.length ? results.batchIds.map(codeSpan).join(', ') : '(interactive run)'} · window: ${sanitizeInline(state.window, options)}`,
  );
  lines.push('\n**Review before merging**: this was written by a model and has not been run.\n');
  lines.push('| File | For | What it does |', '|---|---|---|');
  for (const file of selection.accepted) {
    const description = sanitizeInline(file.description, { ...options, maxLength: 500 });
    lines.push(`| ${codeCell(file.path)} | ${codeCell(file.sourcePath)} | ${description} |`);
  }
  if (selection.refused.length > 0) {
    lines.push('', `**Refused** (${selection.refused.length}): these proposed paths are not where ${kind} may be written.`, '');
    for (const file of selection.refused) {
      lines.push(
        `- ${codeSpan(file.path)} (for ${codeSpan(file.sourcePath)}): ${sanitizeInline(file.reason, { ...options, maxLength: 300 })}`,
      );
    }
  }
  if (results.failures.length > 0) {
    lines.push('', `**Not generated** (${results.failures.length} request(s) failed):`, '');
    for (const failure of results.failures.slice(0, 50)) {
      lines.push(
        `- ${failure.paths.map(codeSpan).join(', ')}: ${failure.status}, ${sanitizeInline(failure.reason, { ...options, maxLength: 300 })}`,
      );
    }
  }
  const skipped = collapsedSkipped(skippedOf(state));
  if (skipped.length > 0) lines.push('', ...skipped);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// GitHub
// ---------------------------------------------------------------------------------------------

/** Thrown by a step that GitHub refused for lack of permission: the caller falls back to the patch. */
class WriteRefused extends Error {}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (httpStatus(error) === 403) throw new WriteRefused(`${name}: GitHub answered 403 (${errorMessage(error)})`);
    throw error;
  }
}

/** Whether a path crosses a symlink in the base commit's tree (the work tree is not checked out here). */
async function symlinkInTree(
  octokit: Octokit,
  github: GitHubContext,
  rootTree: string,
  path: string,
  cache: Map<string, { path: string; mode: string; type: string; sha: string }[]>,
): Promise<string | null> {
  const segments = path.split('/');
  let tree = rootTree;
  for (let i = 0; i < segments.length; i++) {
    let entries = cache.get(tree);
    if (!entries) {
      const response = await octokit.rest.git.getTree({ owner: github.owner, repo: github.repo, tree_sha: tree });
      entries = response.data.tree.map((e) => ({ path: e.path ?? '', mode: e.mode ?? '', type: e.type ?? '', sha: e.sha ?? '' }));
      cache.set(tree, entries);
    }
    const entry = entries.find((e) => e.path === segments[i]);
    if (!entry) return null;
    const prefix = segments.slice(0, i + 1).join('/');
    if (entry.mode === '120000') return i === segments.length - 1 ? `${path} is a symlink` : `${prefix}/ is a symlink`;
    if (i === segments.length - 1) return entry.type === 'tree' ? `${path} is a directory` : null;
    if (entry.type !== 'tree') return `${prefix} is a file, not a directory`;
    tree = entry.sha;
  }
  return null;
}

async function targetBranch(octokit: Octokit, github: GitHubContext, context: ReportContext): Promise<string> {
  const pull = context.state.pullRequest;
  // For a PR run the files sit on the PR's head: proposing them into the PR's branch adds them to it.
  if (pull && !pull.fromFork) return pull.headRef;
  const ref = context.state.ref;
  if (ref?.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  const repository = await octokit.rest.repos.get({ owner: github.owner, repo: github.repo });
  return repository.data.default_branch;
}

interface OpenedPullRequest {
  url: string;
  number: number;
  reused: boolean;
}

async function openDraftPullRequest(
  github: GitHubContext,
  context: ReportContext,
  selection: FileSelection,
): Promise<OpenedPullRequest | { nothing: string }> {
  const { octokit, owner, repo } = github;
  const branch = branchName(context);
  const task = context.results.task;

  // Exactly once: a PR from this branch (any state: a closed one was a decision) ends the job.
  const existing = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: 'all', per_page: 10 });
  const previous = existing.data.find((pull) => pull.head.ref === branch);
  if (previous) return { url: previous.html_url, number: previous.number, reused: true };

  const base = baseCommit(context);
  let branchExists = false;
  try {
    await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
    branchExists = true;
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
  }

  if (!branchExists) {
    const commit = await octokit.rest.git.getCommit({ owner, repo, commit_sha: base });
    const cache = new Map<string, { path: string; mode: string; type: string; sha: string }[]>();
    const accepted: GeneratedFile[] = [];
    for (const file of selection.accepted) {
      const problem = await symlinkInTree(octokit, github, commit.data.tree.sha, file.path, cache);
      if (problem) selection.refused.push({ path: file.path, sourcePath: file.sourcePath, reason: problem });
      else accepted.push(file);
    }
    selection.accepted = accepted;
    if (accepted.length === 0) return { nothing: 'every generated file was refused' };

    const entries: { path: string; mode: '100644'; type: 'blob'; sha: string }[] = [];
    for (const file of accepted) {
      const blob = await step('create blob', () =>
        octokit.rest.git.createBlob({
          owner,
          repo,
          content: Buffer.from(file.content, 'utf8').toString('base64'),
          encoding: 'base64',
        }),
      );
      entries.push({ path: file.path, mode: '100644', type: 'blob', sha: blob.data.sha });
    }
    const tree = await step('create tree', () =>
      octokit.rest.git.createTree({ owner, repo, base_tree: commit.data.tree.sha, tree: entries }),
    );
    const created = await step('create commit', () =>
      octokit.rest.git.createCommit({
        owner,
        repo,
        message: `overnight: ${what(task)} for ${accepted.length} file(s)\n\nGenerated by overnight (${task}) from batch(es) ${context.results.batchIds.join(', ') || '(interactive run)'}.`,
        tree: tree.data.sha,
        parents: [base],
      }),
    );
    try {
      await step('create branch', () =>
        octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: created.data.sha }),
      );
    } catch (error) {
      // Created meanwhile by a concurrent or crashed run: reuse it, it holds the same results.
      if (!(httpStatus(error) === 422 && /already exists/i.test(errorMessage(error)))) throw error;
    }
  }

  const body = capBody(
    `${marker('pull-request', { task, state: context.stateId, round: context.round })}\n${describeGeneratedFiles(context, selection)}`,
  ).body;
  const title = `overnight: ${what(task)} for ${new Set(selection.accepted.map((f) => f.sourcePath)).size} file(s)${context.state.pullRequest ? ` (PR #${context.state.pullRequest.number})` : ''}`;
  const baseBranch = await targetBranch(octokit, github, context);
  const pull = await step('create pull request', () =>
    octokit.rest.pulls.create({ owner, repo, title, head: branch, base: baseBranch, body, draft: true }),
  );
  return { url: pull.data.html_url, number: pull.data.number, reused: false };
}

// ---------------------------------------------------------------------------------------------
// Patch artifact
// ---------------------------------------------------------------------------------------------

const execFileAsync = promisify(execFile);

/** Base content from GitHub at the base commit, else from the local git repository, else "new file". */
export function baseReader(context: ReportContext, cwd = process.cwd()): ReadBase {
  const sha = baseCommit(context);
  const github = context.github;
  return async (path) => {
    if (github) {
      try {
        const response = await github.octokit.rest.repos.getContent({ owner: github.owner, repo: github.repo, path, ref: sha });
        const data = response.data as { type?: string; content?: string; encoding?: string };
        if (data.type === 'file' && typeof data.content === 'string') {
          return Buffer.from(data.content, (data.encoding as BufferEncoding) || 'base64').toString('utf8');
        }
      } catch (error) {
        if (httpStatus(error) === 404) return null;
      }
    }
    try {
      const { stdout } = await execFileAsync('git', ['show', `${sha}:${path}`], { cwd, maxBuffer: 64 * 1024 * 1024 });
      return stdout;
    } catch {
      return null;
    }
  };
}

export function patchPath(context: Pick<ReportContext, 'outputDir'> & { results: { task: string } }): string {
  return join(context.outputDir, `overnight-${context.results.task}.patch`);
}

/** Writes the accepted files as a patch; returns the result for the summary with `why` in the note. */
export async function writePatchArtifact(
  context: ReportContext,
  why: string,
  selection: FileSelection = selectGeneratedFiles(context.results.files, context.results.task),
  readBase: ReadBase = baseReader(context),
): Promise<ReportResult> {
  const patch = await buildPatch(selection.accepted, readBase);
  const path = patchPath(context);
  await mkdir(context.outputDir, { recursive: true });
  const header = describeGeneratedFiles(context, selection)
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  // `git apply` ignores text before the first `diff --git`: the description travels with the patch.
  await writeFile(path, `${header}\n#\n# Apply with: git apply ${`overnight-${context.results.task}.patch`}\n\n${patch}`, 'utf8');
  const refused = selection.refused.length
    ? `; refused ${selection.refused.length}: ${selection.refused.map((r) => `${r.path} (${r.reason})`).join(', ')}`
    : '';
  return {
    target: 'pull-request',
    path,
    note: `${selection.accepted.length} generated file(s) written as a patch to ${path} (${why})${refused}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Reporter
// ---------------------------------------------------------------------------------------------

export interface PullRequestReporterOptions {
  /** The engine sets this when `report` names 'artifact' instead of 'pull-request'. */
  preferPatch?: boolean;
  /** Repository work tree, for the symlink check on the patch path (the PR path checks the base tree). */
  repoRoot?: string;
}

export function createPullRequestReporter(options: PullRequestReporterOptions = {}): Reporter {
  return {
    target: 'pull-request',
    async publish(context: ReportContext): Promise<ReportResult> {
      const { results } = context;
      if (!writesFiles(results.task)) {
        return { target: 'pull-request', note: `${results.task} generates no files: no pull request` };
      }
      const selection = selectGeneratedFiles(results.files, results.task, options.repoRoot);
      if (selection.accepted.length === 0) {
        const refused = selection.refused.map((r) => `${r.path} (${r.reason})`).join(', ');
        return {
          target: 'pull-request',
          note: results.files.length === 0 ? 'no files were generated' : `every generated file was refused: ${refused}`,
        };
      }
      const github = context.github;
      if (options.preferPatch) return writePatchArtifact(context, 'artifact requested', selection);
      if (!github) return writePatchArtifact(context, 'no GitHub token or repository', selection);
      if (github.readOnly) return writePatchArtifact(context, 'the token is read-only', selection);
      try {
        const opened = await openDraftPullRequest(github, context, selection);
        if ('nothing' in opened) {
          const refused = selection.refused.map((r) => `${r.path} (${r.reason})`).join(', ');
          return { target: 'pull-request', note: `${opened.nothing}: ${refused}` };
        }
        const refused = selection.refused.length
          ? `; refused ${selection.refused.length}: ${selection.refused.map((r) => `${r.path} (${r.reason})`).join(', ')}`
          : '';
        return {
          target: 'pull-request',
          url: opened.url,
          note: `${opened.reused ? 'draft pull request already open' : 'opened draft pull request'} #${opened.number} with ${selection.accepted.length} file(s)${refused}`,
        };
      } catch (error) {
        if (error instanceof WriteRefused) {
          context.log.warning(`pull-request: ${error.message}`);
          return writePatchArtifact(
            context,
            `${error.message}; allow it under Settings → Actions → General → "Allow GitHub Actions to create and approve pull requests", or give the workflow \`contents: write\` and \`pull-requests: write\``,
            selection,
          );
        }
        throw error;
      }
    },
  };
}

export const pullRequestReporter: Reporter = createPullRequestReporter();
