// What code scanning shows next to an alert: each SARIF rule's name, full description and help
// (text and Markdown), linked to MITRE's CWE page where a weakness applies. GitHub requires
// `fullDescription` and `help` on every rule (the SARIF Multitool's GH2012), and the Multitool
// refuses a `name` equal to the `id` but for case (SARIF1001, e.g. `xss`/`Xss`).
//
// Rule ids are categories the model chose (ruleId in sarif.ts has made them `[a-z0-9-]`): the common
// ones have written guidance here; any other gets guidance composed from its words, its task and its
// CWE, so no rule ships without help. Nothing here carries model prose: a rule is shared by every
// finding of its category, and each alert's own message holds that finding's explanation.
import type { ReportingDescriptor } from 'sarif';

interface RuleGuidance {
  /** PascalCase, differing from the id by more than case. */
  name: string;
  /** One line: what the rule finds. */
  short: string;
  /** What goes wrong and why it matters. */
  description: string;
  /** What to do about it. */
  fix: string;
  cwe?: number;
}

/** Guidance for the categories the tasks name in their instructions and the ones models use most. */
const GUIDANCE: Record<string, RuleGuidance> = {
  'sql-injection': {
    name: 'SqlQueryBuiltFromInput',
    short: 'SQL query built from untrusted input',
    description:
      'Input reaches a SQL statement as text, so a crafted value can change the query: read or alter any data, or bypass checks.',
    fix: 'Use parameterised queries (placeholders, values passed separately) or the query builder of the database library; never concatenate or interpolate values into SQL.',
    cwe: 89,
  },
  'command-injection': {
    name: 'ShellCommandBuiltFromInput',
    short: 'OS command built from untrusted input',
    description: 'Input reaches a shell command line, so shell syntax in a value runs commands of the attacker’s choosing.',
    fix: 'Run the program directly with an argument array (no shell), and check values against an allowlist.',
    cwe: 78,
  },
  'code-injection': {
    name: 'DynamicCodeEvaluation',
    short: 'Untrusted input evaluated as code',
    description:
      'A string that may come from outside is evaluated as code (eval, Function, exec), so its author runs code in the process.',
    fix: 'Do not evaluate strings: parse data with a data parser, or dispatch through a fixed table of functions.',
    cwe: 95,
  },
  xss: {
    name: 'CrossSiteScripting',
    short: 'Cross-site scripting',
    description:
      'Untrusted text is written into a page as markup, so script in it runs in the victim’s browser with their session.',
    fix: 'Insert text as text (textContent, the template engine’s escaping), or sanitise markup with a vetted sanitiser first.',
    cwe: 79,
  },
  'path-traversal': {
    name: 'FilePathFromInput',
    short: 'File path built from untrusted input',
    description:
      'A path built from input can climb out of the intended directory (`../`), reading or writing files it should not reach.',
    fix: 'Resolve the path and check that it stays inside the base directory, or map identifiers to files through an allowlist.',
    cwe: 22,
  },
  'hardcoded-credentials': {
    name: 'CredentialInSource',
    short: 'Credential written in the source',
    description:
      'A password, token or key is part of the code: everyone with read access has it, and it cannot be rotated without a change.',
    fix: 'Read the secret from the environment or a secret manager, and rotate the exposed value.',
    cwe: 798,
  },
  'hardcoded-secret': {
    name: 'SecretInSource',
    short: 'Secret written in the source',
    description: 'A secret is part of the code: everyone with read access has it, and it cannot be rotated without a change.',
    fix: 'Read the secret from the environment or a secret manager, and rotate the exposed value.',
    cwe: 798,
  },
  'weak-randomness': {
    name: 'PredictableRandomValue',
    short: 'Predictable random value used for security',
    description: 'A non-cryptographic generator makes tokens, ids or passwords that an attacker can predict.',
    fix: 'Use the platform’s cryptographically secure generator (crypto.randomBytes / randomUUID, Python’s secrets).',
    cwe: 338,
  },
  'weak-crypto': {
    name: 'BrokenCryptoAlgorithm',
    short: 'Broken or weak cryptographic algorithm',
    description:
      'A hash or cipher that is broken or too fast for its purpose (MD5, SHA-1 for passwords, DES) protects data that needs real protection.',
    fix: 'Use a current algorithm for the purpose: a slow KDF (scrypt, argon2, bcrypt) for passwords, SHA-256 or better for integrity, AES-GCM for encryption.',
    cwe: 327,
  },
  'log-injection': {
    name: 'UnneutralisedLogEntry',
    short: 'Untrusted input written to a log unneutralised',
    description: 'A value with line breaks can forge log entries or hide an attack from whoever reads the log.',
    fix: 'Log values JSON-encoded, or strip CR and LF from them.',
    cwe: 117,
  },
  'insecure-deserialization': {
    name: 'UntrustedDeserialisation',
    short: 'Deserialisation of untrusted data',
    description:
      'A format that can instantiate objects (pickle, unsafe YAML, Java serialisation) reads data that may come from outside, which can run code.',
    fix: 'Use a data-only format (JSON, yaml.safe_load); never deserialise objects across a trust boundary.',
    cwe: 502,
  },
  'missing-authorization': {
    name: 'MissingAuthorisationCheck',
    short: 'Action performed without an authorisation check',
    description: 'An operation on protected data runs without checking that the caller may perform it.',
    fix: 'Check the caller’s permission for this resource before acting, in one place every route goes through.',
    cwe: 862,
  },
  'information-leak': {
    name: 'SensitiveInformationExposure',
    short: 'Sensitive information exposed',
    description: 'Internal details (secrets, stack traces, personal data) reach someone who should not see them.',
    fix: 'Return generic errors to callers, log details only where they are protected, and filter what responses carry.',
    cwe: 200,
  },
  'race-condition': {
    name: 'UnsynchronisedSharedState',
    short: 'Race condition',
    description: 'Two operations on shared state can interleave, so a check and the action it guards no longer agree.',
    fix: 'Make the check and the action one atomic step (a lock, a transaction, a conditional write).',
    cwe: 362,
  },
  'null-dereference': {
    name: 'NullValueDereferenced',
    short: 'Possibly null value dereferenced',
    description: 'A value that can be null or undefined is used as an object, which throws at run time on that path.',
    fix: 'Handle the missing value where it can first be missing (return early, default, or report the error).',
    cwe: 476,
  },
  'off-by-one': {
    name: 'OffByOneBoundary',
    short: 'Off-by-one boundary',
    description: 'A loop or index bound is one too far or too short, reading past the end or skipping an element.',
    fix: 'Use an exclusive upper bound (`<` length), or iterate over the elements instead of indices.',
    cwe: 193,
  },
  'loose-equality': {
    name: 'TypeCoercingComparison',
    short: 'Comparison that coerces types',
    description: 'A loose comparison (`==`, `!=`) converts types first, so values of different types can compare equal.',
    fix: 'Compare with `===` / `!==`, and test null and undefined explicitly where both are meant.',
    cwe: 697,
  },
  'swallowed-error': {
    name: 'ErrorSilentlyIgnored',
    short: 'Error caught and ignored',
    description: 'An exception is caught and dropped, so a failure goes unnoticed and later code runs on a wrong assumption.',
    fix: 'Handle the error, log it with context, or let it propagate.',
    cwe: 390,
  },
  'error-handling': {
    name: 'FaultyErrorHandling',
    short: 'Faulty error handling',
    description: 'An error path is missing or wrong, so a failure leaves the program in a state its callers do not expect.',
    fix: 'Handle each failure where it can be handled, and report the rest with enough context to act on.',
    cwe: 755,
  },
};

