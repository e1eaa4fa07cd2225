/** Shared set-up for the Azure adapter tests: the fake ARM and an environment pointing the real SDK at it. */
import { openWorkspace, type OpenOptions } from '../../src/adapters/azure/index.js';
import type { AzureWorkspace } from '../../src/adapters/azure/workspace.js';
import { randomUUID } from 'node:crypto';
import { datastoreContainer } from '../../src/adapters/azure/blob.js';
import { accountSas, startAzurite, type Azurite } from '../fakes/arm/azurite.js';
import { FakeArm, type FakeArmOptions } from '../fakes/arm/server.js';

/** The environment a user would set for a sovereign cloud, here pointing at the fake. */
export function fakeEnv(fake: FakeArm, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    AZURE_TENANT_ID: 'tenant-1',
    AZURE_CLIENT_ID: 'tfaml-client',
    AZURE_CLIENT_SECRET: 'tfaml-secret',
    AZURE_AUTHORITY_HOST: fake.url,
    TFAML_ARM_ENDPOINT: fake.url,
    ...extra,
  };
}

export function workspaceFor(
  fake: FakeArm,
  opts: OpenOptions & { name?: string; resourceGroup?: string; subscriptionId?: string } = {},
): AzureWorkspace {
  return openWorkspace(
    {
      subscriptionId: opts.subscriptionId ?? fake.subscriptionId,
      resourceGroup: opts.resourceGroup ?? fake.resourceGroup,
      name: opts.name ?? fake.workspaceName,
    },
    { auth: 'client-secret', env: fakeEnv(fake), retry: { retryDelayInMs: 20 }, ...opts },
  );
}

/**
 * The fake ARM with Azurite behind it, as the registry tests need them: registry uploads go to an Azurite
 * container through a SAS (what startPendingUpload hands out), and the workspace's default datastore is in Azurite.
 */
export async function startArmWithStorage(options: FakeArmOptions = {}): Promise<{
  fake: FakeArm;
  azurite: Azurite;
  close: () => Promise<void>;
  reset: () => void;
}> {
  const azurite = await startAzurite();
  const fake = await new FakeArm({
    ...options,
    pendingUpload: (name, version) => {
      const container = `${azurite.blobUrl}/registry-uploads`;
      return {
        blobUri: `${container}/${name}/${version}/${randomUUID()}`,
        sasUri: `${container}?${accountSas(new Date(Date.now() + 3600_000))}`,
      };
    },
  }).start();
  const ws = workspaceFor(fake);
  const ds = { ...(await ws.defaultDatastore()), blobUrl: azurite.blobUrl };
  await datastoreContainer(ds, fake.datastoreKey, ws.credential!).createIfNotExists();
  await datastoreContainer(
    { ...ds, containerName: 'registry-uploads' },
    fake.datastoreKey,
    ws.credential!,
  ).createIfNotExists();
  return {
    fake,
    azurite,
    close: async () => void (await Promise.all([fake.close(), azurite.stop()])),
    /** Between tests: no models, no faults, no recorded requests, one poll per long-running operation. */
    reset: () => {
      fake.assets.models!.clear();
      fake.registryModels.clear();
      fake.registryInFlight.clear();
      fake.faults.length = 0;
      fake.requests.length = 0;
      fake.lro = { polls: 1, fail: undefined };
    },
  };
}
