/**
 * train with `target: azure`, as functions over the Workspace port (no @azure/* here): make sure the environment and
 * data versions the job names exist (create what is missing, refuse what conflicts), build the command job from the
 * job YAML plus tfaml.yml, submit it under a deterministic name so a re-run follows the job it already submitted
 * instead of submitting again, refuse a cluster that is not ephemeral, follow it, read its metrics through MLflow and
 * register the model in the experiment workspace with metrics and lineage as tags.
 */
import path from 'node:path';
import { environmentDifferences } from '../checks/workspace.js';
import type { EnvironmentFile, JobFile, Project } from '../config/project.js';
import { parseAssetRef } from '../config/refs.js';
import { ConfigurationError } from '../core/errors.js';
import { sha256 } from '../core/canonical.js';
import { hashFolder } from '../lock/hash.js';
import type { Resolved } from '../lock/resolve.js';
import { RegistryConflictError } from '../core/errors.js';
import { METRIC_TAG_PREFIX, MODEL_PROPS, RUN_TAG, SUBMISSION_TAG, TAGS } from '../core/tags.js';
import {
  TERMINAL_JOB_STATES,
  type BlobUploader,
  type CommandJobSpec,
  type DatastoreInfo,
  type JobInfo,
  type Log,
  type RegisteredModel,
  type Workspace,
} from '../core/ports.js';

import { ENV_HASH_TAG } from '../core/tags.js';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function trainJob(project: Project): JobFile {
  const t = project.config.train;
  if (!t || t.target !== 'azure')
    throw new ConfigurationError('train.target is not azure', project.config.doc.locate(['train', 'target']));
  if (!t.job)
    throw new ConfigurationError(
      'train.target is azure, so train.job must name the command job YAML to submit',
      project.config.doc.locate(['train']),
    );
  const job = project.jobs.find((j) => path.posix.normalize(j.entry.path) === path.posix.normalize(t.job!));
  if (!job)
    throw new ConfigurationError(
      `train.job ${t.job} is not one of the files listed under \`jobs:\`; add it there so validate checks it`,
      project.config.doc.locate(['train', 'job']),
    );
  if (job.type !== 'command')
    throw new ConfigurationError(
      `train.job ${t.job} is a ${job.type} job; train submits command jobs`,
      job.doc.locate(['type']),
    );
  return job;
}

/** Where local folders go: the workspace's default datastore and an uploader into it (made on first use). */
export interface DatastoreUpload {
  datastore: DatastoreInfo;
  uploader: BlobUploader;
}

/** Prefix of tfaml's content-addressed uploads in the datastore: LocalUpload/tfaml/<kind>/<hash>. */
export const UPLOAD_PREFIX = 'LocalUpload/tfaml';

/** The short content hash of a folder, as it appears in its upload prefix. */
async function folderKey(abs: string, rel: string): Promise<string> {
  const { hash } = await hashFolder(abs, rel);
  return hash.replace(/^sha256:/, '').slice(0, 32);
}

/**
 * Uploads a project folder to the datastore under a content-addressed prefix (an unchanged folder is not uploaded
 * again) and returns its blob URL, the way the Azure ML CLI places code and docker build contexts.
 */
async function uploadFolder(
  store: DatastoreUpload,
  kind: 'code' | 'environment',
  abs: string,
  rel: string,
  log: Log,
): Promise<{ url: string; key: string }> {
  const short = await folderKey(abs, rel);
  const r = await store.uploader.uploadFolder(abs, `${UPLOAD_PREFIX}/${kind}/${short}`);
  log.info(
    r.uploaded
      ? `uploaded ${rel} (${r.files} files, ${r.bytes} bytes) to ${store.datastore.name}`
      : `${rel} is unchanged since its last upload; not uploading it again`,
  );
  return { url: r.url, key: short };
}

/** The content key of a build context tfaml uploaded, from its contextUri (undefined for any other URI). */
function uploadedKey(contextUri: string | undefined): string | undefined {
  return contextUri?.match(new RegExp(`/${UPLOAD_PREFIX}/environment/([0-9a-f]{32})/?$`))?.[1];
}

/**
 * ensure: the job's environment and data versions exist in the workspace with the content of the files. An
 * environment built from a docker context has its context uploaded first (through `upload`) and is registered with
 * `build: { contextUri, dockerfilePath }` as `az ml environment create` does.
 */
