/**
 * ModelRegistry over Azure ML: a workspace (experiment registry, or a production workspace) and an Azure ML registry
 * (production). Both behave like the embedded registry: versions are immutable, `create` with identical content
 * returns the existing version (found by the content hash tfaml keeps in the version's properties), other content
 * under an existing version is a RegistryConflictError, and files are uploaded before the version that points at
 * them is created, so a version never points at half an upload.
 *
 * The registry API (api-version 2025-12-01) is not in @azure/arm-machinelearning 2.1.1: it goes through the same
 * client's sendRequest, and its PUT is long-running (201 + Azure-AsyncOperation, polled until Succeeded; the result
 * is then read from the PUT's own URL, final-state-via original-uri).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '../../core/errors.js';
import { hashFolder } from '../../lock/hash.js';
import { RegistryConflictError } from '../../core/errors.js';
import type {
  Clock,
  MaterializedModel,
  ModelRegistry,
  ModelVersion,
  NewModelVersion,
  NewRegisteredModel,
  RegisteredModel,
} from '../../core/ports.js';
import { METRIC_TAG_PREFIX, MODEL_PROPS } from '../../core/tags.js';
import { maskSecret as mask } from '../../core/runner.js';
import { ContainerUploader, datastoreContainer, downloadPrefix, sasContainer } from './blob.js';
import { armError, describeAzureError } from './errors.js';
import { modelFromResource, modelProperties, type AzureWorkspace } from './workspace.js';

export const REGISTRY_API_VERSION = '2025-12-01';

function versionSort(a: ModelVersion, b: ModelVersion): number {
  const na = Number(a.version);
  const nb = Number(b.version);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a.version < b.version ? -1 : a.version > b.version ? 1 : 0;
}

/** Azure's record → the domain's ModelVersion. */
export function toModelVersion(m: RegisteredModel): ModelVersion {
  let metrics: Record<string, number> = {};
  try {
    metrics = JSON.parse(m.properties[MODEL_PROPS.metrics] ?? '{}') as Record<string, number>;
  } catch {
    /* a version registered by hand: no metrics */
  }
  const tags = Object.fromEntries(Object.entries(m.tags).filter(([k]) => !k.startsWith(METRIC_TAG_PREFIX)));
  return {
    name: m.name,
    version: m.version,
    contentHash: m.properties[MODEL_PROPS.contentHash] ?? `uri:${m.modelUri}`,
    metrics,
    tags,
    createdAt: m.createdAt ?? '',
    location: m.modelUri,
  };
}

function nextVersion(versions: ModelVersion[]): string {
  return String(Math.max(0, ...versions.map((x) => (/^\d+$/.test(x.version) ? Number(x.version) : 0))) + 1);
}

function newRecord(v: NewModelVersion, version: string, contentHash: string, modelUri: string): NewRegisteredModel {
  const metricTags = Object.fromEntries(
    Object.entries(v.metrics).map(([k, x]) => [`${METRIC_TAG_PREFIX}${k}`, String(x)]),
  );
  return {
    name: v.name,
    version,
    modelUri,
    modelType: 'custom_model',
    tags: { ...v.tags, ...metricTags },
    properties: { [MODEL_PROPS.contentHash]: contentHash, [MODEL_PROPS.metrics]: JSON.stringify(v.metrics) },
  };
}

/** The shared create: idempotent by content, conflict on other content, next number when auto-numbered. */
async function createIdempotent(
  reg: ModelRegistry,
  v: NewModelVersion,
  upload: (hash: string, version: string) => Promise<string>,
  put: (rec: NewRegisteredModel) => Promise<RegisteredModel>,
): Promise<ModelVersion> {
  const contentHash = (await hashFolder(v.files, v.files)).hash;
  for (let attempt = 0; attempt < 20; attempt++) {
    const versions = await reg.list(v.name);
    const same = versions.find(
      (x) => x.contentHash === contentHash && (v.version === undefined || x.version === v.version),
    );
    if (same) return same;
    const version = v.version ?? nextVersion(versions);
    const taken = versions.find((x) => x.version === version);
    if (taken)
      throw new RegistryConflictError(
        `${reg.description} already has ${v.name} version ${version} with different content (${taken.contentHash}); versions are immutable: register under a new version`,
      );
    const modelUri = await upload(contentHash, version);
    try {
      return toModelVersion(await put(newRecord(v, version, contentHash, modelUri)));
    } catch (err) {
      if (!(err instanceof RegistryConflictError)) throw err;
      // Someone registered this version meanwhile: identical content is success, an explicit version a conflict.
      const theirs = await reg.get(v.name, version);
      if (theirs && theirs.contentHash === contentHash) return theirs;
      if (v.version !== undefined) throw err;
    }
  }
  throw new Error(`could not find a free version for ${v.name} in ${reg.description} after 20 attempts`);
}

