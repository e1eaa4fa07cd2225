/**
 * Owners hear about changes to what they own (issue 13, item 6): the validate summary and the cost comment end with
 * one `cc` line naming the owners of every asset the pull request changes, as the BASE's tfaml.yml names them, so a
 * pull request can neither choose whom it pings nor silence an owner. A mention is made only of a GitHub login or
 * org/team slug; anything else is inert text. Each case is a real git repository: the base a commit on main, the pull
 * request the working tree on top of it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cost } from '../../src/commands/cost.js';
import { lock } from '../../src/commands/lock.js';
import { validate } from '../../src/commands/validate.js';
import { ccLine, mention } from '../../src/report/owners.js';
import { capture, copyExample, inputs, patch } from '../helpers/project.js';

function git(dir: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: 'pipe',
  });
}

/** The example with per-asset owners, locked and committed as the base on main. */
async function baseRepo(): Promise<string> {
  const dir = copyExample();
  patch(dir, 'tfaml.yml', 'owners: ["@acme/ml-platform"]', 'owners: ["@acme/ml-platform", "@carol"]');
  patch(
    dir,
    'tfaml.yml',
    '  - path: azureml/environments/tf-gpu.yml\n    stage: production',
    '  - path: azureml/environments/tf-gpu.yml\n    stage: production\n    owner: "@acme/envs"',
  );
  patch(
    dir,
    'tfaml.yml',
    '  - path: azureml/endpoints/blue.yml',
    '  - path: azureml/endpoints/blue.yml\n    owner: "@dave-serving"',
  );
  expect(await lock(inputs({ config: path.join(dir, 'tfaml.yml') }), capture())).toBe(0);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  return dir;
}

async function summaries(dir: string): Promise<{ validate: string; cost: string }> {
  const v = capture('action');
  await validate(inputs({ config: path.join(dir, 'tfaml.yml'), base: 'main' }), v);
  const c = capture('cli');
  await cost(inputs({ config: path.join(dir, 'tfaml.yml'), base: 'main', prices: 'snapshot' }), c, { mask: () => {} });
  return { validate: v.summaries[0]!, cost: c.stdout };
}

const ccOf = (md: string) => md.split('\n').filter((l) => l.startsWith('cc '));

describe('the cc line', () => {
  it('names the base owner of each changed asset (its own owner, else the project owners), once', async () => {
    const dir = await baseRepo();
    patch(dir, 'azureml/endpoints/blue.yml', 'instance_count: 1', 'instance_count: 2');
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'max_instances: 2', 'max_instances: 3');
    const s = await summaries(dir);
    // In the order of the changed assets' paths: the compute (project owners), then the endpoint (its own).
    expect(ccOf(s.validate)).toEqual(['cc @acme/ml-platform @carol @dave-serving']);
    expect(ccOf(s.cost)).toEqual(['cc @acme/ml-platform @carol @dave-serving']);
  });

  it("an environment's conda file counts as the environment", async () => {
    const dir = await baseRepo();
    patch(dir, 'azureml/environments/conda.yml', 'pip=23.3.1', 'pip=23.3.2');
    expect(ccOf((await summaries(dir)).validate)).toEqual(['cc @acme/envs']);
  });

  it('a pull request that rewrites the owners in its tfaml.yml pings the base owners, not its own', async () => {
    const dir = await baseRepo();
    patch(dir, 'tfaml.yml', 'owner: "@dave-serving"', 'owner: "@mallory"');
    patch(dir, 'tfaml.yml', 'owners: ["@acme/ml-platform", "@carol"]', 'owners: ["@mallory", "@everyone-else"]');
    patch(dir, 'azureml/endpoints/blue.yml', 'instance_count: 1', 'instance_count: 2');
    const s = await summaries(dir);
    expect(ccOf(s.validate)).toEqual(['cc @dave-serving']);
    expect(ccOf(s.cost)).toEqual(['cc @dave-serving']);
    expect(s.validate).not.toContain('@mallory');
  });

  it('an asset the pull request drops is a change its owner hears about', async () => {
    const dir = await baseRepo();
    patch(
      dir,
      'tfaml.yml',
      /\nendpoints:\n {2}- path: azureml\/endpoints\/blue.yml\n {4}owner: "@dave-serving"\n/,
      '\n',
    );
    expect(ccOf((await summaries(dir)).validate)).toEqual(['cc @dave-serving']);
  });

  it('no change to an asset, or no base: no cc line', async () => {
    const dir = await baseRepo();
    expect(ccOf((await summaries(dir)).validate)).toEqual([]);
    const v = capture('action');
    patch(dir, 'azureml/endpoints/blue.yml', 'instance_count: 1', 'instance_count: 2');
    await validate(inputs({ config: path.join(dir, 'tfaml.yml') }), v);
    expect(ccOf(v.summaries[0]!)).toEqual([]);
  });
});

describe('mentions', () => {
  it.each([
    ['@alice', '@alice'],
    ['alice', '@alice'],
    ['@a-b-c9', '@a-b-c9'],
    ['@acme/ml-platform', '@acme/ml-platform'],
    ['@acme/ml_platform', '@acme/ml_platform'],
    // Not a login or a team: shown as text that neither pings nor links.
    ['@-alice', '@&#8203;-alice'],
    ['@alice-', '@&#8203;alice-'],
    ['@a--b', '@&#8203;a--b'],
    ['@acme/team/more', '@&#8203;acme/team/more'],
    ['@acme/<b>x</b>', '@&#8203;acme/&lt;b&gt;x&lt;/b&gt;'],
    ['[x](https://evil)', '\\[x\\](https&#8203;://evil)'],
    ['Alice Smith <alice@example.com>', 'Alice Smith &lt;alice@&#8203;example.com&gt;'],
    [`@${'a'.repeat(40)}`, `@&#8203;${'a'.repeat(40)}`],
  ])('%s → %s', (owner, shown) => {
    expect(mention(owner)).toBe(shown);
  });

  it('one line, or none', () => {
    expect(ccLine([])).toBeUndefined();
    expect(ccLine(['@a', 'b c'])).toBe('cc @a b c');
  });
});
