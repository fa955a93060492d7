// The task registry: the engine finds a task's prompt, schema, normaliser and defaults here by name.
import { TASK_NAMES, type TaskName } from '../types.js';
import { codeReview } from './code-review.js';
import { docsUpdate } from './docs-update.js';
import { refactorValidation } from './refactor-validation.js';
import { securityScan } from './security-scan.js';
import type { TaskDefinition } from './task.js';
import { testGeneration } from './test-generation.js';

export const TASKS: Record<TaskName, TaskDefinition> = {
  'code-review': codeReview,
  'security-scan': securityScan,
  'test-generation': testGeneration,
  'docs-update': docsUpdate,
  'refactor-validation': refactorValidation,
};

export function isTaskName(name: string): name is TaskName {
  return (TASK_NAMES as readonly string[]).includes(name);
}

/** The task called `name`; throws a one-line error naming the valid tasks otherwise. */
export function getTask(name: string): TaskDefinition {
  if (!isTaskName(name)) throw new Error(`unknown task "${name}": expected one of ${TASK_NAMES.join(', ')}`);
  return TASKS[name];
}

export { MalformedAnswerError } from './task.js';
export { parseAnswerText } from './answer.js';
export { codeAt, fingerprint } from './fingerprint.js';
export { customIdFor, planFileUnits } from './units.js';
