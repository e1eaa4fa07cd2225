/**
 * train with `target: azure`, as one function over the Workspace port (no @azure/* here): refuse a cluster that bills
 * while idle, ensure the environment, data and code the job names, build the command job and submit it under a
 * deterministic name (a re-run follows the job it already submitted), follow it, read its metrics through MLflow and
 * register the model in the experiment workspace with metrics and lineage as tags. src/adapters/azure/train.ts opens
 * the real workspace and follower and calls this.
 */
import type { Project } from '../../config/project.js';
import type { Log, RegisteredModel, Workspace } from '../../core/ports.js';
import { METRIC_TAG_PREFIX, MODEL_PROPS, RUN_TAG, TAGS } from '../../core/tags.js';
import type { Resolved } from '../../lock/resolve.js';
import { ensureAssets, lazyDatastore, uploadCode } from './assets.js';
import { requireEphemeralCompute } from './compute.js';
import { buildCommandJob, lineageTags, trainJob } from './job.js';
import { registerJobModel } from './register.js';
import { findReusable, majorOf, trainingFingerprint } from '../fingerprint.js';
import { projectCacheDir } from '../../core/cache.js';
import { TFAML_VERSION } from '../../core/version.js';
import { azureFingerprintParts } from './fingerprint.js';
import { jobMetrics, submitOrReuse, type FollowJob } from './submit-follow.js';

export interface WorkspaceTrainOptions {
  log: Log;
  /** The commit trained (TAGS.gitSha) and the hash of tfaml.yml (TAGS.configHash). */
  gitSha: string;
  configHash: string;
  /** GITHUB_RUN_ID-GITHUB_RUN_ATTEMPT, tagged on the job so the `if: cancelled()` step finds it. */
  runId?: string;
  follow: FollowJob;
  /** Submit even when the workspace has a model with this training fingerprint (src/train/fingerprint.ts). */
  force?: boolean;
  /**
   * Tags recording the run's estimated and actual cost, from its real duration and the versions registered before
   * it (src/cost/run-cost.ts); absent when the project has nothing to price with.
   */
  costTags?: (
    run: { durationSeconds: number; instanceType?: string; instanceCount: number },
    earlier: RegisteredModel[],
  ) => Record<string, string>;
}

export interface AzureTrainResult {
  /** reused: the workspace had a model with this fingerprint, and nothing was registered or submitted. */
  decision: 'trained' | 'reused';
  fingerprint: string;
  jobName: string;
  /** False when a re-run found the job it had already submitted. */
  submitted: boolean;
  status: string;
  metrics: Record<string, number>;
  model: RegisteredModel;
  /** Tags registered on the model (lineage + metrics). */
  tags: Record<string, string>;
  /** Requests the follower made and the job's minutes, for the ≤ 4 per job-minute budget. */
  followRequests: number;
  jobMinutes: number;
}

/** The metrics a registered job model carries (its properties, else its `tfaml.metric.*` tags). */
function registeredMetrics(m: RegisteredModel): Record<string, number> {
  const json = m.properties[MODEL_PROPS.metrics];
  if (json) return JSON.parse(json) as Record<string, number>;
  return Object.fromEntries(
    Object.entries(m.tags)
      .filter(([k]) => k.startsWith(METRIC_TAG_PREFIX))
      .map(([k, v]) => [k.slice(METRIC_TAG_PREFIX.length), Number(v)]),
  );
}

/** ARM ids of the job's environment and data inputs, from the `name:version` keys ensure returned. */
function assetIds(ws: Workspace, assets: { environment: string; data: Record<string, string> }) {
  const [envName, envVersion] = assets.environment.split(':') as [string, string];
  const environmentId = assets.environment.startsWith('azureml://')
    ? assets.environment
    : ws.resourceId('environments', envName, envVersion);
  const dataIds = Object.fromEntries(
    Object.entries(assets.data).map(([input, key]) => [
      input,
      ws.resourceId('data', ...(key.split(':') as [string, string])),
    ]),
  );
  return { environmentId, dataIds };
}

