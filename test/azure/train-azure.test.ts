import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datastoreContainer } from '../../src/adapters/azure/blob.js';
import { cancelAzureRun, trainOnAzure, type AzureTrainOptions } from '../../src/adapters/azure/train.js';
import type { AzureWorkspace } from '../../src/adapters/azure/workspace.js';
import { RegistryConflictError } from '../../src/core/errors.js';
import { TAGS } from '../../src/core/tags.js';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { RULES } from '../../src/core/findings.js';
import { resolveProject } from '../../src/lock/resolve.js';
import { ENV_HASH_TAG } from '../../src/core/tags.js';
import { copyExample, patch, write } from '../helpers/project.js';
import { type Azurite } from '../fakes/arm/azurite.js';
import { type FakeArm } from '../fakes/arm/server.js';
import { fakeEnv, workspaceFor } from './helpers.js';
import { exampleOnFake, startTrainFakes } from './train-fakes.js';

let fake: FakeArm;
let azurite: Azurite;
let fakes: Awaited<ReturnType<typeof startTrainFakes>>;
let virtual = 0;
beforeAll(async () => {
  fakes = await startTrainFakes();
  ({ fake, azurite } = fakes);
  fake.now = () => virtual;
});
afterAll(() => fakes.close());
beforeEach(() => {
  virtual = Date.parse('2026-01-01T00:00:00Z');
  fakes.reset();
  fake.jobPlan = {
    queuedSeconds: 60,
    runningSeconds: 30 * 60,
    outcome: 'Completed',
    metrics: { accuracy: 0.94, loss: 0.2 },
  };
});

function ws(): AzureWorkspace {
  return workspaceFor(fake, { env: fakeEnv(fake, { TFAML_BLOB_URL: azurite.blobUrl }) });
}

async function project(dir = copyExample()) {
  return load(exampleOnFake(fake, dir));
}

async function load(dir: string) {
  const config = loadConfig(path.join(dir, 'tfaml.yml'), { knownRules: Object.keys(RULES) });
  const p = loadProject(config);
  return { dir, project: p, resolved: await resolveProject(p) };
}

function options(logs: string[], extra: Partial<AzureTrainOptions> = {}): AzureTrainOptions {
  return {
    log: { info: (m) => void logs.push(m), warning: (m) => void logs.push(`warning: ${m}`), progress: () => {} },
    gitSha: 'abc123',
    configHash: 'sha256:cfg',
    runId: '42-1',
    workspace: ws(),
    clock: { now: () => virtual },
    sleep: async (ms) => void (virtual += ms),
    retry: { retryDelayInMs: 10 },
    ...extra,
  };
}

