import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lock } from '../../src/commands/lock.js';
import { validate } from '../../src/commands/validate.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { capture, copyExample, inputs, patch, write } from '../helpers/project.js';

async function run(dir: string, extra: Record<string, string> = {}) {
  const out = capture('action');
  const code = await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json', ...extra }), out);
  const report = JSON.parse(out.stdout) as {
    findings: { rule: string; severity: string; file: string; line: number; message: string }[];
    suppressed: { rule: string; reason: string }[];
    summary: { errors: number; warnings: number };
  };
  return { code, report, out };
}

/** A copy of the example with its lockfile written, as a team would have it. */
async function lockedExample(): Promise<string> {
  const dir = copyExample();
  expect(await lock(inputs({ config: path.join(dir, 'tfaml.yml') }), capture())).toBe(0);
  return dir;
}

describe('validate on the example project', () => {
  it('is clean, and says so in every output', async () => {
    const dir = await lockedExample();
    const { code, report, out } = await run(dir);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    expect(out.outputs).toMatchObject({ errors: '0', warnings: '0' });
    expect(JSON.parse(out.outputs['report-json']!)).toEqual(report);
    expect(out.summaries[0]).toMatch(/### tfaml validate: ✅ no findings in 6 files/);
  });

  it('prints a readable text report', async () => {
    const dir = await lockedExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'min_instances: 0', 'min_instances: 1');
    const out = capture('cli');
    expect(await validate(inputs({ config: path.join(dir, 'tfaml.yml') }), out)).toBe(1);
    expect(out.stdout).toContain('tfaml validate: flowers-classifier');
    expect(out.stdout).toMatch(
      /azureml\/compute\/gpu-cluster\.yml:5:16 {2}error {4}compute\/not-ephemeral {2}min_instances is 1/,
    );
    expect(out.stdout).toMatch(/✖ 1 error, 0 warnings in 6 files/);
  });
});

interface Case {
  rule: string;
  file: string;
  from: string | RegExp;
  to: string;
  severity: 'error' | 'warning';
  at: string;
  message: RegExp;
}

