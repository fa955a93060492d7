// Vertex AI's batch prediction control plane (batchPredictionJobs create / get / :cancel), rawPredict
// on the Anthropic publisher models, and the STS token exchange an external_account credential file
// (what google-github-actions/auth writes) calls, all checked as the services check them: request
// validation from the API definition (validation.ts), the job's location and project, bearer tokens,
// IAM permissions refusable one by one. A job reads its JSONL from and writes its prediction files to
// the ObjectStore the GCS emulator serves, in shuffled order. Answers come from the Anthropic emulator's responders.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { buildMessage, type AnswerContext } from '../../../src/emulator/anthropic/messages.js';
import { defaultResponder, type Responder } from '../../../src/emulator/anthropic/index.js';
import { PromptCache } from '../../../src/emulator/anthropic/tokens.js';
import { authorized, CALLER, sendGoogleError } from '../gcs/index.js';
import { close, listen, type ObjectStore } from '../s3/index.js';
import { readBody } from '../s3/sigv4.js';
import { GS_URI, GoogleApiError, MODEL_PATH, requestProblem, validateJobRequest, type JobRequest } from './validation.js';

export interface VertexEmulatorOptions {
  store: ObjectStore;
  project: string;
  location: string;
  /** Access tokens handed out by the STS exchange (shared with the GCS emulator). */
  tokens: Set<string>;
  /** GET calls a job answers RUNNING before it ends (default 0). */
  pollsUntilEnded?: number;
  responder?: Responder;
  /** Permissions the caller lacks (aiplatform.batchPredictionJobs.create, aiplatform.endpoints.predict, …). */
  denied?: Set<string>;
  /** A per-record error instead of an answer (by the record's position in the input, and the job's in `jobs`). */
  recordError?: (index: number, job: number) => { code: number; message: string } | null;
  /** How output lines carry their answer: as documented ('documented'), or a shape overnight does not know ('unknown'). */
  outputShape?: 'documented' | 'unknown';
}

export interface EmulatedJob {
  name: string;
  request: JobRequest;
  state: string;
  polls: number;
  createTime: string;
  endTime?: string;
  error?: { code: number; message: string };
  outputDirectory?: string;
  stats?: { successfulCount: string; failedCount: string; incompleteCount: string };
}

