// The generic rules: secrets recognised by WHERE they stand (a name like password/token/key, a
// connection string's password field, a command's password flag, an Authorization header) rather
// than by a format of their own. Whether the value there is a secret is judged here:
//
//   - under a STRONG name (password, passwd, pwd, passphrase, secret): any literal of 8+ characters
//     without whitespace that holds a digit or a symbol, or is 16+ characters long;
//   - under a WEAK name (token, key, auth, credential, signature, ...: names that also label harmless
//     values such as cacheKey or nextPageToken): only a high-entropy token (see isTokenLike);
//   - never a placeholder or a reference: ${VAR}, {{ x }}, <password>, %s, $VAR, process.env.X,
//     os.environ[...], changeme, example, dummy, your-..., xxx, ***, redacted, and words naming
//     what they stand for (`a-secret`, `test-password`: test fixtures, never a real credential);
//   - never what is not a credential by construction: UUIDs (identifiers; test fixtures use them),
//     content hashes with their algorithm (`sha512-…` integrity, `sha256:…` digests), and values
//     under names of public halves (publicKey, publishableKey, siteKey) or of map keys (cacheKey,
//     primaryKey, sortKey...).
//
// Git SHAs (40 hex) are not special-cased: they are only redacted when they stand under a secret
// name (`token = "<40 hex>"`, the format of GitHub's classic tokens).
import { posix } from 'node:path';

export interface Hit {
  start: number;
  end: number;
  rule: string;
  /** Which check of the rule matched (secretlint's message id), when it says more than the rule. */
  check?: string;
}

