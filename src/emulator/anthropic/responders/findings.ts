// The findings answer (code-review, security-scan): a small rule set of recognisable defects, each
// reported on the real line that was sent, with an explanation that quotes it and a suggested fix.
import type { ParsedFileBlock } from '../../../prompt/format.js';
import { delimitCodeSpan } from '../../../reports/code-delimiters.js';
import { codeOnly, languageFamily, type LanguageFamily } from './prompt.js';

export interface FindingAnswer {
  path: string;
  start_line: number;
  end_line: number;
  quote: string;
  trigger: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  confidence: 'certain' | 'likely' | 'possible';
  category: string;
  title: string;
  explanation: string;
  fix_explanation: string | null;
  /** Code replacing exactly start_line..end_line, when the fix is a drop-in change of the line. */
  replacement: string | null;
  cwe: string | null;
}

interface LineContext {
  /** The raw line. */
  text: string;
  /** The line with string contents blanked and comments removed. */
  code: string;
  n: number;
  lines: Map<number, string>;
}

interface Rule {
  category: string;
  severity: FindingAnswer['severity'];
  /** How sure a careful model would be from the one line it matched. */
  confidence: FindingAnswer['confidence'];
  /** input or state → what happens → impact. */
  trigger: string;
  cwe: string | null;
  families: LanguageFamily[] | 'any';
  matches(line: LineContext): boolean;
  title: string | ((line: LineContext) => string);
  why: string;
  fix: string;
  /** The line rewritten by the fix (indentation kept), when the fix is that mechanical; else null. */
  replace?: (text: string) => string | null;
}