/** MITRE's page for a weakness. */
export function cweUrl(cwe: number): string {
  return `https://cwe.mitre.org/data/definitions/${cwe}.html`;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function humanise(id: string): string {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Guidance for a category without written guidance: from its words, the task and the CWE. */
function composedGuidance(id: string, taskTitle: string, cwe: number | null): RuleGuidance {
  const pascal = pascalCase(id) || 'Uncategorised';
  const words = humanise(id);
  return {
    // `xss` → `Xss` would equal the id but for case; a suffix keeps the name an end-user name.
    name: pascal.toLowerCase() === id.toLowerCase() ? `${pascal}Finding` : pascal,
    short: words,
    description: `Problems that overnight's ${taskTitle.toLowerCase()} reported under the category "${words}"${cwe ? `, related to weakness CWE-${cwe}` : ''}. The category is the reviewing model's own; the alert's message says what is wrong at that place and why.`,
    fix: 'Read the alert’s message: it explains the problem at that location and, where the model had one, how to fix it. The pull request or issue report of the same run shows the suggested fix in full.',
    ...(cwe ? { cwe } : {}),
  };
}

/**
 * The descriptive part of a rule (name, descriptions, help, helpUri). `cwe`: the rule's weakness when
 * its category has no written guidance (the most severe finding's), as a number.
 */
export function ruleText(
  id: string,
  taskTitle: string,
  cwe: number | null,
): Pick<ReportingDescriptor, 'name' | 'shortDescription' | 'fullDescription' | 'help' | 'helpUri'> & { cwe: number | null } {
  const guidance = GUIDANCE[id] ?? composedGuidance(id, taskTitle, cwe);
  const weakness = guidance.cwe ?? null;
  const textSeeAlso = weakness ? `\n\nWeakness: CWE-${weakness}, ${cweUrl(weakness)}` : '';
  const markdownSeeAlso = weakness ? `\n\nWeakness: [CWE-${weakness}](${cweUrl(weakness)})` : '';
  return {
    name: guidance.name,
    shortDescription: { text: guidance.short },
    fullDescription: { text: guidance.description },
    help: {
      text: `${guidance.description}\n\nFix: ${guidance.fix}${textSeeAlso}`,
      markdown: `**${guidance.short}**\n\n${guidance.description}\n\n**Fix:** ${guidance.fix}${markdownSeeAlso}`,
    },
    ...(weakness ? { helpUri: cweUrl(weakness) } : {}),
    cwe: weakness,
  };
}
