// action.yml is what users read and what the runner reads: it must declare every input the engine
// parses (same names, same defaults), every output PRODUCT.md promises, and run the bundle on node24.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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

// The workflows of this repository and the README's examples: test/example-workflows.test.ts.