/**
 * Where a workspace model version's files are in a datastore: `azureml://[subscriptions/…/workspaces/<ws>/]datastores/
 * <store>/paths/<path>`, a job output `azureml://jobs/<job>/outputs/<output>/paths/<path>` (a named output's default
 * location, `azureml/<job>/<output>/` in the default datastore), or an https URL into the datastore's container.
 * Undefined when the location is none of these.
 */
export function datastorePath(
  location: string,
  ds: { name: string; blobUrl: string; containerName: string },
): { datastore: string; path: string } | undefined {
  const trim = (p: string) => decodeURIComponent(p).replace(/^\/+|\/+$/g, '');
  const store =
    /^azureml:\/\/(?:subscriptions\/[^/]+\/resource[gG]roups\/[^/]+\/(?:providers\/Microsoft\.MachineLearningServices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.*)$/.exec(
      location,
    );
  if (store) return { datastore: store[1]!, path: trim(store[2]!) };
  const job = /^azureml:\/\/jobs\/([^/]+)\/outputs\/([^/]+)\/paths\/?(.*)$/.exec(location);
  if (job) return { datastore: ds.name, path: trim(`azureml/${job[1]}/${job[2]}/${job[3] ?? ''}`) };
  const container = `${ds.blobUrl.replace(/\/+$/, '')}/${ds.containerName}/`;
  if (/^https?:\/\//.test(location) && location.startsWith(container))
    return { datastore: ds.name, path: trim(location.slice(container.length).split('?')[0]!) };
  return undefined;
}

/** A workspace's model registry: files go to its default datastore, versions through ModelVersions_CreateOrUpdate. */
export class WorkspaceModelRegistry implements ModelRegistry {
  readonly description: string;

  constructor(private readonly ws: AzureWorkspace) {
    this.description = ws.description;
  }

  async list(name: string): Promise<ModelVersion[]> {
    return (await this.ws.listModelVersions(name)).map(toModelVersion).sort(versionSort);
  }

  async get(name: string, version: string): Promise<ModelVersion | undefined> {
    const m = await this.ws.getModelVersion(name, version);
    return m && toModelVersion(m);
  }

  async create(v: NewModelVersion): Promise<ModelVersion> {
    return createIdempotent(
      this,
      v,
      async (hash) => {
        const ds = await this.ws.defaultDatastore();
        const key = await this.ws.datastoreKey(ds.name);
        const prefix = `LocalUpload/tfaml/models/${hash.replace(/^sha256:/, '').slice(0, 32)}`;
        await new ContainerUploader(datastoreContainer(ds, key, this.ws.credential!), this.ws.scope).uploadFolder(
          v.files,
          prefix,
        );
        return `azureml://subscriptions/${this.ws.subscriptionId}/resourcegroups/${this.ws.resourceGroup}/workspaces/${this.ws.name}/datastores/${ds.name}/paths/${prefix}/`;
      },
      (rec) => this.ws.createModelVersion(rec),
    );
  }

  /**
   * The version's files, downloaded from the workspace's default datastore (its account key from listSecrets, else
   * the caller's identity) into a temporary folder, checked against the content hash recorded at registration when
   * there is one (a sha256: hash; a job's output registered without one is taken as it is). The caller removes the
   * folder with `cleanup`; on any failure it is already removed.
   */
  async materialize(v: ModelVersion): Promise<MaterializedModel> {
    const what = `${v.name}:${v.version} in ${this.description}`;
    const ds = await this.ws.defaultDatastore();
    const where = datastorePath(v.location, ds);
    if (!where)
      throw new ConfigurationError(
        `${what} keeps its files at ${v.location}, which tfaml cannot download: it reads model versions whose files are in a datastore (azureml://…/datastores/<store>/paths/…) or a job's output`,
      );
    if (where.datastore !== ds.name)
      throw new ConfigurationError(
        `${what} keeps its files in datastore ${where.datastore}, not the workspace's default datastore ${ds.name}, which is the only one tfaml downloads from; register the model from the default datastore`,
      );
    const key = await this.ws.datastoreKey(ds.name);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tfaml-candidate-'));
    const cleanup = async () => rmSync(dir, { recursive: true, force: true });
    try {
      const got = await downloadPrefix(
        datastoreContainer(ds, key, this.ws.credential!),
        where.path,
        dir,
        this.ws.scope,
      );
      if (got.files === 0)
        throw new ConfigurationError(
          `${what} has no files at ${v.location} (datastore ${ds.name}, path ${where.path}/); the upload is missing or was deleted, so it cannot be promoted`,
        );
      if (v.contentHash.startsWith('sha256:')) {
        const actual = (await hashFolder(dir, `${v.name}:${v.version}`)).hash;
        if (actual !== v.contentHash) {
          throw new ConfigurationError(
            `${what}: the files downloaded from ${v.location} do not match the content hash recorded when it was registered (recorded ${v.contentHash}, downloaded ${actual}); they were changed or deleted after registration, so this version cannot be promoted: register the model again as a new version`,
          );
        }
      }
      return { dir, cleanup };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }
}

export interface RegistryOptions {
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** Give up on a long-running PUT after this long (default 30 minutes). */
  timeoutMs?: number;
}

/** An Azure ML registry (e.g. the production registry `mlr-prod`), through the workspace client's sendRequest. */
export class AzureMlRegistry implements ModelRegistry {
  readonly description: string;

  constructor(
    private readonly ws: AzureWorkspace,
    readonly registryName: string,
    readonly resourceGroup: string,
    private readonly opts: RegistryOptions = {},
  ) {
    this.description = `registry ${registryName} (resource group ${resourceGroup})`;
  }

  private get scope() {
    return { subscriptionId: this.ws.subscriptionId, resourceGroup: this.resourceGroup, registry: this.registryName };
  }

  private url(name: string, version?: string, suffix = ''): string {
    const base = `${this.ws.client.$host}/subscriptions/${this.ws.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.MachineLearningServices/registries/${this.registryName}/models/${encodeURIComponent(name)}/versions`;
    return `${base}${version === undefined ? '' : `/${encodeURIComponent(version)}`}${suffix}?api-version=${REGISTRY_API_VERSION}`;
  }

  private async request(method: 'GET' | 'PUT' | 'POST', url: string, body: unknown, what: string, ok: number[]) {
    try {
      const res = await this.ws.send(method, url, body, what, ok);
      if (res.status === 404) {
        // A missing model version is an answer; a missing registry, group or subscription is the user's to fix.
        const e = armError({ statusCode: 404, response: { bodyAsText: res.bodyAsText } });
        if (
          e.code === 'SubscriptionNotFound' ||
          e.code === 'ResourceGroupNotFound' ||
          (e.code === 'ResourceNotFound' && /\/registries\//.test(e.message))
        ) {
          throw describeAzureError({ statusCode: 404, response: { bodyAsText: res.bodyAsText } }, what, this.scope);
        }
      }
      return res;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 409)
        throw new RegistryConflictError(
          `${this.description}: ${armError(err).message}; versions are immutable: register under a new version`,
        );
      throw describeAzureError(err, what, this.scope);
    }
  }

  async list(name: string): Promise<ModelVersion[]> {
    const out: ModelVersion[] = [];
    let next: string | undefined = this.url(name);
    for (let page = 0; next && page < 1000; page++) {
      const res = await this.request(
        'GET',
        next,
        undefined,
        `listing model ${name} in ${this.description}`,
        [200, 404],
      );
      if (res.status === 404) return [];
      const body = JSON.parse(res.bodyAsText ?? '{}') as { value?: Record<string, unknown>[]; nextLink?: string };
      out.push(...(body.value ?? []).map((r) => toModelVersion(modelFromResource(name, r))));
      next = body.nextLink;
    }
    return out.sort(versionSort);
  }

  async get(name: string, version: string): Promise<ModelVersion | undefined> {
    const res = await this.request(
      'GET',
      this.url(name, version),
      undefined,
      `reading model ${name}:${version} in ${this.description}`,
      [200, 404],
    );
    if (res.status === 404) return undefined;
    return toModelVersion(modelFromResource(name, JSON.parse(res.bodyAsText ?? '{}') as Record<string, unknown>));
  }

  async create(v: NewModelVersion): Promise<ModelVersion> {
    return createIdempotent(
      this,
      v,
      async (_hash, version) => {
        // The registry hands out a SAS for a temporary blob location; the files go there, the version points at it.
        const res = await this.request(
          'POST',
          this.url(v.name, version, '/startPendingUpload'),
          { pendingUploadType: 'TemporaryBlobReference' },
          `starting an upload for ${v.name}:${version} to ${this.description}`,
          [200],
        );
        const pending = JSON.parse(res.bodyAsText ?? '{}') as {
          blobReferenceForConsumption?: { blobUri?: string; credential?: { sasUri?: string } };
        };
        const blobUri = pending.blobReferenceForConsumption?.blobUri;
        const sasUri = pending.blobReferenceForConsumption?.credential?.sasUri;
        if (!blobUri || !sasUri)
          throw new Error(`${this.description} answered startPendingUpload without a blob URI and SAS`);
        // The SAS grants write access to the registry's storage: mask it (and its token) before anything can log it.
        mask(sasUri);
        mask(new URL(sasUri).search.slice(1));
        const containerPath = new URL(sasUri).pathname.replace(/\/+$/, '');
        const blobPath = new URL(blobUri).pathname;
        if (!blobPath.startsWith(`${containerPath}/`))
          throw new Error(`${this.description} answered startPendingUpload with a blob URI outside its SAS container`);
        const prefix = decodeURIComponent(blobPath.slice(containerPath.length + 1)).replace(/\/+$/, '');
        const container = sasContainer(sasUri);
        await new ContainerUploader(container, this.scope).uploadFolder(v.files, prefix);
        return blobUri;
      },
      async (rec) => {
        const url = this.url(rec.name, rec.version);
        const what = `registering model ${rec.name}:${rec.version} in ${this.description}`;
        const res = await this.request('PUT', url, { properties: modelProperties(rec) }, what, [200, 201, 202]);
        const op = res.headers.get('azure-asyncoperation') ?? res.headers.get('location');
        if (op) await this.poll(op, what, Number(res.headers.get('retry-after') ?? NaN));
        const final = await this.request('GET', url, undefined, what, [200]);
        return modelFromResource(rec.name, JSON.parse(final.bodyAsText ?? '{}') as Record<string, unknown>);
      },
    );
  }

  /** Polls an Azure-AsyncOperation until it ends, honouring Retry-After, else backing off from 1 s to 30 s. */
  private async poll(opUrl: string, what: string, firstRetryAfter: number): Promise<void> {
    const clock = this.opts.clock ?? { now: () => Date.now() };
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const deadline = clock.now() + (this.opts.timeoutMs ?? 30 * 60_000);
    let backoff = 1000;
    // Never poll back to back, even when told Retry-After: 0.
    let wait = Number.isFinite(firstRetryAfter) ? Math.max(250, firstRetryAfter * 1000) : backoff;
    for (;;) {
      await sleep(wait);
      const res = await this.request('GET', opUrl, undefined, what, [200, 202]);
      const body = JSON.parse(res.bodyAsText || '{}') as {
        status?: string;
        error?: { code?: string; message?: string };
      };
      const status = body.status ?? (res.status === 200 ? 'Succeeded' : 'InProgress');
      if (/^succeeded$/i.test(status)) return;
      if (/^(failed|canceled|cancelled)$/i.test(status))
        throw new Error(
          `${what}: the operation ended ${status}${body.error?.message ? `: ${body.error.message}` : ''}`,
        );
      if (clock.now() > deadline)
        throw new Error(
          `${what}: still ${status} after ${Math.round((this.opts.timeoutMs ?? 1_800_000) / 60_000)} minutes`,
        );
      const ra = Number(res.headers.get('retry-after') ?? NaN);
      backoff = Math.min(30_000, backoff * 2);
      wait = Number.isFinite(ra) ? Math.max(250, ra * 1000) : backoff;
    }
  }
}
