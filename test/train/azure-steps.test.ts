/**
 * The Azure training steps (src/train/azure) as domain logic over the in-memory Workspace: no HTTP, no SDK. The
 * adapter's own behaviour against the HTTPS fake stays in test/azure/train-azure.test.ts.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { ConfigurationError, RegistryConflictError } from '../../src/core/errors.js';
import { RULES } from '../../src/core/findings.js';
import { TERMINAL_JOB_STATES, type Log, type Workspace } from '../../src/core/ports.js';
import { MODEL_PROPS, RUN_TAG, SUBMISSION_TAG, TAGS } from '../../src/core/tags.js';
import { resolveProject } from '../../src/lock/resolve.js';
import { ensureAssets } from '../../src/train/azure/assets.js';
import { buildCommandJob, jobNameFor, submissionHash, trainJob } from '../../src/train/azure/job.js';
import { registerJobModel } from '../../src/train/azure/register.js';
import type { FollowJob } from '../../src/train/azure/submit-follow.js';
import { trainOnWorkspace, type WorkspaceTrainOptions } from '../../src/train/azure/train.js';
import { copyExample, patch } from '../helpers/project.js';
import { MemoryWorkspace } from '../fakes/memory-workspace.js';

/** Reads the job until it ends, as the adapter's follower does without its backoff. */
const follow: FollowJob = async (ws: Workspace, name: string) => {
  for (let requests = 1; ; requests++) {
    const job = (await ws.getJob(name))!;
    if (TERMINAL_JOB_STATES.includes(job.status)) return { job, requests, elapsedMs: requests * 60_000 };
  }
};

function logger(lines: string[]): Log {
  return {
    info: (m) => void lines.push(m),
    warning: (m) => void lines.push(`warning: ${m}`),
    progress: () => {},
  };
}

async function azureProject(dir = copyExample()) {
  patch(dir, 'tfaml.yml', 'target: local', 'target: azure');
  const config = loadConfig(path.join(dir, 'tfaml.yml'), { knownRules: Object.keys(RULES) });
  const project = loadProject(config);
  return { project, resolved: await resolveProject(project) };
}

function options(lines: string[] = [], extra: Partial<WorkspaceTrainOptions> = {}): WorkspaceTrainOptions {
  return { log: logger(lines), gitSha: 'abc123', configHash: 'sha256:cfg', runId: '42-1', follow, ...extra };
}

let ws: MemoryWorkspace;
beforeEach(() => {
  ws = new MemoryWorkspace();
});

