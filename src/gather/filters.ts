// Which changed files are worth sending, decided by path first (cheap, and for credentials the
// only safe way: their content is never read) and then by content.
import { posix } from 'node:path';
import { extensionOf } from './language.js';

/*
 * Credential files: decided by path alone and never read, so their content cannot reach a prompt,
 * a log or a state file. Matching is case-insensitive on the file name unless a directory is named.
 *   .env, .env.*, *.env                  dotenv files (including .env.example: a real value is one paste away)
 *   *.pem, *.key, *.p12, *.pfx, *.p8,    keys and key stores
 *   *.ppk, *.keystore, *.jks, *.keytab, *.kdbx
 *   id_rsa*, id_dsa*, id_ecdsa*, id_ed25519*   SSH keys (public halves too: cheap to skip)
 *   credentials, credentials.*           AWS / GCP / Rails credentials files
 *   secrets.*, *.secret(s), secret.<data ext>   secrets.yaml, settings/secrets.py, ... (secret.ts code is reviewed)
 *   service-account*.json, *-sa-key.json GCP service-account keys
 *   .npmrc, .yarnrc.yml, .pypirc, .netrc, _netrc, .git-credentials, .htpasswd, .pgpass, .my.cnf,
 *   .dockercfg, .s3cfg, .boto, .vault-token   tool configs that hold tokens or passwords
 *   *.tfvars, *.tfvars.json, *.tfstate, *.tfstate.backup   Terraform variables and state (state holds secrets)
 *   .ssh/*, .aws/*, .docker/config.json, .kube/config, kubeconfig   per-tool secret directories
 */
const CREDENTIAL_NAMES = [
  /^\.env$/,
  /^\.env\..+/,
  /.\.env$/,
  /\.(pem|key|p12|pfx|p8|ppk|keystore|jks|keytab|kdbx)$/,
  /^id_(rsa|dsa|ecdsa|ed25519)/,
  /^credentials($|\.)/,
  /^secrets\./,
  /^secret\.(json|ya?ml|toml|ini|env|txt|conf|cfg|properties|xml|enc)$/,
  /\.secrets?$/,
  /^service[-_]account.*\.json$/,
  /-sa-key\.json$/,
  /^(\.npmrc|\.yarnrc\.yml|\.pypirc|\.netrc|_netrc|\.git-credentials|\.htpasswd|\.pgpass|\.my\.cnf|\.dockercfg|\.s3cfg|\.boto|\.vault-token|kubeconfig)$/,
  /\.tfvars(\.json)?$/,
  /\.tfstate(\.backup)?$/,
];
const CREDENTIAL_PATHS = [/(^|\/)\.ssh\//, /(^|\/)\.aws\//, /(^|\/)\.docker\/config\.json$/, /(^|\/)\.kube\/config$/];

/** Whether a repository path names a file that holds credentials (never read, never sent). */
export function isCredentialPath(path: string): boolean {
  const lower = path.toLowerCase();
  const name = posix.basename(lower);
  return CREDENTIAL_NAMES.some((pattern) => pattern.test(name)) || CREDENTIAL_PATHS.some((p) => p.test(lower));
}

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

/** Build output and generator output, recognised by path. */
const GENERATED_DIRS = new Set(['dist', 'build', '.next', '.nuxt', '.svelte-kit', 'coverage', '__generated__', 'generated']);
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

/** git's own test: a NUL byte in the first 8000 bytes means binary. */
export function isBinaryContent(data: Buffer): boolean {
  return data.subarray(0, 8000).includes(0);
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

// Header markers generators write; only the first lines are checked so that code which merely
// mentions the marker (like this file) is not mistaken for generated code.
const GENERATED_MARKERS = [
  /@generated\b/,
  // Upper case only: the convention generators follow; "do not edit this lightly" is a human's note.
  /\bDO NOT EDIT\b/,
  /\b(?:auto-?generated|automatically generated) (?:file|code|by|from|using|with)\b/i,
  /\bthis (?:file|code) (?:is|was|has been) (?:automatically |auto-?)?generated\b/i,
  /<auto-generated/i,
];

/** Whether the first 10 lines (at most 2 KB) carry a generator's marker. */
export function hasGeneratedHeader(text: string): boolean {
  const head = text.slice(0, 2048).split('\n').slice(0, 10).join('\n');
  return GENERATED_MARKERS.some((marker) => marker.test(head));
}
