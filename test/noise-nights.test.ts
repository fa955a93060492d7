// A month of nightly runs in miniature: five nights of submit + collect on one repository, with the
// real SDK against the Anthropic emulator and Octokit against the GitHub emulator. Code changes between
// nights, night 3's submit fails, an issue is closed as not planned, a finding is dismissed in
// .github/overnight.yml, findings get fixed. Every change must be reviewed exactly once, every finding
// reported in exactly one issue until it is resolved (noted once) or dismissed (never again), and a
// repeated collect posts nothing.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect } from '../src/engine/collect.js';
import { submit } from '../src/engine/submit.js';
import { startAnthropicEmulator, type Responder } from '../src/emulator/anthropic/index.js';
import { createOctokit } from '../src/github/octokit.js';
import { findMarkers, readFingerprints } from '../src/reports/markers.js';
import { fingerprint } from '../src/tasks/fingerprint.js';
import { BATCH_LIMITS } from '../src/batch/client.js';
import { makeRepo } from './helpers/git-repo.js';
import { TestClock, sentFileBlocks, testConfig, testEngine, quietLog } from './helpers/engine.js';
import { startGitHubEmulator } from './emulators/github/index.js';
import { cloudProvider } from '../src/providers/cloud.js';
import { customIdOfRecord } from '../src/providers/bedrock/records.js';
import { AWS_REGION, BEDROCK_MODEL, BUCKET, ROLE_ARN, startAwsEmulators } from './helpers/aws.js';
import { GCP_LOCATION, GCP_PROJECT, GCS_BUCKET, GOOGLE_CREDENTIAL_VARS, VERTEX_MODEL, startGcpEmulators } from './helpers/gcp.js';

const owner = 'acme';
const repo = 'shop';
const quiet = quietLog;
const DAY = 86_400_000;

/**
 * A model that reports every line it was shown containing `BUG(name)`: category `name`, on that line.
 * What is reported is decided by the code, so the test decides it by editing the code.
 */
const bugResponder: Responder = (params) => {
  const findings = sentFileBlocks(params).flatMap((block) =>
    [...block.code].flatMap(([line, text]) => {
      const match = /BUG\((\w+)\)/.exec(text);
      if (!match) return [];
      return [
        {
          path: block.path,
          start_line: line,
          end_line: line,
          quote: text,
          trigger: `input → bug ${match[1]} → wrong result`,
          confidence: 'certain',
          severity: 'high',
          category: match[1]!,
          title: `bug ${match[1]}`,
          explanation: `line ${line} has bug ${match[1]}`,
          suggested_fix: null,
          cwe: null,
        },
      ];
    }),
  );
  return JSON.stringify({ summary: `${findings.length} bug(s)`, findings });
};

/** The fingerprint a finding on `code` (one line) of `path` gets. */
const printOf = (path: string, bug: string, code: string): string =>
  fingerprint({ task: 'code-review', path, category: bug, code });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type ProviderName = 'anthropic' | 'bedrock' | 'vertex';

/**
 * The batch service a night runs on, as the test needs it: the inputs that choose it, a way to make
 * every submit fail and to stop that, and every custom_id it was sent.
 */
interface BatchService {
  inputs: Record<string, string>;
  failSubmits(): void;
  allowSubmits(): void;
  sentCustomIds(): string[];
}

