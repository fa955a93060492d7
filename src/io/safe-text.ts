// What the action and the CLI write to a log line. Paths, notes and error messages carry text from the
// repository and the model; in a GitHub runner's log a line that starts with `::name::` (after white
// space) is a workflow command, `##[name]` is one anywhere in a line (the runner's older syntax), and
// `::stop-commands::token` switches command processing off, so a later `::add-mask::` (the artifact
// client's signed URLs) is no longer honoured. In a terminal, escape sequences move the cursor and
// rewrite what was printed. Every logged line goes through escapeLogText; secrets through maskSecrets.

/**
 * Characters never shown or written raw: controls (Unicode Cc: C0 with newline, CR and ESC, DEL, C1),
 * format characters (Cf: bidi overrides U+202A-U+202E and isolates U+2066-U+2069, zero-width
 * characters U+200B-U+200F, the BOM), lone surrogates and the line and paragraph separators; except
 * the characters of `allowed` (say tab and newline in multi-line text). A global regular expression.
 */
export function unsafeChars(allowed: '' | '\t' | '\t\n' = ''): RegExp {
  const except = allowed ? `(?![${allowed}])` : '';
  return new RegExp(`${except}[\\p{Cc}\\p{Cf}\\p{Cs}\\u2028\\u2029]`, 'gu');
}

const UNSAFE_LOG_CHARS = unsafeChars('\t');

function percentEncode(char: string): string {
  return [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * One line of log text: `%` becomes `%25` and every unsafe character its UTF-8 bytes percent-encoded
 * (`\n` → `%0A`, `\r` → `%0D`, ESC → `%1B`, U+202E → `%E2%80%AE`), as @actions/core escapes command
 * data, so the text reads back unambiguously; `##[` becomes `#%23[` and a leading `::` becomes `%3A:`,
 * so no part of it is a workflow command.
 */
export function escapeLogText(text: string): string {
  return text
    .replace(/%/g, '%25')
    .replace(UNSAFE_LOG_CHARS, percentEncode)
    .replace(/##\[/g, '#%23[')
    .replace(/^(\s*)::/u, '$1%3A:');
}

/**
 * One line for a terminal (the CLI): every unsafe character written out as `\uXXXX`, so no escape
 * sequence reaches the terminal, and `##[` / a leading `::` defused as in escapeLogText, since the CLI's
 * output is a runner's log when a workflow step runs it. `%` stays as it is: nothing decodes it there.
 */
export function escapeTerminalText(text: string): string {
  return text
    .replace(UNSAFE_LOG_CHARS, showChar)
    .replace(/##\[/g, '#%23[')
    .replace(/^(\s*)::/u, '$1%3A:');
}

/** Shorter "secrets" are not masked: no real API key or token is this short. */
export const MIN_MASKED_LENGTH = 8;

/**
 * `text` with every secret of at least MIN_MASKED_LENGTH characters replaced by `***` (a value too
 * short to be a real key would shred every line it occurs in: "un***nown").
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= MIN_MASKED_LENGTH).reduce((t, s) => t.split(s).join('***'), text);
}

/**
 * `text` with every unsafe character written out as `\uXXXX` (`a\u000Ab`, `x\u202Ey`): how a refused
 * path is kept and shown, so people see what the name held and no report, log or file name gets it raw.
 */
export function visibleText(text: string): string {
  return text.replace(unsafeChars(), showChar);
}

function showChar(char: string): string {
  return `\\u${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
