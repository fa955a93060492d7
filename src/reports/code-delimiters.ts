// The one rule for delimiting code in the Markdown overnight writes (CommonMark 0.31, "Code spans" and
// "Fenced code blocks"): a code span or a fence shows any text verbatim when its backtick string is
// longer than every run inside it. Escaping does not work inside code (a backslash is shown as
// written), and replacing the backticks would change the code a reader copies, so the delimiter
// grows instead. Every code span and fenced block in a report is built here (sanitize.ts,
// sanitize-prose.ts), and so is the emulator's quoted code.

function longestRun(text: string, pattern: RegExp): number {
  let longest = 0;
  for (const match of text.matchAll(pattern)) longest = Math.max(longest, match[0].length);
  return longest;
}

/**
 * `content` as one inline code span that renders exactly as `content` (which must hold no line
 * break: a reader turns one into a space). A reader strips one space from each end when both ends
 * have one, and a backtick at either end would join the delimiter: in those cases a space pads
 * each side (and is stripped again by the reader).
 */
export function delimitCodeSpan(content: string): string {
  const ticks = '\x60'.repeat(longestRun(content, /\x60+/g) + 1);
  const pad = /^\x60|\x60$/.test(content) || (content.length > 1 && /^ .* $/s.test(content) && /[^ ]/.test(content)) ? ' ' : '';
  return `${ticks}${pad}${content}${pad}${ticks}`;
}

/**
 * The backtick fence for a block holding `content`: at least three, and longer than any run of
 * backticks or tildes in it, so that no line inside can close it (only a backtick run can close a
 * backtick fence; tildes are counted too so the block survives a reader or editor that is lax there).
 */
export function codeFence(content: string): string {
  return '\x60'.repeat(Math.max(3, longestRun(content, /\x60+|~+/g) + 1));
}
