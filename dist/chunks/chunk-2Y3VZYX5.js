import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);

// src/types.ts
var TASK_NAMES = ["code-review", "security-scan", "test-generation", "docs-update", "refactor-validation"];
var MODES = ["submit", "collect", "run", "auto"];
var REPORT_TARGETS = ["issue", "pr-review", "pr-comment", "sarif", "pull-request", "summary", "artifact"];
var SEVERITIES = ["critical", "high", "medium", "low", "info"];
var FINDING_SEVERITIES = ["critical", "high", "medium", "low"];
var CONFIDENCES = ["certain", "likely", "possible"];

// src/io/safe-text.ts
function unsafeChars(allowed = "") {
  const except = allowed ? `(?![${allowed}])` : "";
  return new RegExp(`${except}[\\p{Cc}\\p{Cf}\\p{Cs}\\u2028\\u2029]`, "gu");
}
var UNSAFE_LOG_CHARS = unsafeChars("	");
function percentEncode(char) {
  return [...Buffer.from(char, "utf8")].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}
function escapeLogText(text) {
  return text.replace(/%/g, "%25").replace(UNSAFE_LOG_CHARS, percentEncode).replace(/##\[/g, "#%23[").replace(/^(\s*)::/u, "$1%3A:");
}
function escapeTerminalText(text) {
  return text.replace(UNSAFE_LOG_CHARS, showChar).replace(/##\[/g, "#%23[").replace(/^(\s*)::/u, "$1%3A:");
}
var MIN_MASKED_LENGTH = 8;
function maskSecrets(text, secrets) {
  return secrets.filter((s) => s.length >= MIN_MASKED_LENGTH).reduce((t, s) => t.split(s).join("***"), text);
}
function visibleText(text) {
  return text.replace(unsafeChars(), showChar);
}
function showChar(char) {
  return `\\u${char.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

export {
  unsafeChars,
  escapeLogText,
  escapeTerminalText,
  MIN_MASKED_LENGTH,
  maskSecrets,
  visibleText,
  TASK_NAMES,
  MODES,
  REPORT_TARGETS,
  SEVERITIES,
  FINDING_SEVERITIES,
  CONFIDENCES
};
