// A night on Amazon Bedrock through the engine: the official AWS SDK clients against the S3 and
// Bedrock emulators (test/emulators/{s3,bedrock}), the same state and reports as on Anthropic's API.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect } from '../src/engine/collect.js';
import { submit } from '../src/engine/submit.js';
import { cloudProvider } from '../src/providers/cloud.js';
import { customIdOfRecord } from '../src/providers/bedrock/records.js';
import { makeRepo } from './helpers/git-repo.js';
import { echoResponder, testConfig, testEngine, type TestEngine } from './helpers/engine.js';
import { AWS_REGION, BEDROCK_MODEL, BUCKET, ROLE_ARN, startAwsEmulators, type AwsEmulators } from './helpers/aws.js';
import type { BedrockEmulatorOptions } from './emulators/bedrock/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MODULES = ['a', 'b', 'c', 'd', 'e'];

function bedrockInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'bedrock',
    'aws-region': AWS_REGION,
    'bedrock-bucket': BUCKET,
    'bedrock-role-arn': ROLE_ARN,
    model: BEDROCK_MODEL,
    ...extra,
  };
}

/** Five changed modules, the AWS emulators, and an engine whose provider is Bedrock. */
async function bedrockNight(
  options: BedrockEmulatorOptions extends infer O
    ? Omit<O, 'store' | 'region' | 'accessKeys'> & { s3Denied?: Set<string> }
    : never,
  credentials = true,
): Promise<{ aws: AwsEmulators; engine: TestEngine; inputs: (extra?: Record<string, string>) => Record<string, string> }> {
  const aws = await startAwsEmulators({ responder: echoResponder, ...options });
  const repo = await makeRepo();
  await repo.commit(Object.fromEntries(MODULES.map((m) => [`${m}/index.ts`, `export const ${m} = '${m}';\n`])), {
    date: new Date(Date.now() - 3_600_000),
  });
  const engine = await testEngine({ repoDir: repo.dir, baseUrl: 'http://127.0.0.1:9' });
  cleanups.push(aws.close, repo.cleanup, engine.cleanup);
  for (const name of [
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  ]) {
    vi.stubEnv(name, undefined);
  }
  for (const [name, value] of Object.entries(credentials ? aws.env : aws.envWithoutCredentials)) vi.stubEnv(name, value);
  const inputs = (extra: Record<string, string> = {}) => bedrockInputs(extra);
  return { aws, engine, inputs };
}

function withProvider(engine: TestEngine, raw: Record<string, string>) {
  const config = testConfig(raw, {});
  engine.deps.provider = cloudProvider(config, { log: engine.deps.log, sleep: engine.clock.sleep });
  return config;
}

