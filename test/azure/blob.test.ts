/**
 * The completion record of an upload (src/adapters/azure/blob.ts) lives beside the uploaded prefix, never inside it:
 * what a code version, a build context or a model points at holds the project's files only. Against Azurite.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerUploader, datastoreContainer, downloadPrefix } from '../../src/adapters/azure/blob.js';
import { tempDir } from '../helpers/project.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../fakes/arm/azurite.js';

const scope = { subscriptionId: 's', resourceGroup: 'rg', workspace: 'ws' };
let azurite: Azurite;
let container: ContainerClient;
beforeAll(async () => {
  azurite = await startAzurite();
  container = datastoreContainer(
    {
      name: 'workspaceblobstore',
      accountName: AZURITE_ACCOUNT,
      containerName: 'blobs',
      blobUrl: azurite.blobUrl,
      id: '',
    },
    AZURITE_KEY,
    { getToken: async () => null },
    { retryDelayInMs: 10 },
  );
  await container.createIfNotExists();
});
afterAll(() => azurite.stop());

function folder(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function names(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const b of container.listBlobsFlat({ prefix })) out.push(b.name);
  return out.sort();
}

describe('uploads record their completion beside the prefix', () => {
  it('the prefix holds only the files; <prefix>.tfaml-complete holds the manifest; an unchanged upload is skipped', async () => {
    const src = folder({ 'train.py': 'print(1)\n', 'lib/util.py': 'X = 1\n' });
    const up = new ContainerUploader(container, scope);
    const first = await up.uploadFolder(src, 'LocalUpload/tfaml/code/aaaa');
    expect(first).toMatchObject({ uploaded: true, files: 2 });
    expect(await names('LocalUpload/tfaml/code/aaaa/')).toEqual([
      'LocalUpload/tfaml/code/aaaa/lib/util.py',
      'LocalUpload/tfaml/code/aaaa/train.py',
    ]);
    const marker = container.getBlobClient('LocalUpload/tfaml/code/aaaa.tfaml-complete');
    const props = await marker.getProperties();
    expect(props.metadata).toEqual({ tfamlfiles: '2', tfamlbytes: '15' });
    expect(JSON.parse((await marker.downloadToBuffer()).toString('utf8'))).toEqual({
      files: [
        { path: 'lib/util.py', size: 6 },
        { path: 'train.py', size: 9 },
      ],
    });
    expect((await up.uploadFolder(src, 'LocalUpload/tfaml/code/aaaa')).uploaded).toBe(false);
  });

  it('an upload cut short (files, no record) is done again', async () => {
    const src = folder({ 'a.txt': 'a\n' });
    await container.getBlockBlobClient('LocalUpload/tfaml/code/bbbb/a.txt').upload('partial', 7);
    const r = await new ContainerUploader(container, scope).uploadFolder(src, 'LocalUpload/tfaml/code/bbbb');
    expect(r.uploaded).toBe(true);
    expect((await container.getBlobClient('LocalUpload/tfaml/code/bbbb/a.txt').downloadToBuffer()).toString()).toBe(
      'a\n',
    );
  });

  it('downloadPrefix writes the files only, and leaves out the in-prefix marker of an earlier tfaml', async () => {
    const src = folder({ 'saved_model.pb': 'pb', 'variables/v.index': 'idx' });
    await new ContainerUploader(container, scope).uploadFolder(src, 'LocalUpload/tfaml/models/cccc');
    await container.getBlockBlobClient('LocalUpload/tfaml/models/cccc/.tfaml-complete').upload('{}', 2);
    const dest = tempDir();
    const got = await downloadPrefix(container, 'LocalUpload/tfaml/models/cccc', dest, scope);
    expect(got).toEqual({ files: 2, bytes: 5 });
    expect(readdirSync(dest, { recursive: true }).map(String).sort()).toEqual([
      'saved_model.pb',
      'variables',
      path.join('variables', 'v.index'),
    ]);
    expect(readFileSync(path.join(dest, 'variables/v.index'), 'utf8')).toBe('idx');
  });
});
