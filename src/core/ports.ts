/**
 * The small interfaces the domain needs from the outside world. Each is implemented once per outside system under
 * src/adapters/ and built in one composition root (src/entries/main.ts).
 */

/** The project's files as they were at the pull request's base (env/version-not-bumped). */
export interface BaseRef {
  /** The ref as the user gave it, for messages. */
  readonly name: string;
  /** A project-relative file's text at the base, or undefined when it did not exist there. */
  readFile(projectRelPath: string): string | undefined;
  /** Whether anything under a project-relative file or folder differs between the base and the working tree. */
  changedSince(projectRelPath: string): boolean;
}

/** Where progress and diagnostics go (stderr for the CLI, the job log for the action). */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  /** A line that replaces itself on a terminal (progress of long work); a plain line elsewhere. */
  progress(message: string): void;
}

export interface Clock {
  now(): number;
}

/** A registered model version. Immutable once created: its files, metrics and tags never change. */
export interface ModelVersion {
  name: string;
  /** Experiment registries number versions 1, 2, 3…; production versions follow semver (see src/gate). */
  version: string;
  /** sha256 over the model files (same scheme as a data folder), the identity of the content. */
  contentHash: string;
  metrics: Record<string, number>;
  /** Lineage and evidence. Strings only, because Azure ML tags are strings. */
  tags: Record<string, string>;
  /** ISO 8601. */
  createdAt: string;
  /** Where the files are: an absolute folder (local registry) or an azureml:// URI. */
  location: string;
}

export interface NewModelVersion {
  name: string;
  /** Omitted: the next integer after the highest integer version. */
  version?: string;
  /** A local folder holding the model files (model.json and weights, metrics.json, run.json …). */
  files: string;
  metrics: Record<string, number>;
  tags: Record<string, string>;
}

/**
 * A model registry: the embedded local one under .tfaml/, an Azure ML workspace, or an Azure ML registry.
 * `create` is idempotent for identical content and refuses different content under an existing version
 * (RegistryConflictError), so a re-run never makes a second copy and a version never changes.
 */
export interface ModelRegistry {
  /** For messages: "the local experiment registry (.tfaml/experiment)", "workspace mlw-dev". */
  readonly description: string;
  list(name: string): Promise<ModelVersion[]>;
  get(name: string, version: string): Promise<ModelVersion | undefined>;
  create(v: NewModelVersion): Promise<ModelVersion>;
  /**
   * A local folder holding exactly the version's model files (the registry's own folder, or a temporary download
   * checked against the recorded content hash), for copying it elsewhere; `cleanup` removes what was made for it.
   * Optional: a registry without it keeps its files in the local folder `location`.
   */
  materialize?(v: ModelVersion): Promise<MaterializedModel>;
}

/** A model version's files as a local folder, and how to let go of it once copied. */
export interface MaterializedModel {
  dir: string;
  cleanup: () => Promise<void>;
}

/** One change of a production champion: a promotion or a rollback, with who did it and why. */
export interface ChampionEvent {
  action: 'promote' | 'rollback';
  /** The production version that became the champion. */
  version: string;
  /** The champion before, if any. */
  previous?: string;
  /** For a promotion: the experiment version it came from, `<registry>:<name>:<version>`. */
  candidate?: string;
  /** A GitHub login (GITHUB_ACTOR) or the local user. */
  by: string;
  reason: string;
  /** ISO 8601. */
  at: string;
  /** The run that did it (GitHub run URL or `local`). */
  run?: string;
}

/** Who is writing and why, for the history and for a loser's message. */
export interface Actor {
  by: string;
  reason: string;
  run?: string;
}

export interface PublishRequest {
  /** The new production version when one is created (the semver rule decides it, see src/gate/semver.ts). */
  version: (existing: ModelVersion[], champion: ModelVersion | undefined) => string;
  model: Omit<NewModelVersion, 'version'>;
  /** `<registry>:<name>:<version>` of the candidate, recorded in the history. */
  candidate: string;
  /** The champion the gates were evaluated against (undefined: none). If it changed meanwhile, the publish loses. */
  expectedChampion: string | undefined;
  actor: Actor;
  /**
   * Who answers for the model (tfaml.yml's owners for it): the protocol writes them as OWNER_TAG on the production
   * version it creates, in place of any owner tag copied from the candidate. Empty writes none (the audit says so).
   */
  owners: readonly string[];
}