/** Each fixture breaks exactly one rule in a copy of the example. */
const cases: Case[] = [
  {
    rule: 'env/unpinned-image',
    file: 'azureml/environments/tf-gpu.yml',
    from: /@sha256:[0-9a-f]+/,
    to: '',
    severity: 'warning',
    at: 'azureml/environments/tf-gpu.yml:5',
    message: /digest/,
  },
  {
    rule: 'env/unpinned-image',
    file: 'azureml/environments/tf-gpu.yml',
    from: /:20240415\.v1@sha256:[0-9a-f]+/,
    to: ':latest',
    severity: 'error',
    at: 'azureml/environments/tf-gpu.yml:5',
    message: /latest/,
  },
  {
    rule: 'env/missing-version',
    file: 'azureml/environments/tf-gpu.yml',
    from: 'version: "3"\n',
    to: '',
    severity: 'error',
    at: 'azureml/environments/tf-gpu.yml:',
    message: /version/,
  },
  {
    rule: 'env/unpinned-package',
    file: 'azureml/environments/conda.yml',
    from: 'pillow==10.3.0',
    to: 'pillow>=10',
    severity: 'error',
    at: 'azureml/environments/conda.yml:10',
    message: /pillow/,
  },
  {
    rule: 'env/local-path-dependency',
    file: 'azureml/environments/conda.yml',
    from: '      - pillow==10.3.0\n',
    to: '      - pillow==10.3.0\n      - -e ./src\n',
    severity: 'error',
    at: 'azureml/environments/conda.yml:11',
    message: /local|editable/,
  },
  {
    rule: 'env/cuda-mismatch',
    file: 'azureml/environments/conda.yml',
    from: 'tensorflow==2.14.0',
    to: 'tensorflow==2.16.1',
    severity: 'error',
    at: 'azureml/environments/tf-gpu.yml:5',
    message: /CUDA 12/,
  },
  {
    rule: 'data/floating-version',
    file: 'azureml/jobs/train.yml',
    from: 'azureml:flowers:1',
    to: 'azureml:flowers@latest',
    severity: 'error',
    at: 'azureml/jobs/train.yml:12:11',
    message: /moves whenever someone registers a new version; pin it: azureml:flowers:<version>/,
  },
  {
    rule: 'data/floating-version',
    file: 'azureml/jobs/train.yml',
    from: 'azureml:flowers:1',
    to: 'azureml://datastores/workspaceblobstore/paths/flowers/v1/',
    severity: 'warning',
    at: 'azureml/jobs/train.yml:12:11',
    message: /has no version/,
  },
  {
    rule: 'data/floating-version',
    file: 'azureml/data/flowers.yml',
    from: 'version: "1"\n',
    to: '',
    severity: 'error',
    at: 'azureml/data/flowers.yml:2:7',
    message: /data asset "flowers" has no `version`/,
  },
  {
    rule: 'model/unpinned-handle',
    file: 'tfaml.yml',
    from: 'feature_vector/3/default/1',
    to: 'feature_vector',
    severity: 'error',
    at: 'tfaml.yml:28:8',
    message: /the hub handle has no version/,
  },
  {
    rule: 'model/finetune-policy',
    file: 'tfaml.yml',
    from: 'fine-tune: none',
    to: 'fine-tune: top-2',
    severity: 'error',
    at: 'tfaml.yml:31:14',
    message: /"top-2" needs trainable layers, but a graph model is a frozen graph/,
  },
  {
    rule: 'model/finetune-policy',
    file: 'tfaml.yml',
    from: '  fine-tune: none\n',
    to: '',
    severity: 'error',
    at: 'tfaml.yml:26:1',
    message: /model has no `fine-tune` policy/,
  },
  {
    rule: 'compute/not-ephemeral',
    file: 'azureml/compute/gpu-cluster.yml',
    from: 'idle_time_before_scale_down: 600',
    to: 'idle_time_before_scale_down: 7200',
    severity: 'error',
    at: 'azureml/compute/gpu-cluster.yml:7:30',
    message: /idle nodes stay up 7200 s after a job, above the policy of 1800 s/,
  },
  {
    rule: 'compute/not-ephemeral',
    file: 'azureml/compute/gpu-cluster.yml',
    from: 'idle_time_before_scale_down: 600\n',
    to: '',
    severity: 'warning',
    at: 'azureml/compute/gpu-cluster.yml:2:7',
    message: /idle_time_before_scale_down is not set/,
  },
  {
    rule: 'stage/production-uses-experimental',
    file: 'tfaml.yml',
    from: '  - path: azureml/environments/tf-gpu.yml\n    stage: production\n',
    to: '  - path: azureml/environments/tf-gpu.yml\n',
    severity: 'error',
    at: 'azureml/jobs/train.yml:7:14',
    message: /this production job runs in "tf-gpu:3", which tfaml.yml marks experimental/,
  },
  {
    rule: 'owner/missing',
    file: 'tfaml.yml',
    from: 'owners: ["@acme/ml-platform"]\n',
    to: '',
    severity: 'error',
    at: 'tfaml.yml:4:10',
    message: /the project has no owners/,
  },
  {
    rule: 'job/floating-environment',
    file: 'azureml/jobs/train.yml',
    from: 'environment: azureml:tf-gpu:3',
    to: 'environment: azureml:AzureML-tensorflow-2.16-cuda12@latest',
    severity: 'error',
    at: 'azureml/jobs/train.yml:7:14',
    message: /follows the label "latest"/,
  },
  {
    rule: 'job/floating-environment',
    file: 'azureml/jobs/train.yml',
    from: 'environment: azureml:tf-gpu:3',
    to: 'environment:\n  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04@sha256:0000000000000000000000000000000000000000000000000000000000000000',
    severity: 'error',
    at: 'azureml/jobs/train.yml:8:3',
    message: /defined inline/,
  },
];

describe('each rule, found at its file and line', () => {
  it.each(cases)('$rule ($severity) at $at', async (c) => {
    const dir = await lockedExample();
    patch(dir, c.file, c.from, c.to);
    const { code, report, out } = await run(dir);
    const hits = report.findings.filter((f) => f.rule === c.rule);
    expect(hits, JSON.stringify(report.findings, null, 1)).toHaveLength(1);
    const f = hits[0]!;
    expect(f.severity).toBe(c.severity);
    expect(`${f.file}:${f.line}:${(f as { column?: number }).column}`.slice(0, c.at.length)).toBe(c.at);
    expect(f.message).toMatch(c.message);
    expect(code).toBe(report.summary.errors > 0 ? 1 : 0);
    // the action annotates the same finding at the path from the workspace
    expect(
      out.annotations.some(
        (a) =>
          a.finding.rule === c.rule &&
          a.file.endsWith(
            c.file === 'tfaml.yml' && !c.at.startsWith('tfaml') ? c.at.split(':')[0]! : c.at.split(':')[0]!,
          ),
      ),
    ).toBe(true);
  });
});

