/** Docs that must match the code: the rule tables, the generated usage, and the action's declared inputs and outputs. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';
import { AUDIT_RULES } from '../src/audit/rules.js';
import { RULES } from '../src/core/findings.js';
import { VERBS } from '../src/verbs/index.js';

const ROOT = path.resolve(__dirname, '..');

describe('README', () => {
  it('lists exactly the rule ids the code reports, with the same descriptions', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('<!-- rules:start -->'), readme.indexOf('<!-- rules:end -->'));
    const rows = [...table.matchAll(/^\| ([a-z]+\/[a-z-]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(RULES));
  });

  it("lists exactly tfaml audit's rule ids, in their own table in docs/audit.md, with the same descriptions", () => {
    const page = readFileSync(path.join(ROOT, 'docs/audit.md'), 'utf8');
    expect(page).toContain('<!-- audit-rules:end -->');
    const table = page.slice(page.indexOf('<!-- audit-rules:start -->'), page.indexOf('<!-- audit-rules:end -->'));
    const rows = [...table.matchAll(/^\| ([a-z]+\/[a-z-]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(AUDIT_RULES));
  });

  it('documents every verb and action exactly as src/verbs declares it (npm run gen)', async () => {
    const { generate } = await import('../scripts/gen.mjs');
    const files = generate(VERBS);
    const pages = ['README.md', 'docs/actions.md', ...VERBS.map((v) => `docs/${v.name}.md`)];
    for (const file of pages)
      expect(files[file], `${file} is stale: run \`npm run gen\``).toBe(readFileSync(path.join(ROOT, file), 'utf8'));
    for (const v of VERBS) expect(files['README.md']).toContain(`[\`tfaml ${v.name}\`](docs/${v.name}.md)`);
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
    for (const name of COMMANDS.validate!.inputs)
      expect(step.env[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
    expect(step.env.INPUT_COMMAND).toBe('validate');
    expect(step.run).toContain('node "$GITHUB_ACTION_PATH/../../dist/index.js"');
  });
});

/** Inputs a composite action handles itself, before the bundle runs (they never reach the command). */
const ACTION_ONLY_INPUTS: Record<string, string[]> = Object.fromEntries(
  VERBS.map((v) => [v.name, Object.keys(v.inputs).filter((n) => v.inputs[n]!.actionOnly)]),
);

describe('every composite action matches its command (the contract)', () => {
  const verbs = readdirSync(path.join(ROOT, 'actions'));
  it('has one composite action per verb that a workflow runs', () => {
    expect(verbs.sort()).toEqual(['audit', 'cost', 'promote', 'train', 'validate']);
    expect(ACTION_ONLY_INPUTS.train).toEqual(['gpu']);
  });
  it.each(verbs)('actions/%s declares exactly the inputs its command reads and the outputs it sets', (verb) => {
    const action = parse(readFileSync(path.join(ROOT, 'actions', verb, 'action.yml'), 'utf8'));
    const cmd = COMMANDS[verb]!;
    expect(
      Object.keys(action.inputs)
        .filter((i) => !(ACTION_ONLY_INPUTS[verb] ?? []).includes(i))
        .sort(),
    ).toEqual([...cmd.inputs].sort());
    expect(Object.keys(action.outputs ?? {}).sort()).toEqual([...cmd.outputs].sort());
    const run = action.runs.steps.find((st: { id?: string }) => st.id === 'run');
    expect(run.env.INPUT_COMMAND).toBe(verb);
    for (const name of cmd.inputs)
      expect(run.env[`INPUT_${name.toUpperCase()}`], `${verb}: input ${name} reaches the bundle through env`).toBe(
        `\${{ inputs.${name} }}`,
      );
    for (const st of action.runs.steps as { run?: string }[]) if (st.run) expect(st.run).not.toMatch(/\$\{\{/);
  });
  it('every template passes only inputs the action declares', () => {
    for (const file of readdirSync(path.join(ROOT, 'workflows-templates')).filter((f) => f.endsWith('.yml'))) {
      const wf = parse(readFileSync(path.join(ROOT, 'workflows-templates', file), 'utf8'));
      for (const job of Object.values<{ steps: { uses?: string; with?: Record<string, unknown> }[] }>(wf.jobs)) {
        for (const step of job.steps) {
          const m = step.uses?.match(/^tfaml\/tfaml\/actions\/([a-z]+)@/);
          if (!m) continue;
          const action = parse(readFileSync(path.join(ROOT, 'actions', m[1]!, 'action.yml'), 'utf8'));
          for (const key of Object.keys(step.with ?? {}))
            expect(Object.keys(action.inputs), `${file}: ${m[1]} has no input ${key}`).toContain(key);
        }
      }
    }
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