export interface PublishResult {
  /** created: a new version, now champion. reused: the same content was already in production (made champion again
   * if it was not). */
  outcome: 'created' | 'reused';
  version: ModelVersion;
  /** True when the champion pointer moved. */
  championChanged: boolean;
}

/**
 * A production registry: a ModelRegistry with a champion (the version serving, the last promoted or rolled back to)
 * and a history of who changed it and why. Writes are serialised (a lock, or a conditional create on Azure): a
 * publish whose expected champion is no longer the champion throws LostRaceError naming the winner; publishing
 * content already in production reuses that version instead of copying it again.
 */
export interface ProductionModelRegistry extends ModelRegistry {
  champion(name: string): Promise<ModelVersion | undefined>;
  history(name: string): Promise<ChampionEvent[]>;
  publish(req: PublishRequest): Promise<PublishResult>;
  /** Make an existing version the champion again. */
  rollback(name: string, version: string, actor: Actor): Promise<ChampionEvent>;
}

/** Which meter a VM hour is billed on. Azure ML clusters with `tier: low_priority` use the low-priority meter. */
export type PriceTier = 'dedicated' | 'spot' | 'low-priority';

/** The hourly list price of one VM size in one region (Linux; Windows and other OS meters are never used). */
export interface VmPrice {
  region: string;
  sku: string;
  tier: PriceTier;
  /** Per hour, in `currency`. */
  hourly: number;
  currency: string;
  /** The meter as the price list names it, for the report. */
  meterName?: string;
}

/** Where the prices of one estimate came from; the report states it. */
export interface PriceSourceInfo {
  kind: 'api' | 'snapshot';
  /** "Azure Retail Prices API" or the snapshot's file and source. */
  description: string;
  /** ISO date the prices were read (api) or compiled (snapshot). */
  date: string;
  /** Why the snapshot was used (the API could not be reached, or it was asked for). */
  reason?: string;
  approximate?: boolean;
}

/** A size the lookup found no Linux consumption price for in the region; `pricedIn` empty means no region has one. */
export interface MissingPrice {
  sku: string;
  pricedIn: string[];
}

/** VM prices for a set of sizes in a region. What has no price comes back in `missing`, for the caller to locate. */
export interface Prices {
  lookup(
    region: string,
    skus: readonly string[],
  ): Promise<{ prices: VmPrice[]; missing: MissingPrice[]; source: PriceSourceInfo }>;
}

/** Where the pull request lives (GitHub). Only src/adapters/github implements it. */
export interface CodeHost {
  /** The pull request's labels. */
  labels(pr: number): Promise<string[]>;
  /**
   * Create or update, in place, the one comment of the pull request that contains `marker` (all pages are read).
   * Throws ReadOnlyTokenError when the token may not write (a fork's pull request).
   */
  upsertComment(pr: number, marker: string, body: string): Promise<{ action: 'created' | 'updated'; url: string }>;
  /** A notice on the run (why no comment was posted). */
  notice(message: string): void;
}

/** The repository's issues (GitHub): the one issue a scheduled report keeps, found by its marker and its author. */
export interface IssueHost {
  /**
   * Create, or update in place, the one open issue whose body opens with `marker` and that this token's own identity
   * opened (anyone can paste a marker; such an issue is never touched), or reopen and update such an issue that was
   * closed; with `body` undefined, close the open one if there is one. All pages of open issues are read. A create
   * that failed with a 5xx is looked for again before anything is written again.
   */
  syncIssue(
    marker: string,
    title: string,
    body: string | undefined,
  ): Promise<{ action: 'created' | 'updated' | 'reopened' | 'closed' | 'none'; url?: string }>;
}

// ---- Azure ML workspace. Shaped by what validate and train need; implemented in src/adapters/azure. ----

/** An environment version as registered: the fields that define it (immutable once created). */
export interface RegisteredEnvironment {
  name: string;
  version: string;
  image?: string;
  /** The conda file's text, as Azure ML stores it. */
  condaFile?: string;
  build?: { contextUri?: string; dockerfilePath?: string };
  tags: Record<string, string>;
}

export interface NewEnvironmentVersion {
  name: string;
  version: string;
  image?: string;
  condaFile?: string;
  build?: { contextUri: string; dockerfilePath?: string };
  description?: string;
  tags?: Record<string, string>;
}

