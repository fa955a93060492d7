// The CLI: the same engine as the action, with a local state file instead of an artifact and
// Markdown/JSON files instead of GitHub posts (unless --report names a GitHub target and a token and
// repository are set). Exit codes: 0 done or nothing to do, 1 error, 2 bad usage, 3 still pending.
import { parseArgs } from 'node:util';
import { basename, join, resolve } from 'node:path';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { INPUTS, parseConfig, type Config } from '../config.js';
import { ConfigError, UsageError } from '../errors.js';
import type { GitHubContext } from '../github/context.js';
import type { EngineDeps, RunContext } from '../engine/deps.js';
import type { Logger, ReportTarget } from '../types.js';
import { escapeTerminalText, maskSecrets } from '../io/safe-text.js';
import { notifySecrets } from '../reports/notify-url.js';
import type { TerminalProgress } from './terminal.js';
import { githubOrigin, packageVersion } from './environment.js';

export { processLines } from './terminal.js';
export { keepOutOfGit } from './local-files.js';
import { keepOutOfGit, printWhereReportsWent, saveOutputs } from './local-files.js';
import { cloudProvider } from '../providers/cloud.js';

export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /**
   * The clock the run waits on: `collect --wait`, poll intervals and API retry backoff. Default: real
   * time. Tests pass one whose `sleep` advances `now`, so a 30-minute wait runs out at once.
   */
  clock?: { now: () => Date; sleep: (ms: number) => Promise<void> };
  /** The status line of long steps (a terminal only; progress.ts). */
  progress?: TerminalProgress;
}

const COMMANDS = ['submit', 'collect', 'run', 'status', 'estimate', 'demo'] as const;
type Command = (typeof COMMANDS)[number];

const LOCAL_FLAGS = {
  state: { description: 'State file (default: every file in .overnight/states).' },
  wait: {
    description:
      'Collect: poll a batch still in progress for up to this many minutes (same as --wait-minutes; default 0: look once). Still pending then: exit 3.',
  },
  'output-dir': { description: 'Where reports and results are written (default .overnight/results).' },
  repo: { description: 'The repository to review (default: the current directory).' },
  verbose: { description: 'Show debug lines.', boolean: true },
  help: { description: 'Show help (also -h).', boolean: true },
} as const;

const COMMAND_HELP: Record<Command, string> = {
  submit: 'Gather the changed files, send them as a batch (half price) and save the state.',
  collect: 'Check saved batches; for those that ended, write the report (exit 3 if still pending after --wait).',
  run: 'Send the requests through the interactive API now (full price, no waiting) and write the report.',
  status: 'Show every saved submission and where its batches stand.',
  estimate: 'Plan and price a submit without sending anything (same as submit --dry-run).',
  demo: 'Build a sample repository, start the bundled API emulator, submit and collect, show the report.',
};

/** The inputs that decide what a submission gathers, plans and sends (submit, run, estimate). */
const PLANNING = [
  'task',
  'since',
  'include',
  'exclude',
  'max-files',
  'max-file-bytes',
  'context-files',
  'instructions',
  'model',
  'max-output-tokens',
  'max-cost-usd',
  'budget-strict',
  'monthly-budget-usd',
  'deliver-by',
  'price-overrides',
  'anthropic-base-url',
];
/** The inputs that decide what is published and how (collect, run). */
const PUBLISHING = [
  'report',
  'min-severity',
  'min-confidence',
  'verify',
  'fail-on-severity',
  'max-findings',
  'issue-labels',
  'sarif-path',
  'min-first-pass-rate',
  'notify-url',
];

/**
 * The options each command reads, in the order its help lists them. The artifact store's inputs
 * (state-name, retention-days) are the action's: the CLI keeps its states in files.
 */
/** Which batch service, and how to reach a cloud one (src/providers/config.ts). */
const PROVIDER_OPTIONS = [
  'provider',
  'aws-region',
  'bedrock-bucket',
  'bedrock-prefix',
  'bedrock-role-arn',
  'bedrock-min-records',
  'gcp-project',
  'gcp-location',
  'vertex-bucket',
  'vertex-prefix',
  'state-signing-key',
] as const;

