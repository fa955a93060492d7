// Google Vertex AI batch prediction behind the provider interface. A job's requests go to Cloud
// Storage as one JSONL file; a batchPredictionJob for publishers/anthropic/models/<model> runs them;
// a GET of the job says where it stands; the prediction files of its output directory are read back
// and joined to the requests on custom_id (never by order). The REST APIs are called with fetch and an
// Application Default Credentials token (google-auth-library), not the @google-cloud/* clients: four
// endpoints do not earn a gRPC stack, and this whole module loads only when provider is vertex.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { GoogleAuth } from 'google-auth-library';
import type { BatchLimits } from '../../batch/client.js';
import { FatalApiError } from '../../batch/retry.js';
import { readLines } from '../../io/lines.js';
import type { Logger, PlannedRequest } from '../../types.js';
import { erroredResult, jobModel } from '../bedrock/records.js';
import type { VertexConfig } from '../config.js';
import type { BatchProvider, JobStatus, JobWaitOptions, ProviderResult } from '../types.js';
import { pollUntilEnded } from '../wait.js';
import { GcpHttpError, gcpFailure, httpError, type GcpOperation } from './failures.js';
import { customIdOfLine, recordLine, resultOfOutputLine, vertexBody } from './records.js';
import { statusOfJob, ENDED_STATES, type VertexJob } from './status.js';

/** Per-job limits submit splits at (Vertex documents none for Claude; kept like Bedrock's, 256 MB for memory). */
export const VERTEX_LIMITS: Readonly<BatchLimits> = { maxRequests: 50_000, maxBytes: 256 * 1024 * 1024 };
const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const RETRIED = new Set([429, 500, 502, 503, 504]);
const ATTEMPTS = 4;

export interface VertexProviderOptions {
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
}

export class VertexProvider implements BatchProvider {
  readonly name = 'vertex' as const;
  readonly limits = VERTEX_LIMITS;
  readonly countTokens = null;
  private readonly auth = new GoogleAuth({ scopes: [SCOPE] });
  private readonly sleep: (ms: number) => Promise<void>;
  /** https://{location}-aiplatform.googleapis.com/v1, or ANTHROPIC_VERTEX_BASE_URL (as Anthropic's Vertex SDK reads it). */
  private readonly api: string;
  /** https://storage.googleapis.com, or STORAGE_EMULATOR_HOST (as Google's storage clients read it). */
  private readonly storage: string;
  private readonly parent: string;

  constructor(
    private readonly config: VertexConfig,
    options: VertexProviderOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.api = (process.env.ANTHROPIC_VERTEX_BASE_URL || `https://${config.location}-aiplatform.googleapis.com/v1`).replace(
      /\/+$/,
      '',
    );
    this.storage = (process.env.STORAGE_EMULATOR_HOST || 'https://storage.googleapis.com').replace(/\/+$/, '');
    this.parent = `projects/${config.project}/locations/${config.location}`;
  }

  private url(name: string): string {
    return `gs://${this.config.bucket}/${name}`;
  }

