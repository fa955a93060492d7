// action.yml is what users read and what the runner reads: it must declare every input the engine
// parses (same names, same defaults), every output PRODUCT.md promises, and run the bundle on node24.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { INPUTS } from '../src/config.js';
import { ROOT } from './helpers/runner.js';

const action = parse(readFileSync(`${ROOT}/action.yml`, 'utf8')) as {
  inputs: Record<string, { description: string; default: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
  branding: unknown;
};

describe('action.yml', () => {
  it('declares every input with a description and the default the engine uses', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(INPUTS.map((i) => i.name).sort());
    for (const input of INPUTS) {
      expect(action.inputs[input.name]!.default, input.name).toBe(input.default);
      expect(action.inputs[input.name]!.description.length, input.name).toBeGreaterThan(10);
    }
  });

  it('declares the outputs of the product contract', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      [
        'status',
        'batch-ids',
        'request-count',
        'estimated-cost-usd',
        'cost-usd',
        'savings-usd',
        'input-tokens',
        'output-tokens',
        'cache-read-tokens',
        'cache-write-tokens',
        'findings-count',
        'failed-count',
        'issue-url',
        'pull-request-url',
        'sarif-path',
        'results-path',
      ].sort(),
    );
  });

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.branding).toBeTruthy();
  });

  it('is documented input by input in the README', () => {
    const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
    // A table row per input (Prettier pads the cells).
    for (const input of INPUTS) expect(readme, input.name).toMatch(new RegExp(`^\\| \`${input.name}\` +\\|`, 'm'));
  });
});

// The workflows of this repository and the README's examples are what users copy: each job gets only
// the token permissions its mode and tasks need (never `actions: write`: artifacts are uploaded with the
// runner's own token), and no checkout leaves the token in .git/config for later steps to find.
type Level = 'read' | 'write';
type Permissions = Record<string, Level>;
interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Permissions | Record<string, never>;
  strategy?: { matrix?: { task?: string[] } };
  steps?: Step[];
}
interface Workflow {
  permissions?: Permissions;
  jobs?: Record<string, Job>;
}

const FINDINGS: Permissions = { contents: 'read', actions: 'read', issues: 'write', 'pull-requests': 'write' };
const FILES: Permissions = { contents: 'write', actions: 'read', 'pull-requests': 'write' };
/** The most a collect of each task may need (PR submissions of the task included). */
const COLLECT: Record<string, Permissions> = {
  'code-review': FINDINGS,
  'refactor-validation': FINDINGS,
  'security-scan': { ...FINDINGS, 'security-events': 'write' },
  'test-generation': FILES,
  'docs-update': FILES,
};
const TASKS = Object.keys(COLLECT);

function union(...sets: Permissions[]): Permissions {
  const all: Permissions = {};
  for (const set of sets) for (const [scope, level] of Object.entries(set)) if (all[scope] !== 'write') all[scope] = level;
  return all;
}

const isOvernight = (step: Step): boolean => step.uses === './' || /^overnight-dev\/overnight@/.test(step.uses ?? '');

/** The tasks a job's overnight steps may run: a literal, the matrix, or the task names its `if` allows. */
function tasksOf(job: Job, step: Step): string[] {
  const task = String(step.with?.['task'] ?? 'code-review');
  if (task === 'all') return TASKS;
  if (task === '${{ matrix.task }}') return job.strategy?.matrix?.task ?? [];
  if (task.startsWith('${{')) return TASKS.filter((t) => job.if?.includes(`'${t}'`));
  return [task];
}

function workflows(): { where: string; workflow: Workflow }[] {
  const dir = `${ROOT}/.github/workflows`;
  const found = readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => ({ where: `.github/workflows/${f}`, workflow: parse(readFileSync(`${dir}/${f}`, 'utf8')) as Workflow }));
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  let n = 0;
  for (const block of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const workflow = parse(block[1]!) as Workflow;
    n += 1;
    if (workflow && typeof workflow === 'object' && workflow.jobs) found.push({ where: `README.md yaml block ${n}`, workflow });
  }
  return found;
}

describe('workflows and the README examples', () => {
  const all = workflows();

  it('are all found (this repository has 8 workflows; the README shows 6)', () => {
    expect(all.filter((w) => w.where.startsWith('.github')).length).toBe(8);
    expect(all.filter((w) => w.where.startsWith('README')).length).toBe(6);
  });

  it('check out with persist-credentials: false', () => {
    for (const { where, workflow } of all) {
      for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
        for (const step of job.steps ?? []) {
          if (!step.uses?.startsWith('actions/checkout@')) continue;
          expect(step.with?.['persist-credentials'], `${where} job ${name}`).toBe(false);
        }
      }
    }
  });

  it('give each job running overnight only the permissions its mode and tasks need', () => {
    const rank = (level: Level | undefined): number => (level === 'write' ? 2 : level === 'read' ? 1 : 0);
    for (const { where, workflow } of all) {
      expect(JSON.stringify(workflow.permissions ?? {}), where).not.toContain('"actions":"write"');
      for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
        const steps = (job.steps ?? []).filter(isOvernight);
        if (steps.length === 0) continue;
        const granted = (job.permissions ?? workflow.permissions) as Permissions | undefined;
        const label = `${where} job ${name}`;
        // Undeclared means the repository's default token permissions, possibly every write scope.
        expect(granted, `${label}: no permissions declared`).toBeDefined();
        let allowed: Permissions = {};
        const required: Permissions = {};
        for (const step of steps) {
          const mode = String(step.with?.['mode'] ?? 'auto');
          // A cloud provider's credentials come from the OIDC token (configure-aws-credentials).
          if (step.with?.['provider'] === 'bedrock') allowed = union(allowed, { 'id-token': 'write' });
          if (mode === 'submit') {
            allowed = union(allowed, { contents: 'read', actions: 'read' });
            required['contents'] = 'read';
          } else {
            expect(mode, label).toBe('collect');
            const tasks = tasksOf(job, step);
            expect(tasks.length, `${label}: which tasks?`).toBeGreaterThan(0);
            allowed = union(allowed, ...tasks.map((t) => COLLECT[t]!));
            Object.assign(required, { contents: 'read', actions: 'read' });
          }
        }
        for (const [scope, level] of Object.entries(granted!)) {
          expect(rank(level), `${label}: ${scope}: ${level} is more than it needs`).toBeLessThanOrEqual(rank(allowed[scope]));
        }
        for (const [scope, level] of Object.entries(required)) {
          expect(rank(granted![scope]), `${label}: needs ${scope}: ${level}`).toBeGreaterThanOrEqual(rank(level));
        }
      }
    }
  });
});
