import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { validate } from '../../src/commands/validate.js';
import { capture, copyExample, inputs, patch } from '../helpers/project.js';
import { startFakeArm, type FakeArm } from '../fakes/arm/server.js';
import { fakeEnv } from './helpers.js';

let fake: FakeArm;
beforeAll(async () => {
  fake = await startFakeArm();
});
afterAll(() => fake.close());
afterEach(() => {
  vi.unstubAllEnvs();
  for (const m of Object.values(fake.assets)) m.clear();
  fake.computes.clear();
});

interface Report {
  findings: { rule: string; severity: string; file: string; line: number; message: string; source: string }[];
}

/** The example project pointed at the fake workspace, with the environment and cluster registered as the files say. */
function project(name = fake.workspaceName): string {
  const dir = copyExample();
  patch(
    dir,
    'tfaml.yml',
    'owners: ["@acme/ml-platform"]\n',
    `owners: ["@acme/ml-platform"]\nworkspace:\n  subscription-id: ${fake.subscriptionId}\n  resource-group: ${fake.resourceGroup}\n  name: ${name}\n`,
  );
  for (const [k, v] of Object.entries(fakeEnv(fake))) vi.stubEnv(k, v!);
  vi.stubEnv('TFAML_WORKSPACE_CHECKS', undefined);
  const env = readFileSync(path.join(dir, 'azureml/environments/tf-gpu.yml'), 'utf8');
  const image = env.match(/^image: (.+)$/m)![1]!;
  fake.seed('environments', 'tf-gpu', '3', {
    image,
    condaFile: readFileSync(path.join(dir, 'azureml/environments/conda.yml'), 'utf8'),
    osType: 'Linux',
  });
  fake.addCompute('gpu-cluster', { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT10M' });
  return dir;
}

async function run(dir: string) {
  const out = capture('cli');
  const code = await validate(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), out);
  return { code, report: JSON.parse(out.stdout) as Report, out };
}

describe('validate with a workspace', () => {
  it('agrees with a workspace that matches the files, and says it checked it', async () => {
    const dir = project();
    const { code, report, out } = await run(dir);
    expect(report.findings.filter((f) => f.source === 'workspace')).toEqual([]);
    expect(code).toBe(0);
    expect(out.logs).toContain('checking against workspace mlw-dev (resource group rg-ml-dev)');
    expect(fake.armRequests().some((r) => r.path.endsWith('/environments/tf-gpu/versions/3'))).toBe(true);
  });

  it('env/immutable-conflict: the registered version has another image', async () => {
    const dir = project();
    fake.seed('environments', 'tf-gpu', '3', {
      image: 'mcr.microsoft.com/azureml/other@sha256:abc',
      condaFile: 'dependencies: []\n',
    });
    const { code, report } = await run(dir);
    const f = report.findings.find((x) => x.rule === 'env/immutable-conflict');
    expect(f).toMatchObject({
      source: 'workspace',
      severity: 'error',
      file: 'azureml/environments/tf-gpu.yml',
      line: 3,
    });
    expect(f!.message).toMatch(
      /workspace "mlw-dev" already has environment "tf-gpu:3" with different content \(image "mcr.microsoft.com\/azureml\/other@sha256:abc" registered, .* in this file; the conda file differs\); .*bump `version`/,
    );
    expect(code).toBe(1);
  });

  it('data/missing-reference: a job input names a data version that exists nowhere', async () => {
    const dir = project();
    patch(dir, 'azureml/jobs/train.yml', 'path: azureml:flowers:1', 'path: azureml:flowers:9');
    fake.seed('data', 'flowers', '1', {
      dataType: 'uri_folder',
      dataUri: 'azureml://datastores/workspaceblobstore/paths/flowers/v1/',
    });
    const { report } = await run(dir);
    const f = report.findings.find((x) => x.rule === 'data/missing-reference');
    expect(f).toMatchObject({ source: 'workspace', file: 'azureml/jobs/train.yml' });
    expect(f!.message).toMatch(
      /"azureml:flowers:9", which is neither registered in workspace "mlw-dev" nor defined under `data:` .*registered versions of "flowers" are "1"/,
    );
  });

  it('compute/not-ephemeral from the live cluster, even when its YAML is fine', async () => {
    const dir = project();
    fake.addCompute('gpu-cluster', { minNodeCount: 2, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: 'PT2H' });
    const { code, report } = await run(dir);
    const live = report.findings.filter((x) => x.rule === 'compute/not-ephemeral' && x.source === 'workspace');
    expect(live.map((f) => f.message)).toEqual([
      expect.stringMatching(/"gpu-cluster" in workspace "mlw-dev" has min_instances 2 right now/),
      expect.stringMatching(/keeps idle nodes 7200 s after a job, above the policy of 1800 s/),
    ]);
    expect(live[0]!.file).toBe('azureml/compute/gpu-cluster.yml');
    expect(code).toBe(1);
  });

  it('a workspace that does not exist is a configuration error naming it', async () => {
    const dir = project('mlw-typo');
    await expect(run(dir)).rejects.toThrow(/workspace mlw-typo was not found in resource group rg-ml-dev/);
  });

  it('TFAML_WORKSPACE_CHECKS=off skips the workspace (no credential needed)', async () => {
    const dir = project('mlw-typo');
    vi.stubEnv('TFAML_WORKSPACE_CHECKS', 'off');
    const before = fake.requests.length;
    const { code } = await run(dir);
    expect(code).toBe(0);
    expect(fake.requests.length).toBe(before);
  });
});
