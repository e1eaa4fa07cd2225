/**
 * What `tfaml audit` reads from the live workspace, shaped by what the audit judges (not by the ARM SDK), and the port
 * it reads them through. src/adapters/azure/audit.ts implements it over @azure/arm-machinelearning's list
 * operations; the tests hold an in-memory one to the same shape.
 */

/** A compute target as it is right now. */
export interface LiveCompute {
  name: string;
  /** AmlCompute, ComputeInstance, AKS, … (ComputeType in the REST API). */
  computeType: string;
  vmSize?: string;
  /** ComputeInstance: its state (Running, Stopped, JobRunning, …). */
  state?: string;
  /** ComputeInstance: idle time before it shuts itself down, in seconds; undefined when none is set. */
  idleShutdownSeconds?: number;
  /** ComputeInstance: enabled schedules that stop it. */
  stopSchedules?: number;
  /** AmlCompute: scale settings and nodes. */
  minNodes?: number;
  maxNodes?: number;
  idleSeconds?: number;
  currentNodes?: number;
  /** Nodes running a job (nodeStateCounts.runningNodeCount), when Azure reports it. */
  runningNodes?: number;
  /** tier low_priority (billed on its own meter). */
  lowPriority?: boolean;
}

/** A managed online deployment and the share of its endpoint's traffic it takes. */
export interface LiveDeployment {
  endpoint: string;
  name: string;
  instanceType?: string;
  instanceCount: number;
  /** Percent of the endpoint's traffic (0–100); undefined when the endpoint declares no traffic split. */
  traffic?: number;
}

/** A job that has not finished. */
export interface LiveJob {
  name: string;
  status: string;
  jobType?: string;
  /** The compute's name (the last segment of computeId). */
  compute?: string;
  instanceType?: string;
  instanceCount: number;
  /** limits.timeout, in seconds. */
  timeoutSeconds?: number;
  /** When it was submitted (systemData.createdAt, ISO 8601): the 2022-10-01 API reports no start time. */
  createdAt?: string;
  tags: Record<string, string>;
}

/** An environment or data version registered in the workspace. */
export interface LiveAsset {
  name: string;
  version: string;
}

/** A model version in the production registry. */
export interface ProductionModel {
  name: string;
  version: string;
  tags: Record<string, string>;
}

/**
 * The live workspace, read-only: every method lists (GET, following every page) and none changes anything. A resource
 * type the workspace does not have is an empty list.
 */
export interface AuditSource {
  /** "workspace mlw-dev (resource group rg-ml-dev)". */
  readonly description: string;
  /** The workspace's Azure region (prices are looked up there). */
  location(): Promise<string | undefined>;
  computes(): Promise<LiveCompute[]>;
  deployments(): Promise<LiveDeployment[]>;
  /** Jobs not yet Completed, Failed or Canceled. */
  activeJobs(): Promise<LiveJob[]>;
  /** Every version of every non-archived environment, less the anonymous ones Azure makes for inline environments. */
  environments(): Promise<LiveAsset[]>;
  dataVersions(): Promise<LiveAsset[]>;
}

export interface AuditFacts {
  computes: LiveCompute[];
  deployments: LiveDeployment[];
  jobs: LiveJob[];
  environments: LiveAsset[];
  data: LiveAsset[];
  /** The production registry's versions of the project's model, when it was read. */
  production?: { description: string; models: ProductionModel[] };
}
