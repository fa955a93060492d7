// The example workflows (.github/workflows/overnight-*.yml, and the README's yaml blocks) are what
// users copy. Each is run here as GitHub would schedule it: every trigger in its `on:` (each cron of a
// schedule apart, every combination of a manual dispatch's choices, a pull request), each job's `if:`
// and matrix evaluated, and what reaches the action checked:
// - every task value it can be given is one the action's input validation accepts for that mode;
// - no trigger starts a submit and a collect at once (the collect would find nothing, or race it);
// - each job is granted exactly the permissions its modes, tasks and reports need, no more, no less;
// - every `uses:` of this action points where it should (`./` after a checkout here, the released
//   major in the README), and every input it sets exists in action.yml.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../src/config.js';
import { getTask } from '../src/tasks/index.js';
import { TASK_NAMES, type ReportTarget, type TaskName } from '../src/types.js';
import { ROOT } from './helpers/runner.js';

type Level = 'read' | 'write';
type Permissions = Record<string, Level>;
interface Step {
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Permissions;
  strategy?: { matrix?: { task?: string[] | string } };
  steps?: Step[];
}
interface DispatchInput {
  type?: string;
  options?: string[];
  default?: string;
}
interface Workflow {
  on?: Record<string, unknown> | string[] | string;
  permissions?: Permissions;
  jobs?: Record<string, Job>;
}
interface Example {
  where: string;
  workflow: Workflow;
  /** Which examples are used together (this repository's workflows are one setup; a README block stands alone). */
  setup: string;
}

const action = parse(readFileSync(`${ROOT}/action.yml`, 'utf8')) as { inputs: Record<string, unknown> };
const major = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string }).version.split('.')[0];
const REPOSITORY = 'acme/shop';

function examples(): Example[] {
  const dir = `${ROOT}/.github/workflows`;
  const found: Example[] = readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => ({
      where: `.github/workflows/${f}`,
      workflow: parse(readFileSync(`${dir}/${f}`, 'utf8')) as Workflow,
      setup: 'repo',
    }));
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  let n = 0;
  for (const block of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    n += 1;
    const workflow = parse(block[1]!) as Workflow;
    if (workflow && typeof workflow === 'object' && workflow.jobs)
      found.push({ where: `README.md yaml block ${n}`, workflow, setup: `readme-${n}` });
  }
  return found;
}

const isOvernight = (step: Step): boolean => step.uses === './' || /^overnight-dev\/overnight@/.test(step.uses ?? '');
const overnightJobs = (workflow: Workflow): [string, Job][] =>
  Object.entries(workflow.jobs ?? {}).filter(([, job]) => (job.steps ?? []).some(isOvernight));

/** One way a workflow is started: the event and what its expressions see. */
interface Trigger {
  label: string;
  github: Record<string, unknown>;
  inputs: Record<string, string>;
}

function triggersOf(workflow: Workflow): Trigger[] {
  const on =
    typeof workflow.on === 'string'
      ? { [workflow.on]: null }
      : Array.isArray(workflow.on)
        ? Object.fromEntries(workflow.on.map((e) => [e, null]))
        : (workflow.on ?? {});
  const triggers: Trigger[] = [];
  const base = { repository: REPOSITORY };
  for (const [event, spec] of Object.entries(on)) {
    if (event === 'schedule') {
      for (const { cron } of spec as { cron: string }[]) {
        triggers.push({
          label: `schedule '${cron}'`,
          github: { ...base, event_name: 'schedule', event: { schedule: cron } },
          inputs: {},
        });
      }
    } else if (event === 'workflow_dispatch') {
      const declared = ((spec as { inputs?: Record<string, DispatchInput> } | null)?.inputs ?? {}) as Record<
        string,
        DispatchInput
      >;
      let combos: Record<string, string>[] = [{}];
      for (const [name, input] of Object.entries(declared)) {
        // A free-text `since` may be typed as `last` (the watermark, which reads earlier states).
        const typed = name === 'since' ? ['last'] : [];
        const values =
          input.type === 'choice'
            ? (input.options ?? [])
            : input.type === 'boolean'
              ? ['true', 'false']
              : [String(input.default ?? ''), ...typed];
        combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [name]: value })));
      }
      for (const inputs of combos) {
        triggers.push({
          label: `workflow_dispatch ${JSON.stringify(inputs)}`,
          github: { ...base, event_name: 'workflow_dispatch', event: { inputs } },
          inputs,
        });
      }
    } else if (event === 'pull_request' || event === 'pull_request_target') {
      const pullRequest = { draft: false, head: { repo: { full_name: REPOSITORY } } };
      triggers.push({ label: event, github: { ...base, event_name: event, event: { pull_request: pullRequest } }, inputs: {} });
    } else {
      triggers.push({ label: event, github: { ...base, event_name: event, event: {} }, inputs: {} });
    }
  }
  return triggers;
}

