/** actions/train/action.yml declares what train reads and sets, and passes inputs through env only. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';

const ROOT = path.resolve(__dirname, '../..');
const action = parse(readFileSync(path.join(ROOT, 'actions/train/action.yml'), 'utf8'));

describe('actions/train/action.yml', () => {
  it('declares the inputs train reads (plus gpu, read by the action itself) and the outputs it sets', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...COMMANDS.train!.inputs, 'gpu'].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...COMMANDS.train!.outputs].sort());
  });

  it('never puts ${{ }} inside run:, uses $GITHUB_ACTION_PATH, pins tfjs-node-gpu 4.22.0', () => {
    for (const step of action.runs.steps) if (step.run) expect(step.run).not.toContain('${{');
    const run = action.runs.steps.find((s: { id?: string }) => s.id === 'run');
    for (const name of COMMANDS.train!.inputs)
      expect(run.env[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
    expect(run.env.INPUT_COMMAND).toBe('train');
    expect(run.run).toContain('node "$GITHUB_ACTION_PATH/../../dist/index.js"');
    expect(JSON.stringify(action.runs.steps)).toContain('@tensorflow/tfjs-node-gpu@4.22.0');
    expect(JSON.stringify(action.runs.steps)).not.toMatch(/uses: \.\//);
  });
});
