/**
 * Policy comes from the base: everything in a pull request's checkout is the PR's to change, tfaml.yml included, so
 * with a base ref the budget, the override label and policy.* are read from the base's tfaml.yml (src/config/policy.ts);
 * a PR that changes them is told so, and its new suppressions still apply but are listed apart. Each case is a real
 * git repository: the base is a commit on main, the pull request the working tree on top of it.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cost } from '../../src/commands/cost.js';
import { lock } from '../../src/commands/lock.js';
import { validate } from '../../src/commands/validate.js';
import { describeChange, isNewSuppression } from '../../src/config/policy.js';
import type { CodeHost } from '../../src/core/ports.js';
import { capture, copyExample, inputs, patch, write } from '../helpers/project.js';
import { expectGolden } from '../helpers/golden.js';

function git(dir: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: 'pipe',
  });
}

/** The example, locked, committed as the base on main; `edit` shapes the base before the commit. */
async function baseRepo(edit: (dir: string) => void = () => {}): Promise<string> {
  const dir = copyExample();
  expect(await lock(inputs({ config: path.join(dir, 'tfaml.yml') }), capture())).toBe(0);
  write(dir, '.gitignore', '.tfaml/\n');
  edit(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  return dir;
}

/** A pull request's labels, and nothing posted. */
const labelled = (...labels: string[]): CodeHost => ({
  labels: async () => labels,
  upsertComment: async () => Promise.reject(new Error('must not post')),
  notice: () => {},
});

async function runCost(dir: string, values: Record<string, string> = {}, host?: CodeHost) {
  const out = capture('cli');
  const code = await cost(inputs({ config: path.join(dir, 'tfaml.yml'), prices: 'snapshot', ...values }), out, {
    mask: () => {},
    ...(host ? { codeHost: host } : {}),
  });
  return { code, out };
}

async function runValidate(dir: string, values: Record<string, string> = {}, mode: 'cli' | 'action' = 'cli') {
  const out = capture(mode);
  const code = await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json', ...values }), out);
  return { code, out, report: JSON.parse(out.stdout) };
}

/** A pull request whose training runs 20 h on the V100 cluster: about $62 a run, over the example's $50. */
const expensive = (dir: string) => {
  patch(dir, 'tfaml.yml', 'expected-hours: 0.5', 'expected-hours: 20');
  patch(dir, 'azureml/jobs/train.yml', 'timeout: 7200', 'timeout: 86400');
};

describe("cost: the budget is the base's", () => {
  it('a PR that raises budget-usd from $50 to $500 and costs more than $50 fails, and is told why', async () => {
    // The base gates only on budget-usd, so the one breach is the one this PR tries to lift.
    const dir = await baseRepo((d) => patch(d, 'tfaml.yml', '  max-increase-usd: 20\n', ''));
    expensive(dir);
    patch(dir, 'tfaml.yml', 'budget-usd: 50', 'budget-usd: 500');
    // Judged by its own tfaml.yml, the PR would pass.
    expect((await runCost(dir)).code).toBe(0);

    const { code, out } = await runCost(dir, { base: 'main' });
    expect(code).toBe(1);
    expect(out.outputs.budget).toBe('over');
    expect(out.stdout).toContain('`budget-usd` $50.00 per run');
    expect(out.stdout).toContain(
      "> ⚠️ this PR raises `cost.budget-usd` from $50 to $500; the base's limit applies until it merges.",
    );
    expect(out.stdout).toContain('- `cost.budget-usd` is $50.00: one training run is expected to cost $');
    expectGolden('cost', 'policy-from-base.md', out.stdout);

    const json = JSON.parse(out.outputs['cost-json']!);
    expect(json.budget).toMatchObject({ verdict: 'over', budgetUsd: 50 });
    expect(json.policy).toEqual({
      from: 'base',
      ref: 'main',
      changes: [
        {
          key: 'cost.budget-usd',
          base: 50,
          head: 500,
          message: "this PR raises `cost.budget-usd` from $50 to $500; the base's limit applies until it merges",
        },
      ],
    });
  });

  it('an override label the PR adds, and sets on itself, is not honoured', async () => {
    const dir = await baseRepo((d) => patch(d, 'tfaml.yml', '  override-label: cost-approved\n', ''));
    expensive(dir);
    patch(dir, 'tfaml.yml', 'max-increase-usd: 20', 'max-increase-usd: 20\n  override-label: cost-approved');
    const host = labelled('cost-approved');
    expect((await runCost(dir, { 'pr-number': '7' }, host)).out.outputs.budget).toBe('overridden');

    const { code, out } = await runCost(dir, { base: 'main', 'pr-number': '7' }, host);
    expect(code).toBe(1);
    expect(out.outputs.budget).toBe('over');
    expect(out.stdout).toContain(
      '> ⚠️ this PR sets `cost.override-label` to `cost-approved`; the base sets no label, and none applies until it merges.',
    );
    expect(out.stdout).toContain('No `cost.override-label` is configured on the base');
    expect(out.stdout).not.toContain('approved by');
  });

  it("a renamed override label: only the base's label approves", async () => {
    const dir = await baseRepo();
    expensive(dir);
    patch(dir, 'tfaml.yml', 'override-label: cost-approved', 'override-label: "@acme/admins [x](https://e.example)"');
    const own = await runCost(dir, { base: 'main', 'pr-number': '7' }, labelled('@acme/admins [x](https://e.example)'));
    expect(own.code).toBe(1);
    // The PR's value is shown as code, never as a mention or link.
    expect(own.out.stdout).toContain(
      "this PR changes `cost.override-label` from `cost-approved` to `@acme/admins [x](https://e.example)`; the base's label applies until it merges.",
    );
    expect(own.out.stdout).toContain('add the label `cost-approved`');

    const base = await runCost(dir, { base: 'main', 'pr-number': '7' }, labelled('cost-approved'));
    expect(base.code).toBe(0);
    expect(base.out.outputs.budget).toBe('overridden');
  });

  it("a PR that lowers a limit is still judged by the base's", async () => {
    const dir = await baseRepo();
    patch(dir, 'tfaml.yml', 'budget-usd: 50', 'budget-usd: 1');
    const { code, out } = await runCost(dir, { base: 'main' });
    expect(code).toBe(0);
    expect(out.stdout).toContain("this PR lowers `cost.budget-usd` from $50 to $1; the base's limit applies");
  });

  it("a base without tfaml.yml: the PR's limits apply, and the report says so", async () => {
    const dir = copyExample();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(dir, 'README.md'), 'hi\n');
    git(dir, 'add', 'README.md');
    git(dir, 'commit', '-qm', 'first');
    const { code, out } = await runCost(dir, { base: 'main' });
    expect(code).toBe(1); // a new always-on endpoint is above the PR's own max-increase-usd
    expect(out.stdout).toContain(
      "> The limits are this PR's own: tfaml.yml did not exist at main. Once tfaml.yml is on the base, the base's limits judge pull requests.",
    );
    expect(JSON.parse(out.outputs['cost-json']!).policy).toEqual({
      from: 'pr',
      ref: 'main',
      reason: 'tfaml.yml did not exist at main',
    });
  });

  it("the base's budget applies when the base's other files cannot be loaded from the checkout", async () => {
    // The base names a data folder that only its checkout had (git-ignored); its budget still judges.
    const dir = await baseRepo((d) => write(d, '.gitignore', '.tfaml/\ndata/\n'));
    expensive(dir);
    patch(dir, 'tfaml.yml', 'budget-usd: 50', 'budget-usd: 500');
    patch(dir, 'tfaml.yml', 'local: data/flowers', 'local: data/tulips');
    execFileSync('mv', [path.join(dir, 'data/flowers'), path.join(dir, 'data/tulips')]);
    const { code, out } = await runCost(dir, { base: 'main' });
    expect(code).toBe(1);
    expect(out.stdout).toContain("raises `cost.budget-usd` from $50 to $500; the base's limit applies");
  });
});

