/** tfaml init on real folders: finds the Azure ML YAML, writes tfaml.yml, .gitignore and workflows, never overwrites. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { init } from '../../src/commands/init.js';
import { UsageError } from '../../src/core/errors.js';
import { classify, codeOwners } from '../../src/init/discover.js';
import { describeFailure } from '../../src/entries/main.js';
import { EXAMPLES, capture, inputs, tempDir } from '../helpers/project.js';

/** A repository as a team has it before tfaml: the example's Azure ML YAML and data, CODEOWNERS, git on `trunk`. */
function existingRepo(): string {
  const dir = tempDir('tfaml-init-');
  cpSync(path.join(EXAMPLES, 'azureml'), path.join(dir, 'azureml'), { recursive: true });
  cpSync(path.join(EXAMPLES, 'data'), path.join(dir, 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'CODEOWNERS'), '# owners\n*.py @someone\n* @acme/ml-platform @alice\n');
  writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx:1.27\n');
  execFileSync('git', ['init', '-q', '-b', 'trunk'], { cwd: dir });
  return dir;
}

describe('tfaml init', () => {
  it('lists every Azure ML file with its kind, owners from CODEOWNERS, the repository branch; then locks and validates', async () => {
    const dir = existingRepo();
    const out = capture();
    expect(await init(inputs({ dir }), out)).toBe(0);
    const yml = readFileSync(path.join(dir, 'tfaml.yml'), 'utf8');
    for (const p of [
      'azureml/environments/tf-gpu.yml',
      'azureml/data/flowers.yml',
      'azureml/compute/gpu-cluster.yml',
      'azureml/jobs/train.yml',
      'azureml/endpoints/blue.yml',
    ])
      expect(yml).toContain(`- path: ${p}`);
    expect(yml).not.toContain('docker-compose');
    expect(yml).toContain('owners: ["@acme/ml-platform", "@alice"] # from CODEOWNERS');
    expect(yml).toMatch(/promote:\n {2}branch: trunk/);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^\.tfaml\/$/m);
    const pr = readFileSync(path.join(dir, '.github/workflows/tfaml-pull-request.yml'), 'utf8');
    expect(pr).toContain('branches: [trunk]');
    expect(readFileSync(path.join(dir, '.github/workflows/tfaml-retrain.yml'), 'utf8')).toContain(
      "if: github.ref == 'refs/heads/trunk'",
    );
    expect(existsSync(path.join(dir, 'tfaml.lock'))).toBe(true);
    expect(out.stdout).toMatch(/tfaml validate: [^\n]*\n+✔ no findings in 6 files/);
    expect(out.stdout).toMatch(/Next: validate found nothing to fix\./);
    expect(out.outputs.config).toBe(path.join(dir, 'tfaml.yml'));
  });

  it('changes nothing where tfaml.yml exists (exit 2), and --force writes it again', async () => {
    const dir = existingRepo();
    await init(inputs({ dir }), capture());
    writeFileSync(path.join(dir, 'tfaml.yml'), 'version: 1\nproject: mine\n');
    const p = init(inputs({ dir }), capture());
    await expect(p).rejects.toThrow(UsageError);
    const err = await p.catch((e: unknown) => e);
    expect(describeFailure(err).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/tfaml\.yml already exists, so init changed nothing.*init --force/);
    expect(readFileSync(path.join(dir, 'tfaml.yml'), 'utf8')).toBe('version: 1\nproject: mine\n');
    expect(await init(inputs({ dir, force: 'true' }), capture())).toBe(0);
    expect(readFileSync(path.join(dir, 'tfaml.yml'), 'utf8')).toContain('- path: azureml/jobs/train.yml');
  });

  it("keeps a workflow the team already has, and .gitignore's lines", async () => {
    const dir = existingRepo();
    mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(dir, '.github/workflows/tfaml-main.yml'), 'name: ours\n');
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/');
    const out = capture();
    await init(inputs({ dir }), out);
    expect(readFileSync(path.join(dir, '.github/workflows/tfaml-main.yml'), 'utf8')).toBe('name: ours\n');
    expect(out.stdout).toContain('.github/workflows/tfaml-main.yml exists: left as it is');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe(
      "node_modules/\n# tfaml's caches, registries and checkpoints\n.tfaml/\n",
    );
  });

  it('--format json is one document: what was found and written, and the lock and validate reports', async () => {
    const dir = existingRepo();
    const out = capture();
    expect(await init(inputs({ dir, format: 'json' }), out)).toBe(0);
    const doc = JSON.parse(out.stdout) as {
      branch: string;
      assets: { kind: string }[];
      validate: { summary: { errors: number } };
      lock: unknown;
    };
    expect(doc.branch).toBe('trunk');
    expect(doc.assets.map((a) => a.kind).sort()).toEqual(['compute', 'data', 'endpoints', 'environments', 'jobs']);
    expect(doc.validate.summary.errors).toBe(0);
    expect(doc.lock).toBeDefined();
  });

  it('in a folder without Azure ML YAML writes a minimal tfaml.yml that says what to add', async () => {
    const dir = tempDir('tfaml-init-empty-');
    const out = capture();
    expect(await init(inputs({ dir, branch: 'main' }), out)).toBe(0);
    const yml = readFileSync(path.join(dir, 'tfaml.yml'), 'utf8');
    expect(yml).toContain('# No Azure ML CLI v2 YAML was found.');
    expect(yml).toContain('owners: [] # add the GitHub team');
    expect(out.stdout).toMatch(/wrote tfaml\.yml: 0 Azure ML files/);
    expect(out.stdout).toMatch(/Next: /);
  });
});

describe('what init recognises', () => {
  it.each([
    ['by $schema', '$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\ncommand: x\n', 'jobs'],
    ['a command job by shape', 'type: command\ncommand: python train.py\nenvironment: azureml:tf:1\n', 'jobs'],
    ['a sweep job by shape', 'type: sweep\ntrial:\n  command: x\n', 'jobs'],
    ['a cluster', 'name: gpu\ntype: amlcompute\nsize: Standard_NC6s_v3\n', 'compute'],
    ['a deployment', 'name: blue\nendpoint_name: e\ninstance_type: Standard_DS3_v2\n', 'endpoints'],
    ['an environment', 'name: tf\nversion: "1"\nimage: mcr.microsoft.com/azureml/x:1\n', 'environments'],
    ['a data asset', 'name: d\nversion: 1\ntype: uri_folder\npath: ./data\n', 'data'],
    ['a compose file', 'services:\n  web:\n    image: nginx\n', undefined],
    ['a GitHub workflow', 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n', undefined],
    ['not YAML', '{{{', undefined],
    ['another $schema', '$schema: https://json.schemastore.org/github-workflow\nname: x\nimage: y\n', undefined],
  ])('%s', (_, text, kind) => expect(classify('f.yml', text)?.kind).toBe(kind));

  it('CODEOWNERS: the last * rule, users and teams only', () => {
    expect(codeOwners('* @a\n/docs @b\n* @acme/ml @c user@example.com\n')).toEqual(['@acme/ml', '@c']);
    expect(codeOwners('/ml/ @acme/ml\n')).toEqual(['@acme/ml']);
    expect(codeOwners('')).toEqual([]);
  });
});