describe('train on Azure against the fake', () => {
  it('registers what is missing, uploads code, submits once, follows within 4 requests per job-minute, registers the model', async () => {
    const { project: p, resolved } = await project();
    const logs: string[] = [];
    const r = await trainOnAzure(p, resolved, options(logs));
    expect(r).toMatchObject({ submitted: true, status: 'Completed', metrics: { accuracy: 0.94, loss: 0.2 } });
    expect(r.jobName).toMatch(/^tfaml-flowers-classifier-[0-9a-f]{16}$/);
    // environment and data were registered from the files; code went to the datastore in Azurite
    expect(fake.versions('environments', 'tf-gpu').get('3')).toBeDefined();
    expect((fake.versions('data', 'flowers').get('1')!.properties as { dataUri: string }).dataUri).toBe(
      'azureml://datastores/workspaceblobstore/paths/flowers/v1/',
    );
    const codes = [...fake.assets.codes!.values()];
    expect(codes).toHaveLength(1);
    expect(String((codes[0]!.get('1')!.properties as { codeUri: string }).codeUri)).toMatch(
      new RegExp(`^${azurite.blobUrl}/azureml-blobstore-test/LocalUpload/tfaml/code/[0-9a-f]{32}$`),
    );
    // The code snapshot the job gets is the project's files only; the upload's completion record is beside it.
    const codePrefix = String((codes[0]!.get('1')!.properties as { codeUri: string }).codeUri).replace(
      /^.*?\/azureml-blobstore-test\//,
      '',
    );
    const store = datastoreContainer(await ws().defaultDatastore(), fake.datastoreKey, ws().credential!);
    const codeBlobs: string[] = [];
    for await (const b of store.listBlobsFlat({ prefix: `${codePrefix}/` })) codeBlobs.push(b.name);
    expect(codeBlobs.length).toBeGreaterThan(0);
    expect(codeBlobs.filter((b) => b.includes('.tfaml-complete'))).toEqual([]);
    expect(await store.getBlobClient(`${codePrefix}.tfaml-complete`).exists()).toBe(true);
    // the job body
    const body = fake.jobs.get(r.jobName)!.body.properties as {
      inputs: Record<string, unknown>;
      environmentVariables: Record<string, string>;
      limits: unknown;
      tags: Record<string, string>;
    };
    expect(body).toMatchObject({
      jobType: 'Command',
      experimentName: 'flowers-classifier',
      computeId: `${fake.workspaceId}/computes/gpu-cluster`,
      environmentId: `${fake.workspaceId}/environments/tf-gpu/versions/3`,
    });
    expect(body.inputs.data).toEqual({
      jobInputType: 'uri_folder',
      uri: `azureml:${fake.workspaceId}/data/flowers/versions/1`,
      mode: 'ReadOnlyMount',
    });
    expect(body.environmentVariables).toMatchObject({
      TFAML_EPOCHS: '5',
      TFAML_BATCH_SIZE: '16',
      TFAML_SEED: expect.any(String),
    });
    expect(body.limits).toEqual({ jobLimitsType: 'Command', timeout: 'PT7200S' });
    expect(body.tags['tfaml.github-run']).toBe('42-1');
    // status changes printed once each
    expect(logs.filter((l) => / → /.test(l))).toEqual([
      expect.stringMatching(/NotStarted → Queued/),
      expect.stringMatching(/Queued → Running/),
      expect.stringMatching(/Running → Completed \(31m\d\ds\)/),
    ]);
    // the budget: ≤ 4 ARM requests per job-minute over a 31-minute job
    const perMinute = r.followRequests / r.jobMinutes;
    console.log(
      `follow: ${r.followRequests} ARM requests over ${r.jobMinutes.toFixed(1)} job-minutes = ${perMinute.toFixed(2)} per job-minute`,
    );
    expect(perMinute).toBeLessThanOrEqual(4);
    // model registered with metrics and lineage
    expect(r.model).toMatchObject({
      name: 'flowers-classifier',
      version: '1',
      modelUri: `azureml://jobs/${r.jobName}/outputs/model/paths/`,
    });
    expect(r.tags).toMatchObject({
      [TAGS.gitSha]: 'abc123',
      [TAGS.environment]: 'tf-gpu:3',
      [TAGS.data]: 'flowers:1',
      [TAGS.runId]: r.jobName,
      [TAGS.target]: 'azure',
      [TAGS.instanceType]: 'STANDARD_NC6S_V3',
      [TAGS.instanceCount]: '1',
      'tfaml.metric.accuracy': '0.94',
    });
    expect(Number(r.tags[TAGS.durationSeconds])).toBeGreaterThan(1800);
    expect(r.model.properties['tfaml.metrics-json']).toBe('{"accuracy":0.94,"loss":0.2}');
  });

  it('a re-run follows the job it already submitted: nothing is submitted, uploaded or registered twice', async () => {
    const { project: p, resolved } = await project();
    const first = await trainOnAzure(p, resolved, options([]));
    const logs: string[] = [];
    // force: past the fingerprint (which would reuse the model without looking at the job), as a re-run after a
    // crash between submitting and registering goes.
    const second = await trainOnAzure(p, resolved, options(logs, { force: true }));
    expect(second.jobName).toBe(first.jobName);
    expect(second.submitted).toBe(false);
    expect(second.model.version).toBe(first.model.version);
    expect(fake.jobs.size).toBe(1);
    expect(fake.versions('models', 'flowers-classifier').size).toBe(1);
    expect(fake.requests.filter((q) => q.method === 'PUT' && q.path.includes('/jobs/')).length).toBe(1);
    expect(logs).toContainEqual(expect.stringMatching(/is unchanged since its last upload; not uploading it again/));
    expect(logs).toContainEqual(
      expect.stringMatching(
        /already submitted for this commit and config \(Completed\); following it instead of submitting again/,
      ),
    );
  });

  it('the same training again reuses the registered model: one filtered list, no job submitted, nothing written', async () => {
    const { project: p, resolved } = await project();
    const first = await trainOnAzure(p, resolved, options([]));
    expect(first.decision).toBe('trained');
    expect(first.tags[TAGS.fingerprint]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.tags[TAGS.fingerprint]).toBe(first.fingerprint);
    fake.requests.length = 0;
    const logs: string[] = [];
    const again = await trainOnAzure(p, resolved, options(logs));
    expect(again).toMatchObject({
      decision: 'reused',
      fingerprint: first.fingerprint,
      submitted: false,
      jobName: first.jobName,
      metrics: { accuracy: 0.94, loss: 0.2 },
      model: { version: '1' },
    });
    const arm = fake.armRequests();
    expect(arm.filter((q) => q.method !== 'GET')).toEqual([]);
    expect(arm.filter((q) => q.path.includes('/jobs'))).toEqual([]);
    const lists = arm.filter((q) => /\/models\/flowers-classifier\/versions$/.test(q.path));
    expect(lists).toHaveLength(1);
    expect(lists[0]!.query.get('tags')).toBe(`${TAGS.fingerprint}=${first.fingerprint}`);
    expect(fake.jobs.size).toBe(1);
    expect(fake.versions('models', 'flowers-classifier').size).toBe(1);
    expect(logs).toContainEqual(
      `flowers-classifier:1 in ${ws().description} has this training fingerprint; not submitting a job`,
    );
  });

  it('the fake filters by tag as ModelVersions_List does: another fingerprint finds nothing, so a change of epochs submits', async () => {
    const dir = copyExample();
    const { project: p, resolved } = await project(dir);
    const first = await trainOnAzure(p, resolved, options([]));
    patch(dir, 'tfaml.yml', 'epochs: 5', 'epochs: 6');
    const changed = await load(dir);
    const r = await trainOnAzure(changed.project, changed.resolved, options([]));
    expect(r.decision).toBe('trained');
    expect(r.fingerprint).not.toBe(first.fingerprint);
    expect(r.submitted).toBe(true);
    expect(fake.jobs.size).toBe(2);
    expect(r.model.version).toBe('2');
  });

  it('records the estimated and actual cost the command prices, from the real duration and instance count', async () => {
    const { project: p, resolved } = await project();
    const seen: unknown[] = [];
    const r = await trainOnAzure(
      p,
      resolved,
      options([], {
        costTags: (run, earlier) => {
          seen.push({ run, earlier: earlier.length });
          return { [TAGS.estimatedUsd]: '1.5000', [TAGS.actualUsd]: '1.6000', [TAGS.priceUsd]: '3.06' };
        },
      }),
    );
    expect(seen).toEqual([
      { run: { durationSeconds: expect.any(Number), instanceType: 'STANDARD_NC6S_V3', instanceCount: 1 }, earlier: 0 },
    ]);
    // The duration tag is rounded to whole seconds.
    expect(Math.round((seen[0] as { run: { durationSeconds: number } }).run.durationSeconds)).toBe(
      Number(r.tags[TAGS.durationSeconds]),
    );
    expect(r.tags).toMatchObject({
      [TAGS.estimatedUsd]: '1.5000',
      [TAGS.actualUsd]: '1.6000',
      [TAGS.priceUsd]: '3.06',
    });
  });

  it('refuses a cluster that is not ephemeral, before creating anything', async () => {
    const { project: p, resolved } = await project();
    fake.addCompute('gpu-cluster', { minNodeCount: 1, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT10M' });
    await expect(trainOnAzure(p, resolved, options([]))).rejects.toThrow(
      /compute gpu-cluster keeps 1 node\(s\) running with no job \(min_instances 1\)/,
    );
    expect(fake.jobs.size).toBe(0);
    expect(fake.versions('environments', 'tf-gpu').size).toBe(0);
  });

  it('refuses an environment registered with other content (the 409 it would get), submitting nothing', async () => {
    const { project: p, resolved } = await project();
    fake.seed('environments', 'tf-gpu', '3', { image: 'other@sha256:1' });
    const run = trainOnAzure(p, resolved, options([]));
    await expect(run).rejects.toThrow(RegistryConflictError);
    await expect(run).rejects.toThrow(
      /already has environment tf-gpu:3 with different content \(image "other@sha256:1" registered/,
    );
    expect(fake.jobs.size).toBe(0);
  });

  it('a failed job reports its error and where its logs are; no model is registered', async () => {
    const { project: p, resolved } = await project();
    fake.jobPlan = { ...fake.jobPlan, outcome: 'Failed', error: 'ModuleNotFoundError: No module named tensorflow_hub' };
    const run = trainOnAzure(p, resolved, options([]));
    await expect(run).rejects.toThrow(ConfigurationError);
    await expect(run).rejects.toThrow(
      /ended Failed: ModuleNotFoundError: No module named tensorflow_hub; logs: https:\/\/ml.azure.com\/runs\/tfaml-flowers-classifier-/,
    );
    expect(fake.versions('models', 'flowers-classifier').size).toBe(0);
  });

  it('cancelling the workflow cancels the job in Azure', async () => {
    const { project: p, resolved } = await project();
    const abort = new AbortController();
    const logs: string[] = [];
    const run = trainOnAzure(
      p,
      resolved,
      options(logs, {
        sleep: async (ms) => {
          virtual += ms;
          if (virtual - Date.parse('2026-01-01T00:00:00Z') > 5 * 60_000) abort.abort();
        },
        signal: abort.signal,
      }),
    );
    await expect(run).rejects.toThrow(/ended Canceled/);
    const job = [...fake.jobs.values()][0]!;
    expect(fake.jobStatus(job)).toBe('Canceled');
    expect(fake.requests.filter((q) => q.path.endsWith('/cancel')).map((q) => q.status)).toEqual([202]);
    expect(logs).toContainEqual(expect.stringMatching(/workflow cancelled: cancelling Azure ML job/));
  });

  it('the `if: cancelled()` step cancels the unfinished jobs of its run only', async () => {
    const { project: p, resolved } = await project();
    fake.jobPlan = { ...fake.jobPlan, queuedSeconds: 0, runningSeconds: 10_000 };
    const abandon = new AbortController();
    // The runner is killed mid-follow: the job keeps running in Azure.
    const run = trainOnAzure(
      p,
      resolved,
      options([], {
        sleep: async () => {
          throw new Error('runner killed');
        },
        signal: abandon.signal,
      }),
    );
    await expect(run).rejects.toThrow('runner killed');
    const logs: string[] = [];
    const cancelled = await cancelAzureRun(p, '42-1', {
      log: { info: (m) => void logs.push(m), warning: () => {}, progress: () => {} },
      workspace: ws(),
    });
    expect(cancelled).toHaveLength(1);
    expect(fake.jobs.get(cancelled[0]!)!.cancelledAt).toBeDefined();
    expect(
      await cancelAzureRun(p, '99-1', {
        log: { info: (m) => void logs.push(m), warning: () => {}, progress: () => {} },
        workspace: ws(),
      }),
    ).toEqual([]);
  });

  it('throttled polls (429 + Retry-After) are waited out and the job is still followed to the end', async () => {
    const { project: p, resolved } = await project();
    fake.jobPlan = { ...fake.jobPlan, queuedSeconds: 0, runningSeconds: 60 };
    fake.faults.push({ method: 'GET', path: /\/jobs\/tfaml-/, kind: 'status', status: 429, retryAfter: 1, times: 2 });
    const r = await trainOnAzure(p, resolved, options([]));
    expect(r.status).toBe('Completed');
    const gets = fake.requests.filter((q) => q.method === 'GET' && /\/jobs\/tfaml-/.test(q.path)).map((q) => q.status);
    expect(gets.slice(0, 3)).toEqual([429, 429, 404]);
  });
});

/** The example project with tf-gpu:<version> built from a docker context beside its YAML (as `az ml environment create` takes it). */
async function builtProject(version = '3', dir = copyExample()) {
  mkdirSync(path.join(dir, 'azureml/environments/docker-context/scripts'), { recursive: true });
  write(
    dir,
    'azureml/environments/docker-context/Dockerfile.gpu',
    'FROM mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04@sha256:3f0e6c4a4f3c2b1d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n',
  );
  write(dir, 'azureml/environments/docker-context/requirements.txt', 'tensorflow==2.14.1\nmlflow==2.9.2\n');
  write(dir, 'azureml/environments/docker-context/scripts/entry.sh', '#!/bin/sh\nexec "$@"\n');
  write(
    dir,
    'azureml/environments/tf-gpu.yml',
    `name: tf-gpu\nversion: "${version}"\ndescription: TensorFlow built from a docker context\nbuild:\n  path: ./docker-context\n  dockerfile_path: Dockerfile.gpu\n`,
  );
  if (version === '3') return project(dir);
  patch(dir, 'azureml/jobs/train.yml', 'azureml:tf-gpu:3', `azureml:tf-gpu:${version}`);
  return load(dir);
}

async function contextBlobs(): Promise<{ name: string; etag?: string }[]> {
  const store = await ws().defaultDatastore();
  const container = datastoreContainer(store, fake.datastoreKey, ws().credential!);
  const out: { name: string; etag?: string }[] = [];
  for await (const b of container.listBlobsFlat({ prefix: 'LocalUpload/tfaml/environment/' }))
    out.push({ name: b.name, etag: b.properties.etag });
  return out;
}

describe('environments built from a docker context', () => {
  const CONTEXT = /^LocalUpload\/tfaml\/environment\/([0-9a-f]{32})\//;

  it('uploads the context to the default datastore once and registers the version with build { contextUri, dockerfilePath }', async () => {
    const dir = copyExample();
    const { project: p, resolved } = await builtProject('3', dir);
    const logs: string[] = [];
    const before = new Set((await contextBlobs()).map((b) => b.name));
    const r = await trainOnAzure(p, resolved, options(logs));
    expect(r.status).toBe('Completed');
    const fresh = (await contextBlobs()).filter((b) => !before.has(b.name));
    const blobs = fresh.filter((b) => CONTEXT.test(b.name));
    const key = blobs[0]!.name.match(CONTEXT)![1]!;
    // The completion record is beside the context, never in it: the image build sees only the project's files.
    expect(blobs.map((b) => b.name).sort()).toEqual(
      ['Dockerfile.gpu', 'requirements.txt', 'scripts/entry.sh'].map(
        (f) => `LocalUpload/tfaml/environment/${key}/${f}`,
      ),
    );
    expect(fresh.filter((b) => !CONTEXT.test(b.name)).map((b) => b.name)).toEqual([
      `LocalUpload/tfaml/environment/${key}.tfaml-complete`,
    ]);
    const env = fake.versions('environments', 'tf-gpu').get('3')!.properties as Record<string, unknown>;
    expect(env.build).toEqual({
      contextUri: `${azurite.blobUrl}/azureml-blobstore-test/LocalUpload/tfaml/environment/${key}/`,
      dockerfilePath: 'Dockerfile.gpu',
    });
    expect(env.image).toBeUndefined();
    expect((env.tags as Record<string, string>)[ENV_HASH_TAG]).toBe(resolved.environments.get('tf-gpu:3')!.hash);
    expect(logs).toContainEqual(
      'uploaded azureml/environments/docker-context (3 files, 257 bytes) to workspaceblobstore',
    );
    expect((fake.jobs.get(r.jobName)!.body.properties as { environmentId: string }).environmentId).toBe(
      `${fake.workspaceId}/environments/tf-gpu/versions/3`,
    );

    // A re-run finds the version registered: nothing is uploaded or registered again.
    const etags = await contextBlobs();
    const again: string[] = [];
    fake.requests.length = 0;
    await trainOnAzure(p, resolved, options(again));
    expect(again.filter((l) => /docker-context|registering environment/.test(l))).toEqual([]);
    expect(fake.requests.filter((q) => q.method === 'PUT' && q.path.includes('/environments/'))).toEqual([]);
    expect(await contextBlobs()).toEqual(etags);

    // A new version with the same context reuses the upload: the blobs are not written again.
    const { project: p4, resolved: r4 } = await builtProject('4', dir);
    const next: string[] = [];
    await trainOnAzure(p4, r4, options(next));
    expect(next).toContainEqual(
      'azureml/environments/docker-context is unchanged since its last upload; not uploading it again',
    );
    expect(await contextBlobs()).toEqual(etags);
    expect((fake.versions('environments', 'tf-gpu').get('4')!.properties as { build: unknown }).build).toEqual(
      env.build,
    );
  });

  it("leaves out .git and what the context's .gitignore excludes, as the Azure ML CLI does", async () => {
    const dir = copyExample();
    mkdirSync(path.join(dir, 'azureml/environments/docker-context/.git'), { recursive: true });
    write(dir, 'azureml/environments/docker-context/.git/config', '[core]\n');
    write(dir, 'azureml/environments/docker-context/secret.env', 'TOKEN=1\n');
    write(dir, 'azureml/environments/docker-context/.gitignore', 'secret.env\n');
    const { project: p, resolved } = await builtProject('3', dir);
    const before = new Set((await contextBlobs()).map((b) => b.name));
    const logs: string[] = [];
    expect((await trainOnAzure(p, resolved, options(logs))).status).toBe('Completed');
    const names = (await contextBlobs())
      .filter((b) => !before.has(b.name) && CONTEXT.test(b.name))
      .map((b) => b.name.replace(CONTEXT, ''));
    expect(names.sort()).toEqual(['.gitignore', 'Dockerfile.gpu', 'requirements.txt', 'scripts/entry.sh']);
    expect(logs).toContainEqual('azureml/environments/docker-context: files its .gitignore excludes were not uploaded');
  });

  it('refuses a registered version built from another context (content hash): nothing uploaded, registered or submitted', async () => {
    const { project: p, resolved } = await builtProject();
    const seeded = fake.seed('environments', 'tf-gpu', '3', {
      build: {
        contextUri: 'https://other.blob.core.windows.net/azureml/LocalUpload/0123/ctx/',
        dockerfilePath: 'Dockerfile.gpu',
      },
      tags: { [ENV_HASH_TAG]: 'sha256:0123456789abcdef0123456789abcdef' },
    });
    const before = await contextBlobs();
    const run = trainOnAzure(p, resolved, options([]));
    await expect(run).rejects.toThrow(RegistryConflictError);
    await expect(run).rejects.toThrow(
      `workspace mlw-dev (resource group rg-ml-dev) already has environment tf-gpu:3 with different content (content hash sha256:0123456789ab… registered, ${resolved.environments.get('tf-gpu:3')!.hash.slice(0, 19)}… in this file); bump \`version\` in azureml/environments/tf-gpu.yml`,
    );
    expect(await contextBlobs()).toEqual(before);
    expect(fake.versions('environments', 'tf-gpu').get('3')).toBe(seeded);
    expect(fake.requests.filter((q) => q.method === 'PUT')).toEqual([]);
    expect(fake.jobs.size).toBe(0);
  });

  it('refuses an untagged version whose context tfaml uploaded with other files', async () => {
    const { project: p, resolved } = await builtProject();
    fake.seed('environments', 'tf-gpu', '3', {
      build: {
        contextUri: `${azurite.blobUrl}/azureml-blobstore-test/LocalUpload/tfaml/environment/${'0'.repeat(32)}/`,
        dockerfilePath: 'Dockerfile.gpu',
      },
    });
    const run = trainOnAzure(p, resolved, options([]));
    await expect(run).rejects.toThrow(RegistryConflictError);
    await expect(run).rejects.toThrow(
      `already has environment tf-gpu:3 with different content (the docker build context azureml/environments/docker-context differs from the one registered (${azurite.blobUrl}/azureml-blobstore-test/LocalUpload/tfaml/environment/${'0'.repeat(32)}/)); bump \`version\``,
    );
    expect(fake.requests.filter((q) => q.method === 'PUT')).toEqual([]);
    expect(fake.jobs.size).toBe(0);
  });
});

describe('faults on job submission', () => {
  const jobPuts = () => fake.requests.filter((q) => q.method === 'PUT' && /\/jobs\/tfaml-/.test(q.path));

  it.each([400, 409])(
    'quota exceeded (%i QuotaExceeded): says which VM family and region need quota, creates no job; with quota a re-run submits once',
    async (status) => {
      const { project: p, resolved } = await project();
      fake.quotas.push({
        family: 'standardNCSv3Family',
        vmSizes: { STANDARD_NC6S_V3: 6, STANDARD_NC12S_V3: 12 },
        limit: 0,
        status,
      });
      const err = await trainOnAzure(p, resolved, options([])).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConfigurationError);
      expect(jobPuts().map((q) => q.status)).toEqual([status]);
      const name = jobPuts()[0]!.path.split('/').pop()!;
      expect((err as Error).message).toBe(
        `submitting job ${name} to workspace mlw-dev (resource group rg-ml-dev): Azure quota exceeded (QuotaExceeded: Operation could not be completed as it results in exceeding approved standardNCSv3Family Cores quota. Additional details - Location: eastus, Current Limit: 0, Current Usage: 0, Additional Required: 6, (Minimum) New Limit Required: 6. Submit a request for Quota increase by specifying parameters listed in the 'Details' section for deployment to succeed.); request more quota for standardNCSv3Family in eastus (Azure portal → Quotas → Machine learning), or train on another VM size (resources.instance_type, or a cluster of another size) or with fewer instances`,
      );
      expect(fake.jobs.size).toBe(0);
      expect(fake.versions('models', 'flowers-classifier').size).toBe(0);

      // Quota granted: the same run submits the job once and finishes.
      fake.quotas[0]!.limit = 24;
      const logs: string[] = [];
      const r = await trainOnAzure(p, resolved, options(logs));
      expect(r).toMatchObject({ jobName: name, submitted: true, status: 'Completed' });
      expect(fake.jobs.size).toBe(1);
      expect(jobPuts().map((q) => q.status)).toEqual([status, 201]);
      expect(fake.versions('models', 'flowers-classifier').size).toBe(1);
    },
  );

  it('the job PUT is processed and then the connection drops: the retry recognises the job by its submission tag and submits nothing twice', async () => {
    const { project: p, resolved } = await project();
    fake.faults.push({ method: 'PUT', path: /\/jobs\/tfaml-/, kind: 'processed-then-reset' });
    const logs: string[] = [];
    const r = await trainOnAzure(p, resolved, options(logs));
    expect(r).toMatchObject({ submitted: true, status: 'Completed' });
    expect(fake.jobs.size).toBe(1);
    expect(jobPuts().map((q) => [q.status, q.dropped ?? false])).toEqual([
      [201, true],
      [409, false],
    ]);
    const submission = (fake.jobs.get(r.jobName)!.body.properties as { tags: Record<string, string> }).tags[
      'tfaml.submission'
    ];
    expect(logs.filter((l) => /submitting job|answer was lost/.test(l))).toEqual([
      `submitting job ${r.jobName} to workspace mlw-dev (resource group rg-ml-dev)`,
      `job ${r.jobName}: Azure created it on an attempt whose answer was lost, so the retry found it (submission ${submission}); following that job, not submitting a second one`,
    ]);
    expect(fake.versions('models', 'flowers-classifier').size).toBe(1);
  });
});
