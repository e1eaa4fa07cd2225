/**
 * tfaml.yml v1 as the rest of the code sees it: validated, defaults applied, keys in camelCase. The YAML spelling
 * (kebab-case) is the user's contract and is documented in docs/tfaml-yml.md and schema/tfaml.schema.json.
 */
import type { ProjectFiles } from './files.js';
import type { SourceDoc } from './source.js';

export type Stage = 'production' | 'experimental';

/** An Azure ML YAML file that tfaml.yml governs. `index` is its position in its list, for locating it. */
export interface AssetEntry {
  /** As written, relative to the project root. */
  path: string;
  stage: Stage;
  /** The owner written on the entry, if any (owners apply otherwise). */
  owner?: string;
  index: number;
}

export interface DataEntry extends AssetEntry {
  /** A local copy of the data, relative to the project root; its content hash goes into tfaml.lock. */
  local?: string;
}

export interface WorkspaceRef {
  subscriptionId?: string;
  resourceGroup: string;
  name: string;
}

export type FineTune = { mode: 'none' } | { mode: 'top'; layers: number };

export interface ModelConfig {
  name: string;
  hub: string;
  format: 'graph' | 'layers';
  inputShape: [number, number, number];
  featureLayer?: string;
  /** Undefined when the user left it out (model/finetune-policy reports that). */
  fineTune?: FineTune;
  /** The text written for fine-tune, for messages. */
  fineTuneText?: string;
  /** Where the served model's files come from: inside the environment (baked) or the hub at start-up (dynamic). */
  loading?: 'baked' | 'dynamic';
  /** How the model is served: an online endpoint (realtime), batch jobs, or not at all. */
  serving?: 'batch' | 'realtime' | 'none';
}

export interface TrainConfig {
  target: 'local' | 'azure';
  job?: string;
  data?: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  validationSplit: number;
  seed: number;
  expectedHours?: number;
}

export interface Gate {
  metric: string;
  min?: number;
  max?: number;
  maxDrop?: number;
  maxDropPct?: number;
  index: number;
}

export type ProductionRegistry =
  { kind: 'local' } | { kind: 'registry'; name: string } | { kind: 'workspace'; workspace: WorkspaceRef };

export interface CostConfig {
  region: string;
  budgetUsd?: number;
  maxIncreaseUsd?: number;
  overrideLabel?: string;
  currency: string;
}

export interface Suppression {
  rule: string;
  /** Relative to the project root; the suppression applies to findings in this file (all files if absent). */
  path?: string;
  reason: string;
  index: number;
}

export interface PolicyConfig {
  /** compute/not-ephemeral: the longest idle_time_before_scale_down allowed, in seconds. */
  maxIdleSeconds: number;
}

export interface TfamlConfig {
  version: 1;
  project: string;
  owners: string[];
  workspace?: WorkspaceRef;
  environments: AssetEntry[];
  data: DataEntry[];
  compute: AssetEntry[];
  jobs: AssetEntry[];
  endpoints: AssetEntry[];
  model?: ModelConfig;
  train?: TrainConfig;
  gates: Gate[];
  registries: { experiment: 'local' | 'workspace'; production: ProductionRegistry };
  promote: { branch: string };
  cost?: CostConfig;
  suppress: Suppression[];
  policy: PolicyConfig;
  /** The parsed tfaml.yml, for positions. */
  doc: SourceDoc;
  /** Absolute folder of tfaml.yml; every relative path resolves against it. */
  root: string;
  /** No path the project names may lead outside this folder: the git top level, else `root` (src/config/paths.ts). */
  boundary: string;
  /** Where the project's files were read from when not the working tree (e.g. a base ref); loadProject reads there too. */
  files?: ProjectFiles;
}

export const DEFAULT_MAX_IDLE_SECONDS = 1800;
