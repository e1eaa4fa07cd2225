/**
 * The small interfaces the domain needs from the outside world. Each is implemented once per outside system under
 * src/adapters/ and built in one composition root (src/main.ts).
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
}

/**
 * Tag keys every registered model carries (lineage and evidence). train writes them, promote copies them into
 * production with the gate evidence, cost reads durations from them. Values are strings; structured values are JSON.
 */
export const TAGS = {
  gitSha: 'tfaml.git-sha',
  configHash: 'tfaml.config-hash',
  /** name:version of the environment the model was trained in. */
  environment: 'tfaml.environment',
  /** name:version of the training data. */
  data: 'tfaml.data',
  dataHash: 'tfaml.data-hash',
  hub: 'tfaml.hub',
  hubHash: 'tfaml.hub-hash',
  runId: 'tfaml.run-id',
  backend: 'tfaml.backend',
  /** JSON array, e.g. [224,224,3]. */
  inputShape: 'tfaml.input-shape',
  /** JSON array of class names in output order. */
  classes: 'tfaml.classes',
  /** Wall-clock seconds of the training run (cost uses it to estimate the next one). */
  durationSeconds: 'tfaml.duration-s',
  /** local | azure, and the instance type and count for azure. */
  target: 'tfaml.target',
  instanceType: 'tfaml.instance-type',
  instanceCount: 'tfaml.instance-count',
} as const;
