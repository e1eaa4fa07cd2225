/**
 * promote with the workspace as the experiment registry (the default once tfaml.yml has a `workspace:`): the
 * candidate registered in the workspace (its files uploaded to the default datastore, here Azurite) is downloaded,
 * checked against its recorded content hash, and published to the local production registry or an Azure ML registry.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { datastoreContainer } from '../../src/adapters/azure/blob.js';
import { AzureProductionStore } from '../../src/adapters/azure/production.js';
import { AzureMlRegistry, datastorePath, WorkspaceModelRegistry } from '../../src/adapters/azure/registry.js';
import { localProductionStore } from '../../src/adapters/local/production.js';
import type { RunContext } from '../../src/adapters/local/whoami.js';
import { promote } from '../../src/commands/promote.js';
import { ConfigurationError } from '../../src/core/errors.js';
import type { PromoteReport } from '../../src/gate/report.js';
import { hashFolder } from '../../src/lock/hash.js';
import { type ModelVersion } from '../../src/core/ports.js';
import { Production } from '../../src/promote/protocol.js';
import { capture, copyExample, inputs, patch, tempDir } from '../helpers/project.js';
import { type Azurite } from '../fakes/arm/azurite.js';
import { FakeArm } from '../fakes/arm/server.js';
import { fakeEnv, startArmWithStorage, workspaceFor } from './helpers.js';
import { PROMOTE_TAGS } from '../../src/core/tags.js';

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
  for (const [k, v] of Object.entries(env())) vi.stubEnv(k, v!);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const clock = { now: () => Date.parse('2026-11-29T12:00:00Z') };
const env = () => fakeEnv(fake, { TFAML_BLOB_URL: azurite.blobUrl });
const ctx: RunContext = { branch: 'main', branchSource: 'GITHUB_REF', sha: 'promote0sha', by: 'alice', run: 'local' };
const MODEL = 'flowers-classifier';
/** The production registry promote opens for `registries.production: local` (src/commands/promote.ts). */
const localProductionRegistry = (dir: string) => new Production(localProductionStore(dir));

/** The example project with a workspace; experiment defaults to it. `production` replaces `local: true`. */
function project(production = '    local: true'): string {
  const dir = copyExample();
  patch(dir, 'tfaml.yml', 'registries:\n  experiment: local\n', 'registries:\n');
  if (production !== '    local: true') patch(dir, 'tfaml.yml', '    local: true', production);
  patch(
    dir,
    'tfaml.yml',
    'owners: ["@acme/ml-platform"]\n',
    `owners: ["@acme/ml-platform"]\nworkspace:\n  subscription-id: ${fake.subscriptionId}\n  resource-group: ${fake.resourceGroup}\n  name: ${fake.workspaceName}\n`,
  );
  return dir;
}

/** A candidate registered in the workspace the way train registers one: files uploaded to the datastore first. */
async function registerCandidate(content = 'a'): Promise<ModelVersion> {
  const files = tempDir('tfaml-candidate-src-');
  mkdirSync(path.join(files, 'variables'), { recursive: true });
  writeFileSync(path.join(files, 'model.json'), JSON.stringify({ layers: [], content }));
  writeFileSync(path.join(files, 'variables', 'weights.bin'), Buffer.from(content.repeat(100)));
  return new WorkspaceModelRegistry(workspaceFor(fake, { env: env() })).create({
    name: MODEL,
    files,
    metrics: { accuracy: 0.91, latency_p95_ms: 42 },
    tags: { 'tfaml.git-sha': 'train0sha' },
  });
}

async function run(dir: string) {
  const out = capture('action');
  const code = await promote(inputs({ config: path.join(dir, 'tfaml.yml') }), out, { clock, context: () => ctx });
  return { code, out, report: JSON.parse(out.outputs['report-json']!) as PromoteReport };
}

