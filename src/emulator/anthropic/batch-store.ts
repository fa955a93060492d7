// Message batches: creation checks, the in_progress -> (canceling ->) ended lifecycle driven by polls,
// the per-request outcomes decided when a batch ends, paging, deletion and archiving.
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
  MessageBatchResult,
} from '@anthropic-ai/sdk/resources/messages/batches';
import { ApiError, invalidRequest, notFound } from './errors.js';
import type { Faults } from './faults.js';
import { buildMessage, type AnswerContext } from './messages.js';
import { shuffled } from './random.js';
import { CUSTOM_ID_PATTERN, isRecord, validateMessageParams } from './validation.js';

export const MAX_BATCH_REQUESTS = 100_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Results are kept this long after created_at, then the batch is archived. */
const RESULTS_KEPT_MS = 29 * DAY_MS;

export interface BatchRequest {
  custom_id: string;
  params: Record<string, unknown>;
}

/** What a test can inspect about a batch the emulator holds. */
export interface EmulatedBatch {
  id: string;
  processing_status: MessageBatch['processing_status'];
  /** The requests exactly as received (custom_ids, params, cache_control). */
  requests: BatchRequest[];
  /** Result lines in the order the results endpoint serves them; null until the batch ended. */
  results: MessageBatchIndividualResponse[] | null;
  archived: boolean;
  deleted: boolean;
}

interface BatchRecord {
  id: string;
  sequence: number;
  requests: BatchRequest[];
  status: MessageBatch['processing_status'];
  createdAt: Date;
  endedAt: Date | null;
  cancelInitiatedAt: Date | null;
  archivedAt: Date | null;
  /** GET retrieves answered in_progress so far. */
  polls: number;
  results: MessageBatchIndividualResponse[] | null;
  deleted: boolean;
}

export interface BatchStoreOptions {
  pollsUntilEnded: number;
  resultsDelayMs: number;
  maxRequests: number;
  baseUrl: () => string;
  answers: AnswerContext;
  faults: Faults;
  shuffleRandom: () => number;
  newId: (prefix: string) => string;
}

function errorResult(type: string, message: string, requestId: string): MessageBatchResult {
  return { type: 'errored', error: { type: 'error', error: { type, message }, request_id: requestId } } as MessageBatchResult;
}

export class BatchStore {
  private readonly records = new Map<string, BatchRecord>();
  private sequence = 0;

  constructor(private readonly options: BatchStoreOptions) {}

  /** Checks what the real API checks at create time; params themselves are judged when the batch ends. */
  create(body: unknown): MessageBatch {
    if (!isRecord(body)) throw invalidRequest('Request body must be a JSON object');
    for (const key of Object.keys(body)) {
      if (key !== 'requests') throw invalidRequest(`${key}: Extra inputs are not permitted`);
    }
    const requests = body.requests;
    if (requests === undefined) throw invalidRequest('requests: Field required');
    if (!Array.isArray(requests)) throw invalidRequest('requests: Input should be a valid list');
    if (requests.length === 0) throw invalidRequest('requests: List should have at least 1 item');
    if (requests.length > this.options.maxRequests) {
      throw new ApiError(
        'request_too_large',
        `requests: a batch may hold at most ${this.options.maxRequests.toLocaleString('en-US')} requests, got ${requests.length.toLocaleString('en-US')}`,
      );
    }
    const seen = new Set<string>();
    const accepted: BatchRequest[] = requests.map((item: unknown, i) => {
      const where = `requests.${i}`;
      if (!isRecord(item)) throw invalidRequest(`${where}: Input should be an object`);
      for (const key of Object.keys(item)) {
        if (key !== 'custom_id' && key !== 'params') throw invalidRequest(`${where}.${key}: Extra inputs are not permitted`);
      }
      const customId = item.custom_id;
      if (typeof customId !== 'string') throw invalidRequest(`${where}.custom_id: Field required (a string)`);
      if (!CUSTOM_ID_PATTERN.test(customId)) {
        throw invalidRequest(`${where}.custom_id: ${JSON.stringify(customId)} does not match ${CUSTOM_ID_PATTERN.source}`);
      }
      if (seen.has(customId)) {
        throw invalidRequest(
          `${where}.custom_id: ${JSON.stringify(customId)} is used more than once; custom_id must be unique within a batch`,
        );
      }
      seen.add(customId);
      if (!isRecord(item.params)) throw invalidRequest(`${where}.params: Input should be an object`);
      return { custom_id: customId, params: item.params };
    });

    const record: BatchRecord = {
      id: this.options.newId('msgbatch'),
      sequence: ++this.sequence,
      requests: accepted,
      status: 'in_progress',
      createdAt: new Date(),
      endedAt: null,
      cancelInitiatedAt: null,
      archivedAt: null,
      polls: 0,
      results: null,
      deleted: false,
    };
    this.records.set(record.id, record);
    return this.view(record);
  }

