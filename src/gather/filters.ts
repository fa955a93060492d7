// Which changed files are worth sending, decided by path first (cheap, and for credentials the
// only safe way: their content is never read) and then by content.
import { extensionOf } from './language.js';
import { isCredentialPath } from './credentials.js';

export { isCredentialPath } from './credentials.js';

/** Directories that hold other people's code, at any depth. */
const VENDORED_DIRS = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  'vendors',
  'third_party',
  'third-party',
  'thirdparty',
  '3rdparty',
  'pods',
  'carthage',
  '.yarn',
  '.pnpm-store',
  '.venv',
  'venv',
  'site-packages',
  '__pypackages__',
]);

const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'deno.lock',
  'cargo.lock',
  'poetry.lock',
  'pipfile.lock',
  'pdm.lock',
  'uv.lock',
  'go.sum',
  'go.work.sum',
  'gemfile.lock',
  'composer.lock',
  'mix.lock',
  'pubspec.lock',
  'podfile.lock',
  'packages.lock.json',
  'package.resolved',
  'flake.lock',
  'gradle.lockfile',
  '.terraform.lock.hcl',
  'conan.lock',
  'stack.yaml.lock',
  'cabal.project.freeze',
  'paket.lock',
]);

/*
 * Generator output recognised by name. Folders are NOT a sign: hand-written code lives in build/,
 * dist/, generated/... (hono's build/build.ts); only frameworks' build caches, which nobody writes by
 * hand, are listed. Everything else is decided by content (generatedMarker: Relay's and Apollo's
 * __generated__ files carry `@generated`) and by .gitattributes linguist-generated.
 */
const GENERATED_DIRS = new Set(['.next', '.nuxt', '.svelte-kit']);
const GENERATED_NAMES = [
  /\.pb\.go$/,
  /\.pb\.(cc|h)$/,
  /_pb2(_grpc)?\.pyi?$/,
  /_pb\.(js|ts|d\.ts)$/,
  /_grpc_pb\.(js|ts|d\.ts)$/,
  /\.g\.dart$/,
  /\.freezed\.dart$/,
  /\.designer\.cs$/,
  /\.generated\.\w+$/,
  /_generated\.\w+$/,
  /\.snap$/,
  /\.js\.map$/,
  /\.css\.map$/,
  /^zz_generated\./,
];

const BINARY_EXTENSIONS = new Set(
  (
    'png jpg jpeg gif bmp ico icns webp tif tiff psd avif heic svgz ' +
    'pdf doc docx xls xlsx ppt pptx odt ods odp ' +
    'zip gz tgz bz2 xz 7z rar tar zst lz4 jar war ear aar apk ipa dmg iso deb rpm msi ' +
    'class pyc pyo o obj a lib so dylib dll exe bin node wasm ' +
    'woff woff2 ttf otf eot ' +
    'mp3 mp4 m4a m4v wav ogg oga flac aac mov avi mkv webm ' +
    'sqlite sqlite3 db mdb parquet avro orc feather npy npz pkl pickle h5 hdf5 onnx pt pth ckpt safetensors tflite'
  ).split(' '),
);

const MINIFIED_NAME = /[.-]min\.(js|mjs|cjs|css)$/;

export type PathSkipReason = 'credential' | 'vendored' | 'lockfile' | 'generated' | 'binary';

/**
 * The path-only verdict for a file, most important first: a credential is a credential wherever it
 * lives. Returns null when only the content can tell.
 */
export function classifyPath(path: string): PathSkipReason | null {
  if (isCredentialPath(path)) return 'credential';
  const lower = path.toLowerCase();
  const segments = lower.split('/');
  const name = segments[segments.length - 1]!;
  const directories = segments.slice(0, -1);
  if (directories.some((dir) => VENDORED_DIRS.has(dir))) return 'vendored';
  if (LOCKFILES.has(name)) return 'lockfile';
  if (directories.some((dir) => GENERATED_DIRS.has(dir))) return 'generated';
  if (GENERATED_NAMES.some((pattern) => pattern.test(name))) return 'generated';
  if (BINARY_EXTENSIONS.has(extensionOf(name))) return 'binary';
  return null;
}

/** A minified name (app.min.js): decided by path, like the rest, but reported as 'minified'. */
export function hasMinifiedName(path: string): boolean {
  return MINIFIED_NAME.test(path.toLowerCase());
}

/**
 * A NUL byte anywhere means binary. git looks at the first 8,000 bytes only, which let a file with
 * a NUL further in through (and its bytes into a prompt); the whole content is in memory anyway.
 */
export function isBinaryContent(data: Buffer): boolean {
  return data.includes(0);
}

