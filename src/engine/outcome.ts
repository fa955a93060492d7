// Turns one result line of a batch (or one interactive answer) into a RequestOutcome: validated,
// normalised, or a failure that says why and whether a resubmission could help.
import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import { mayHoldSecret, redactSecrets } from '../gather/redact.js';
import { parseAnswerText } from '../tasks/answer.js';
import { MalformedAnswerError, type TaskDefinition } from '../tasks/task.js';
import { addRedactionFindings } from '../tasks/redaction-findings.js';
import type { Finding, RequestOutcome, RequestRecord, SourceFile, TaskOutput, TokenUsage } from '../types.js';

export function usageOf(message: Message): TokenUsage {
  const u = message.usage;
  return {
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0,
    cacheReadInputTokens: u.cache_read_input_tokens ?? 0,
    cacheCreation1hInputTokens: u.cache_creation?.ephemeral_1h_input_tokens ?? 0,
  };
}

/** The text of an answer: its text blocks, joined. */
export function messageText(message: Message): string {
  return message.content
    .filter((block) => block.type === 'text')
    .map((block) => (block as { text: string }).text)
    .join('');
}

// Prose the model wrote (titles, explanations, summaries) is redacted as plain text: unquoted
// `name: value` lines count only in config formats, and prose is not one.
const PROSE = 'answer.md';

// Short prose repeats across answers (a category such as "null-dereference" passes the pre-check,
// being 16 token characters, and costs a secretlint run each time: 28 s of a 100,000-result collect).
// redactSecrets is a function of its text and path, so a short prose string once found clean is clean.
const SHORT_PROSE = 64;
const MAX_CLEAN_SHORT_PROSE = 1000;
const cleanShortProse = new Set<string>();

/**
 * Replaces secret-looking strings in everything the model wrote that is published (findings,
 * generated files, verdicts, summaries), in place; returns how many. The model only saw redacted
 * code, but it may reproduce a secret from elsewhere (instructions, context files, a hostile
 * comment asking it to), and nothing it writes is published unscanned. Code (a suggested fix, a
 * generated file) is scanned as code of its file's kind.
 */
export async function redactOutput(output: TaskOutput): Promise<number> {
  // Most answers hold nothing secret-looking: one synchronous pass over every string decides which
  // need the (async, costly) scan, so a clean answer allocates no promise per string; each string
  // still goes through redactSecrets' own pre-check, so what is redacted is unchanged.
  const fields: { text: string; path: string; set: (text: string) => void }[] = [];
  const add = (text: string, path: string, set: (text: string) => void): void => {
    if (mayHoldSecret(text)) fields.push({ text, path, set });
  };
  const addFinding = (finding: Finding): void => {
    add(finding.title, PROSE, (t) => (finding.title = t));
    add(finding.explanation, PROSE, (t) => (finding.explanation = t));
    add(finding.category, PROSE, (t) => (finding.category = t));
    if (finding.suggestedFix !== null) add(finding.suggestedFix, finding.path, (t) => (finding.suggestedFix = t));
    if (finding.replacement !== undefined) add(finding.replacement, finding.path, (t) => (finding.replacement = t));
  };
  add(output.summary, PROSE, (t) => (output.summary = t));
  if (output.kind === 'findings') {
    for (const finding of output.findings) addFinding(finding);
  } else if (output.kind === 'files') {
    for (const file of output.files) {
      add(file.content, file.path, (t) => (file.content = t));
      add(file.description, PROSE, (t) => (file.description = t));
    }
  } else {
    for (const verdict of output.verdicts) {
      add(verdict.summary, PROSE, (t) => (verdict.summary = t));
      for (const finding of verdict.findings) addFinding(finding);
    }
  }
  let redactions = 0;
  for (const field of fields) {
    const short = field.path === PROSE && field.text.length <= SHORT_PROSE;
    if (short && cleanShortProse.has(field.text)) continue;
    const redacted = await redactSecrets(field.text, field.path);
    if (redacted.redactions === 0) {
      if (short && cleanShortProse.size < MAX_CLEAN_SHORT_PROSE) cleanShortProse.add(field.text);
      continue;
    }
    redactions += redacted.redactions;
    field.set(redacted.content);
  }
  return redactions;
}

/**
 * Normalises an answered message; a malformed answer becomes a failure, never a silent drop.
 * Secret-looking strings in the answer are redacted and counted (`redactions`).
 */
export async function outcomeOfMessage(
  customId: string,
  message: Message,
  task: TaskDefinition,
  record: RequestRecord,
  files: SourceFile[],
  batchId: string | null,
): Promise<RequestOutcome> {
  const usage = usageOf(message);
  const failure = (reason: string): RequestOutcome => ({
    customId,
    status: 'malformed',
    reason,
    retryable: false,
    usage,
    model: message.model,
    batchId,
  });
  if (message.stop_reason === 'max_tokens') {
    return failure(`answer cut off at ${usage.outputTokens} output tokens; raise max-output-tokens`);
  }
  if (message.stop_reason === 'refusal') return failure('the model declined to answer this request');
  const text = messageText(message);
  let output: TaskOutput;
  try {
    output = task.normalise(parseAnswerText(text), { customId, record, files });
  } catch (error) {
    if (error instanceof MalformedAnswerError) return failure(error.message);
    throw error;
  }
  const redactions = await redactOutput(output);
  // After the scan of what the model wrote: these findings are overnight's own words, never a secret.
  addRedactionFindings(output, task.name, record, files, customId);
  return {
    customId,
    status: 'succeeded',
    output,
    usage,
    model: message.model,
    batchId,
    ...(redactions > 0 ? { redactions } : {}),
  };
}

/** A batch result line → outcome. */
export async function outcomeOfResult(
  customId: string,
  result: MessageBatchResult,
  task: TaskDefinition,
  record: RequestRecord,
  files: SourceFile[],
  batchId: string,
): Promise<RequestOutcome> {
  switch (result.type) {
    case 'succeeded':
      return outcomeOfMessage(customId, result.message, task, record, files, batchId);
    case 'errored': {
      const error = (result.error as { error?: { type?: string; message?: string } }).error ?? {};
      const type = error.type ?? 'api_error';
      return {
        customId,
        status: 'errored',
        reason: `${type}: ${error.message ?? 'no message'}`,
        // invalid_request_error must be fixed, not retried (API-NOTES.md).
        retryable: type !== 'invalid_request_error',
        usage: null,
        model: null,
        batchId,
      };
    }
    case 'expired':
      return {
        customId,
        status: 'expired',
        reason: 'not processed within 24 hours',
        retryable: true,
        usage: null,
        model: null,
        batchId,
      };
    case 'canceled':
      return {
        customId,
        status: 'canceled',
        reason: 'the batch was canceled',
        retryable: false,
        usage: null,
        model: null,
        batchId,
      };
  }
}
