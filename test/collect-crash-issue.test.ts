// Exactly once under crashes, through the bundled action as a runner runs it: a nightly code-review
// whose report is too long for one issue body (an issue plus continuation comments). Its collect is
// SIGKILLed at six points, each further along, each time right after a write took effect on GitHub and
// before the process could learn it did; every re-run is a new workflow run. At the end the report
// exists exactly once: one label, one issue, each continuation comment once, the state collected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { startAnthropicEmulator, type AnthropicEmulator } from '../src/emulator/anthropic/index.js';
import { sentFileBlocks } from './helpers/engine.js';
import { findMarkers } from '../src/reports/markers.js';
import { buildSampleRepository } from '../src/cli/sample-repo.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/index.js';
import { AWS_REGION, BEDROCK_MODEL, BUCKET, ROLE_ARN, startAwsEmulators, type AwsEmulators } from './helpers/aws.js';
import { GCP_LOCATION, GCP_PROJECT, GCS_BUCKET, VERTEX_MODEL, startGcpEmulators, type GcpEmulators } from './helpers/gcp.js';
import { runBundledAction, runnerEnv } from './helpers/runner.js';
import { artifactFinalized, claimRefs, newestState, runKilledAt, type KillPoint } from './helpers/crash.js';

const OWNER = 'acme';
const REPO = 'shop';
const TOKEN = 'ghs_crashissuetoken00000000000000000000';
const API_KEY = 'sk-ant-test-crash-issue-0000';

/** A thorough model: one long finding per line it was shown, so the report needs several GitHub bodies. */
function verboseResponder(params: MessageCreateParamsNonStreaming): string {
  const findings = sentFileBlocks(params).flatMap((block) =>
    [...block.code.keys()]
      // A finding must quote at least three letters or digits of its line (tasks/evidence.ts).
      .filter((line) => ((block.code.get(line) ?? '').match(/[A-Za-z0-9]/g) ?? []).length >= 3)
      .slice(0, 30)
      .map((line) => ({
        path: block.path,
        start_line: line,
        end_line: line,
        quote: block.code.get(line) ?? '',
        trigger: 'input → this line → wrong result',
        confidence: 'certain',
        severity: line % 3 === 0 ? 'high' : 'medium',
        category: `rule-${line}`,
        title: `Line ${line} of ${block.path} needs a second look`,
        explanation: Array.from(
          { length: 45 },
          (_, i) => `Reason ${i + 1} for line ${line} of ${block.path}: the code here deserves care before the next release.`,
        ).join(' '),
        suggested_fix: null,
        cwe: null,
      })),
  );
  return JSON.stringify({ summary: `${findings.length} findings`, findings });
}

let anthropic: AnthropicEmulator;
let aws: AwsEmulators;
let gcp: GcpEmulators;
let github: GitHubEmulator;
let workspace: string;
let headSha: string;
/** The batch service of the night under test (its endpoints and credentials, for bedrock and vertex). */
let providerEnv: Record<string, string> = {};

function runEnv(runId: number): Record<string, string> {
  return { ...runnerEnv({ github, owner: OWNER, repo: REPO, sha: headSha, runId }), ...providerEnv };
}

beforeAll(async () => {
  anthropic = await startAnthropicEmulator({ pollsUntilEnded: 0, apiKeys: [API_KEY], responder: verboseResponder });
  aws = await startAwsEmulators({ minRecords: 1, responder: verboseResponder });
  gcp = await startGcpEmulators({ responder: verboseResponder });
  workspace = join(await mkdtemp(join(tmpdir(), 'overnight-crash-')), REPO);
  buildSampleRepository(workspace);
  headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspace }).toString().trim();
});

afterAll(async () => {
  await anthropic?.close();
  await aws?.close();
  await gcp?.close();
});

/** The inputs that send the night through each batch service. */
function providerInputs(provider: 'anthropic' | 'bedrock' | 'vertex'): Record<string, string> {
  if (provider === 'anthropic') return { 'anthropic-api-key': API_KEY, 'anthropic-base-url': anthropic.url };
  if (provider === 'vertex') {
    return {
      provider: 'vertex',
      'gcp-project': GCP_PROJECT,
      'gcp-location': GCP_LOCATION,
      'vertex-bucket': GCS_BUCKET,
      'state-signing-key': 'overnight-crash-state-signing-key-0123456789',
      model: VERTEX_MODEL,
    };
  }
  return {
    provider: 'bedrock',
    'aws-region': AWS_REGION,
    'bedrock-bucket': BUCKET,
    'bedrock-role-arn': ROLE_ARN,
    'bedrock-min-records': '1',
    'state-signing-key': 'overnight-crash-state-signing-key-0123456789',
    model: BEDROCK_MODEL,
  };
}

