// The GitHub Action: reads the inputs and the event, builds the engine's dependencies (artifact
// state store, Octokit with throttling and retry, job summary) and runs the mode. main.ts only calls
// this; tests call it too, with their own environment.
import * as core from '@actions/core';
import { PULL_REQUEST_TEXT_CAP } from '../prompt/format.js';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { INPUTS, parseConfig, type Config } from '../config.js';
import { ConfigError, UsageError } from '../errors.js';
import { BatchClient } from '../batch/client.js';
import { cloudProvider } from '../providers/cloud.js';
import { ArtifactStateStore } from '../state/artifact-store.js';
import { ArtifactLedgerStore } from '../state/ledger-artifact.js';
import { StateSigner } from '../state/signing.js';
import { createOctokit } from '../github/octokit.js';
import type { GitHubContext } from '../github/context.js';
import type { EngineDeps, RunContext } from '../engine/deps.js';
import { submit } from '../engine/submit.js';
import { collect, failedReportLines } from '../engine/collect.js';
import { run } from '../engine/run.js';
import { severityGateLine } from '../engine/publish.js';
import type { Logger, PullRequestInfo } from '../types.js';
import { escapeLogText, maskSecrets, MIN_MASKED_LENGTH } from '../io/safe-text.js';
import { notifySecrets } from '../reports/notify-url.js';

interface PullRequestPayload {
  number: number;
  base: { sha: string; ref: string; repo?: { full_name?: string } };
  head: { sha: string; ref: string; repo?: { full_name?: string } | null };
  title?: unknown;
  body?: unknown;
}

/** The pull request of a pull_request / pull_request_target event, if that is what triggered the run. */
export function pullRequestFromEvent(eventName: string, eventPath: string | undefined): PullRequestInfo | null {
  if (!['pull_request', 'pull_request_target'].includes(eventName) || !eventPath) return null;
  const payload = JSON.parse(readFileSync(eventPath, 'utf8')) as { pull_request?: PullRequestPayload };
  const pr = payload.pull_request;
  if (!pr) return null;
  return {
    number: pr.number,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    headRef: pr.head.ref,
    fromFork: (pr.head.repo?.full_name ?? '') !== (pr.base.repo?.full_name ?? ''),
    // Kept only as far as the prompt shows them, so a huge description does not bloat the state.
    ...(typeof pr.title === 'string' ? { title: pr.title.slice(0, PULL_REQUEST_TEXT_CAP.title * 2) } : {}),
    ...(typeof pr.body === 'string' ? { body: pr.body.slice(0, PULL_REQUEST_TEXT_CAP.body * 2) } : {}),
  };
}

/** The action's secrets: registered with the runner (::add-mask::) and masked in every line logged. */
const actionSecrets: string[] = [];

/** The parts of a notify-url to mask; none for a value that is not a URL (it is masked whole). */
function notifySecretsOf(value: string | undefined): string[] {
  try {
    return value?.trim() ? notifySecrets(new URL(value.trim()).toString()) : [];
  } catch {
    return [];
  }
}

function addSecret(value: string | undefined): void {
  const secret = value?.trim() ?? '';
  if (secret.length < MIN_MASKED_LENGTH || actionSecrets.includes(secret)) return;
  core.setSecret(secret);
  actionSecrets.push(secret);
}

/** Every line the action logs: repository and model text never becomes a workflow command or a secret. */
function logLine(message: string): string {
  return escapeLogText(maskSecrets(message, actionSecrets));
}

const actionLog: Logger = {
  debug: (m) => core.debug(logLine(m)),
  info: (m) => core.info(logLine(m)),
  warning: (m) => core.warning(logLine(m)),
  error: (m) => core.error(logLine(m)),
};

function readInputs(): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const input of INPUTS) {
    const value = core.getInput(input.name);
    if (value !== '') raw[input.name] = value;
  }
  return raw;
}

