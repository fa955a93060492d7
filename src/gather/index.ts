// gather: which files changed, which of them may be sent, and their redacted contents.
export { UsageError, ConfigError } from '../errors.js';
export { parseSince, describeSince, isValidRefName, type Since } from './since.js';
export { gatherChanges, type GatherOptions } from './gather.js';
export { trustedCommitOf } from './window.js';
export { readInstructions } from './instructions.js';
export { classifyPath } from './filters.js';
export { isCredentialPath } from './credentials.js';
export { redactSecrets } from './redact.js';
export { languageFor } from './language.js';
