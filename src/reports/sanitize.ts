// Model output is untrusted (PRODUCT.md "Promises to users"): everything a model wrote passes through
// here before it reaches GitHub. The aim is that a hostile or confused answer can neither notify
// people, nor forge overnight's own markers or page structure, nor lead readers off the repository.
//
// How: the text is cut into fenced code blocks and prose lines, the way a CommonMark reader would, and
// every piece is re-emitted in a form whose meaning does not depend on the reader agreeing with us:
// - fenced code is re-emitted with our own fence at column 0, long enough that nothing inside closes
//   it, and closed when the model left it open; code spans are only recognised within one line, and
//   every backtick we did not pair is escaped, so a reader cannot pair it differently;
// - in prose: `<` becomes `&lt;` (no raw HTML at all: no <img>, <details>, <script>, no hidden
//   comments, no <autolink>), HTML comments are removed, `&` that starts an entity is escaped (an
//   entity could spell `@` or `<` after parsing), `@user` and `@org/team` get a zero-width space after
//   the `@` (GitHub then does not notify; the practice of Renovate and Dependabot), images are dropped,
//   links and bare URLs go through only when they point into `<serverUrl>/<owner>/<repo>` and are
//   otherwise shown as code (readable, not clickable), `other/repo#12` references are shown as code
//   (they would put a backlink into another repository), link reference definitions are escaped;
// - `#123` references to this repository are kept on purpose: they only link within the repository
//   the report is about, and a finding that names an issue is more useful with the link;
// - a marker look-alike (`<!-- overnight:`) inside code is broken with a zero-width space, because
//   code shows it verbatim and a re-run reading the raw body would otherwise take it for ours;
// - bidirectional-override characters (Trojan Source) are removed from prose and shown as `<U+202E>`
//   in code; other control characters are removed.

export interface SanitizeOptions {
  /** https://github.com or a GHES base. */
  serverUrl: string;
  owner: string;
  repo: string;
  /** Longest output in characters (block default 20,000, inline default 200). */
  maxLength?: number;
}

export const DEFAULT_BLOCK_MAX_LENGTH = 20_000;
export const DEFAULT_INLINE_MAX_LENGTH = 200;
/** GitHub's limit for an issue, comment or pull request body. */
export const GITHUB_BODY_LIMIT = 65_536;

const ZERO_WIDTH_SPACE_ENTITY = '&#8203;';
const TRUNCATED_SUFFIX = '… (truncated)';
const DEFAULT_CAP_NOTICE = '\n\n---\n_Truncated to fit GitHub’s size limit: the full report is in the results artifact._';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const BIDI_CHARS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const MARKER_LOOKALIKE = /<!--(\s*overnight)/gi;

// Link destination: plain (balanced parentheses one level deep) or <angle-bracketed>; optional title.
const DESTINATION = String.raw`(<[^<>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*`;
const LINK_TEXT = String.raw`((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)`;

/** One pass over a prose piece (no code spans in it): every alternative names what it neutralises. */
const PROSE_TOKEN = new RegExp(
  [
    // backslash escape (kept; `\@` is not kept: GitHub would still see the `@` after parsing)
    String.raw`(\\[!-\/:-?\[-\x60{-~])`,
    // image (alt, destination)
    String.raw`(!\[((?:[^\[\]\\]|\\.)*)\]\(${DESTINATION}\))`,
    // link (text, destination)
    String.raw`(\[${LINK_TEXT}\]\(${DESTINATION}\))`,
    // bare URL GitHub would autolink
    String.raw`((?:https?:\/\/|www\.)[^\s<>\x60\\]*[^\s<>\x60\\.,:;!?'"*_~)\]])`,
    // cross-repository reference owner/repo#12
    String.raw`((?<![\w.\/-])[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+#\d+)`,
    // mention @user / @org/team
    String.raw`((?<![A-Za-z0-9])@(?=[A-Za-z0-9]))`,
    // raw HTML / autolinks
    '(<)',
    // character references
    String.raw`(&(?=#?[A-Za-z0-9]+;))`,
    // a backtick left unpaired by the code-span pass
    '(\x60)',
    // `](` not part of a link we accepted (a link spread over lines): no link may form
    String.raw`(\](?=\())`,
  ].join('|'),
  'gi',
);