export interface VertexEmulator {
  /** https://{location}-aiplatform.googleapis.com/v1 stand-in (ANTHROPIC_VERTEX_BASE_URL). */
  url: string;
  /** The STS token endpoint (token_url of the external_account credential file). */
  tokenUrl: string;
  jobs: EmulatedJob[];
  predictions: { model: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32BE() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const ENDED = new Set([
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_EXPIRED',
]);

export async function startVertexEmulator(options: VertexEmulatorOptions): Promise<VertexEmulator> {
  const jobs: EmulatedJob[] = [];
  const predictions: VertexEmulator['predictions'] = [];
  const parent = `projects/${options.project}/locations/${options.location}`;
  const answers: AnswerContext = {
    responder: options.responder ?? defaultResponder,
    cache: new PromptCache(),
    newId: (prefix) => `${prefix}_vrtx_${randomBytes(8).toString('hex')}`,
    serviceTier: 'batch',
  };
  const refuse = (permission: string, resource: string): void => {
    if (options.denied?.has(permission)) {
      throw new GoogleApiError(
        403,
        'PERMISSION_DENIED',
        `Permission '${permission}' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).`,
      );
    }
  };
  const familyOf = (model: string) => MODEL_PATH.exec(`publishers/anthropic/models/${model}`)?.[1] ?? model;
  const answer = (model: string, body: Record<string, unknown>, tier: 'standard' | 'batch') => {
    const { anthropic_version: _v, ...params } = body;
    void _v;
    return buildMessage({ ...params, model: familyOf(model) }, { ...answers, serviceTier: tier });
  };

  /** Runs a job to its end: every record validated and answered, prediction lines written shuffled. */
  const finish = (job: EmulatedJob, index: number): void => {
    const model = MODEL_PATH.exec(job.request.model)![1]!;
    const fail = (message: string): void => {
      job.state = 'JOB_STATE_FAILED';
      job.error = { code: 3, message };
      job.endTime = new Date().toISOString();
    };
    const lines: string[] = [];
    for (const uri of job.request.inputConfig.gcsSource.uris) {
      const [, bucket, name] = GS_URI.exec(uri)!;
      const data = options.store.get(bucket!, name!);
      if (!data) return fail(`Failed to read ${uri}: not found, or the Vertex AI service agent cannot read it`);
      lines.push(
        ...data
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim()),
      );
    }
    const out: string[] = [];
    let failed = 0;
    const ids = new Set<string>();
    for (const [position, line] of lines.entries()) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return fail(`Line ${position + 1} of the input is not valid JSON`);
      }
      const extra = Object.keys(record).filter((k) => k !== 'custom_id' && k !== 'request');
      if (extra.length > 0 || typeof record.custom_id !== 'string' || !record.custom_id) {
        return fail(
          `Line ${position + 1}: a record is {"custom_id": "...", "request": {...}}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}`,
        );
      }
      if (ids.has(record.custom_id)) return fail(`Line ${position + 1}: duplicate custom_id ${record.custom_id}`);
      ids.add(record.custom_id);
      const injected = options.recordError?.(position, index) ?? null;
      const problem = injected ? null : requestProblem(record.request, model);
      const base = options.outputShape === 'unknown' ? { id: record.custom_id } : { custom_id: record.custom_id };
      if (injected || problem) {
        failed++;
        const error = injected ?? { code: 400, message: problem! };
        out.push(JSON.stringify({ ...base, request: record.request, status: { code: error.code, message: error.message } }));
        continue;
      }
      const message = answer(model, record.request as Record<string, unknown>, 'batch');
      out.push(JSON.stringify({ ...base, request: record.request, response: message, status: '' }));
    }
    const [, outBucket, outPrefix] = GS_URI.exec(job.request.outputConfig.gcsDestination.outputUriPrefix)!;
    const dir = `${outPrefix!.replace(/\/?$/, '/')}prediction-model-${job.createTime.replace(/[-:.]/g, '')}/`;
    // Two prediction files when there is more than one line: the reader must read all of them.
    const mixed = shuffled(out);
    const half = Math.ceil(mixed.length / 2);
    options.store.put(outBucket!, `${dir}predictions_00001.jsonl`, Buffer.from(mixed.slice(0, half).join('\n') + '\n'));
    if (mixed.length > half)
      options.store.put(outBucket!, `${dir}predictions_00002.jsonl`, Buffer.from(mixed.slice(half).join('\n') + '\n'));
    job.outputDirectory = `gs://${outBucket}/${dir.replace(/\/$/, '')}`;
    job.stats = { successfulCount: String(lines.length - failed), failedCount: String(failed), incompleteCount: '0' };
    job.state =
      failed === 0 ? 'JOB_STATE_SUCCEEDED' : failed === lines.length ? 'JOB_STATE_FAILED' : 'JOB_STATE_PARTIALLY_SUCCEEDED';
    job.endTime = new Date().toISOString();
  };

  const view = (job: EmulatedJob) => ({
    name: job.name,
    displayName: job.request.displayName,
    model: job.request.model,
    inputConfig: job.request.inputConfig,
    outputConfig: job.request.outputConfig,
    state: job.state,
    createTime: job.createTime,
    updateTime: job.endTime ?? job.createTime,
    ...(job.request.labels ? { labels: job.request.labels } : {}),
    ...(job.endTime ? { endTime: job.endTime } : {}),
    ...(job.error ? { error: job.error } : {}),
    ...(job.outputDirectory ? { outputInfo: { gcsOutputDirectory: job.outputDirectory } } : {}),
    ...(job.stats ? { completionStats: job.stats } : {}),
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'POST' && path === '/sts/v1/token') {
      // RFC 8693 token exchange: any subject token from the credential file's source is accepted here.
      const form = new URLSearchParams(body.toString('utf8'));
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange' || !form.get('subject_token')) {
        return send(response, 400, { error: 'invalid_request', error_description: 'not a token exchange' });
      }
      const token = `ya29.emulated-${randomBytes(12).toString('hex')}`;
      options.tokens.add(token);
      return send(response, 200, {
        access_token: token,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 3600,
      });
    }
    if (!authorized(request, response, options.tokens)) return;
    try {
      const scope = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/(.+)$/.exec(path);
      if (!scope) throw new GoogleApiError(404, 'NOT_FOUND', `${request.method} ${path} is not emulated`);
      const [, project, location, rest] = scope;
      if (project !== options.project) {
        throw new GoogleApiError(403, 'PERMISSION_DENIED', `Permission denied on resource project ${project} (${CALLER}).`);
      }
      if (location !== options.location) {
        throw new GoogleApiError(
          400,
          'INVALID_ARGUMENT',
          `Location ${location} is not supported for this request; the host serves ${options.location}`,
        );
      }
      if (request.method === 'POST' && rest === 'batchPredictionJobs') {
        refuse('aiplatform.batchPredictionJobs.create', parent);
        const parsed = validateJobRequest(JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
        for (const uri of [...parsed.inputConfig.gcsSource.uris, parsed.outputConfig.gcsDestination.outputUriPrefix]) {
          const bucket = GS_URI.exec(uri)![1]!;
          if (!options.store.buckets.has(bucket))
            throw new GoogleApiError(400, 'INVALID_ARGUMENT', `Bucket ${bucket} does not exist in ${location}`);
        }
        const job: EmulatedJob = {
          name: `${parent}/batchPredictionJobs/${BigInt(`0x${randomBytes(7).toString('hex')}`).toString()}`,
          request: parsed,
          state: 'JOB_STATE_PENDING',
          polls: 0,
          createTime: new Date().toISOString(),
        };
        jobs.push(job);
        return send(response, 200, view(job));
      }
      const jobPath = /^batchPredictionJobs\/(\d+)(:cancel)?$/.exec(rest!);
      if (jobPath) {
        const job = jobs.find((j) => j.name === `${parent}/batchPredictionJobs/${jobPath[1]}`);
        if (request.method === 'GET' && !jobPath[2]) {
          refuse('aiplatform.batchPredictionJobs.get', `${parent}/batchPredictionJobs/${jobPath[1]}`);
          if (!job) throw new GoogleApiError(404, 'NOT_FOUND', `BatchPredictionJob ${jobPath[1]} not found`);
          if (!ENDED.has(job.state) && job.state !== 'JOB_STATE_CANCELLING') {
            if (job.polls >= (options.pollsUntilEnded ?? 0)) finish(job, jobs.indexOf(job));
            else job.state = 'JOB_STATE_RUNNING';
            job.polls++;
          } else if (job.state === 'JOB_STATE_CANCELLING') {
            job.state = 'JOB_STATE_CANCELLED';
            job.endTime = new Date().toISOString();
          }
          return send(response, 200, view(job));
        }
        if (request.method === 'POST' && jobPath[2]) {
          refuse('aiplatform.batchPredictionJobs.cancel', `${parent}/batchPredictionJobs/${jobPath[1]}`);
          if (!job) throw new GoogleApiError(404, 'NOT_FOUND', `BatchPredictionJob ${jobPath[1]} not found`);
          if (ENDED.has(job.state))
            throw new GoogleApiError(400, 'FAILED_PRECONDITION', `BatchPredictionJob ${jobPath[1]} has already ended`);
          job.state = 'JOB_STATE_CANCELLING';
          return send(response, 200, {});
        }
      }
      const predict = /^publishers\/anthropic\/models\/([^/:]+):rawPredict$/.exec(rest!);
      if (request.method === 'POST' && predict) {
        const model = decodeURIComponent(predict[1]!);
        refuse('aiplatform.endpoints.predict', `${parent}/publishers/anthropic/models/${model}`);
        if (!MODEL_PATH.test(`publishers/anthropic/models/${model}`))
          throw new GoogleApiError(404, 'NOT_FOUND', `Publisher model ${model} not found`);
        const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        const problem = requestProblem(parsed, familyOf(model));
        if (problem) return send(response, 400, { type: 'error', error: { type: 'invalid_request_error', message: problem } });
        predictions.push({ model, body: parsed });
        return send(response, 200, answer(model, parsed, 'standard'));
      }
      throw new GoogleApiError(404, 'NOT_FOUND', `${request.method} ${path} is not emulated`);
    } catch (error) {
      if (error instanceof GoogleApiError) return sendGoogleError(response, error.code, error.status, error.message);
      if (error instanceof SyntaxError)
        return sendGoogleError(response, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      throw error;
    }
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => sendGoogleError(response, 500, 'INTERNAL', String(error)));
  });
  const url = await listen(server);
  return { url: `${url}/v1`, tokenUrl: `${url}/sts/v1/token`, jobs, predictions, close: () => close(server) };
}
