import { createRequire as __overnightCreateRequire } from 'node:module';
const require = __overnightCreateRequire(import.meta.url);
import {
  INPUTS,
  notifySecrets,
  parseConfig
} from "./chunk-RSZAWMOX.js";
import {
  cloudProvider
} from "./chunk-DNB6I4O3.js";
import {
  escapeLogText,
  escapeTerminalText,
  maskSecrets
} from "./chunk-2Y3VZYX5.js";
import {
  ConfigError,
  UsageError
} from "./chunk-7KZNXQQH.js";

// src/cli/terminal.ts
var PROGRESS_AFTER_MS = 2e3;
function terminalProgress(write, now = Date.now, every = (ms, tick) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}) {
  const started = now();
  let stage = null;
  let shown = false;
  let cancel = null;
  const render = () => {
    const elapsed = now() - started;
    if (!stage || elapsed < PROGRESS_AFTER_MS) return;
    write(`\r\x1B[K${stage}\u2026 ${Math.floor(elapsed / 1e3)}s`);
    shown = true;
  };
  const clear = () => {
    if (shown) write("\r\x1B[K");
    shown = false;
  };
  return {
    stage: (text) => {
      stage = escapeLogText(text);
      cancel ??= every(500, render);
      render();
    },
    clear,
    stop: () => {
      cancel?.();
      cancel = null;
      stage = null;
      clear();
    }
  };
}
function processLines(streams = process) {
  const gone = /* @__PURE__ */ new Set();
  for (const stream of [streams.stdout, streams.stderr]) {
    stream.on("error", (error) => {
      if (error.code !== "EPIPE") throw error;
      gone.add(stream);
    });
  }
  const write = (stream, raw) => {
    if (!gone.has(stream)) stream.write(raw);
  };
  const progress = streams.stderr.isTTY ? terminalProgress((raw) => write(streams.stderr, raw)) : void 0;
  const line = (stream) => (text) => {
    progress?.clear();
    write(stream, `${text}
`);
  };
  return { out: line(streams.stdout), err: line(streams.stderr), ...progress ? { progress } : {} };
}

// src/cli/index.ts
import { parseArgs } from "node:util";
import { basename, join as join2, resolve } from "node:path";
import { mkdir as mkdir2, stat, writeFile as writeFile2 } from "node:fs/promises";

// src/cli/environment.ts
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
async function packageVersion() {
  for (const relativePath of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(await readFile(fileURLToPath(new URL(relativePath, import.meta.url)), "utf8"));
      if (pkg.name === "overnight-review" && pkg.version) return pkg.version;
    } catch {
    }
  }
  return "unknown";
}
async function githubOrigin(cwd, serverUrl) {
  const url = await new Promise((done) => {
    execFile(
      "git",
      ["-C", cwd, "remote", "get-url", "origin"],
      { timeout: 1e4 },
      (error, stdout) => done(error ? "" : stdout.trim())
    );
  });
  let host;
  try {
    host = new URL(serverUrl).host.replace(/[.]/g, "\\.");
  } catch {
    return null;
  }
  const match = new RegExp(
    `^(?:https://(?:[^@/]+@)?${host}/|ssh://git@${host}/|git@${host}:)([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)(?:\\.git)?/?$`
  ).exec(url);
  return match ? `${match[1]}/${match[2]}` : null;
}

// src/cli/local-files.ts
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
async function keepOutOfGit(home) {
  await mkdir(home, { recursive: true });
  await writeFile(join(home, ".gitignore"), "*\n", { flag: "wx" }).catch((error) => {
    if (error.code !== "EEXIST") throw error;
  });
}
function printWhereReportsWent(rounds, outputs, io) {
  for (const round of rounds) io.out(`report: ${join(dirname(round.results.resultsPath), "report.md")}`);
  const told = rounds.some((round) => round.reports.some((r) => r.target === "sarif"));
  if (outputs["sarif-path"] && !told) io.out(`sarif: SARIF written to ${outputs["sarif-path"]}`);
}
async function saveOutputs(deps, outputs, published) {
  if (!published) return;
  await writeFile(join(deps.context.outputDir, "outputs.json"), JSON.stringify(outputs, null, 2)).catch(() => void 0);
}

