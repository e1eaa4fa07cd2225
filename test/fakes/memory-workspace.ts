/**
 * The Workspace port (src/core/ports.ts) in memory, for domain tests of src/train/azure without HTTP or the Azure
 * SDK: environments, data, computes, code versions, jobs whose status follows a scripted sequence (one step per
 * read), MLflow runs, models and a default datastore whose uploads are recorded. Creating a version that exists is
 * idempotent for the same content and a RegistryConflictError for other content, as AzureWorkspace is
 * (src/adapters/azure/workspace.ts). Every call is recorded in `calls`, so a test can say what was never asked.
 */
import { RegistryConflictError } from '../../src/core/errors.js';
import { DISTRIBUTION_TYPES, INPUT_MODES, OUTPUT_MODES } from './arm/job-contract.js';
import type {
  BlobUploader,
  CommandJobSpec,
  DatastoreInfo,
  JobInfo,
  JobStatus,
  NewEnvironmentVersion,
  NewRegisteredModel,
  OnlineDeploymentInfo,
  RegisteredCompute,
  RegisteredData,
  RegisteredEnvironment,
  RegisteredModel,
  RunRecord,
  Workspace,
} from '../../src/core/ports.js';

type Kind = 'computes' | 'environments' | 'data' | 'codes' | 'models';

/** What a submitted job does: the statuses it reports, one per read, staying at the last; what MLflow then has. */
export interface JobScript {
  statuses: (JobStatus | string)[];
  metrics?: Record<string, number>;
  /** MLflow's run tags (e.g. tfaml.model.contentHash, or mlflow.runError for a failed run). */
  runTags?: Record<string, string>;
}