/**
 * Evaluates a GitHub Actions expression (`${{ }}` optional) over the contexts given: the operators
 * and functions the examples use (==, !=, !, &&, ||, parentheses, fromJSON, format), with JavaScript's
 * semantics, which are GitHub's for these. Only this repository's own files are evaluated.
 */
function evaluate(expression: string, contexts: Record<string, unknown>): unknown {
  const body = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const js = body.replace(/([!=])=/g, '$1==').replace(/\bfromJSON\(/g, 'JSON.parse(');
  const format = (template: string, ...args: unknown[]): string =>
    template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  const names = Object.keys(contexts);
  return new Function(...names, 'format', `return (${js});`)(...names.map((n) => contexts[n]), format);
}

/** A `with:` value as the action receives it: expressions replaced by what they evaluate to. */
function substitute(value: unknown, contexts: Record<string, unknown>): string {
  return String(value).replace(/\$\{\{([\s\S]*?)\}\}/g, (_, inner: string) => String(evaluate(inner, contexts) ?? ''));
}

/** A run of this action a trigger starts: its job and the inputs it is given. */
interface ActionRun {
  job: string;
  inputs: Record<string, string>;
}

function runsOf(workflow: Workflow, trigger: Trigger): ActionRun[] {
  const runs: ActionRun[] = [];
  const secrets = new Proxy({}, { get: (_, name) => `secret-${String(name)}` });
  for (const [name, job] of overnightJobs(workflow)) {
    const contexts = { github: trigger.github, inputs: trigger.inputs, secrets, steps: {} };
    if (job.if !== undefined && !evaluate(job.if, contexts)) continue;
    const matrix = job.strategy?.matrix?.task;
    const tasks: (string | undefined)[] =
      matrix === undefined ? [undefined] : typeof matrix === 'string' ? (evaluate(matrix, contexts) as string[]) : matrix;
    for (const task of tasks) {
      const withMatrix = { ...contexts, matrix: { task } };
      for (const step of job.steps ?? []) {
        if (!isOvernight(step)) continue;
        if (step.if !== undefined && !/\bsteps\./.test(step.if) && !evaluate(step.if, withMatrix)) continue;
        const inputs: Record<string, string> = {};
        for (const [key, value] of Object.entries(step.with ?? {})) inputs[key] = substitute(value, withMatrix);
        runs.push({ job: name, inputs });
      }
    }
  }
  return runs;
}

const modeOf = (run: ActionRun): string => run.inputs['mode'] ?? 'submit';
const tasksOfRun = (run: ActionRun): TaskName[] => {
  const task = run.inputs['task'] ?? 'code-review';
  return task === 'all' && modeOf(run) === 'collect' ? [...TASK_NAMES] : [task as TaskName];
};

function union(target: Permissions, scopes: Permissions): void {
  for (const [scope, level] of Object.entries(scopes)) if (target[scope] !== 'write') target[scope] = level;
}

/** What a report target writes with the token. */
const REPORT_NEEDS: Record<ReportTarget, Permissions> = {
  issue: { issues: 'write' },
  'pr-review': { 'pull-requests': 'write' },
  'pr-comment': { 'pull-requests': 'write' },
  sarif: { 'security-events': 'write' },
  'pull-request': { contents: 'write', 'pull-requests': 'write' },
  summary: {},
  artifact: {},
};

/**
 * The permissions one run needs. submit: read the code; `since: last` (the default) reads earlier
 * state artifacts, except on a pull request where `since` is ignored; on a pull request, the check
 * run. collect: read the code and the state artifacts, and what each report of the submissions it
 * may pick up writes (a task submitted on pull requests in the same setup: their reports and check run).
 */
function needs(run: ActionRun, event: string, prTasks: ReadonlySet<string>): Permissions {
  const need: Permissions = { contents: 'read' };
  // A cloud provider's credentials come from the job's OIDC token (configure-aws-credentials, google-github-actions/auth).
  if (run.inputs['provider'] === 'bedrock' || run.inputs['provider'] === 'vertex') need['id-token'] = 'write';
  const pullRequest = event === 'pull_request' || event === 'pull_request_target';
  if (modeOf(run) === 'submit') {
    // A dry run writes nothing to GitHub but the job summary.
    if (pullRequest && run.inputs['dry-run'] !== 'true') need['checks'] = 'write';
    else if ((run.inputs['since'] ?? 'last') === 'last' || run.inputs['since'] === '') need['actions'] = 'read';
    return need;
  }
  need['actions'] = 'read';
  const report = run.inputs['report'];
  for (const task of tasksOfRun(run)) {
    const definition = getTask(task);
    const targets = new Set<ReportTarget>(
      report ? (report.split(',').map((t) => t.trim()) as ReportTarget[]) : definition.defaultReports({ pullRequest: false }),
    );
    if (prTasks.has(task)) {
      if (!report) for (const target of definition.defaultReports({ pullRequest: true })) targets.add(target);
      need['checks'] = 'write';
    }
    for (const target of targets) union(need, REPORT_NEEDS[target]);
  }
  return need;
}

describe('the example workflows', () => {
  const all = examples();
  const simulated = all.map((example) => ({
    ...example,
    triggers: triggersOf(example.workflow).map((trigger) => ({ trigger, runs: runsOf(example.workflow, trigger) })),
  }));
  /** Tasks each setup submits on pull requests. */
  const prTasks = new Map<string, Set<string>>();
  for (const { setup, triggers } of simulated) {
    for (const { trigger, runs } of triggers) {
      if (!String(trigger.github['event_name']).startsWith('pull_request')) continue;
      for (const run of runs)
        if (modeOf(run) === 'submit')
          for (const task of tasksOfRun(run)) (prTasks.get(setup) ?? prTasks.set(setup, new Set()).get(setup)!).add(task);
    }
  }

  it('are all found, a docs-update example among them', () => {
    expect(all.filter((e) => e.where.startsWith('.github/workflows/overnight-')).length).toBe(7);
    expect(all.filter((e) => e.where.startsWith('README')).length).toBe(7);
    const tasks = new Set(simulated.flatMap((e) => e.triggers.flatMap((t) => t.runs.flatMap(tasksOfRun))));
    expect([...tasks].sort()).toEqual([...TASK_NAMES].sort());
  });

  it('give the action only task values its input validation accepts for the mode', () => {
    for (const { where, triggers } of simulated) {
      for (const { trigger, runs } of triggers) {
        for (const run of runs) {
          const label = `${where} on ${trigger.label}, job ${run.job}`;
          expect(() => parseConfig({ ...run.inputs, 'github-token': 'ghs_x' }, {}), label).not.toThrow();
        }
      }
    }
  });

  it('never start a submit and a collect on the same trigger, and every job runs on some trigger', () => {
    for (const { where, workflow, triggers } of simulated) {
      for (const { trigger, runs } of triggers) {
        const modes = new Set(runs.map(modeOf));
        expect(modes.has('submit') && modes.has('collect'), `${where} on ${trigger.label}: ${[...modes].join(' and ')}`).toBe(
          false,
        );
      }
      for (const [name] of overnightJobs(workflow)) {
        expect(
          triggers.some((t) => t.runs.some((r) => r.job === name)),
          `${where} job ${name} never runs`,
        ).toBe(true);
      }
    }
  });

  it('grant each job exactly the permissions its runs need', () => {
    for (const { where, workflow, triggers, setup } of simulated) {
      expect(JSON.stringify(workflow.permissions ?? {}), where).not.toContain('"actions":"write"');
      for (const [name, job] of overnightJobs(workflow)) {
        const granted = job.permissions ?? workflow.permissions;
        const label = `${where} job ${name}`;
        // Undeclared means the repository's default token permissions, possibly every write scope.
        expect(granted, `${label}: no permissions declared`).toBeDefined();
        const needed: Permissions = {};
        for (const { trigger, runs } of triggers) {
          for (const run of runs.filter((r) => r.job === name))
            union(needed, needs(run, String(trigger.github['event_name']), prTasks.get(setup) ?? new Set()));
        }
        expect(granted, label).toEqual(needed);
      }
    }
  });

  it('check out with persist-credentials: false (no later step finds the token in .git/config)', () => {
    for (const { where, workflow } of all) {
      for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
        for (const step of job.steps ?? []) {
          if (!step.uses?.startsWith('actions/checkout@')) continue;
          expect(step.with?.['persist-credentials'], `${where} job ${name}`).toBe(false);
        }
      }
    }
  });

  it('point every use of this action at the checkout (here) or the released major (README), with inputs action.yml declares', () => {
    for (const { where, workflow } of all) {
      for (const [name, job] of overnightJobs(workflow)) {
        const steps = job.steps ?? [];
        steps.forEach((step, index) => {
          if (!isOvernight(step)) return;
          const label = `${where} job ${name}`;
          if (where.startsWith('.github')) {
            expect(step.uses, label).toBe('./');
            // `./` is the checked-out repository: a checkout must come first.
            expect(
              steps.slice(0, index).some((s) => s.uses?.startsWith('actions/checkout@')),
              `${label}: no checkout before ./`,
            ).toBe(true);
          } else {
            expect(step.uses, label).toBe(`overnight-dev/overnight@v${major}`);
          }
          for (const input of Object.keys(step.with ?? {}))
            expect(Object.keys(action.inputs), `${label}: input ${input}`).toContain(input);
        });
      }
    }
  });
});
