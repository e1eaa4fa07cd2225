/** Docs that must match the code: the README's rule table, and the action's declared inputs and outputs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';
import { RULES } from '../src/findings.js';

const ROOT = path.resolve(__dirname, '..');

describe('README', () => {
  it('lists exactly the rule ids the code reports, with the same descriptions', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('<!-- rules:start -->'), readme.indexOf('<!-- rules:end -->'));
    const rows = [...table.matchAll(/^\| ([a-z]+\/[a-z-]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(RULES));
  });

  it('documents every action exactly as its action.yml declares it (node scripts/gen-readme.mjs)', async () => {
    const { updateReadme } = await import('../scripts/gen-readme.mjs');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(updateReadme(readme), 'README.md is stale: run `node scripts/gen-readme.mjs`').toBe(readme);
  });

  it('keeps the two quick-start commands', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});

describe('actions/validate/action.yml', () => {
  const action = parse(readFileSync(path.join(ROOT, 'actions/validate/action.yml'), 'utf8'));
  it('declares exactly the inputs validate reads and the outputs it sets', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...COMMANDS.validate!.inputs].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...COMMANDS.validate!.outputs].sort());
  });
  it('passes every input through env as INPUT_*, never ${{ }} inside run:', () => {
    const step = action.runs.steps[0];
    expect(step.run).not.toContain('${{');
    for (const name of COMMANDS.validate!.inputs) expect(step.env[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
    expect(step.env.INPUT_COMMAND).toBe('validate');
    expect(step.run).toContain('node "$GITHUB_ACTION_PATH/../../dist/index.js"');
  });
});

describe('action.yml (root)', () => {
  it('declares every input and output of every command', () => {
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    const inputs = new Set(Object.values(COMMANDS).flatMap((c) => c.inputs));
    const outputs = new Set(Object.values(COMMANDS).flatMap((c) => c.outputs));
    expect(Object.keys(action.inputs).sort()).toEqual(['command', ...inputs].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...outputs].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
