/**
 * The command job train submits, as pure functions of the project: which job file tfaml.yml names, the REST
 * CommandJob body built from it plus tfaml.yml's training settings, the submission hash and deterministic name a
 * re-run finds again, and the lineage tags the job and the registered model carry.
 */
import path from 'node:path';
import type { JobFile, Project } from '../../config/project.js';
import { sha256 } from '../../core/canonical.js';
import { ConfigurationError } from '../../core/errors.js';
import type { CommandJobSpec, InputDeliveryMode, JobAssetType, OutputDeliveryMode } from '../../core/ports.js';
import { RUN_TAG, SUBMISSION_TAG, TAGS } from '../../core/tags.js';
import type { Resolved } from '../../lock/resolve.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strOf = (v: unknown) => (typeof v === 'string' ? v : undefined);

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

export function computeName(job: JobFile): string {
  const v = job.compute?.value.trim() ?? '';
  const m = v.match(/^azureml:([^:@/]+)$/i) ?? v.match(/\/computes\/([^/]+)\/?$/i) ?? v.match(/^([\w-]+)$/);
  if (!m)
    throw new ConfigurationError(
      'the job needs `compute: azureml:<cluster>` (an amlcompute cluster) to train on Azure',
      job.doc.locate(job.compute?.at ?? []),
    );
  return m[1]!;
}

export interface BuildJobOptions {
  /** ARM id of the uploaded code version, when the job has `code:`. */
  codeId?: string;
  environmentId: string;
  computeId: string;
  dataIds: Record<string, string>;
  tags: Record<string, string>;
}

/**
 * The YAML's delivery modes and the REST enums they become. The REST API (Microsoft's azure-rest-api-specs,
 * specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2022-10-01/mfe.json,
 * definitions InputDeliveryMode and OutputDeliveryMode) takes only the enum spellings and answers 400 to `ro_mount`.
 * Output `direct` exists in the YAML but not in 2022-10-01's OutputDeliveryMode (ReadWriteMount, Upload), the
 * api-version tfaml submits with, so it is refused here rather than by Azure.
 */
const INPUT_MODES: Record<string, InputDeliveryMode> = {
  ro_mount: 'ReadOnlyMount',
  rw_mount: 'ReadWriteMount',
  download: 'Download',
  direct: 'Direct',
  eval_mount: 'EvalMount',
  eval_download: 'EvalDownload',
};
const OUTPUT_MODES: Record<string, OutputDeliveryMode> = { rw_mount: 'ReadWriteMount', upload: 'Upload' };
/** JobInputType / JobOutputType in the same spec, less `literal` (a literal input is a value, not a type). */
const ASSET_TYPES: readonly JobAssetType[] = [
  'uri_folder',
  'uri_file',
  'mltable',
  'custom_model',
  'mlflow_model',
  'triton_model',
];

type Where = (string | number)[];

/** The REST delivery mode of an input or output from its YAML `mode:` (absent: the service's default). */
function modeOf(job: JobFile, kind: 'input', name: string, v: Obj): InputDeliveryMode | undefined;
function modeOf(job: JobFile, kind: 'output', name: string, v: Obj): OutputDeliveryMode | undefined;
function modeOf(job: JobFile, kind: 'input' | 'output', name: string, v: Obj): string | undefined {
  if (v.mode === undefined) return undefined;
  const modes: Record<string, string> = kind === 'input' ? INPUT_MODES : OUTPUT_MODES;
  const m = typeof v.mode === 'string' && Object.hasOwn(modes, v.mode) ? modes[v.mode] : undefined;
  if (!m)
    throw new ConfigurationError(
      `${kind} ${name} has mode ${JSON.stringify(v.mode)}; Azure ML accepts ${Object.keys(modes).join(', ')}${kind === 'output' && v.mode === 'direct' ? ' for an output (direct is not an output mode in the API version tfaml submits with, 2022-10-01)' : ''}`,
      job.doc.locate([`${kind}s`, name, 'mode']),
    );
  return m;
}

function assetTypeOf(job: JobFile, v: Obj, at: Where, what: string): JobAssetType {
  if (v.type === undefined) return 'uri_folder';
  const t = ASSET_TYPES.find((x) => x === v.type);
  if (!t)
    throw new ConfigurationError(
      `${what} has type ${JSON.stringify(v.type)}; Azure ML accepts ${ASSET_TYPES.join(', ')}`,
      job.doc.locate([...at, 'type']),
    );
  return t;
}

/** A count of the distribution block: absent, or a whole number (int32 in the REST API) of at least `min`. */
function countOf(job: JobFile, dist: Obj, key: string, min: number): number | undefined {
  const v = dist[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 2 ** 31 - 1)
    throw new ConfigurationError(
      `distribution.${key} is ${JSON.stringify(v)}; it must be a whole number of at least ${min}`,
      job.doc.locate(['distribution', key]),
    );
  return v;
}

/** The YAML's `distribution:` as the REST DistributionConfiguration (PyTorch, TensorFlow, Mpi), counts included. */
function distributionOf(job: JobFile, y: Obj): CommandJobSpec['distribution'] {
  if (y.distribution === undefined || y.distribution === null) return undefined;
  if (!isObj(y.distribution))
    throw new ConfigurationError('`distribution` must be a mapping with a `type`', job.doc.locate(['distribution']));
  const dist = y.distribution;
  const type = strOf(dist.type)?.toLowerCase();
  if (type === 'tensorflow')
    return {
      type: 'TensorFlow',
      workerCount: countOf(job, dist, 'worker_count', 1),
      parameterServerCount: countOf(job, dist, 'parameter_server_count', 0),
    };
  if (type === 'pytorch' || type === 'mpi')
    return {
      type: type === 'mpi' ? 'Mpi' : 'PyTorch',
      processCountPerInstance: countOf(job, dist, 'process_count_per_instance', 1),
    };
  throw new ConfigurationError(
    `distribution.type is ${JSON.stringify(dist.type)}; Azure ML accepts mpi, pytorch, tensorflow`,
    job.doc.locate(dist.type === undefined ? ['distribution'] : ['distribution', 'type']),
  );
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
    const at = ['inputs', k];
    if (isObj(v) && typeof v.path === 'string') {
      const id = o.dataIds[k];
      inputs[k] = {
        type: assetTypeOf(job, v, at, `input ${k}`),
        uri: id ? `azureml:${id}` : v.path,
        mode: modeOf(job, 'input', k, v),
      };
    } else if (isObj(v) && v.value !== undefined && v.value !== null) {
      inputs[k] = { type: 'literal', value: String(v.value) };
    } else if (!isObj(v) && v !== undefined && v !== null) {
      inputs[k] = { type: 'literal', value: String(v) };
    } else {
      // Azure answers 400 to an input with neither (an asset input needs `uri`, a literal one `value`).
      throw new ConfigurationError(
        `input ${k} has neither \`path\` (a data asset or URI) nor a value; give it one`,
        job.doc.locate(at),
      );
    }
  }
  const outputs: NonNullable<CommandJobSpec['outputs']> = {};
  for (const [k, v] of Object.entries(isObj(y.outputs) ? y.outputs : {})) {
    if (!isObj(v)) continue;
    const at = ['outputs', k];
    outputs[k] = {
      type: assetTypeOf(job, v, at, `output ${k}`),
      ...(typeof v.path === 'string' ? { uri: v.path } : {}),
      mode: modeOf(job, 'output', k, v),
    };
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
    distribution: distributionOf(job, y),
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