export const COMMAND_OPTIONS: Record<Command, readonly string[]> = {
  submit: [...PLANNING, ...PROVIDER_OPTIONS, 'dry-run', 'state', 'output-dir', 'repo', 'verbose', 'help'],
  collect: [
    'task',
    'batch-id',
    'wait',
    'wait-minutes',
    'max-retries',
    'max-cost-usd',
    'budget-strict',
    'monthly-budget-usd',
    ...PUBLISHING,
    'price-overrides',
    'anthropic-base-url',
    ...PROVIDER_OPTIONS,
    'state',
    'output-dir',
    'repo',
    'verbose',
    'help',
  ],
  run: [
    ...PLANNING,
    ...PROVIDER_OPTIONS,
    'mode',
    'sync-threshold',
    ...PUBLISHING,
    'dry-run',
    'output-dir',
    'repo',
    'verbose',
    'help',
  ],
  status: ['task', 'anthropic-base-url', 'state', 'repo', 'verbose', 'help'],
  estimate: [...PLANNING, 'output-dir', 'repo', 'verbose', 'help'],
  demo: ['verbose', 'help'],
};

/** Where an input means something else on the command line than in the action. */
const CLI_DESCRIPTIONS: Record<string, string> = {
  mode: 'run (default): send every request now; auto: run now below sync-threshold requests, submit a batch above.',
};

/** Defaults the command line sets itself: collect and status look at every task's submissions. */
const CLI_DEFAULTS: Partial<Record<Command, Record<string, string>>> = { collect: { task: 'all' }, status: { task: 'all' } };

export function helpText(command?: Command): string {
  const lines: string[] = [];
  if (!command) {
    lines.push(
      'overnight: Claude code review through the Message Batches API, at half the price.',
      '',
      'Usage: overnight <command> [options]',
      '',
      'Commands:',
    );
    for (const c of COMMANDS) lines.push(`  ${c.padEnd(9)} ${COMMAND_HELP[c]}`);
    lines.push(
      '',
      "Run 'overnight <command> --help' (or -h) for its options; 'overnight --version' prints the version.",
      'Environment: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY.',
    );
    return lines.join('\n');
  }
  lines.push(`overnight ${command}: ${COMMAND_HELP[command]}`, '', 'Options:');
  for (const name of COMMAND_OPTIONS[command]) {
    const input = INPUTS.find((i) => i.name === name);
    const local = LOCAL_FLAGS[name as keyof typeof LOCAL_FLAGS];
    const description = CLI_DESCRIPTIONS[name] ?? input?.description ?? local?.description ?? '';
    const fallback = CLI_DEFAULTS[command]?.[name] ?? (CLI_DESCRIPTIONS[name] ? '' : input?.default);
    lines.push(`  --${name.padEnd(20)} ${description}${fallback ? ` (default: ${fallback})` : ''}`);
  }
  lines.push('', 'Exit codes: 0 done or nothing to do, 1 error, 2 bad usage, 3 still pending after --wait.');
  return lines.join('\n');
}

function makeLogger(io: CliIO, verbose: boolean, secrets: string[]): Logger {
  // Repository and model text in a line must not drive the terminal (escape sequences) nor show a key.
  const mask = (text: string): string => escapeTerminalText(maskSecrets(text, secrets));
  return {
    debug: (m) => {
      if (verbose) io.err(mask(`debug: ${m}`));
    },
    info: (m) => io.out(mask(m)),
    warning: (m) => io.err(mask(`warning: ${m}`)),
    error: (m) => io.err(mask(`error: ${m}`)),
  };
}

interface Parsed {
  command: Command;
  config: Config;
  local: { state?: string; outputDir?: string; repo?: string; verbose: boolean; help: boolean; sarifPathGiven?: boolean };
}

