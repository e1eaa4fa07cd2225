import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AzureProductionStore, championLogName } from '../../src/adapters/azure/production.js';
import { AzureMlRegistry, WorkspaceModelRegistry } from '../../src/adapters/azure/registry.js';
import { localRegistries } from '../../src/adapters/local/registry.js';
import type { RunContext } from '../../src/adapters/local/whoami.js';
import { promote } from '../../src/commands/promote.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { LostRaceError } from '../../src/core/errors.js';
import { OWNER_TAG, PROMOTE_TAGS } from '../../src/core/tags.js';
import type { PromoteReport } from '../../src/gate/report.js';
import { type ModelRegistry, type PublishRequest } from '../../src/core/ports.js';
import { Production } from '../../src/promote/protocol.js';
import { productionStoreContract } from '../promote/store-contract.js';
import { capture, copyExample, inputs, patch, tempDir } from '../helpers/project.js';
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

const clock = { now: () => Date.parse('2026-11-29T12:00:00Z') };
const env = () => fakeEnv(fake, { TFAML_BLOB_URL: azurite.blobUrl });
const fast = { clock, pollMs: 20, winnerWaitMs: 5000 };

function modelFolder(content: string): string {
  const dir = tempDir('tfaml-model-');
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ content }));
  writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(content.repeat(50)));
  return dir;
}

let n = 0;
function request(
  content: string,
  expectedChampion: string | undefined,
  by = 'alice',
  bump = (count: number) => `1.0.${count}`,
): PublishRequest {
  const candidate = `experiment:flowers:${++n}`;
  return {
    model: {
      name: 'flowers',
      files: modelFolder(content),
      metrics: { accuracy: 0.9 },
      tags: { [PROMOTE_TAGS.source]: candidate, [PROMOTE_TAGS.promotedBy]: by },
    },
    version: (existing) => bump(existing.length),
    candidate,
    expectedChampion,
    actor: { by, reason: `promote ${content}`, run: 'https://github.com/acme/flowers/actions/runs/1' },
    owners: ['@acme/ml-platform'],
  };
}

/** The registry's and the workspace's models, as a separate process would open them. */
const registryModels = () =>
  new AzureMlRegistry(workspaceFor(fake, { env: env() }), fake.registryName, fake.resourceGroup, {
    sleep: async () => {},
  });
const workspaceModels = () => new WorkspaceModelRegistry(workspaceFor(fake, { env: env() }));
/** The production registry promote opens on that store (src/commands/promote.ts). */
const production = (models: ModelRegistry) => new Production(new AzureProductionStore(models), fast);
const onRegistry = () => production(registryModels());
const onWorkspace = () => production(workspaceModels());
const registryVersions = (name = 'flowers') => [...(fake.registryModels.get(name)?.keys() ?? [])].sort();

describe('the Azure production store on an Azure ML registry', () => {
  productionStoreContract(() => ({
    store: new AzureProductionStore(registryModels()),
    other: () => new AzureProductionStore(registryModels()),
  }));
});

describe('the Azure production store on a production workspace', () => {
  productionStoreContract(() => ({
    store: new AzureProductionStore(workspaceModels()),
    other: () => new AzureProductionStore(workspaceModels()),
  }));
});

