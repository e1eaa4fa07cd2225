/**
 * The Azure ML workspace through @azure/arm-machinelearning (api-version 2022-10-01), behind the Workspace port.
 * The client's own pipeline retries throttling (honouring Retry-After) and transient failures with exponential
 * backoff; this file adds meaning: "not found" is undefined, 409 on a version is an immutability conflict, and
 * every other failure says what to change (errors.ts).
 */
import { AzureMachineLearningWorkspaces, type JobBase } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { ConfigurationError } from '../../core/errors.js';
import type {
  BlobUploader,
  CommandJobSpec,
  DatastoreInfo,
  JobInfo,
  Log,
  NewEnvironmentVersion,
  NewRegisteredModel,
  OnlineDeploymentInfo,
  RegisteredCompute,
  RegisteredData,
  RegisteredEnvironment,
  RegisteredModel,
  RunRecord,
  Workspace,
} from '../../core/ports.js';
import { RegistryConflictError } from '../../core/errors.js';
import { maskSecret as mask } from '../../core/runner.js';
import type { AzureSettings } from './auth.js';
import { armError, describeAzureError, isStatus, type Scope } from './errors.js';
import { SUBMISSION_TAG } from '../../core/tags.js';
import { ContainerUploader, datastoreContainer } from './blob.js';

export interface RetryOptions {
  /** Base delay of the exponential retry (default 800 ms); tests shorten it, never to zero. */
  retryDelayInMs?: number;
  maxRetries?: number;
}

/** The SDK client for a subscription, pointed at TFAML_ARM_ENDPOINT (sovereign clouds, tests). */
export function armClient(
  credential: TokenCredential,
  subscriptionId: string,
  s: Pick<AzureSettings, 'armEndpoint'>,
  retry: RetryOptions = {},
): AzureMachineLearningWorkspaces {
  return new AzureMachineLearningWorkspaces(credential, subscriptionId, {
    endpoint: s.armEndpoint,
    $host: s.armEndpoint,
    credentialScopes: [`${s.armEndpoint}/.default`],
    retryOptions: {
      maxRetries: retry.maxRetries ?? 4,
      retryDelayInMs: Math.max(1, retry.retryDelayInMs ?? 800),
      maxRetryDelayInMs: 60_000,
    },
    userAgentOptions: { userAgentPrefix: 'tfaml/0.1.0' },
  });
}

type Obj = Record<string, unknown>;
/** CredentialsType values (mfe.json) whose listSecrets answer carries a storage account key. */
const KEYED_CREDENTIALS: readonly string[] = ['AccountKey'];
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const tagsOf = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' ? (v as Record<string, string>) : {};

