// Which paths hold credential DATA: decided by path alone, and such files are never read, so their
// content cannot reach a prompt, a log or a state file. Source CODE named like a credential
// (src/server/credentials.ts, tests/mcp/secrets.spec.ts, secrets.py, Credentials.java,
// kubeconfig.go) is exactly what a review or a security scan is for: it is read, redacted like
// any file, and sent.
//
// Matching is case-insensitive on the file name unless a directory is named.
//   .env, .env.*, *.env, .envrc, env.<not code>   dotenv files (.env.example too: a real value is one paste away)
//   *.pem, *.key, *.p12, *.pfx, *.p8, *.ppk,      keys and key stores
//   *.keystore, *.jks, *.keytab, *.kdbx
//   id_rsa*, id_dsa*, id_ecdsa*, id_ed25519*      SSH keys (public halves too: cheap to skip)
//   credentials, secrets, secret (+ data extensions only: .json .yml .xml .ini .toml .txt .enc ...)
//   *.secret(s), service-account*.json, *-sa-key.json
//   .npmrc, .yarnrc, .yarnrc.yml, .pypirc, .netrc, _netrc, .git-credentials, .htpasswd, .pgpass,
//   .my.cnf, .dockercfg, .dockerconfigjson, .s3cfg, .boto, .vault-token   tool configs with tokens
//   *kubeconfig* (not code), settings.xml / settings-security.xml (Maven; not Android res/)
//   *.tfvars, *.tfvars.json, *.tfstate, *.tfstate.backup   Terraform variables and state
//   .ssh/*, .aws/*, .docker/config.json, docker/config.json, .kube/config   per-tool secret directories
import { posix } from 'node:path';

/** Extensions of source code: a credential-like name with one of these is code, and reviewed. */
const CODE_EXTENSIONS = new Set(
  (
    'ts tsx mts cts js jsx mjs cjs py pyi rb go java kt kts scala groovy cs fs vb swift m mm c cc cpp cxx h hpp ' +
    'rs php pl pm lua dart ex exs erl hrl clj cljs elm hs ml vue svelte astro sh bash zsh ps1 r jl zig nim sql'
  ).split(' '),
);

/** Extensions of data a credential file is stored as. */
const DATA_EXTENSIONS = new Set(
  'json yml yaml xml ini toml txt conf cfg properties env enc plist csv dat gpg asc age sops'.split(' '),
);

const ALWAYS_CREDENTIAL_NAMES = [
  /^\.env$/,
  /^\.env\..+/,
  /.\.env$/,
  /^\.envrc$/,
  /\.(pem|key|p12|pfx|p8|ppk|keystore|jks|keytab|kdbx)$/,
  /^id_(rsa|dsa|ecdsa|ed25519)/,
  /\.secrets?$/,
  /^service[-_]account.*\.json$/,
  /-sa-key\.json$/,
  /^(\.npmrc|\.yarnrc|\.yarnrc\.yml|\.pypirc|\.netrc|_netrc|\.git-credentials|\.htpasswd|\.pgpass|\.my\.cnf|\.dockercfg|\.dockerconfigjson|\.s3cfg|\.boto|\.vault-token)$/,
  /\.tfvars(\.json)?$/,
  /\.tfstate(\.backup)?$/,
];

/** Extensions of prose: a page about credentials is not one. */
const DOC_EXTENSIONS = new Set('md mdx markdown rst adoc txt html htm'.split(' '));

/** Credential data when every extension is a data one (credentials.yml.enc), code when not (secrets.py). */
const CREDENTIAL_BASE_NAME = /^(credentials?|secrets?)(\.|$)/;
/** Credential data unless code or prose (env.production is data; env.ts, kubeconfig.go are code). */
const DATA_UNLESS_CODE = [/^env\.[^.]+$/, /kubeconfig/];

const CREDENTIAL_PATHS = [
  /(^|\/)\.ssh\//,
  /(^|\/)\.aws\//,
  /(^|\/)\.?docker\/config\.json$/,
  /(^|\/)\.kube\/config$/,
  // Maven's settings (server passwords), but not an Android resource of the same name.
  /^(?!(?:.*\/)?res\/)(?:.*\/)?settings(-security)?\.xml$/,
];

/** The extensions after the first dot of a name (`credentials.yml.enc` → yml, enc). */
function extensionsOf(name: string): string[] {
  const dot = name.indexOf('.', 1);
  return dot < 0 ? [] : name.slice(dot + 1).split('.');
}

/** Whether a repository path names a file that holds credential data (never read, never sent). */
export function isCredentialPath(path: string): boolean {
  const lower = path.toLowerCase();
  const name = posix.basename(lower);
  if (ALWAYS_CREDENTIAL_NAMES.some((pattern) => pattern.test(name))) return true;
  if (CREDENTIAL_PATHS.some((pattern) => pattern.test(lower))) return true;
  const extensions = extensionsOf(name);
  if (CREDENTIAL_BASE_NAME.test(name)) return extensions.every((ext) => DATA_EXTENSIONS.has(ext));
  if (!DATA_UNLESS_CODE.some((pattern) => pattern.test(name))) return false;
  const last = extensions.at(-1);
  return last === undefined || !(CODE_EXTENSIONS.has(last) || DOC_EXTENSIONS.has(last));
}
