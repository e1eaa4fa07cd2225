/**
 * train with `target: azure`, end to end: what src/commands/train.ts calls (lazily imported, so a local run never
 * loads @azure/*). The steps are the functions in src/train-azure over the Workspace port; this file builds the real
 * workspace, datastore uploader and follower, and wires cancel on workflow cancel.
 */
import type { Project } from '../../config/project.js';
import { ConfigurationError } from '../../core/errors.js';
import type { Resolved } from '../../lock/resolve.js';
import type { Clock, Log, RegisteredModel, Workspace } from '../../core/ports.js';
import {
  buildCommandJob,
  type DatastoreUpload,
  ensureAssets,
  jobMetrics,
  lineageTags,
  registerJobModel,
  requireEphemeralCompute,
  submitOrReuse,
  trainJob,
  uploadCode,
} from '../../train-azure/index.js';
import { ContainerUploader, datastoreContainer } from './blob.js';
import { cancelRunJobs, followJob } from './follow.js';
import { openWorkspace, type OpenOptions } from './index.js';
import type { AzureWorkspace } from './workspace.js';

import { MODEL_PROPS, RUN_TAG, TAGS } from '../../core/tags.js';
export interface AzureTrainOptions extends OpenOptions {
  log: Log;
  /** The commit trained (TAGS.gitSha) and the hash of tfaml.yml (TAGS.configHash). */
  gitSha: string;
  configHash: string;
  /** GITHUB_RUN_ID-GITHUB_RUN_ATTEMPT, tagged on the job so the `if: cancelled()` step finds it. */
  runId?: string;
  /** Fires when the workflow is cancelled (SIGINT/SIGTERM): the job is cancelled in Azure. */
  signal?: AbortSignal;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** Poll intervals (defaults 10 s growing to 60 s). */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  /** Use this workspace instead of opening the one tfaml.yml names (tests). */
  workspace?: AzureWorkspace;
}

export interface AzureTrainResult {
  jobName: string;
  /** False when a re-run found the job it had already submitted. */
  submitted: boolean;
  status: string;
  metrics: Record<string, number>;
  model: RegisteredModel;
  /** Tags registered on the model (lineage + metrics). */
  tags: Record<string, string>;
  /** ARM requests the follower made and the job's minutes, for the ≤ 4 per job-minute budget. */
  followRequests: number;
  jobMinutes: number;
}

export function workspaceOf(project: Project, opts: AzureTrainOptions): AzureWorkspace {
  if (opts.workspace) return opts.workspace;
  const ref = project.config.workspace;
  if (!ref)
    throw new ConfigurationError(
      'train.target is azure, so tfaml.yml needs `workspace:` (subscription-id, resource-group, name)',
      project.config.doc.locate(['train', 'target']),
    );
  return openWorkspace(ref, opts);
}

export async function trainOnAzure(
  project: Project,
  resolved: Resolved,
  opts: AzureTrainOptions,
): Promise<AzureTrainResult> {
  const { log } = opts;
  const job = trainJob(project);
  const ws = workspaceOf(project, opts);
  ws.log ??= log;
  await ws.check();
  const compute = await requireEphemeralCompute(ws, job, project.config.policy.maxIdleSeconds);
  // One uploader into the default datastore, made when the first folder (a docker build context, the code) needs it.
  let store: Promise<DatastoreUpload> | undefined;
  const upload = () =>
    (store ??= (async () => {
      const datastore = await ws.defaultDatastore();
      const key = await ws.datastoreKey(datastore.name);
      return {
        datastore,
        uploader: new ContainerUploader(datastoreContainer(datastore, key, ws.credential!, opts.retry), ws.scope),
      };
    })());
  const assets = await ensureAssets(ws, project, resolved, job, log, upload);
  let codeId: string | undefined;
  if ((job.doc.data as Record<string, unknown>).code !== undefined) {
    const { uploader, datastore } = await upload();
    codeId = await uploadCode(ws, uploader, datastore, project, job, log);
  }
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
  const dataKey = project.config.train?.data
    ? Object.values(assets.data).find((k) => k.startsWith(`${project.config.train!.data}:`))
    : Object.values(assets.data)[0];
  const instanceCount = job.instanceCount ?? 1;
  const baseTags = lineageTags(project, resolved, {
    gitSha: opts.gitSha,
    configHash: opts.configHash,
    environment: assets.environment,
    data: dataKey,
    jobName: '',
    instanceType: compute.vmSize,
    instanceCount,
  });
  delete baseTags[TAGS.runId];
  const spec = buildCommandJob(project, job, {
    codeId,
    environmentId,
    computeId: ws.resourceId('computes', compute.name),
    dataIds,
    tags: { ...baseTags, ...(opts.runId ? { [RUN_TAG]: opts.runId } : {}) },
  });
  const { job: submitted, submitted: fresh } = await submitOrReuse(ws, project.config.project, spec, log);
  const followed = await followJob(ws, submitted.name, {
    log,
    clock: opts.clock,
    sleep: opts.sleep,
    signal: opts.signal,
    initialIntervalMs: opts.initialIntervalMs,
    maxIntervalMs: opts.maxIntervalMs,
  });
  const { metrics, tags: runTags } = await jobMetrics(ws, followed.job);
  const output = Object.keys(spec.outputs ?? {})[0] ?? 'model';
  const tags = lineageTags(project, resolved, {
    gitSha: opts.gitSha,
    configHash: opts.configHash,
    environment: assets.environment,
    data: dataKey,
    jobName: submitted.name,
    instanceType: compute.vmSize,
    instanceCount,
    durationSeconds: followed.elapsedMs / 1000,
  });
  const name = project.config.model?.name ?? project.config.project;
  const model = await registerJobModel(ws, {
    name,
    job: followed.job,
    output,
    metrics,
    tags,
    contentHash: runTags[MODEL_PROPS.contentHash],
  });
  log.info(`registered ${name}:${model.version} in ${ws.description}`);
  return {
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

/** The `if: cancelled()` step: cancel every unfinished job this workflow run submitted. */
export async function cancelAzureRun(
  project: Project,
  runId: string,
  opts: Omit<AzureTrainOptions, 'gitSha' | 'configHash'>,
): Promise<string[]> {
  const ws: Workspace = opts.workspace ?? openWorkspace(project.config.workspace!, opts);
  return cancelRunJobs(ws, RUN_TAG, runId, opts.log);
}