interface RepositoryScope {
  origin: string;
  /** `/owner/repo`, lower-cased. */
  path: string;
  ownerRepo: string;
}

function scopeOf(options: SanitizeOptions): RepositoryScope | null {
  try {
    const server = new URL(options.serverUrl);
    const base = server.pathname.replace(/\/+$/, '');
    return {
      origin: server.origin.toLowerCase(),
      path: `${base}/${options.owner}/${options.repo}`.toLowerCase(),
      ownerRepo: `${options.owner}/${options.repo}`.toLowerCase(),
    };
  } catch {
    return null;
  }
}

/** The normalised URL when it points into the repository (after resolving `..`), else null. */
function repositoryUrl(raw: string, scope: RepositoryScope | null): string | null {
  if (!scope || raw.includes('\\')) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (url.origin.toLowerCase() !== scope.origin) return null;
  const path = url.pathname.toLowerCase();
  if (path !== scope.path && !path.startsWith(`${scope.path}/`)) return null;
  return url.href;
}

/** A code span that shows `text` verbatim (no backticks can occur in what we wrap). */
function inertCode(text: string): string {
  return `\x60${text.replace(/\x60/g, '%60')}\x60`;
}

function stripDestination(destination: string): string {
  return destination.startsWith('<') ? destination.slice(1, -1).trim() : destination;
}

function sanitizeProsePiece(piece: string, scope: RepositoryScope | null, inline: boolean, depth = 0): string {
  const out = piece.replace(PROSE_TOKEN, (match: string, ...groups: unknown[]) => {
    const [escape, image, alt, , link, linkText, linkDestination, bareUrl, crossRef, mention, lt, amp, backtick, bracket] =
      groups as (string | undefined)[];
    if (escape !== undefined) return escape;
    if (image !== undefined) {
      const altText = depth < 3 ? sanitizeProsePiece(alt ?? '', scope, inline, depth + 1).trim() : '';
      return altText ? `(image removed: ${altText})` : '(image removed)';
    }
    if (link !== undefined) {
      const text = depth < 3 ? sanitizeProsePiece(linkText ?? '', scope, inline, depth + 1) : '';
      const destination = stripDestination(linkDestination ?? '');
      const allowed = repositoryUrl(destination, scope);
      if (allowed) return `[${text}](${allowed.replace(/[()\s]/g, encodeURIComponent)})`;
      if (!destination) return text;
      if (!text.trim()) return inertCode(destination);
      return `${text} (${inertCode(destination)})`;
    }
    if (bareUrl !== undefined) {
      // `www.` links open as http://www… on GitHub: never the repository's own server form.
      return !/^www\./i.test(bareUrl) && repositoryUrl(bareUrl, scope) ? bareUrl : inertCode(bareUrl);
    }
    if (crossRef !== undefined) {
      const ownerRepo = crossRef.slice(0, crossRef.indexOf('#')).toLowerCase();
      return scope && ownerRepo === scope.ownerRepo ? crossRef : inertCode(crossRef);
    }
    if (mention !== undefined) return `@${ZERO_WIDTH_SPACE_ENTITY}`;
    if (lt !== undefined) return '&lt;';
    if (amp !== undefined) return '&amp;';
    if (backtick !== undefined) return '\\\x60';
    if (bracket !== undefined) return '\\]';
    return match;
  });
  return inline ? out.replace(/(?<!\\)\|/g, '\\|') : out;
}

