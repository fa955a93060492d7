// Language ids from file names, for the prompt's code fences and per-language hints. The one table of
// extensions: everything that asks "what kind of file is this by its name" goes through extensionOf
// and languageFor.
import { posix } from 'node:path';

const BY_EXTENSION: Record<string, string> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'jsx',
  vue: 'vue',
  svelte: 'svelte',
  py: 'python',
  pyi: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  groovy: 'groovy',
  gradle: 'groovy',
  scala: 'scala',
  clj: 'clojure',
  rb: 'ruby',
  php: 'php',
  cs: 'csharp',
  fs: 'fsharp',
  vb: 'vb',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  m: 'objective-c',
  mm: 'objective-cpp',
  swift: 'swift',
  dart: 'dart',
  lua: 'lua',
  pl: 'perl',
  pm: 'perl',
  r: 'r',
  jl: 'julia',
  ex: 'elixir',
  exs: 'elixir',
  erl: 'erlang',
  hs: 'haskell',
  ml: 'ocaml',
  zig: 'zig',
  nim: 'nim',
  sol: 'solidity',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  fish: 'fish',
  ps1: 'powershell',
  psm1: 'powershell',
  bat: 'batch',
  cmd: 'batch',
  sql: 'sql',
  graphql: 'graphql',
  gql: 'graphql',
  proto: 'protobuf',
  tf: 'terraform',
  hcl: 'hcl',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  jsonl: 'json',
  ndjson: 'json',
  geojson: 'json',
  csv: 'csv',
  tsv: 'tsv',
  toml: 'toml',
  ini: 'ini',
  cfg: 'ini',
  conf: 'ini',
  properties: 'properties',
  xml: 'xml',
  html: 'html',
  htm: 'html',
  css: 'css',
  scss: 'scss',
  sass: 'sass',
  less: 'less',
  md: 'markdown',
  mdx: 'mdx',
  rst: 'rst',
  adoc: 'asciidoc',
  tex: 'latex',
  txt: 'text',
};

const BY_NAME: Record<string, string> = {
  dockerfile: 'dockerfile',
  containerfile: 'dockerfile',
  makefile: 'makefile',
  gnumakefile: 'makefile',
  'cmakelists.txt': 'cmake',
  gemfile: 'ruby',
  rakefile: 'ruby',
  jenkinsfile: 'groovy',
  vagrantfile: 'ruby',
  '.bashrc': 'shell',
  '.zshrc': 'shell',
  '.profile': 'shell',
};

/**
 * The extension of a path's file name, lower case, without the dot; '' when there is none (a dotfile
 * such as `.env` has none: its name is the whole name).
 */
export function extensionOf(path: string): string {
  const name = posix.basename(path).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1);
}

/** Language id for a path ('text' when unknown). */
export function languageFor(path: string): string {
  const name = posix.basename(path).toLowerCase();
  const byName = BY_NAME[name] ?? (name.startsWith('dockerfile.') ? 'dockerfile' : undefined);
  if (byName) return byName;
  return BY_EXTENSION[extensionOf(name)] ?? 'text';
}

/** Languages that hold data rather than logic: a large file of one is a data set (tasks/context.ts). */
const DATA_LANGUAGES = new Set(['json', 'yaml', 'csv', 'tsv', 'xml', 'toml']);

export function isDataLanguage(language: string): boolean {
  return DATA_LANGUAGES.has(language);
}
