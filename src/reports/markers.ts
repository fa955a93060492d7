// Hidden HTML-comment markers in what overnight posts to GitHub. A later (or repeated, or crashed)
// collect reads them back to find what it already published: which report an issue or comment
// belongs to, and which findings (by fingerprint) it already contains. Model text never carries a
// marker: sanitize.ts strips and breaks every look-alike before anything is posted.

/** Every marker starts with this; findMarkers matches nothing else. */
export const MARKER_PREFIX = '<!-- overnight:';

const KIND_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const FIELD_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/;
const MARKER_REGEX = /<!-- overnight:([a-z][a-z0-9-]{0,39})((?: [a-zA-Z][a-zA-Z0-9_-]{0,39}=[^\s]*)*) -->/g;

/** Values are percent-encoded so any string (spaces, `-->`, unicode) survives the round trip. */
function encodeValue(value: string | number): string {
  return encodeURIComponent(String(value));
}

function decodeValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `<!-- overnight:kind a=1 b=x -->`. Throws on a kind or field name a reader could not parse back. */
export function marker(kind: string, fields: Record<string, string | number> = {}): string {
  if (!KIND_PATTERN.test(kind)) throw new Error(`invalid marker kind "${kind}": use lowercase letters, digits and dashes`);
  const parts = [`${MARKER_PREFIX}${kind}`];
  for (const [name, value] of Object.entries(fields)) {
    if (!FIELD_NAME_PATTERN.test(name)) throw new Error(`invalid marker field name "${name}"`);
    parts.push(`${name}=${encodeValue(value)}`);
  }
  return `${parts.join(' ')} -->`;
}

/** Every marker in a body, in order (only those of `kind` when given). */
export function findMarkers(body: string, kind?: string): { kind: string; fields: Record<string, string> }[] {
  const found: { kind: string; fields: Record<string, string> }[] = [];
  for (const match of body.matchAll(MARKER_REGEX)) {
    const markerKind = match[1]!;
    if (kind !== undefined && markerKind !== kind) continue;
    const fields: Record<string, string> = {};
    for (const pair of (match[2] ?? '').trim().split(' ')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      fields[pair.slice(0, eq)] = decodeValue(pair.slice(eq + 1));
    }
    found.push({ kind: markerKind, fields });
  }
  return found;
}

/** Whether the body carries a marker of `kind` whose fields include every one given (compared as strings). */
export function hasMarker(body: string, kind: string, fields: Record<string, string | number> = {}): boolean {
  return findMarkers(body, kind).some((found) =>
    Object.entries(fields).every(([name, value]) => found.fields[name] === String(value)),
  );
}

/**
 * The fingerprints of the findings a body reports, as one hidden comment:
 * `<!-- overnight:fingerprints v=a1b2,c3d4 -->` (each item percent-encoded, so an item may hold any
 * character, commas included). Empty list: an empty string.
 */
export function fingerprintsMarker(fingerprints: string[]): string {
  const unique = [...new Set(fingerprints.filter((fingerprint) => fingerprint.length > 0))];
  if (unique.length === 0) return '';
  return `${MARKER_PREFIX}fingerprints v=${unique.map(encodeURIComponent).join(',')} -->`;
}

const FINGERPRINTS_REGEX = /<!-- overnight:fingerprints v=([^\s]*) -->/g;

/** The fingerprints listed by every fingerprints marker of a body, de-duplicated, in order. */
export function readFingerprints(body: string): string[] {
  const result = new Set<string>();
  for (const match of body.matchAll(FINGERPRINTS_REGEX)) {
    for (const item of match[1]!.split(',')) {
      if (item) result.add(decodeValue(item));
    }
  }
  return [...result];
}
