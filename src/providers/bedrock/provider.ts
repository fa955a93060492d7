// Amazon Bedrock batch inference behind the provider interface. A job's requests go to S3 as one
// JSONL file; CreateModelInvocationJob runs them as the service role; GetModelInvocationJob says where
// the job stands; its `.jsonl.out` files are read back and joined to requests on recordId. A job below
// the model's minimum record count is answered on demand (InvokeModel, full price) and its answers
// written to S3 in the same output format, so collect reads both the same way.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BedrockClient,
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  StopModelInvocationJobCommand,
  type GetModelInvocationJobResponse,
} from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { BatchLimits } from '../../batch/client.js';
import { FatalApiError } from '../../batch/retry.js';
import { readLines } from '../../io/lines.js';
import { plural } from '../../reports/format.js';
import type { Logger, PlannedRequest } from '../../types.js';
import type { BedrockConfig } from '../config.js';
import type { BatchProvider, JobStatus, JobWaitOptions, ProviderResult } from '../types.js';
import { cloudJobCounts } from '../types.js';
import { pollUntilEnded } from '../wait.js';
import { awsFailure, type AwsOperation } from './failures.js';
import { bedrockBody, customIdOfRecord, erroredResult, jobModel, recordIdOf, recordLine, resultOfOutputLine } from './records.js';

/** Bedrock's per-job limits (BACKENDS-NOTES: 50,000 records typical; 1 GB per file, kept at 256 MB here for memory). */
export const BEDROCK_LIMITS: Readonly<BatchLimits> = { maxRequests: 50_000, maxBytes: 256 * 1024 * 1024 };
/** The longest a job may run before Bedrock stops it (24-168 h); a week, like the state's retention. */
const JOB_TIMEOUT_HOURS = 72;
const ON_DEMAND_PREFIX = 'ondemand-';
const ON_DEMAND_CONCURRENCY = 4;

const ENDED = new Set(['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired']);

export interface BedrockProviderOptions {
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
}

