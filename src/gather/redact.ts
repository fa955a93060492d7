// Secret redaction before anything leaves the machine. secretlint's recommended preset finds the
// secrets (its rules are maintained against real token formats); we only replace what it reports,
// plus a small supplement for two shapes it does not cover (see SUPPLEMENT below).
//
// Every replacement keeps the line structure: a secret spanning lines (a PEM block) becomes the
// marker on its first line followed by the same line breaks, so line numbers in the redacted file,
// its diff and the model's findings all still point at the right lines.
//
// Users can keep a known-safe string with secretlint's own comments (`secretlint-disable-line`).
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { posix } from 'node:path';

// secretlint records a performance mark per rule per file and keeps every entry: over thousands of
// files that is gigabytes. Its own CLI turns the profiler off unless asked; so do we.
secretLintProfiler.setEnabled(false);

const PRESET_ID = '@secretlint/secretlint-rule-preset-recommend';

type SecretlintConfig = Parameters<typeof lintSource>[0]['options']['config'];

const SECRETLINT_CONFIG: SecretlintConfig = {
  rules: [
    {
      id: PRESET_ID,
      rule: recommendedPreset,
    },
  ],
};

interface Hit {
  start: number;
  end: number;
  rule: string;
}

/** `@secretlint/secretlint-rule-github` → `github`: short enough to read inside code. */
function shortRuleId(ruleId: string): string {
  return ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
}