async function parseCommandLine(argv: string[], io: CliIO): Promise<Parsed | { help: string }> {
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') return { help: helpText() };
  if (first === '--version' || first === '-V') return { help: `overnight ${await packageVersion()}` };
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new UsageError(`unknown command '${first}'; use one of ${COMMANDS.join(', ')} (overnight --help)`);
  }
  const command = first as Command;
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const i of INPUTS) if (!i.actionOnly) options[i.name] = { type: 'string' };
  for (const [name, spec] of Object.entries(LOCAL_FLAGS)) options[name] = { type: 'boolean' in spec ? 'boolean' : 'string' };
  options['dry-run'] = { type: 'boolean' };
  const short: Record<string, string> = { '-h': '--help' };
  // `--max-files -5`: parseArgs refuses a value that starts with '-' as ambiguous. A negative number
  // is never a flag, so pass it on as the value and let the input's own check say what is wrong.
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = short[rest[i]!] ?? rest[i]!;
    const next = rest[i + 1];
    // --verify / --no-verify are switches on the command line, `verify: true|false` in the action.
    if (arg === '--no-verify' || (arg === '--verify' && (next === undefined || next.startsWith('-')))) {
      args.push(`--verify=${arg === '--verify'}`);
      continue;
    }
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : null;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else if (name && options[name]?.type === 'string' && (next === undefined || /^(--[a-z]|-[a-zA-Z]$)/.test(next))) {
      // `--since --output-dir x`: the value was forgotten (parseArgs would call it "ambiguous").
      throw new UsageError(`--${name} needs a value; see 'overnight ${command} --help'`);
    } else args.push(arg);
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options, allowPositionals: false, strict: true }));
  } catch (error) {
    const message = (error as Error).message
      .split('\n')[0]!
      .replace(/\. To specify.*$/, '')
      .replace(/\.$/, '');
    throw new UsageError(`${message}; see 'overnight ${command} --help'`);
  }
  if (values.help) return { help: helpText(command) };
  // An option the command does not read would be silently ignored: refuse it instead.
  const given = Object.keys(values).filter((name) => values[name] !== undefined);
  const foreign = given.filter((name) => !COMMAND_OPTIONS[command].includes(name));
  if (foreign.length > 0) {
    const list = foreign.map((name) => `--${name}`).join(', ');
    throw new UsageError(
      `${list} ${foreign.length === 1 ? 'does' : 'do'} not apply to ${command}; see 'overnight ${command} --help'`,
    );
  }
  const raw: Record<string, string> = {};
  for (const i of INPUTS) {
    const v = values[i.name];
    if (typeof v === 'string') raw[i.name] = v;
  }
  if (values['dry-run'] === true) raw['dry-run'] = 'true';
  if (typeof values.wait === 'string') raw['wait-minutes'] = values.wait;
  if (command === 'estimate') raw['dry-run'] = 'true';
  raw.mode = command === 'run' ? (raw.mode ?? 'run') : command === 'collect' || command === 'status' ? 'collect' : 'submit';
  if ((command === 'collect' || command === 'status') && raw.task === undefined) raw.task = '';
  const config = parseConfig(raw, io.env);
  return {
    command,
    config,
    local: {
      ...(typeof values.state === 'string' ? { state: values.state } : {}),
      ...(typeof values['output-dir'] === 'string' ? { outputDir: values['output-dir'] } : {}),
      ...(typeof values.repo === 'string' ? { repo: values.repo } : {}),
      verbose: values.verbose === true,
      help: false,
      sarifPathGiven: typeof values['sarif-path'] === 'string',
    },
  };
}