const PLACEHOLDER =
  /\$\{|\{\{|<[^>]*>|%\(|%s|\$\(|^\$[A-Za-z_]|process\.env|os\.environ|getenv|changeme|change_me|example|placeholder|dummy|your[_-]|(?:^|[^a-z0-9])xxx+(?:[^a-z0-9]|$)|\*\*\*|redacted|^<|^\.\.\.|\.\.\.$/i;
// For values of random printable characters (which hold `${`, `<…>` or `%s` by chance): only the
// placeholder words, or a value that is a template as a whole.
const PLACEHOLDER_WORD = /changeme|change_me|example|placeholder|dummy|your[_-]|redacted|process\.env|os\.environ|getenv/i;
const WHOLE_TEMPLATE = /^(?:\$\{[^}]*\}|\{\{.*\}\}|<[^>]*>|%s|\$\w+|\$\([^)]*\))$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTENT_HASH = /^(?:sha\d+|md5|blake2b?|xxh\d*)[-:]/i;

/** Shannon entropy of the characters, in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// Words that name what the value stands for (`a-secret`, `it-is-very-secret`, `test_password`):
// letters and separators only, with the word secret/password/token/key among them.
const SELF_DESCRIBING = /^[a-z]+(?:[-_.][a-z]+)*$/i;
const SECRET_WORD = /secret|passw(?:or)?d|token|key/i;

function isPlaceholder(value: string): boolean {
  return (
    PLACEHOLDER.test(value) ||
    /^(.)\1*$/.test(value) ||
    UUID.test(value) ||
    CONTENT_HASH.test(value) ||
    (SELF_DESCRIBING.test(value) && SECRET_WORD.test(value))
  );
}

/**
 * A random token: 16+ characters of a token alphabet, not a placeholder, and either hex of 20+
 * with some entropy, or mixed upper case, lower case and digits with high entropy (English words
 * joined by separators and CamelCase identifiers fail the last test).
 */
export function isTokenLike(value: string): boolean {
  if (value.length < 16 || !/^[A-Za-z0-9+/=_\-.~:]+$/.test(value) || isPlaceholder(value)) return false;
  // Hex, or groups of hex (Mailgun's keys); UUIDs were ruled out above.
  if (/^[0-9a-f]+(?:-[0-9a-f]+)*$/i.test(value)) return value.replace(/-/g, '').length >= 20 && entropy(value) >= 3;
  if (!/\d/.test(value) || !/[a-z]/.test(value) || !/[A-Z]/.test(value)) return false;
  return entropy(value) >= 3.5 && classChanges(value) >= value.length / 3;
}

/** Random printable characters (WordPress salts, Django keys): 24+ long, letters, digits and symbols. */
function isRandomPrintable(value: string): boolean {
  return (
    value.length >= 24 &&
    /^[\x21-\x7e]+$/.test(value) &&
    /\d/.test(value) &&
    /[A-Za-z]/.test(value) &&
    /[^A-Za-z0-9]/.test(value) &&
    !PLACEHOLDER_WORD.test(value) &&
    !WHOLE_TEMPLATE.test(value) &&
    entropy(value) >= 4.2 &&
    classChanges(value) >= value.length / 3
  );
}

/**
 * How often the character class (upper case, lower case, digit, other) changes along the value:
 * random tokens change every second character or so, words and identifiers (`overnightFingerprint/v1`)
 * only at their joins.
 */
function classChanges(value: string): number {
  const classOf = (ch: string): number => (/[A-Z]/.test(ch) ? 0 : /[a-z]/.test(ch) ? 1 : /\d/.test(ch) ? 2 : 3);
  let changes = 0;
  for (let i = 1; i < value.length; i++) if (classOf(value[i]!) !== classOf(value[i - 1]!)) changes++;
  return changes;
}

/** A password-like literal: 8+ characters, no whitespace, a digit or symbol unless 16+ long. */
export function isPasswordLike(value: string): boolean {
  if (value.length < 8 || /\s/.test(value)) return false;
  // Random printable characters may hold a placeholder's marks (`%S`, `${`) by chance.
  if (isRandomPrintable(value)) return true;
  if (isPlaceholder(value)) return false;
  return value.length >= 16 || /[^A-Za-z]/.test(value);
}

// Names are matched at their END (DB_PASSWORD, clientSecret, npmAuthToken), so matching starts at
// the keyword. A trailing _key/_token/_value/_data is allowed (secret_key, client-key-data).
const STRONG = String.raw`(?:pass(?:word|wd|phrase)|pwd|secret)`;
const WEAK = String.raw`(?:token|api[_-]?key|apikey|key|auth|credentials?|signature|sig)`;
const SUFFIX = String.raw`(?:[_-]?(?:key|token|value|data))?`;
const NAME = String.raw`(?:${STRONG}|${WEAK})${SUFFIX}`;
const STRONG_NAME = new RegExp(`${STRONG}${SUFFIX}$`, 'i');
/** Names of values that are keys of something else, or public halves of a key pair. */
const NOT_SECRET_NAME =
  /(?:public|publishable|pub|site|primary|foreign|sort|partition|cache|hash|map|i18n|translation|query|route|storage|idempotency|dedupe|lookup|row|column|group|object|file|path|hot|short|sig(?=nal)|pass(?=through))[_-]?(?:key|token|id)?$/i;
// `name = `, `name: `, `"name": `, `name := `, `name => `.
const ASSIGN = String.raw`["']?\s*(?:=|:=|=>|:)\s*`;

const QUOTED_ASSIGNMENT = new RegExp(String.raw`(${NAME})${ASSIGN}(["'\`])([^"'\`\s]{8,})\2`, 'gid');
const UNQUOTED_ASSIGNMENT = new RegExp(
  String.raw`^[ \t]*(?:export[ \t]+|ENV[ \t]+|-[ \t]+|set[ \t]+)?([A-Za-z0-9_.-]*?${NAME})${ASSIGN}([^\s"'\`#!&*|>][^\s"'\`]{7,})[ \t\r]*(?:#.*)?$`,
  'gimd',
);
// An environment variable set in any file (a README's shell example, a process environment dump
// `/proc/self/environ`, whose entries end in NUL): `API_TOKEN=value`, no spaces around `=`.
const ENV_VARIABLE = new RegExp(
  String.raw`(?:^|\0)[ \t]*(?:export[ \t]+)?([A-Z][A-Z0-9_]*?(?:PASSWORD|PASSWD|PWD|PASSPHRASE|SECRET|TOKEN|KEY|AUTH|CREDENTIALS?|SIG|SIGNATURE)(?:_[A-Z]+)?)=([^\s"'\`\0]{8,})`,
  'gmd',
);
// PHP's `define('DB_PASSWORD', '…')` (not any `'secret', 'x'` list: the call is named).
const PHP_DEFINE = new RegExp(String.raw`\bdefine\(\s*["']([A-Za-z0-9_]*?${NAME})["']\s*,\s*(["'])([^"'\s]{8,})\2`, 'gid');
const XML_ELEMENT = new RegExp(String.raw`<([A-Za-z0-9_.:-]*?${NAME})>([^<\s]{8,})</\1>`, 'gid');
// Formats where a value needs no quotes: YAML, INI, properties, TOML, shell, Dockerfile, HCL.
const UNQUOTED_FORMATS = /\.(ya?ml|ini|cfg|conf|properties|toml|tf|hcl|sh|bash|zsh|ksh|envrc)$|(^|\/)dockerfile[^/]*$/i;

/**
 * The rule that reports `value` under `name`, or null when it is not a secret: strong names take
 * password-like values, weak ones only tokens.
 */
function assignmentRule(name: string, value: string): string | null {
  if (NOT_SECRET_NAME.test(name)) return null;
  // "password": "Password" (a UI string) and the like are not secrets; neither are identifiers
  // (`password: userPassword`) or dotted references (`token = config.api.token`).
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:\(\))?$/.test(value) && !/\d/.test(value)) return null;
  if (STRONG_NAME.test(name)) return isPasswordLike(value) ? 'password-assignment' : null;
  return isTokenLike(value) || isRandomPrintable(value) ? 'secret-assignment' : null;
}

/** Records capture group `group` of a match made with the `d` flag. */
function push(hits: Hit[], match: RegExpExecArray | RegExpMatchArray, group: number, rule: string): void {
  const [start, end] = match.indices![group]!;
  hits.push({ start, end, rule });
}

/** The whole name a match's keyword ends (`cacheKey` for the `Key` matched): patterns start at the keyword. */
function nameEndingAt(content: string, match: RegExpMatchArray): string {
  let start = match.index!;
  while (start > 0 && /[A-Za-z0-9_$.-]/.test(content[start - 1]!)) start--;
  return content.slice(start, match.index!) + match[1]!;
}

/** Values under secret-like names: quoted anywhere, unquoted in config formats, XML elements. */
function assignmentHits(content: string, path: string, hits: Hit[]): void {
  for (const match of content.matchAll(QUOTED_ASSIGNMENT)) {
    const rule = assignmentRule(nameEndingAt(content, match), match[3]!);
    if (rule) push(hits, match, 3, rule);
  }
  if (content.includes('define(')) {
    for (const match of content.matchAll(PHP_DEFINE)) {
      const rule = assignmentRule(match[1]!, match[3]!);
      if (rule) push(hits, match, 3, rule);
    }
  }
  if (UNQUOTED_FORMATS.test(posix.basename(path))) {
    for (const match of content.matchAll(UNQUOTED_ASSIGNMENT)) {
      const rule = assignmentRule(match[1]!, match[2]!);
      if (rule) push(hits, match, 2, rule);
    }
  } else {
    for (const match of content.matchAll(ENV_VARIABLE)) {
      const rule = assignmentRule(match[1]!, match[2]!);
      if (rule) push(hits, match, 2, rule);
    }
  }
  if (content.includes('</')) {
    for (const match of content.matchAll(XML_ELEMENT)) {
      const rule = assignmentRule(match[1]!, match[2]!);
      if (rule) push(hits, match, 2, rule);
    }
  }
}

// `scheme://user:password@host` and `scheme://:password@host` (redis): only the password goes.
const URL_PASSWORD = /:\/\/[^\s:/@'"`]*:([^\s:/@'"`]+)@[^\s/'"`]/dg;
// `password=` inside a libpq (space-separated), ADO.NET/JDBC (`;`) or URL-query (`&`) string.
// No spaces around `=` (`password = value` is an assignment in code, left to the names rule).
// (The pattern starts at the keyword, which V8 scans for fast; the character before is checked after.)
const FIELD_PASSWORD = /(?:password|pwd|passwd)=([^\s;&'"`),<]+)/dgi;
const FIELD_START = /[\s;?&"'`(]/;
const NPMRC_TOKEN = /:_(?:authToken|auth|password)\s*=\s*([^\s'"`]+)/dg;

function connectionHits(content: string, hits: Hit[]): void {
  if (content.includes('://')) {
    for (const match of content.matchAll(URL_PASSWORD)) {
      const password = match[1]!;
      if (isPlaceholder(password) || /^(password|pass|pwd|secret)$/i.test(password)) continue;
      // The password sits right before the '@' that follows it.
      push(hits, match, 1, 'connection-string-password');
    }
  }
  for (const match of content.matchAll(FIELD_PASSWORD)) {
    if (match.index === 0 || !FIELD_START.test(content[match.index! - 1]!)) continue;
    const value = match[1]!;
    if (!isPasswordLike(value) || (/^[A-Za-z_$][\w$.]*$/.test(value) && !/\d/.test(value))) continue;
    push(hits, match, 1, 'connection-string-password');
  }
  for (const match of content.matchAll(NPMRC_TOKEN)) {
    const value = match[1]!;
    if (!isPlaceholder(value) && value.length >= 8) push(hits, match, 1, 'npmrc-token');
  }
}

// Passwords on command lines: `mysql -pSECRET` (attached: `-p SECRET` would prompt), `curl -u
// user:SECRET`, `docker login -p SECRET`, and any `--password[= ]SECRET`.
// Each with the word a file must hold for the pattern to be worth running.
const CLI_PASSWORDS: [string, RegExp][] = [
  ['mysql', /(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow)\b[^\n]*?\s-p([^\s'"`;|&)]+)/dg],
  ['mariadb', /mariadb(?:-dump)?\b[^\n]*?\s-p([^\s'"`;|&)]+)/dg],
  ['curl', /curl\b[^\n]*?\s(?:-u|--user)[\s=]+["']?[^\s:'"]+:([^\s'"`]+)/dg],
  ['docker', /docker\s+login\b[^\n]*?\s-p[\s=]+["']?([^\s'"`]+)/dg],
  ['--password', /--password[\s=]+["']?([^\s'"`-][^\s'"`]*)/dg],
];

function commandLineHits(content: string, hits: Hit[]): void {
  for (const [word, pattern] of CLI_PASSWORDS) {
    if (!content.includes(word)) continue;
    for (const match of content.matchAll(pattern)) {
      const value = match[1]!;
      if (value.length < 4 || isPlaceholder(value) || /^\$/.test(value)) continue;
      push(hits, match, 1, 'command-line-password');
    }
  }
}

const BEARER = /earer\s+([A-Za-z0-9._~+/-]{16,}=*)/dg;
const BASIC = /\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/dg;

/** Authorization header values: a bearer token, or Basic credentials (base64 of `user:password`). */
function headerHits(content: string, hits: Hit[]): void {
  for (const match of content.matchAll(BEARER)) {
    // `Bearer`/`bearer` as a word (the pattern starts after the B, which V8 then scans for fast).
    if (!/(?:^|[^A-Za-z0-9_])[Bb]$/.test(content.slice(Math.max(0, match.index! - 2), match.index!))) continue;
    const value = match[1]!;
    if (isTokenLike(value) || /^eyJ/.test(value)) push(hits, match, 1, 'authorization-header');
  }
  for (const match of content.matchAll(BASIC)) {
    const value = match[1]!;
    const decoded = Buffer.from(value, 'base64').toString('latin1');
    if (/^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded) && !isPlaceholder(decoded.slice(decoded.indexOf(':') + 1))) {
      push(hits, match, 1, 'authorization-header');
    }
  }
}

const AWS_ACCESS_KEY_ID = /(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b/dg;
// The example key of AWS's documentation, kept like the preset keeps it.
const AWS_DOCUMENTATION_KEY = 'AKIAIOSFODNN7EXAMPLE';

/**
 * AWS access key IDs (AKIA..., ASIA...): the preset reports them only behind its
 * `enableIDScanRule` option, which also runs an account-ID scan that costs more than all other
 * rules together over thousands of files; an access key ID is half a credential, so it is caught here.
 */
function awsKeyIdHits(content: string, hits: Hit[]): void {
  for (const match of content.matchAll(AWS_ACCESS_KEY_ID)) {
    if (match[0] === AWS_DOCUMENTATION_KEY || (match.index! > 0 && /\w/.test(content[match.index! - 1]!))) continue;
    const [start, end] = match.indices![0]!;
    hits.push({ start, end, rule: 'aws', check: 'AWSAccessKeyID' });
  }
}

/** Every generic hit in `content`; `path` says whether unquoted assignments count. */
export function genericHits(content: string, path: string): Hit[] {
  const hits: Hit[] = [];
  assignmentHits(content, path, hits);
  connectionHits(content, hits);
  commandLineHits(content, hits);
  headerHits(content, hits);
  awsKeyIdHits(content, hits);
  return hits;
}
