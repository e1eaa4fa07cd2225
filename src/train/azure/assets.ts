/**
 * ensure: what the job names exists in the workspace with the content of the project's files. Environment and data
 * versions missing from the workspace are registered, ones registered with other content are refused (a version is
 * immutable); local folders (the job's code, a docker build context) go to the default datastore under a
 * content-addressed prefix, so an unchanged folder is not uploaded again.
 */
import { codeFolder } from './fingerprint.js';
import { uploadFilter } from './upload-selection.js';
import path from 'node:path';
import { environmentDifferences } from '../../checks/workspace.js';
import type { EnvironmentFile, JobFile, Project } from '../../config/project.js';
import { parseAssetRef } from '../../config/refs.js';
import { ConfigurationError, RegistryConflictError } from '../../core/errors.js';
import type { BlobUploader, DatastoreInfo, Log, Workspace } from '../../core/ports.js';
import { ENV_HASH_TAG } from '../../core/tags.js';
import { hashFolder } from '../../lock/hash.js';
import type { Resolved } from '../../lock/resolve.js';

type Obj = Record<string, unknown>;
const strOf = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Where local folders go: the workspace's default datastore and an uploader into it (made on first use). */
export interface DatastoreUpload {
  datastore: DatastoreInfo;
  uploader: BlobUploader;
}

/**
 * The default datastore and an uploader into it, asked of the workspace when the first folder needs them (a docker
 * build context, the code) and then kept: a job with neither reads no datastore.
 */
export function lazyDatastore(ws: Workspace): () => Promise<DatastoreUpload> {
  let store: Promise<DatastoreUpload> | undefined;
  return () =>
    (store ??= (async () => {
      const datastore = await ws.defaultDatastore();
      return { datastore, uploader: await ws.datastoreUploader(datastore) };
    })());
}

/** Prefix of tfaml's content-addressed uploads in the datastore: LocalUpload/tfaml/<kind>/<hash>. */
const UPLOAD_PREFIX = 'LocalUpload/tfaml';

/** The short content hash of a folder, as it appears in its upload prefix. */
async function folderKey(abs: string, rel: string): Promise<string> {
  const { hash } = await hashFolder(abs, rel);
  return hash.replace(/^sha256:/, '').slice(0, 32);
}

/**
 * Uploads a project folder to the datastore under a content-addressed prefix (an unchanged folder is not uploaded
 * again) and returns its blob URL, the way the Azure ML CLI places code and docker build contexts.
 */
async function uploadFolder(
  store: DatastoreUpload,
  kind: 'code' | 'environment',
  abs: string,
  rel: string,
  log: Log,
): Promise<{ url: string; key: string }> {
  const short = await folderKey(abs, rel);
  const { include, rulesFrom } = uploadFilter(abs);
  const r = await store.uploader.uploadFolder(abs, `${UPLOAD_PREFIX}/${kind}/${short}`, include);
  if (rulesFrom && r.uploaded) log.info(`${rel}: files its ${rulesFrom} excludes were not uploaded`);
  log.info(
    r.uploaded
      ? `uploaded ${rel} (${r.files} files, ${r.bytes} bytes) to ${store.datastore.name}`
      : `${rel} is unchanged since its last upload; not uploading it again`,
  );
  return { url: r.url, key: short };
}

/** The content key of a build context tfaml uploaded, from its contextUri (undefined for any other URI). */
function uploadedKey(contextUri: string | undefined): string | undefined {
  return contextUri?.match(new RegExp(`/${UPLOAD_PREFIX}/environment/([0-9a-f]{32})/?$`))?.[1];
}

/**
 * ensure: the job's environment and data versions exist in the workspace with the content of the files. An
 * environment built from a docker context has its context uploaded first (through `upload`) and is registered with
 * `build: { contextUri, dockerfilePath }` as `az ml environment create` does.
 */