async function batchService(
  provider: ProviderName,
  anthropic: Awaited<ReturnType<typeof startAnthropicEmulator>>,
): Promise<BatchService> {
  if (provider === 'anthropic') {
    return {
      inputs: {},
      failSubmits: () =>
        anthropic.faults.http('batches.create', { status: 500, type: 'api_error', message: 'Internal server error', times: 20 }),
      allowSubmits: () => anthropic.faults.clear(),
      sentCustomIds: () => anthropic.batches().flatMap((b) => b.requests.map((r) => r.custom_id)),
    };
  }
  const denied = new Set<string>();
  if (provider === 'vertex') {
    const gcp = await startGcpEmulators({ responder: bugResponder, denied });
    cleanups.push(gcp.close);
    for (const name of GOOGLE_CREDENTIAL_VARS) vi.stubEnv(name, undefined);
    for (const [name, value] of Object.entries(gcp.env)) vi.stubEnv(name, value);
    return {
      inputs: {
        provider: 'vertex',
        'gcp-project': GCP_PROJECT,
        'gcp-location': GCP_LOCATION,
        'vertex-bucket': GCS_BUCKET,
        model: VERTEX_MODEL,
      },
      failSubmits: () => denied.add('aiplatform.batchPredictionJobs.create'),
      allowSubmits: () => denied.clear(),
      sentCustomIds: () =>
        gcp.vertex.jobs.flatMap((job) =>
          job.request.inputConfig.gcsSource.uris.flatMap((uri) => {
            const lines = gcp.store
              .get(GCS_BUCKET, uri.replace(`gs://${GCS_BUCKET}/`, ''))!
              .toString('utf8')
              .trim()
              .split('\n');
            return lines.map((line) => (JSON.parse(line) as { custom_id: string }).custom_id);
          }),
        ),
    };
  }
  const aws = await startAwsEmulators({ minRecords: 1, responder: bugResponder, denied });
  cleanups.push(aws.close);
  for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_PROFILE', undefined);
  return {
    inputs: {
      provider: 'bedrock',
      'aws-region': AWS_REGION,
      'bedrock-bucket': BUCKET,
      'bedrock-role-arn': ROLE_ARN,
      'bedrock-min-records': '1',
      model: BEDROCK_MODEL,
    },
    failSubmits: () => denied.add('bedrock:CreateModelInvocationJob'),
    allowSubmits: () => denied.clear(),
    sentCustomIds: () =>
      aws.bedrock.jobs.flatMap((job) => {
        const key = job.request.inputDataConfig.s3InputDataConfig.s3Uri.replace(`s3://${BUCKET}/`, '');
        const lines = aws.store.get(BUCKET, key)!.toString('utf8').trim().split('\n');
        return lines.map((line) => customIdOfRecord((JSON.parse(line) as { recordId: string }).recordId)!);
      }),
  };
}

async function setup(provider: ProviderName) {
  const anthropic = await startAnthropicEmulator({ seed: 11, pollsUntilEnded: 0, responder: bugResponder });
  const service = await batchService(provider, anthropic);
  const gh = await startGitHubEmulator({ owner, repo });
  const gitRepo = await makeRepo();
  const clock = new TestClock(new Date('2026-11-02T02:00:00Z'));
  // One request per batch (and files in separate directories, so none share a request): every
  // night has several batches, and must still make one issue.
  const engine = await testEngine({
    repoDir: gitRepo.dir,
    baseUrl: anthropic.url,
    clock,
    batchLimits: { maxRequests: 1, maxBytes: BATCH_LIMITS.maxBytes },
  });
  engine.deps.github = {
    octokit: createOctokit({ token: 'ghs_test', baseUrl: gh.url, log: quiet, minWriteIntervalMs: 0 }),
    owner,
    repo,
    serverUrl: 'https://github.com',
    readOnly: false,
  };
  cleanups.push(
    gitRepo.cleanup,
    () => anthropic.close(),
    () => gh.close(),
    engine.cleanup,
  );
  if (provider !== 'anthropic') {
    engine.deps.provider = cloudProvider(testConfig(service.inputs, {}), { log: quiet, sleep: clock.sleep });
  }
  return { service, gh, repo: gitRepo, clock, engine };
}

/** Bodies of an issue and its comments. */
function issueTexts(gh: Awaited<ReturnType<typeof startGitHubEmulator>>, number: number): { body: string; comments: string[] } {
  const issue = gh.store.issues.find((i) => i.number === number)!;
  return { body: issue.body ?? '', comments: gh.store.comments.filter((c) => c.issue_number === number).map((c) => c.body) };
}

