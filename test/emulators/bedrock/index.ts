// Amazon Bedrock's batch control plane (CreateModelInvocationJob, GetModelInvocationJob,
// StopModelInvocationJob) and runtime (InvokeModel) for the official @aws-sdk clients, written from
// the API definition (validation.ts). Jobs read their JSONL input from, and write `<input>.jsonl.out`
// plus manifest.json.out to, the ObjectStore the S3 emulator serves, in shuffled order (the output
// order is not guaranteed). Answers come from the Anthropic emulator's responders.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { buildMessage, type AnswerContext } from '../../../src/emulator/anthropic/messages.js';
import { defaultResponder, type Responder } from '../../../src/emulator/anthropic/index.js';
import { PromptCache } from '../../../src/emulator/anthropic/tokens.js';
import { close, listen, type ObjectStore } from '../s3/index.js';
import { checkSignature, readBody } from '../s3/sigv4.js';
import { BedrockError, S3_URI, bodyProblem, familyOf, validateJobRequest, type JobRequest } from './validation.js';

export const ACCOUNT = '123456789012';

export interface BedrockEmulatorOptions {
  store: ObjectStore;
  region: string;
  accessKeys: ReadonlySet<string>;
  /** The model's "Minimum number of records per batch inference job" quota (default 100). */
  minRecords?: number;
  /** Records per job at most (default 50,000). */
  maxRecords?: number;
  /** GetModelInvocationJob calls a job answers InProgress before it completes (default 0). */
  pollsUntilEnded?: number;
  responder?: Responder;
  /** IAM actions the caller lacks (bedrock:CreateModelInvocationJob, iam:PassRole, bedrock:InvokeModel, …). */
  denied?: Set<string>;
  /** Service roles whose trust policy lets bedrock.amazonaws.com assume them; default: any role of ACCOUNT. */
  assumableRoles?: Set<string>;
  /** A per-record error instead of an answer (by the record's position in the input, and the job's in `jobs`). */
  recordError?: (index: number, job: number) => { errorCode: number | string; errorMessage: string } | null;
}

export interface EmulatedJob {
  arn: string;
  request: JobRequest;
  status: string;
  message?: string;
  polls: number;
  submitTime: string;
  endTime?: string;
  records: number;
  counts?: { total: number; processed: number; success: number; error: number };
}