describe('provider: bedrock', () => {
  it('submits a JSONL job in S3 in Bedrock Messages form, and collect joins the shuffled output on recordId', async () => {
    const { aws, engine, inputs } = await bedrockNight({ minRecords: 2 });
    const submitted = await submit(
      withProvider(engine, inputs({ mode: 'submit', task: 'code-review', since: '24h', 'bedrock-min-records': '2' })),
      engine.deps,
    );
    expect(submitted.requestCount).toBe(5);
    expect(aws.bedrock.jobs).toHaveLength(1);
    expect(engine.logs.some((l) => /^Cost: \$[\d.]+ with Bedrock batch inference/.test(l.message))).toBe(true);
    const job = aws.bedrock.jobs[0]!;
    expect(submitted.batchIds).toEqual([job.arn]);
    expect(job.request).toMatchObject({ roleArn: ROLE_ARN, modelId: BEDROCK_MODEL, timeoutDurationInHours: 72 });
    // The input: one record per request, Bedrock's Messages form, no model, the custom_id behind the recordId.
    const inputKey = aws.store.keys(BUCKET, 'overnight/input/');
    expect(inputKey).toHaveLength(1);
    expect(job.request.inputDataConfig.s3InputDataConfig.s3Uri).toBe(`s3://${BUCKET}/${inputKey[0]}`);
    const records = aws.store
      .get(BUCKET, inputKey[0]!)!
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { recordId: string; modelInput: Record<string, unknown> });
    expect(records).toHaveLength(5);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(['modelInput', 'recordId']);
      expect(record.recordId).toMatch(/^[a-zA-Z0-9]+$/);
      expect(record.modelInput.anthropic_version).toBe('bedrock-2023-05-31');
      expect(record.modelInput).not.toHaveProperty('model');
    }
    const [{ state }] = await engine.states();
    expect(state.provider).toBe('bedrock');
    expect(Object.keys(state.requests).sort()).toEqual(records.map((r) => customIdOfRecord(r.recordId)).sort());
    expect(state.batches.map((b) => [b.id, b.requestCount])).toEqual([[job.arn, 5]]);

    const collected = await collect(withProvider(engine, inputs({ mode: 'collect', task: '' })), engine.deps);
    expect(collected.status).toBe('collected');
    // echoResponder names the file each request carried: every finding landed on its own request's file.
    const results = collected.states[0]!.results!;
    expect(results.findings.map((f) => f.path).sort()).toEqual(MODULES.map((m) => `${m}/index.ts`));
    for (const finding of results.findings) expect(finding.title).toBe(`echo ${finding.path}`);
    expect(results.batchIds).toEqual([job.arn]);
    const [{ state: after }] = await engine.states();
    expect(after.collectedAt).not.toBeNull();
    expect(aws.bedrock.invocations).toHaveLength(0);
  });

  it('a collect with another provider than the submit leaves its state in one line, and reads nothing', async () => {
    const { engine, inputs } = await bedrockNight({ minRecords: 2 });
    await submit(
      withProvider(engine, inputs({ mode: 'submit', task: 'code-review', since: '24h', 'bedrock-min-records': '2' })),
      engine.deps,
    );
    engine.deps.provider = undefined;
    // Left for a collect with the right provider, in one line: other states' paid results still come in.
    const other = await collect(testConfig({ mode: 'collect', task: '' }), engine.deps);
    expect(other.status).toBe('pending');
    expect(engine.logs.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      expect.stringMatching(/was submitted through bedrock; left for a collect with provider: bedrock$/),
    ]);
    const [{ state }] = await engine.states();
    expect(state.collectedAt).toBeNull();
  });

  it('below the per-job minimum, answers each request through InvokeModel, says it is full price, and collects them the same way', async () => {
    const { aws, engine, inputs } = await bedrockNight({});
    const submitted = await submit(
      withProvider(engine, inputs({ mode: 'submit', task: 'code-review', since: '24h' })),
      engine.deps,
    );
    expect(aws.bedrock.jobs).toHaveLength(0);
    expect(aws.bedrock.invocations).toHaveLength(5);
    for (const call of aws.bedrock.invocations) {
      expect(call.modelId).toBe(BEDROCK_MODEL);
      expect(call.body.anthropic_version).toBe('bedrock-2023-05-31');
    }
    expect(submitted.batchIds).toHaveLength(1);
    expect(submitted.batchIds[0]).toMatch(/^ondemand-overnight-/);
    // Said with the plan too, with what it costs instead of the batch price.
    expect(
      engine.logs.some((l) =>
        /^bedrock: 5 requests is below the minimum of 100 records per batch job: answered on demand at the full price \(about \$[\d.]+, not \$[\d.]+\)$/.test(
          l.message,
        ),
      ),
    ).toBe(true);
    expect(
      engine.logs.some(
        (l) => l.level === 'warning' && /below the minimum of 100 records per batch job.*full on-demand price/.test(l.message),
      ),
    ).toBe(true);
    const collected = await collect(withProvider(engine, inputs({ mode: 'collect', task: '' })), engine.deps);
    expect(collected.status).toBe('collected');
    expect(collected.states[0]!.results!.findings.map((f) => f.path).sort()).toEqual(MODULES.map((m) => `${m}/index.ts`));
  });

  it('with no AWS credentials: one line naming what was refused, no job, no state', async () => {
    const { aws, engine, inputs } = await bedrockNight({ minRecords: 2 }, false);
    const error = await submit(
      withProvider(engine, inputs({ mode: 'submit', task: 'code-review', since: '24h', 'bedrock-min-records': '2' })),
      engine.deps,
    ).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('ConfigError');
    expect(error!.message).toMatch(
      /^provider bedrock: no AWS credentials for s3:PutObject on s3:\/\/overnight-batches\/overnight\/input\/.*configure-aws-credentials/,
    );
    expect(error!.message).not.toContain('\n');
    expect(aws.bedrock.jobs).toHaveLength(0);
    expect(aws.s3.calls).toHaveLength(0);
    expect(await engine.states()).toEqual([]);
  });

  it.each([
    ['iam:PassRole', { denied: new Set(['iam:PassRole']) }, /access denied: the caller needs iam:PassRole on model/],
    [
      'bedrock:CreateModelInvocationJob',
      { denied: new Set(['bedrock:CreateModelInvocationJob']) },
      /the caller needs bedrock:CreateModelInvocationJob/,
    ],
    ['s3:PutObject', { s3Denied: new Set(['s3:PutObject']) }, /the caller needs s3:PutObject on s3:\/\/overnight-batches\//],
    [
      'a role Bedrock cannot assume',
      { assumableRoles: new Set<string>() },
      /Bedrock cannot assume the service role .*bedrock\.amazonaws\.com sts:AssumeRole/,
    ],
  ])('when AWS refuses %s: one line naming it, no job, no state', async (_what, options, line) => {
    const { aws, engine, inputs } = await bedrockNight({ minRecords: 2, ...options });
    const error = await submit(
      withProvider(engine, inputs({ mode: 'submit', task: 'code-review', since: '24h', 'bedrock-min-records': '2' })),
      engine.deps,
    ).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('ConfigError');
    expect(error!.message).toMatch(line);
    expect(error!.message).not.toContain('\n');
    expect(aws.bedrock.jobs).toHaveLength(0);
    expect(await engine.states()).toEqual([]);
  });

  it('maps per-record errors: a throttled record is resubmitted in a new job, a refused one reported as failed once', async () => {
    const { aws, engine, inputs } = await bedrockNight({
      minRecords: 1,
      recordError: (index, job) => {
        if (job > 0) return null;
        if (index === 0) return { errorCode: 'ThrottlingException', errorMessage: 'Too many requests' };
        if (index === 1) return { errorCode: 400, errorMessage: 'messages.0.content: field required' };
        return null;
      },
    });
    const raw = { 'bedrock-min-records': '1' };
    await submit(withProvider(engine, inputs({ mode: 'submit', task: 'code-review', since: '24h', ...raw })), engine.deps);
    const firstInput = aws.store.get(BUCKET, aws.store.keys(BUCKET, 'overnight/input/')[0]!)!.toString('utf8').trim().split('\n');
    const [throttled, refused] = firstInput.map((line) => customIdOfRecord((JSON.parse(line) as { recordId: string }).recordId)!);

    const first = await collect(withProvider(engine, inputs({ mode: 'collect', task: '', ...raw })), engine.deps);
    expect(aws.bedrock.jobs).toHaveLength(2);
    const results = first.states[0]!.results!;
    expect(results.resubmitted).toBe(1);
    expect(results.failures.map((f) => [f.customId, f.status])).toEqual([[refused, 'errored']]);
    expect(results.failures[0]!.reason).toMatch(/^invalid_request_error: Bedrock 400: messages\.0\.content: field required/);
    const [{ state }] = await engine.states();
    expect(state.batches.map((b) => [b.id, b.attempt])).toEqual([
      [aws.bedrock.jobs[0]!.arn, 0],
      [aws.bedrock.jobs[1]!.arn, 1],
    ]);
    expect(state.requests[throttled!]!.batchId).toBe(aws.bedrock.jobs[1]!.arn);

    const second = await collect(withProvider(engine, inputs({ mode: 'collect', task: '', ...raw })), engine.deps);
    expect(second.status).toBe('collected');
    expect(second.states[0]!.results!.findings.map((f) => f.customId)).toEqual([throttled]);
    const [{ state: after }] = await engine.states();
    expect(after.collectedAt).not.toBeNull();
  });

  it("when Bedrock's minimum is above bedrock-min-records, the job fails and collect reports each request once with Bedrock's reason", async () => {
    const { aws, engine, inputs } = await bedrockNight({ minRecords: 10 });
    await submit(
      withProvider(engine, inputs({ mode: 'submit', task: 'code-review', since: '24h', 'bedrock-min-records': '2' })),
      engine.deps,
    );
    const collected = await collect(withProvider(engine, inputs({ mode: 'collect', task: '' })), engine.deps);
    expect(collected.status).toBe('collected');
    const results = collected.states[0]!.results!;
    expect(results.resubmitted).toBe(0);
    expect(results.failures).toHaveLength(5);
    for (const failure of results.failures) {
      expect(failure.reason).toMatch(
        /Bedrock job Failed: The number of records \(5\) is below the minimum number of records per batch inference job \(10\)/,
      );
    }
    expect(aws.bedrock.jobs).toHaveLength(1);
  });
});
