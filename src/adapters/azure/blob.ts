/**
 * Files to Azure the way the Azure ML CLI sends them: into the workspace's default datastore (a blob container),
 * under a content-addressed prefix, with a marker blob written last. A prefix whose marker exists holds exactly
 * those files already, so an unchanged upload is skipped; an upload cut short has no marker and is redone.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { AnonymousCredential, ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { BlobUploader, DatastoreInfo } from '../../ports.js';
import { describeAzureError, type Scope } from './errors.js';

export const COMPLETE_MARKER = '.tfaml-complete';

function walk(dir: string, rel = ''): { abs: string; rel: string; size: number }[] {
  const out: { abs: string; rel: string; size: number }[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else if (e.isFile()) out.push({ abs: path.join(dir, r), rel: r, size: statSync(path.join(dir, r)).size });
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

export class ContainerUploader implements BlobUploader {
  constructor(
    readonly container: ContainerClient,
    private readonly scope: Scope,
  ) {}

  async uploadFolder(folder: string, prefix: string): Promise<{ uploaded: boolean; files: number; bytes: number; url: string }> {
    const url = `${this.container.url}/${prefix}`;
    const files = walk(folder);
    const bytes = files.reduce((n, f) => n + f.size, 0);
    try {
      const marker = this.container.getBlockBlobClient(`${prefix}/${COMPLETE_MARKER}`);
      if (await marker.exists()) return { uploaded: false, files: files.length, bytes, url };
      for (const f of files) await this.container.getBlockBlobClient(`${prefix}/${f.rel}`).uploadFile(f.abs);
      const manifest = JSON.stringify({ files: files.map((f) => ({ path: f.rel, size: f.size })) });
      await marker.upload(manifest, Buffer.byteLength(manifest));
    } catch (err) {
      throw describeAzureError(err, `uploading ${folder} to ${url}`, this.scope);
    }
    return { uploaded: true, files: files.length, bytes, url };
  }
}

/** An uploader into the datastore: its account key from listSecrets when it has one, else the caller's identity. */
export function datastoreContainer(ds: DatastoreInfo, key: string | undefined, credential: TokenCredential, retry: { retryDelayInMs?: number } = {}): ContainerClient {
  const url = `${ds.blobUrl}/${ds.containerName}`;
  const options = { retryOptions: { maxTries: 5, retryDelayInMs: Math.max(1, retry.retryDelayInMs ?? 800) } };
  return key ? new ContainerClient(url, new StorageSharedKeyCredential(ds.accountName, key), options) : new ContainerClient(url, credential, options);
}

/** An uploader from a SAS URL (an Azure ML registry's startPendingUpload answer). */
export function sasContainer(sasUri: string, retry: { retryDelayInMs?: number } = {}): ContainerClient {
  return new ContainerClient(sasUri, new AnonymousCredential(), { retryOptions: { maxTries: 5, retryDelayInMs: Math.max(1, retry.retryDelayInMs ?? 800) } });
}