  private find(id: string): BatchRecord {
    const record = this.records.get(id);
    if (!record || record.deleted) throw notFound(`message_batch: ${id} not found`);
    this.age(record);
    return record;
  }

  /** What the clock alone does: unfinished requests expire at 24 h, results go away at 29 days. */
  private age(record: BatchRecord): void {
    const now = Date.now();
    const created = record.createdAt.getTime();
    if (record.status !== 'ended' && now >= created + DAY_MS) this.finish(record, 'expired');
    if (record.archivedAt === null && now >= created + RESULTS_KEPT_MS) record.archivedAt = new Date();
  }

  /** A poll: moves the batch along its lifecycle, then reports it. */
  retrieve(id: string): MessageBatch {
    const record = this.find(id);
    if (record.status === 'canceling') this.finish(record, 'canceled');
    else if (record.status === 'in_progress') {
      if (record.polls >= this.options.pollsUntilEnded) this.finish(record, 'processed');
      else record.polls += 1;
    }
    return this.view(record);
  }

  list(query: URLSearchParams): { data: MessageBatch[]; has_more: boolean; first_id: string | null; last_id: string | null } {
    const rawLimit = query.get('limit');
    const limit = rawLimit === null ? 20 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw invalidRequest(`limit: Input should be an integer between 1 and 1000, got ${JSON.stringify(rawLimit)}`);
    }
    const afterId = query.get('after_id');
    const beforeId = query.get('before_id');
    if (afterId && beforeId) throw invalidRequest('after_id and before_id cannot be used together');
    for (const record of this.records.values()) if (!record.deleted) this.age(record);
    const newestFirst = [...this.records.values()].sort((a, b) => b.sequence - a.sequence);
    const cursorOf = (id: string): number => {
      const cursor = this.records.get(id);
      if (!cursor) throw invalidRequest(`${afterId ? 'after_id' : 'before_id'}: ${id} is not a message batch id`);
      return cursor.sequence;
    };
    let page: BatchRecord[];
    let hasMore: boolean;
    if (beforeId) {
      const cursor = cursorOf(beforeId);
      const newer = newestFirst.filter((r) => r.sequence > cursor && !r.deleted);
      page = newer.slice(Math.max(0, newer.length - limit));
      hasMore = newer.length > limit;
    } else {
      const cursor = afterId ? cursorOf(afterId) : Infinity;
      const older = newestFirst.filter((r) => r.sequence < cursor && !r.deleted);
      page = older.slice(0, limit);
      hasMore = older.length > limit;
    }
    const data = page.map((r) => this.view(r));
    return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
  }

  cancel(id: string): MessageBatch {
    const record = this.find(id);
    if (record.status === 'ended') throw invalidRequest(`message_batch ${id} has already ended and cannot be canceled`);
    if (record.status === 'in_progress') {
      record.status = 'canceling';
      record.cancelInitiatedAt = new Date();
    }
    return this.view(record);
  }

  delete(id: string): { id: string; type: 'message_batch_deleted' } {
    const record = this.find(id);
    if (record.status !== 'ended') {
      throw invalidRequest(
        `message_batch ${id} is ${record.status}: a batch can be deleted only after it has ended (cancel it first)`,
      );
    }
    record.deleted = true;
    return { id, type: 'message_batch_deleted' };
  }

  /** The result lines to serve, or the error the results endpoint answers. */
  results(id: string): MessageBatchIndividualResponse[] {
    const record = this.find(id);
    if (record.status !== 'ended' || !record.results || !record.endedAt) {
      throw invalidRequest(`message_batch ${id} is ${record.status}: results are available once processing_status is ended`);
    }
    if (record.archivedAt) throw notFound(`results of message_batch ${id} are no longer available: the batch was archived`);
    if (Date.now() < record.endedAt.getTime() + this.options.resultsDelayMs) {
      throw notFound(`results of message_batch ${id} are not ready yet`);
    }
    return record.results;
  }

  /** `answered`: requests a canceling batch had processed before the cancel took hold (they keep their results). */
  endNow(id: string, answered: readonly string[] = []): void {
    const record = this.requireAny(id);
    if (record.status === 'canceling') this.finish(record, 'canceled', new Set(answered));
    else if (record.status === 'in_progress') this.finish(record, 'processed');
  }

  expire(id: string): void {
    const record = this.requireAny(id);
    if (record.status !== 'ended') this.finish(record, 'expired');
  }

  archive(id: string): void {
    const record = this.requireAny(id);
    this.endNow(id);
    record.archivedAt ??= new Date();
  }

  all(): EmulatedBatch[] {
    return [...this.records.values()].map((r) => ({
      id: r.id,
      processing_status: r.status,
      requests: r.requests,
      results: r.results,
      archived: r.archivedAt !== null,
      deleted: r.deleted,
    }));
  }

  private requireAny(id: string): BatchRecord {
    const record = this.records.get(id);
    if (!record) throw new Error(`no batch ${id} in this emulator`);
    return record;
  }

  /** Decides every request's outcome, in request order (so cache writes come before reads). */
  private finish(record: BatchRecord, how: 'processed' | 'canceled' | 'expired', answered?: ReadonlySet<string>): void {
    const lines: MessageBatchIndividualResponse[] = record.requests.map((request) => ({
      custom_id: request.custom_id,
      result: this.outcome(request, answered?.has(request.custom_id) ? 'processed' : how),
    }));
    record.results = shuffled(lines, this.options.shuffleRandom);
    record.status = 'ended';
    record.endedAt = new Date();
  }

  private outcome(request: BatchRequest, how: 'processed' | 'canceled' | 'expired'): MessageBatchResult {
    if (how === 'canceled') return { type: 'canceled' };
    if (how === 'expired') return { type: 'expired' };
    const fault = this.options.faults.takeResultFault(request.custom_id);
    if (fault?.type === 'errored') {
      return errorResult(fault.errorType, fault.message ?? `injected ${fault.errorType}`, this.options.newId('req'));
    }
    if (fault?.type === 'expired' || fault?.type === 'canceled') return { type: fault.type };
    const invalid = validateMessageParams(request.params, 'batch');
    if (invalid) return errorResult('invalid_request_error', invalid.message, this.options.newId('req'));
    try {
      const message = buildMessage(request.params, this.options.answers, { malformed: fault?.type === 'malformed' });
      return { type: 'succeeded', message };
    } catch (error) {
      return errorResult('api_error', `Internal server error: ${(error as Error).message}`, this.options.newId('req'));
    }
  }

  private view(record: BatchRecord): MessageBatch {
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (record.status === 'ended' && record.results) {
      for (const line of record.results) counts[line.result.type] += 1;
    } else counts.processing = record.requests.length;
    const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
    return {
      id: record.id,
      type: 'message_batch',
      processing_status: record.status,
      request_counts: counts,
      created_at: record.createdAt.toISOString(),
      expires_at: new Date(record.createdAt.getTime() + DAY_MS).toISOString(),
      ended_at: iso(record.endedAt),
      cancel_initiated_at: iso(record.cancelInitiatedAt),
      archived_at: iso(record.archivedAt),
      results_url: record.status === 'ended' ? `${this.options.baseUrl()}/v1/messages/batches/${record.id}/results` : null,
    };
  }
}
