// Which changed files are sent: one verdict per file, by path and git metadata first (credentials are
// settled before any read), then by content. What steers the verdicts (.gitignore, .gitattributes)
// comes from the trusted commit.
//
// Pull requests cannot hide their own code. A generated or vendored verdict that rests on what the
// pull request itself wrote (a file name, a folder it moved code into, a `@generated` comment) is
// honoured only when the base agrees: the file existed there under the same verdict (same vendored
// path, same generator name, a marker in the base version). A file the pull request adds under
// vendor/, names *.generated.ts, or marks `// @generated` is reviewed like any other code. The base's
// .gitattributes (linguist-generated / linguist-vendored) is trusted as it is.
import picomatch from 'picomatch';
import type { SkippedFile, SourceFile } from '../types.js';
import type { LinguistAttributes } from './attributes.js';
import type { RawChange } from './diff.js';
import {
  classifyPath,
  decodeUtf8,
  generatedMarker,
  hasMinifiedName,
  isBinaryContent,
  isCredentialPath,
  isMinifiedContent,
} from './filters.js';
import { SUBMODULE_MODE, SYMLINK_MODE } from './tree.js';

export type Skip = Omit<SkippedFile, 'path'>;

/** Glob matcher where slash-less patterns match the file name at any depth. */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const cleaned = patterns.map((p) => p.trim().replace(/^\.\//, '')).filter((p) => p !== '');
  const byName = cleaned.filter((p) => !p.includes('/'));
  const byPath = cleaned.filter((p) => p.includes('/'));
  const matchName = byName.length > 0 ? picomatch(byName, { dot: true, basename: true }) : () => false;
  const matchPath = byPath.length > 0 ? picomatch(byPath, { dot: true }) : () => false;
  return (path) => matchName(path) || matchPath(path);
}

/** The status a change will have as a SourceFile (what tasks see). */
export function sourceStatus(change: RawChange, hasBase: boolean): SourceFile['status'] {
  if (!hasBase || change.status === 'A' || change.status === 'C') return 'added';
  return change.status === 'R' ? 'renamed' : 'modified';
}

export interface SelectionRules {
  include: (path: string) => boolean;
  exclude: (path: string) => boolean;
  /** .gitignore of the trusted commit. */
  ignored: (path: string) => boolean;
  /** .gitattributes of the trusted commit. */
  attributes: (path: string) => LinguistAttributes;
  /** The task's path-level filter (applied before max-files); absent: every file. */
  acceptsPath?: ((path: string, status: SourceFile['status']) => boolean) | undefined;
  taskName?: string | undefined;
  /** A pull request: verdicts resting on what it wrote need the base's agreement. */
  pullRequest: boolean;
  hasBase: boolean;
}

/** Whether the base had this file under the same path (so a verdict by its path is the base's too). */
const samePathAtBase = (change: RawChange): boolean => change.status === 'M' || change.status === 'T';

/**
 * The verdict by path and git metadata, or null when only the content can tell. Never reads content:
 * a credential is settled here, before any read.
 */
export function pathVerdict(change: RawChange, rules: SelectionRules): Skip | null {
  const path = change.path;
  if (change.status === 'D') return { reason: 'deleted' };
  const byPath = classifyPath(path);
  // A credential file renamed to an innocent name still has its old content as the base.
  if (byPath === 'credential' || (change.previousPath && isCredentialPath(change.previousPath))) return { reason: 'credential' };
  if (!rules.include(path) || rules.exclude(path)) return { reason: 'excluded' };
  if (rules.ignored(path)) return { reason: 'ignored' };
  if (change.newMode === SUBMODULE_MODE) return { reason: 'submodule' };
  if (change.newMode === SYMLINK_MODE) return { reason: 'symlink' };
  const attributes = rules.attributes(path);
  if (attributes.vendored?.value) return { reason: 'vendored', detail: `${attributes.vendored.where} linguist-vendored` };
  if (attributes.generated?.value) return { reason: 'generated', detail: `${attributes.generated.where} linguist-generated` };
  // The pull request wrote this name: honoured when the base had the file under a name of the same verdict.
  const trustName = (verdict: string | null): boolean =>
    !rules.pullRequest ||
    samePathAtBase(change) ||
    (change.status === 'R' && change.previousPath !== undefined && verdict === classifyPath(change.previousPath));
  if (byPath === 'vendored' && attributes.vendored?.value !== false && trustName('vendored')) return { reason: 'vendored' };
  if (byPath === 'generated' && attributes.generated?.value !== false && trustName('generated')) return { reason: 'generated' };
  if (byPath === 'lockfile' || byPath === 'binary') return { reason: byPath };
  if (hasMinifiedName(path) && (!rules.pullRequest || samePathAtBase(change))) return { reason: 'minified' };
  if (rules.acceptsPath && !rules.acceptsPath(path, sourceStatus(change, rules.hasBase))) {
    return rules.taskName ? { reason: 'not-for-task', detail: rules.taskName } : { reason: 'not-for-task' };
  }
  return null;
}

export type ContentVerdict = { skip: Skip } | { text: string; marker: string | null };

/**
 * The verdict by content: binary anywhere, invalid UTF-8, minified, a generator's marker (unless the
 * trusted .gitattributes says linguist-generated=false). `marker` is returned for the caller to
 * weigh in a pull request (see baseAgrees).
 */
export function contentVerdict(change: RawChange, data: Buffer, rules: SelectionRules): ContentVerdict {
  if (isBinaryContent(data)) return { skip: { reason: 'binary' } };
  const text = decodeUtf8(data);
  if (text === null) return { skip: { reason: 'not-utf8' } };
  if (isMinifiedContent(change.path, text)) return { skip: { reason: 'minified' } };
  const marker = rules.attributes(change.path).generated?.value === false ? null : generatedMarker(text);
  if (marker !== null && !rules.pullRequest) return { skip: { reason: 'generated', detail: `marker on ${marker}` } };
  return { text, marker };
}

/** In a pull request, a marker hides a file only when the base version carried one too. */
export function markerNeedsBase(change: RawChange, verdict: ContentVerdict, rules: SelectionRules): boolean {
  return rules.pullRequest && 'text' in verdict && verdict.marker !== null && (change.status === 'M' || change.status === 'R');
}

/** The base version's own marker, for markerNeedsBase: null when it has none (the claim is the pull request's). */
export function baseMarker(data: Buffer | null): string | null {
  if (!data || isBinaryContent(data)) return null;
  const text = decodeUtf8(data);
  return text === null ? null : generatedMarker(text);
}
