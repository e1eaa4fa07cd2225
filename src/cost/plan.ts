/**
 * What costs money in a project, read from tfaml.yml and the Azure ML YAML it governs: the training job on its
 * cluster (or serverless instance type), and every managed online deployment. Pure: the files are already loaded.
 * What cannot be priced (a job whose compute no file defines, a compute without a size) is a ConfigurationError at
 * the line to fix.
 */
import { ConfigurationError, type SourceLocation } from '../core/errors.js';
import { findCompute } from '../config/links.js';
import type { JobFile, Project } from '../config/project.js';
import { canonicalSku } from './catalog.js';

export interface TrainingPlan {
  /** The job file, project-relative. */
  job: string;
  /** The cluster's name, or `serverless`. */
  compute: string;
  computeFile?: string;
  instanceType: string;
  instanceCount: number;
  /** low-priority: the cluster's `tier: low_priority`, billed on the low-priority meter. */
  tier: 'dedicated' | 'low-priority';
  /** idle_time_before_scale_down; undefined when the file leaves it to Azure's default. */
  idleSeconds?: number;
  /** min_instances: nodes that never scale down. */
  minInstances: number;
  /** limits.timeout (trial_timeout for a sweep), in hours: the ceiling of a run. */
  timeoutHours?: number;
  /** train.expected-hours. */
  expectedHours?: number;
  /** A sweep's trials and how many run at once. */
  sweep?: { trials: number; concurrent: number };
  /** train.target: local runs on the runner, so this is what the same run costs on Azure. */
  target: 'local' | 'azure';
  /** Where the size was written, for errors about it. */
  sizeAt: SourceLocation;
}

export interface EndpointPlan {
  file: string;
  /** endpoint/deployment. */
  name: string;
  instanceType: string;
  instanceCount: number;
  sizeAt: SourceLocation;
}

export interface CostPlan {
  project: string;
  /** The model's name in the registries, for the history of run durations. */
  model?: string;
  region: string;
  currency: string;
  budgetUsd?: number;
  maxIncreaseUsd?: number;
  overrideLabel?: string;
  training?: TrainingPlan;
  endpoints: EndpointPlan[];
  /** Where cost.region and cost.currency were written. */
  regionAt: SourceLocation;
  currencyAt: SourceLocation;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)
      ? Number(v)
      : undefined;

function trainingJob(project: Project): JobFile | undefined {
  const t = project.config.train?.job;
  return t ? project.jobs.find((j) => j.doc.file === t || j.entry.path === t) : project.jobs[0];
}

function trainingPlan(project: Project, job: JobFile): TrainingPlan {
  const data = obj(job.doc.data);
  const resources = obj(data.resources);
  const limits = obj(data.limits);
  const train = project.config.train;
  const base = {
    job: job.doc.file,
    instanceCount: job.instanceCount ?? 1,
    timeoutHours: job.timeoutSeconds === undefined ? undefined : job.timeoutSeconds / 3600,
    expectedHours: train?.expectedHours,
    sweep:
      job.type === 'sweep'
        ? { trials: num(limits.max_total_trials) ?? 1, concurrent: Math.max(1, num(limits.max_concurrent_trials) ?? 1) }
        : undefined,
    target: train?.target ?? 'azure',
  };
  const serverless = typeof resources.instance_type === 'string' ? resources.instance_type : undefined;
  if (job.compute === undefined) {
    if (serverless)
      return {
        ...base,
        compute: 'serverless',
        instanceType: canonicalSku(serverless),
        tier: 'dedicated',
        minInstances: 0,
        idleSeconds: 0,
        sizeAt: job.doc.locate(['resources', 'instance_type']),
      };
    throw new ConfigurationError(
      `the training job has no \`compute:\` (and no resources.instance_type for serverless compute), so its cost cannot be estimated; add \`compute: azureml:<cluster name>\``,
      job.doc.locate([]),
    );
  }
  const compute = findCompute(project, job.compute.value);
  if (!compute) {
    const names = project.compute.map((c) => c.name);
    throw new ConfigurationError(
      `the job runs on compute ${JSON.stringify(job.compute.value.replace(/^azureml:/i, ''))}, but no compute file listed under \`compute:\` in tfaml.yml defines it, so its VM size is unknown; ${names.length ? `the compute files define ${names.join(', ')}` : "add the cluster's YAML (type: amlcompute, size: …) to `compute:`"}`,
      job.doc.locate(job.compute.at),
    );
  }
  if (!compute.size)
    throw new ConfigurationError(
      `the compute ${compute.name} has no \`size\`, so its cost cannot be estimated; add the VM size, e.g. size: Standard_NC6s_v3`,
      compute.doc.locate([]),
    );
  const tier = compute.tier?.toLowerCase().replace(/[-\s]/g, '_') === 'low_priority' ? 'low-priority' : 'dedicated';
  return {
    ...base,
    compute: compute.name,
    computeFile: compute.doc.file,
    instanceType: canonicalSku(compute.size),
    tier,
    idleSeconds: compute.idleSeconds,
    minInstances: compute.minInstances ?? 0,
    sizeAt: compute.doc.locate(['size']),
  };
}

/** The plan of a loaded project, or undefined when tfaml.yml has no `cost:` section. */
export function planCost(project: Project): CostPlan | undefined {
  const cost = project.config.cost;
  if (!cost) return undefined;
  const job = trainingJob(project);
  const endpoints: EndpointPlan[] = [];
  for (const e of project.endpoints) {
    if (!e.instanceType)
      throw new ConfigurationError(
        'the deployment has no `instance_type`, so its cost cannot be estimated; add the VM size, e.g. instance_type: Standard_DS3_v2',
        e.doc.locate([]),
      );
    endpoints.push({
      file: e.doc.file,
      name: `${e.endpointName ?? '?'}/${e.name ?? '?'}`,
      instanceType: canonicalSku(e.instanceType),
      instanceCount: e.instanceCount,
      sizeAt: e.doc.locate(['instance_type']),
    });
  }
  return {
    project: project.config.project,
    model: project.config.model?.name,
    region: cost.region,
    currency: cost.currency,
    budgetUsd: cost.budgetUsd,
    maxIncreaseUsd: cost.maxIncreaseUsd,
    overrideLabel: cost.overrideLabel,
    training: job ? trainingPlan(project, job) : undefined,
    endpoints,
    regionAt: project.config.doc.locate(['cost', 'region']),
    currencyAt: project.config.doc.locate(['cost', 'currency']),
  };
}

/** Every VM size a plan needs a price for. */
export function planSkus(plan: CostPlan): string[] {
  return [
    ...new Set([...(plan.training ? [plan.training.instanceType] : []), ...plan.endpoints.map((e) => e.instanceType)]),
  ];
}