/** Builds the engine's dependencies for a local run. */
export async function cliDeps(
  config: Config,
  local: Parsed['local'],
  io: CliIO,
  log: Logger,
  command?: Command,
): Promise<EngineDeps> {
  const [{ FileStateStore }, { StateSigner }, { GITHUB_TARGETS }, { createOctokit }, { BatchClient }, { FileLedgerStore }] =
    await Promise.all([
      import('../state/file-store.js'),
      import('../state/signing.js'),
      import('../reports/index.js'),
      import('../github/octokit.js'),
      import('../batch/client.js'),
      import('../state/ledger.js'),
    ]);
  // SARIF alone needs no token: without one the file is only written.
  const NEEDS_TOKEN = new Set<ReportTarget>([...GITHUB_TARGETS].filter((t) => t !== 'sarif'));
  const cwd = resolve(io.cwd, local.repo ?? '.');
  const home = join(cwd, '.overnight');
  const outputDir = resolve(io.cwd, local.outputDir ?? join(home, 'results'));
  // The SARIF file goes with the other results unless --sarif-path names a place.
  config.sarifPath = resolve(io.cwd, local.sarifPathGiven ? config.sarifPath : join(outputDir, config.sarifPath));
  if (local.state && (command === 'collect' || command === 'status')) {
    // A typo in --state is not "nothing to collect".
    const found = await stat(resolve(io.cwd, local.state)).catch(() => null);
    if (!found?.isFile())
      throw new ConfigError(`--state ${local.state}: no such state file; submit writes one, or leave --state out`);
  }
  const signer = StateSigner.forRun(config);
  const store = new FileStateStore({
    dir: join(home, 'states'),
    file: local.state ? resolve(io.cwd, local.state) : undefined,
    resultsDir: outputDir,
    signer,
    log,
  });
  let github: GitHubContext | null = null;
  const wantsGitHub = (config.report ?? []).some((t) => NEEDS_TOKEN.has(t));
  const serverUrl = io.env.GITHUB_SERVER_URL || 'https://github.com';
  // Posting needs GITHUB_REPOSITORY itself (the contract: a token alone in the shell posts nothing);
  // a GitHub origin only makes the findings' links.
  const postTo = io.env.GITHUB_REPOSITORY || '';
  const repository = postTo || (await githubOrigin(cwd, serverUrl)) || '';
  const token = config.githubToken || io.env.GITHUB_TOKEN || '';
  // SARIF is uploaded when a token and GITHUB_REPOSITORY are there; without them it is only written.
  if (wantsGitHub || ((config.report ?? []).includes('sarif') && token && postTo)) {
    if (!token || !/^[^/]+\/[^/]+$/.test(postTo)) {
      throw new ConfigError(
        '--report names a GitHub target: set GITHUB_TOKEN and GITHUB_REPOSITORY=owner/name, or report to files only',
      );
    }
    const [owner, repo] = postTo.split('/') as [string, string];
    github = {
      octokit: createOctokit({ token, baseUrl: io.env.GITHUB_API_URL || 'https://api.github.com', log }),
      owner,
      repo,
      serverUrl,
      readOnly: false,
    };
  }
  const context: RunContext = {
    event: 'cli',
    repository: repository || basename(cwd),
    serverUrl,
    cwd,
    pullRequest: null,
    ref: null,
    runLabel: `cli pid ${process.pid}`,
    outputDir,
  };
  // The submit's full plan: written fresh on every run (the printed plan says where).
  const planFile = join(outputDir, 'plan.md');
  const clock = io.clock;
  return {
    log,
    now: clock?.now ?? (() => new Date()),
    anthropic: () => {
      if (!config.apiKey)
        throw new ConfigError('ANTHROPIC_API_KEY is not set; export it (or run `overnight demo`, which needs no key)');
      return new BatchClient({
        apiKey: config.apiKey,
        baseURL: config.baseUrl || undefined,
        log,
        ...(clock ? { retry: { sleep: clock.sleep } } : {}),
      });
    },
    provider: cloudProvider(config, { log, ...(clock ? { sleep: clock.sleep } : {}) }),
    store,
    // Next to the states: .overnight/ledger.json (the month's spending, for monthly-budget-usd).
    ledger: new FileLedgerStore(join(home, 'ledger.json'), signer, log),
    github,
    context,
    setOutput: () => undefined,
    jobSummary: async (markdown) => {
      await mkdir(outputDir, { recursive: true });
      await writeFile(planFile, `${markdown}\n`);
      return planFile;
    },
  };
}