// src/cli/index.ts
var COMMANDS = ["submit", "collect", "run", "status", "estimate", "demo"];
var LOCAL_FLAGS = {
  state: { description: "State file (default: every file in .overnight/states)." },
  wait: {
    description: "Collect: poll a batch still in progress for up to this many minutes (same as --wait-minutes; default 0: look once). Still pending then: exit 3."
  },
  "output-dir": { description: "Where reports and results are written (default .overnight/results)." },
  repo: { description: "The repository to review (default: the current directory)." },
  verbose: { description: "Show debug lines.", boolean: true },
  help: { description: "Show help (also -h).", boolean: true }
};
var COMMAND_HELP = {
  submit: "Gather the changed files, send them as a batch (half price) and save the state.",
  collect: "Check saved batches; for those that ended, write the report (exit 3 if still pending after --wait).",
  run: "Send the requests through the interactive API now (full price, no waiting) and write the report.",
  status: "Show every saved submission and where its batches stand.",
  estimate: "Plan and price a submit without sending anything (same as submit --dry-run).",
  demo: "Build a sample repository, start the bundled API emulator, submit and collect, show the report."
};
var PLANNING = [
  "task",
  "since",
  "include",
  "exclude",
  "max-files",
  "max-file-bytes",
  "context-files",
  "instructions",
  "model",
  "max-output-tokens",
  "max-cost-usd",
  "budget-strict",
  "monthly-budget-usd",
  "deliver-by",
  "price-overrides",
  "anthropic-base-url"
];
var PUBLISHING = [
  "report",
  "min-severity",
  "min-confidence",
  "verify",
  "fail-on-severity",
  "max-findings",
  "issue-labels",
  "sarif-path",
  "min-first-pass-rate",
  "notify-url"
];
var PROVIDER_OPTIONS = [
  "provider",
  "aws-region",
  "bedrock-bucket",
  "bedrock-prefix",
  "bedrock-role-arn",
  "bedrock-min-records",
  "gcp-project",
  "gcp-location",
  "vertex-bucket",
  "vertex-prefix",
  "state-signing-key"
];
var COMMAND_OPTIONS = {
  submit: [...PLANNING, ...PROVIDER_OPTIONS, "dry-run", "state", "output-dir", "repo", "verbose", "help"],
  collect: [
    "task",
    "batch-id",
    "wait",
    "wait-minutes",
    "max-retries",
    "max-cost-usd",
    "budget-strict",
    "monthly-budget-usd",
    ...PUBLISHING,
    "price-overrides",
    "anthropic-base-url",
    ...PROVIDER_OPTIONS,
    "state",
    "output-dir",
    "repo",
    "verbose",
    "help"
  ],
  run: [
    ...PLANNING,
    ...PROVIDER_OPTIONS,
    "mode",
    "sync-threshold",
    ...PUBLISHING,
    "dry-run",
    "output-dir",
    "repo",
    "verbose",
    "help"
  ],
  status: ["task", "anthropic-base-url", "state", "repo", "verbose", "help"],
  estimate: [...PLANNING, "output-dir", "repo", "verbose", "help"],
  demo: ["verbose", "help"]
};
var CLI_DESCRIPTIONS = {
  mode: "run (default): send every request now; auto: run now below sync-threshold requests, submit a batch above."
};
var CLI_DEFAULTS = { collect: { task: "all" }, status: { task: "all" } };
function helpText(command) {
  const lines = [];
  if (!command) {
    lines.push(
      "overnight: Claude code review through the Message Batches API, at half the price.",
      "",
      "Usage: overnight <command> [options]",
      "",
      "Commands:"
    );
    for (const c of COMMANDS) lines.push(`  ${c.padEnd(9)} ${COMMAND_HELP[c]}`);
    lines.push(
      "",
      "Run 'overnight <command> --help' (or -h) for its options; 'overnight --version' prints the version.",
      "Environment: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY."
    );
    return lines.join("\n");
  }
  lines.push(`overnight ${command}: ${COMMAND_HELP[command]}`, "", "Options:");
  for (const name of COMMAND_OPTIONS[command]) {
    const input = INPUTS.find((i) => i.name === name);
    const local = LOCAL_FLAGS[name];
    const description = CLI_DESCRIPTIONS[name] ?? input?.description ?? local?.description ?? "";
    const fallback = CLI_DEFAULTS[command]?.[name] ?? (CLI_DESCRIPTIONS[name] ? "" : input?.default);
    lines.push(`  --${name.padEnd(20)} ${description}${fallback ? ` (default: ${fallback})` : ""}`);
  }
  lines.push("", "Exit codes: 0 done or nothing to do, 1 error, 2 bad usage, 3 still pending after --wait.");
  return lines.join("\n");
}
function makeLogger(io, verbose, secrets) {
  const mask = (text) => escapeTerminalText(maskSecrets(text, secrets));
  return {
    debug: (m) => {
      if (verbose) io.err(mask(`debug: ${m}`));
    },
    info: (m) => io.out(mask(m)),
    warning: (m) => io.err(mask(`warning: ${m}`)),
    error: (m) => io.err(mask(`error: ${m}`))
  };
}
async function parseCommandLine(argv, io) {
  const [first, ...rest] = argv;
  if (!first || first === "--help" || first === "-h" || first === "help") return { help: helpText() };
  if (first === "--version" || first === "-V") return { help: `overnight ${await packageVersion()}` };
  if (!COMMANDS.includes(first)) {
    throw new UsageError(`unknown command '${first}'; use one of ${COMMANDS.join(", ")} (overnight --help)`);
  }
  const command = first;
  const options = {};
  for (const i of INPUTS) if (!i.actionOnly) options[i.name] = { type: "string" };
  for (const [name, spec] of Object.entries(LOCAL_FLAGS)) options[name] = { type: "boolean" in spec ? "boolean" : "string" };
  options["dry-run"] = { type: "boolean" };
  const short = { "-h": "--help" };
  const args = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = short[rest[i]] ?? rest[i];
    const next = rest[i + 1];
    if (arg === "--no-verify" || arg === "--verify" && (next === void 0 || next.startsWith("-"))) {
      args.push(`--verify=${arg === "--verify"}`);
      continue;
    }
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : null;
    if (name && options[name]?.type === "string" && next !== void 0 && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else if (name && options[name]?.type === "string" && (next === void 0 || /^(--[a-z]|-[a-zA-Z]$)/.test(next))) {
      throw new UsageError(`--${name} needs a value; see 'overnight ${command} --help'`);
    } else args.push(arg);
  }
  let values;
  try {
    ({ values } = parseArgs({ args, options, allowPositionals: false, strict: true }));
  } catch (error) {
    const message = error.message.split("\n")[0].replace(/\. To specify.*$/, "").replace(/\.$/, "");
    throw new UsageError(`${message}; see 'overnight ${command} --help'`);
  }
  if (values.help) return { help: helpText(command) };
  const given = Object.keys(values).filter((name) => values[name] !== void 0);
  const foreign = given.filter((name) => !COMMAND_OPTIONS[command].includes(name));
  if (foreign.length > 0) {
    const list = foreign.map((name) => `--${name}`).join(", ");
    throw new UsageError(
      `${list} ${foreign.length === 1 ? "does" : "do"} not apply to ${command}; see 'overnight ${command} --help'`
    );
  }
  const raw = {};
  for (const i of INPUTS) {
    const v = values[i.name];
    if (typeof v === "string") raw[i.name] = v;
  }
  if (values["dry-run"] === true) raw["dry-run"] = "true";
  if (typeof values.wait === "string") raw["wait-minutes"] = values.wait;
  if (command === "estimate") raw["dry-run"] = "true";
  raw.mode = command === "run" ? raw.mode ?? "run" : command === "collect" || command === "status" ? "collect" : "submit";
  if ((command === "collect" || command === "status") && raw.task === void 0) raw.task = "";
  const config = parseConfig(raw, io.env);
  return {
    command,
    config,
    local: {
      ...typeof values.state === "string" ? { state: values.state } : {},
      ...typeof values["output-dir"] === "string" ? { outputDir: values["output-dir"] } : {},
      ...typeof values.repo === "string" ? { repo: values.repo } : {},
      verbose: values.verbose === true,
      help: false,
      sarifPathGiven: typeof values["sarif-path"] === "string"
    }
  };
}
async function cliDeps(config, local, io, log, command) {
  const [{ FileStateStore }, { StateSigner }, { GITHUB_TARGETS }, { createOctokit }, { BatchClient }, { FileLedgerStore }] = await Promise.all([
    import("./file-store-UIXCY4FW.js"),
    import("./signing-V3PH77N6.js"),
    import("./reports-ZS6JCQCX.js"),
    import("./octokit-GEZMKJ2K.js"),
    import("./client-T4WAC5DY.js"),
    import("./ledger-SPMPSSHL.js")
  ]);
  const NEEDS_TOKEN = new Set([...GITHUB_TARGETS].filter((t) => t !== "sarif"));
  const cwd = resolve(io.cwd, local.repo ?? ".");
  const home = join2(cwd, ".overnight");
  const outputDir = resolve(io.cwd, local.outputDir ?? join2(home, "results"));
  config.sarifPath = resolve(io.cwd, local.sarifPathGiven ? config.sarifPath : join2(outputDir, config.sarifPath));
  if (local.state && (command === "collect" || command === "status")) {
    const found = await stat(resolve(io.cwd, local.state)).catch(() => null);
    if (!found?.isFile())
      throw new ConfigError(`--state ${local.state}: no such state file; submit writes one, or leave --state out`);
  }
  const signer = StateSigner.forRun(config);
  const store = new FileStateStore({
    dir: join2(home, "states"),
    file: local.state ? resolve(io.cwd, local.state) : void 0,
    resultsDir: outputDir,
    signer,
    log
  });
  let github = null;
  const wantsGitHub = (config.report ?? []).some((t) => NEEDS_TOKEN.has(t));
  const serverUrl = io.env.GITHUB_SERVER_URL || "https://github.com";
  const postTo = io.env.GITHUB_REPOSITORY || "";
  const repository = postTo || await githubOrigin(cwd, serverUrl) || "";
  const token = config.githubToken || io.env.GITHUB_TOKEN || "";
  if (wantsGitHub || (config.report ?? []).includes("sarif") && token && postTo) {
    if (!token || !/^[^/]+\/[^/]+$/.test(postTo)) {
      throw new ConfigError(
        "--report names a GitHub target: set GITHUB_TOKEN and GITHUB_REPOSITORY=owner/name, or report to files only"
      );
    }
    const [owner, repo] = postTo.split("/");
    github = {
      octokit: createOctokit({ token, baseUrl: io.env.GITHUB_API_URL || "https://api.github.com", log }),
      owner,
      repo,
      serverUrl,
      readOnly: false
    };
  }
  const context = {
    event: "cli",
    repository: repository || basename(cwd),
    serverUrl,
    cwd,
    pullRequest: null,
    ref: null,
    runLabel: `cli pid ${process.pid}`,
    outputDir
  };
  const planFile = join2(outputDir, "plan.md");
  const clock = io.clock;
  return {
    log,
    now: clock?.now ?? (() => /* @__PURE__ */ new Date()),
    anthropic: () => {
      if (!config.apiKey)
        throw new ConfigError("ANTHROPIC_API_KEY is not set; export it (or run `overnight demo`, which needs no key)");
      return new BatchClient({
        apiKey: config.apiKey,
        baseURL: config.baseUrl || void 0,
        log,
        ...clock ? { retry: { sleep: clock.sleep } } : {}
      });
    },
    provider: cloudProvider(config, { log, ...clock ? { sleep: clock.sleep } : {} }),
    store,
    // Next to the states: .overnight/ledger.json (the month's spending, for monthly-budget-usd).
    ledger: new FileLedgerStore(join2(home, "ledger.json"), signer, log),
    github,
    context,
    setOutput: () => void 0,
    jobSummary: async (markdown) => {
      await mkdir2(outputDir, { recursive: true });
      await writeFile2(planFile, `${markdown}
`);
      return planFile;
    }
  };
}
async function runCli(argv, io) {
  let secrets = [
    io.env.ANTHROPIC_API_KEY ?? "",
    io.env.GITHUB_TOKEN ?? "",
    io.env.OVERNIGHT_NOTIFY_URL ?? "",
    io.env.OVERNIGHT_STATE_KEY ?? ""
  ];
  let log = makeLogger(io, false, secrets);
  try {
    const parsed = await parseCommandLine(argv, io);
    if ("help" in parsed) {
      io.out(parsed.help);
      return 0;
    }
    const { command, config, local } = parsed;
    secrets = [...secrets, config.apiKey, config.githubToken, config.stateSigningKey, ...notifySecrets(config.notifyUrl)];
    log = makeLogger(io, local.verbose, secrets);
    if (command === "demo") return await (await import("./demo-SE7IMLG6.js")).runDemo(io, log);
    const deps = await cliDeps(config, local, io, log, command);
    if (command !== "status") await keepOutOfGit(join2(deps.context.cwd, ".overnight"));
    const outputs = {};
    if (io.progress) deps.progress = io.progress.stage;
    deps.setOutput = (name, value) => {
      outputs[name] = String(value);
    };
    switch (command) {
      case "submit":
      case "estimate": {
        const { submit } = await import("./submit-6QGPMOEO.js");
        await submit(config, deps);
        break;
      }
      case "run": {
        const [{ run }, { failedReportLines }, { severityGateLine }, { plural }] = await Promise.all([
          import("./run-Q4R42MPK.js"),
          import("./collect-46SEA75I.js"),
          import("./publish-TRLATWFG.js"),
          import("./format-773GTUQO.js")
        ]);
        const result = await run(config, deps);
        if (result.collected?.results) {
          printWhereReportsWent([{ results: result.collected.results, reports: result.collected.reports ?? [] }], outputs, io);
        }
        await saveOutputs(deps, outputs, result.collected !== null);
        const collected = result.collected?.results;
        if (collected && collected.succeeded === 0 && collected.failures.length > 0) {
          log.error(`every request failed (${plural(collected.failures.length, "request")}): ${collected.failures[0].reason}`);
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
      case "collect": {
        const [{ collect, failedReportLines }, { severityGateLine }] = await Promise.all([
          import("./collect-46SEA75I.js"),
          import("./publish-TRLATWFG.js")
        ]);
        const result = await collect(config, deps);
        printWhereReportsWent(result.rounds, outputs, io);
        await saveOutputs(deps, outputs, result.rounds.length > 0);
        const unpublished = result.states.filter((s) => s.status === "failed");
        if (unpublished.length > 0) {
          for (const line of failedReportLines(unpublished)) log.error(`${line} (the next collect tries again)`);
          return 1;
        }
        const gate = severityGateLine(result.rounds, config);
        if (gate) {
          log.error(gate);
          return 1;
        }
        if (result.status === "pending") {
          io.out("still pending: run `overnight collect` again later (or pass --wait MINUTES)");
          return 3;
        }
        break;
      }
      case "status": {
        const { status } = await import("./status-PLWKE6E7.js");
        await status(config, deps);
        break;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      for (const line of error.message.split("\n")) log.error(line);
      return 2;
    }
    const { FatalApiError } = await import("./retry-JV6C3Q2B.js");
    if (error instanceof ConfigError || error instanceof FatalApiError) {
      log.error(error.message);
      return 1;
    }
    log.error(`${error.message ?? String(error)}`);
    if (io.env.OVERNIGHT_DEBUG) io.err(error.stack ?? "");
    return 1;
  } finally {
    io.progress?.stop();
  }
}

export {
  processLines,
  cliDeps,
  runCli
};
