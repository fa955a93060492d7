// What every task module provides. The engine knows tasks only through this interface.
import type {
  Finding,
  GeneratedFile,
  LineRange,
  ReportTarget,
  RequestRecord,
  SourceFile,
  TaskName,
  TaskOutput,
  WorkUnit,
} from '../types.js';

/** Thrown by a normaliser when an answer does not fit the task's contract; the message is one line. */
export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError';
}

export interface PlanOptions {
  /** Files whose whole content fits this many lines are sent whole; larger ones as hunks with context. */
  wholeFileMaxLines: number;
  /** Lines of context kept around each hunk when the file is not sent whole (the enclosing block is added when found). */
  contextLines: number;
  /** A unit above this many sent lines is split by hunk groups. */
  maxUnitLines: number;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  wholeFileMaxLines: 150,
  contextLines: 10,
  maxUnitLines: 1200,
};

/** What normalise gets to know about the request it is normalising. */
export interface NormaliseContext {
  customId: string;
  record: RequestRecord;
  /** The files of the unit (for fingerprints of the code a finding points at). */
  files: SourceFile[];
}

export interface TaskDefinition {
  name: TaskName;
  /** Human title: "Code review". */
  title: string;
  defaultModel: string;
  defaultMaxOutputTokens: number;
  /** `report` when the user leaves it empty. */
  defaultReports(context: { pullRequest: boolean }): ReportTarget[];
  /** Fixed role, rules and output contract: identical for every request, so it is the cached prefix. */
  systemPrompt: string;
  /** JSON schema passed as output_config.format.schema. */
  outputSchema: Record<string, unknown>;
  /** Whether a gathered file is something this task works on (test-generation skips tests, ...). */
  accepts(file: SourceFile): boolean;
  /**
   * The part of `accepts` decided by path and status alone, applied by gather BEFORE max-files so
   * files the task would drop take no slot (they are listed as 'not-for-task'). Must admit every file
   * `accepts` admits, and the files planUnits uses besides (test-generation's existing tests).
   * Absent: every file.
   */
  acceptsPath?(path: string, status: SourceFile['status']): boolean;
  /** Units of work for the accepted files; custom_ids derived from paths, content hashes and part. */
  planUnits(files: SourceFile[], options: PlanOptions): WorkUnit[];
  /** The per-request user message for one unit (file content rendered with prompt/format.ts). */
  renderUnit(unit: WorkUnit): string;
  /** Validates and normalises a parsed JSON answer; throws MalformedAnswerError. */
  normalise(answer: unknown, context: NormaliseContext): TaskOutput;
}

export type { Finding, GeneratedFile, LineRange };