describe("validate: policy.* is the base's, and new suppressions are listed apart", () => {
  it('a PR that raises policy.max-idle-seconds is judged by the base’s limit', async () => {
    const dir = await baseRepo();
    patch(
      dir,
      'azureml/compute/gpu-cluster.yml',
      'idle_time_before_scale_down: 600',
      'idle_time_before_scale_down: 7200',
    );
    patch(dir, 'tfaml.yml', 'cost:\n', 'policy:\n  max-idle-seconds: 7200\ncost:\n');
    expect((await runValidate(dir)).code).toBe(0);

    const { code, report, out } = await runValidate(dir, { base: 'main' });
    expect(code).toBe(1);
    expect(report.findings).toEqual([
      expect.objectContaining({
        rule: 'compute/not-ephemeral',
        file: 'azureml/compute/gpu-cluster.yml',
        message: expect.stringContaining('idle nodes stay up 7200 s after a job, above the policy of 1800 s'),
      }),
    ]);
    expect(report.policy.changes).toEqual([
      {
        key: 'policy.max-idle-seconds',
        base: 1800,
        head: 7200,
        message:
          "this PR raises `policy.max-idle-seconds` from 1800 s to 7200 s; the base's limit applies until it merges",
      },
    ]);
    expect(out.summaries[0]).toContain(
      "> ⚠️ this PR raises `policy.max-idle-seconds` from 1800 s to 7200 s; the base's limit applies until it merges.",
    );
  });

  it('a suppression the PR adds still applies, and is listed as new in the text, JSON and summary', async () => {
    // The base already accepts the cluster's default idle time; the PR adds an unpinned image and accepts that too.
    const dir = await baseRepo((d) => {
      patch(d, 'azureml/compute/gpu-cluster.yml', 'idle_time_before_scale_down: 600\n', '');
      patch(
        d,
        'tfaml.yml',
        'cost:\n',
        'suppress:\n  - rule: compute/not-ephemeral\n    path: azureml/compute\n    reason: the service default is fine for this cluster\ncost:\n',
      );
    });
    patch(dir, 'azureml/jobs/train.yml', 'azureml:flowers:1', 'azureml:flowers@latest');
    patch(
      dir,
      'tfaml.yml',
      'cost:\n',
      '  - rule: data/floating-version\n    reason: "@acme/admins said <b>ok</b>"\ncost:\n',
    );

    const { code, report, out } = await runValidate(dir, { base: 'main' }, 'action');
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((f: { rule: string; new: boolean }) => [f.rule, f.new])).toEqual([
      ['compute/not-ephemeral', false],
      ['data/floating-version', true],
    ]);
    expect(report.newSuppressions).toEqual([
      { rule: 'data/floating-version', reason: '@acme/admins said <b>ok</b>', file: 'tfaml.yml', line: 66, hides: 1 },
    ]);
    expectGolden('security', 'validate-new-suppression.md', out.summaries[0]!.replace(dir, '<project>'));

    const text = await (async () => {
      const o = capture('cli');
      await validate(inputs({ config: path.join(dir, 'tfaml.yml'), base: 'main' }), o);
      return o.stdout;
    })();
    expect(text).toContain('new suppressions in this PR, not on main (1); they apply, so check the reasons:');
    expect(text).toContain('tfaml.yml:66  data/floating-version  hides 1 finding');
    expect(text).toMatch(/✔ no findings in 6 files \(2 suppressed; 1 new suppression in this PR\)/);
  });

  it('without a base nothing is called new; a base without tfaml.yml makes every suppression new', async () => {
    const dir = copyExample();
    expect(await lock(inputs({ config: path.join(dir, 'tfaml.yml') }), capture())).toBe(0);
    patch(dir, 'azureml/environments/tf-gpu.yml', /@sha256:[0-9a-f]+/, '');
    patch(dir, 'tfaml.yml', 'cost:\n', 'suppress:\n  - rule: env/unpinned-image\n    reason: vendor image\ncost:\n');
    expect((await runValidate(dir)).report).toMatchObject({ newSuppressions: [], policy: null });

    git(dir, 'init', '-q', '-b', 'main');
    write(dir, 'README.md', 'hi\n');
    git(dir, 'add', 'README.md');
    git(dir, 'commit', '-qm', 'first');
    const { report } = await runValidate(dir, { base: 'main' });
    expect(report.newSuppressions).toEqual([expect.objectContaining({ rule: 'env/unpinned-image', hides: 1 })]);
    expect(report.policy).toEqual({ from: 'pr', ref: 'main', reason: 'tfaml.yml did not exist at main' });
  });
});