describe('the lockfile', () => {
  it('env/immutable-conflict when a locked environment version changes content', async () => {
    const dir = await lockedExample();
    patch(dir, 'azureml/environments/conda.yml', 'mlflow==2.12.1', 'mlflow==2.13.0');
    const { code, report } = await run(dir);
    expect(code).toBe(1);
    const f = report.findings.find((x) => x.rule === 'env/immutable-conflict');
    expect(f).toMatchObject({ file: 'azureml/environments/tf-gpu.yml', line: 3, severity: 'error' });
    expect(f!.message).toMatch(
      /environment "tf-gpu:3" is locked with different content .* bump `version` and run `tfaml lock`/,
    );
  });

  it('data/hash-mismatch when the local copy changes under the same version', async () => {
    const dir = await lockedExample();
    write(dir, 'data/flowers/daisy/extra.png', 'not really a png');
    const { code, report } = await run(dir);
    expect(code).toBe(1);
    const f = report.findings.find((x) => x.rule === 'data/hash-mismatch');
    expect(f).toMatchObject({ file: 'tfaml.yml', line: 13, severity: 'error' });
    expect(f!.message).toMatch(
      /the local copy "data\/flowers" \(25 files\) differs from what tfaml\.lock records for "flowers:1"/,
    );
  });

  it('lock refuses to overwrite a changed version and writes nothing', async () => {
    const dir = await lockedExample();
    const before = readFileSync(path.join(dir, 'tfaml.lock'), 'utf8');
    patch(dir, 'azureml/environments/conda.yml', 'mlflow==2.12.1', 'mlflow==2.13.0');
    const out = capture();
    expect(await lock(inputs({ config: path.join(dir, 'tfaml.yml') }), out)).toBe(1);
    expect(out.stdout).toMatch(
      /tfaml\.lock not written:\n {2}azureml\/environments\/tf-gpu\.yml: environment tf-gpu:3 is locked as sha256:[0-9a-f]{64} but is now sha256:[0-9a-f]{64}; a version is immutable: bump its version/,
    );
    expect(readFileSync(path.join(dir, 'tfaml.lock'), 'utf8')).toBe(before);
    // after a bump, lock adds the new version and keeps the old one
    patch(dir, 'azureml/environments/tf-gpu.yml', 'version: "3"', 'version: "4"');
    patch(dir, 'azureml/jobs/train.yml', 'azureml:tf-gpu:3', 'azureml:tf-gpu:4');
    expect(await lock(inputs({ config: path.join(dir, 'tfaml.yml') }), capture())).toBe(0);
    const locked = JSON.parse(readFileSync(path.join(dir, 'tfaml.lock'), 'utf8'));
    expect(Object.keys(locked.environments)).toEqual(['tf-gpu:3', 'tf-gpu:4']);
  });

  it('is deterministic: the same project locks to the same bytes, keys sorted', async () => {
    const a = await lockedExample();
    const b = await lockedExample();
    const text = readFileSync(path.join(a, 'tfaml.lock'), 'utf8');
    expect(readFileSync(path.join(b, 'tfaml.lock'), 'utf8')).toBe(text);
    expect(text).toBe(readFileSync(path.join(path.dirname(a), path.basename(a), 'tfaml.lock'), 'utf8'));
    const lockJson = JSON.parse(text);
    expect(Object.keys(lockJson)).toEqual(['data', 'environments', 'lockfileVersion', 'models']);
    expect(lockJson.data['flowers:1']).toMatchObject({
      local: 'data/flowers',
      files: 24,
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    // train recorded the model's files when it first downloaded them (examples/tfaml.lock is committed that way).
    expect(lockJson.models['flowers-classifier']).toEqual({
      hub: expect.stringContaining('tfhub.dev'),
      version: '3',
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      files: {
        'model.json': expect.stringMatching(/^sha256:/),
        'group1-shard1of2': expect.stringMatching(/^sha256:/),
        'group1-shard2of2': expect.stringMatching(/^sha256:/),
      },
    });
  });

  it('warns once when there is no lockfile', async () => {
    const dir = copyExample();
    rmSync(path.join(dir, 'tfaml.lock'), { force: true });
    const { code, report } = await run(dir);
    expect(code).toBe(0);
    expect(report.findings).toEqual([
      expect.objectContaining({
        rule: 'lock/missing-entry',
        severity: 'warning',
        file: 'tfaml.yml',
        message: expect.stringMatching(/there is no tfaml\.lock.*run `tfaml lock`/),
      }),
    ]);
  });

  it('validate --update-lock writes the lock when nothing conflicts', async () => {
    const dir = copyExample();
    rmSync(path.join(dir, 'tfaml.lock'), { force: true });
    await run(dir, { 'update-lock': 'true' });
    expect(existsSync(path.join(dir, 'tfaml.lock'))).toBe(true);
    // validate never downloads, so the remote hub model is locked by handle only until `tfaml lock` hashes its files.
    expect((await run(dir)).report.findings.map((f) => [f.rule, f.message.slice(0, 64)])).toEqual([
      ['lock/missing-entry', 'tfaml.lock records model "flowers-classifier" without the sha256'],
    ]);
  });

  it('a damaged lockfile is unusable input, not ignored', async () => {
    const dir = await lockedExample();
    write(dir, 'tfaml.lock', '{"lockfileVersion": 1, "environ');
    await expect(run(dir)).rejects.toThrow(
      /tfaml\.lock is not valid JSON .* restore it from git or delete it and run `tfaml lock`/,
    );
  });
});

describe('suppressions', () => {
  it('move a finding to the suppressed list with its reason, in every report', async () => {
    const dir = await lockedExample();
    patch(dir, 'azureml/compute/gpu-cluster.yml', 'idle_time_before_scale_down: 600\n', '');
    patch(
      dir,
      'tfaml.yml',
      'cost:\n',
      'suppress:\n  - rule: compute/not-ephemeral\n    path: azureml/compute\n    reason: the service default is fine for this cluster, tracked in #12\ncost:\n',
    );
    const { code, report, out } = await run(dir);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        rule: 'compute/not-ephemeral',
        reason: 'the service default is fine for this cluster, tracked in #12',
      }),
    ]);
    expect(out.summaries[0]).toMatch(/1 suppressed[\s\S]*the service default is fine for this cluster/);
  });

  it('an unused suppression is reported', async () => {
    const dir = await lockedExample();
    patch(
      dir,
      'tfaml.yml',
      'cost:\n',
      'suppress:\n  - rule: env/unpinned-image\n    reason: vendor image has no digests\ncost:\n',
    );
    const { report } = await run(dir);
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'suppress/unused', severity: 'warning', file: 'tfaml.yml', line: 63 }),
    ]);
  });
});