export async function trainOnWorkspace(
  ws: Workspace,
  project: Project,
  resolved: Resolved,
  opts: WorkspaceTrainOptions,
): Promise<AzureTrainResult> {
  const { log } = opts;
  const job = trainJob(project);
  const name = project.config.model?.name ?? project.config.project;
  const fingerprint = trainingFingerprint(
    await azureFingerprintParts(project, resolved, job, {
      cacheDir: projectCacheDir(project.config.root),
      tfamlMajor: majorOf(TFAML_VERSION),
    }),
  );
  await ws.check();
  if (!opts.force) {
    const found = findReusable(
      await ws.listModelVersions(name, { tags: { [TAGS.fingerprint]: fingerprint } }),
      fingerprint,
    );
    if (found) {
      log.info(`${name}:${found.version} in ${ws.description} has this training fingerprint; not submitting a job`);
      return {
        decision: 'reused',
        fingerprint,
        jobName: found.properties[MODEL_PROPS.job] ?? '',
        submitted: false,
        status: 'reused',
        metrics: registeredMetrics(found),
        model: found,
        tags: found.tags,
        followRequests: 0,
        jobMinutes: 0,
      };
    }
  }
  const compute = await requireEphemeralCompute(ws, job, project.config.policy.maxIdleSeconds);
  const upload = lazyDatastore(ws);
  const assets = await ensureAssets(ws, project, resolved, job, log, upload);
  const codeId =
    (job.doc.data as Record<string, unknown>).code !== undefined
      ? await uploadCode(ws, await upload(), project, job, log)
      : undefined;
  const { environmentId, dataIds } = assetIds(ws, assets);
  const dataKey = project.config.train?.data
    ? Object.values(assets.data).find((k) => k.startsWith(`${project.config.train!.data}:`))
    : Object.values(assets.data)[0];
  const instanceCount = job.instanceCount ?? 1;
  const tagsFor = (jobName: string, durationSeconds?: number) =>
    lineageTags(project, resolved, {
      gitSha: opts.gitSha,
      configHash: opts.configHash,
      environment: assets.environment,
      data: dataKey,
      jobName,
      instanceType: compute.vmSize,
      instanceCount,
      durationSeconds,
    });
  const baseTags: Record<string, string> = { ...tagsFor(''), [TAGS.fingerprint]: fingerprint };
  delete baseTags[TAGS.runId];
  const spec = buildCommandJob(project, job, {
    codeId,
    environmentId,
    computeId: ws.resourceId('computes', compute.name),
    dataIds,
    tags: { ...baseTags, ...(opts.runId ? { [RUN_TAG]: opts.runId } : {}) },
  });
  const { job: submitted, submitted: fresh } = await submitOrReuse(ws, project.config.project, spec, log);
  const followed = await opts.follow(ws, submitted.name);
  const { metrics, tags: runTags } = await jobMetrics(ws, followed.job);
  const durationSeconds = followed.elapsedMs / 1000;
  const cost = opts.costTags
    ? opts.costTags({ durationSeconds, instanceType: compute.vmSize, instanceCount }, await ws.listModelVersions(name))
    : {};
  const model = await registerJobModel(ws, {
    name,
    job: followed.job,
    output: Object.keys(spec.outputs ?? {})[0] ?? 'model',
    metrics,
    tags: { ...tagsFor(submitted.name, durationSeconds), [TAGS.fingerprint]: fingerprint, ...cost },
    contentHash: runTags[MODEL_PROPS.contentHash],
  });
  log.info(`registered ${name}:${model.version} in ${ws.description}`);
  return {
    decision: 'trained',
    fingerprint,
    jobName: submitted.name,
    submitted: fresh,
    status: followed.job.status,
    metrics,
    model,
    tags: model.tags,
    followRequests: followed.requests,
    jobMinutes: followed.elapsedMs / 60_000,
  };
}
