// `npm run bench`: performance and cost figures of overnight, each scenario measured in its own Node
// process (its peak RSS is its own), printed as a table and written to BENCHMARKS.md with the machine
// they were measured on. `npm run bench -- --only gather,polls` runs some; `--no-write` leaves
// BENCHMARKS.md alone. The real-history figure needs a clone of honojs/hono: `--real-repo <dir>` or
// BENCH_REAL_REPO=<dir> (without it, that figure is skipped and the table says how to get the clone).
import { cpus, loadavg, totalmem } from 'node:os';
import { rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, integer, megabytes, progress, removeChildBundle, runChild, seconds, startEmulatorProcess } from './lib.js';
import { buildChangedRepo, git, type SyntheticRepo } from './synthetic.js';
import { ASSUMPTIONS, FIXED } from './notes.js';
import { REAL_REPO_HOWTO, REAL_REPOSITORY, REAL_TARGET_RATIO, REAL_WINDOWS, realRepoProblem } from './scenarios/real-history.js';
import { measureStartup } from './startup.js';

const SCENARIOS = ['gather', 'submit', 'collect', 'github', 'polls', 'cost', 'real', 'startup', 'verify'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values } = parseArgs({
  options: { only: { type: 'string' }, 'no-write': { type: 'boolean', default: false }, 'real-repo': { type: 'string' } },
});
const only = new Set(
  (values.only ?? SCENARIOS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
for (const name of only)
  if (!(SCENARIOS as readonly string[]).includes(name))
    throw new Error(`--only: unknown scenario ${name}; one of ${SCENARIOS.join(', ')}`);
const wanted = (name: Scenario): boolean => only.has(name);

interface Row {
  scenario: string;
  figure: string;
  value: string;
  target?: string;
  met?: boolean;
}
const rows: Row[] = [];
const notes: string[] = [];
const row = (r: Row): void => void rows.push(r);
const status = (r: Row): string => (r.met === undefined ? '' : r.met ? 'met' : 'NOT met');

const started = performance.now();
// Other processes on the machine slow every wall time (and shift when V8 collects): said with the figures.
const loadAtStart = loadavg()[0]!;
// Everything the scenarios write (repositories, states, results, spooled downloads) goes under one
// directory, removed at the end: children inherit TMPDIR, and os.tmpdir() reads it on every call.
const scratch = await mkdtemp(join(tmpdir(), 'overnight-bench-'));
process.env.TMPDIR = scratch;
const baseline = await runChild('noop', {});
row({
  scenario: '0 baseline',
  figure: 'peak RSS of a child that only loads the engine (bundled, as dist/ is)',
  value: megabytes(baseline.peakRssMB),
});

let repo10k: SyntheticRepo | null = null;
const cleanups: string[] = [];

// 1. gather + plan + serialise
if (wanted('gather') || wanted('collect')) {
  for (const files of wanted('gather') ? [1_000, 10_000, 50_000] : [10_000]) {
    progress(`gather: building a repository with ${integer(files)} changed files`);
    const buildStart = performance.now();
    const repo = await buildChangedRepo(files);
    const buildMs = performance.now() - buildStart;
    if (files === 10_000) repo10k = repo;
    else cleanups.push(repo.dir);
    if (!wanted('gather')) continue;
    const r = await runChild('gather', { dir: repo.dir, baseSha: repo.baseSha });
    const target = files === 10_000 ? 10_000 : files === 50_000 ? 60_000 : undefined;
    row({
      scenario: `1 gather ${integer(files)} files`,
      figure: `wall time (prepareWork ${seconds(r.preparedMs as number)}, serialise ${seconds(r.serialiseMs as number)}; ${integer(r.requests as number)} requests, state ${(r.stateMB as number).toFixed(1)} MB; repo built in ${seconds(buildMs)})`,
      value: seconds(r.totalMs as number),
      ...(target ? { target: `< ${seconds(target)}`, met: (r.totalMs as number) < target } : {}),
    });
    row({ scenario: `1 gather ${integer(files)} files`, figure: 'peak RSS', value: megabytes(r.peakRssMB) });
  }
}

// 2. submit of 100,000 requests over 256 MB
if (wanted('submit')) {
  const emulator = await startEmulatorProcess();
  try {
    const r = await runChild('submit', { baseUrl: emulator.url, requests: 100_000, repoDir: REPO_ROOT });
    const batches = r.batches as number[];
    const valid = batches.every((n) => n <= 100_000) && batches.reduce((a, b) => a + b, 0) === 100_000;
    row({
      scenario: '2 submit 100,000 requests',
      figure: `batches created (${(r.serialisedMB as number).toFixed(0)} MB serialised; the emulator enforces 100,000 requests / 256 MB)`,
      value: batches.map(integer).join(' + '),
      target: 'all accepted',
      met: valid,
    });
    row({
      scenario: '2 submit 100,000 requests',
      figure: `time: plan ${seconds(r.prepareMs as number)} (not counted), split ${seconds(r.splitMs as number)}, create`,
      value: seconds(r.sendMs as number),
    });
    row({
      scenario: '2 submit 100,000 requests',
      figure: `peak RSS (of which the planned requests: ${megabytes(r.prepareRssMB as number)})`,
      value: megabytes(r.peakRssMB),
    });
  } finally {
    await emulator.stop();
  }
}

// 3. collect of 10,000 and 100,000 results
if (wanted('collect') && repo10k) {
  const emulator = await startEmulatorProcess();
  const rss: Record<number, number> = {};
  try {
    const headSha = repo10k.headSha;
    for (const results of [10_000, 100_000]) {
      const workDir = await mkdtemp(join(tmpdir(), 'overnight-bench-collect-'));
      cleanups.push(workDir);
      const setup = await runChild('collect-setup', {
        baseUrl: emulator.url,
        repoDir: repo10k.dir,
        headSha,
        baseSha: repo10k.baseSha,
        files: 10_000,
        results,
        workDir,
      });
      const r = await runChild('collect', { baseUrl: emulator.url, repoDir: repo10k.dir, workDir });
      // The size of the results stream the collect read, fetched again from the emulator.
      const response = await fetch(`${emulator.url}/v1/messages/batches/${setup.batchId as string}/results`, {
        headers: { 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' },
      });
      let bytes = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
      rss[results] = r.peakRssMB;
      row({
        scenario: `3 collect ${integer(results)} results`,
        figure: `wall time (stream ${integer(bytes / 1024 / 1024)} MB; ${integer(r.findings as number)} findings kept, report.md ${(r.reportMdMB as number).toFixed(1)} MB)`,
        value: seconds(r.totalMs as number),
      });
      row({
        scenario: `3 collect ${integer(results)} results`,
        figure: 'peak RSS',
        value: megabytes(r.peakRssMB),
        ...(results === 100_000 ? { target: '< 300 MB', met: r.peakRssMB < 300 } : {}),
      });
    }
    const growth = rss[100_000]! / rss[10_000]!;
    row({ scenario: '3 collect', figure: 'RSS(100k) / RSS(10k)', value: growth.toFixed(2), target: '< 1.5', met: growth < 1.5 });
  } finally {
    await emulator.stop();
  }
}
if (repo10k) cleanups.push(repo10k.dir);

// 4. GitHub requests for 1,000 findings
if (wanted('github')) {
  const r = await runChild('github', { findings: 1_000, outside: 100 });
  type Published = {
    requests: { total: number; reads: number; writes: number; byRoute: Record<string, number> };
    reviews: number;
    ms: number;
  };
  const issue = r.issue as Published;
  const pull = r.pull as Published;
  const routes = (p: Published) =>
    Object.entries(p.requests.byRoute)
      .map(([k, v]) => `${v}× ${k}`)
      .join(', ');
  row({
    scenario: '4 GitHub, issue (1,000 findings)',
    figure: `writes (${routes(issue)}); reads ${issue.requests.reads}`,
    value: String(issue.requests.writes),
    target: '≤ 5',
    met: issue.requests.writes <= 5,
  });
  const inline = r.inline as number;
  // + 1 sticky comment for what is off the diff, + 1 check run (issue 15: the verdict on the PR).
  const allowed = Math.ceil(inline / 30) + 2;
  row({
    scenario: `4 GitHub, PR (${integer(inline)} inline + ${integer(1_000 - inline)} off-diff)`,
    figure: `writes (${routes(pull)}); reads ${pull.requests.reads}`,
    value: String(pull.requests.writes),
    target: `≤ ${allowed} (⌈${inline}/30⌉ reviews + 1 sticky + 1 check run)`,
    met: pull.requests.writes <= allowed,
  });
}

// 5. polls while waiting
if (wanted('polls')) {
  const r = await runChild('polls', {});
  const hour = r.oneHour as { polls: number };
  const day = r.oneDay as { polls: number };
  row({
    scenario: '5 polls, batch ending after 1 h',
    figure: 'status calls (waitForEnd defaults: 30 s ×1.5 up to 30 min)',
    value: String(hour.polls),
  });
  row({
    scenario: '5 polls, batch ending after 24 h',
    figure: 'status calls',
    value: String(day.polls),
    target: '< 100',
    met: day.polls < 100,
  });
}

// 6. cost per reviewed change
let costSection = '';
if (wanted('cost')) {
  const r = await runChild('cost', {});
  type Night = Record<string, number | string | boolean>;
  const sections: string[] = [];
  const configurations: [string, Night[], boolean][] = [
    [`with project context (${r.contextDoc as string} as context-files, both sides)`, r.nightsWithContext as Night[], true],
    ['instructions only (no context-files)', r.nights as Night[], false],
  ];
  for (const [name, nights, judged] of configurations) {
    const total = (key: string) => nights.reduce((n, x) => n + (x[key] as number), 0);
    const files = total('files');
    const ratio = total('overnightUsd') / total('naiveUsd');
    const cachedNights = nights.filter((n) => n.cached).length;
    const readShare =
      nights.reduce((n, x) => n + (x.cacheReadShare as number) * (x.overnightInputTokens as number), 0) /
      total('overnightInputTokens');
    const label = `6 cost, ${name}`;
    row({
      scenario: `${label}: ${nights.length} nights / ${integer(files)} files`,
      figure: 'overnight per reviewed file (batch, caching as planned, hunks, packing)',
      value: `$${(total('overnightUsd') / files).toFixed(4)} · ${integer((total('overnightInputTokens') + total('overnightOutputTokens')) / files)} tokens`,
    });
    row({
      scenario: label,
      figure: 'naive per reviewed file (interactive, whole file, no caching)',
      value: `$${(total('naiveUsd') / files).toFixed(4)} · ${integer((total('naiveInputTokens') + total('naiveOutputTokens')) / files)} tokens`,
    });
    row(
      judged
        ? { scenario: label, figure: 'ratio overnight / naive', value: ratio.toFixed(3), target: '≤ 0.35', met: ratio <= 0.35 }
        : {
            scenario: label,
            figure: 'ratio overnight / naive (not judged: see "What the figures assume")',
            value: ratio.toFixed(3),
          },
    );
    row({
      scenario: label,
      figure: `of which: batch price ${(total('naiveBatchUsd') / total('naiveUsd')).toFixed(2)}, hunks+packing ${(total('overnightNoCacheUsd') / total('naiveBatchUsd')).toFixed(2)}, caching ${(total('overnightUsd') / total('overnightNoCacheUsd')).toFixed(2)}`,
      value: '',
    });
    row({
      scenario: label,
      figure: `expected cache hit rate (nights cached: ${cachedNights} of ${nights.length}; hit probability per later request ${r.hitRate as number})`,
      value: `${(readShare * 100).toFixed(1)}% of input tokens`,
    });
    sections.push(
      [
        `### Cost per night, ${name} (${r.model as string}${r.shallow ? '; this clone is shallow: only the history it holds was replayed' : ''})`,
        '',
        '| night | files | requests | overnight | naive | ratio | prefix tokens | cached |',
        '|---|---:|---:|---:|---:|---:|---:|---|',
        ...nights.map(
          (n) =>
            `| ${n.label} | ${n.files} | ${n.requests} | $${(n.overnightUsd as number).toFixed(4)} | $${(n.naiveUsd as number).toFixed(4)} | ${((n.overnightUsd as number) / (n.naiveUsd as number)).toFixed(2)} | ${n.prefixTokens} | ${n.cached ? 'yes' : 'no'} |`,
        ),
      ].join('\n'),
    );
  }
  costSection = sections.join('\n\n');
}

// 7. cost on a real repository's history (pinned windows of honojs/hono)
let realSection = '';
if (wanted('real')) {
  const realRepo = values['real-repo'] ?? process.env.BENCH_REAL_REPO;
  const problem = realRepo ? await realRepoProblem(realRepo) : 'no clone given (--real-repo or BENCH_REAL_REPO)';
  if (problem) {
    row({
      scenario: `7 cost, real history (${REAL_REPOSITORY.name})`,
      figure: `skipped: ${problem}; ${REAL_REPO_HOWTO}`,
      value: '',
    });
  } else {
    const r = await runChild('real', { repoDir: realRepo });
    type RealNight = Record<string, number | string | boolean>;
    const nights = r.nights as RealNight[];
    const scenario = '7 cost, real history';
    for (const n of nights) {
      const ratio = (n.overnightUsd as number) / (n.naiveUsd as number);
      row({
        scenario: `${scenario}: ${n.label as string}, ${n.files as number} files`,
        figure: `${REAL_REPOSITORY.name} at ${REAL_REPOSITORY.head.slice(0, 8)}: ratio overnight / naive ($${(n.overnightUsd as number).toFixed(4)} / $${(n.naiveUsd as number).toFixed(4)}; batch ${((n.naiveBatchUsd as number) / (n.naiveUsd as number)).toFixed(2)}, context+packing ${((n.overnightNoCacheUsd as number) / (n.naiveBatchUsd as number)).toFixed(2)}, caching ${((n.overnightUsd as number) / (n.overnightNoCacheUsd as number)).toFixed(2)})`,
        value: ratio.toFixed(3),
        target: `≤ ${REAL_TARGET_RATIO.toFixed(2)}`,
        met: ratio <= REAL_TARGET_RATIO,
      });
    }
    realSection = [
      `### Cost per window, real history (${REAL_REPOSITORY.name}, head ${REAL_REPOSITORY.head}, ${r.model as string}, no context-files)`,
      '',
      'Each window is reviewed as one night: the files changed between its base and the pinned head.',
      '',
      '| window | base | files | requests | overnight | naive | ratio | input tokens (overnight / naive) | prefix tokens | cached |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
      ...nights.map(
        (n) =>
          `| ${n.label as string} | ${(n.base as string).slice(0, 8)} | ${n.files as number} | ${n.requests as number} | $${(n.overnightUsd as number).toFixed(4)} | $${(n.naiveUsd as number).toFixed(4)} | ${((n.overnightUsd as number) / (n.naiveUsd as number)).toFixed(3)} | ${integer(n.overnightInputTokens as number)} / ${integer(n.naiveInputTokens as number)} | ${n.prefixTokens as number} | ${n.cached ? 'yes' : 'no'} |`,
      ),
    ].join('\n');
  }
}

// 8. start-up: the CLI's --help against a bare Node (dist/cli.js as built: `npm run build` first)
if (wanted('startup')) {
  progress('startup: node dist/cli.js --help and node -e 0, 10 runs each');
  const r = measureStartup(join(REPO_ROOT, 'dist', 'cli.js'));
  const ratio = r.helpMs / r.bareMs;
  row({
    scenario: '8 start-up, node dist/cli.js --help',
    figure: `cold start / bare node -e 0 (median of 10: ${Math.round(r.helpMs)} ms / ${Math.round(r.bareMs)} ms)`,
    value: ratio.toFixed(2),
    target: '≤ 2',
    met: ratio <= 2,
  });
  row({
    scenario: '8 start-up, node dist/cli.js --help',
    figure: 'JavaScript loaded (dist/cli.js and its static chunks)',
    value: `${(r.helpBytes / 1024).toFixed(0)} KB`,
  });
}

// 9. the verification round's extra cost per night (security-scan on the pinned windows of honojs/hono)
if (wanted('verify')) {
  const realRepo = values['real-repo'] ?? process.env.BENCH_REAL_REPO;
  const problem = realRepo ? await realRepoProblem(realRepo) : 'no clone given (--real-repo or BENCH_REAL_REPO)';
  if (problem) {
    row({ scenario: '9 verification round', figure: `skipped: ${problem}; ${REAL_REPO_HOWTO}`, value: '' });
  } else {
    progress('verify: security-scan nights of the real history, with the verification round');
    const r = await runChild('verify', { repoDir: realRepo });
    type VerifiedNight = {
      label: string;
      files: number;
      findings: number;
      verified: number;
      requests: number;
      firstPassUsd: number;
      verificationUsd: number;
    };
    for (const n of r.nights as VerifiedNight[]) {
      const share = n.firstPassUsd > 0 ? n.verificationUsd / n.firstPassUsd : 0;
      row({
        scenario: `9 verification round: ${n.label}, ${n.files} files`,
        figure: `security-scan, emulator model: ${n.findings} findings, ${n.verified} verified in ${n.requests} requests; extra cost / first pass ($${n.verificationUsd.toFixed(4)} / $${n.firstPassUsd.toFixed(4)}${n.verified > 0 ? `; $${(n.verificationUsd / n.verified).toFixed(4)} per verified finding` : ''})`,
        value: `${(share * 100).toFixed(1)}%`,
      });
    }
  }
}

for (const dir of cleanups) await rm(dir, { recursive: true, force: true });
await rm(scratch, { recursive: true, force: true });
await removeChildBundle();
const totalMs = performance.now() - started;

// ---- output ---------------------------------------------------------------------------------------
const header = ['scenario', 'figure', 'value', 'target', 'status'];
const table = rows.map((r) => [r.scenario, r.figure, r.value, r.target ?? '', status(r)]);
const widths = header.map((h, i) => Math.min(i === 1 ? 90 : 60, Math.max(h.length, ...table.map((t) => t[i]!.length))));
const pad = (cells: string[]) =>
  cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ');
console.log(pad(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const t of table) console.log(pad(t));
console.log(`\n${rows.filter((r) => r.met === false).length} target(s) not met; bench took ${seconds(totalMs)}`);

if (!values['no-write']) {
  const cpu = cpus();
  const head = await git(REPO_ROOT, ['rev-parse', '--short', 'HEAD']).catch(() => 'unknown');
  const dirty = (await git(REPO_ROOT, ['status', '--porcelain']).catch(() => '')) !== '';
  const md = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Each scenario runs in its own Node process, so every peak RSS',
    "(getrusage `ru_maxrss`) is that scenario's own; the Anthropic emulator runs in a separate process too.",
    '',
    '## Machine',
    '',
    `- CPU: ${cpu[0]?.model ?? 'unknown'} · ${cpu.length} cores`,
    `- Memory: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node ${process.version} (scenarios bundled by esbuild; the parent through tsx) · ${process.platform} ${process.arch}`,
    `- Date: ${new Date().toISOString()} · commit ${head}${dirty ? ' (with uncommitted changes)' : ''} · whole run ${seconds(totalMs)}`,
    `- Load average (1 min) at start / end: ${loadAtStart.toFixed(1)} / ${loadavg()[0]!.toFixed(1)} on ${cpu.length} cores (above the core count, other processes shared the CPU and every wall time is longer)`,
    '',
    '## Reproduce',
    '',
    '```sh',
    'npm ci',
    'npm run bench                       # all scenarios, rewrites BENCHMARKS.md',
    'npm run bench -- --only gather,cost # some of them',
    'npm run bench -- --no-write         # print only',
    '```',
    '',
    `The real-history figure (scenario 7) reads a clone of ${REAL_REPOSITORY.name} holding commit`,
    `\`${REAL_REPOSITORY.head}\` (the windows are pinned by commit: ${REAL_WINDOWS.map((w) => `${w.label} from \`${w.base.slice(0, 8)}\``).join(', ')}):`,
    '',
    '```sh',
    `git clone ${REAL_REPOSITORY.cloneUrl} /path/to/hono`,
    `git -C /path/to/hono checkout ${REAL_REPOSITORY.head}`,
    'BENCH_REAL_REPO=/path/to/hono npm run bench -- --only real   # or: npm run bench -- --real-repo /path/to/hono',
    '```',
    '',
    'Without the clone that figure is skipped (the table says so); the bench only reads the clone.',
    '',
    '## Figures',
    '',
    '| scenario | figure | value | target | status |',
    '|---|---|---:|---|---|',
    ...table.map((t) => `| ${t.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
    '',
    costSection,
    '',
    realSection,
    '',
    FIXED,
    '',
    ASSUMPTIONS,
    ...notes,
    '',
  ].join('\n');
  await writeFile(join(REPO_ROOT, 'BENCHMARKS.md'), md);
  console.log('written: BENCHMARKS.md');
}