export interface MemoryJob {
  info: JobInfo;
  spec: CommandJobSpec;
  /** Index of the status the next read reports. */
  step: number;
  script: JobScript;
  cancelRequested: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class MemoryWorkspace implements Workspace {
  readonly description = 'workspace mem (resource group rg-mem)';
  readonly armId =
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mem/providers/Microsoft.MachineLearningServices/workspaces/mem';
  readonly environments = new Map<string, RegisteredEnvironment>();
  readonly data = new Map<string, RegisteredData>();
  readonly computes = new Map<string, RegisteredCompute>();
  /** `name:version` -> code URI. */
  readonly codes = new Map<string, string>();
  readonly jobs = new Map<string, MemoryJob>();
  readonly models = new Map<string, RegisteredModel>();
  /** Uploaded prefixes -> the folder they came from; an upload to an existing prefix is skipped. */
  readonly uploads = new Map<string, string>();
  readonly datastore: DatastoreInfo = {
    name: 'workspaceblobstore',
    accountName: 'memstore',
    containerName: 'azureml-blobstore-mem',
    blobUrl: 'https://memstore.blob.core.windows.net',
    id: `${this.armId}/datastores/workspaceblobstore`,
  };
  /** The script the next submitted job follows. */
  script: JobScript = { statuses: ['Queued', 'Running', 'Completed'], metrics: { accuracy: 0.9, loss: 0.3 } };
  /** Method names in call order (`createJob`, `getJob`, …). */
  readonly calls: string[] = [];

  constructor() {
    this.computes.set('gpu-cluster', {
      name: 'gpu-cluster',
      computeType: 'AmlCompute',
      vmSize: 'Standard_NC6s_v3',
      minNodes: 0,
      maxNodes: 2,
      idleSeconds: 600,
    });
  }

  /** How many times a method was called. */
  count(method: keyof Workspace): number {
    return this.calls.filter((c) => c === method).length;
  }

  private call(method: keyof Workspace): void {
    this.calls.push(method);
  }

  async check() {
    this.call('check');
    return { id: this.armId, location: 'westeurope' };
  }

  resourceId(kind: Kind, name: string, version?: string): string {
    const base = `${this.armId}/${kind}/${name}`;
    return version === undefined ? base : `${base}/versions/${version}`;
  }

  // ---- environments and data ----

  async getEnvironment(name: string, version: string) {
    this.call('getEnvironment');
    return this.environments.get(`${name}:${version}`);
  }

  async listEnvironmentVersions(name: string) {
    this.call('listEnvironmentVersions');
    return [...this.environments.values()].filter((e) => e.name === name);
  }

  async createEnvironment(env: NewEnvironmentVersion): Promise<RegisteredEnvironment> {
    this.call('createEnvironment');
    const next: RegisteredEnvironment = {
      name: env.name,
      version: env.version,
      image: env.image,
      condaFile: env.condaFile,
      build: env.build,
      tags: env.tags ?? {},
    };
    const existing = this.environments.get(`${env.name}:${env.version}`);
    if (existing) {
      const defining = (e: RegisteredEnvironment) => [e.image, e.condaFile, e.build];
      if (!same(defining(existing), defining(next)))
        throw new RegistryConflictError(`environment ${env.name}:${env.version} exists with other content`);
      return existing;
    }
    this.environments.set(`${env.name}:${env.version}`, next);
    return next;
  }

  async getData(name: string, version: string) {
    this.call('getData');
    return this.data.get(`${name}:${version}`);
  }

  async listDataVersions(name: string) {
    this.call('listDataVersions');
    return [...this.data.values()].filter((d) => d.name === name);
  }

  async createData(d: {
    name: string;
    version: string;
    dataType: string;
    dataUri: string;
    tags?: Record<string, string>;
  }) {
    this.call('createData');
    const existing = this.data.get(`${d.name}:${d.version}`);
    if (existing) {
      if (existing.dataUri !== d.dataUri)
        throw new RegistryConflictError(`data ${d.name}:${d.version} exists at ${existing.dataUri}`);
      return existing;
    }
    const next: RegisteredData = { ...d, tags: d.tags ?? {} };
    this.data.set(`${d.name}:${d.version}`, next);
    return next;
  }

  // ---- compute, code, datastore ----

  async getCompute(name: string) {
    this.call('getCompute');
    return this.computes.get(name);
  }

  async createCodeVersion(name: string, version: string, codeUri: string): Promise<string> {
    this.call('createCodeVersion');
    const existing = this.codes.get(`${name}:${version}`);
    if (existing !== undefined && existing !== codeUri)
      throw new RegistryConflictError(`code ${name}:${version} exists at ${existing}`);
    this.codes.set(`${name}:${version}`, codeUri);
    return this.resourceId('codes', name, version);
  }

  async defaultDatastore() {
    this.call('defaultDatastore');
    return this.datastore;
  }

  async datastoreKey() {
    this.call('datastoreKey');
    return undefined;
  }

  async datastoreUploader(datastore: DatastoreInfo): Promise<BlobUploader> {
    this.call('datastoreUploader');
    return {
      uploadFolder: async (folder, prefix) => {
        const url = `${datastore.blobUrl}/${datastore.containerName}/${prefix}`;
        const uploaded = !this.uploads.has(prefix);
        if (uploaded) this.uploads.set(prefix, folder);
        return { uploaded, files: 1, bytes: 1, url };
      },
    };
  }

  // ---- jobs and runs ----

  async getJob(name: string): Promise<JobInfo | undefined> {
    this.call('getJob');
    const j = this.jobs.get(name);
    if (!j) return undefined;
    const statuses = j.cancelRequested ? ['CancelRequested', 'Canceled'] : j.script.statuses;
    j.info = { ...j.info, status: statuses[Math.min(j.step, statuses.length - 1)]! };
    j.step++;
    return { ...j.info, tags: { ...j.info.tags } };
  }

  async createJob(name: string, spec: CommandJobSpec): Promise<JobInfo> {
    this.call('createJob');
    // The enums Azure takes (test/fakes/arm/job-contract.ts): a YAML spelling such as ro_mount is a 400 there.
    const wrong = [
      ...Object.entries(spec.inputs)
        .filter(([, i]) => i.mode !== undefined && !INPUT_MODES.includes(i.mode))
        .map(([k, i]) => `input ${k} mode ${i.mode}`),
      ...Object.entries(spec.outputs ?? {})
        .filter(([, o]) => o.mode !== undefined && !OUTPUT_MODES.includes(o.mode))
        .map(([k, o]) => `output ${k} mode ${o.mode}`),
      ...(spec.distribution && !DISTRIBUTION_TYPES.includes(spec.distribution.type)
        ? [`distribution ${spec.distribution.type}`]
        : []),
    ];
    if (wrong.length) throw Object.assign(new Error(`400 UserError: ${wrong.join(', ')}`), { statusCode: 400 });
    if (this.jobs.has(name)) throw new RegistryConflictError(`job ${name} exists`);
    const script = this.script;
    const info: JobInfo = {
      name,
      status: script.statuses[0]!,
      experimentName: spec.experimentName,
      computeId: spec.computeId,
      displayName: spec.displayName,
      studioUrl: `https://ml.azure.com/runs/${name}`,
      tags: { ...spec.tags },
    };
    this.jobs.set(name, { info, spec, step: 1, script, cancelRequested: false });
    return { ...info };
  }

  async cancelJob(name: string) {
    this.call('cancelJob');
    const j = this.jobs.get(name);
    if (j && !j.cancelRequested) Object.assign(j, { cancelRequested: true, step: 0 });
  }

  async listJobs(opts: { tag?: string } = {}) {
    this.call('listJobs');
    return [...this.jobs.values()]
      .map((j) => j.info)
      .filter((j) => opts.tag === undefined || j.tags[opts.tag] !== undefined);
  }

  async listOnlineDeployments(): Promise<OnlineDeploymentInfo[]> {
    this.call('listOnlineDeployments');
    return [];
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.call('getRun');
    const j = this.jobs.get(runId);
    if (!j) return undefined;
    return { runId, status: j.info.status, metrics: { ...(j.script.metrics ?? {}) }, tags: { ...j.script.runTags } };
  }

  // ---- models ----

  async getModelVersion(name: string, version: string) {
    this.call('getModelVersion');
    return this.models.get(`${name}:${version}`);
  }

  async listModelVersions(name: string, filter?: { tags?: Record<string, string> }) {
    this.call('listModelVersions');
    return [...this.models.values()].filter(
      (m) => m.name === name && Object.entries(filter?.tags ?? {}).every(([k, v]) => m.tags[k] === v),
    );
  }

  async createModelVersion(m: NewRegisteredModel): Promise<RegisteredModel> {
    this.call('createModelVersion');
    const existing = this.models.get(`${m.name}:${m.version}`);
    if (existing) {
      if (existing.modelUri !== m.modelUri || !same(existing.properties, m.properties))
        throw new RegistryConflictError(`model ${m.name}:${m.version} exists with other content`);
      return existing;
    }
    const next: RegisteredModel = {
      name: m.name,
      version: m.version,
      modelUri: m.modelUri,
      modelType: m.modelType ?? 'custom_model',
      tags: { ...m.tags },
      properties: { ...m.properties },
      createdAt: new Date(0).toISOString(),
    };
    this.models.set(`${m.name}:${m.version}`, next);
    return next;
  }
}
