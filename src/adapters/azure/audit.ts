/**
 * `tfaml audit`'s reads of a live workspace (the AuditSource port of src/audit/facts.ts) through
 * @azure/arm-machinelearning's list operations: Compute_List, OnlineEndpoints_List, OnlineDeployments_List, Jobs_List
 * (listViewType ActiveOnly), and the environment and data containers with their versions. Every list follows nextLink
 * through the SDK's async iterators, one request per page; nothing here writes, so an audit never changes the
 * workspace. A 403 names the role to grant (errors.ts); a list the workspace answers 404 for is empty.
 */
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { AuditSource, LiveAsset, LiveCompute, LiveDeployment, LiveJob } from '../../audit/facts.js';
import { ConfigurationError } from '../../core/errors.js';
import { TERMINAL_JOB_STATES } from '../../core/ports.js';
import type { WorkspaceRef } from '../../config/types.js';
import { openWorkspace, type OpenOptions } from './index.js';
import { describeAzureError, isStatus, type Scope } from './errors.js';
import { durationSeconds, type AzureWorkspace } from './workspace.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const iso = (v: unknown): string | undefined => (v instanceof Date ? v.toISOString() : str(v));

/** How many container version lists are read at once (each is its own paged list). */
const CONCURRENCY = 8;

async function pool<T, U>(items: readonly T[], n: number, fn: (t: T) => Promise<U>): Promise<U[]> {
  const out: U[] = new Array<U>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** A compute as the audit sees it, from a ComputeResource (the SDK keeps fields newer API versions add, such as
 * idleTimeBeforeShutdown, as they come). */
export function liveCompute(r: { name?: string; properties?: unknown }): LiveCompute {
  const p = obj(r.properties);
  const inner = obj(p.properties);
  const scale = obj(inner.scaleSettings);
  const counts = obj(inner.nodeStateCounts);
  const stops = (
    Array.isArray(obj(inner.schedules).computeStartStop) ? (obj(inner.schedules).computeStartStop as unknown[]) : []
  )
    .map(obj)
    .filter((s) => str(s.action) === 'Stop' && str(s.status) !== 'Disabled').length;
  return {
    name: r.name ?? '',
    computeType: str(p.computeType) ?? 'Unknown',
    vmSize: str(inner.vmSize),
    state: str(inner.state),
    idleShutdownSeconds: durationSeconds(str(inner.idleTimeBeforeShutdown)),
    stopSchedules: stops,
    minNodes: num(scale.minNodeCount),
    maxNodes: num(scale.maxNodeCount),
    idleSeconds: durationSeconds(str(scale.nodeIdleTimeBeforeScaleDown)),
    currentNodes: num(inner.currentNodeCount),
    runningNodes: num(counts.runningNodeCount),
    lowPriority: /^low/i.test(str(inner.vmPriority) ?? ''),
  };
}

export function liveJob(r: { name?: string; properties?: unknown; systemData?: unknown }): LiveJob {
  const p = obj(r.properties);
  const resources = obj(p.resources);
  const limits = obj(p.limits);
  return {
    name: r.name ?? '',
    status: str(p.status) ?? 'Unknown',
    jobType: str(p.jobType),
    compute: str(p.computeId)?.split('/').pop() || undefined,
    instanceType: str(resources.instanceType),
    instanceCount: num(resources.instanceCount) ?? 1,
    timeoutSeconds: durationSeconds(str(limits.timeout)),
    createdAt: iso(obj(r.systemData).createdAt),
    tags: obj(p.tags) as Record<string, string>,
  };
}

export class AzureAuditSource implements AuditSource {
  readonly description: string;
  private readonly client: AzureMachineLearningWorkspaces;
  private readonly rg: string;
  private readonly ws: string;
  private readonly scope: Scope;

  constructor(private readonly workspace: AzureWorkspace) {
    this.description = workspace.description;
    this.client = workspace.client;
    this.rg = workspace.resourceGroup;
    this.ws = workspace.name;
    this.scope = workspace.scope;
  }

  /** Every item of a paged list; `missing` (404) is an empty list when `emptyOn404`. */
  private async list<T, U>(
    what: string,
    iter: () => AsyncIterable<T>,
    map: (t: T) => U,
    emptyOn404 = false,
  ): Promise<U[]> {
    const out: U[] = [];
    try {
      for await (const x of iter()) out.push(map(x));
    } catch (err) {
      if (emptyOn404 && isStatus(err, 404)) {
        const e = describeAzureError(err, `${what} in ${this.description}`, this.scope);
        // A missing workspace, group or subscription says so; a container deleted meanwhile is empty.
        if (e instanceof ConfigurationError) throw e;
        return [];
      }
      throw describeAzureError(err, `${what} in ${this.description}`, this.scope);
    }
    return out;
  }

  async location(): Promise<string | undefined> {
    return (await this.workspace.check()).location;
  }

  computes(): Promise<LiveCompute[]> {
    return this.list('listing computes', () => this.client.computeOperations.list(this.rg, this.ws), liveCompute);
  }

  async deployments(): Promise<LiveDeployment[]> {
    const endpoints = await this.list(
      'listing online endpoints',
      () => this.client.onlineEndpoints.list(this.rg, this.ws),
      (e) => ({ name: e.name ?? '', traffic: obj(obj(e.properties).traffic) }),
    );
    const per = await pool(endpoints, CONCURRENCY, (e) =>
      this.list(
        `listing the deployments of online endpoint ${e.name}`,
        () => this.client.onlineDeployments.list(this.rg, this.ws, e.name),
        (d): LiveDeployment => {
          const share = num(e.traffic[d.name ?? '']);
          return {
            endpoint: e.name,
            name: d.name ?? '',
            instanceType: str(obj(d.properties).instanceType),
            instanceCount: d.sku?.capacity ?? 1,
            // An endpoint with a traffic split gives a deployment it does not name 0%.
            traffic: Object.keys(e.traffic).length ? (share ?? 0) : undefined,
          };
        },
        true,
      ),
    );
    return per.flat();
  }

  async activeJobs(): Promise<LiveJob[]> {
    const all = await this.list(
      'listing jobs',
      () => this.client.jobs.list(this.rg, this.ws, { listViewType: 'ActiveOnly' }),
      (j) => liveJob(j as unknown as Obj),
    );
    return all.filter((j) => !TERMINAL_JOB_STATES.includes(j.status));
  }

  environments(): Promise<LiveAsset[]> {
    return this.versions(
      'environment',
      () => this.client.environmentContainers.list(this.rg, this.ws),
      (name) => this.client.environmentVersions.list(this.rg, this.ws, name),
    );
  }

  dataVersions(): Promise<LiveAsset[]> {
    return this.versions(
      'data',
      () => this.client.dataContainers.list(this.rg, this.ws),
      (name) => this.client.dataVersions.list(this.rg, this.ws, name),
    );
  }

  /** Every registered, named version of an asset kind: its containers, then each container's versions, a few at once. */
  private async versions(
    kind: 'environment' | 'data',
    containers: () => AsyncIterable<{ name?: string }>,
    versionsOf: (name: string) => AsyncIterable<{ name?: string; properties?: { isAnonymous?: boolean } }>,
  ): Promise<LiveAsset[]> {
    const names = await this.list(
      `listing ${kind === 'data' ? 'data assets' : 'environments'}`,
      containers,
      (c) => c.name ?? '',
    );
    const per = await pool(names, CONCURRENCY, (name) =>
      this.list(
        `listing the versions of ${kind} ${name}`,
        () => versionsOf(name),
        (v) => ({ name, version: v.name ?? '', anonymous: v.properties?.isAnonymous === true }),
        true,
      ),
    );
    return per
      .flat()
      .filter((v) => !v.anonymous)
      .map(({ name, version }) => ({ name, version }));
  }
}

/** The AuditSource of the workspace tfaml.yml names. */
export function openAuditSource(ref: WorkspaceRef, opts: OpenOptions = {}): AzureAuditSource {
  return new AzureAuditSource(openWorkspace(ref, opts));
}