// Characters secretlint sometimes includes after a match (a connection string's closing quote and
// semicolon). Replacing them would turn valid code into a syntax error the model then "finds".
const TRAILING_NON_SECRET = /["'`;,)\]}>\s]/;

/*
 * SUPPLEMENT: what the recommended preset misses and our users hit.
 * 1. password-assignment: a literal assigned to a name ending in password/passwd/pwd/passphrase/
 *    secret/api key/access token/auth token/client secret/private key (optionally followed by
 *    "key"), e.g. `DB_PASSWORD = "hunter2hunter2"`, `"clientSecret": "…"`, `SECRET_KEY = '…'`.
 *    The value must be quoted (unquoted only in config formats: YAML, INI/properties, shell,
 *    Dockerfile), at least 8 characters, without whitespace, and contain a digit or symbol unless
 *    it is 16+ characters long (so UI strings like "password": "Password" survive).
 *    Placeholders and references (${VAR}, {{ x }}, <password>, %s, changeme, example, xxx, ***) are kept.
 * 2. connection-string-password: the password of any `scheme://user:password@host` URL
 *    (redis, amqp, mssql, jdbc:..., and the databases the preset knows); only the password is
 *    replaced so the URL's shape stays reviewable.
 * 3. aws: AWS access key IDs (AKIA..., ASIA...). The preset reports them only behind its
 *    `enableIDScanRule` option, which also runs an account-ID scan that costs more than all other
 *    rules together over thousands of files; an access key ID is half a credential, so we catch it here.
 * The patterns start at a literal (the keyword, '://', the key prefix) so they stay cheap on large files.
 */
// The name only has to END with the keyword (DB_PASSWORD, clientSecret), so matching starts there.
const SECRET_NAME = String.raw`(?:password|passwd|pwd|passphrase|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|client[_-]?secret|private[_-]?key)(?:[_-]?key)?`;
const ASSIGN = String.raw`["']?\s*(?:=|:=|=>|:)\s*`;
const QUOTED_ASSIGNMENT = new RegExp(String.raw`${SECRET_NAME}${ASSIGN}(["'\`])([^"'\`\s]{8,})\1`, 'gi');
const UNQUOTED_ASSIGNMENT = new RegExp(
  String.raw`^[ \t]*(?:export[ \t]+|ENV[ \t]+|-[ \t]+)?[A-Za-z0-9_.-]*?${SECRET_NAME}${ASSIGN}([^\s"'\`#!&*][^\s"'\`#]{7,})[ \t\r]*$`,
  'gim',
);
const UNQUOTED_FORMATS = /\.(ya?ml|ini|cfg|conf|properties|sh|bash|zsh)$|(^|\/)dockerfile[^/]*$/i;
const PLACEHOLDER = /\$\{|\{\{|<[^>]*>|%\(|%s|\$\(|changeme|example|placeholder|dummy|your[_-]|xxx|\*\*\*|redacted|^\$[A-Z_]+$/i;
const CONNECTION_PASSWORD = /:\/\/[^\s:/@'"`]+:([^\s:/@'"`]+)@[^\s/'"`]/g;
const AWS_ACCESS_KEY_ID = /\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b/g;
// The example key of AWS's documentation, kept like the preset keeps it.
const AWS_DOCUMENTATION_KEY = 'AKIAIOSFODNN7EXAMPLE';

function looksLikeSecretValue(value: string): boolean {
  if (PLACEHOLDER.test(value)) return false;
  if (/^(.)\1*$/.test(value)) return false;
  return value.length >= 16 || /[^A-Za-z]/.test(value);
}

function supplementHits(content: string, path: string): Hit[] {
  const hits: Hit[] = [];
  for (const match of content.matchAll(QUOTED_ASSIGNMENT)) {
    const value = match[2]!;
    if (!looksLikeSecretValue(value)) continue;
    const start = match.index! + match[0].length - 1 - value.length;
    hits.push({ start, end: start + value.length, rule: 'password-assignment' });
  }
  if (UNQUOTED_FORMATS.test(posix.basename(path))) {
    for (const match of content.matchAll(UNQUOTED_ASSIGNMENT)) {
      const value = match[1]!;
      if (!looksLikeSecretValue(value)) continue;
      const start = match.index! + match[0].trimEnd().length - value.length;
      hits.push({ start, end: start + value.length, rule: 'password-assignment' });
    }
  }
  for (const match of content.matchAll(AWS_ACCESS_KEY_ID)) {
    if (match[0] === AWS_DOCUMENTATION_KEY) continue;
    hits.push({ start: match.index!, end: match.index! + match[0].length, rule: 'aws' });
  }
  if (!content.includes('://')) return hits;
  for (const match of content.matchAll(CONNECTION_PASSWORD)) {
    const password = match[1]!;
    if (PLACEHOLDER.test(password) || /^(password|pass|pwd|secret)$/i.test(password)) continue;
    // The password sits right before the '@' that follows it.
    const start = match.index! + match[0].length - 2 - password.length;
    hits.push({ start, end: start + password.length, rule: 'connection-string-password' });
  }
  return hits;
}

async function secretlintHits(content: string, path: string): Promise<Hit[]> {
  const ext = posix.extname(path);
  const result = await lintSource({
    source: { content, filePath: path, ext, contentType: 'text' },
    options: { config: SECRETLINT_CONFIG, noPhysicFilePath: true },
  });
  return result.messages.map((message) =>
    widenToToken({ start: message.range[0], end: message.range[1], rule: shortRuleId(message.ruleId) }, content),
  );
}

const TOKEN_CHAR = /[A-Za-z0-9+/=_\-.~]/;
const KEY_NAME_PREFIX = /^[A-Za-z0-9_.-]+["']?\s*(?:=|:=|=>|:)\s*["'`]?/;

/**
 * Some rules report a range that starts at the key's NAME and is as long as the value
 * (AWSSecretAccessKey on `secretAccessKey: 'wJal…'`), which would leave the value's tail in the
 * prompt. The range is widened to the end of the token it stops in, and a leading `name: '` is
 * given back, so the whole value goes and the code around it stays readable.
 */
function widenToToken(hit: Hit, content: string): Hit {
  let { start, end } = hit;
  while (end < content.length && TOKEN_CHAR.test(content[end]!)) end++;
  const prefix = KEY_NAME_PREFIX.exec(content.slice(start, end));
  if (prefix && prefix[0].length < end - start) start += prefix[0].length;
  return { ...hit, start, end };
}

/** Overlapping reports (basicauth and connection-string on one URL) become one replacement. */
function mergeHits(hits: Hit[], content: string): Hit[] {
  const trimmed = hits
    .map((hit) => {
      let end = hit.end;
      while (end > hit.start && TRAILING_NON_SECRET.test(content[end - 1]!)) end--;
      return { ...hit, end };
    })
    .filter((hit) => hit.end > hit.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Hit[] = [];
  for (const hit of trimmed) {
    const last = merged[merged.length - 1];
    if (last && hit.start < last.end) last.end = Math.max(last.end, hit.end);
    else merged.push({ ...hit });
  }
  return merged;
}

/**
 * Replaces every secret-looking string with `[REDACTED:<rule>]`, keeping the line count and the
 * line of everything after it. `path` tells the rules what kind of file this is.
 */
export async function redactSecrets(content: string, path: string): Promise<{ content: string; redactions: number }> {
  if (content.length === 0) return { content, redactions: 0 };
  const hits = mergeHits([...(await secretlintHits(content, path)), ...supplementHits(content, path)], content);
  if (hits.length === 0) return { content, redactions: 0 };
  let out = '';
  let cursor = 0;
  for (const hit of hits) {
    const lineBreaks = content.slice(hit.start, hit.end).match(/\r?\n/g) ?? [];
    out += content.slice(cursor, hit.start) + `[REDACTED:${hit.rule}]` + lineBreaks.join('');
    cursor = hit.end;
  }
  out += content.slice(cursor);
  return { content: out, redactions: hits.length };
}
