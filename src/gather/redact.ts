// Secret redaction before anything leaves the machine, and of what the model sends back.
// secretlint's recommended preset finds the secrets of known formats (its rules are maintained
// against real token formats); the formats it misses are matched like its pattern rule would
// (secret-formats.ts); a generic rule finds secrets by where they stand: values under secret-like
// names, connection string and command-line passwords, Authorization headers (secret-values.ts).
// We replace what they report.
//
// Every replacement keeps the line structure: a secret spanning lines (a PEM block) becomes the
// marker on its first line followed by the same line breaks, so line numbers in the redacted file,
// its diff and the model's findings all still point at the right lines.
//
// No comment in a file can switch redaction off: secretlint's filter-comments rule (which honours
// `secretlint-disable-line` and friends) is left out. The file's author is not who decides what
// leaves the machine.
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { posix } from 'node:path';
import { formatHits } from './secret-formats.js';
import { genericHits, type Hit } from './secret-values.js';
import type { SecretSpot } from '../types.js';

// secretlint records a performance mark per rule per file and keeps every entry: over thousands of
// files that is gigabytes. Its own CLI turns the profiler off unless asked; so do we.
secretLintProfiler.setEnabled(false);

// The rule that honours `secretlint-disable*` comments. The preset's rules are registered one by one
// without it: secretlint ignores `disabled` on a rule registered through a preset (13.x).
const FILTER_COMMENTS_ID = '@secretlint/secretlint-rule-filter-comments';

type SecretlintConfig = Parameters<typeof lintSource>[0]['options']['config'];

const SECRETLINT_CONFIG: SecretlintConfig = {
  rules: recommendedRules
    .filter((rule) => rule.meta.id !== FILTER_COMMENTS_ID)
    .map((rule) => ({ id: rule.meta.id, rule: rule as SecretlintConfig['rules'][number]['rule'] })),
} as SecretlintConfig;

/** `@secretlint/secretlint-rule-github` → `github`: short enough to read inside code. */
function shortRuleId(ruleId: string): string {
  return ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
}

// Characters secretlint sometimes includes after a match (a connection string's closing quote and
// semicolon). Replacing them would turn valid code into a syntax error the model then "finds".
const TRAILING_NON_SECRET = /["'`;,)\]}>\s]/;

async function secretlintHits(content: string, path: string): Promise<Hit[]> {
  const ext = posix.extname(path);
  const result = await lintSource({
    source: { content, filePath: path, ext, contentType: 'text' },
    options: { config: SECRETLINT_CONFIG, noPhysicFilePath: true },
  });
  // The message id names the check (AWSSecretAccessKey); the message text itself quotes the secret.
  return result.messages.map((message) =>
    widenToToken(
      {
        start: message.range[0],
        end: message.range[1],
        rule: shortRuleId(message.ruleId),
        ...(message.messageId ? { check: message.messageId } : {}),
      },
      content,
    ),
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

/** Every secret in `content`, merged and sorted. `path` tells the rules what kind of file this is. */
async function findSecrets(content: string, path: string): Promise<Hit[]> {
  return mergeHits([...(await secretlintHits(content, path)), ...formatHits(content), ...genericHits(content, path)], content);
}

/** The content with every hit replaced by its marker, and where each hit was (lines and rule only). */
function replaceHits(content: string, hits: Hit[]): { content: string; spots: SecretSpot[] } {
  let out = '';
  let cursor = 0;
  let line = 1;
  const spots: SecretSpot[] = [];
  for (const hit of hits) {
    const before = content.slice(cursor, hit.start);
    line += countLineBreaks(before);
    const lineBreaks = content.slice(hit.start, hit.end).match(/\r?\n/g) ?? [];
    out += before + `[REDACTED:${hit.rule}]` + lineBreaks.join('');
    spots.push({
      line,
      ...(lineBreaks.length > 0 ? { endLine: line + lineBreaks.length } : {}),
      rule: hit.rule,
      ...(hit.check ? { check: hit.check } : {}),
    });
    line += lineBreaks.length;
    cursor = hit.end;
  }
  return { content: out + content.slice(cursor), spots };
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * A cheap test that every secret any rule above finds passes: a run of 16 token characters (every
 * format and token), a URL (passwords, DSNs, webhooks), a PEM armour line, a secret-like name
 * followed by an assignment (`password=`, `"apiKey":`, `<secret>`, `'DB_PASSWORD',`), a Basic
 * header or a command-line flag. Text without any of these (most of a model's prose, many small
 * files) skips secretlint, whose fixed cost per call dominates on short text.
 * test/redact.test.ts checks it against every line of the corpus that holds a secret.
 */
const MAY_HOLD_SECRET =
  /:\/\/|-----BEGIN|(?:pass|pwd|secret|token|key|auth|credential|sig)\w*["'`]?\s*(?:[:=,>]|\s-)|\bBasic\s|\s-[pu]|--user/i;

export function mayHoldSecret(text: string): boolean {
  return hasTokenRun(text) || MAY_HOLD_SECRET.test(text);
}

/** Characters of the token run above: `[A-Za-z0-9+_=-]` (with /i no other character folds into them). */
const TOKEN_RUN_CHARS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+_=-') TOKEN_RUN_CHARS[c.charCodeAt(0)] = 1;
const TOKEN_RUN = 16;
const isTokenRunChar = (code: number): boolean => code < 128 && TOKEN_RUN_CHARS[code] === 1;

/**
 * Whether `text` holds TOKEN_RUN token characters in a row: `/[A-Za-z0-9+_=-]{16}/` without the
 * regex engine's retry at every position (it was the pre-check's whole cost: ~1 s over 10,000 files).
 * Every such run covers one position of the form 16k+15, so only those are probed, then widened.
 */
function hasTokenRun(text: string): boolean {
  for (let probe = TOKEN_RUN - 1; probe < text.length; probe += TOKEN_RUN) {
    if (!isTokenRunChar(text.charCodeAt(probe))) continue;
    let start = probe;
    while (start > 0 && isTokenRunChar(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < text.length && end - start < TOKEN_RUN && isTokenRunChar(text.charCodeAt(end))) end++;
    if (end - start >= TOKEN_RUN) return true;
  }
  return false;
}

/**
 * Replaces every secret-looking string with `[REDACTED:<rule>]`, keeping the line count and the
 * line of everything after it; `spots` says where each was (its lines in `content` and its rule). `path` tells the rules what kind of file this is (any text can be
 * given: instructions, a model's answer; the path only decides whether unquoted `name: value`
 * assignments count, as they do in YAML, INI, shell...).
 */
export async function redactSecrets(
  content: string,
  path: string,
): Promise<{ content: string; redactions: number; spots: SecretSpot[] }> {
  if (!mayHoldSecret(content)) return { content, redactions: 0, spots: [] };
  const hits = await findSecrets(content, path);
  if (hits.length === 0) return { content, redactions: 0, spots: [] };
  const replaced = replaceHits(content, hits);
  return { content: replaced.content, redactions: hits.length, spots: replaced.spots };
}
