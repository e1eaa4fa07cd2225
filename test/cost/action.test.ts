/** actions/cost/action.yml declares exactly what cost reads and sets, and passes inputs only through env (habits 8 and 10 in docs/architecture.md). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';

const COST_INPUTS = COMMANDS.cost!.inputs;
const COST_OUTPUTS = COMMANDS.cost!.outputs;
const action = parse(readFileSync(path.resolve(__dirname, '../../actions/cost/action.yml'), 'utf8'));

describe('actions/cost/action.yml', () => {
  it('declares exactly the inputs cost reads and the outputs it sets', () => {
    expect([...COST_INPUTS]).toEqual([
      'config',
      'format',
      'base',
      'prices',
      'github-token',
      'pr-number',
      'post-comment',
      'actual-duration-s',
      'actual-from-registry',
      'report-url',
      'history',
    ]);
    expect([...COST_OUTPUTS]).toEqual(['run-usd', 'month-usd', 'change-usd', 'budget', 'comment-url', 'cost-json']);
    expect(Object.keys(action.inputs).sort()).toEqual([...COST_INPUTS].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...COST_OUTPUTS].sort());
    for (const o of COST_OUTPUTS) expect(action.outputs[o].value).toBe(`\${{ steps.run.outputs.${o} }}`);
  });
  it('passes every input through env as INPUT_*, never ${{ }} inside run:', () => {
    const step = action.runs.steps[0];
    expect(step.run).not.toContain('${{');
    expect(step.run).toContain('set -euo pipefail');
    for (const name of COST_INPUTS) expect(step.env[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
    expect(step.env.INPUT_COMMAND).toBe('cost');
    expect(step.run).toContain('node "$GITHUB_ACTION_PATH/../../dist/index.js"');
  });
});