describe('env/version-not-bumped against --base', () => {
  let git: (dir: string, ...args: string[]) => string;
  beforeAll(() => {
    git = (dir, ...args) =>
      execFileSync('git', args, {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@e',
        },
      });
  });

  async function repo(): Promise<string> {
    const dir = await lockedExample();
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    return dir;
  }

  it('flags a changed conda file under the same version, naming the next version', async () => {
    const dir = await repo();
    patch(dir, 'azureml/environments/conda.yml', 'pillow==10.3.0', 'pillow==10.4.0');
    const { report } = await run(dir, { base: 'main' });
    const f = report.findings.find((x) => x.rule === 'env/version-not-bumped');
    expect(f).toMatchObject({ file: 'azureml/environments/tf-gpu.yml', line: 3, severity: 'error' });
    expect(f!.message).toBe(
      'the conda file "azureml/environments/conda.yml" changed since main but the version is still "3"; an environment version is immutable once built: set `version: "4"`',
    );
  });

  it('is quiet when the version was bumped, or only a comment changed', async () => {
    const dir = await repo();
    patch(dir, 'azureml/environments/conda.yml', 'channels:', '# reviewed\nchannels:');
    expect(
      (await run(dir, { base: 'main' })).report.findings.filter((f) => f.rule === 'env/version-not-bumped'),
    ).toEqual([]);
    patch(dir, 'azureml/environments/conda.yml', 'pillow==10.3.0', 'pillow==10.4.0');
    patch(dir, 'azureml/environments/tf-gpu.yml', 'version: "3"', 'version: "4"');
    expect(
      (await run(dir, { base: 'main' })).report.findings.filter((f) => f.rule === 'env/version-not-bumped'),
    ).toEqual([]);
  });

  it('a bad --base ref is unusable input naming the ref and the fix', async () => {
    const dir = await repo();
    const p = run(dir, { base: 'no-such-branch' });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(
      /--base no-such-branch is not a commit in this repository; pass a branch, tag or SHA that exists .*fetch-depth: 0/,
    );
  });

  it('a remote-tracking --base gets a fetch command that works (git fetch origin main, not origin/main)', async () => {
    const dir = await repo();
    await expect(run(dir, { base: 'origin/main' })).rejects.toThrow(/or git fetch origin main\)$/);
  });
});

describe('data folder problems are unusable input', () => {
  it('an empty local data folder', async () => {
    const dir = await lockedExample();
    rmSync(path.join(dir, 'data/flowers'), { recursive: true });
    execFileSync('mkdir', ['-p', path.join(dir, 'data/flowers')]);
    const err = (await run(dir).catch((e: unknown) => e)) as ConfigurationError;
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.describe()).toMatch(/^tfaml\.yml:13:12: data\[0\]\.local data\/flowers: .*empty/);
  });

  it('a symlink out of the data folder', async () => {
    const dir = await lockedExample();
    symlinkSync('/etc/hostname', path.join(dir, 'data/flowers/daisy/outside.png'));
    await expect(run(dir)).rejects.toThrow(/data\/flowers\/daisy\/outside\.png.*outside/);
  });
});
