// An issue report cut to GitHub's size: the body and its continuation comments, each within 65,536
// characters, cut only between report blocks, headings carried with what they introduce, markers
// first so that no cut can remove them.
import { fingerprintsMarker, marker } from './markers.js';
import { capBody, GITHUB_BODY_LIMIT } from './sanitize.js';
import { joinBlocks, type ReportBlock } from './markdown.js';
import { plural } from './format.js';

/** Room kept in every part for markers, the continuation heading and notices. */
const PART_RESERVE = 3_000;
export const RESULTS_LOCATION = 'the results artifact of the collect run';

export interface IssuePart {
  /** 0 is the issue body; 1..n are continuation comments. */
  index: number;
  body: string;
  fingerprints: string[];
}

/** Splits blocks into parts of at most `budget` characters, cutting only between blocks. */
export function packBlocks(blocks: ReportBlock[], budget: number): ReportBlock[][] {
  const parts: ReportBlock[][] = [[]];
  let size = 0;
  const textOf = (block: ReportBlock, first: boolean) =>
    first && block.continuation ? `${block.continuation}\n\n${block.text}` : block.text;
  for (const block of blocks) {
    let current = parts[parts.length - 1]!;
    const added = textOf(block, current.length === 0).length + (current.length > 0 ? 2 : 0);
    if (current.length > 0 && size + added > budget) {
      // Headings travel with what they introduce.
      const carried: ReportBlock[] = [];
      while (current.length > 1 && current[current.length - 1]!.heading) carried.unshift(current.pop()!);
      current = [...carried];
      parts.push(current);
      size = current.reduce((sum, item, i) => sum + textOf(item, i === 0).length + (i > 0 ? 2 : 0), 0);
    }
    current.push(block);
    size += textOf(block, current.length === 1).length + (current.length > 1 ? 2 : 0);
  }
  return parts.filter((part) => part.length > 0);
}

function partText(blocks: ReportBlock[]): string {
  if (blocks.length === 0) return '';
  const [first, ...rest] = blocks;
  const head: ReportBlock = first!.continuation
    ? { ...first!, text: `${first!.continuation}${first!.tight ? '\n' : '\n\n'}${first!.text}`, tight: false }
    : { ...first!, tight: false };
  return joinBlocks([head, ...rest]);
}

/**
 * The issue body and its continuation comments, each within `limit`. Markers go first, so that a
 * cut can never remove them.
 */
export function buildIssueParts(
  blocks: ReportBlock[],
  identity: { task: string; stateId: string; round: string | number },
  limit: number = GITHUB_BODY_LIMIT,
): IssuePart[] {
  let budget = limit - PART_RESERVE;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const packed = packBlocks(blocks, Math.max(1_000, budget));
    const continuationCount = packed.length - 1;
    const parts = packed.map((partBlocks, index): IssuePart => {
      const fingerprints = partBlocks.flatMap((block) => block.fingerprints);
      const header =
        index === 0
          ? marker('report', { task: identity.task, state: identity.stateId, round: identity.round, parts: continuationCount })
          : marker('report-part', { state: identity.stateId, round: identity.round, part: index });
      const lines = [header];
      const fingerprintLine = fingerprintsMarker(fingerprints);
      if (fingerprintLine) lines.push(fingerprintLine);
      if (index > 0) lines.push(`_Continued (${index} of ${continuationCount})._`, '');
      lines.push(partText(partBlocks));
      if (index === 0 && continuationCount > 0) {
        lines.push(
          '',
          `_The report continues in ${plural(continuationCount, 'comment')} below; the full list is also in ${RESULTS_LOCATION}._`,
        );
      }
      return { index, body: lines.join('\n'), fingerprints };
    });
    const overshoot = Math.max(0, ...parts.map((part) => part.body.length - limit));
    if (overshoot === 0 || budget <= 2_000) {
      return parts.map((part) => ({ ...part, body: capBody(part.body, limit).body }));
    }
    budget -= overshoot + 500;
  }
  throw new Error('could not fit the issue report into GitHub size limits');
}