describe('train on Azure, over the Workspace port', () => {
  it('registers what is missing, uploads the code, submits once and registers the model with lineage', async () => {
    const { project, resolved } = await azureProject();
    const r = await trainOnWorkspace(ws, project, resolved, options());
    expect(r).toMatchObject({ submitted: true, status: 'Completed', metrics: { accuracy: 0.9, loss: 0.3 } });
    expect(ws.environments.has('tf-gpu:3')).toBe(true);
    expect(ws.data.get('flowers:1')?.dataUri).toBe('azureml://datastores/workspaceblobstore/paths/flowers/v1/');
    expect([...ws.uploads.keys()]).toEqual([expect.stringMatching(/^LocalUpload\/tfaml\/code\/[0-9a-f]{32}$/)]);
    const job = ws.jobs.get(r.jobName)!;
    expect(job.spec).toMatchObject({
      environmentId: ws.resourceId('environments', 'tf-gpu', '3'),
      computeId: ws.resourceId('computes', 'gpu-cluster'),
      inputs: { data: { type: 'uri_folder', uri: `azureml:${ws.resourceId('data', 'flowers', '1')}` } },
      codeId: expect.stringMatching(/\/codes\/tfaml-code-[0-9a-f]{16}\/versions\/1$/),
    });
    expect(job.spec.tags[RUN_TAG]).toBe('42-1');
    expect(job.spec.tags[SUBMISSION_TAG]).toBe(submissionHash(job.spec));
    expect(r.model).toMatchObject({ name: 'flowers-classifier', version: '1' });
    expect(r.tags).toMatchObject({ [TAGS.gitSha]: 'abc123', [TAGS.runId]: r.jobName, [TAGS.target]: 'azure' });
    expect(r.model.properties[MODEL_PROPS.job]).toBe(r.jobName);
  });

  it('names the job deterministically: the same commit and config give the same name in any workspace', async () => {
    const { project, resolved } = await azureProject();
    const first = await trainOnWorkspace(ws, project, resolved, options());
    const other = new MemoryWorkspace();
    const second = await trainOnWorkspace(other, project, resolved, options([], { runId: '43-2' }));
    expect(first.jobName).toMatch(/^tfaml-flowers-classifier-[0-9a-f]{16}$/);
    // The workflow run's tag is not part of the submission: a re-run of the workflow finds the same job.
    expect(second.jobName).toBe(first.jobName);
    const spec = ws.jobs.get(first.jobName)!.spec;
    expect(jobNameFor('flowers-classifier', submissionHash(spec))).toBe(first.jobName);
    expect(jobNameFor('Flowers Classifier!', 'abc', 2)).toBe('tfaml-flowers-classifier--abc-r2');
    const changed = await azureProject();
    changed.project.config.train!.epochs = 6;
    const third = await trainOnWorkspace(new MemoryWorkspace(), changed.project, changed.resolved, options());
    expect(third.jobName).not.toBe(first.jobName);
  });

  it('a re-run follows the job it already submitted: nothing is submitted, uploaded or registered twice', async () => {
    const { project, resolved } = await azureProject();
    const first = await trainOnWorkspace(ws, project, resolved, options());
    const before = { createJob: ws.count('createJob'), createModelVersion: ws.count('createModelVersion') };
    const lines: string[] = [];
    // force: past the fingerprint, as a re-run after a crash between submitting and registering goes.
    const second = await trainOnWorkspace(ws, project, resolved, { ...options(lines), force: true });
    expect(second).toMatchObject({ jobName: first.jobName, submitted: false });
    expect(second.model.version).toBe(first.model.version);
    expect(ws.count('createJob')).toBe(before.createJob);
    expect(ws.count('createModelVersion')).toBe(before.createModelVersion);
    expect(ws.count('createEnvironment')).toBe(1);
    expect(ws.jobs.size).toBe(1);
    expect(ws.models.size).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/is unchanged since its last upload; not uploading it again/));
    expect(lines).toContainEqual(
      expect.stringMatching(/already submitted for this commit and config \(Completed\); following it instead/),
    );
  });

  it('reuses an environment already registered with the same content', async () => {
    const { project, resolved } = await azureProject();
    const job = trainJob(project);
    await ensureAssets(ws, project, resolved, job, logger([]));
    const registered = ws.environments.get('tf-gpu:3');
    expect(registered?.image).toMatch(/^mcr\.microsoft\.com\/azureml\/openmpi/);
    const lines: string[] = [];
    const again = await ensureAssets(ws, project, resolved, job, logger(lines));
    expect(again).toEqual({ environment: 'tf-gpu:3', data: { data: 'flowers:1' } });
    expect(ws.count('createEnvironment')).toBe(1);
    expect(ws.count('createData')).toBe(1);
    expect(lines).toEqual([]);
    expect(ws.environments.get('tf-gpu:3')).toBe(registered);
  });

  it('refuses an environment version registered with other content, before submitting anything', async () => {
    const { project, resolved } = await azureProject();
    ws.environments.set('tf-gpu:3', { name: 'tf-gpu', version: '3', image: 'other@sha256:1', tags: {} });
    const run = trainOnWorkspace(ws, project, resolved, options());
    await expect(run).rejects.toThrow(RegistryConflictError);
    await expect(run).rejects.toThrow(
      /already has environment tf-gpu:3 with different content \(image "other@sha256:1" registered.*bump `version`/,
    );
    expect(ws.count('createEnvironment')).toBe(0);
    expect(ws.count('createJob')).toBe(0);
  });

  it('a job the follower left NotResponding fails train, says it was not cancelled, and the next run follows it again', async () => {
    const { project, resolved } = await azureProject();
    ws.script = { statuses: ['Queued', 'Running', 'NotResponding'] };
    // The adapter's follower gives up after its bound and returns the job as it is.
    const gaveUp: FollowJob = async (w, name) => {
      let job = (await w.getJob(name))!;
      for (let i = 0; i < 5 && job.status !== 'NotResponding'; i++) job = (await w.getJob(name))!;
      return { job, requests: 3, elapsedMs: 40 * 60_000 };
    };
    const run = trainOnWorkspace(ws, project, resolved, options([], { follow: gaveUp }));
    await expect(run).rejects.toThrow(ConfigurationError);
    await expect(run).rejects.toThrow(
      /Azure ML job (tfaml-flowers-classifier-[0-9a-f]{16}) is still NotResponding: tfaml stopped waiting for it and did not cancel it, so it may resume and keep its compute nodes; .*run train again to follow it to its end, or cancel it \(`az ml job cancel -n \1`\)/,
    );
    expect(ws.models.size).toBe(0);
    expect(ws.count('cancelJob')).toBe(0);
    // It came back: the next run follows the same job instead of submitting another.
    const [name] = [...ws.jobs.keys()];
    ws.jobs.get(name!)!.script = { statuses: ['Running', 'Completed'], metrics: { accuracy: 0.9 } };
    ws.jobs.get(name!)!.step = 0;
    const again = await trainOnWorkspace(ws, project, resolved, options());
    expect(again).toMatchObject({ jobName: name, submitted: false, status: 'Completed' });
  });

  it('the in-memory workspace refuses what Azure would: a YAML mode spelling in the spec is a 400', async () => {
    const { project } = await azureProject();
    const spec = buildCommandJob(project, trainJob(project), {
      environmentId: 'env',
      computeId: 'compute',
      dataIds: {},
      tags: {},
    });
    const wrong = { ...spec, inputs: { data: { type: 'uri_folder', uri: 'x', mode: 'ro_mount' } } } as never;
    await expect(ws.createJob('j', wrong)).rejects.toThrow('400 UserError: input data mode ro_mount');
  });

  it('a cancelled job registers no model, and the next run submits it again under -r2', async () => {
    const { project, resolved } = await azureProject();
    ws.script = { statuses: ['Queued', 'Running', 'CancelRequested', 'Canceled'] };
    const run = trainOnWorkspace(ws, project, resolved, options());
    await expect(run).rejects.toThrow(ConfigurationError);
    await expect(run).rejects.toThrow(/Azure ML job tfaml-flowers-classifier-[0-9a-f]{16} ended Canceled; logs: /);
    expect(ws.models.size).toBe(0);
    const [cancelled] = [...ws.jobs.keys()];
    ws.script = { statuses: ['Running', 'Completed'], metrics: { accuracy: 0.8 } };
    const lines: string[] = [];
    const retry = await trainOnWorkspace(ws, project, resolved, options(lines));
    expect(retry).toMatchObject({ jobName: `${cancelled}-r2`, submitted: true, metrics: { accuracy: 0.8 } });
    expect(lines).toContainEqual(`job ${cancelled} ended Canceled; submitting it again as a new job`);
  });

  it('refuses a job name that exists without this submission tag', async () => {
    const { project, resolved } = await azureProject();
    const first = await trainOnWorkspace(ws, project, resolved, options());
    ws.jobs.get(first.jobName)!.info.tags[SUBMISSION_TAG] = 'someone-else';
    await expect(trainOnWorkspace(ws, project, resolved, { ...options(), force: true })).rejects.toThrow(
      /has a job named tfaml-flowers-classifier-[0-9a-f]{16} that tfaml did not submit for this commit/,
    );
  });

  it('registers a job model once: a second registration returns the version the job made', async () => {
    const job = { name: 'tfaml-x-1', status: 'Completed', tags: {} };
    const a = await registerJobModel(ws, { name: 'm', job, output: 'model', metrics: { accuracy: 0.9 }, tags: {} });
    const b = await registerJobModel(ws, { name: 'm', job, output: 'model', metrics: { accuracy: 0.9 }, tags: {} });
    expect(b).toEqual(a);
    expect(ws.count('createModelVersion')).toBe(1);
    expect(a).toMatchObject({
      version: '1',
      modelUri: 'azureml://jobs/tfaml-x-1/outputs/model/paths/',
      tags: { [`tfaml.metric.accuracy`]: '0.9' },
      properties: { [MODEL_PROPS.job]: 'tfaml-x-1', [MODEL_PROPS.contentHash]: 'azureml-job:tfaml-x-1' },
    });
    const other = await registerJobModel(ws, {
      name: 'm',
      job: { ...job, name: 'tfaml-x-2' },
      output: 'model',
      metrics: {},
      tags: {},
    });
    expect(other.version).toBe('2');
  });

  it('builds the command job from the job YAML plus the training settings of tfaml.yml', async () => {
    const { project } = await azureProject();
    const spec = buildCommandJob(project, trainJob(project), {
      environmentId: 'env-id',
      computeId: 'compute-id',
      dataIds: { data: 'data-id' },
      tags: {},
    });
    expect(spec).toMatchObject({
      experimentName: 'flowers-classifier',
      displayName: 'flowers-train',
      outputs: { model: { type: 'custom_model' } },
      instanceCount: 1,
      environmentVariables: { TFAML_EPOCHS: '5', TFAML_BATCH_SIZE: '16', TFAML_SEED: '42', TFAML_FINE_TUNE: 'none' },
    });
  });
});