describe('the pure parts', () => {
  it.each([
    [{ rule: 'a' }, [{ rule: 'a', path: 'x' }], true],
    [{ rule: 'a', path: 'x/y.yml' }, [{ rule: 'a', path: 'x' }], false],
    [{ rule: 'a', path: 'x/y.yml' }, [{ rule: 'a' }], false],
    [{ rule: 'a', path: 'xy.yml' }, [{ rule: 'a', path: 'x' }], true],
    [{ rule: 'b', path: 'x' }, [{ rule: 'a', path: 'x' }], true],
  ])('a suppression %j against the base %j is new: %s', (s, base, want) => {
    expect(isNewSuppression(s, base)).toBe(want);
  });

  it('tells every kind of change', () => {
    const code = (v: string) => `<${v}>`;
    expect(describeChange({ key: 'cost.max-increase-usd', base: 20 }, code)).toBe(
      "this PR removes `cost.max-increase-usd` ($20 on the base); the base's limit applies until it merges",
    );
    expect(describeChange({ key: 'cost.budget-usd', base: 50, head: 12.5 }, code)).toBe(
      "this PR lowers `cost.budget-usd` from $50 to $12.50; the base's limit applies until it merges",
    );
    expect(describeChange({ key: 'cost.override-label', base: 'a', head: 'b' }, code)).toBe(
      "this PR changes `cost.override-label` from <a> to <b>; the base's label applies until it merges",
    );
  });
});