/** A data asset version as registered. */
export interface RegisteredData {
  name: string;
  version: string;
  /** uri_file | uri_folder | mltable */
  dataType: string;
  dataUri: string;
  tags: Record<string, string>;
}

/** A compute target as it is now, for compute/not-ephemeral and for train's refusal of always-on clusters. */
export interface RegisteredCompute {
  name: string;
  /** AmlCompute, ComputeInstance, … */
  computeType: string;
  vmSize?: string;
  minNodes?: number;
  maxNodes?: number;
  /** nodeIdleTimeBeforeScaleDown in seconds. */
  idleSeconds?: number;
}

/** Azure ML job states (JobStatus in the REST API). */
export type JobStatus =
  | 'NotStarted'
  | 'Starting'
  | 'Provisioning'
  | 'Preparing'
  | 'Queued'
  | 'Running'
  | 'Finalizing'
  | 'CancelRequested'
  | 'Completed'
  | 'Failed'
  | 'Canceled'
  | 'NotResponding'
  | 'Paused'
  | 'Unknown';
/**
 * States a job does not leave. NotResponding and Paused are not among them: JobStatus in Microsoft's REST spec says "A
 * run can go from NotResponding to any of the previous states", and a paused job can be resumed; the follower waits
 * through them, bounded (src/adapters/azure/follow.ts).
 */
export const TERMINAL_JOB_STATES: readonly string[] = ['Completed', 'Failed', 'Canceled'];
/** States a job may come back from; the follower waits through them for a bounded time. */
export const STALLED_JOB_STATES: readonly string[] = ['NotResponding', 'Paused'];

/** InputDeliveryMode of the REST API (the YAML's ro_mount, rw_mount, download, direct, eval_mount, eval_download). */
export type InputDeliveryMode =
  'ReadOnlyMount' | 'ReadWriteMount' | 'Download' | 'Direct' | 'EvalMount' | 'EvalDownload';
/** OutputDeliveryMode of the REST API at 2022-10-01 (the YAML's rw_mount, upload). */
export type OutputDeliveryMode = 'ReadWriteMount' | 'Upload';
/** JobInputType / JobOutputType of the REST API, less `literal`. */
export type JobAssetType = 'uri_folder' | 'uri_file' | 'mltable' | 'custom_model' | 'mlflow_model' | 'triton_model';

/** A command job to submit (the REST CommandJob, as tfaml builds it from the job YAML and tfaml.yml). */
export interface CommandJobSpec {
  command: string;
  /** ARM id of the code version (…/codes/<name>/versions/<v>), when the job has local code. */
  codeId?: string;
  /** ARM id of the environment version, or an azureml://registries/… id. */
  environmentId: string;
  /** ARM id of the compute. */
  computeId: string;
  experimentName: string;
  displayName?: string;
  description?: string;
  /** Input name -> asset or literal. */
  inputs: Record<string, { type: JobAssetType | 'literal'; uri?: string; value?: string; mode?: InputDeliveryMode }>;
  environmentVariables: Record<string, string>;
  instanceCount: number;
  instanceType?: string;
  distribution?:
    | { type: 'TensorFlow'; workerCount?: number; parameterServerCount?: number }
    | { type: 'PyTorch' | 'Mpi'; processCountPerInstance?: number };
  /** Seconds. */
  timeoutSeconds?: number;
  tags: Record<string, string>;
  /** Outputs by name (a model output the job writes), e.g. { model: { type: 'custom_model' } }. */
  outputs?: Record<string, { type: JobAssetType; uri?: string; mode?: OutputDeliveryMode }>;
}

export interface JobInfo {
  name: string;
  status: JobStatus | string;
  experimentName?: string;
  computeId?: string;
  displayName?: string;
  /** Azure ML studio link, when the service returns one. */
  studioUrl?: string;
  tags: Record<string, string>;
}

/** An MLflow run as the workspace's tracking server reports it (runs/get). */
export interface RunRecord {
  runId: string;
  status: string;
  metrics: Record<string, number>;
  tags: Record<string, string>;
}

export interface OnlineDeploymentInfo {
  endpoint: string;
  name: string;
  instanceType?: string;
  instanceCount: number;
}

/** The workspace's default datastore: where code and models are uploaded. */
export interface DatastoreInfo {
  name: string;
  accountName: string;
  containerName: string;
  /** https://<account>.blob.<suffix> (or TFAML_BLOB_URL). */
  blobUrl: string;
  /** ARM id, for azureml:// URIs. */
  id: string;
}

