// One line of model prose, made inert (sanitize.ts cuts text into fenced code and prose lines).
//
// Why this shape: a sanitiser that rewrites Markdown with regular expressions, piece by piece, can be
// bypassed by whatever its own edits join back together (deleting `[]()` in `@[]()octocat` made a
// live mention). Here a line is read once into atoms, the way a CommonMark reader reads it (code
// spans, backslash escapes, character references, comments, autolinks, then links and images), every
// decision is taken on those atoms, and the result is written back in a canonical form:
// - every character of text is written so that it can only be text: `[`, `]`, `|`, `` ` ``, `$`, `\`
//   are always backslash-escaped, `<` is always `&lt;`, `&` is escaped where it could start a
//   character reference, and the start of a line (and of what follows each list or quote marker)
//   is escaped where it would open a block (heading, rule, setext underline, table delimiter row,
//   tilde fence; in titles also a list or quote); so no link, image, raw HTML, table, definition,
//   math or fence can form except the few we write on purpose;
// - GitHub's own linking (mentions, cross-repository references, bare URLs, e-mail addresses) is
//   judged on the final text, after links were resolved and comments removed, so nothing we remove
//   can join neighbours into something live: every `@` gets a zero-width space after it (no mention,
//   no e-mail link, no `user@sha`), `owner/repo#1` outside this repository and every URL outside it
//   become inert code spans, URLs into the repository become explicit links; `#123`, `GH-123`,
//   `owner/repo#123` naming this repository and commit SHAs are kept on purpose: GitHub links them
//   only within the repository the report is about, and a finding that names an issue reads better;
// - reading the written form gives the same atoms back, so sanitising twice changes nothing (the
//   tests check this fixed point on generated hostile input).
// Emphasis (`*`, `_`, `~`) is kept as written: it only styles text and cannot link or notify; GitHub
// splits text at emphasis, so the checks above look for patterns anywhere, without context.

import { delimitCodeSpan } from './code-delimiters.js';

export interface RepositoryScope {
  origin: string;
  /** `/owner/repo` (with the server's base path), lower-cased. */
  path: string;
  ownerRepo: string;
}

type Atom =
  { kind: 'char'; char: string; escaped: boolean } | { kind: 'code'; raw: string } | { kind: 'link'; text: Atom[]; url: string };