describe('promote from the workspace experiment registry', () => {
  it('downloads the candidate from the datastore and publishes it to the local production registry', async () => {
    const candidate = await registerCandidate();
    expect(candidate.location).toMatch(/^azureml:\/\/.*\/datastores\/workspaceblobstore\/paths\//);
    const dir = project();

    const first = await run(dir);
    expect(first.code).toBe(0);
    expect(first.out.outputs).toMatchObject({ decision: 'promoted', 'production-version': '1.0.0' });
    expect(first.report.candidate).toMatchObject({
      registry: `workspace ${fake.workspaceName} (resource group ${fake.resourceGroup})`,
      version: '1',
      contentHash: candidate.contentHash,
    });
    const prod = localProductionRegistry(dir);
    const champion = (await prod.champion(MODEL))!;
    expect(champion.version).toBe('1.0.0');
    expect(champion.contentHash).toBe(candidate.contentHash);
    expect(champion.tags).toMatchObject({
      'tfaml.git-sha': 'train0sha',
      [PROMOTE_TAGS.source]: `experiment:${MODEL}:1`,
      [PROMOTE_TAGS.promotedBy]: 'alice',
    });
    expect(existsSync(path.join(champion.location, 'variables', 'weights.bin'))).toBe(true);

    // Again: production already holds it.
    const second = await run(dir);
    expect(second.report.decision).toBe('unchanged');
    expect((await prod.list(MODEL)).map((v) => v.version)).toEqual(['1.0.0']);
  });

  it('publishes it to the Azure ML registry named in tfaml.yml with the same content hash', async () => {
    const candidate = await registerCandidate('b');
    const dir = project('    registry: mlr-prod');
    const r = await run(dir);
    expect(r.code).toBe(0);
    expect(r.out.outputs).toMatchObject({ decision: 'promoted', 'production-version': '1.0.0' });
    expect([...(fake.registryModels.get(MODEL)?.keys() ?? [])]).toEqual(['1.0.0']);
    const reg = new Production(
      new AzureProductionStore(
        new AzureMlRegistry(workspaceFor(fake, { env: env() }), fake.registryName, fake.resourceGroup, {
          sleep: async () => {},
        }),
      ),
      { clock, pollMs: 20 },
    );
    const champion = (await reg.champion(MODEL))!;
    expect(champion.version).toBe('1.0.0');
    expect(champion.contentHash).toBe(candidate.contentHash);
  });

  it('refuses a candidate whose files in the datastore no longer match its recorded hash, and writes nothing', async () => {
    const candidate = await registerCandidate('c');
    const ws = workspaceFor(fake, { env: env() });
    const ds = { ...(await ws.defaultDatastore()), blobUrl: azurite.blobUrl };
    const prefix = candidate.location.replace(/^.*\/paths\//, '').replace(/\/+$/, '');
    const tampered = 'not the weights that were registered';
    await datastoreContainer(ds, fake.datastoreKey, ws.credential!)
      .getBlockBlobClient(`${prefix}/variables/weights.bin`)
      .upload(tampered, tampered.length);

    for (const production of ['    local: true', '    registry: mlr-prod']) {
      const dir = project(production);
      const out = capture('action');
      const p = promote(inputs({ config: path.join(dir, 'tfaml.yml') }), out, { clock, context: () => ctx });
      await expect(p).rejects.toBeInstanceOf(ConfigurationError);
      await expect(p).rejects.toThrow(
        new RegExp(
          `^${MODEL}:1 in workspace ${fake.workspaceName} .*: the files downloaded from azureml://\\S+ do not match the content hash recorded when it was registered \\(recorded ${candidate.contentHash}, downloaded sha256:[0-9a-f]{64}\\); .*cannot be promoted`,
        ),
      );
      expect(await localProductionRegistry(dir).list(MODEL)).toEqual([]);
      expect(existsSync(path.join(dir, '.tfaml', 'production'))).toBe(false);
    }
    expect([...fake.registryModels.values()].reduce((n, versions) => n + versions.size, 0)).toBe(0);
  });
});

describe('WorkspaceModelRegistry.materialize', () => {
  it('downloads exactly the registered files (not the upload marker) to a temporary folder that cleanup removes', async () => {
    const candidate = await registerCandidate('d');
    const m = await new WorkspaceModelRegistry(workspaceFor(fake, { env: env() })).materialize(candidate);
    expect((await hashFolder(m.dir, 'model')).hash).toBe(candidate.contentHash);
    expect(existsSync(path.join(m.dir, '.tfaml-complete'))).toBe(false);
    await m.cleanup();
    expect(existsSync(m.dir)).toBe(false);
  });

  it('finds the files of datastore paths, job outputs and blob URLs in the default datastore', () => {
    const ds = {
      name: 'workspaceblobstore',
      blobUrl: 'https://acct.blob.core.windows.net',
      containerName: 'azureml-blobstore-x',
    };
    expect(
      datastorePath(
        'azureml://subscriptions/s/resourcegroups/rg/workspaces/w/datastores/workspaceblobstore/paths/LocalUpload/m/',
        ds,
      ),
    ).toEqual({ datastore: 'workspaceblobstore', path: 'LocalUpload/m' });
    expect(datastorePath('azureml://datastores/other/paths/a/b', ds)).toEqual({ datastore: 'other', path: 'a/b' });
    expect(datastorePath('azureml://jobs/job-1/outputs/model/paths/', ds)).toEqual({
      datastore: 'workspaceblobstore',
      path: 'azureml/job-1/model',
    });
    expect(datastorePath('https://acct.blob.core.windows.net/azureml-blobstore-x/x/y/', ds)).toEqual({
      datastore: 'workspaceblobstore',
      path: 'x/y',
    });
    expect(datastorePath('https://elsewhere.example/x', ds)).toBeUndefined();
  });
});