export async function ensureAssets(
  ws: Workspace,
  project: Project,
  resolved: Resolved,
  job: JobFile,
  log: Log,
  upload?: () => Promise<DatastoreUpload>,
): Promise<{ environment: string; data: Record<string, string> }> {
  const envRef =
    job.environment && typeof job.environment.value === 'string' ? parseAssetRef(job.environment.value) : undefined;
  if (!envRef || envRef.kind !== 'versioned') {
    if (envRef?.kind === 'registry-versioned')
      return { environment: job.environment!.value as string, data: await ensureData(ws, project, job, log) };
    throw new ConfigurationError(
      'the job must pin its environment as azureml:<name>:<version> (or a registry version) to train on Azure',
      job.doc.locate(job.environment?.at ?? []),
    );
  }
  const env = project.environments.find((e) => e.name === envRef.name && e.version === envRef.version);
  const registered = await ws.getEnvironment(envRef.name, envRef.version);
  const hash = resolved.environments.get(`${envRef.name}:${envRef.version}`)?.hash;
  if (registered) {
    if (env) {
      const diff = environmentDifferences(env, registered, hash);
      if (!diff.length && env.build && registered.build && registered.tags[ENV_HASH_TAG] === undefined)
        diff.push(...(await buildDifferences(project, env.build, registered.build)));
      if (diff.length)
        throw new RegistryConflictError(
          `${ws.description} already has environment ${env.name}:${env.version} with different content (${diff.join('; ')}); bump \`version\` in ${env.doc.file}`,
          env.doc.locate(['version']),
        );
    }
  } else {
    if (!env)
      throw new ConfigurationError(
        `environment ${envRef.name}:${envRef.version} is neither registered in ${ws.description} nor defined in a file under \`environments:\``,
        job.doc.locate(job.environment!.at),
      );
    let build: { contextUri: string; dockerfilePath: string } | undefined;
    if (env.build) {
      if (!upload)
        throw new ConfigurationError(
          `environment ${env.name}:${env.version} builds from a docker context, and there is no datastore to upload it to; register it once with \`az ml environment create -f ${env.doc.file}\``,
          env.doc.locate(['build']),
        );
      const { url } = await uploadFolder(
        await upload(),
        'environment',
        path.join(project.config.root, env.build.dir),
        env.build.dir,
        log,
      );
      // The CLI sends the context's blob URL with a trailing slash, and the Dockerfile relative to the context.
      build = { contextUri: `${url}/`, dockerfilePath: path.posix.relative(env.build.dir, env.build.dockerfile) };
    }
    log.info(`registering environment ${env.name}:${env.version} in ${ws.description}`);
    await ws.createEnvironment({
      name: env.name,
      version: env.version!,
      image: env.image,
      condaFile: env.conda?.text,
      build,
      description: strOf((env.doc.data as Obj).description),
      tags: { ...(hash ? { [ENV_HASH_TAG]: hash } : {}) },
    });
  }
  return { environment: `${envRef.name}:${envRef.version}`, data: await ensureData(ws, project, job, log) };
}

const strOf = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** For a version registered without tfaml's hash tag: its Dockerfile path, and its context when tfaml uploaded it. */
async function buildDifferences(
  project: Project,
  build: NonNullable<EnvironmentFile['build']>,
  registered: { contextUri?: string; dockerfilePath?: string },
): Promise<string[]> {
  const out: string[] = [];
  const dockerfile = path.posix.relative(build.dir, build.dockerfile);
  if ((registered.dockerfilePath ?? 'Dockerfile') !== dockerfile)
    out.push(`Dockerfile ${registered.dockerfilePath ?? 'Dockerfile'} registered, ${dockerfile} in this file`);
  const key = uploadedKey(registered.contextUri);
  if (key !== undefined && key !== (await folderKey(path.join(project.config.root, build.dir), build.dir)))
    out.push(`the docker build context ${build.dir} differs from the one registered (${registered.contextUri})`);
  return out;
}

