// A night on Google Vertex AI through the engine: google-auth-library's Application Default
// Credentials (an external_account file, as google-github-actions/auth writes) and fetch against the
// GCS and Vertex emulators (test/emulators/{gcs,vertex}); the same state and reports as on Anthropic's API.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect } from '../src/engine/collect.js';
import { submit } from '../src/engine/submit.js';
import { cloudProvider } from '../src/providers/cloud.js';
import { makeRepo } from './helpers/git-repo.js';
import { echoResponder, testConfig, testEngine, type TestEngine } from './helpers/engine.js';
import {
  GCP_LOCATION,
  GCP_PROJECT,
  GCS_BUCKET,
  GOOGLE_CREDENTIAL_VARS,
  VERTEX_MODEL,
  startGcpEmulators,
  type GcpEmulators,
} from './helpers/gcp.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MODULES = ['a', 'b', 'c', 'd', 'e'];

function vertexInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'vertex',
    'gcp-project': GCP_PROJECT,
    'gcp-location': GCP_LOCATION,
    'vertex-bucket': GCS_BUCKET,
    model: VERTEX_MODEL,
    ...extra,
  };
}

/** Five changed modules, the Google emulators, and an engine whose provider is Vertex AI. */
async function vertexNight(
  options: Parameters<typeof startGcpEmulators>[0] = {},
  credentials = true,
): Promise<{ gcp: GcpEmulators; engine: TestEngine }> {
  const gcp = await startGcpEmulators({ responder: echoResponder, ...options });
  const repo = await makeRepo();
  await repo.commit(Object.fromEntries(MODULES.map((m) => [`${m}/index.ts`, `export const ${m} = '${m}';\n`])), {
    date: new Date(Date.now() - 3_600_000),
  });
  const engine = await testEngine({ repoDir: repo.dir, baseUrl: 'http://127.0.0.1:9' });
  cleanups.push(gcp.close, repo.cleanup, engine.cleanup);
  for (const name of GOOGLE_CREDENTIAL_VARS) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(credentials ? gcp.env : gcp.envWithoutCredentials)) vi.stubEnv(name, value);
  return { gcp, engine };
}

function withProvider(engine: TestEngine, raw: Record<string, string>) {
  const config = testConfig(vertexInputs(raw), {});
  engine.deps.provider = cloudProvider(config, { log: engine.deps.log, sleep: engine.clock.sleep });
  return config;
}

const failureOf = (run: Promise<unknown>): Promise<Error | null> =>
  run.then(
    () => null,
    (e: unknown) => e as Error,
  );