export class BedrockProvider implements BatchProvider {
  readonly name = 'bedrock' as const;
  readonly limits = BEDROCK_LIMITS;
  readonly countTokens = null;
  private readonly s3: S3Client;
  private readonly bedrock: BedrockClient;
  private readonly runtime: BedrockRuntimeClient;
  private readonly log: Logger;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly config: BedrockConfig,
    options: BedrockProviderOptions,
  ) {
    const region = config.region;
    // A local endpoint (AWS_ENDPOINT_URL[_S3], emulators) has no virtual-host buckets.
    const localS3 = Boolean(process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL);
    this.s3 = new S3Client({ region, forcePathStyle: localS3 });
    this.bedrock = new BedrockClient({ region });
    this.runtime = new BedrockRuntimeClient({ region });
    this.log = options.log;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private url(key: string): string {
    return `s3://${this.config.bucket}/${key}`;
  }

  private async call<T>(operation: AwsOperation, resource: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw awsFailure(error, operation, resource);
    }
  }

  async createJob(requests: PlannedRequest[]): Promise<JobStatus> {
    const stamp = new Date()
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .slice(0, 14);
    const jobName = `overnight-${stamp}-${randomBytes(4).toString('hex')}`;
    const inputKey = `${this.config.prefix}input/${jobName}.jsonl`;
    if (requests.length < this.config.minRecords) return this.answerOnDemand(requests, jobName);
    const body = Buffer.from(requests.map(recordLine).join('\n') + '\n');
    await this.call('PutObject', this.url(inputKey), () =>
      this.s3.send(
        new PutObjectCommand({ Bucket: this.config.bucket, Key: inputKey, Body: body, ContentType: 'application/jsonl' }),
      ),
    );
    const created = await this.call('CreateModelInvocationJob', `model ${jobModel(requests)}`, () =>
      this.bedrock.send(
        new CreateModelInvocationJobCommand({
          jobName,
          roleArn: this.config.roleArn,
          // Same token on the SDK's retries: a create whose answer was lost makes no second job.
          clientRequestToken: jobName.replace(/[^a-zA-Z0-9]/g, ''),
          modelId: jobModel(requests),
          inputDataConfig: { s3InputDataConfig: { s3Uri: this.url(inputKey), s3InputFormat: 'JSONL' } },
          outputDataConfig: { s3OutputDataConfig: { s3Uri: this.url(`${this.config.prefix}output/`) } },
          timeoutDurationInHours: JOB_TIMEOUT_HOURS,
        }),
      ),
    );
    if (!created.jobArn) throw new Error('Bedrock created a job but returned no jobArn');
    return { id: created.jobArn, status: 'in_progress', counts: zero(requests.length), endedAt: null, expiresAt: null };
  }

  /**
   * Fewer records than a Bedrock job accepts: each request through InvokeModel now, at the on-demand
   * price, and the answers written to S3 as a job's output would be, under an `ondemand-` job id.
   */
  private async answerOnDemand(requests: PlannedRequest[], jobName: string): Promise<JobStatus> {
    this.log.warning(
      `bedrock: ${plural(requests.length, 'request')} is below the minimum of ${this.config.minRecords} records per batch job (bedrock-min-records): answered on demand through InvokeModel at the full on-demand price, not the batch half`,
    );
    const id = `${ON_DEMAND_PREFIX}${jobName}`;
    const lines: string[] = new Array<string>(requests.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const index = next++;
        const request = requests[index]!;
        const recordId = recordIdOf(request.customId);
        try {
          const message = await this.invoke(request.params);
          lines[index] = JSON.stringify({ recordId, modelOutput: message });
        } catch (error) {
          if (error instanceof Error && error.name === 'ConfigError') throw error;
          const e = error as { name?: string; message?: string };
          lines[index] = JSON.stringify({
            recordId,
            error: { errorCode: e.name ?? 'Error', errorMessage: e.message ?? String(error) },
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ON_DEMAND_CONCURRENCY, requests.length) }, worker));
    const key = `${this.config.prefix}output/${id}/${jobName}.jsonl.out`;
    await this.call('PutObject', this.url(key), () =>
      this.s3.send(new PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: lines.join('\n') + '\n' })),
    );
    const now = new Date().toISOString();
    return { id, status: 'ended', counts: { ...zero(0), succeeded: requests.length }, endedAt: now, expiresAt: null };
  }

  private async invoke(params: MessageCreateParamsNonStreaming): Promise<Message> {
    const answer = await this.call('InvokeModel', `model ${params.model}`, () =>
      this.runtime.send(
        new InvokeModelCommand({
          modelId: params.model,
          contentType: 'application/json',
          accept: 'application/json',
          body: JSON.stringify(bedrockBody(params)),
        }),
      ),
    );
    return JSON.parse(Buffer.from(answer.body).toString('utf8')) as Message;
  }

  answerOne(params: MessageCreateParamsNonStreaming): Promise<Message> {
    return this.invoke(params);
  }

  private async job(id: string): Promise<GetModelInvocationJobResponse> {
    return this.call('GetModelInvocationJob', `job ${id}`, () =>
      this.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: id })),
    );
  }

  async retrieve(id: string): Promise<JobStatus> {
    if (id.startsWith(ON_DEMAND_PREFIX)) {
      return { id, status: 'ended', counts: zero(0), endedAt: null, expiresAt: null };
    }
    return statusOfJob(await this.job(id));
  }

  waitForEnd(id: string, options: JobWaitOptions): Promise<JobStatus> {
    return pollUntilEnded(() => this.retrieve(id), this.sleep, options);
  }

  async cancel(id: string): Promise<JobStatus> {
    if (id.startsWith(ON_DEMAND_PREFIX)) return this.retrieve(id);
    await this.call('StopModelInvocationJob', `job ${id}`, () =>
      this.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: id })),
    );
    return this.retrieve(id);
  }

  /**
   * Every record of the job once: the output files' lines joined on recordId, then each input record
   * with no output line reported by how the job ended (Expired: expired; Stopped: canceled; else an
   * error naming the job's own message), so no request is silently dropped.
   */
  async *results(id: string): AsyncGenerator<ProviderResult> {
    let outputDir: string;
    let inputKey: string | null = null;
    let job: GetModelInvocationJobResponse | null = null;
    if (id.startsWith(ON_DEMAND_PREFIX)) {
      outputDir = `${this.config.prefix}output/${id}/`;
    } else {
      job = await this.job(id);
      if (!ENDED.has(job.status ?? '')) {
        throw new FatalApiError(`Bedrock job ${id} has no results yet (${job.status}); collect again once it has ended`, null);
      }
      const jobId = id.split('/').pop()!;
      const output = bucketKey(job.outputDataConfig?.s3OutputDataConfig?.s3Uri ?? '', this.config.bucket);
      outputDir = `${output.replace(/\/?$/, '/')}${jobId}/`;
      inputKey = bucketKey(job.inputDataConfig?.s3InputDataConfig?.s3Uri ?? '', this.config.bucket);
    }
    const keys = await this.outputFiles(outputDir);
    if (keys.length === 0 && (job === null || job.status === 'Completed' || job.status === 'PartiallyCompleted')) {
      throw new FatalApiError(
        `results of Bedrock job ${id} are gone from ${this.url(outputDir)}; its requests cannot be recovered`,
        404,
      );
    }
    const dir = await mkdtemp(join(tmpdir(), 'overnight-bedrock-'));
    const seen = new Set<string>();
    try {
      for (const key of keys) {
        const file = await this.download(key, dir);
        for await (const line of readLines(file)) {
          if (!line.trim()) continue;
          const result = resultOfOutputLine(line);
          if (!result || seen.has(result.custom_id)) continue;
          seen.add(result.custom_id);
          yield result;
        }
      }
      if (job && inputKey) {
        const input = await this.download(inputKey, dir);
        for await (const line of readLines(input)) {
          if (!line.trim()) continue;
          const customId = customIdOfRecord((JSON.parse(line) as { recordId?: unknown }).recordId);
          if (customId === null || seen.has(customId)) continue;
          seen.add(customId);
          yield { custom_id: customId, result: unansweredResult(job) };
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async outputFiles(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', this.url(prefix), () =>
        this.s3.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: prefix, ContinuationToken: token })),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key?.endsWith('.jsonl.out')) keys.push(item.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  /** An object copied to a local file as it arrives (big outputs are read back line by line). */
  private async download(key: string, dir: string): Promise<string> {
    const file = join(dir, `${keysDownloaded++}.jsonl`);
    const object = await this.call('GetObject', this.url(key), () =>
      this.s3.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key })),
    );
    await pipeline(object.Body as Readable, createWriteStream(file));
    return file;
  }
}