export async function ensureAssets(
  ws: Workspace,
  project: Project,
  resolved: Resolved,
  job: JobFile,
  log: Log,
  upload?: () => Promise<DatastoreUpload>,
): Promise<{ environment: string; data: Record<string, string> }> {
  const envRef =
    job.environment && typeof job.environment.value === 'string' ? parseAssetRef(job.environment.value) : undefined;
  if (!envRef || envRef.kind !== 'versioned') {
    if (envRef?.kind === 'registry-versioned')
      return { environment: job.environment!.value as string, data: await ensureData(ws, project, job, log) };
    throw new ConfigurationError(
      'the job must pin its environment as azureml:<name>:<version> (or a registry version) to train on Azure',
      job.doc.locate(job.environment?.at ?? []),
    );
  }
  const env = project.environments.find((e) => e.name === envRef.name && e.version === envRef.version);
  const registered = await ws.getEnvironment(envRef.name, envRef.version);
  const hash = resolved.environments.get(`${envRef.name}:${envRef.version}`)?.hash;
  if (registered) {
    if (env) {
      const diff = environmentDifferences(env, registered, hash);
      if (!diff.length && env.build && registered.build && registered.tags[ENV_HASH_TAG] === undefined)
        diff.push(...(await buildDifferences(project, env.build, registered.build)));
      if (diff.length)
        throw new RegistryConflictError(
          `${ws.description} already has environment ${env.name}:${env.version} with different content (${diff.join('; ')}); bump \`version\` in ${env.doc.file}`,
          env.doc.locate(['version']),
        );
    }
  } else {
    if (!env)
      throw new ConfigurationError(
        `environment ${envRef.name}:${envRef.version} is neither registered in ${ws.description} nor defined in a file under \`environments:\``,
        job.doc.locate(job.environment!.at),
      );
    let build: { contextUri: string; dockerfilePath: string } | undefined;
    if (env.build) {
      if (!upload)
        throw new ConfigurationError(
          `environment ${env.name}:${env.version} builds from a docker context, and there is no datastore to upload it to; register it once with \`az ml environment create -f ${env.doc.file}\``,
          env.doc.locate(['build']),
        );
      const { url } = await uploadFolder(
        await upload(),
        'environment',
        path.join(project.config.root, env.build.dir),
        env.build.dir,
        log,
      );
      // The CLI sends the context's blob URL with a trailing slash, and the Dockerfile relative to the context.
      build = { contextUri: `${url}/`, dockerfilePath: path.posix.relative(env.build.dir, env.build.dockerfile) };
    }
    log.info(`registering environment ${env.name}:${env.version} in ${ws.description}`);
    await ws.createEnvironment({
      name: env.name,
      version: env.version!,
      image: env.image,
      condaFile: env.conda?.text,
      build,
      description: strOf((env.doc.data as Obj).description),
      tags: { ...(hash ? { [ENV_HASH_TAG]: hash } : {}) },
    });
  }
  return { environment: `${envRef.name}:${envRef.version}`, data: await ensureData(ws, project, job, log) };
}

/** For a version registered without tfaml's hash tag: its Dockerfile path, and its context when tfaml uploaded it. */
async function buildDifferences(
  project: Project,
  build: NonNullable<EnvironmentFile['build']>,
  registered: { contextUri?: string; dockerfilePath?: string },
): Promise<string[]> {
  const out: string[] = [];
  const dockerfile = path.posix.relative(build.dir, build.dockerfile);
  if ((registered.dockerfilePath ?? 'Dockerfile') !== dockerfile)
    out.push(`Dockerfile ${registered.dockerfilePath ?? 'Dockerfile'} registered, ${dockerfile} in this file`);
  const key = uploadedKey(registered.contextUri);
  if (key !== undefined && key !== (await folderKey(path.join(project.config.root, build.dir), build.dir)))
    out.push(`the docker build context ${build.dir} differs from the one registered (${registered.contextUri})`);
  return out;
}

async function ensureData(ws: Workspace, project: Project, job: JobFile, log: Log): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const input of job.inputs) {
    const r = parseAssetRef(input.value);
    if (r.kind !== 'versioned') continue;
    const file = project.data.find((d) => d.name === r.name && d.version === r.version);
    const registered = await ws.getData(r.name, r.version);
    if (registered) {
      if (file?.path && registered.dataUri.replace(/\/+$/, '') !== file.path.replace(/\/+$/, '')) {
        throw new RegistryConflictError(
          `${ws.description} already has data ${r.name}:${r.version} at ${registered.dataUri}, but ${file.doc.file} says ${file.path}; a data version is immutable: bump \`version\``,
          file.doc.locate(['version']),
        );
      }
    } else {
      if (!file || !file.path)
        throw new ConfigurationError(
          `input \`${input.name}\` uses ${input.value}, which is neither registered in ${ws.description} nor defined under \`data:\``,
          job.doc.locate(input.at),
        );
      log.info(`registering data ${r.name}:${r.version} in ${ws.description}`);
      await ws.createData({
        name: r.name,
        version: r.version,
        dataType: file.type ?? input.type ?? 'uri_folder',
        dataUri: file.path,
        description: strOf((file.doc.data as Obj).description),
      });
    }
    out[input.name] = `${r.name}:${r.version}`;
  }
  return out;
}

/** Uploads the job's `code:` folder (content-addressed: unchanged code is not uploaded again) and registers it. */
export async function uploadCode(
  ws: Workspace,
  store: DatastoreUpload,
  project: Project,
  job: JobFile,
  log: Log,
): Promise<string | undefined> {
  // The code folder is uploaded whole: codeFolder keeps it the project's own (src/config/paths.ts).
  const rel = codeFolder(project, job);
  if (!rel) return undefined;
  const { url, key } = await uploadFolder(store, 'code', path.join(project.config.root, rel), rel, log);
  return ws.createCodeVersion(`tfaml-code-${key.slice(0, 16)}`, '1', url);
}