describe.each(['anthropic', 'bedrock', 'vertex'] as const)(
  'a collect killed at six points and re-run (dist/index.js, provider %s)',
  (provider) => {
    it('ends with the report posted exactly once: one label, one issue, each continuation comment once, the state collected', async () => {
      github = await startGitHubEmulator({ owner: OWNER, repo: REPO });
      providerEnv = provider === 'bedrock' ? aws.env : provider === 'vertex' ? gcp.env : {};
      const inputs = {
        task: 'code-review',
        since: '24h',
        'max-findings': '0',
        'max-output-tokens': '64000',
        ...providerInputs(provider),
      };
      const submitted = await runBundledAction({
        workspace,
        token: TOKEN,
        env: runEnv(1),
        inputs: { ...inputs, mode: 'submit' },
      });
      expect(submitted.code, submitted.stdout + submitted.stderr).toBe(0);
      github.completeRun(1);

      const issuePath = new RegExp(`^/repos/${OWNER}/${REPO}/issues$`);
      const commentPath = new RegExp(`^/repos/${OWNER}/${REPO}/issues/\\d+/comments$`);
      const points: KillPoint[] = [
        {
          name: 'the round is claimed, its results not yet streamed',
          match: {
            method: 'POST',
            path: /\/git\/refs$/,
            where: (r) => String((r.body as { ref?: string }).ref).startsWith('refs/overnight/claims/'),
          },
        },
        artifactFinalized('the results artifact is uploaded', /^overnight-results-/),
        { name: 'the label is created', match: { method: 'POST', path: /\/labels$/ } },
        { name: 'the issue is created', match: { method: 'POST', path: issuePath } },
        { name: 'the first continuation comment is posted', match: { method: 'POST', path: commentPath } },
        artifactFinalized('the state revision is uploaded', /^overnight-state-code-review-1-r/),
      ];
      let runId = 2;
      for (const point of points) {
        const { run, reached } = await runKilledAt(github, point, runId, {
          workspace,
          token: TOKEN,
          env: runEnv(runId),
          inputs: { ...inputs, mode: 'collect' },
        });
        expect(reached, `run ${runId} reached: ${point.name}\n${run.stdout}${run.stderr}`).toBe(true);
        expect(run.signal, point.name).toBe('SIGKILL');
        runId += 1;
      }

      // The last kill came after the state revision: the submission is collected, nothing is left.
      const final = await runBundledAction({
        workspace,
        token: TOKEN,
        env: runEnv(runId),
        inputs: { ...inputs, mode: 'collect' },
      });
      expect(final.code, final.stdout + final.stderr).toBe(0);
      expect(final.outputs.status).toBe('nothing-to-do');
      expect(newestState(github, 'code-review-1').collectedAt).not.toBeNull();

      // Exactly once.
      expect(github.store.labels.filter((l) => l.name === 'overnight')).toHaveLength(1);
      expect(github.store.issues).toHaveLength(1);
      const issue = github.store.issues[0]!;
      const report = findMarkers(issue.body ?? '', 'report');
      expect(report).toHaveLength(1);
      const parts = Number(report[0]!.fields.parts);
      expect(parts).toBeGreaterThanOrEqual(2);
      const comments = github.store.comments.filter((c) => c.issue_number === issue.number);
      const partIndexes = comments.map((c) => Number(findMarkers(c.body, 'report-part')[0]?.fields.part));
      expect(partIndexes.sort()).toEqual(Array.from({ length: parts }, (_, i) => i + 1));
      expect(github.store.comments).toHaveLength(parts);
      // Every kill after the first publish found the report by its marker: one creation request in all.
      expect(github.requests.filter((r) => r.method === 'POST' && issuePath.test(r.path))).toHaveLength(1);
      // The killed runs' claims were taken over; the last one (killed after its revision) is inert.
      expect(claimRefs(github).length).toBeLessThanOrEqual(1);
      expect(github.violations).toEqual([]);
      await github.close();
    }, 120_000);
  },
);
