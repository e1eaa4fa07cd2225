/**
 * tfaml audit against the fake ARM through the real @azure/arm-machinelearning client: every list followed through
 * nextLink, only GETs sent, a 403 named with the role to grant, absent resource types absent; and the command end to
 * end with the one GitHub issue created, updated in place and closed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AzureAuditSource } from '../../src/adapters/azure/audit.js';
import type { ProductionModel } from '../../src/audit/facts.js';
import { gitHubCodeHost } from '../../src/adapters/github/code-host.js';
import { pricesFor } from '../../src/adapters/prices/index.js';
import { audit, type AuditDeps } from '../../src/commands/audit.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { SUBMISSION_TAG } from '../../src/core/tags.js';
import { FakeArm, startFakeArm } from '../fakes/arm/server.js';
import { startGitHubServer, type GitHubServer } from '../fakes/github-server.js';
import { capture, inputs } from '../helpers/project.js';
import { fakeEnv, workspaceFor } from './helpers.js';

let fake: FakeArm;
beforeAll(async () => {
  fake = await startFakeArm({ pageSize: 2 });
});
afterAll(() => fake.close());
afterEach(() => vi.unstubAllEnvs());

function reset(): void {
  fake.computes.clear();
  fake.endpoints.clear();
  fake.jobs.clear();
  for (const k of Object.keys(fake.assets)) fake.assets[k]!.clear();
  fake.denied.length = 0;
  fake.faults.length = 0;
  fake.requests.length = 0;
}

/** A workspace with something of everything, across several pages of each list. */
function populate(): void {
  fake.addCompute('gpu-cluster', { minNodeCount: 0, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: 'PT2M' });
  fake.addCompute(
    'always-on',
    { minNodeCount: 1, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT2M' },
    'AmlCompute',
    'STANDARD_NC6S_V3',
    { current: 1 },
  );
  fake.addCompute('slow-down', { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT2H' });
  fake.addComputeInstance('ci-alice', { state: 'Running' });
  fake.addComputeInstance('ci-bob', { state: 'Running', idleTimeBeforeShutdown: 'PT30M' });
  fake.addComputeInstance('ci-carol', { state: 'Stopped', stopSchedule: true });
  fake.addEndpoint(
    'flowers',
    [
      { name: 'blue', instanceType: 'Standard_DS3_v2', instanceCount: 2 },
      { name: 'green', instanceType: 'Standard_DS3_v2', instanceCount: 1 },
    ],
    { blue: 100, green: 0 },
  );
  fake.addJob(
    'stuck',
    {
      computeId: `${fake.workspaceId}/computes/gpu-cluster`,
      limits: { jobLimitsType: 'Command', timeout: 'PT1H' },
      resources: { instanceCount: 1 },
    },
    3 * 3600,
  );
  fake.addJob(
    'fine',
    { computeId: `${fake.workspaceId}/computes/gpu-cluster`, limits: { jobLimitsType: 'Command', timeout: 'PT5H' } },
    600,
  );
  fake.addJob(
    'ours',
    { computeId: `${fake.workspaceId}/computes/gpu-cluster`, tags: { [SUBMISSION_TAG]: 'abc' } },
    4 * 3600,
  );
  fake.addJob(
    'done',
    { computeId: `${fake.workspaceId}/computes/gpu-cluster`, limits: { jobLimitsType: 'Command', timeout: 'PT1M' } },
    3600,
    { runningSeconds: 60 },
  );
  fake.addJob('archived', { isArchived: true, limits: { jobLimitsType: 'Command', timeout: 'PT1M' } }, 3600);
  for (const v of ['1', '2', '3']) fake.seed('environments', 'tf-gpu', v, { image: 'mcr.microsoft.com/azureml/x:1' });
  fake.seed('environments', 'CliV2AnonymousEnvironment', 'abc123', { image: 'x', isAnonymous: true });
  fake.seed('data', 'flowers', '4', { dataType: 'uri_folder', dataUri: 'azureml://x' });
  fake.seed('data', 'scraped', '1', { dataType: 'uri_folder', dataUri: 'azureml://y' });
}

describe('AzureAuditSource', () => {
  beforeEach(reset);

  it('lists every resource through nextLink, and sends nothing but GETs', async () => {
    populate();
    const src = new AzureAuditSource(workspaceFor(fake));
    expect(await src.location()).toBe('eastus');
    const computes = await src.computes();
    expect(computes.map((c) => c.name).sort()).toEqual([
      'always-on',
      'ci-alice',
      'ci-bob',
      'ci-carol',
      'gpu-cluster',
      'slow-down',
    ]);
    expect(computes.find((c) => c.name === 'always-on')).toMatchObject({
      computeType: 'AmlCompute',
      vmSize: 'STANDARD_NC6S_V3',
      minNodes: 1,
      idleSeconds: 120,
      currentNodes: 1,
      runningNodes: 0,
    });
    expect(computes.find((c) => c.name === 'ci-bob')).toMatchObject({
      computeType: 'ComputeInstance',
      state: 'Running',
      idleShutdownSeconds: 1800,
      stopSchedules: 0,
    });
    expect(computes.find((c) => c.name === 'ci-carol')).toMatchObject({ state: 'Stopped', stopSchedules: 1 });
    expect(await src.deployments()).toEqual([
      { endpoint: 'flowers', name: 'blue', instanceType: 'Standard_DS3_v2', instanceCount: 2, traffic: 100 },
      { endpoint: 'flowers', name: 'green', instanceType: 'Standard_DS3_v2', instanceCount: 1, traffic: 0 },
    ]);
    const jobs = await src.activeJobs();
    // Finished jobs are left out by status, archived ones by listViewType=ActiveOnly on the request.
    expect(jobs.map((j) => j.name).sort()).toEqual(['fine', 'ours', 'stuck']);
    expect(jobs.find((j) => j.name === 'stuck')).toMatchObject({
      status: 'Running',
      compute: 'gpu-cluster',
      timeoutSeconds: 3600,
      instanceCount: 1,
    });
    expect(Date.parse(jobs.find((j) => j.name === 'stuck')!.createdAt!)).toBeLessThan(
      Date.now() - 3 * 3600_000 + 60_000,
    );
    expect((await src.environments()).map((a) => `${a.name}:${a.version}`).sort()).toEqual([
      'tf-gpu:1',
      'tf-gpu:2',
      'tf-gpu:3',
    ]);
    expect((await src.dataVersions()).map((a) => `${a.name}:${a.version}`).sort()).toEqual(['flowers:4', 'scraped:1']);

    const arm = fake.armRequests();
    expect(new Set(arm.map((r) => r.method))).toEqual(new Set(['GET']));
    // Six computes at two a page: three pages, each asked once.
    expect(arm.filter((r) => r.path.endsWith('/computes')).map((r) => r.query.get('$skip') ?? '0')).toEqual([
      '0',
      '2',
      '4',
    ]);
    expect(arm.find((r) => r.path.endsWith('/jobs'))!.query.get('listViewType')).toBe('ActiveOnly');
  });

  it('a workspace without computes, endpoints, jobs or assets: every list is empty', async () => {
    const src = new AzureAuditSource(workspaceFor(fake));
    expect(
      await Promise.all([src.computes(), src.deployments(), src.activeJobs(), src.environments(), src.dataVersions()]),
    ).toEqual([[], [], [], [], []]);
  });

  it('403 names the role to grant', async () => {
    fake.denied.push(/\/computes$/);
    const p = new AzureAuditSource(workspaceFor(fake)).computes();
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(
      /listing computes in workspace mlw-dev .*not allowed \(AuthorizationFailed.*grant it the role "Reader" \(or "AzureML Data Scientist"\) on the workspace/,
    );
  });

  it('a wrong workspace name is a ConfigurationError naming it, not an empty audit', async () => {
    await expect(new AzureAuditSource(workspaceFor(fake, { name: 'mlw-typo' })).environments()).rejects.toThrow(
      /workspace mlw-typo was not found/,
    );
  });
});

describe('tfaml audit (the command)', () => {
  let gh: GitHubServer;
  let dir: string;
  beforeEach(async () => {
    reset();
    gh = await startGitHubServer({ repo: 'acme/flowers' });
    dir = mkdtempSync(path.join(tmpdir(), 'tfaml audit é '));
    writeFileSync(
      path.join(dir, 'tfaml.yml'),
      [
        'version: 1',
        'project: flowers-classifier',
        'owners: ["@acme/ml-platform"]',
        'workspace:',
        `  subscription-id: ${fake.subscriptionId}`,
        `  resource-group: ${fake.resourceGroup}`,
        `  name: ${fake.workspaceName}`,
        'train:',
        '  target: local',
        '  expected-hours: 1',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'tfaml.lock'),
      JSON.stringify({
        lockfileVersion: 1,
        environments: {
          'tf-gpu:1': { file: 'e.yml', hash: 'a' },
          'tf-gpu:2': { file: 'e.yml', hash: 'b' },
          'tf-gpu:3': { file: 'e.yml', hash: 'c' },
        },
        data: { 'flowers:4': { file: 'd.yml' } },
        models: {},
      }),
    );
    vi.stubEnv('GITHUB_REPOSITORY', 'acme/flowers');
    for (const [k, v] of Object.entries(fakeEnv(fake))) vi.stubEnv(k, v!);
  });
  afterEach(() => gh.close());

  const deps = (): AuditDeps => ({
    prices: pricesFor('snapshot', { projectRoot: dir, log: capture().log }),
    issues: gitHubCodeHost({ token: 't', repository: 'acme/flowers', baseUrl: gh.url }),
  });
  const run = async (extra: Record<string, string> = {}, d: AuditDeps = deps()) => {
    const out = capture('action');
    const code = await audit(
      inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json', auth: 'client-secret', ...extra }),
      out,
      d,
    );
    return {
      code,
      out,
      report: JSON.parse(out.stdout) as {
        findings: { rule: string; severity: string; resource: string; monthlyUsd: number | null; message: string }[];
        summary: { errors: number; warnings: number; monthlyUsd: number };
      },
    };
  };

  it('reports every rule with its monthly cost, exits 1 on errors, and keeps one issue', async () => {
    populate();
    const { code, out, report } = await run();
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.rule} ${f.severity} ${f.resource} ${f.monthlyUsd}`)).toEqual([
      'audit/compute-instance-running error computes/ci-alice 213.89',
      'audit/compute-instance-running warning computes/ci-bob 213.89',
      'audit/cluster-not-scaled-to-zero error computes/always-on 2233.8',
      'audit/cluster-not-scaled-to-zero warning computes/slow-down 0',
      'audit/endpoint-always-on error onlineEndpoints/flowers/deployments/green 213.89',
      'audit/endpoint-always-on warning onlineEndpoints/flowers/deployments/blue 427.78',
      'audit/job-over-limit error jobs/ours 2233.8',
      'audit/job-over-limit error jobs/stuck 2233.8',
      'audit/untracked-asset warning data/scraped/versions/1 0',
    ]);
    expect(report.summary).toEqual({ errors: 5, warnings: 4, monthlyUsd: 7770.85 });
    expect(out.outputs).toMatchObject({ errors: '5', warnings: '4', 'month-usd': '7770.85' });
    expect(fake.armRequests().every((r) => r.method === 'GET')).toBe(true);

    // One issue, by marker, authored by the token's identity.
    expect(gh.issues.size).toBe(1);
    const issue = [...gh.issues.values()][0]!;
    expect(issue.title).toBe('tfaml audit: 5 errors, 4 warnings in workspace mlw-dev ($7770.85 a month)');
    expect(issue.body.startsWith('<!-- tfaml-audit: mlw-dev -->')).toBe(true);
    expect(issue.body).toContain('| ❌ | audit/compute-instance-running | computes/ci-alice | $213.89 |');
    expect(out.outputs['issue-url']).toBe(`https://github.com/acme/flowers/issues/${issue.number}`);
    expect(out.summaries[0]).toBe(issue.body);

    // The next run updates that issue in place; once clean, it closes it.
    fake.computes.delete('ci-alice');
    expect((await run()).code).toBe(1);
    expect(gh.issues.size).toBe(1);
    expect(issue.title).toMatch(/^tfaml audit: 4 errors, 4 warnings/);
    reset();
    const clean = await run();
    expect(clean.code).toBe(0);
    expect(clean.report.findings).toEqual([]);
    expect(issue.state).toBe('closed');
    expect(gh.issues.size).toBe(1);
    // Clean again: nothing to close, nothing written.
    const writes = gh.writes.length;
    expect((await run()).code).toBe(0);
    expect(gh.writes.length).toBe(writes);
  });

  it("reads the production registry's versions of model.name for owner tags", async () => {
    writeFileSync(
      path.join(dir, 'tfaml.yml'),
      readFileSync(path.join(dir, 'tfaml.yml'), 'utf8') +
        'model:\n  name: flowers-classifier\n  hub: https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_100_224/feature_vector/3/default/1\n  format: graph\n  input-shape: [224, 224, 3]\n  fine-tune: none\n',
    );
    const asked: string[] = [];
    const { code, report } = await run(
      {},
      {
        ...deps(),
        production: async (_config, model): Promise<{ description: string; models: ProductionModel[] }> => {
          asked.push(model);
          return {
            description: 'registry mlr-prod',
            models: [
              { name: model, version: '1.0.0', tags: { owner: '@acme/ml-platform' } },
              { name: model, version: '1.1.0', tags: {} },
            ],
          };
        },
      },
    );
    expect(asked).toEqual(['flowers-classifier']);
    expect(code).toBe(0);
    expect(report.findings.map((f) => [f.rule, f.resource])).toEqual([
      ['audit/untracked-asset', 'models/flowers-classifier/versions/1.1.0'],
    ]);
  });

  it('never edits an issue someone else opened with the marker', async () => {
    await gh.close();
    gh = await startGitHubServer({
      repo: 'acme/flowers',
      issues: [
        {
          title: 'spoof',
          body: '<!-- tfaml-audit: mlw-dev -->\nplease @everyone',
          state: 'open',
          user: { login: 'mallory' },
        },
      ],
    });
    fake.addComputeInstance('ci-alice', { state: 'Running' });
    await run();
    const all = [...gh.issues.values()];
    expect(all.map((i) => [i.user.login, i.title.slice(0, 11)])).toEqual([
      ['mallory', 'spoof'],
      ['github-actions[bot]', 'tfaml audit'],
    ]);
  });

  it('resource names from Azure are inert in the issue and the summary', async () => {
    fake.addEndpoint('ep', [{ name: 'x', instanceType: 'Standard_DS3_v2', instanceCount: 1 }], { x: 0 });
    // A deployment's name cannot carry markdown in Azure, but tfaml does not rely on that.
    (fake.endpoints.get('ep')!.deployments[0] as { name: string }).name = '@acme/admins [x](https://evil)';
    (fake.endpoints.get('ep')!.body.properties as { traffic: unknown }).traffic = {
      '@acme/admins [x](https://evil)': 0,
    };
    const { out } = await run();
    expect(out.summaries[0]).not.toMatch(/@acme|[^\\]\]\(/);
    expect(out.summaries[0]).toContain('@&#8203;acme/admins \\[x\\](https&#8203;://evil)');
  });

  it('a workspace the identity may not list is exit 2 naming the role; nothing is posted', async () => {
    fake.denied.push(/\/onlineEndpoints$/);
    await expect(run()).rejects.toThrow(/listing online endpoints in workspace mlw-dev .*grant it the role "Reader"/);
    expect(gh.writes).toEqual([]);
  });

  it('tfaml.yml without a workspace is exit 2 at the file', async () => {
    writeFileSync(path.join(dir, 'tfaml.yml'), 'version: 1\nproject: p\nowners: ["@a"]\n');
    const p = run();
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(/tfaml audit reads a live Azure ML workspace, and tfaml.yml names none/);
  });

  it('post-issue without a token is exit 2 before Azure is asked', async () => {
    await expect(run({ 'post-issue': 'true' }, { prices: deps().prices })).rejects.toThrow(
      /post-issue needs github-token/,
    );
    expect(fake.armRequests()).toEqual([]);
  });

  it('text on the CLI, and no issue unless asked', async () => {
    fake.addCompute('always-on', { minNodeCount: 2, maxNodeCount: 2 }, 'AmlCompute', 'STANDARD_NC6S_V3', {
      current: 2,
    });
    const out = capture('cli');
    const code = await audit(
      inputs({ config: path.join(dir, 'tfaml.yml'), auth: 'client-secret', prices: 'snapshot' }),
      out,
    );
    expect(code).toBe(1);
    expect(out.stdout).toMatch(/^tfaml audit of workspace mlw-dev \(resource group rg-ml-dev\) in eastus at /);
    expect(out.stdout).toMatch(
      /error {3}audit\/cluster-not-scaled-to-zero {2}computes\/always-on {2}\$4467\.60\/month/,
    );
    expect(out.stdout).toMatch(/1 error\(s\), 0 warning\(s\); \$4467\.60 a month at current prices/);
    expect(gh.requests).toEqual([]);
  });
});
