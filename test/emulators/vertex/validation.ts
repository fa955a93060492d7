// Vertex AI's rules for a BatchPredictionJob of a Claude model and for a batch record, as the API
// reference and Google's Claude batch page state them (aiplatform v1 BatchPredictionJob;
// cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/batch); ../shared/BACKENDS-NOTES.md §2.
import { validateMessageParams } from '../../../src/emulator/anthropic/validation.js';

/** publishers/anthropic/models/<id>, the id bare or with its @date. */
export const MODEL_PATH = /^publishers\/anthropic\/models\/(claude-[a-z0-9-]+?)(?:@(\d{8}))?$/;
export const GS_URI = /^gs:\/\/([a-z0-9][a-z0-9_.-]{1,61}[a-z0-9])\/(.*)$/;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const FIELDS = new Set(['displayName', 'model', 'inputConfig', 'outputConfig', 'labels']);

export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string): GoogleApiError => new GoogleApiError(400, 'INVALID_ARGUMENT', message);

export interface JobRequest {
  displayName: string;
  model: string;
  inputConfig: { instancesFormat: 'jsonl'; gcsSource: { uris: string[] } };
  outputConfig: { predictionsFormat: 'jsonl'; gcsDestination: { outputUriPrefix: string } };
  labels?: Record<string, string>;
}

export function validateJobRequest(body: Record<string, unknown>): JobRequest {
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key))
      throw invalid(`Invalid JSON payload received. Unknown name "${key}" at 'batch_prediction_job': Cannot find field.`);
  }
  const { displayName, model, inputConfig, outputConfig, labels } = body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (typeof displayName !== 'string' || !displayName || displayName.length > 128) {
    throw invalid('batch_prediction_job.display_name: must be a non-empty string of at most 128 characters');
  }
  if (typeof model !== 'string' || !MODEL_PATH.test(model)) {
    throw invalid(`batch_prediction_job.model: '${String(model)}' is not publishers/anthropic/models/<model>`);
  }
  if (inputConfig?.instancesFormat !== 'jsonl')
    throw invalid('batch_prediction_job.input_config.instances_format: must be jsonl');
  const uris = inputConfig?.gcsSource?.uris as unknown;
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string' && GS_URI.test(u))) {
    throw invalid('batch_prediction_job.input_config.gcs_source.uris: one or more gs:// URIs are required');
  }
  if (Object.keys(inputConfig).some((k) => k !== 'instancesFormat' && k !== 'gcsSource')) {
    throw invalid('batch_prediction_job.input_config: exactly one of gcs_source or bigquery_source');
  }
  if (outputConfig?.predictionsFormat !== 'jsonl')
    throw invalid('batch_prediction_job.output_config.predictions_format: must be jsonl');
  const prefix = outputConfig?.gcsDestination?.outputUriPrefix as unknown;
  if (typeof prefix !== 'string' || !GS_URI.test(prefix)) {
    throw invalid('batch_prediction_job.output_config.gcs_destination.output_uri_prefix: a gs:// URI is required');
  }
  if (labels !== undefined) {
    if (typeof labels !== 'object' || labels === null) throw invalid('batch_prediction_job.labels: must be a map');
    for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
      if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value)) {
        throw invalid(`batch_prediction_job.labels: '${key}: ${String(value)}' is not a valid label`);
      }
    }
  }
  return body as unknown as JobRequest;
}

/**
 * The reason a record's request would be refused, or null. The request is the Messages body with
 * anthropic_version vertex-2023-10-16, no model (the job names it), no stream.
 */
export function requestProblem(request: unknown, model: string): string | null {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return 'request must be a JSON object';
  const { anthropic_version, ...rest } = request as Record<string, unknown>;
  if (anthropic_version !== 'vertex-2023-10-16')
    return `anthropic_version: '${String(anthropic_version)}' is not vertex-2023-10-16`;
  if ('model' in rest) return 'model: Extra inputs are not permitted (the job names the model)';
  if ('stream' in rest) return 'stream: Extra inputs are not permitted in a batch';
  const problem = validateMessageParams({ ...rest, model }, 'messages');
  return problem ? problem.message : null;
}