/**
 * An Azure ML workspace, through ARM. Reads return undefined for "does not exist"; every other failure is an error
 * that says what to do (wrong name, missing role, expired credential, throttling after retries).
 */
export interface Workspace {
  /** "workspace mlw-dev (resource group rg-ml-dev)". */
  readonly description: string;
  /** Fails with a ConfigurationError naming the subscription, resource group or workspace that does not exist. */
  check(): Promise<{ id: string; location?: string; mlflowTrackingUri?: string }>;
  getEnvironment(name: string, version: string): Promise<RegisteredEnvironment | undefined>;
  listEnvironmentVersions(name: string): Promise<RegisteredEnvironment[]>;
  /** Idempotent for identical content; a version that exists with other content is a RegistryConflictError. */
  createEnvironment(env: NewEnvironmentVersion): Promise<RegisteredEnvironment>;
  getData(name: string, version: string): Promise<RegisteredData | undefined>;
  listDataVersions(name: string): Promise<RegisteredData[]>;
  createData(d: {
    name: string;
    version: string;
    dataType: string;
    dataUri: string;
    description?: string;
    tags?: Record<string, string>;
  }): Promise<RegisteredData>;
  getCompute(name: string): Promise<RegisteredCompute | undefined>;
  /** ARM id of a compute / environment version / code version, for job bodies. */
  resourceId(kind: 'computes' | 'environments' | 'data' | 'codes' | 'models', name: string, version?: string): string;
  /** Registers a code version pointing at an uploaded folder (idempotent for the same URI). Returns its ARM id. */
  createCodeVersion(name: string, version: string, codeUri: string): Promise<string>;
  defaultDatastore(): Promise<DatastoreInfo>;
  /** The datastore's account key (masked when read), or undefined when it uses identity access. */
  datastoreKey(name: string): Promise<string | undefined>;
  /**
   * An uploader into one of the workspace's datastores (its account key when it has one, else the caller's identity),
   * so that the domain moves code and build contexts without holding a credential.
   */
  datastoreUploader(datastore: DatastoreInfo): Promise<BlobUploader>;
  getJob(name: string): Promise<JobInfo | undefined>;
  createJob(name: string, spec: CommandJobSpec): Promise<JobInfo>;
  /** Asks Azure to cancel; does not wait for the job to reach Canceled. */
  cancelJob(name: string): Promise<void>;
  listJobs(opts?: { tag?: string }): Promise<JobInfo[]>;
  listOnlineDeployments(): Promise<OnlineDeploymentInfo[]>;
  /** runs/get on the workspace's MLflow tracking server (or TFAML_MLFLOW_URI); the run id is the job name. */
  getRun(runId: string): Promise<RunRecord | undefined>;
  getModelVersion(name: string, version: string): Promise<RegisteredModel | undefined>;
  /**
   * Every version of a model, or with `tags` only those carrying each tag with that value (ModelVersions_List's
   * `tags` filter, so finding a training fingerprint reads one short page, not the whole history).
   */
  listModelVersions(name: string, filter?: { tags?: Record<string, string> }): Promise<RegisteredModel[]>;
  /** Idempotent for identical content; a version that exists with another modelUri or properties is a RegistryConflictError. */
  createModelVersion(m: NewRegisteredModel): Promise<RegisteredModel>;
}

/** A model version as Azure ML stores it (workspace or registry). */
export interface RegisteredModel {
  name: string;
  version: string;
  /** azureml://… where the files are. */
  modelUri: string;
  modelType: string;
  tags: Record<string, string>;
  /** Set at creation, never altered (tfaml keeps the content hash and metrics here). */
  properties: Record<string, string>;
  /** ISO 8601. */
  createdAt?: string;
}

export interface NewRegisteredModel {
  name: string;
  version: string;
  modelUri: string;
  /** custom_model (default) | mlflow_model | triton_model */
  modelType?: string;
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
}

/** Moves files to blob storage; `prefix` is content-addressed, so an existing complete upload is skipped. */
export interface BlobUploader {
  /** Uploads every file of `folder` under `prefix/` unless it is already complete; returns whether it uploaded. */
  uploadFolder(
    folder: string,
    prefix: string,
    /** Which folder-relative paths (folders end with `/`) to upload; default all. */
    include?: (rel: string) => boolean,
  ): Promise<{ uploaded: boolean; files: number; bytes: number; url: string }>;
}