export const ZERO_WIDTH_SPACE = '\u200b';
const ASCII_PUNCTUATION = /^[!-\/:-@\[-\x60{-~]$/;
const NAMED_REFERENCES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
// eslint-disable-next-line no-control-regex
const DROPPED_DECODED = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/;
const MARKER_LOOKALIKE = /<!--(\s*overnight)/gi;
const BIDI_CHARS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** Code shown verbatim, except that it can never be read back as one of our markers. */
export function neutraliseCode(code: string): string {
  return code
    .replace(MARKER_LOOKALIKE, '<!-\u200b-$1')
    .replace(BIDI_CHARS, (ch) => `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
}

const char = (c: string, escaped = false): Atom => ({ kind: 'char', char: c, escaped });
const chars = (text: string): Atom[] => [...text].map((c) => char(c));
const isPlain = (atom: Atom | undefined, c: string): boolean => atom?.kind === 'char' && !atom.escaped && atom.char === c;

/** A code span that shows `text` verbatim and that nothing (not even a table cell) can split. */
export function inertCode(text: string): Atom {
  return { kind: 'code', raw: delimitCodeSpan(neutraliseCode(text.replace(/\x60/g, '%60').replace(/\|/g, '%7C'))) };
}

/** A repository URL we can write as a link that reads back the same (destination within the bound). */
function linkableUrl(raw: string, scope: RepositoryScope | null): string | null {
  const url = repositoryUrl(raw, scope);
  return url && emitDestination(url).length < MAX_DESTINATION - 8 ? url : null;
}

/** The normalised URL when it points into the repository (after resolving `..`), else null. */
export function repositoryUrl(raw: string, scope: RepositoryScope | null): string | null {
  if (!scope || raw.includes('\\')) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password || url.origin.toLowerCase() !== scope.origin) return null;
  const path = url.pathname.toLowerCase();
  return path === scope.path || path.startsWith(`${scope.path}/`) ? url.href : null;
}

function decodeReference(entity: RegExpExecArray): string | null {
  const [, hex, decimal, name] = entity;
  if (name !== undefined) return NAMED_REFERENCES[name] ?? null;
  const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
  const decoded = code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  if (/^[\t\n\r]$/.test(decoded)) return ' ';
  return DROPPED_DECODED.test(decoded) ? '' : decoded;
}

/** Code spans, escapes, character references, comments and autolinks, left to right (CommonMark order). */
function tokenise(line: string, scope: RepositoryScope | null): Atom[] {
  const atoms: Atom[] = [];
  const at = (pattern: RegExp, i: number) => {
    pattern.lastIndex = i;
    return pattern.exec(line);
  };
  const lastCommentEnd = line.lastIndexOf('-->');
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length && ASCII_PUNCTUATION.test(line[i + 1]!)) {
      atoms.push(char(line[i + 1]!, true));
      i += 2;
    } else if (c === '\x60') {
      const run = at(BACKTICKS, i)![0];
      const close = closingRun(line, i + run.length, run.length);
      if (close >= 0) {
        atoms.push({ kind: 'code', raw: neutraliseCode(line.slice(i, close + run.length)) });
        i = close + run.length;
      } else {
        atoms.push(...chars(run));
        i += run.length;
      }
    } else if (c === '<') {
      const comment = i < lastCommentEnd || line.startsWith('<!--->', i) || line.startsWith('<!-->', i) ? at(COMMENT, i) : null;
      const autolink = comment ? null : at(AUTOLINK, i);
      const email = comment || autolink ? null : at(EMAIL_AUTOLINK, i);
      if (comment) {
        i += comment[0].length; // hidden on the page: hidden here (the text around it is still judged joined)
      } else if (autolink) {
        atoms.push(...linkAtoms([], autolink[1]!, scope));
        i += autolink[0].length;
      } else if (email) {
        atoms.push(...chars(email[1]!));
        i += email[0].length;
      } else {
        atoms.push(char('<'));
        i += 1;
      }
    } else if (c === '&') {
      const entity = at(REFERENCE, i);
      const decoded = entity ? decodeReference(entity) : null;
      if (entity && decoded !== null) {
        for (const d of decoded) atoms.push(char(d, ASCII_PUNCTUATION.test(d)));
        i += entity[0].length;
      } else {
        atoms.push(char('&'));
        i += 1;
      }
    } else {
      const codePoint = String.fromCodePoint(line.codePointAt(i)!);
      atoms.push(char(codePoint));
      i += codePoint.length;
    }
  }
  return atoms;
}

const BACKTICKS = /\x60+/y;
// Longest link destination read as one (in atoms): longer ones show as text and code, and a line of
// `[](` costs at most this much per bracket.
const MAX_DESTINATION = 500;
const MAX_CONTAINERS = 16;
const COMMENT = /<!--(?:-?>|[\s\S]*?-->)/y;
const AUTOLINK = /<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>/y;
const EMAIL_AUTOLINK = /<([A-Za-z0-9.!#$%&'*+/=?^_\x60{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>/y;
const REFERENCE = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]{0,31}));/y;

/** Where a backtick run of exactly `length` starts at or after `from` (CommonMark's code span end), or -1. */
function closingRun(line: string, from: number, length: number): number {
  for (let k = line.indexOf('\x60', from); k >= 0;) {
    let end = k;
    while (line[end] === '\x60') end += 1;
    if (end - k === length) return k;
    k = line.indexOf('\x60', end);
  }
  return -1;
}

/** A link written by the model: kept when it points into the repository, else its text and its target as code. */
function linkAtoms(text: Atom[], destination: string, scope: RepositoryScope | null): Atom[] {
  const url = linkableUrl(destination, scope);
  // A link cannot hold a link: one inside shows as its text.
  const flat = text.flatMap((atom) => (atom.kind === 'link' ? atom.text : [atom]));
  if (url) return [{ kind: 'link', text: flat.length > 0 ? flat : chars(url), url }];
  if (!destination) return text;
  return text.length > 0 ? [...text, ...chars(' ('), inertCode(destination), char(')')] : [inertCode(destination)];
}

/** For each plain `[`, the index of its plain `]` (or absent): one pass with a stack, not a scan per bracket. */
function matchingBrackets(atoms: Atom[]): Map<number, number> {
  const matches = new Map<number, number>();
  const open: number[] = [];
  atoms.forEach((atom, k) => {
    if (isPlain(atom, '[')) open.push(k);
    else if (isPlain(atom, ']') && open.length > 0) matches.set(open.pop()!, k);
  });
  return matches;
}

const isSpace = (atom: Atom | undefined) => isPlain(atom, ' ') || isPlain(atom, '\t');

/**
 * `(destination "title")` starting at `start`: the destination and the index after `)`, or null.
 * Bounded (MAX_DESTINATION atoms): a line of `[](` must not cost a scan to its end per bracket.
 */
function inlineDestination(atoms: Atom[], start: number): { destination: string; end: number } | null {
  const limit = Math.min(atoms.length, start + MAX_DESTINATION);
  const text = (from: number, to: number) =>
    atoms
      .slice(from, to)
      .map((atom) => (atom as { char: string }).char)
      .join('');
  let k = start;
  while (isSpace(atoms[k])) k += 1;
  let destination: string;
  if (isPlain(atoms[k], '<')) {
    const from = k + 1;
    for (k += 1; k < limit && !isPlain(atoms[k], '>'); k += 1) {
      if (atoms[k]!.kind !== 'char' || isPlain(atoms[k], '<')) return null;
    }
    if (k >= limit) return null;
    destination = text(from, k);
    k += 1;
  } else {
    const from = k;
    let depth = 0;
    for (; k < limit && !isSpace(atoms[k]); k += 1) {
      if (atoms[k]!.kind !== 'char') return null;
      if (isPlain(atoms[k], '(')) depth += 1;
      if (isPlain(atoms[k], ')')) {
        if (depth === 0) break;
        depth -= 1;
      }
    }
    if (depth !== 0 || k >= limit) return null;
    destination = text(from, k);
  }
  while (isSpace(atoms[k])) k += 1;
  const titleClose = isPlain(atoms[k], '"') ? '"' : isPlain(atoms[k], "'") ? "'" : isPlain(atoms[k], '(') ? ')' : null;
  if (titleClose) {
    for (k += 1; k < limit && !isPlain(atoms[k], titleClose); k += 1);
    if (k >= limit) return null;
    k += 1;
    while (isSpace(atoms[k])) k += 1;
  }
  return isPlain(atoms[k], ')') ? { destination, end: k + 1 } : null;
}

/** Inline links and images (not nested: brackets inside their text stay text). */
function resolveLinks(atoms: Atom[], scope: RepositoryScope | null): Atom[] {
  const out: Atom[] = [];
  const brackets = matchingBrackets(atoms);
  for (let i = 0; i < atoms.length; i += 1) {
    const image = isPlain(atoms[i], '!') && isPlain(atoms[i + 1], '[');
    const open = image ? i + 1 : i;
    if (image || isPlain(atoms[i], '[')) {
      const close = brackets.get(open) ?? -1;
      const target = close > 0 && isPlain(atoms[close + 1], '(') ? inlineDestination(atoms, close + 2) : null;
      if (target) {
        const inner = atoms.slice(open + 1, close);
        if (image) out.push(...chars(inner.length > 0 ? '(image removed: ' : '(image removed'), ...inner, char(')'));
        else out.push(...linkAtoms(inner, target.destination, scope));
        i = target.end - 1;
        continue;
      }
    }
    out.push(atoms[i]!);
  }
  return out;
}

// Anywhere in text, without context: GitHub splits text at emphasis, so a left boundary we see may
// not be the one GitHub sees. URL, cross-repository reference, `@`.
// Quantifiers bounded by GitHub's limits (owner 39, repository 100), so a long word costs no backtracking.
const LIVE_TEXT = /((?:https?|ftp):\/\/|www\.)|([A-Za-z0-9_.-]{1,39}\/[A-Za-z0-9_.-]{1,100})#\d+|(@)/gi;

/** GFM's end of an autolink: up to whitespace, without trailing punctuation or an unbalanced `)`. */
function autolinkExtent(text: string): string {
  let end = /^\S*/.exec(text)![0].length;
  let unbalanced = 0;
  for (let k = 0; k < end; k += 1) unbalanced += text[k] === ')' ? 1 : text[k] === '(' ? -1 : 0;
  for (;;) {
    const last = text[end - 1] ?? '';
    const entity = last === ';' ? /&[A-Za-z0-9]+;$/.exec(text.slice(Math.max(0, end - 40), end)) : null;
    if (`?!.,:*_~'"`.includes(last) && last) end -= 1;
    else if (entity) end -= entity[0].length;
    else if (last === ')' && unbalanced > 0) {
      end -= 1;
      unbalanced -= 1;
    } else return text.slice(0, end);
  }
}

/** Makes the text of one run inert for GitHub's linking; `inLink`: already inside a link of ours. */
function neutraliseRun(run: Atom[], scope: RepositoryScope | null, inLink: boolean): Atom[] {
  const text = run.map((atom) => (atom as { char: string }).char).join('');
  // Atom index of each UTF-16 offset (an atom may hold a surrogate pair).
  const atomAt: number[] = [];
  run.forEach((atom, index) => {
    for (let u = 0; u < (atom as { char: string }).char.length; u += 1) atomAt.push(index);
  });
  atomAt.push(run.length);
  const out: Atom[] = [];
  let kept = 0; // offset up to which text was copied to `out`
  const copy = (to: number) => {
    out.push(...run.slice(atomAt[kept]!, atomAt[to]!));
    kept = to;
  };
  LIVE_TEXT.lastIndex = 0;
  for (let match = LIVE_TEXT.exec(text); match; match = LIVE_TEXT.exec(text)) {
    const at = match.index;
    if (match[1] !== undefined) {
      // A bare `https://` or `www.` is not linked by GFM, but shown as code all the same (simpler to judge).
      const extent = autolinkExtent(text.slice(at));
      const url = extent.length > match[1].length ? extent : match[1];
      const inRepository = /^www\./i.test(url) ? null : linkableUrl(url, scope);
      copy(at);
      if (inRepository && inLink) out.push(...run.slice(atomAt[at]!, atomAt[at + url.length]!));
      else
        out.push(inRepository ? { kind: 'link', text: neutralise(chars(url), scope, true), url: inRepository } : inertCode(url));
      kept = at + url.length;
      LIVE_TEXT.lastIndex = kept;
    } else if (match[2] !== undefined) {
      if (scope && match[2].toLowerCase() === scope.ownerRepo) continue;
      copy(at);
      out.push(inertCode(match[0]));
      kept = at + match[0].length;
    } else if (text[at + 1] !== ZERO_WIDTH_SPACE) {
      copy(at + 1);
      out.push(char(ZERO_WIDTH_SPACE));
    }
  }
  copy(text.length);
  return out;
}

function neutralise(atoms: Atom[], scope: RepositoryScope | null, inLink: boolean): Atom[] {
  const out: Atom[] = [];
  let run: Atom[] = [];
  const flush = () => {
    if (run.length > 0) out.push(...neutraliseRun(run, scope, inLink));
    run = [];
  };
  for (const atom of atoms) {
    if (atom.kind === 'char') {
      run.push(atom);
      continue;
    }
    flush();
    out.push(atom.kind === 'link' ? { ...atom, text: neutralise(atom.text, scope, true) } : atom);
  }
  flush();
  return out;
}

function emitChar(atom: { char: string; escaped: boolean }, next: Atom | undefined): string {
  const c = atom.char;
  if (c === ZERO_WIDTH_SPACE) return '&#8203;';
  if (c === '<') return '&lt;';
  if (c === '@') return '@';
  if (c === '&') {
    const following = next?.kind === 'char' ? next.char : '';
    return atom.escaped || /^[A-Za-z0-9#]/.test(following) ? '\\&' : '&';
  }
  if (c === '!' && next?.kind === 'link') return '\\!';
  if ('\\\x60[]|$'.includes(c)) return `\\${c}`;
  return atom.escaped && ASCII_PUNCTUATION.test(c) ? `\\${c}` : c;
}

/** Percent-encodes what could end or change a link destination; `&` as a reference (read back as `&`). */
function emitDestination(url: string): string {
  const percent = (c: string) =>
    [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  return url.replace(/[^A-Za-z0-9\-._~:/?#@!$'*+,;=%&]/gu, percent).replace(/&/g, '&amp;');
}

function emit(atoms: Atom[]): string {
  let out = '';
  atoms.forEach((atom, index) => {
    if (atom.kind === 'char') out += emitChar(atom, atoms[index + 1]);
    else if (atom.kind === 'code') {
      // Two code spans must not touch: their backtick runs would read as one longer run.
      out += (atoms[index - 1]?.kind === 'code' ? ' ' : '') + atom.raw;
    } else out += `[${emit(atom.text)}](${emitDestination(atom.url)})`;
  });
  return out;
}

// What makes a line (or what follows a container marker) open a block. Thematic breaks, setext
// underlines and pipe-less table delimiter rows win over list items, so they are checked at every
// container level; the rest only where the content starts.
const CONTAINER = /^(?:>[ \t]?|(?:[-+*]|\d{1,9}[.)])[ \t]+(?=\S))/;
const BREAK_OR_UNDERLINE = /^(?:([-*_])(?:[ \t]*\1){2,}[ \t]*|:?-+:?[ \t]*)$/;
const BLOCK_START = /^(?:#|>|=|~~~|[-+*](?=[ \t]|$))/;
const ORDERED_START = /^\d{1,9}(?=[.)](?:[ \t]|$))/;

function escapeLineStart(line: string, containers: boolean): string {
  let at = 0;
  for (let level = 0; ; level += 1) {
    at += /^[ \t]*/.exec(line.slice(at))![0].length;
    const rest = line.slice(at);
    if (BREAK_OR_UNDERLINE.test(rest)) return `${line.slice(0, at)}\\${rest}`;
    const container = containers ? CONTAINER.exec(rest) : null;
    // Deeper nesting than any explanation needs is text (and the scan per level stays bounded).
    if (container && level >= MAX_CONTAINERS) return `${line.slice(0, at)}\\${rest}`;
    if (container) {
      at += container[0].length;
      continue;
    }
    if (BLOCK_START.test(rest)) return `${line.slice(0, at)}\\${rest}`;
    const ordered = ORDERED_START.exec(rest);
    return ordered ? `${line.slice(0, at + ordered[0].length)}\\${line.slice(at + ordered[0].length)}` : line;
  }
}

/**
 * One line of prose, inert. `inline`: the text goes into a heading, list item or table cell, so it
 * keeps no list or quote of its own, and a code span holding `|` (which a table cell would split)
 * is shown as text.
 */
export function sanitizeProseLine(line: string, scope: RepositoryScope | null, inline: boolean): string {
  let atoms = tokenise(line.replace(BIDI_CHARS, ''), scope);
  if (inline) atoms = atoms.flatMap((atom) => (atom.kind === 'code' && atom.raw.includes('|') ? chars(atom.raw) : [atom]));
  atoms = neutralise(resolveLinks(atoms, scope), scope, false);
  return escapeLineStart(emit(atoms), !inline);
}
