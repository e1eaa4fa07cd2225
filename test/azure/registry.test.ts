import { installRunner } from '../../src/core/runner.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openModelRegistry } from '../../src/adapters/azure/index.js';
import { AzureMlRegistry, WorkspaceModelRegistry } from '../../src/adapters/azure/registry.js';
import { RegistryConflictError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/project.js';
import { type Azurite } from '../fakes/arm/azurite.js';
import { FakeArm } from '../fakes/arm/server.js';
import { fakeEnv, startArmWithStorage, workspaceFor } from './helpers.js';

let fake: FakeArm;
let azurite: Azurite;
let arm: Awaited<ReturnType<typeof startArmWithStorage>>;
beforeAll(async () => {
  arm = await startArmWithStorage();
  ({ fake, azurite } = arm);
});
afterAll(() => arm.close());
beforeEach(() => {
  arm.reset();
});

function modelFolder(content: string): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'm'));
  writeFileSync(path.join(dir, 'm', 'model.json'), content);
  writeFileSync(path.join(dir, 'm', 'weights.bin'), Buffer.from(content.repeat(10)));
  return path.join(dir, 'm');
}

const env = () => fakeEnv(fake, { TFAML_BLOB_URL: azurite.blobUrl });
const noSleep = { sleep: async () => {} };

describe('workspace model registry (uploads to the datastore in Azurite)', () => {
  it('behaves like the local registry: numbered, idempotent, immutable', async () => {
    const reg = (await openModelRegistry(
      {
        workspace: { subscriptionId: fake.subscriptionId, resourceGroup: fake.resourceGroup, name: fake.workspaceName },
      },
      { auth: 'client-secret', env: env(), retry: { retryDelayInMs: 10 } },
    )) as WorkspaceModelRegistry;
    const a = await reg.create({
      name: 'flowers',
      files: modelFolder('{"a":1}'),
      metrics: { accuracy: 0.91 },
      tags: { 'tfaml.git-sha': 'abc' },
    });
    expect(a).toMatchObject({
      name: 'flowers',
      version: '1',
      metrics: { accuracy: 0.91 },
      tags: { 'tfaml.git-sha': 'abc' },
    });
    expect(a.contentHash).toMatch(/^sha256:/);
    expect(a.location).toMatch(
      /^azureml:\/\/subscriptions\/.*\/datastores\/workspaceblobstore\/paths\/LocalUpload\/tfaml\/models\/[0-9a-f]{32}\/$/,
    );
    // same content again: the same version, nothing new
    const again = await reg.create({
      name: 'flowers',
      files: modelFolder('{"a":1}'),
      metrics: { accuracy: 0.91 },
      tags: {},
    });
    expect(again.version).toBe('1');
    const b = await reg.create({
      name: 'flowers',
      files: modelFolder('{"b":2}'),
      metrics: { accuracy: 0.95 },
      tags: {},
    });
    expect(b.version).toBe('2');
    expect((await reg.list('flowers')).map((v) => v.version)).toEqual(['1', '2']);
    expect(await reg.get('flowers', '9')).toBeUndefined();
    const p = reg.create({ name: 'flowers', version: '1', files: modelFolder('{"c":3}'), metrics: {}, tags: {} });
    await expect(p).rejects.toThrow(RegistryConflictError);
    await expect(p).rejects.toThrow(/already has flowers version 1 with different content/);
    expect(fake.versions('models', 'flowers').size).toBe(2);
  });

  it('a 409 from a racing writer is the immutability conflict it is', async () => {
    const reg = new WorkspaceModelRegistry(workspaceFor(fake, { env: env() }));
    // Another writer registers version 5 between our list and our PUT.
    fake.faults.push({
      method: 'PUT',
      path: /\/models\/roses\/versions\/5$/,
      kind: 'status',
      status: 409,
      body: {
        error: {
          code: 'UserError',
          message: 'Model roses with version 5 is already registered and cannot be changed.',
        },
      },
    });
    const run = reg.create({ name: 'roses', version: '5', files: modelFolder('mine'), metrics: {}, tags: {} });
    await expect(run).rejects.toThrow(
      /already has model roses:5 with different content \(Model roses with version 5 is already registered and cannot be changed.\)/,
    );
  });
});

describe('Azure ML registry (api-version 2025-12-01 through sendRequest, long-running PUT)', () => {
  function registry() {
    return new AzureMlRegistry(workspaceFor(fake, { env: env() }), fake.registryName, fake.resourceGroup, noSleep);
  }

  it('uploads through startPendingUpload, polls the operation, reads the result from the PUT URL', async () => {
    fake.lro.polls = 2;
    const reg = registry();
    const v = await reg.create({
      name: 'flowers',
      files: modelFolder('{"prod":1}'),
      metrics: { accuracy: 0.93 },
      tags: { 'tfaml.promoted-from': 'workspace:flowers:3' },
    });
    expect(v).toMatchObject({
      version: '1',
      metrics: { accuracy: 0.93 },
      tags: { 'tfaml.promoted-from': 'workspace:flowers:3' },
    });
    expect(v.location).toMatch(new RegExp(`^${azurite.blobUrl}/registry-uploads/flowers/1/`));
    const registryCalls = fake.requests.filter((r) => r.path.includes('/registries/'));
    expect(registryCalls.every((r) => r.query.get('api-version') === '2025-12-01')).toBe(true);
    expect(fake.requests.filter((r) => r.path.startsWith('/operations/')).map((r) => r.status)).toEqual([
      200, 200, 200,
    ]);
    expect((await reg.list('flowers')).map((x) => x.version)).toEqual(['1']);
    // same content: no second version
    expect(
      (await reg.create({ name: 'flowers', files: modelFolder('{"prod":1}'), metrics: {}, tags: {} })).version,
    ).toBe('1');
    expect(fake.registryModels.get('flowers')!.size).toBe(1);
  });

  it("masks the upload SAS the moment the registry hands it out (through the runner's mask)", async () => {
    const masked: string[] = [];
    installRunner({ mask: (secret) => void masked.push(secret) });
    try {
      await registry().create({ name: 'masked', files: modelFolder('{"m":1}'), metrics: {}, tags: {} });
    } finally {
      installRunner({ mask: () => {} });
    }
    expect(masked.some((w) => w.includes('/registry-uploads?'))).toBe(true);
    expect(masked.some((w) => w.includes('sig=') && !w.startsWith('http'))).toBe(true);
  });

  it('a failed long-running operation leaves nothing half created', async () => {
    fake.lro.fail = 'Storage account is not reachable from the registry region.';
    const reg = registry();
    await expect(reg.create({ name: 'tulips', files: modelFolder('x'), metrics: {}, tags: {} })).rejects.toThrow(
      /the operation ended Failed: Storage account is not reachable/,
    );
    expect(await reg.list('tulips')).toEqual([]);
  });

  it('a wrong registry name says which', async () => {
    const reg = new AzureMlRegistry(workspaceFor(fake, { env: env() }), 'mlr-typo', fake.resourceGroup, noSleep);
    await expect(reg.list('flowers')).rejects.toThrow(/registry mlr-typo was not found in resource group rg-ml-dev/);
  });
});