async function ensureData(ws: Workspace, project: Project, job: JobFile, log: Log): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const input of job.inputs) {
    const r = parseAssetRef(input.value);
    if (r.kind !== 'versioned') continue;
    const file = project.data.find((d) => d.name === r.name && d.version === r.version);
    const registered = await ws.getData(r.name, r.version);
    if (registered) {
      if (file?.path && registered.dataUri.replace(/\/+$/, '') !== file.path.replace(/\/+$/, '')) {
        throw new RegistryConflictError(
          `${ws.description} already has data ${r.name}:${r.version} at ${registered.dataUri}, but ${file.doc.file} says ${file.path}; a data version is immutable: bump \`version\``,
          file.doc.locate(['version']),
        );
      }
    } else {
      if (!file || !file.path)
        throw new ConfigurationError(
          `input \`${input.name}\` uses ${input.value}, which is neither registered in ${ws.description} nor defined under \`data:\``,
          job.doc.locate(input.at),
        );
      log.info(`registering data ${r.name}:${r.version} in ${ws.description}`);
      await ws.createData({
        name: r.name,
        version: r.version,
        dataType: file.type ?? input.type ?? 'uri_folder',
        dataUri: file.path,
        description: strOf((file.doc.data as Obj).description),
      });
    }
    out[input.name] = `${r.name}:${r.version}`;
  }
  return out;
}

function computeName(job: JobFile): string {
  const v = job.compute?.value.trim() ?? '';
  const m = v.match(/^azureml:([^:@/]+)$/i) ?? v.match(/\/computes\/([^/]+)\/?$/i) ?? v.match(/^([\w-]+)$/);
  if (!m)
    throw new ConfigurationError(
      'the job needs `compute: azureml:<cluster>` (an amlcompute cluster) to train on Azure',
      job.doc.locate(job.compute?.at ?? []),
    );
  return m[1]!;
}

/** Refuse to train on a cluster that bills while idle: the live settings count, not only the YAML. */
export async function requireEphemeralCompute(
  ws: Workspace,
  job: JobFile,
  maxIdleSeconds: number,
): Promise<{ name: string; vmSize?: string }> {
  const name = computeName(job);
  const c = await ws.getCompute(name);
  const at = job.doc.locate(job.compute!.at);
  if (!c)
    throw new ConfigurationError(
      `compute ${name} does not exist in ${ws.description}; create it (az ml compute create -f <compute yml>) or fix \`compute:\``,
      at,
    );
  if (c.computeType.toLowerCase() !== 'amlcompute')
    throw new ConfigurationError(
      `compute ${name} is a ${c.computeType}, not an ephemeral amlcompute cluster; train on a cluster with min_instances: 0`,
      at,
    );
  if ((c.minNodes ?? 0) > 0)
    throw new ConfigurationError(
      `compute ${name} keeps ${c.minNodes} node(s) running with no job (min_instances ${c.minNodes}); set min_instances to 0 before training on it`,
      at,
    );
  if (c.idleSeconds !== undefined && c.idleSeconds > maxIdleSeconds)
    throw new ConfigurationError(
      `compute ${name} keeps idle nodes ${c.idleSeconds} s, above the policy of ${maxIdleSeconds} s; lower idle_time_before_scale_down`,
      at,
    );
  return { name, vmSize: c.vmSize };
}

export interface BuildJobOptions {
  /** ARM id of the uploaded code version, when the job has `code:`. */
  codeId?: string;
  environmentId: string;
  computeId: string;
  dataIds: Record<string, string>;
  tags: Record<string, string>;
}