/** Runs one CLI invocation; returns the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let secrets: string[] = [
    io.env.ANTHROPIC_API_KEY ?? '',
    io.env.GITHUB_TOKEN ?? '',
    io.env.OVERNIGHT_NOTIFY_URL ?? '',
    io.env.OVERNIGHT_STATE_KEY ?? '',
  ];
  let log = makeLogger(io, false, secrets);
  try {
    const parsed = await parseCommandLine(argv, io);
    if ('help' in parsed) {
      io.out(parsed.help);
      return 0;
    }
    const { command, config, local } = parsed;
    secrets = [...secrets, config.apiKey, config.githubToken, config.stateSigningKey, ...notifySecrets(config.notifyUrl)];
    log = makeLogger(io, local.verbose, secrets);
    // The engine (SDK, Octokit, secret scanner, emulator) loads only for a command that needs it:
    // --help and bad usage answer from this module alone (the cold-start figure in bench/).
    if (command === 'demo') return await (await import('./demo.js')).runDemo(io, log);
    const deps = await cliDeps(config, local, io, log, command);
    if (command !== 'status') await keepOutOfGit(join(deps.context.cwd, '.overnight'));
    const outputs: Record<string, string> = {};
    if (io.progress) deps.progress = io.progress.stage;
    deps.setOutput = (name, value) => {
      outputs[name] = String(value);
    };
    switch (command) {
      case 'submit':
      case 'estimate': {
        const { submit } = await import('../engine/submit.js');
        await submit(config, deps);
        break;
      }
      case 'run': {
        const [{ run }, { failedReportLines }, { severityGateLine }, { plural }] = await Promise.all([
          import('../engine/run.js'),
          import('../engine/collect.js'),
          import('../engine/publish.js'),
          import('../reports/format.js'),
        ]);
        const result = await run(config, deps);
        if (result.collected?.results) {
          printWhereReportsWent([{ results: result.collected.results, reports: result.collected.reports ?? [] }], outputs, io);
        }
        await saveOutputs(deps, outputs, result.collected !== null);
        const collected = result.collected?.results;
        if (collected && collected.succeeded === 0 && collected.failures.length > 0) {
          // Nothing came back at all (an unreachable API, a refused key): the run failed, report or not.
          log.error(`every request failed (${plural(collected.failures.length, 'request')}): ${collected.failures[0]!.reason}`);
          return 1;
        }
        const failed = failedReportLines([result.collected]);
        if (failed.length > 0) {
          for (const line of failed) log.error(line);
          return 1;
        }
        const gate = collected ? severityGateLine([{ results: collected }], config) : null;
        if (gate) {
          log.error(gate);
          return 1;
        }
        break;
      }
      case 'collect': {
        const [{ collect, failedReportLines }, { severityGateLine }] = await Promise.all([
          import('../engine/collect.js'),
          import('../engine/publish.js'),
        ]);
        const result = await collect(config, deps);
        // One report per published round (submissions of one night are merged into one round).
        printWhereReportsWent(result.rounds, outputs, io);
        await saveOutputs(deps, outputs, result.rounds.length > 0);
        const unpublished = result.states.filter((s) => s.status === 'failed');
        if (unpublished.length > 0) {
          for (const line of failedReportLines(unpublished)) log.error(`${line} (the next collect tries again)`);
          return 1;
        }
        const gate = severityGateLine(result.rounds, config);
        if (gate) {
          log.error(gate);
          return 1;
        }
        if (result.status === 'pending') {
          io.out('still pending: run `overnight collect` again later (or pass --wait MINUTES)');
          return 3;
        }
        break;
      }
      case 'status': {
        const { status } = await import('../engine/status.js');
        await status(config, deps);
        break;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      // One line per problem (parseConfig names them all at once).
      for (const line of error.message.split('\n')) log.error(line);
      return 2;
    }
    const { FatalApiError } = await import('../batch/retry.js');
    if (error instanceof ConfigError || error instanceof FatalApiError) {
      log.error(error.message);
      return 1;
    }
    log.error(`${(error as Error).message ?? String(error)}`);
    if (io.env.OVERNIGHT_DEBUG) io.err((error as Error).stack ?? '');
    return 1;
  } finally {
    io.progress?.stop();
  }
}
