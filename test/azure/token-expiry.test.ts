/**
 * Issue 11's fault matrix, "an access token that expires mid-job": Entra hands out tokens that live 60 s and the
 * fake job runs 5 minutes, so every token tfaml starts with is dead long before the job ends. The whole process
 * (MSAL's cache, the pipeline's token cycler, the fake's token check) reads one clock, Date, which the test moves
 * with the fake's job clock; a token kept by tfaml past its lifetime (a header built once, a client made with a
 * token instead of a credential) is then a 401 from the fake, and the run fails.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { trainOnAzure, type AzureTrainOptions } from '../../src/adapters/azure/train.js';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { RULES } from '../../src/core/findings.js';
import { resolveProject } from '../../src/lock/resolve.js';
import { type Azurite } from '../fakes/arm/azurite.js';
import { type FakeArm } from '../fakes/arm/server.js';
import { fakeEnv, workspaceFor } from './helpers.js';
import { exampleOnFake, startTrainFakes } from './train-fakes.js';

const TOKEN_SECONDS = 60;
let fake: FakeArm;
let azurite: Azurite;
let fakes: Awaited<ReturnType<typeof startTrainFakes>>;
let virtual = 0;

beforeAll(async () => {
  fakes = await startTrainFakes({ tokenSeconds: TOKEN_SECONDS });
  ({ fake, azurite } = fakes);
});
afterAll(() => fakes.close());
beforeEach(() => {
  // Only Date is faked: timers, sockets and Azurite run in real time, and the job's clock is Date itself.
  virtual = Date.now();
  vi.useFakeTimers({ toFake: ['Date'], now: virtual });
  fake.now = () => Date.now();
  fakes.reset();
  fake.jobPlan = { queuedSeconds: 30, runningSeconds: 5 * 60, outcome: 'Completed', metrics: { accuracy: 0.9 } };
});
afterEach(() => {
  vi.useRealTimers();
});

async function exampleProject() {
  const project = loadProject(
    loadConfig(path.join(exampleOnFake(fake), 'tfaml.yml'), { knownRules: Object.keys(RULES) }),
  );
  return { project, resolved: await resolveProject(project) };
}

function options(logs: string[]): AzureTrainOptions {
  return {
    log: { info: (m) => void logs.push(m), warning: (m) => void logs.push(`warning: ${m}`), progress: () => {} },
    gitSha: 'abc123',
    configHash: 'sha256:cfg',
    runId: '77-1',
    workspace: workspaceFor(fake, { env: fakeEnv(fake, { TFAML_BLOB_URL: azurite.blobUrl }) }),
    clock: { now: () => Date.now() },
    // A poll's wait moves the one clock forward, so tokens age as the job runs.
    sleep: async (ms) => void vi.setSystemTime(Date.now() + ms),
    retry: { retryDelayInMs: 10 },
  };
}

describe('tokens of 60 s through a 5-minute job', () => {
  it('every request carries a live token: the job is followed to the end and the model registered once', async () => {
    const { project, resolved } = await exampleProject();
    const logs: string[] = [];
    const r = await trainOnAzure(project, resolved, options(logs));

    expect(r).toMatchObject({ submitted: true, status: 'Completed', metrics: { accuracy: 0.9 } });
    // The run spanned several token lifetimes on the one clock...
    expect(Date.now() - virtual).toBeGreaterThan(5 * TOKEN_SECONDS * 1000);
    // ...so tfaml had to get new tokens as it went, and the fake never saw a dead one.
    const tokens = fake.requests.filter((q) => /\/oauth2\/v2\.0\/token$/.test(q.path) && q.status === 200);
    expect(tokens.length).toBeGreaterThan(5);
    expect(fake.requests.filter((q) => q.status === 401).map((q) => `${q.method} ${q.path}`)).toEqual([]);
    // Nothing was done twice because of it.
    expect(fake.requests.filter((q) => q.method === 'PUT' && /\/jobs\//.test(q.path))).toHaveLength(1);
    expect([...fake.versions('models', 'flowers-classifier').keys()]).toEqual(['1']);
    expect(logs.filter((l) => / → /.test(l)).at(-1)).toMatch(/Running → Completed/);
  });

  it('the fake does refuse a token past its lifetime (the check above can fail)', async () => {
    const ws = workspaceFor(fake);
    await ws.getCompute('gpu-cluster');
    const [issued] = fake.requests.filter((q) => /\/oauth2\/v2\.0\/token$/.test(q.path));
    expect(issued).toBeDefined();
    // A token held past 60 s by someone who does not ask the credential again:
    const stale = await ws.credential!.getToken('https://management.azure.com/.default');
    vi.setSystemTime(Date.now() + (TOKEN_SECONDS + 1) * 1000);
    const res = await fetch(`${fake.url}${fake.workspaceId}/computes/gpu-cluster?api-version=2022-10-01`, {
      headers: { authorization: `Bearer ${stale!.token}` },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ExpiredAuthenticationToken');
  });
});
