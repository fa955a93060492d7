// The enclosing-block heuristic: which function, method or class a line belongs to, found by
// indentation and a few declaration shapes (cheap and language-agnostic), so that planning can send the
// code a change sits in as one piece.

/** A block larger than this is not sent whole just because a change touches it: only its signature line is. */
export const ENCLOSING_BLOCK_MAX_LINES = 200;

export const isBlank = (line: string | undefined): boolean => line === undefined || line.trim() === '';

/** Indentation width; a tab counts as 4 columns (mixed files only need a consistent order). */
export function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width += 1;
    else if (ch === '\t') width += 4;
    else break;
  }
  return width;
}

const CONTROL_FLOW =
  /^(?:\}\s*)?(?:if|else|elif|elsif|for|foreach|while|do|try|catch|except|finally|switch|case|default|with|unless|until|loop|select|when|begin|rescue|ensure)\b/;
/** Declarations that open a named block in common languages. */
const DECLARATION =
  /^(?:@\w+\s+)*(?:(?:export|default|declare|pub(?:\([^)]*\))?|public|private|protected|internal|static|async|abstract|final|override|virtual|unsafe|extern|inline|open|sealed|data|suspend|const)\s+)*(?:function\*?|class|interface|enum|struct|impl|trait|module|namespace|def|defp|func|fn|fun|sub|proc|object|record)\b/;
/** `const handler = async (req) => {` and friends. */
const ARROW_DECLARATION =
  /^(?:export\s+)?(?:const|let|var)\s+[\w$]+\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\(.*\)\s*(?::[^=]+)?=>|[\w$]+\s*=>)/;
/** Method signatures: `name(args) {`, `public Foo bar(int a) throws X {`, `async get(id: string): Promise<T> {`. */
const METHOD_SIGNATURE =
  /^(?:[\w$@<>[\],.?*&:]+\s+)*[\w$]+\s*(?:<[^>]*>)?\s*\([^;]*\)\s*(?::\s*[^{;=]+|->\s*[^{;]+|throws\s+[\w.,\s]+)?\s*\{\s*$/;

function isDeclaration(trimmed: string): boolean {
  if (CONTROL_FLOW.test(trimmed)) return false;
  return DECLARATION.test(trimmed) || ARROW_DECLARATION.test(trimmed) || METHOD_SIGNATURE.test(trimmed);
}

/** Any line that opens a block: a declaration, or a line ending in `{` or `:` that is not control flow. */
function opensBlock(trimmed: string): boolean {
  if (CONTROL_FLOW.test(trimmed)) return false;
  return isDeclaration(trimmed) || /[{:]\s*$/.test(trimmed);
}

const CLOSER = /^(?:[}\])]|end\b|fi\b|done\b|esac\b)/;

/**
 * The block enclosing line `lineNo` (1-based): its header (the declaration line) and its closing line,
 * `end: null` when the close is not found within ENCLOSING_BLOCK_MAX_LINES. Null when no enclosing block
 * is recognised (top-level code). Declarations (function, class, def, func, fn, method signatures) are
 * preferred over plain `{`-ending lines (object literals, callbacks) as long as one is found before
 * reaching indentation 0.
 */
export function enclosingBlock(lines: readonly string[], lineNo: number): { start: number; end: number | null } | null {
  const total = lines.length;
  let ref = Math.min(Math.max(lineNo, 1), total);
  while (ref <= total && isBlank(lines[ref - 1])) ref++;
  if (ref > total) {
    ref = Math.min(lineNo, total);
    while (ref >= 1 && isBlank(lines[ref - 1])) ref--;
  }
  if (ref < 1) return null;

  let header: number | null = null;
  const refTrimmed = lines[ref - 1]!.trim();
  if (isDeclaration(refTrimmed)) {
    header = ref; // the change touches the signature itself: its block is the one to send
  } else {
    let currentIndent = indentOf(lines[ref - 1]!);
    let fallback: number | null = null;
    for (let i = ref - 1; i >= 1 && currentIndent > 0; i--) {
      const line = lines[i - 1]!;
      if (isBlank(line)) continue;
      const indent = indentOf(line);
      if (indent >= currentIndent) continue;
      currentIndent = indent;
      let candidate = i;
      const trimmed = line.trim();
      if (trimmed === '{') {
        // Allman style: the header is the line above the lone brace.
        let above = i - 1;
        while (above >= 1 && isBlank(lines[above - 1])) above--;
        if (above < 1) continue;
        candidate = above;
      }
      let candidateTrimmed = lines[candidate - 1]!.trim();
      let multiLineSignature = false;
      if (/^[)\]]/.test(candidateTrimmed) && /[{:]\s*$/.test(candidateTrimmed)) {
        // `) {` / `): T {` closing a multi-line parameter list: the signature starts at the nearest
        // earlier line of the same indentation (`async find(`).
        for (let k = candidate - 1; k >= 1; k--) {
          if (isBlank(lines[k - 1]) || indentOf(lines[k - 1]!) !== indent) continue;
          candidate = k;
          candidateTrimmed = lines[k - 1]!.trim();
          multiLineSignature = !CONTROL_FLOW.test(candidateTrimmed) && /[\w$>\]]\s*\(\s*$/.test(candidateTrimmed);
          break;
        }
      }
      if (multiLineSignature || isDeclaration(candidateTrimmed) || (trimmed === '{' && !CONTROL_FLOW.test(candidateTrimmed))) {
        header = candidate;
        break;
      }
      if (fallback === null && opensBlock(candidateTrimmed)) fallback = candidate;
    }
    header ??= fallback;
  }
  if (header === null) return null;

  // A multi-line signature ends in `) {` / `):` at the header's indentation: start at its first line.
  const headerIndent = indentOf(lines[header - 1]!);
  if (/^[)\]]/.test(lines[header - 1]!.trim())) {
    for (let i = header - 1; i >= 1; i--) {
      if (isBlank(lines[i - 1])) continue;
      if (indentOf(lines[i - 1]!) === headerIndent) {
        header = i;
        break;
      }
    }
  }

  let lastContent = header;
  let bodySeen = false;
  const limit = Math.min(total, header + ENCLOSING_BLOCK_MAX_LINES);
  for (let j = header + 1; j <= limit; j++) {
    const line = lines[j - 1]!;
    if (isBlank(line)) continue;
    const indent = indentOf(line);
    const trimmed = line.trim();
    if (indent > headerIndent) {
      bodySeen = true;
      lastContent = j;
      continue;
    }
    // Still the header: an Allman brace, or the `) {` / `):` closing a multi-line parameter list.
    if (indent === headerIndent && (trimmed === '{' || (/^[)\]]/.test(trimmed) && /[{:]\s*$/.test(trimmed)))) {
      lastContent = j;
      continue;
    }
    if (CLOSER.test(trimmed) && indent === headerIndent) return { start: header, end: j };
    // Indentation-delimited languages (Python): the block ended at the last indented line.
    return bodySeen ? { start: header, end: lastContent } : { start: header, end: null };
  }
  if (limit === total && bodySeen) return { start: header, end: lastContent };
  return { start: header, end: null };
}