describe('provider: vertex', () => {
  it('submits JSONL to GCS and a batch prediction job, and collect joins the shuffled prediction files on custom_id', async () => {
    const { gcp, engine } = await vertexNight({ pollsUntilEnded: 1 });
    const submitted = await submit(withProvider(engine, { mode: 'submit', task: 'code-review', since: '24h' }), engine.deps);
    expect(submitted.requestCount).toBe(5);
    expect(gcp.vertex.jobs).toHaveLength(1);
    const job = gcp.vertex.jobs[0]!;
    expect(submitted.batchIds).toEqual([job.name]);
    expect(job.name).toMatch(new RegExp(`^projects/${GCP_PROJECT}/locations/${GCP_LOCATION}/batchPredictionJobs/\\d+$`));
    expect(job.request.model).toBe(`publishers/anthropic/models/${VERTEX_MODEL}`);
    expect(engine.logs.some((l) => /^Cost: \$[\d.]+ with Vertex AI batch prediction/.test(l.message))).toBe(true);
    // The input: one record per request, {custom_id, request} with Vertex's anthropic_version and no model.
    const inputs = gcp.store.keys(GCS_BUCKET, 'overnight/input/');
    expect(inputs).toHaveLength(1);
    expect(job.request.inputConfig.gcsSource.uris).toEqual([`gs://${GCS_BUCKET}/${inputs[0]}`]);
    expect(job.request.outputConfig.gcsDestination.outputUriPrefix).toMatch(new RegExp(`^gs://${GCS_BUCKET}/overnight/output/`));
    const records = gcp.store
      .get(GCS_BUCKET, inputs[0]!)!
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { custom_id: string; request: Record<string, unknown> });
    expect(records).toHaveLength(5);
    for (const record of records) {
      expect(Object.keys(record).sort()).toEqual(['custom_id', 'request']);
      expect(record.request.anthropic_version).toBe('vertex-2023-10-16');
      expect(record.request).not.toHaveProperty('model');
    }
    const [{ state }] = await engine.states();
    expect(state.provider).toBe('vertex');
    expect(Object.keys(state.requests).sort()).toEqual(records.map((r) => r.custom_id).sort());

    // Still running: collect says so and leaves the state as it is.
    const early = await collect(withProvider(engine, { mode: 'collect', task: '' }), engine.deps);
    expect(early.status).not.toBe('collected');

    const collected = await collect(withProvider(engine, { mode: 'collect', task: '' }), engine.deps);
    expect(collected.status).toBe('collected');
    // Two prediction files, lines shuffled: echoResponder names each request's file, so every finding
    // sits on its own request's file only if the join was on custom_id.
    expect(gcp.store.keys(GCS_BUCKET, 'overnight/output/').filter((k) => k.endsWith('.jsonl'))).toHaveLength(2);
    const results = collected.states[0]!.results!;
    expect(results.findings.map((f) => f.path).sort()).toEqual(MODULES.map((m) => `${m}/index.ts`));
    for (const finding of results.findings) expect(finding.title).toBe(`echo ${finding.path}`);
    const [{ state: after }] = await engine.states();
    expect(after.collectedAt).not.toBeNull();
  });

  it('with no Google credentials: one line naming what was refused and how to authenticate, no job, no state', async () => {
    const { gcp, engine } = await vertexNight({}, false);
    const error = await failureOf(
      submit(withProvider(engine, { mode: 'submit', task: 'code-review', since: '24h' }), engine.deps),
    );
    expect(error?.name).toBe('ConfigError');
    expect(error!.message).toMatch(
      /^provider vertex: no Google credentials for storage\.objects\.create on gs:\/\/acme-overnight-batches\/overnight\/input\/.*google-github-actions\/auth/,
    );
    expect(error!.message).not.toContain('\n');
    expect(gcp.vertex.jobs).toHaveLength(0);
    expect(gcp.gcs.calls).toHaveLength(0);
    expect(await engine.states()).toEqual([]);
  });

  it.each([
    [
      'aiplatform.batchPredictionJobs.create',
      { denied: new Set(['aiplatform.batchPredictionJobs.create']) },
      /^provider vertex: access denied: the caller needs aiplatform\.batchPredictionJobs\.create on projects\/acme-ci\/locations\/us-east5/,
    ],
    [
      'storage.objects.create',
      { gcsDenied: new Set(['storage.objects.create']) },
      /^provider vertex: access denied: the caller needs storage\.objects\.create on gs:\/\/acme-overnight-batches\/overnight\/input\//,
    ],
  ])('when Google refuses %s: one line naming the permission, no job, no state', async (_what, options, line) => {
    const { gcp, engine } = await vertexNight(options);
    const error = await failureOf(
      submit(withProvider(engine, { mode: 'submit', task: 'code-review', since: '24h' }), engine.deps),
    );
    expect(error?.name).toBe('ConfigError');
    expect(error!.message).toMatch(line);
    expect(error!.message).not.toContain('\n');
    expect(gcp.vertex.jobs).toHaveLength(0);
    expect(await engine.states()).toEqual([]);
  });

  it('maps per-line errors: a quota error is resubmitted in a new job, an invalid request reported as failed once', async () => {
    const { gcp, engine } = await vertexNight({
      recordError: (index, job) => {
        if (job > 0) return null;
        if (index === 0)
          return { code: 8, message: 'RESOURCE_EXHAUSTED: Quota exceeded for online_prediction_requests_per_base_model' };
        if (index === 1) return { code: 3, message: 'INVALID_ARGUMENT: messages.0.content: field required' };
        return null;
      },
    });
    await submit(withProvider(engine, { mode: 'submit', task: 'code-review', since: '24h' }), engine.deps);
    const firstInput = gcp.store
      .get(GCS_BUCKET, gcp.store.keys(GCS_BUCKET, 'overnight/input/')[0]!)!
      .toString('utf8')
      .trim()
      .split('\n');
    const [throttled, refused] = firstInput.map((line) => (JSON.parse(line) as { custom_id: string }).custom_id);

    const first = await collect(withProvider(engine, { mode: 'collect', task: '' }), engine.deps);
    expect(gcp.vertex.jobs).toHaveLength(2);
    const results = first.states[0]!.results!;
    expect(results.resubmitted).toBe(1);
    expect(results.failures.map((f) => [f.customId, f.status])).toEqual([[refused, 'errored']]);
    expect(results.failures[0]!.reason).toMatch(
      /^invalid_request_error: Vertex AI 3: INVALID_ARGUMENT: messages\.0\.content: field required/,
    );
    const [{ state }] = await engine.states();
    expect(state.requests[throttled!]!.batchId).toBe(gcp.vertex.jobs[1]!.name);

    const second = await collect(withProvider(engine, { mode: 'collect', task: '' }), engine.deps);
    expect(second.status).toBe('collected');
    expect(second.states[0]!.results!.findings.map((f) => f.customId)).toEqual([throttled]);
  });

  it('output lines in a shape overnight does not know: every request is reported failed with one line naming the keys, none silently dropped', async () => {
    const { engine } = await vertexNight({ outputShape: 'unknown' });
    await submit(withProvider(engine, { mode: 'submit', task: 'code-review', since: '24h' }), engine.deps);
    const collected = await collect(withProvider(engine, { mode: 'collect', task: '' }), engine.deps);
    expect(collected.status).toBe('collected');
    const results = collected.states[0]!.results!;
    expect(results.findings).toEqual([]);
    expect(results.resubmitted).toBe(0);
    expect(results.failures).toHaveLength(5);
    for (const failure of results.failures) {
      expect(failure.reason).toMatch(
        /Vertex AI output shape not understood: 5 line\(s\) without a custom_id \(keys: id, request, response, status\)/,
      );
    }
  });

  it('answers one request through rawPredict on the publisher model (mode run)', async () => {
    const { gcp, engine } = await vertexNight();
    const config = withProvider(engine, { mode: 'submit', task: 'code-review' });
    const provider = await engine.deps.provider!();
    const message = await provider.answerOne({
      model: config.model ?? VERTEX_MODEL,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'file: a/index.ts' }],
    });
    expect(message.content.length).toBeGreaterThan(0);
    expect(gcp.vertex.predictions).toEqual([
      {
        model: VERTEX_MODEL,
        body: expect.objectContaining({ anthropic_version: 'vertex-2023-10-16', max_tokens: 64 }) as unknown,
      },
    ]);
    expect(gcp.vertex.predictions[0]!.body).not.toHaveProperty('model');
  });
});