  /** One call with the ADC token; 429 and 5xx are tried again (a create only on 429/503: the job was not made). */
  private async call(
    operation: GcpOperation,
    resource: string,
    url: string,
    init: { method: string; body?: string | Buffer; contentType?: string },
  ): Promise<Response> {
    try {
      const token = await this.auth.getAccessToken();
      if (!token) throw new Error('could not load the default credentials: no access token');
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(url, {
          method: init.method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(init.contentType ? { 'content-type': init.contentType } : {}),
          },
          ...(init.body !== undefined ? { body: init.body } : {}),
        });
        if (response.ok) return response;
        const retry = operation === 'create' ? response.status === 429 || response.status === 503 : RETRIED.has(response.status);
        if (!retry || attempt >= ATTEMPTS) throw await httpError(response);
        await response.body?.cancel();
        await this.sleep(1000 * 2 ** attempt);
      }
    } catch (error) {
      throw gcpFailure(error, operation, resource);
    }
  }

  private async json<T>(operation: GcpOperation, resource: string, url: string, method = 'GET', body?: unknown): Promise<T> {
    const response = await this.call(operation, resource, url, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), contentType: 'application/json' } : {}),
    });
    return (await response.json()) as T;
  }

  private jobUrl(name: string): string {
    if (!name.startsWith(`${this.parent}/batchPredictionJobs/`)) {
      throw new FatalApiError(`Vertex AI job '${name}' is not in ${this.parent} (gcp-project, gcp-location)`, null);
    }
    return `${this.api}/${name}`;
  }

  async createJob(requests: PlannedRequest[]): Promise<JobStatus> {
    const stamp = new Date()
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .slice(0, 14);
    const displayName = `overnight-${stamp}-${randomBytes(4).toString('hex')}`;
    const inputName = `${this.config.prefix}input/${displayName}.jsonl`;
    const body = Buffer.from(requests.map(recordLine).join('\n') + '\n');
    const upload = `${this.storage}/upload/storage/v1/b/${encodeURIComponent(this.config.bucket)}/o?uploadType=media&name=${encodeURIComponent(inputName)}`;
    await this.call('upload', this.url(inputName), upload, { method: 'POST', body, contentType: 'application/jsonl' });
    const model = jobModel(requests);
    const job = await this.json<VertexJob>(
      'create',
      `${this.parent} (model ${model})`,
      `${this.api}/${this.parent}/batchPredictionJobs`,
      'POST',
      {
        displayName,
        model: `publishers/anthropic/models/${model}`,
        inputConfig: { instancesFormat: 'jsonl', gcsSource: { uris: [this.url(inputName)] } },
        outputConfig: {
          predictionsFormat: 'jsonl',
          gcsDestination: { outputUriPrefix: this.url(`${this.config.prefix}output/${displayName}/`) },
        },
        // The request count, for progress before Vertex has counted anything (label values are short text).
        labels: { app: 'overnight', requests: String(requests.length) },
      },
    );
    if (!job.name) throw new Error('Vertex AI created a job but returned no name');
    return statusOfJob(job);
  }

  async answerOne(params: MessageCreateParamsNonStreaming): Promise<Message> {
    const url = `${this.api}/${this.parent}/publishers/anthropic/models/${encodeURIComponent(params.model)}:rawPredict`;
    return this.json<Message>('rawPredict', `model ${params.model}`, url, 'POST', vertexBody(params));
  }

  private job(name: string): Promise<VertexJob> {
    return this.json<VertexJob>('get', `job ${name}`, this.jobUrl(name));
  }

  async retrieve(name: string): Promise<JobStatus> {
    return statusOfJob(await this.job(name));
  }

  waitForEnd(name: string, options: JobWaitOptions): Promise<JobStatus> {
    return pollUntilEnded(() => this.retrieve(name), this.sleep, options);
  }

  async cancel(name: string): Promise<JobStatus> {
    await this.call('cancel', `job ${name}`, `${this.jobUrl(name)}:cancel`, {
      method: 'POST',
      body: '{}',
      contentType: 'application/json',
    });
    return this.retrieve(name);
  }

  /**
   * Every request of the job once: the prediction lines joined on custom_id, then each input line with
   * no answer reported by how the job ended (EXPIRED: expired; CANCELLED: canceled; else an error
   * naming the job's own error, or the output lines that could not be joined), so none is silently dropped.
   */
  async *results(name: string): AsyncGenerator<ProviderResult> {
    const job = await this.job(name);
    if (!ENDED_STATES.has(job.state ?? '')) {
      throw new FatalApiError(`Vertex AI job ${name} has no results yet (${job.state}); collect again once it has ended`, null);
    }
    const outputDir = job.outputInfo?.gcsOutputDirectory;
    const files = outputDir ? await this.list(`${this.objectName(outputDir).replace(/\/?$/, '/')}`) : [];
    const predictions = files.filter((f) => f.endsWith('.jsonl'));
    const succeededState = job.state === 'JOB_STATE_SUCCEEDED' || job.state === 'JOB_STATE_PARTIALLY_SUCCEEDED';
    if (predictions.length === 0 && succeededState) {
      throw new FatalApiError(
        `Vertex AI job ${name} ${job.state} but ${outputDir ? `${outputDir} holds no .jsonl prediction file (found: ${files.slice(0, 5).join(', ') || 'nothing'})` : 'names no output directory'}; its results cannot be read`,
        404,
      );
    }
    const dir = await mkdtemp(join(tmpdir(), 'overnight-vertex-'));
    const seen = new Set<string>();
    let unjoinable = 0;
    let unjoinableKeys = '';
    try {
      for (const file of predictions) {
        for await (const line of readLines(await this.download(file, dir))) {
          if (!line.trim()) continue;
          let doc: Record<string, unknown>;
          try {
            doc = JSON.parse(line) as Record<string, unknown>;
          } catch {
            unjoinable++;
            continue;
          }
          const result = resultOfOutputLine(doc);
          if (!result) {
            unjoinable++;
            unjoinableKeys ||= Object.keys(doc).join(', ');
            continue;
          }
          if (seen.has(result.custom_id)) continue;
          seen.add(result.custom_id);
          yield result;
        }
      }
      for (const uri of job.inputConfig?.gcsSource?.uris ?? []) {
        for await (const line of readLines(await this.download(this.objectName(uri), dir))) {
          if (!line.trim()) continue;
          const customId = customIdOfLine(JSON.parse(line) as Record<string, unknown>);
          if (customId === null || seen.has(customId)) continue;
          seen.add(customId);
          yield { custom_id: customId, result: unansweredResult(job, unjoinable, unjoinableKeys) };
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The object name of a gs:// URI in our bucket (a job pointing elsewhere is not ours to read). */
  private objectName(uri: string): string {
    const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
    if (!match || match[1] !== this.config.bucket) {
      throw new FatalApiError(`Vertex AI job data at '${uri}' is not in vertex-bucket ${this.config.bucket}`, null);
    }
    return match[2]!;
  }

  private async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let token = '';
    do {
      const url = `${this.storage}/storage/v1/b/${encodeURIComponent(this.config.bucket)}/o?prefix=${encodeURIComponent(prefix)}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
      const page = await this.json<{ items?: { name?: string }[]; nextPageToken?: string }>('list', this.url(prefix), url);
      for (const item of page.items ?? []) if (item.name) names.push(item.name);
      token = page.nextPageToken ?? '';
    } while (token);
    return names.sort();
  }

  /** An object copied to a local file as it arrives (big outputs are read back line by line). */
  private async download(name: string, dir: string): Promise<string> {
    const file = join(dir, `${filesDownloaded++}.jsonl`);
    const url = `${this.storage}/storage/v1/b/${encodeURIComponent(this.config.bucket)}/o/${encodeURIComponent(name)}?alt=media`;
    const response = await this.call('download', this.url(name), url, { method: 'GET' });
    if (!response.body) throw new GcpHttpError(502, '', `empty body for ${this.url(name)}`);
    await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream), createWriteStream(file));
    return file;
  }
}

let filesDownloaded = 0;

function unansweredResult(job: VertexJob, unjoinable: number, keys: string): ProviderResult['result'] {
  if (job.state === 'JOB_STATE_EXPIRED') return { type: 'expired' };
  if (job.state === 'JOB_STATE_CANCELLED') return { type: 'canceled' };
  if (unjoinable > 0) {
    // The output is there but its lines do not carry our custom_id where we read it: the guessed
    // format is wrong. Said on every request it hides, and not resubmitted (it would happen again).
    return erroredResult(
      'invalid_request_error',
      `Vertex AI output shape not understood: ${unjoinable} line(s) without a custom_id${keys ? ` (keys: ${keys})` : ''}; no answer for this request could be joined`,
    );
  }
  return erroredResult(
    'invalid_request_error',
    `Vertex AI job ${job.state ?? 'ended'}: ${job.error?.message ?? 'no output for this request'}`,
  );
}