// fatal: invalid sequences throw instead of becoming U+FFFD; ignoreBOM: a BOM stays, as git shows it.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The content as text, or null when it is not valid UTF-8 (Latin-1, Shift-JIS, a truncated
 * sequence): decoding would garble it into replacement characters, so such files are not sent.
 */
export function decodeUtf8(data: Buffer): string | null {
  try {
    return STRICT_UTF8.decode(data);
  } catch {
    return null;
  }
}

// Languages whose files are sometimes shipped minified; prose formats are exempt because one
// paragraph per line is normal there.
const MINIFIABLE = /\.(js|mjs|cjs|css|scss|less|json|html|htm|svg|xml|map)$/;

/**
 * Minified or machine-packed text: a file over 2 KB whose lines average more than 300 characters
 * (hand-written code averages 30-60; bundlers emit thousands per line).
 */
export function isMinifiedContent(path: string, text: string): boolean {
  if (!MINIFIABLE.test(path.toLowerCase()) || text.length < 2048) return false;
  const lines = text.split('\n').length;
  return text.length / lines > 300;
}

// Generators' markers. They count only on comment lines of the header (below), so code that
// merely mentions one, like this file, is not mistaken for generated code.
const GENERATED_MARKERS = [
  // Facebook/Meta convention; not when quoted in backticks or a string.
  /(?<![`'"\w])@generated\b/,
  // Upper case only: the convention generators follow (Go: "Code generated ... DO NOT EDIT.");
  // "do not edit this lightly" is a human's note.
  /\bDO NOT EDIT\b/,
  /\b(?:auto-?generated|automatically generated|machine[- ]generated) (?:file|code|by|from|using|with)\b/i,
  /\bthis (?:file|code|module|class|header|source) (?:is|was|has been) (?:automatically |auto-?)?generated\b/i,
  /<auto-generated/i,
];
/** A comment whose text starts "Generated by/from ..." (protoc, Django, sqlc...); elsewhere the words are prose. */
const GENERATED_BY = /^(?:auto-?|automatically |machine[- ])?generated (?:by|from|with|using)\b/i;

/** Lines always searched: licence headers run 10-30 lines, and the marker follows them. */
const HEADER_LINES = 40;
/** A leading comment block longer than HEADER_LINES is searched to its end plus this many lines. */
const AFTER_BLOCK_LINES = 10;
/** Upper bound of the searched header, however long the leading comment. */
const HEADER_MAX_LINES = 300;

const LINE_COMMENT = /^(?:\/\/|#|--|;|%|'|rem\b|::|\*)/i;
const COMMENT_LEADER = /^[\s/*#;%'!<>{}()-]+/;

/** Which of the first lines are comments: line comments, block comments, and Python docstrings. */
function commentLines(lines: readonly string[]): boolean[] {
  const result: boolean[] = [];
  let close: string | null = null;
  for (const raw of lines) {
    const line = raw.trim();
    if (close !== null) {
      result.push(true);
      if (line.includes(close)) close = null;
      continue;
    }
    const opener = ['/*', '<!--', '"""', "'''", '{-', '(*'].find((open) => line.startsWith(open));
    if (opener) {
      result.push(true);
      const closer = { '/*': '*/', '<!--': '-->', '"""': '"""', "'''": "'''", '{-': '-}', '(*': '*)' }[opener]!;
      if (!line.slice(opener.length).includes(closer)) close = closer;
      continue;
    }
    result.push(LINE_COMMENT.test(line));
  }
  return result;
}

/**
 * Where a generator's marker sits in the file's header, as "line N", or null: comment lines among
 * the first 40, or to the end of a longer leading comment block (a licence) and 10 lines after it.
 */
export function generatedMarker(text: string): string | null {
  const lines = text.slice(0, 64 * 1024).split('\n', HEADER_MAX_LINES);
  const comments = commentLines(lines);
  let first = 0;
  while (first < lines.length && (lines[first]!.trim() === '' || lines[first]!.startsWith('#!'))) first++;
  let blockEnd = first;
  while (blockEnd < lines.length && (comments[blockEnd] || lines[blockEnd]!.trim() === '')) blockEnd++;
  const end = Math.min(lines.length, Math.max(HEADER_LINES, blockEnd + AFTER_BLOCK_LINES));
  for (let i = 0; i < end; i++) {
    if (!comments[i]) continue;
    // A marker quoted in `code` or "a string" is talked about, not declared (this module's comments).
    const line = lines[i]!.replace(/`[^`]*`|"[^"]*"/g, '');
    const body = line.trim().replace(COMMENT_LEADER, '');
    if (GENERATED_MARKERS.some((marker) => marker.test(line)) || GENERATED_BY.test(body)) return `line ${i + 1}`;
  }
  return null;
}