export interface BedrockEmulator {
  /** Control plane endpoint (AWS_ENDPOINT_URL_BEDROCK). */
  url: string;
  /** Runtime endpoint (AWS_ENDPOINT_URL_BEDROCK_RUNTIME). */
  runtimeUrl: string;
  jobs: EmulatedJob[];
  /** InvokeModel calls, with the body each sent. */
  invocations: { modelId: string; body: Record<string, unknown> }[];
  calls: Record<string, number>;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
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

export async function startBedrockEmulator(options: BedrockEmulatorOptions): Promise<BedrockEmulator> {
  const jobs: EmulatedJob[] = [];
  const invocations: BedrockEmulator['invocations'] = [];
  const calls: Record<string, number> = {};
  const minRecords = options.minRecords ?? 100;
  const maxRecords = options.maxRecords ?? 50_000;
  const answers: AnswerContext = {
    responder: options.responder ?? defaultResponder,
    cache: new PromptCache(),
    newId: (prefix) => `${prefix}_bdrk_${randomBytes(8).toString('hex')}`,
    serviceTier: 'batch',
  };
  const denied = (action: string, resource: string): BedrockError | null =>
    options.denied?.has(action)
      ? new BedrockError(
          403,
          'AccessDeniedException',
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/github-actions/overnight is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
        )
      : null;

  const answer = (modelId: string, body: Record<string, unknown>, tier: 'standard' | 'batch') => {
    const { anthropic_version: _v, ...params } = body;
    void _v;
    const message = buildMessage({ ...params, model: familyOf(modelId) } as Record<string, unknown>, {
      ...answers,
      serviceTier: tier,
    });
    return message;
  };

  /** Runs a job to its end: validation of every record, answers, output files. */
  const finish = (job: EmulatedJob): void => {
    const [, bucket, key] = S3_URI.exec(job.request.inputDataConfig.s3InputDataConfig.s3Uri)!;
    const input = options.store.get(bucket!, key!);
    const fail = (message: string): void => {
      job.status = 'Failed';
      job.message = message;
      job.endTime = new Date().toISOString();
    };
    if (!input)
      return fail(
        `Input file ${job.request.inputDataConfig.s3InputDataConfig.s3Uri} not found or not readable by the service role`,
      );
    if (!key!.endsWith('.jsonl')) return fail('Input file must have the .jsonl extension');
    const lines = input
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim());
    if (lines.length < minRecords) {
      return fail(
        `The number of records (${lines.length}) is below the minimum number of records per batch inference job (${minRecords}) for ${job.request.modelId}`,
      );
    }
    if (lines.length > maxRecords)
      return fail(`The number of records (${lines.length}) exceeds the maximum of ${maxRecords} per job`);
    const out: string[] = [];
    let errors = 0;
    const ids = new Set<string>();
    for (const [index, line] of lines.entries()) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return fail(`Line ${index + 1} of the input is not valid JSON`);
      }
      const extra = Object.keys(record).filter((k) => k !== 'recordId' && k !== 'modelInput');
      if (extra.length > 0 || typeof record.modelInput !== 'object' || record.modelInput === null) {
        return fail(
          `Line ${index + 1}: a record is {"recordId": "...", "modelInput": {...}}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}`,
        );
      }
      const recordId = record.recordId === undefined ? randomBytes(6).toString('hex').slice(0, 11) : record.recordId;
      if (typeof recordId !== 'string' || !/^[a-zA-Z0-9]+$/.test(recordId))
        return fail(`Line ${index + 1}: recordId must be alphanumeric`);
      if (ids.has(recordId)) return fail(`Line ${index + 1}: duplicate recordId ${recordId}`);
      ids.add(recordId);
      const injected = options.recordError?.(index, jobs.indexOf(job)) ?? null;
      const problem = injected ? null : bodyProblem(record.modelInput, job.request.modelId);
      if (injected || problem) {
        errors++;
        out.push(
          JSON.stringify({
            recordId,
            modelInput: record.modelInput,
            error: injected ?? { errorCode: 400, errorMessage: problem },
          }),
        );
        continue;
      }
      const modelOutput = answer(job.request.modelId, record.modelInput as Record<string, unknown>, 'batch');
      out.push(JSON.stringify({ recordId, modelInput: record.modelInput, modelOutput }));
    }
    const [, outBucket, outKey] = S3_URI.exec(job.request.outputDataConfig.s3OutputDataConfig.s3Uri)!;
    const jobId = job.arn.split('/').pop()!;
    const dir = `${outKey!.replace(/\/?$/, '/')}${jobId}/`;
    const name = key!.split('/').pop()!;
    options.store.put(outBucket!, `${dir}${name}.out`, Buffer.from(shuffled(out).join('\n') + '\n'));
    const counts = { total: lines.length, processed: lines.length, success: lines.length - errors, error: errors };
    options.store.put(
      outBucket!,
      `${dir}manifest.json.out`,
      Buffer.from(
        JSON.stringify({
          totalRecordCount: counts.total,
          processedRecordCount: counts.processed,
          successRecordCount: counts.success,
          errorRecordCount: counts.error,
        }),
      ),
    );
    job.counts = counts;
    job.status = errors === lines.length ? 'Failed' : errors > 0 ? 'PartiallyCompleted' : 'Completed';
    job.endTime = new Date().toISOString();
  };

  const view = (job: EmulatedJob) => ({
    jobArn: job.arn,
    jobName: job.request.jobName,
    modelId: job.request.modelId,
    roleArn: job.request.roleArn,
    status: job.status,
    ...(job.message ? { message: job.message } : {}),
    submitTime: job.submitTime,
    lastModifiedTime: job.endTime ?? job.submitTime,
    ...(job.endTime ? { endTime: job.endTime } : {}),
    inputDataConfig: job.request.inputDataConfig,
    outputDataConfig: job.request.outputDataConfig,
    timeoutDurationInHours: job.request.timeoutDurationInHours ?? 24,
    ...(job.counts
      ? {
          totalRecordCount: job.counts.total,
          processedRecordCount: job.counts.processed,
          successRecordCount: job.counts.success,
          errorRecordCount: job.counts.error,
        }
      : {}),
  });

  const findJob = (identifier: string): EmulatedJob => {
    const job = jobs.find((j) => j.arn === identifier || j.arn.endsWith(`/${identifier}`));
    if (!job) throw new BedrockError(404, 'ResourceNotFoundException', `Model invocation job ${identifier} not found`);
    return job;
  };

  const control = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const caller = checkSignature(request, { service: 'bedrock', region: options.region, accessKeys: options.accessKeys });
    if ('code' in caller) return send(response, caller.status, { message: caller.message }, caller.code);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const jobArnOf = (id: string) => `arn:aws:bedrock:${options.region}:${ACCOUNT}:model-invocation-job/${id}`;
    try {
      if (request.method === 'POST' && path === '/model-invocation-job') {
        calls.create = (calls.create ?? 0) + 1;
        const refused = denied('bedrock:CreateModelInvocationJob', jobArnOf('*'));
        if (refused) throw refused;
        const parsed = validateJobRequest(JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
        const passRole = denied('iam:PassRole', parsed.roleArn);
        if (passRole) throw passRole;
        const assumable = options.assumableRoles
          ? options.assumableRoles.has(parsed.roleArn)
          : parsed.roleArn.includes(`::${ACCOUNT}:role/`);
        if (!assumable) {
          throw new BedrockError(
            403,
            'AccessDeniedException',
            `Bedrock could not assume the role ${parsed.roleArn}: check that its trust policy allows bedrock.amazonaws.com to call sts:AssumeRole`,
          );
        }
        const same = parsed.clientRequestToken
          ? jobs.find((j) => j.request.clientRequestToken === parsed.clientRequestToken)
          : undefined;
        if (same) return send(response, 200, { jobArn: same.arn });
        if (jobs.some((j) => j.request.jobName === parsed.jobName)) {
          throw new BedrockError(400, 'ConflictException', `A job named ${parsed.jobName} already exists`);
        }
        const [, bucket] = S3_URI.exec(parsed.inputDataConfig.s3InputDataConfig.s3Uri)!;
        if (!options.store.buckets.has(bucket!))
          throw new BedrockError(400, 'ValidationException', `S3 bucket ${bucket} does not exist`);
        const job: EmulatedJob = {
          arn: jobArnOf(randomBytes(6).toString('hex')),
          request: parsed,
          status: 'Submitted',
          polls: 0,
          submitTime: new Date().toISOString(),
          records: 0,
        };
        jobs.push(job);
        return send(response, 200, { jobArn: job.arn });
      }
      const match = /^\/model-invocation-job\/([^/]+)(\/stop)?$/.exec(path);
      if (match) {
        const identifier = decodeURIComponent(match[1]!);
        if (request.method === 'GET' && !match[2]) {
          calls.get = (calls.get ?? 0) + 1;
          const refused = denied('bedrock:GetModelInvocationJob', identifier);
          if (refused) throw refused;
          const job = findJob(identifier);
          if (job.status === 'Submitted' || job.status === 'InProgress') {
            if (job.polls >= (options.pollsUntilEnded ?? 0)) finish(job);
            else job.status = 'InProgress';
            job.polls++;
          }
          return send(response, 200, view(job));
        }
        if (request.method === 'POST' && match[2]) {
          calls.stop = (calls.stop ?? 0) + 1;
          const job = findJob(identifier);
          if (['Submitted', 'InProgress', 'Validating', 'Scheduled'].includes(job.status)) {
            job.status = 'Stopped';
            job.endTime = new Date().toISOString();
          }
          return send(response, 200, {});
        }
      }
      return send(response, 404, { message: `${request.method} ${path} is not emulated` }, 'UnknownOperationException');
    } catch (error) {
      if (error instanceof BedrockError) return send(response, error.status, { message: error.message }, error.code);
      if (error instanceof SyntaxError) return send(response, 400, { message: 'body is not JSON' }, 'SerializationException');
      throw error;
    }
  };

  const runtime = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const caller = checkSignature(request, { service: 'bedrock', region: options.region, accessKeys: options.accessKeys });
    if ('code' in caller) return send(response, caller.status, { message: caller.message }, caller.code);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const match = /^\/model\/([^/]+)\/invoke$/.exec(path);
    if (request.method !== 'POST' || !match)
      return send(response, 404, { message: `${path} is not emulated` }, 'UnknownOperationException');
    const modelId = decodeURIComponent(match[1]!);
    calls.invoke = (calls.invoke ?? 0) + 1;
    const refused = denied('bedrock:InvokeModel', `arn:aws:bedrock:${options.region}::foundation-model/${modelId}`);
    if (refused) return send(response, refused.status, { message: refused.message }, refused.code);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return send(response, 400, { message: 'Malformed input request: body is not JSON' }, 'ValidationException');
    }
    const problem = bodyProblem(parsed, modelId);
    if (problem) return send(response, 400, { message: `Malformed input request: ${problem}` }, 'ValidationException');
    invocations.push({ modelId, body: parsed });
    const message = answer(modelId, parsed, 'standard');
    return send(response, 200, message);
  };

  const serve = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Server =>
    createServer((req, res) => {
      handler(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }, 'InternalServerException'));
    });
  const controlServer = serve(control);
  // The runtime client speaks HTTP/2 (cleartext, prior knowledge) to a custom endpoint, as to AWS.
  const runtimeServer = createHttp2Server((req, res) => {
    const request = req as unknown as IncomingMessage;
    const response = res as unknown as ServerResponse;
    runtime(request, response).catch((error: unknown) =>
      send(response, 500, { message: String(error) }, 'InternalServerException'),
    );
  });
  const sessions = new Set<Http2Session>();
  runtimeServer.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => runtimeServer.listen(0, '127.0.0.1', resolve));
  const runtimeUrl = `http://127.0.0.1:${(runtimeServer.address() as AddressInfo).port}`;
  return {
    url: await listen(controlServer),
    runtimeUrl,
    jobs,
    invocations,
    calls,
    close: async () => {
      await close(controlServer);
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => runtimeServer.close(() => resolve()));
    },
  };
}