let keysDownloaded = 0;

function zero(processing: number): JobStatus['counts'] {
  return { processing, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
}

/** The key of an s3:// URI in our bucket (a job pointing elsewhere is not ours to read). */
function bucketKey(uri: string, bucket: string): string {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match || match[1] !== bucket) throw new Error(`Bedrock job data at '${uri}' is not in bedrock-bucket ${bucket}`);
  return match[2]!;
}

export function statusOfJob(job: GetModelInvocationJobResponse): JobStatus {
  const status = job.status ?? 'Submitted';
  const total = job.totalRecordCount ?? 0;
  const processed = job.processedRecordCount ?? 0;
  const errored = job.errorRecordCount ?? 0;
  const succeeded = job.successRecordCount ?? Math.max(0, processed - errored);
  const ended = ENDED.has(status);
  const left = Math.max(0, total - processed);
  return {
    id: job.jobArn ?? '',
    status: ended ? 'ended' : status === 'Stopping' ? 'canceling' : 'in_progress',
    counts: cloudJobCounts({
      succeeded,
      errored,
      left,
      ended,
      endedAs: status === 'Stopped' ? 'canceled' : status === 'Expired' ? 'expired' : null,
    }),
    endedAt: job.endTime ? job.endTime.toISOString() : null,
    expiresAt: job.jobExpirationTime ? job.jobExpirationTime.toISOString() : null,
    detail: status,
  };
}

function unansweredResult(job: GetModelInvocationJobResponse): ProviderResult['result'] {
  if (job.status === 'Expired') return { type: 'expired' };
  if (job.status === 'Stopped') return { type: 'canceled' };
  // A job that failed as a whole was refused (input, minimum records, service role), not interrupted:
  // resubmitting would fail the same way, so its records are reported once, with Bedrock's reason.
  return erroredResult('invalid_request_error', `Bedrock job ${job.status}: ${job.message ?? 'no output for this record'}`);
}
