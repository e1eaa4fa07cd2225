/** Shared set-up for the Azure adapter tests: the fake ARM and an environment pointing the real SDK at it. */
import { openWorkspace, type OpenOptions } from '../../src/adapters/azure/index.js';
import type { AzureWorkspace } from '../../src/adapters/azure/workspace.js';
import type { FakeArm } from '../fakes/arm/server.js';

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

export function workspaceFor(fake: FakeArm, opts: OpenOptions & { name?: string; resourceGroup?: string; subscriptionId?: string } = {}): AzureWorkspace {
  return openWorkspace(
    { subscriptionId: opts.subscriptionId ?? fake.subscriptionId, resourceGroup: opts.resourceGroup ?? fake.resourceGroup, name: opts.name ?? fake.workspaceName },
    { auth: 'client-secret', env: fakeEnv(fake), retry: { retryDelayInMs: 20 }, ...opts },
  );
}