/** ISO 8601 duration (PT5M, PT1H30M, PT120S) to seconds. */
export function durationSeconds(d: string | undefined): number | undefined {
  if (!d) return undefined;
  const m = d.match(/^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

async function collect<T, U>(iter: AsyncIterable<T>, map: (t: T) => U): Promise<U[]> {
  const out: U[] = [];
  for await (const x of iter) out.push(map(x));
  return out;
}

/**
 * ModelVersions_List's `tags` query: "Comma-separated list of tag names (and optionally values). Example:
 * tag1,tag2=value2". A comma or `=` inside a name or value cannot be written in it; tfaml's own tags have neither.
 */
export function tagFilter(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => {
      if (/[,=]/.test(k) || /[,=]/.test(v))
        throw new Error(`tag filter ${k}=${v}: a comma or '=' cannot be written in ModelVersions_List's tags query`);
      return `${k}=${v}`;
    })
    .join(',');
}

/** azureml://<host>/mlflow/v1.0/… (the workspace's tracking URI) → https://<host>/mlflow/v1.0/… */
export function mlflowBase(trackingUri: string): string {
  return trackingUri.replace(/^azureml:\/\//, 'https://').replace(/\/+$/, '');
}

export class AzureWorkspace implements Workspace {
  readonly description: string;
  readonly scope: Scope;
  private trackingUri?: string;
  /** The credential the client uses (for blob access with the caller's identity). */
  credential?: TokenCredential;
  /** Where the workspace reports what it recovered from (train sets it). */
  log?: Pick<Log, 'info'>;
  /** Retry delays for blob transfers (tests shorten them; train sets it from its options). */
  retry?: RetryOptions;
  /** credentialsType of each datastore read (defaultDatastore), so an identity-based one is not asked for secrets. */
  private readonly credentialsTypes = new Map<string, string | undefined>();

  constructor(
    readonly client: AzureMachineLearningWorkspaces,
    readonly subscriptionId: string,
    readonly resourceGroup: string,
    readonly name: string,
    private readonly settings: Pick<AzureSettings, 'mlflowUri' | 'blobUrl' | 'armEndpoint'>,
  ) {
    this.description = `workspace ${name} (resource group ${resourceGroup})`;
    this.scope = { subscriptionId, resourceGroup, workspace: name };
  }

  /** Runs one call, turning failures into actionable errors; a 404 becomes undefined when `notFound` is set. */
  private async call<T>(what: string, fn: () => Promise<T>, notFound = false): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (notFound && isStatus(err, 404)) {
        const { code, message } = armError(err);
        // A missing workspace, group or subscription is a configuration error, not a missing asset.
        if (
          code === 'SubscriptionNotFound' ||
          code === 'ResourceGroupNotFound' ||
          (code === 'ResourceNotFound' && /\/workspaces\//.test(message))
        )
          throw describeAzureError(err, what, this.scope);
        return undefined;
      }
      throw describeAzureError(err, what, this.scope);
    }
  }

  private async must<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return (await this.call(what, fn)) as T;
  }

  /** ARM id of the workspace. */
  get armId(): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${this.name}`;
  }

  resourceId(kind: 'computes' | 'environments' | 'data' | 'codes' | 'models', name: string, version?: string): string {
    const base = `${this.armId}/${kind}/${name}`;
    return version === undefined ? base : `${base}/versions/${version}`;
  }

  async check(): Promise<{ id: string; location?: string; mlflowTrackingUri?: string }> {
    const ws = await this.must(`reading ${this.description}`, () =>
      this.client.workspaces.get(this.resourceGroup, this.name),
    );
    this.trackingUri = ws.mlFlowTrackingUri;
    return { id: ws.id ?? '', location: ws.location, mlflowTrackingUri: ws.mlFlowTrackingUri };
  }

  // ---- environments ----

  private env(name: string, r: { name?: string; properties?: Obj }): RegisteredEnvironment {
    const p = (r.properties ?? {}) as Obj;
    const build = p.build as { contextUri?: string; dockerfilePath?: string } | undefined;
    return {
      name,
      version: r.name ?? '',
      image: str(p.image),
      condaFile: str(p.condaFile),
      build: build ? { contextUri: build.contextUri, dockerfilePath: build.dockerfilePath } : undefined,
      tags: tagsOf(p.tags),
    };
  }

  async getEnvironment(name: string, version: string): Promise<RegisteredEnvironment | undefined> {
    const r = await this.call(
      `reading environment ${name}:${version} in ${this.description}`,
      () => this.client.environmentVersions.get(this.resourceGroup, this.name, name, version),
      true,
    );
    return r && this.env(name, r as unknown as { name?: string; properties?: Obj });
  }

  async listEnvironmentVersions(name: string): Promise<RegisteredEnvironment[]> {
    return (
      (await this.call(
        `listing environment ${name} in ${this.description}`,
        () =>
          collect(this.client.environmentVersions.list(this.resourceGroup, this.name, name), (r) =>
            this.env(name, r as unknown as { name?: string; properties?: Obj }),
          ),
        true,
      )) ?? []
    );
  }

  async createEnvironment(e: NewEnvironmentVersion): Promise<RegisteredEnvironment> {
    const what = `registering environment ${e.name}:${e.version} in ${this.description}`;
    const properties = {
      image: e.image,
      condaFile: e.condaFile,
      build: e.build,
      description: e.description,
      tags: e.tags ?? {},
      osType: 'Linux' as const,
    };
    try {
      const r = await this.client.environmentVersions.createOrUpdate(this.resourceGroup, this.name, e.name, e.version, {
        properties,
      });
      return this.env(e.name, r as unknown as { name?: string; properties?: Obj });
    } catch (err) {
      if (isStatus(err, 409))
        throw new RegistryConflictError(
          `${this.description} already has environment ${e.name}:${e.version} with different content (${armError(err).message}); an environment version is immutable: bump \`version\` in its YAML`,
        );
      throw describeAzureError(err, what, this.scope);
    }
  }

  // ---- data ----

  private data(name: string, r: { name?: string; properties?: Obj }): RegisteredData {
    const p = (r.properties ?? {}) as Obj;
    return {
      name,
      version: r.name ?? '',
      dataType: str(p.dataType) ?? '',
      dataUri: str(p.dataUri) ?? '',
      tags: tagsOf(p.tags),
    };
  }

  async getData(name: string, version: string): Promise<RegisteredData | undefined> {
    const r = await this.call(
      `reading data ${name}:${version} in ${this.description}`,
      () => this.client.dataVersions.get(this.resourceGroup, this.name, name, version),
      true,
    );
    return r && this.data(name, r as unknown as { name?: string; properties?: Obj });
  }

  async listDataVersions(name: string): Promise<RegisteredData[]> {
    return (
      (await this.call(
        `listing data ${name} in ${this.description}`,
        () =>
          collect(this.client.dataVersions.list(this.resourceGroup, this.name, name), (r) =>
            this.data(name, r as unknown as { name?: string; properties?: Obj }),
          ),
        true,
      )) ?? []
    );
  }

  async createData(d: {
    name: string;
    version: string;
    dataType: string;
    dataUri: string;
    description?: string;
    tags?: Record<string, string>;
  }): Promise<RegisteredData> {
    try {
      const r = await this.client.dataVersions.createOrUpdate(this.resourceGroup, this.name, d.name, d.version, {
        properties: {
          dataType: d.dataType,
          dataUri: d.dataUri,
          description: d.description,
          tags: d.tags ?? {},
        } as never,
      });
      return this.data(d.name, r as unknown as { name?: string; properties?: Obj });
    } catch (err) {
      if (isStatus(err, 409))
        throw new RegistryConflictError(
          `${this.description} already has data ${d.name}:${d.version} pointing elsewhere (${armError(err).message}); a data version is immutable: bump \`version\` in its YAML`,
        );
      throw describeAzureError(err, `registering data ${d.name}:${d.version} in ${this.description}`, this.scope);
    }
  }

  // ---- compute, code, datastores ----

  async getCompute(name: string): Promise<RegisteredCompute | undefined> {
    const r = await this.call(
      `reading compute ${name} in ${this.description}`,
      () => this.client.computeOperations.get(this.resourceGroup, this.name, name),
      true,
    );
    if (!r) return undefined;
    const p = (r.properties ?? {}) as Obj;
    const inner = (p.properties ?? {}) as Obj;
    const scale = (inner.scaleSettings ?? {}) as Obj;
    return {
      name,
      computeType: str(p.computeType) ?? 'Unknown',
      vmSize: str(inner.vmSize),
      minNodes: typeof scale.minNodeCount === 'number' ? scale.minNodeCount : undefined,
      maxNodes: typeof scale.maxNodeCount === 'number' ? scale.maxNodeCount : undefined,
      idleSeconds: durationSeconds(str(scale.nodeIdleTimeBeforeScaleDown)),
    };
  }

  async createCodeVersion(name: string, version: string, codeUri: string): Promise<string> {
    try {
      await this.client.codeVersions.createOrUpdate(this.resourceGroup, this.name, name, version, {
        properties: { codeUri },
      });
    } catch (err) {
      if (!isStatus(err, 409))
        throw describeAzureError(err, `registering code ${name}:${version} in ${this.description}`, this.scope);
      // Content-addressed name and version: an existing one holds the same files.
    }
    return this.resourceId('codes', name, version);
  }

  async defaultDatastore(): Promise<DatastoreInfo> {
    const what = `reading the default datastore of ${this.description}`;
    const all = await this.must(what, () =>
      collect(this.client.datastores.list(this.resourceGroup, this.name, { isDefault: true }), (d) => d),
    );
    const d = all[0];
    if (!d)
      throw new ConfigurationError(
        `${this.description} has no default datastore; set one in Azure ML studio (Data → Datastores)`,
      );
    const p = d.properties as unknown as Obj;
    this.credentialsTypes.set(d.name ?? 'workspaceblobstore', str((p.credentials as Obj | undefined)?.credentialsType));
    const account = str(p.accountName) ?? '';
    const blobUrl =
      this.settings.blobUrl ??
      `${str(p.protocol) ?? 'https'}://${account}.blob.${str(p.endpoint) ?? 'core.windows.net'}`;
    return {
      name: d.name ?? 'workspaceblobstore',
      accountName: account,
      containerName: str(p.containerName) ?? '',
      blobUrl: blobUrl.replace(/\/+$/, ''),
      id: d.id ?? '',
    };
  }

  /**
   * The account key of a datastore that has one. An identity-based datastore (credentialsType None in mfe.json's
   * CredentialsType) has no secrets: listSecrets is not asked, and when it is asked (the type was not known) its 400 or
   * 404 means the same thing; either way undefined, and the caller's identity is used (datastoreContainer in blob.ts).
   */
  async datastoreKey(name: string): Promise<string | undefined> {
    const type = this.credentialsTypes.get(name);
    if (type !== undefined && !KEYED_CREDENTIALS.includes(type)) return undefined;
    const what = `reading the secrets of datastore ${name} (listSecrets)`;
    let s: unknown;
    try {
      s = await this.client.datastores.listSecrets(this.resourceGroup, this.name, name);
    } catch (err) {
      const { status, code, message } = armError(err);
      const scopeMissing =
        code === 'SubscriptionNotFound' ||
        code === 'ResourceGroupNotFound' ||
        (code === 'ResourceNotFound' && /\/workspaces\//.test(message));
      if (status === 400 || (status === 404 && !scopeMissing)) {
        this.log?.info(
          `datastore ${name} has no secrets to list (${status}${code ? ` ${code}` : ''}); reading and writing its blobs with the signed-in identity`,
        );
        return undefined;
      }
      throw describeAzureError(err, what, this.scope);
    }
    const key = (s as { key?: string }).key;
    mask(key);
    return key || undefined;
  }

  async datastoreUploader(datastore: DatastoreInfo): Promise<BlobUploader> {
    const key = await this.datastoreKey(datastore.name);
    return new ContainerUploader(datastoreContainer(datastore, key, this.credential!, this.retry), this.scope);
  }

  // ---- jobs ----

  private job(r: JobBase): JobInfo {
    const p = (r.properties ?? {}) as unknown as Obj;
    const services = (p.services ?? {}) as Record<string, { endpoint?: string }>;
    return {
      name: r.name ?? '',
      status: str(p.status) ?? 'Unknown',
      experimentName: str(p.experimentName),
      computeId: str(p.computeId),
      displayName: str(p.displayName),
      studioUrl: services.Studio?.endpoint,
      tags: tagsOf(p.tags),
    };
  }

  async getJob(name: string): Promise<JobInfo | undefined> {
    const r = await this.call(
      `reading job ${name} in ${this.description}`,
      () => this.client.jobs.get(this.resourceGroup, this.name, name),
      true,
    );
    return r && this.job(r);
  }

  async createJob(name: string, spec: CommandJobSpec): Promise<JobInfo> {
    // Sent as raw JSON through the client's pipeline: the 2.1.1 serializer maps input types only under
    // "AssetJobInput.<type>" while the discriminator is "JobInput", so it silently drops `uri` and `mode` of every
    // uri_folder/uri_file input (and likewise outputs). The REST body itself is the documented 2022-10-01 shape.
    const url = `${this.settings.armEndpoint}${this.armId}/jobs/${encodeURIComponent(name)}?api-version=2022-10-01`;
    try {
      const res = await this.send(
        'PUT',
        url,
        { properties: commandJobProperties(spec) },
        `submitting job ${name} to ${this.description}`,
        [200, 201],
      );
      return this.job(JSON.parse(res.bodyAsText ?? '{}') as JobBase);
    } catch (err) {
      if (isStatus(err, 409)) {
        // Job names are unique: a retried PUT whose first attempt got through lands here. Same submission: that job.
        const existing = await this.getJob(name);
        if (existing && existing.tags[SUBMISSION_TAG] === spec.tags[SUBMISSION_TAG]) {
          this.log?.info(
            `job ${name}: Azure created it on an attempt whose answer was lost, so the retry found it (submission ${spec.tags[SUBMISSION_TAG]}); following that job, not submitting a second one`,
          );
          return existing;
        }
        // A 409 with no job of that name is not a name clash (quota, a conflicting operation): say what it is.
        if (!existing) throw describeAzureError(err, `submitting job ${name} to ${this.description}`, this.scope);
        throw new RegistryConflictError(
          `${this.description} already has a job named ${name} from a different submission; job names are unique`,
        );
      }
      throw describeAzureError(err, `submitting job ${name} to ${this.description}`, this.scope);
    }
  }

  async cancelJob(name: string): Promise<void> {
    // beginCancel sends the POST and returns a poller; the follower watches the job itself, so it is not awaited.
    await this.must(`cancelling job ${name} in ${this.description}`, () =>
      this.client.jobs.beginCancel(this.resourceGroup, this.name, name),
    );
  }

  async listJobs(opts: { tag?: string } = {}): Promise<JobInfo[]> {
    return this.must(`listing jobs in ${this.description}`, () =>
      collect(this.client.jobs.list(this.resourceGroup, this.name, opts.tag ? { tag: opts.tag } : {}), (j) =>
        this.job(j),
      ),
    );
  }

  // ---- endpoints (for cost) ----

  async listOnlineDeployments(): Promise<OnlineDeploymentInfo[]> {
    const what = `listing online endpoints in ${this.description}`;
    const endpoints = await this.must(what, () =>
      collect(this.client.onlineEndpoints.list(this.resourceGroup, this.name), (e) => e.name ?? ''),
    );
    const out: OnlineDeploymentInfo[] = [];
    for (const ep of endpoints) {
      const ds = await this.must(what, () =>
        collect(this.client.onlineDeployments.list(this.resourceGroup, this.name, ep), (d) => d),
      );
      for (const d of ds)
        out.push({
          endpoint: ep,
          name: d.name ?? '',
          instanceType: str((d.properties as unknown as Obj | undefined)?.instanceType),
          instanceCount: d.sku?.capacity ?? 1,
        });
    }
    return out;
  }

  // ---- models ----

  async getModelVersion(name: string, version: string): Promise<RegisteredModel | undefined> {
    const r = await this.call(
      `reading model ${name}:${version} in ${this.description}`,
      () => this.client.modelVersions.get(this.resourceGroup, this.name, name, version),
      true,
    );
    return r && modelFromResource(name, r as unknown as Obj);
  }

  async listModelVersions(name: string, filter?: { tags?: Record<string, string> }): Promise<RegisteredModel[]> {
    const tags = filter?.tags && tagFilter(filter.tags);
    return (
      (await this.call(
        `listing model ${name} in ${this.description}`,
        () =>
          collect(this.client.modelVersions.list(this.resourceGroup, this.name, name, tags ? { tags } : {}), (r) =>
            modelFromResource(name, r as unknown as Obj),
          ),
        true,
      )) ?? []
    );
  }

  async createModelVersion(m: NewRegisteredModel): Promise<RegisteredModel> {
    try {
      const r = await this.client.modelVersions.createOrUpdate(this.resourceGroup, this.name, m.name, m.version, {
        properties: modelProperties(m),
      });
      return modelFromResource(m.name, r as unknown as Obj);
    } catch (err) {
      if (isStatus(err, 409))
        throw new RegistryConflictError(
          `${this.description} already has model ${m.name}:${m.version} with different content (${armError(err).message}); versions are immutable: register under a new version`,
        );
      throw describeAzureError(err, `registering model ${m.name}:${m.version} in ${this.description}`, this.scope);
    }
  }

  // ---- MLflow ----

  async getRun(runId: string): Promise<RunRecord | undefined> {
    let base = this.settings.mlflowUri;
    if (!base) {
      if (this.trackingUri === undefined) await this.check();
      if (!this.trackingUri)
        throw new ConfigurationError(`${this.description} reports no MLflow tracking URI; set TFAML_MLFLOW_URI`);
      base = this.trackingUri;
    }
    const url = `${mlflowBase(base)}/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(runId)}`;
    const what = `reading run ${runId} from MLflow at ${mlflowBase(base)}`;
    const res = await this.send('GET', url, undefined, what).catch((err: unknown) => {
      throw describeAzureError(err, what, this.scope);
    });
    if (res.status === 404) return undefined;
    const run = (
      JSON.parse(res.bodyAsText ?? '{}') as {
        run?: {
          info?: { run_id?: string; status?: string };
          data?: {
            metrics?: { key: string; value: number; step?: number; timestamp?: number }[];
            tags?: { key: string; value: string }[];
          };
        };
      }
    ).run;
    const metrics: Record<string, number> = {};
    const seen: Record<string, number> = {};
    // runs/get returns the latest value of each metric; keep the one with the highest step if several come back.
    for (const m of run?.data?.metrics ?? []) {
      if (seen[m.key] === undefined || (m.step ?? 0) >= seen[m.key]!) {
        metrics[m.key] = m.value;
        seen[m.key] = m.step ?? 0;
      }
    }
    return {
      runId: run?.info?.run_id ?? runId,
      status: run?.info?.status ?? 'UNKNOWN',
      metrics,
      tags: Object.fromEntries((run?.data?.tags ?? []).map((t) => [t.key, t.value])),
    };
  }

  /** A raw request through the client's pipeline (auth, retries honouring Retry-After, logging). */
  async send(
    method: 'GET' | 'PUT' | 'POST',
    url: string,
    body: unknown,
    what: string,
    okStatuses: number[] = [200, 201, 202, 404],
  ): Promise<PipelineResponse> {
    let res: PipelineResponse;
    try {
      res = await this.client.sendRequest(
        createPipelineRequest({
          url,
          method,
          headers: createHttpHeaders({ 'content-type': 'application/json', accept: 'application/json' }),
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
    } catch (err) {
      throw describeAzureError(err, what, this.scope);
    }
    if (!okStatuses.includes(res.status))
      throw Object.assign(new Error(`${what}: ${res.status}`), {
        statusCode: res.status,
        response: { bodyAsText: res.bodyAsText },
      });
    return res;
  }
}

/** The REST ModelVersion properties for a new version. */
export function modelProperties(m: NewRegisteredModel) {
  return {
    modelUri: m.modelUri,
    modelType: m.modelType ?? 'custom_model',
    description: m.description,
    tags: m.tags,
    properties: m.properties,
  };
}

export function modelFromResource(name: string, r: Obj): RegisteredModel {
  const p = (r.properties ?? {}) as Obj;
  const sys = (r.systemData ?? {}) as Obj;
  const created = sys.createdAt instanceof Date ? sys.createdAt.toISOString() : str(sys.createdAt);
  return {
    name,
    version: str(r.name) ?? '',
    modelUri: str(p.modelUri) ?? '',
    modelType: str(p.modelType) ?? '',
    tags: tagsOf(p.tags),
    properties: tagsOf(p.properties),
    createdAt: created,
  };
}

/** The REST CommandJob properties for a spec. */
export function commandJobProperties(spec: CommandJobSpec): Obj {
  const inputs: Obj = {};
  for (const [k, v] of Object.entries(spec.inputs)) {
    inputs[k] =
      v.type === 'literal'
        ? { jobInputType: 'literal', value: v.value }
        : { jobInputType: v.type, uri: v.uri, mode: v.mode ?? 'ReadOnlyMount' };
  }
  // DistributionConfiguration in mfe.json: TensorFlow carries workerCount and parameterServerCount, PyTorch and Mpi
  // processCountPerInstance (int32, nullable); a count the YAML leaves out keeps tfaml's earlier defaults.
  const d = spec.distribution;
  const distribution = d
    ? d.type === 'TensorFlow'
      ? {
          distributionType: 'TensorFlow',
          workerCount: d.workerCount ?? spec.instanceCount,
          ...(d.parameterServerCount !== undefined ? { parameterServerCount: d.parameterServerCount } : {}),
        }
      : { distributionType: d.type, processCountPerInstance: d.processCountPerInstance ?? 1 }
    : undefined;
  return {
    jobType: 'Command',
    command: spec.command,
    codeId: spec.codeId,
    environmentId: spec.environmentId,
    computeId: spec.computeId,
    experimentName: spec.experimentName,
    displayName: spec.displayName,
    description: spec.description,
    inputs,
    environmentVariables: spec.environmentVariables,
    resources: { instanceCount: spec.instanceCount, ...(spec.instanceType ? { instanceType: spec.instanceType } : {}) },
    ...(distribution ? { distribution } : {}),
    ...(spec.timeoutSeconds
      ? { limits: { jobLimitsType: 'Command', timeout: `PT${Math.round(spec.timeoutSeconds)}S` } }
      : {}),
    ...(spec.outputs
      ? {
          outputs: Object.fromEntries(
            Object.entries(spec.outputs).map(([k, o]) => [
              k,
              { jobOutputType: o.type, mode: o.mode ?? 'ReadWriteMount', ...(o.uri ? { uri: o.uri } : {}) },
            ]),
          ),
        }
      : {}),
    tags: spec.tags,
  };
}
