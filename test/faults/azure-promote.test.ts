/**
 * Issue 11's fault matrix for promote's writes to an Azure ML registry: each request a publish makes (list the
 * versions, start the pending upload, create the version — a long-running PUT —, poll its operation, read and append
 * the champion log) meets each fault the fake injects once. The end state is asserted in the fake: exactly one
 * production version, exactly one champion-log entry, and it names that version. A fault that does not lift is exit 3
 * (ServiceUnavailableError) and leaves the champion where it was; the same promotion again completes it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AzureProductionStore, championLogName } from '../../src/adapters/azure/production.js';
import { AzureMlRegistry } from '../../src/adapters/azure/registry.js';
import { ServiceUnavailableError } from '../../src/core/errors.js';
import type { PublishRequest } from '../../src/core/ports.js';
import { PROMOTE_TAGS } from '../../src/core/tags.js';
import { describeFailure } from '../../src/entries/main.js';
import { Production } from '../../src/promote/protocol.js';
import { tempDir } from '../helpers/project.js';
import { TRANSIENT_FAULTS, type Fault, type FakeArm } from '../fakes/arm/server.js';
import { type Azurite } from '../fakes/arm/azurite.js';
import { fakeEnv, startArmWithStorage, workspaceFor } from '../azure/helpers.js';

let fake: FakeArm;
let azurite: Azurite;
let arm: Awaited<ReturnType<typeof startArmWithStorage>>;
beforeAll(async () => {
  arm = await startArmWithStorage();
  ({ fake, azurite } = arm);
});
afterAll(() => arm.close());
beforeEach(() => arm.reset());

const files = (() => {
  let dir: string | undefined;
  return () => {
    if (dir) return dir;
    dir = tempDir('tfaml-model-');
    writeFileSync(path.join(dir, 'model.json'), '{"format":"layers-model"}');
    writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(4096, 7));
    return dir;
  };
})();

function request(): PublishRequest {
  return {
    model: {
      name: 'flowers',
      files: files(),
      metrics: { accuracy: 0.91 },
      tags: { [PROMOTE_TAGS.source]: 'experiment:flowers:3', [PROMOTE_TAGS.promotedBy]: 'alice' },
    },
    version: (existing) => `1.0.${existing.length}`,
    candidate: 'experiment:flowers:3',
    expectedChampion: undefined,
    actor: { by: 'alice', reason: 'merge of #12', run: 'https://github.com/acme/flowers/actions/runs/9' },
    owners: ['@acme/ml-platform'],
  };
}

function production(): Production {
  const ws = workspaceFor(fake, {
    env: fakeEnv(fake, { TFAML_BLOB_URL: azurite.blobUrl }),
    retry: { retryDelayInMs: 5 },
  });
  const models = new AzureMlRegistry(ws, fake.registryName, fake.resourceGroup, { sleep: async () => {} });
  return new Production(new AzureProductionStore(models), {
    clock: { now: () => Date.parse('2026-11-30T12:00:00Z') },
    pollMs: 10,
    winnerWaitMs: 5000,
  });
}

const registry = '/registries/[^/]+';
const OPERATIONS: Record<string, Pick<Fault, 'method' | 'path'>> = {
  'list the versions': { method: 'GET', path: new RegExp(`${registry}/models/flowers/versions$`) },
  'start the pending upload': {
    method: 'POST',
    path: new RegExp(`${registry}/models/flowers/versions/1\\.0\\.0/startPendingUpload$`),
  },
  'create the version': { method: 'PUT', path: new RegExp(`${registry}/models/flowers/versions/1\\.0\\.0$`) },
  'poll its operation': { method: 'GET', path: /^\/operations\// },
  'read the champion log': { method: 'GET', path: new RegExp(`${registry}/models/flowers--tfaml-champion/versions$`) },
  'append to the champion log': {
    method: 'PUT',
    path: new RegExp(`${registry}/models/flowers--tfaml-champion/versions/1$`),
  },
};

const versions = (name: string) => [...(fake.registryModels.get(name)?.keys() ?? [])].sort();

async function expectPromotedOnce(): Promise<void> {
  expect(versions('flowers')).toEqual(['1.0.0']);
  expect(versions(championLogName('flowers'))).toEqual(['1']);
  expect((await production().champion('flowers'))?.version).toBe('1.0.0');
}

describe('promote to an Azure ML registry: each request × each fault, once', () => {
  const cases = Object.entries(OPERATIONS).flatMap(([op, where]) =>
    Object.entries(TRANSIENT_FAULTS)
      .filter(([f]) => !(where.method === 'GET' && f === 'processed, then the connection drops'))
      .map(([f, fault]) => [op, f, { ...where, ...fault, times: 1 }] as const),
  );

  it.each(cases)('%s meets %s: one version, one champion entry', async (_op, _f, fault) => {
    fake.faults.push({ ...fault });
    const r = await production().publish(request());
    expect(fake.faults).toEqual([]); // the fault was met
    expect(r).toMatchObject({ championChanged: true, version: { version: '1.0.0' } });
    await expectPromotedOnce();
  });
});

describe('a fault that does not lift', () => {
  it.each([
    ['create the version', OPERATIONS['create the version']!],
    ['append to the champion log', OPERATIONS['append to the champion log']!],
  ])(
    '%s answering 503 every time: exit 3, the champion unchanged; the same promotion again completes',
    async (_op, where) => {
      fake.faults.push({ ...where, kind: 'status', status: 503, times: 1000 });
      const err = await production()
        .publish(request())
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      const failure = describeFailure(err);
      expect(failure.exitCode).toBe(3);
      expect(failure.message).toMatch(/Azure answered 503 ServiceUnavailable .*kept doing so after retries/);
      expect(failure.message).toMatch(/safe to run again as is/);
      expect(await production().champion('flowers')).toBeUndefined();
      expect(versions(championLogName('flowers'))).toEqual([]);

      fake.faults.length = 0;
      await production().publish(request());
      await expectPromotedOnce();
    },
  );
});