const ASCII_PUNCTUATION = /[!-\/:-@\[-\x60{-~]/;

/** Splits one line into code spans (paired backtick runs, CommonMark rules) and prose. */
function splitCodeSpans(line: string): { code: boolean; text: string }[] {
  const pieces: { code: boolean; text: string }[] = [];
  let prose = '';
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length && ASCII_PUNCTUATION.test(line[i + 1]!)) {
      prose += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch !== '\x60') {
      prose += ch;
      i += 1;
      continue;
    }
    let runEnd = i;
    while (line[runEnd] === '\x60') runEnd += 1;
    const runLength = runEnd - i;
    let close = -1;
    for (let k = runEnd; k < line.length;) {
      if (line[k] !== '\x60') {
        k += 1;
        continue;
      }
      let m = k;
      while (line[m] === '\x60') m += 1;
      if (m - k === runLength) {
        close = k;
        break;
      }
      k = m;
    }
    if (close === -1) {
      prose += line.slice(i, runEnd);
      i = runEnd;
      continue;
    }
    if (prose) pieces.push({ code: false, text: prose });
    prose = '';
    pieces.push({ code: true, text: line.slice(i, close + runLength) });
    i = close + runLength;
  }
  if (prose) pieces.push({ code: false, text: prose });
  return pieces;
}

