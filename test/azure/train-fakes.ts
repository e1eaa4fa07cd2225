/**
 * The Azure train tests' fakes (test/azure/train-azure.test.ts, token-expiry.test.ts, test/faults/azure-train.test.ts),
 * apart from helpers.ts because the benchmarks under bench/ bundle that one and this one needs the example's folder.
 */
import { type Azurite } from '../fakes/arm/azurite.js';
import { type FakeArm, type FakeArmOptions } from '../fakes/arm/server.js';
import { copyExample, patch } from '../helpers/project.js';
import { startArmWithStorage } from './helpers.js';

/**
 * The fake ARM and Azurite as the train tests need them (startArmWithStorage: the default datastore in Azurite), and
 * between tests a workspace with nothing registered, no jobs, faults or recorded requests, and the example's
 * gpu-cluster (ephemeral).
 */
export async function startTrainFakes(options: FakeArmOptions = {}): Promise<{
  fake: FakeArm;
  azurite: Azurite;
  close: () => Promise<void>;
  reset: () => void;
}> {
  const arm = await startArmWithStorage(options);
  const { fake } = arm;
  return {
    ...arm,
    reset: () => {
      for (const m of Object.values(fake.assets)) m.clear();
      fake.jobs.clear();
      fake.computes.clear();
      fake.faults.length = 0;
      fake.quotas.length = 0;
      fake.requests.length = 0;
      fake.addCompute('gpu-cluster', { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT10M' });
    },
  };
}

/** The example project (a copy, unless `dir` is given) pointed at the fake's workspace, with train.target azure. */
export function exampleOnFake(fake: FakeArm, dir = copyExample()): string {
  patch(
    dir,
    'tfaml.yml',
    'owners: ["@acme/ml-platform"]\n',
    `owners: ["@acme/ml-platform"]\nworkspace:\n  subscription-id: ${fake.subscriptionId}\n  resource-group: ${fake.resourceGroup}\n  name: ${fake.workspaceName}\n`,
  );
  patch(dir, 'tfaml.yml', 'target: local', 'target: azure');
  return dir;
}
