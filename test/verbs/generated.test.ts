/**
 * action.yml, actions/<verb>/action.yml, the README's verbs overview and the usage in docs/<verb>.md and docs/actions.md
 * are what `npm run gen` writes from src/verbs.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generate, strayActions } from '../../scripts/gen.mjs';
import { VERBS, type VerbSpec } from '../../src/verbs/index.js';
import { tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');
const files = generate(VERBS);

describe('npm run gen', () => {
  it('writes the root action, one action per verb that has one, the README and one page per verb', () => {
    expect(Object.keys(files).sort()).toEqual(
      [
        'README.md',
        'action.yml',
        'actions/audit/action.yml',
        'actions/cost/action.yml',
        'actions/promote/action.yml',
        'actions/train/action.yml',
        'actions/validate/action.yml',
        'docs/actions.md',
        ...VERBS.map((v) => `docs/${v.name}.md`),
      ].sort(),
    );
    expect(strayActions(VERBS)).toEqual([]);
  });

  it.each(Object.keys(files))('%s is up to date with src/verbs (run `npm run gen` and commit)', (file) => {
    expect(readFileSync(path.join(ROOT, file), 'utf8'), `${file} is stale: run \`npm run gen\``).toBe(files[file]);
  });

  it('keeps the steps of actions/train around the generated run step', () => {
    const steps = parse(files['actions/train/action.yml']!).runs.steps as { id?: string; if?: string }[];
    expect(steps.map((s) => s.id ?? s.if)).toEqual([
      'gpu',
      "steps.gpu.outputs.install == 'true'",
      "steps.gpu.outputs.install == 'true'",
      'cuda',
      "steps.cuda.outputs.install == 'true'",
      "steps.cuda.outputs.install == 'true'",
      'doctor',
      'run',
      'report',
      'cancelled()',
    ]);
  });

  it('follows a change of the spec into every file that shows it', () => {
    const validate = VERBS.find((v) => v.name === 'validate')!;
    const changed: VerbSpec = {
      ...validate,
      inputs: { ...validate.inputs, 'update-lock': { ...validate.inputs['update-lock']!, description: 'Changed.' } },
    };
    const next = generate(VERBS.map((v) => (v === validate ? changed : v)));
    expect(parse(next['actions/validate/action.yml']!).inputs['update-lock'].description).toBe('Changed.');
    expect(parse(next['action.yml']!).inputs['update-lock'].description).toBe('validate — changed.');
    expect(next['docs/validate.md']).toContain('| `update-lock` | no | `false` | Changed. |');
    expect(next['docs/actions.md']).toContain('| `update-lock` | no | `false` | validate — changed. |');
  });

  it('starts a page for a new verb from its summary, and names a page that lost its markers', () => {
    const root = tempDir('tfaml-gen-');
    for (const f of ['README.md', 'docs', 'scripts/actions'])
      cpSync(path.join(ROOT, f), path.join(root, f), { recursive: true });
    const doctor = VERBS.find((v) => v.name === 'doctor')!;
    const fresh: VerbSpec = {
      ...doctor,
      name: 'explain',
      summary: 'say why a finding is there',
      inputs: {},
      outputs: {},
    };
    const next = generate([...VERBS, fresh], root);
    expect(next['docs/explain.md']).toMatch(
      /^# tfaml explain\n\nSay why a finding is there\.\n\n<!-- usage:start -->\n/,
    );
    expect(next['docs/explain.md']).toContain('    command: explain\n');
    expect(next['README.md']).toContain('| [`tfaml explain`](docs/explain.md) | say why a finding is there |');
    writeFileSync(path.join(root, 'docs/lock.md'), '# tfaml lock\n\nNo markers.\n');
    expect(() => generate(VERBS, root)).toThrow(
      'docs/lock.md needs the markers <!-- usage:start --> and <!-- usage:end -->, in that order',
    );
  });

  it('refuses an input two verbs read unless the spec says how the root action words it', () => {
    const lock = VERBS.find((v) => v.name === 'lock')!;
    const twice: VerbSpec = {
      ...lock,
      inputs: { ...lock.inputs, target: { type: 'string', description: 'Elsewhere.' } },
    };
    expect(() => generate(VERBS.map((v) => (v === lock ? twice : v)))).toThrow(/target: read by lock, train/);
  });
});