/** The command job body: the job YAML as the CLI would send it, plus tfaml.yml's training settings as TFAML_* variables. */
export function buildCommandJob(project: Project, job: JobFile, o: BuildJobOptions): CommandJobSpec {
  const y = (isObj(job.doc.data) ? job.doc.data : {}) as Obj;
  const t = project.config.train!;
  const m = project.config.model;
  const command = strOf(y.command);
  if (!command) throw new ConfigurationError('the job has no `command`', job.doc.locate([]));
  const inputs: CommandJobSpec['inputs'] = {};
  for (const [k, v] of Object.entries(isObj(y.inputs) ? y.inputs : {})) {
    if (isObj(v) && typeof v.path === 'string') {
      const id = o.dataIds[k];
      inputs[k] = {
        type: (strOf(v.type) ?? 'uri_folder') as 'uri_folder',
        uri: id ? `azureml:${id}` : v.path,
        mode: strOf(v.mode),
      };
    } else if (isObj(v) && v.value !== undefined) {
      inputs[k] = { type: 'literal', value: String(v.value) };
    } else if (!isObj(v) && v !== undefined && v !== null) {
      inputs[k] = { type: 'literal', value: String(v) };
    }
  }
  const outputs: NonNullable<CommandJobSpec['outputs']> = {};
  for (const [k, v] of Object.entries(isObj(y.outputs) ? y.outputs : {})) {
    if (isObj(v)) outputs[k] = { type: (strOf(v.type) ?? 'uri_folder') as 'uri_folder', mode: strOf(v.mode) };
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(isObj(y.environment_variables) ? y.environment_variables : {}))
    env[k] = String(v);
  Object.assign(env, {
    TFAML_EPOCHS: String(t.epochs),
    TFAML_BATCH_SIZE: String(t.batchSize),
    TFAML_LEARNING_RATE: String(t.learningRate),
    TFAML_VALIDATION_SPLIT: String(t.validationSplit),
    TFAML_SEED: String(t.seed),
    ...(m
      ? {
          TFAML_HUB: m.hub,
          TFAML_MODEL_FORMAT: m.format,
          TFAML_INPUT_SHAPE: JSON.stringify(m.inputShape),
          TFAML_FINE_TUNE: m.fineTuneText ?? 'none',
        }
      : {}),
  });
  const dist = isObj(y.distribution) ? y.distribution : undefined;
  const distType = strOf(dist?.type)?.toLowerCase();
  return {
    command,
    codeId: o.codeId,
    environmentId: o.environmentId,
    computeId: o.computeId,
    experimentName: strOf(y.experiment_name) ?? project.config.project,
    displayName: strOf(y.display_name),
    description: strOf(y.description),
    inputs,
    outputs: Object.keys(outputs).length ? outputs : undefined,
    environmentVariables: env,
    instanceCount: job.instanceCount ?? 1,
    instanceType: isObj(y.resources) ? strOf(y.resources.instance_type) : undefined,
    distribution:
      distType === 'tensorflow'
        ? { type: 'TensorFlow', workerCount: typeof dist?.worker_count === 'number' ? dist.worker_count : undefined }
        : distType === 'pytorch'
          ? {
              type: 'PyTorch',
              processCountPerInstance:
                typeof dist?.process_count_per_instance === 'number' ? dist.process_count_per_instance : undefined,
            }
          : distType === 'mpi'
            ? { type: 'Mpi' }
            : undefined,
    timeoutSeconds: job.timeoutSeconds,
    tags: o.tags,
  };
}

/** What identifies a submission: the same commit, config and job body give the same name. */
export function submissionHash(spec: CommandJobSpec): string {
  const { tags, ...rest } = spec;
  const stable = Object.fromEntries(Object.entries(tags).filter(([k]) => k !== RUN_TAG && k !== SUBMISSION_TAG));
  return sha256(JSON.stringify({ ...rest, tags: stable })).slice(7, 23);
}

/** Job names are unique per workspace; `tfaml-<project>-<hash>` (lowercase, ≤ 255, the PUT's name pattern). */
export function jobNameFor(project: string, hash: string, attempt = 1): string {
  const p =
    project
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 60) || 'job';
  return `tfaml-${p}-${hash}${attempt > 1 ? `-r${attempt}` : ''}`;
}

/**
 * Submits the job unless this submission already exists: a running or completed job with the same name is followed
 * again (a re-run does not submit twice); one that failed or was cancelled is retried under the next `-rN` name.
 */
export async function submitOrReuse(
  ws: Workspace,
  project: string,
  spec: CommandJobSpec,
  log: Log,
): Promise<{ job: JobInfo; submitted: boolean }> {
  const hash = submissionHash(spec);
  const withTag = { ...spec, tags: { ...spec.tags, [SUBMISSION_TAG]: hash } };
  for (let attempt = 1; attempt <= 20; attempt++) {
    const name = jobNameFor(project, hash, attempt);
    const existing = await ws.getJob(name);
    if (existing) {
      if (existing.tags[SUBMISSION_TAG] !== hash)
        throw new RegistryConflictError(
          `${ws.description} has a job named ${name} that tfaml did not submit for this commit; delete or rename it`,
        );
      if (existing.status === 'Failed' || existing.status === 'Canceled') {
        log.info(`job ${name} ended ${existing.status}; submitting it again as a new job`);
        continue;
      }
      log.info(
        `job ${name} was already submitted for this commit and config (${existing.status}); following it instead of submitting again`,
      );
      return { job: existing, submitted: false };
    }
    log.info(`submitting job ${name} to ${ws.description}`);
    return { job: await ws.createJob(name, withTag), submitted: true };
  }
  throw new Error(`job ${jobNameFor(project, hash)} failed 20 times for this commit; not submitting it again`);
}

