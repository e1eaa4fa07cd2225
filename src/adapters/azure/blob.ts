/**
 * Files to Azure the way the Azure ML CLI sends them: into the workspace's default datastore (a blob container),
 * under a content-addressed prefix, with a completion record written last. A prefix whose record exists holds exactly
 * those files already, so an unchanged upload is skipped; an upload cut short has no record and is redone.
 *
 * The record is a sibling blob, `<prefix>.tfaml-complete` (the manifest in its body, file count and bytes in its
 * metadata), never a blob under `<prefix>/`: the prefix is what a code version, a build context or a model version
 * points at, so anything inside it is shipped to the job, sent to the image build or downloaded as part of the model.
 * One blob outside the prefix keeps the check to a single request and needs nothing but blob write access (a
 * container SAS from a registry included). Uploads by earlier tfaml versions put the marker inside the prefix;
 * downloads still leave that one out.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { AnonymousCredential, ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { BlobUploader, DatastoreInfo } from '../../core/ports.js';
import { describeAzureError, type Scope } from './errors.js';

const COMPLETE_MARKER = '.tfaml-complete';

/** The blob that records a complete upload of `prefix/`: beside the prefix, never in it. */
function completionBlob(prefix: string): string {
  return `${prefix.replace(/\/+$/, '')}${COMPLETE_MARKER}`;
}

function walk(dir: string, include: (rel: string) => boolean, rel = ''): { abs: string; rel: string; size: number }[] {
  const out: { abs: string; rel: string; size: number }[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    // Links are never followed (only real files and folders are sent), and excluded folders are not entered.
    if (e.isDirectory()) {
      if (include(`${r}/`)) out.push(...walk(dir, include, r));
    } else if (e.isFile() && include(r))
      out.push({ abs: path.join(dir, r), rel: r, size: statSync(path.join(dir, r)).size });
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

export class ContainerUploader implements BlobUploader {
  constructor(
    readonly container: ContainerClient,
    private readonly scope: Scope,
  ) {}

  async uploadFolder(
    folder: string,
    prefix: string,
    include: (rel: string) => boolean = () => true,
  ): Promise<{ uploaded: boolean; files: number; bytes: number; url: string }> {
    const url = `${this.container.url}/${prefix}`;
    const files = walk(folder, include);
    const bytes = files.reduce((n, f) => n + f.size, 0);
    try {
      const marker = this.container.getBlockBlobClient(completionBlob(prefix));
      if (await marker.exists()) return { uploaded: false, files: files.length, bytes, url };
      for (const f of files) await this.container.getBlockBlobClient(`${prefix}/${f.rel}`).uploadFile(f.abs);
      const manifest = JSON.stringify({ files: files.map((f) => ({ path: f.rel, size: f.size })) });
      await marker.upload(manifest, Buffer.byteLength(manifest), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
        metadata: { tfamlfiles: String(files.length), tfamlbytes: String(bytes) },
      });
    } catch (err) {
      throw describeAzureError(err, `uploading ${folder} to ${url}`, this.scope);
    }
    return { uploaded: true, files: files.length, bytes, url };
  }
}

/**
 * Downloads every blob under `prefix/` into `dest` (which must exist), keeping the relative paths. The completion
 * record is beside the prefix, so it is not among them; a `.tfaml-complete` at the top of the prefix is the marker of
 * an upload by an earlier tfaml and is left out too, as it was then. A blob name that would land outside `dest`
 * (`..`, an absolute path) is refused. Returns how many files and bytes were written.
 */
export async function downloadPrefix(
  container: ContainerClient,
  prefix: string,
  dest: string,
  scope: Scope,
): Promise<{ files: number; bytes: number }> {
  const base = prefix.replace(/^\/+|\/+$/g, '');
  const from = base ? `${base}/` : '';
  const root = path.resolve(dest);
  let files = 0;
  let bytes = 0;
  try {
    for await (const b of container.listBlobsFlat({ prefix: from })) {
      const rel = b.name.slice(from.length);
      if (!rel || rel.endsWith('/') || rel === COMPLETE_MARKER) continue;
      const target = path.resolve(root, ...rel.split('/'));
      if (!target.startsWith(root + path.sep))
        throw new Error(`the blob ${b.name} names a path outside the model folder`);
      mkdirSync(path.dirname(target), { recursive: true });
      await container.getBlobClient(b.name).downloadToFile(target);
      files++;
      bytes += b.properties.contentLength ?? 0;
    }
  } catch (err) {
    throw describeAzureError(err, `downloading ${container.url}/${from} to ${dest}`, scope);
  }
  return { files, bytes };
}

/** An uploader into the datastore: its account key from listSecrets when it has one, else the caller's identity. */
export function datastoreContainer(
  ds: DatastoreInfo,
  key: string | undefined,
  credential: TokenCredential,
  retry: { retryDelayInMs?: number } = {},
): ContainerClient {
  const url = `${ds.blobUrl}/${ds.containerName}`;
  const options = { retryOptions: { maxTries: 5, retryDelayInMs: Math.max(1, retry.retryDelayInMs ?? 800) } };
  return key
    ? new ContainerClient(url, new StorageSharedKeyCredential(ds.accountName, key), options)
    : new ContainerClient(url, credential, options);
}

/** An uploader from a SAS URL (an Azure ML registry's startPendingUpload answer). */
export function sasContainer(sasUri: string, retry: { retryDelayInMs?: number } = {}): ContainerClient {
  return new ContainerClient(sasUri, new AnonymousCredential(), {
    retryOptions: { maxTries: 5, retryDelayInMs: Math.max(1, retry.retryDelayInMs ?? 800) },
  });
}
