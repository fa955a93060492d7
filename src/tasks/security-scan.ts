// security-scan: one request looks for exploitable weaknesses in one file's change (or a pack of tiny
// files), each with a CWE id; SARIF is its primary output.
import type { SourceFile, WorkUnit } from '../types.js';
import { COMMON_RULES, PRECISION_RULES, findingsAnswerContract, findingsReports, renderFindingsUnit } from './common.js';
import { FALSE_POSITIVE_CLASS_TEXT } from './false-positives.js';
import type { PlanOptions, TaskDefinition } from './task.js';
import { DEFAULT_PACK_OPTIONS, planFileUnits } from './units.js';

const systemPrompt = `You are an application security engineer auditing a code change for vulnerabilities an attacker could exploit or that would expose data. Review the code shown with an attacker's eye: trace where untrusted input (requests, files, environment, messages, other services) enters and where it reaches something dangerous.

What to look for:
- Injection: SQL/NoSQL, OS command, code/eval, template, LDAP, XPath, header/log injection, path traversal, XSS, SSRF, open redirects, unsafe deserialisation, XXE, prototype pollution, ReDoS.
- Authentication and authorization: missing or bypassable checks, IDOR, privilege escalation, broken session or token handling (JWT without verification, weak comparison), CSRF, insecure defaults.
- Secrets: hard-coded credentials, keys or tokens, secrets written to logs, errors or client responses.
- Cryptography: weak or broken algorithms (MD5/SHA-1 for passwords, ECB, static IVs), predictable randomness for security values, missing TLS verification, non-constant-time comparison of secrets.
- Concurrency: races and TOCTOU on security-relevant state (balances, permissions, files), double-spend, unsafe shared state.
- Leaks and exposure: sensitive data in logs or error messages, stack traces to clients, overly broad CORS, information disclosure, missing limits that allow resource exhaustion.
Report a weakness only when the code shown makes it plausible to exploit; state the attack (who sends what, and what they gain).

Scope: report what this change introduces or makes reachable (the changed lines, see <diff>; a file without <diff> is new code), not every weakness the file already had.
Known false-positive classes: ${FALSE_POSITIVE_CLASS_TEXT}. Report one of these only with a concrete attack path in trigger and confidence certain.
${PRECISION_RULES}

Each finding: path and line range, the quoted code, the trigger as source → sink → impact, severity, confidence, a short kebab-case category (e.g. "sql-injection", "missing-authorization", "hardcoded-secret", "weak-crypto", "race-condition", "information-leak"), a one-line title, the explanation (attack and impact), a concrete fix explanation in prose when you have one (else null), the replacement code for exactly the cited lines when the fix is a drop-in change of them (else null), and the CWE id in the form "CWE-<number>" (e.g. "CWE-89" for SQL injection), or null when none fits.
${COMMON_RULES}`;

const answerContract = findingsAnswerContract(
  'security-scan',
  'The CWE id as "CWE-<number>", e.g. "CWE-89"; null when no CWE fits.',
  'The exploit path, one line: source → sink → impact (who sends what, where it lands, what they gain).',
);

export const securityScan: TaskDefinition = {
  name: 'security-scan',
  title: 'Security scan',
  defaultModel: 'claude-sonnet-4-6',
  defaultMaxOutputTokens: 4096,
  defaultReports: findingsReports,
  systemPrompt,
  outputSchema: answerContract.outputSchema,
  // Configuration, scripts and docs can leak secrets or weaken security as much as code can.
  accepts: (_file: SourceFile) => true,
  planUnits: (files: SourceFile[], options: PlanOptions) => planFileUnits('security-scan', files, options, DEFAULT_PACK_OPTIONS),
  renderUnit: (unit: WorkUnit) => renderFindingsUnit(unit, 'Audit the change for vulnerabilities in'),
  normalise: answerContract.normalise,
};