/** Uploads the job's `code:` folder (content-addressed: unchanged code is not uploaded again) and registers it. */
export async function uploadCode(
  ws: Workspace,
  uploader: BlobUploader,
  datastore: DatastoreInfo,
  project: Project,
  job: JobFile,
  log: Log,
): Promise<string | undefined> {
  const code = strOf((job.doc.data as Obj).code);
  if (!code) return undefined;
  const rel = path.posix.normalize(path.posix.join(path.posix.dirname(job.entry.path), code.replace(/^file:/, '')));
  const { url, key } = await uploadFolder(
    { uploader, datastore },
    'code',
    path.join(project.config.root, rel),
    rel,
    log,
  );
  return ws.createCodeVersion(`tfaml-code-${key.slice(0, 16)}`, '1', url);
}

/** The metrics of a finished job from the workspace's MLflow; a failed job's error becomes the message. */
export async function jobMetrics(
  ws: Workspace,
  job: JobInfo,
): Promise<{ metrics: Record<string, number>; tags: Record<string, string> }> {
  const run = await ws.getRun(job.name);
  if (job.status !== 'Completed') {
    const err = run?.tags['mlflow.runError'] ?? run?.tags['error'];
    throw new ConfigurationError(
      `Azure ML job ${job.name} ended ${job.status}${err ? `: ${err}` : ''}; logs: ${job.studioUrl ?? 'Azure ML studio'} (or \`az ml job stream -n ${job.name}\`)`,
    );
  }
  if (!run)
    throw new ConfigurationError(
      `Azure ML job ${job.name} completed but MLflow has no run ${job.name}; the training script must log its metrics with mlflow`,
    );
  return { metrics: run.metrics, tags: run.tags };
}

/** Registers the job's model output in the workspace with metrics and lineage; a re-run finds the version it made. */
export async function registerJobModel(
  ws: Workspace,
  o: {
    name: string;
    job: JobInfo;
    output: string;
    metrics: Record<string, number>;
    tags: Record<string, string>;
    contentHash?: string;
  },
): Promise<RegisteredModel> {
  const versions = await ws.listModelVersions(o.name);
  const mine = versions.find((v) => v.properties[MODEL_PROPS.job] === o.job.name);
  if (mine) return mine;
  const next = String(Math.max(0, ...versions.map((v) => (/^\d+$/.test(v.version) ? Number(v.version) : 0))) + 1);
  const metricTags = Object.fromEntries(
    Object.entries(o.metrics).map(([k, v]) => [`${METRIC_TAG_PREFIX}${k}`, String(v)]),
  );
  return ws.createModelVersion({
    name: o.name,
    version: next,
    modelUri: `azureml://jobs/${o.job.name}/outputs/${o.output}/paths/`,
    modelType: 'custom_model',
    tags: { ...o.tags, ...metricTags },
    properties: {
      [MODEL_PROPS.contentHash]: o.contentHash ?? `azureml-job:${o.job.name}`,
      [MODEL_PROPS.metrics]: JSON.stringify(o.metrics),
      [MODEL_PROPS.job]: o.job.name,
    },
  });
}

export function isTerminal(status: string): boolean {
  return TERMINAL_JOB_STATES.includes(status);
}

/** Lineage tags for an Azure run (TAGS), from what train knows. */
export function lineageTags(
  project: Project,
  resolved: Resolved,
  a: {
    gitSha: string;
    configHash: string;
    environment: string;
    data?: string;
    jobName: string;
    instanceType?: string;
    instanceCount: number;
    durationSeconds?: number;
  },
): Record<string, string> {
  const m = project.config.model;
  const dataHash = a.data ? resolved.data.get(a.data)?.hash : undefined;
  const out: Record<string, string> = {
    [TAGS.gitSha]: a.gitSha,
    [TAGS.configHash]: a.configHash,
    [TAGS.environment]: a.environment,
    [TAGS.runId]: a.jobName,
    [TAGS.backend]: 'azureml',
    [TAGS.target]: 'azure',
    [TAGS.instanceCount]: String(a.instanceCount),
  };
  if (a.data) out[TAGS.data] = a.data;
  if (dataHash) out[TAGS.dataHash] = dataHash;
  if (m) {
    out[TAGS.hub] = m.hub;
    out[TAGS.inputShape] = JSON.stringify(m.inputShape);
    if (resolved.model?.hash) out[TAGS.hubHash] = resolved.model.hash;
  }
  if (a.instanceType) out[TAGS.instanceType] = a.instanceType;
  if (a.durationSeconds !== undefined) out[TAGS.durationSeconds] = String(Math.round(a.durationSeconds));
  return out;
}