function neutraliseCode(code: string): string {
  return code
    .replace(MARKER_LOOKALIKE, '<!-\u200b-$1')
    .replace(BIDI_CHARS, (ch) => `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
}

function sanitizeProseLine(line: string, scope: RepositoryScope | null, inline: boolean): string {
  // A link reference definition would let `[text][ref]` elsewhere point anywhere.
  const withoutDefinition = line.replace(/^( {0,3})\[(?=[^\]]*\]:)/, '$1\\[');
  const pieces = splitCodeSpans(withoutDefinition);
  let out = '';
  for (const piece of pieces) {
    const text = piece.code ? neutraliseCode(piece.text) : sanitizeProsePiece(piece.text, scope, inline);
    // A code span we generated must not touch a neighbouring one (two runs would merge into one).
    if (out.endsWith('\x60') && !out.endsWith('\\\x60') && text.startsWith('\x60')) out += ' ';
    out += text;
  }
  return out;
}

function removeHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, '');
}

function normaliseInput(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '');
}

/**
 * Inline code for our own data that may still come from outside (file paths from a pull request,
 * request ids): backticks and line breaks cannot end the span, and a marker look-alike in a file
 * name cannot be read back as one of our markers.
 */
export function codeSpan(text: string): string {
  return `\x60${neutraliseCode(text.replace(/[\x60\r\n]/g, '?').replace(CONTROL_CHARS, '?'))}\x60`;
}

/** A code span inside a Markdown table cell, where a pipe, even in code, would end the cell. */
export function codeCell(text: string): string {
  return codeSpan(text).replace(/\|/g, '\\|');
}

/** A fenced block that nothing inside can close, with marker look-alikes and bidi controls defused. */
export function codeBlock(code: string, language = ''): string {
  const content = neutraliseCode(normaliseInput(code)).replace(/\n+$/, '');
  const longestRun = Math.max(0, ...[...content.matchAll(/\x60+/g)].map((match) => match[0].length));
  const fence = '\x60'.repeat(Math.max(3, longestRun + 1));
  const info = language.replace(/[^A-Za-z0-9_+#.-]/g, '').slice(0, 30);
  return `${fence}${info}\n${content}${content ? '\n' : ''}${fence}`;
}

interface FenceOpen {
  indent: number;
  char: '\x60' | '~';
  length: number;
  info: string;
}

function fenceOpening(line: string): FenceOpen | null {
  const match = /^([ \t]*)(\x60{3,}|~{3,})(.*)$/.exec(line);
  if (!match) return null;
  const marker = match[2]!;
  const info = match[3]!;
  if (marker[0] === '\x60' && info.includes('\x60')) return null;
  return {
    indent: match[1]!.length,
    char: marker[0] as '\x60' | '~',
    length: marker.length,
    info: info.trim().split(/\s+/)[0] ?? '',
  };
}

function isFenceClose(line: string, open: FenceOpen): boolean {
  const match = /^[ \t]*(\x60+|~+)[ \t]*$/.exec(line);
  return !!match && match[1]![0] === open.char && match[1]!.length >= open.length;
}

function dedent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && (line[i] === ' ' || line[i] === '\t')) i += 1;
  return line.slice(i);
}

function sanitizeBlock(text: string, scope: RepositoryScope | null): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    if (prose.length === 0) return;
    for (const line of removeHtmlComments(prose.join('\n')).split('\n')) {
      out.push(sanitizeProseLine(line.replace(BIDI_CHARS, ''), scope, false));
    }
    prose = [];
  };
  for (let i = 0; i < lines.length; i += 1) {
    const open = fenceOpening(lines[i]!);
    if (!open) {
      prose.push(lines[i]!);
      continue;
    }
    flushProse();
    const code: string[] = [];
    i += 1;
    while (i < lines.length && !isFenceClose(lines[i]!, open)) {
      code.push(dedent(lines[i]!, open.indent));
      i += 1;
    }
    // Unclosed fence: it ends with the text (the loop ran off the end); codeBlock closes it.
    out.push(codeBlock(code.join('\n'), open.info));
  }
  flushProse();
  return out.join('\n');
}

function cutAt(text: string, length: number): string {
  let cut = text.slice(0, Math.max(0, length));
  // Never leave half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

/** Shrinks the input until the sanitised output fits (escaping can make the output longer). */
function withinLength(text: string, maxLength: number, render: (input: string) => string): string {
  let output = render(text);
  if (output.length <= maxLength) return output;
  let budget = maxLength - TRUNCATED_SUFFIX.length - 8;
  for (let attempt = 0; attempt < 8 && budget > 0; attempt += 1) {
    output = render(`${cutAt(text, budget).trimEnd()}`);
    const withSuffix = `${output}${output.endsWith('\x60\x60\x60') ? '\n' : ' '}${TRUNCATED_SUFFIX}`;
    if (withSuffix.length <= maxLength) return withSuffix;
    budget -= withSuffix.length - maxLength + 16;
  }
  return TRUNCATED_SUFFIX.slice(0, maxLength);
}

/** Sanitises block Markdown written by a model (explanations, summaries, suggested text). */
export function sanitizeMarkdown(text: string, options: SanitizeOptions): string {
  const scope = scopeOf(options);
  const maxLength = options.maxLength ?? DEFAULT_BLOCK_MAX_LENGTH;
  return withinLength(normaliseInput(text).trim(), maxLength, (input) => sanitizeBlock(input, scope));
}

/**
 * Sanitises one line written by a model (titles, categories): newlines become spaces and `|` is
 * escaped, so the result can go into a heading, a list item or a table cell.
 */
export function sanitizeInline(text: string, options: SanitizeOptions): string {
  const scope = scopeOf(options);
  const maxLength = options.maxLength ?? DEFAULT_INLINE_MAX_LENGTH;
  const oneLine = removeHtmlComments(normaliseInput(text)).replace(BIDI_CHARS, '').replace(/\s+/g, ' ').trim();
  // A trailing backslash would escape whatever we put after the text (a `**`, a table's `|`).
  return withinLength(oneLine, maxLength, (input) => sanitizeProseLine(input, scope, true).replace(/\\+$/, ''));
}

/**
 * Caps a body we built to GitHub's limit: cut at a line boundary, a fenced block left open by the cut
 * is closed, and the notice says where the rest is. Our own markers should sit at the top of the
 * body so that a cut never removes them.
 */
export function capBody(
  body: string,
  limit: number = GITHUB_BODY_LIMIT,
  notice: string = DEFAULT_CAP_NOTICE,
): { body: string; truncated: boolean } {
  if (body.length <= limit) return { body, truncated: false };
  const room = limit - notice.length - 16;
  if (room <= 0) return { body: cutAt(notice, limit), truncated: true };
  let cut = cutAt(body, room);
  const lastNewline = cut.lastIndexOf('\n');
  if (lastNewline > room / 2) cut = cut.slice(0, lastNewline);
  // Close a fence the cut left open (our bodies only use backtick fences from codeBlock()).
  let openFence: string | null = null;
  let openIndent = '';
  for (const line of cut.split('\n')) {
    const match = /^([ \t]*)(\x60{3,})/.exec(line);
    if (!match) continue;
    if (openFence === null) {
      openFence = match[2]!;
      openIndent = match[1]!;
    } else if (/^[ \t]*\x60+[ \t]*$/.test(line) && match[2]!.length >= openFence.length) openFence = null;
  }
  if (openFence) cut += `\n${openIndent}${openFence}`;
  return { body: `${cut}${notice}`, truncated: true };
}