export function actionDeps(config: Config, env: NodeJS.ProcessEnv): EngineDeps {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) throw new ConfigError('GITHUB_REPOSITORY is not set: this action runs inside a GitHub workflow');
  const token = config.githubToken;
  if (!token)
    throw new ConfigError(
      'github-token: missing; pass github-token: ${{ github.token }} and grant the permissions the README lists',
    );
  const eventName = env.GITHUB_EVENT_NAME ?? 'workflow_dispatch';
  const pullRequest = pullRequestFromEvent(eventName, env.GITHUB_EVENT_PATH);
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const octokit = createOctokit({ token, baseUrl: env.GITHUB_API_URL || 'https://api.github.com', log: actionLog });
  // A fork's pull_request run gets a read-only token: reports fall back to the job summary.
  // pull_request_target runs in the base repository's context, with the token the workflow grants.
  const readOnly = eventName === 'pull_request' && (pullRequest?.fromFork ?? false);
  const github: GitHubContext = { octokit, owner, repo, serverUrl, readOnly };
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const runId = Number(env.GITHUB_RUN_ID ?? '0');
  const temp = env.RUNNER_TEMP || tmpdir();
  const context: RunContext = {
    event: eventName,
    repository,
    serverUrl,
    cwd: workspace,
    pullRequest,
    ref: env.GITHUB_REF ?? null,
    runLabel: `run ${runId}`,
    outputDir: join(temp, 'overnight'),
    ...(runId > 0 ? { runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` } : {}),
  };
  // A cloud provider's run has no API key to sign its states with: it must bring a key, checked now,
  // before a paid job is made whose state could then not be saved.
  if (config.provider !== 'anthropic' && !config.apiKey && !config.stateSigningKey && !config.dryRun) {
    throw new ConfigError(
      `state-signing-key: provider ${config.provider} needs a secret to sign state artifacts with; pass state-signing-key: \${{ secrets.OVERNIGHT_STATE_KEY }}`,
    );
  }
  const stores = {
    octokit,
    token,
    owner,
    repo,
    runId,
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? '1'),
    stateName: config.stateName,
    retentionDays: config.retentionDays,
    log: actionLog,
    // States are signed with a key derived from the API key, which a fork's pull_request run never has.
    signer: StateSigner.forRun(config),
    tempDir: temp,
  };
  const store = new ArtifactStateStore(stores);
  return {
    log: actionLog,
    now: () => new Date(),
    anthropic: () => {
      if (!config.apiKey)
        throw new ConfigError('anthropic-api-key: missing; pass anthropic-api-key: ${{ secrets.ANTHROPIC_API_KEY }}');
      return new BatchClient({ apiKey: config.apiKey, baseURL: config.baseUrl || undefined, log: actionLog });
    },
    provider: cloudProvider(config, { log: actionLog }),
    store,
    // The month's spending (monthly-budget-usd), signed like the states, carried as artifacts.
    ledger: new ArtifactLedgerStore(stores),
    github,
    context,
    setOutput: (name, value) => core.setOutput(name, String(value)),
    jobSummary: async (markdown) => {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
      return 'the job summary of this run';
    },
  };
}

export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readInputs();
    // Before the inputs are parsed: an input error may echo a key given in the wrong input.
    for (const secret of [
      inputs['anthropic-api-key'],
      inputs['github-token'],
      inputs['state-signing-key'],
      env.ANTHROPIC_API_KEY,
      env.GITHUB_TOKEN,
      env.OVERNIGHT_STATE_KEY,
    ]) {
      addSecret(secret);
    }
    // notify-url is a credential (a webhook's path): masked whole and by its path, even when malformed.
    for (const secret of [inputs['notify-url'], env.OVERNIGHT_NOTIFY_URL]) {
      addSecret(secret);
      for (const part of notifySecretsOf(secret)) addSecret(part);
    }
    const config = parseConfig(inputs, env);
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    if (config.sarifPath && !isAbsolute(config.sarifPath)) config.sarifPath = resolve(workspace, config.sarifPath);
    const deps = actionDeps(config, env);
    // A fork's pull_request run saves states as the fork's artifacts, which no collect trusts (README
    // "Security"): it never submits a batch that nothing would collect.
    if (deps.context.event === 'pull_request' && deps.context.pullRequest?.fromFork && !config.dryRun) {
      if (config.mode === 'submit') {
        throw new ConfigError(
          "mode: submit on a fork's pull_request run: no collect would trust the state this run saves; review fork pull requests with pull_request_target, or with mode: run in this run",
        );
      }
      if (config.mode === 'auto') {
        actionLog.info(
          "auto on a fork's pull_request run: every request goes through the interactive API (a batch's state would not be trusted)",
        );
        config.syncThreshold = Number.MAX_SAFE_INTEGER;
      }
    }
    switch (config.mode) {
      case 'submit':
        await submit(config, deps);
        break;
      case 'collect': {
        const result = await collect(config, deps);
        const failed = result.states.filter((s) => s.error);
        for (const s of failed) actionLog.warning(`${s.stateId}: ${s.error}`);
        const unpublished = result.states.filter((s) => s.status === 'failed');
        if (unpublished.length > 0) {
          // Results are saved; the round stays open, so the next collect publishes what is missing.
          core.setFailed(
            logLine(`reports not published (the next collect tries again): ${failedReportLines(unpublished).join('; ')}`),
          );
        }
        failOnSeverity(severityGateLine(result.rounds, config));
        break;
      }
      case 'run':
      case 'auto': {
        const ran = await run(config, deps);
        const failed = failedReportLines([ran.collected]);
        if (failed.length > 0) core.setFailed(logLine(`reports not published (the results are saved): ${failed.join('; ')}`));
        if (ran.collected?.results) failOnSeverity(severityGateLine([{ results: ran.collected.results }], config));
        break;
      }
    }
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (error instanceof UsageError) {
      // One annotation per problem (parseConfig names them all at once); the last one fails the step.
      const lines = message.split('\n').map((line) => `input error: ${line}`);
      for (const line of lines.slice(0, -1)) actionLog.error(line);
      core.setFailed(logLine(lines.at(-1)!));
      await failureSummary(env, lines);
    } else {
      core.setFailed(logLine(message));
      await failureSummary(env, [message]);
    }
  }
}

/** fail-on-severity, asked after everything is published: the step fails with its one line. */
function failOnSeverity(line: string | null): void {
  if (line) core.setFailed(logLine(line));
}

/** The job summary of a failed step: the run's page says what failed, not only its log. */
async function failureSummary(env: NodeJS.ProcessEnv, lines: string[]): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) return;
  const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = lines.map((line) => html(logLine(line))).join('\n');
  await core.summary
    .addRaw(`### overnight failed\n\n<pre>${body}</pre>\n`, true)
    .write()
    .catch(() => undefined);
}