const SQL_KEYWORDS = /\b(select\s[\s\S]*\sfrom|insert\s+into|update\s+\w+\s+set|delete\s+from)\b/i;
const CONCATENATION = /['"`]\s*\+\s*[\w$(]|[\w$)\]]\s*\+\s*['"`]/;
const SECRET_NAME = /pass(word)?|passwd|pwd|secret|api_?key|apikey|access_?key|private_?key|token|credential/i;
const SECRETISH_CONTEXT = /token|secret|password|passwd|nonce|salt|session|uuid|\bid\b|[a-z]Id\b|key/i;
const REQUEST_INPUT_JS = /\b(req|request)\.(params|query|body|headers)\b/;
const REQUEST_INPUT_PY = /\brequest\.(args|form|GET|POST|values|json|data)\b/;

const near = (line: LineContext, re: RegExp, distance = 3): boolean => {
  for (let n = line.n - distance; n <= line.n + distance; n++) if (re.test(line.lines.get(n) ?? '')) return true;
  return false;
};

/** Whether every argument of the call opening at `index` is a plain string literal. */
function literalArguments(text: string, index: number): boolean {
  const open = text.indexOf('(', index);
  if (open === -1) return false;
  const close = text.lastIndexOf(')');
  const args = text.slice(open + 1, close === -1 ? undefined : close).trim();
  return /^((['"])[^'"`$]*\2\s*,?\s*)+$/.test(args);
}

/** Next non-blank, non-comment line after n. */
function nextCodeLine(line: LineContext, family: LanguageFamily): string | undefined {
  for (let n = line.n + 1; n <= line.n + 5; n++) {
    const text = line.lines.get(n);
    if (text === undefined) return undefined;
    const trimmed = text.trim();
    if (trimmed === '' || /^(\/\/|\/\*|\*|#)/.test(trimmed)) {
      if (family === 'js' && /^\/\*.*\*\/\s*\}/.test(trimmed)) return '}';
      continue;
    }
    return trimmed;
  }
  return undefined;
}

const RULES: Rule[] = [
  {
    category: 'sql-injection',
    severity: 'high',
    confidence: 'certain',
    trigger: 'caller-controlled value → spliced into the SQL text → attacker rewrites the query',
    cwe: 'CWE-89',
    families: ['js'],
    matches: ({ text }) => SQL_KEYWORDS.test(text) && (/`[^`]*\$\{/.test(text) || CONCATENATION.test(text)),
    title: 'SQL query built by string concatenation',
    why: 'builds SQL text from values that can come from a caller, so crafted input can change the query.',
    fix: 'Use a parameterised query: placeholders (`?` or `$1`) in the SQL and the values passed separately.',
  },
  {
    category: 'sql-injection',
    severity: 'high',
    confidence: 'certain',
    trigger: 'caller-controlled value → spliced into the SQL text → attacker rewrites the query',
    cwe: 'CWE-89',
    families: ['py'],
    matches: ({ text }) =>
      /\.(execute|executemany|raw)\s*\(/.test(text) &&
      (/\(\s*f['"]/.test(text) || /['"]\s*%\s*[\w(]/.test(text) || /\.format\(/.test(text) || CONCATENATION.test(text)),
    title: 'SQL query built with string formatting',
    why: 'formats values straight into the SQL text, so crafted input can change the query.',
    fix: 'Pass the values as parameters: cursor.execute("... WHERE id = %s", (value,)).',
  },
  {
    category: 'code-injection',
    severity: 'critical',
    confidence: 'likely',
    trigger: 'input reaching the string → evaluated as code → attacker runs arbitrary code',
    cwe: 'CWE-95',
    families: ['js'],
    matches: ({ text, code }) => {
      const evalAt = code.search(/(^|[^\w$.])eval\s*\(/);
      const fnAt = code.search(/\bnew\s+Function\s*\(/);
      return (evalAt !== -1 && !literalArguments(text, evalAt)) || (fnAt !== -1 && !literalArguments(text, fnAt));
    },
    title: 'Dynamic code evaluation of non-constant input',
    why: 'evaluates a string as code; if any part of it comes from input, an attacker can run arbitrary code.',
    fix: 'Do not evaluate strings: parse data with JSON.parse, or dispatch through a fixed table of functions.',
  },
  {
    category: 'code-injection',
    severity: 'critical',
    confidence: 'likely',
    trigger: 'input reaching the string → evaluated as code → attacker runs arbitrary code',
    cwe: 'CWE-95',
    families: ['py'],
    matches: ({ text, code }) => {
      const at = code.search(/(^|[^\w.])(eval|exec)\s*\(/);
      return at !== -1 && !literalArguments(text, at);
    },
    title: 'eval/exec of non-constant input',
    why: 'evaluates a string as Python code; input reaching it runs arbitrary code.',
    fix: 'Use ast.literal_eval for literals, or a fixed mapping of allowed operations.',
  },
  {
    category: 'command-injection',
    severity: 'critical',
    confidence: 'likely',
    trigger: 'interpolated value → shell command line → attacker runs extra commands',
    cwe: 'CWE-78',
    families: ['js'],
    matches: ({ text, code }) =>
      /((^|[^.\w$])|\b(child_process|childProcess|cp|proc)\.)(exec|execSync|spawn|spawnSync)\s*\(/.test(code) &&
      (/`[^`]*\$\{/.test(text) || CONCATENATION.test(text)) &&
      !SQL_KEYWORDS.test(text),
    title: 'Shell command built from interpolated values',
    why: 'runs a shell command assembled from variables, so shell metacharacters in them run extra commands.',
    fix: 'Use execFile/spawn with an argument array (no shell) and validate the values against an allowlist.',
  },
  {
    category: 'command-injection',
    severity: 'critical',
    confidence: 'likely',
    trigger: 'interpolated value → shell command line → attacker runs extra commands',
    cwe: 'CWE-78',
    families: ['py'],
    matches: ({ text, code }) => {
      const at = code.search(/\bos\.(system|popen)\s*\(/);
      return (at !== -1 && !literalArguments(text, at)) || /\bsubprocess\.\w+\(.*shell\s*=\s*True/.test(text);
    },
    title: 'Shell command run with interpolated input',
    why: 'hands a command string to the shell, so metacharacters in any interpolated value run extra commands.',
    fix: 'Call subprocess.run([...args], shell=False) with an argument list.',
  },
  {
    category: 'hardcoded-credentials',
    severity: 'high',
    confidence: 'certain',
    trigger: 'source or git history read → credential copied → attacker uses the account',
    cwe: 'CWE-798',
    families: 'any',
    matches: ({ text }) => {
      const match = /([A-Za-z_$][\w$]*)['"]?\s*(?::=|[:=])\s*(['"`])([^'"`]{4,})\2/.exec(text);
      if (!match || !SECRET_NAME.test(match[1]!)) return false;
      const value = match[3]!;
      return !/REDACTED|\*\*\*|^<.*>$|\$\{|^\s*$|process\.env|os\.environ/i.test(value) && !/\s/.test(value);
    },
    title: 'Hard-coded credential',
    why: 'stores a credential in source code, where everyone with read access (and the git history) has it.',
    fix: 'Read the secret from the environment or a secret manager, and rotate the exposed value.',
  },
  {
    category: 'weak-randomness',
    severity: 'medium',
    confidence: 'likely',
    trigger: 'observed outputs → Math.random state predicted → attacker guesses the token',
    cwe: 'CWE-338',
    families: ['js'],
    matches: ({ text }) => /Math\.random\s*\(/.test(text) && SECRETISH_CONTEXT.test(text),
    title: 'Math.random used for a security-sensitive value',
    why: 'derives a token or identifier from Math.random, which is predictable.',
    fix: 'Use crypto.randomBytes / crypto.randomUUID for tokens, ids and passwords.',
  },
  {
    category: 'weak-randomness',
    severity: 'medium',
    confidence: 'likely',
    trigger: 'observed outputs → Math.random state predicted → attacker guesses the token',
    cwe: 'CWE-338',
    families: ['py'],
    matches: ({ text }) =>
      /\brandom\.(random|randint|choice|choices|getrandbits)\s*\(/.test(text) && SECRETISH_CONTEXT.test(text),
    title: 'random module used for a security-sensitive value',
    why: 'derives a token or identifier from the random module, which is predictable.',
    fix: 'Use the secrets module (secrets.token_urlsafe, secrets.choice).',
  },
  {
    category: 'weak-crypto',
    severity: 'high',
    confidence: 'certain',
    trigger: 'leaked password hashes → fast MD5/SHA-1 brute force → passwords recovered',
    cwe: 'CWE-327',
    families: ['js', 'py'],
    matches: (line) =>
      (/createHash\s*\(\s*['"](md5|sha1)['"]/i.test(line.text) || /\bhashlib\.(md5|sha1)\s*\(/.test(line.text)) &&
      near(line, /pass(word)?|pwd|secret|credential/i),
    title: 'Password hashed with a fast, broken hash',
    why: 'hashes a password with MD5/SHA-1, which is fast to brute-force and broken for this purpose.',
    fix: 'Hash passwords with a slow KDF: bcrypt, scrypt or argon2 (crypto.scrypt in Node, hashlib.scrypt in Python).',
  },
  {
    category: 'off-by-one',
    severity: 'medium',
    confidence: 'certain',
    trigger: 'last loop pass → reads index length → undefined used as an element',
    cwe: null,
    families: ['js'],
    matches: ({ code }) => /\bfor\s*\([^;]*;\s*[\w$]+\s*<=\s*[\w$.[\]]+\.length\s*;/.test(code),
    title: 'Loop runs one past the end of the array',
    why: 'iterates while the index is <= length, so the last pass reads an element that does not exist (undefined).',
    fix: 'Use `<` instead of `<=` (or iterate with for...of).',
    replace: (text) => text.replace(/(;\s*[\w$]+\s*)<=(\s*[\w$.[\]]+\.length\s*;)/, '$1<$2'),
  },
  {
    category: 'loose-equality',
    severity: 'low',
    confidence: 'possible',
    trigger: 'a value of another type → coerced by == → compares equal when it should not',
    cwe: null,
    families: ['js'],
    matches: ({ code }) => /(?<![=!<>])(==|!=)(?!=)/.test(code),
    title: ({ code }) =>
      /(==|!=)\s*null\b/.test(code) ? 'Loose comparison with null also matches undefined' : 'Loose equality comparison',
    why: 'compares with == / !=, which coerces types and can make unequal values compare equal.',
    fix: 'Use === / !== (and compare with both null and undefined explicitly where both are meant).',
    // Only a line whose sole comparison is outside strings: `== null` may mean both null and undefined.
    replace: (text) => {
      const code = codeOnly(text, 'js');
      if (/(==|!=)\s*null\b/.test(code) || code.match(/(?<![=!<>])(==|!=)(?!=)/g)?.length !== 1) return null;
      const at = code.search(/(?<![=!<>])(==|!=)(?!=)/);
      return `${text.slice(0, at + 2)}=${text.slice(at + 2)}`;
    },
  },
  {
    category: 'swallowed-error',
    severity: 'medium',
    confidence: 'certain',
    trigger: 'the call throws → catch does nothing → failure goes unnoticed',
    cwe: null,
    families: ['js'],
    matches: (line) =>
      /\bcatch\s*(\([^)]*\))?\s*\{\s*(\/\*.*\*\/\s*)?\}/.test(line.code) ||
      (/\bcatch\s*(\([^)]*\))?\s*\{\s*$/.test(line.code) && nextCodeLine(line, 'js')?.startsWith('}') === true),
    title: 'Error silently swallowed by an empty catch block',
    why: 'catches an error and does nothing with it, so failures vanish without a trace.',
    fix: 'Handle the error, log it with context, or let it propagate.',
  },
  {
    category: 'swallowed-error',
    severity: 'medium',
    confidence: 'certain',
    trigger: 'the call throws → catch does nothing → failure goes unnoticed',
    cwe: null,
    families: ['py'],
    matches: (line) =>
      /^\s*except\b[^:]*:\s*pass\s*$/.test(line.code) ||
      (/^\s*except\b[^:]*:\s*$/.test(line.code) && nextCodeLine(line, 'py') === 'pass'),
    title: 'Exception silently swallowed',
    why: 'catches an exception and passes, so failures vanish without a trace.',
    fix: 'Catch the specific exception and handle or log it; re-raise what you cannot handle.',
  },
  {
    category: 'path-traversal',
    severity: 'high',
    confidence: 'certain',
    trigger: 'request sends ../ in the name → joined into the path → attacker reads files outside the directory',
    cwe: 'CWE-22',
    families: ['js'],
    matches: ({ text }) =>
      /(path\.(join|resolve)|readFile(Sync)?|createReadStream|sendFile|writeFile(Sync)?)\s*\(/.test(text) &&
      REQUEST_INPUT_JS.test(text),
    title: 'File path built from request input',
    why: 'uses request input in a file path, so `../` sequences can reach files outside the intended directory.',
    fix: 'Resolve the path, then check it stays inside the base directory (or map ids to files through an allowlist).',
  },
  {
    category: 'path-traversal',
    severity: 'high',
    confidence: 'certain',
    trigger: 'request sends ../ in the name → joined into the path → attacker reads files outside the directory',
    cwe: 'CWE-22',
    families: ['py'],
    matches: ({ text }) => /\b(open|os\.path\.join|send_file)\s*\(/.test(text) && REQUEST_INPUT_PY.test(text),
    title: 'File path built from request input',
    why: 'uses request input in a file path, so `../` sequences can reach files outside the intended directory.',
    fix: 'Use werkzeug.utils.safe_join (or resolve and check the prefix) before opening the file.',
  },
  {
    category: 'xss',
    severity: 'high',
    confidence: 'likely',
    trigger: 'user-controlled markup → innerHTML → script runs in the victim page',
    cwe: 'CWE-79',
    families: ['js'],
    matches: ({ text, code }) =>
      (/\.(innerHTML|outerHTML)\s*\+?=(?!=)/.test(code) &&
        !/\.(innerHTML|outerHTML)\s*\+?=\s*(['"])[^'"]*\2\s*;?\s*$/.test(text)) ||
      /\bdocument\.write\s*\(/.test(code),
    title: 'Unescaped HTML written into the page',
    why: 'assigns markup to innerHTML, so any user-controlled part of it can run script in the page.',
    fix: 'Set textContent instead, or sanitise the markup (e.g. DOMPurify) before inserting it.',
    replace: (text) => (/\.innerHTML\s*=(?!=)/.test(text) ? text.replace(/\.innerHTML(\s*=)(?!=)/, '.textContent$1') : null),
  },
  {
    category: 'log-injection',
    severity: 'low',
    confidence: 'likely',
    trigger: 'request value → log line',
    cwe: 'CWE-117',
    families: ['js'],
    matches: ({ text }) => /\bconsole\.(log|info|warn|error)\s*\(/.test(text) && REQUEST_INPUT_JS.test(text),
    title: 'Request input written to the log unescaped',
    why: 'writes request input into a log line, so a newline in it can forge log entries.',
    fix: 'Log the value JSON-encoded (or strip CR/LF) so it cannot start a new entry.',
  },
  {
    category: 'insecure-deserialization',
    severity: 'high',
    confidence: 'likely',
    trigger: 'crafted payload → unpickled or yaml.load-ed → attacker runs code',
    cwe: 'CWE-502',
    families: ['py'],
    matches: ({ code }) =>
      /\bpickle\.loads?\s*\(/.test(code) ||
      (/\byaml\.load\s*\(/.test(code) && !/Loader\s*=\s*yaml\.SafeLoader|SafeLoader/.test(code)),
    title: 'Untrusted data deserialised with an unsafe loader',
    why: 'deserialises data with pickle / yaml.load, which can construct arbitrary objects and run code.',
    fix: 'Use json, or yaml.safe_load; never unpickle data that crosses a trust boundary.',
  },
];

function quote(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 160 ? `${trimmed.slice(0, 157)}...` : trimmed;
}

function replacementOf(rule: Rule, text: string): string | null {
  const replaced = rule.replace?.(text) ?? null;
  return replaced !== null && replaced !== text ? replaced : null;
}

export interface FindingsOptions {
  /** security-scan: report only rules with a CWE. */
  securityOnly: boolean;
}

export function findDefects(block: ParsedFileBlock, options: FindingsOptions): FindingAnswer[] {
  const family = languageFamily(block.language, block.path);
  const findings: FindingAnswer[] = [];
  const numbers = [...block.code.keys()].sort((a, b) => a - b);
  for (const n of numbers) {
    const text = block.code.get(n)!;
    const line: LineContext = { text, code: codeOnly(text, family), n, lines: block.code };
    const seen = new Set<string>();
    for (const rule of RULES) {
      if (rule.families !== 'any' && !rule.families.includes(family)) continue;
      if (options.securityOnly && rule.cwe === null) continue;
      if (seen.has(rule.category) || !rule.matches(line)) continue;
      seen.add(rule.category);
      findings.push({
        path: block.path,
        start_line: n,
        end_line: n,
        quote: text.trim(),
        trigger: rule.trigger,
        severity: rule.severity,
        confidence: rule.confidence,
        category: rule.category,
        title: typeof rule.title === 'string' ? rule.title : rule.title(line),
        explanation: `Line ${n}, ${delimitCodeSpan(quote(text))}, ${rule.why}`,
        fix_explanation: rule.fix,
        replacement: replacementOf(rule, text),
        cwe: rule.cwe,
      });
    }
  }
  return findings;
}

export function findingsAnswer(
  blocks: ParsedFileBlock[],
  options: FindingsOptions,
): { summary: string; findings: FindingAnswer[] } {
  const findings = blocks.flatMap((block) => findDefects(block, options));
  const paths = blocks.map((b) => b.path).join(', ') || 'no files';
  if (findings.length === 0) return { summary: `Reviewed ${paths}: no issues found.`, findings };
  const bySeverity = new Map<string, number>();
  for (const f of findings) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
  const counts = [...bySeverity].map(([severity, count]) => `${count} ${severity}`).join(', ');
  return { summary: `Reviewed ${paths}: ${findings.length} issue(s) (${counts}).`, findings };
}