describe('the promotion protocol on an Azure ML registry', () => {
  it('publishes a version with its evidence, makes it champion, and records who and why in the champion log', async () => {
    const reg = onRegistry();
    expect(await reg.champion('flowers')).toBeUndefined();
    expect(await reg.history('flowers')).toEqual([]);
    const r = await reg.publish(request('a', undefined));
    expect(r).toMatchObject({
      outcome: 'created',
      championChanged: true,
      version: { version: '1.0.0', metrics: { accuracy: 0.9 } },
    });
    expect(r.version.tags[PROMOTE_TAGS.source]).toMatch(/^experiment:flowers:\d+$/);
    expect((await reg.champion('flowers'))?.version).toBe('1.0.0');
    expect(await reg.history('flowers')).toEqual([
      {
        action: 'promote',
        version: '1.0.0',
        candidate: expect.stringMatching(/^experiment:flowers:\d+$/),
        by: 'alice',
        reason: 'promote a',
        at: '2026-11-29T12:00:00.000Z',
        run: 'https://github.com/acme/flowers/actions/runs/1',
      },
    ]);
    expect(registryVersions()).toEqual(['1.0.0']);
    expect(registryVersions(championLogName('flowers'))).toEqual(['1']);
    expect(
      fake.requests
        .filter((q) => q.path.includes('/registries/'))
        .every((q) => q.query.get('api-version') === '2025-12-01'),
    ).toBe(true);
  });

  it('is idempotent: the same content again reuses the version, no second copy, no new entry', async () => {
    const reg = onRegistry();
    await reg.publish(request('a', undefined));
    const again = await reg.publish(request('a', '1.0.0'));
    expect(again).toMatchObject({ outcome: 'reused', championChanged: false, version: { version: '1.0.0' } });
    expect(registryVersions()).toEqual(['1.0.0']);
    expect(await reg.history('flowers')).toHaveLength(1);
    const next = await reg.publish(request('b', '1.0.0', 'bob'));
    expect(next).toMatchObject({ outcome: 'created', championChanged: true, version: { version: '1.0.1' } });
    expect((await reg.history('flowers')).at(-1)).toMatchObject({
      action: 'promote',
      version: '1.0.1',
      previous: '1.0.0',
      by: 'bob',
    });
  });

  it('two promotions racing end with exactly one new version; the loser says it lost and to whom', async () => {
    const a = onRegistry();
    const b = onRegistry();
    const results = await Promise.allSettled([
      a.publish(request('x', undefined, 'alice')),
      b.publish(request('y', undefined, 'bob')),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const history = await a.history('flowers');
    expect(history).toHaveLength(1);
    const winner = history[0]!.by;
    expect(lost[0]!.reason).toBeInstanceOf(LostRaceError);
    expect((lost[0]!.reason as Error).message).toMatch(
      new RegExp(
        `^lost the race to ${winner} promoted production 1\\.0\\.0 \\(from experiment:flowers:\\d+\\) at 2026-11-29T12:00:00\\.000Z: the champion changed from none to 1\\.0\\.0 while experiment:flowers:\\d+ was being evaluated; nothing was written`,
      ),
    );
    expect((lost[0]!.reason as LostRaceError).winner).toMatchObject({ by: winner, version: '1.0.0' });
    expect(registryVersions()).toEqual(['1.0.0']);
    expect(registryVersions(championLogName('flowers'))).toEqual(['1']);
  });

  it('a publish evaluated against an old champion loses without writing', async () => {
    const reg = onRegistry();
    await reg.publish(request('a', undefined, 'alice'));
    await expect(reg.publish(request('b', undefined, 'bob'))).rejects.toThrow(
      /^lost the race to alice promoted production 1\.0\.0 .*: the champion changed from none to 1\.0\.0/,
    );
    expect(registryVersions()).toEqual(['1.0.0']);
  });

  it('rollback moves the champion back, recorded with who and why; an unknown version is refused', async () => {
    const reg = onRegistry();
    await reg.publish(request('a', undefined));
    await reg.publish(request('b', '1.0.0'));
    expect((await reg.champion('flowers'))?.version).toBe('1.0.1');
    const e = await reg.rollback('flowers', '1.0.0', {
      by: 'dave',
      reason: 'latency regression in prod',
      run: 'local',
    });
    expect(e).toEqual({
      action: 'rollback',
      version: '1.0.0',
      previous: '1.0.1',
      by: 'dave',
      reason: 'latency regression in prod',
      at: '2026-11-29T12:00:00.000Z',
      run: 'local',
    });
    expect((await reg.champion('flowers'))?.version).toBe('1.0.0');
    expect((await reg.history('flowers')).map((h) => `${h.action} ${h.version}`)).toEqual([
      'promote 1.0.0',
      'promote 1.0.1',
      'rollback 1.0.0',
    ]);
    const bad = reg.rollback('flowers', '9.9.9', { by: 'dave', reason: 'x' });
    await expect(bad).rejects.toThrow(ConfigurationError);
    await expect(bad).rejects.toThrow(/has no flowers version 9\.9\.9; it has 1\.0\.0, 1\.0\.1/);
    // Promoting the content of 1.0.1 again reuses it: champion again, no second copy.
    const again = await reg.publish(request('b', '1.0.0'));
    expect(again).toMatchObject({ outcome: 'reused', championChanged: true, version: { version: '1.0.1' } });
    expect(registryVersions()).toEqual(['1.0.0', '1.0.1']);
  });

  it('throttling and 5xx are retried; a commit that keeps failing leaves a consistent state a re-run completes', async () => {
    const reg = onRegistry();
    fake.faults.push({
      method: 'GET',
      path: /\/registries\/.*\/models\/flowers--tfaml-champion\/versions$/,
      kind: 'status',
      status: 429,
      retryAfter: 0,
    });
    fake.faults.push({
      method: 'PUT',
      path: /\/models\/flowers--tfaml-champion\/versions\/1$/,
      kind: 'status',
      status: 500,
    });
    expect(await reg.publish(request('a', undefined))).toMatchObject({
      outcome: 'created',
      championChanged: true,
      version: { version: '1.0.0' },
    });
    expect(fake.requests.filter((q) => q.status === 429 || q.status === 500)).toHaveLength(2);
    expect(registryVersions(championLogName('flowers'))).toEqual(['1']);

    // The commit of the next promotion fails through every retry: its version is staged, the champion is unchanged.
    fake.faults.push({
      method: 'PUT',
      path: /\/models\/flowers--tfaml-champion\/versions\/2$/,
      kind: 'status',
      status: 503,
      times: 20,
    });
    const req = request('b', '1.0.0');
    await expect(reg.publish(req)).rejects.toThrow(/503/);
    expect(registryVersions()).toEqual(['1.0.0', '1.0.1']);
    expect((await reg.champion('flowers'))?.version).toBe('1.0.0');
    expect(await reg.history('flowers')).toHaveLength(1);

    // The fault is gone: the same candidate again commits the staged version, without a second copy.
    fake.faults.length = 0;
    expect(await reg.publish({ ...req, model: { ...req.model, files: modelFolder('b') } })).toMatchObject({
      outcome: 'reused',
      championChanged: true,
      version: { version: '1.0.1' },
    });
    expect(registryVersions()).toEqual(['1.0.0', '1.0.1']);
    expect((await reg.champion('flowers'))?.version).toBe('1.0.1');
  });
});

describe('the promotion protocol on a production workspace', () => {
  it('publishes, is idempotent, and a race has one winner', async () => {
    const reg = onWorkspace();
    expect(await reg.publish(request('a', undefined))).toMatchObject({
      outcome: 'created',
      version: { version: '1.0.0' },
    });
    expect(await reg.publish(request('a', '1.0.0'))).toMatchObject({ outcome: 'reused', championChanged: false });
    const results = await Promise.allSettled([
      onWorkspace().publish(request('x', '1.0.0', 'alice')),
      onWorkspace().publish(request('y', '1.0.0', 'bob')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(lost.reason).toBeInstanceOf(LostRaceError);
    expect((lost.reason as Error).message).toMatch(
      /^lost the race to (alice|bob) promoted production 1\.0\.1 .*the champion changed from 1\.0\.0 to 1\.0\.1/,
    );
    expect([...fake.versions('models', 'flowers').keys()].sort()).toEqual(['1.0.0', '1.0.1']);
    expect(await reg.history('flowers')).toHaveLength(2);
  });
});

describe('promote with registries.production on Azure', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes to the Azure ML registry named in tfaml.yml, through the workspace, and rolls back', async () => {
    for (const [k, v] of Object.entries(env())) vi.stubEnv(k, v!);
    const dir = copyExample();
    patch(dir, 'tfaml.yml', '    local: true', '    registry: mlr-prod');
    patch(
      dir,
      'tfaml.yml',
      'owners: ["@acme/ml-platform"]\n',
      `owners: ["@acme/ml-platform"]\nworkspace:\n  subscription-id: ${fake.subscriptionId}\n  resource-group: ${fake.resourceGroup}\n  name: ${fake.workspaceName}\n`,
    );
    const files = tempDir('tfaml-candidate-');
    mkdirSync(files, { recursive: true });
    writeFileSync(path.join(files, 'model.json'), '{"layers":[]}');
    const metrics = { accuracy: 0.91, latency_p95_ms: 42 };
    await localRegistries(dir, clock).experiment.create({ name: 'flowers-classifier', files, metrics, tags: {} });

    const ctx: RunContext = {
      branch: 'main',
      branchSource: 'GITHUB_REF',
      sha: 'promote0sha',
      by: 'alice',
      run: 'local',
    };
    const run = async (values: Record<string, string> = {}) => {
      const out = capture('action');
      const code = await promote(inputs({ config: path.join(dir, 'tfaml.yml'), ...values }), out, {
        clock,
        context: () => ctx,
      });
      return { code, out, report: JSON.parse(out.outputs['report-json']!) as PromoteReport };
    };
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.out.outputs).toMatchObject({ decision: 'promoted', 'production-version': '1.0.0' });
    expect(first.report.production).toBe('registry mlr-prod (resource group rg-ml-dev)');
    expect(registryVersions('flowers-classifier')).toEqual(['1.0.0']);
    const reg = onRegistry();
    const champion = (await reg.champion('flowers-classifier'))!;
    expect(champion.tags).toMatchObject({
      [PROMOTE_TAGS.source]: 'experiment:flowers-classifier:1',
      [PROMOTE_TAGS.champion]: 'none',
      [PROMOTE_TAGS.promotedBy]: 'alice',
      [OWNER_TAG]: '@acme/ml-platform',
    });
    const candidateHash = (await localRegistries(dir).experiment.get('flowers-classifier', '1'))!.contentHash;
    expect(champion.contentHash).toBe(candidateHash);

    // Again: the champion already holds this candidate.
    const second = await run();
    expect(second.report.decision).toBe('unchanged');
    expect(registryVersions('flowers-classifier')).toEqual(['1.0.0']);

    const back = await run({ rollback: '1.0.0', reason: 'drill' });
    expect(back.out.outputs).toMatchObject({ decision: 'rolled-back', 'production-version': '1.0.0' });
    expect((await reg.history('flowers-classifier')).map((h) => `${h.action} ${h.version} ${h.by}`)).toEqual([
      'promote 1.0.0 alice',
      'rollback 1.0.0 alice',
    ]);
  });
});