describe.each(['anthropic', 'bedrock', 'vertex'] as const)('five nights on one repository (provider %s)', (provider) => {
  it('reviews every change once, reports every finding once, remembers dismissals and notes what got fixed', async () => {
    const { service, gh, repo: git, clock, engine } = await setup(provider);
    const at = (hoursBeforeNight: number) => new Date(clock.now().getTime() - hoursBeforeNight * 3_600_000);
    const nextNight = () => clock.sleep(DAY);
    const config = testConfig({ mode: 'submit', task: 'code-review', ...service.inputs }); // since: last, the default
    const collectConfig = testConfig({ mode: 'collect', task: 'code-review', ...service.inputs });
    const writes = () => gh.requests.filter((r) => r.method !== 'GET');
    const heads: string[] = [];

    // Old history, outside every window.
    await git.commit({ 'README.md': '# shop\n' }, { date: new Date(clock.now().getTime() - 3 * DAY) });

    // ---- Night 1: first run, no earlier submit: the last 24h.
    const alpha = 'export const a1 = eval(input); // BUG(alpha)';
    const beta = 'export const a2 = secret; // BUG(beta)';
    const gamma = 'export const b1 = query + input; // BUG(gamma)';
    heads.push(
      await git.commit({ 'a/a.ts': `${alpha}\n${beta}\n`, 'b/b.ts': `${gamma}\nexport const b2 = 2;\n` }, { date: at(5) }),
    );
    expect((await submit(config, engine.deps)).status).toBe('submitted');
    expect(
      engine.logs.some((l) => /since: last found no earlier submit of code-review; reviewing the last 24h/.test(l.message)),
    ).toBe(true);
    const night1 = await collect(collectConfig, engine.deps);
    expect(night1.rounds).toHaveLength(1);
    expect(night1.rounds[0]!.results.batchIds.length).toBe(2); // two batches, one report
    expect(gh.store.issues).toHaveLength(1);
    const issue1 = gh.store.issues[0]!;
    const fpAlpha = printOf('a/a.ts', 'alpha', alpha);
    const fpBeta = printOf('a/a.ts', 'beta', beta);
    const fpGamma = printOf('b/b.ts', 'gamma', gamma);
    expect(readFingerprints(issue1.body!).sort()).toEqual([fpAlpha, fpBeta, fpGamma].sort());
    // The short fingerprint a user copies into the decisions file is shown next to each finding.
    expect(issue1.body).toContain(`fp \`${fpAlpha.slice(0, 12)}\``);

    // ---- Night 2: a.ts edited above its findings (they shift down), a new bug in it, a new file.
    await nextNight();
    const delta = 'export const a3 = Math.random(); // BUG(delta)';
    const epsilon = 'export const c1 = md5(password); // BUG(epsilon)';
    heads.push(
      await git.commit({ 'a/a.ts': `// header\n\n${alpha}\n${beta}\n${delta}\n`, 'c/c.ts': `${epsilon}\n` }, { date: at(6) }),
    );
    await submit(config, engine.deps);
    await collect(collectConfig, engine.deps);
    expect(gh.store.issues).toHaveLength(2);
    const issue2 = gh.store.issues[1]!;
    const fpDelta = printOf('a/a.ts', 'delta', delta);
    const fpEpsilon = printOf('c/c.ts', 'epsilon', epsilon);
    // The moved findings keep their fingerprints: referenced, not repeated.
    expect(readFingerprints(issue2.body!).sort()).toEqual([fpDelta, fpEpsilon].sort());
    expect(issue2.body).toContain(`2 findings already reported in #${issue1.number} (not repeated here).`);
    // The team decides: not planned.
    await engine.deps.github!.octokit.rest.issues.update({
      owner,
      repo,
      issue_number: issue2.number,
      state: 'closed',
      state_reason: 'not_planned',
    });

    // ---- Night 3: changes land, but the submit fails (the API answers 500 every time).
    await nextNight();
    const zeta = 'export const b3 = exec(cmd); // BUG(zeta)';
    await git.commit(
      { 'a/a.ts': `// header\n\n${alpha}\n${delta}\n`, 'b/b.ts': `${gamma}\nexport const b2 = 2;\n${zeta}\n` },
      { date: at(6) },
    );
    service.failSubmits();
    await expect(submit(config, engine.deps)).rejects.toThrow();
    service.allowSubmits();
    expect((await collect(collectConfig, engine.deps)).status).toBe('nothing-to-do');
    expect(gh.store.issues).toHaveLength(2);

    // ---- Night 4: catches up night 3 (watermark = night 2's head), a new bug dismissed in the decisions file.
    await nextNight();
    const eta = 'export const c2 = JSON.parse(raw); // BUG(eta)';
    const fpEta = printOf('c/c.ts', 'eta', eta);
    heads.push(
      await git.commit(
        {
          'c/c.ts': `${epsilon}\n${eta}\n`,
          '.github/overnight.yml': `dismissed:\n  - fingerprint: ${fpEta.slice(0, 12)}\n    reason: raw is validated upstream\n`,
        },
        { date: at(4) },
      ),
    );
    await submit(config, engine.deps);
    expect(engine.logs.some((l) => l.message.includes(`since: last → ${heads[1]!.slice(0, 7)}`))).toBe(true);
    await collect(collectConfig, engine.deps);
    expect(gh.store.issues).toHaveLength(3);
    const issue3 = gh.store.issues[2]!;
    const fpZeta = printOf('b/b.ts', 'zeta', zeta);
    // Only zeta is new: alpha and gamma are in #1, delta and epsilon were dismissed with #2, eta in the file.
    expect(readFingerprints(issue3.body!)).toEqual([fpZeta]);
    expect(issue3.body).toContain(`2 findings already reported in #${issue1.number}`);
    expect(issue3.body).toMatch(
      /3 findings dismissed earlier, not reported \(2 by #2 closed as not planned; 1 by \.github\/overnight\.yml@[0-9a-f]{7}\)/,
    );
    // beta's code is gone: noted on #1 (still open: alpha and gamma remain) and in tonight's report.
    expect(issue3.body).toContain(`Since #${issue1.number}: 1 finding`);
    let texts = issueTexts(gh, issue1.number);
    expect(texts.comments).toHaveLength(1);
    expect(readFingerprints(texts.comments[0]!)).toEqual([fpBeta]);
    expect(gh.store.issues[0]!.state).toBe('open');

    // ---- Night 5: alpha and gamma fixed, eta's code changed (its dismissal lapses), a.ts touched again.
    await nextNight();
    const eta2 = 'export const c2 = JSON.parse(rawInput); // BUG(eta)';
    heads.push(
      await git.commit(
        {
          'a/a.ts': `// header\n\n${delta}\n// more\n`,
          'b/b.ts': `export const b2 = 2;\n${zeta}\n`,
          'c/c.ts': `${epsilon}\n${eta2}\n`,
        },
        { date: at(3) },
      ),
    );
    await submit(config, engine.deps);
    const statesBefore = await engine.states();
    const writesBeforeCollect = writes().length;
    const night5 = await collect(collectConfig, engine.deps);
    expect(night5.rounds).toHaveLength(1);
    expect(gh.store.issues).toHaveLength(4);
    const issue4 = gh.store.issues[3]!;
    const fpEta2 = printOf('c/c.ts', 'eta', eta2);
    expect(readFingerprints(issue4.body!)).toEqual([fpEta2]);
    expect(issue4.body).toContain(`Since #${issue1.number}: 2 findings`);
    // #1 has nothing left: noted and closed as completed; #2 stays closed as not planned; #3 open (zeta).
    texts = issueTexts(gh, issue1.number);
    expect(texts.comments).toHaveLength(2);
    expect(readFingerprints(texts.comments[1]!).sort()).toEqual([fpAlpha, fpGamma].sort());
    expect(texts.comments[1]).toContain('closing it');
    expect(gh.store.issues[0]!).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(gh.store.issues[1]!).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(gh.store.issues[2]!.state).toBe('open');
    const writesOfNight5 = writes().length - writesBeforeCollect;
    expect(writesOfNight5).toBe(3); // the new issue, the resolved note, the close

    // ---- A crashed collect re-run (its state revision lost): the same round, nothing posted twice.
    for (const { id, state } of statesBefore) await engine.store.update(id, state);
    const rerun = await collect(collectConfig, engine.deps);
    expect(rerun.rounds).toHaveLength(1);
    expect(rerun.rounds[0]!.reports.find((r) => r.target === 'issue')!.note).toContain(`already published as #${issue4.number}`);
    expect(writes().length - writesBeforeCollect).toBe(writesOfNight5);
    expect((await collect(collectConfig, engine.deps)).status).toBe('nothing-to-do');

    // ---- Every change reviewed exactly once.
    const states = (await engine.states()).map((s) => s.state);
    expect(states).toHaveLength(4);
    expect(states.every((s) => s.collectedAt !== null)).toBe(true);
    const sent = states.flatMap((s) =>
      Object.values(s.requests).flatMap((r) => Object.entries(r.contentHashes).map(([p, h]) => `${p}@${h}`)),
    );
    expect(new Set(sent).size).toBe(sent.length);
    const customIds = service.sentCustomIds();
    expect(new Set(customIds).size).toBe(customIds.length);
    // What each successful night sent is exactly what changed since the previous successful night.
    const expected: string[] = [];
    for (const [night, head] of heads.entries()) {
      const base = night === 0 ? `${head}~1` : heads[night - 1]!;
      const changed = (await git.git('diff', '--name-only', base, head)).split('\n').filter(Boolean);
      for (const path of changed) {
        const content = await git.git('show', `${head}:${path}`);
        expected.push(`${path}@${createHash('sha256').update(`${content}\n`).digest('hex')}`);
      }
    }
    expect(sent.sort()).toEqual(expected.sort());

    // ---- Every finding in exactly one report; every resolution noted once.
    const reported = new Map<string, number>();
    const resolvedNotes = new Map<string, number>();
    for (const issue of gh.store.issues) {
      const { body, comments } = issueTexts(gh, issue.number);
      for (const print of readFingerprints(body)) reported.set(print, (reported.get(print) ?? 0) + 1);
      for (const comment of comments) {
        if (findMarkers(comment, 'resolved').length === 0) continue;
        for (const print of readFingerprints(comment)) resolvedNotes.set(print, (resolvedNotes.get(print) ?? 0) + 1);
      }
    }
    expect([...reported.values()].every((n) => n === 1)).toBe(true);
    expect([...reported.keys()].sort()).toEqual([fpAlpha, fpBeta, fpGamma, fpDelta, fpEpsilon, fpZeta, fpEta2].sort());
    expect(Object.fromEntries(resolvedNotes)).toEqual({ [fpBeta]: 1, [fpAlpha]: 1, [fpGamma]: 1 });
    expect(reported.has(fpEta)).toBe(false);
    expect(gh.violations).toEqual([]);
  });
});

describe('several submissions collected together', () => {
  it('publish one issue about the newest commit: newer reviews supersede older ones, moved code is followed', async () => {
    const { gh, repo: git, clock, engine } = await setup('anthropic');
    const one = 'export const x = eval(s); // BUG(one)';
    const two = 'export const y = exec(s); // BUG(two)';
    const three = 'export const z = md5(s); // BUG(three)';
    await git.commit({ 'README.md': '# shop\n' }, { date: new Date(clock.now().getTime() - 3 * DAY) });
    await git.commit(
      { 'src/x.ts': `${one}\n`, 'src/y.ts': `// y\n${two}\n` },
      { date: new Date(clock.now().getTime() - 3_600_000) },
    );
    await submit(testConfig({ mode: 'submit', task: 'code-review' }), engine.deps);

    // The next night's collect never ran; x.ts and y.ts move their code down, z.ts is new. y.ts is
    // excluded from the second submit, so only the first one reviewed it.
    await clock.sleep(DAY);
    await git.commit(
      { 'src/x.ts': `// x\n${one}\n`, 'src/y.ts': `// y\n\n\n${two}\n`, 'src/z.ts': `${three}\n` },
      { date: new Date(clock.now().getTime() - 3_600_000) },
    );
    await submit(testConfig({ mode: 'submit', task: 'code-review', exclude: 'src/y.ts' }), engine.deps);

    const result = await collect(testConfig({ mode: 'collect', task: 'code-review' }), engine.deps);
    expect(result.states.map((s) => s.status)).toEqual(['collected', 'collected']);
    expect(result.rounds).toHaveLength(1);
    expect(result.rounds[0]!.stateIds).toHaveLength(2);
    expect(gh.store.issues).toHaveLength(1);
    const body = gh.store.issues[0]!.body!;
    expect(readFingerprints(body).sort()).toEqual(
      [printOf('src/x.ts', 'one', one), printOf('src/y.ts', 'two', two), printOf('src/z.ts', 'three', three)].sort(),
    );
    const head = await git.git('rev-parse', 'HEAD');
    // y.ts's finding came from the older review and links to where its code is at the newest commit.
    expect(body).toContain(`/blob/${head}/src/y.ts#L4-L4`);
    expect(body).toContain(`/blob/${head}/src/x.ts#L2-L2`);
    expect(body).toContain('2 submissions:');
    expect(engine.outputs['findings-count']).toBe('3');
    // A later collect finds nothing to do; nothing is posted again.
    expect((await collect(testConfig({ mode: 'collect', task: 'code-review' }), engine.deps)).status).toBe('nothing-to-do');
    expect(gh.store.issues).toHaveLength(1);
    expect(gh.violations).toEqual([]);
  });
});
