/**
 * Issue 11's fault matrix for train on Azure: each operation train performs (register the environment and the data,
 * upload and register the code, submit the job, follow it, read its metrics, register the model) meets each fault
 * the fake ARM injects once (429 with Retry-After, 500, 503, a reset connection, a request processed and then the
 * connection dropped). The end state is asserted in the fake: the job completed, one job was submitted, each asset
 * and the model exist once. A fault that does not lift is exit 3 (ServiceUnavailableError, safe to re-run) naming
 * what failed, with nothing registered after it; a re-run then finishes without doing anything twice.
 */
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { trainOnAzure, type AzureTrainOptions } from '../../src/adapters/azure/train.js';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { ServiceUnavailableError } from '../../src/core/errors.js';
import { RULES } from '../../src/core/findings.js';
import { resolveProject } from '../../src/lock/resolve.js';
import { describeFailure } from '../../src/entries/main.js';
import { type Azurite } from '../fakes/arm/azurite.js';
import { TRANSIENT_FAULTS, type Fault, type FakeArm } from '../fakes/arm/server.js';
import { fakeEnv, workspaceFor } from '../azure/helpers.js';
import { exampleOnFake, startTrainFakes } from '../azure/train-fakes.js';

let fake: FakeArm;
let azurite: Azurite;
let fakes: Awaited<ReturnType<typeof startTrainFakes>>;
let virtual = 0;
let example: string;

beforeAll(async () => {
  fakes = await startTrainFakes();
  ({ fake, azurite } = fakes);
  fake.now = () => virtual;
  example = exampleOnFake(fake);
});
afterAll(() => fakes.close());
beforeEach(() => {
  virtual = Date.parse('2026-01-01T00:00:00Z');
  fakes.reset();
  fake.jobPlan = { queuedSeconds: 30, runningSeconds: 120, outcome: 'Completed', metrics: { accuracy: 0.93 } };
});

async function train(runId = '5-1') {
  const project = loadProject(loadConfig(path.join(example, 'tfaml.yml'), { knownRules: Object.keys(RULES) }));
  const resolved = await resolveProject(project);
  const logs: string[] = [];
  const opts: AzureTrainOptions = {
    log: { info: (m) => void logs.push(m), warning: (m) => void logs.push(`warning: ${m}`), progress: () => {} },
    gitSha: 'abc123',
    configHash: 'sha256:cfg',
    runId,
    workspace: workspaceFor(fake, {
      env: fakeEnv(fake, { TFAML_BLOB_URL: azurite.blobUrl }),
      retry: { retryDelayInMs: 5 },
    }),
    clock: { now: () => virtual },
    sleep: async (ms) => void (virtual += ms),
    retry: { retryDelayInMs: 5 },
  };
  return { result: await trainOnAzure(project, resolved, opts), logs };
}

/** The operations train performs, as the fake sees them. */
const OPERATIONS: Record<string, Pick<Fault, 'method' | 'path'>> = {
  'register the environment': { method: 'PUT', path: /\/environments\/tf-gpu\/versions\/3$/ },
  'register the data': { method: 'PUT', path: /\/data\/flowers\/versions\/1$/ },
  'register the code': { method: 'PUT', path: /\/codes\/[^/]+\/versions\/1$/ },
  'submit the job': { method: 'PUT', path: /\/jobs\/tfaml-/ },
  'follow the job': { method: 'GET', path: /\/jobs\/tfaml-/ },
  'read its metrics': { path: /^\/mlflow/ },
  'register the model': { method: 'PUT', path: /\/models\/flowers-classifier\/versions\/1$/ },
};

function expectOneOfEach(): void {
  expect([...fake.jobs.values()]).toHaveLength(1);
  expect([...fake.versions('environments', 'tf-gpu').keys()]).toEqual(['3']);
  expect([...fake.versions('data', 'flowers').keys()]).toEqual(['1']);
  expect([...fake.assets.codes!.values()]).toHaveLength(1);
  expect([...fake.versions('models', 'flowers-classifier').keys()]).toEqual(['1']);
}

describe('train on Azure: each operation × each fault, once', () => {
  const cases = Object.entries(OPERATIONS).flatMap(([op, where]) =>
    Object.entries(TRANSIENT_FAULTS)
      // A GET that was answered and then dropped is the same as a reset for the client; keep the row meaningful.
      .filter(([f]) => !(where.method !== 'PUT' && f === 'processed, then the connection drops'))
      .map(([f, fault]) => [op, f, { ...where, ...fault, times: 1 }] as const),
  );

  it.each(cases)('%s meets %s: completed, everything exactly once', async (_op, _f, fault) => {
    fake.faults.push({ ...fault });
    const { result } = await train();
    expect(fake.faults).toEqual([]); // the fault was met
    expect(result).toMatchObject({ status: 'Completed', metrics: { accuracy: 0.93 } });
    expectOneOfEach();
  });
});

describe('a fault that does not lift', () => {
  it.each([
    ['submit the job', OPERATIONS['submit the job']!],
    ['register the model', OPERATIONS['register the model']!],
  ])('%s answering 503 every time: exit 3 naming it; a re-run finishes with nothing done twice', async (op, where) => {
    fake.faults.push({ ...where, kind: 'status', status: 503, times: 1000 });
    const err = await train().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    const failure = describeFailure(err);
    expect(failure.exitCode).toBe(3);
    expect(failure.message).toMatch(
      op === 'submit the job'
        ? /^submitting job tfaml-flowers-classifier-/
        : /^registering model flowers-classifier:1 /,
    );
    expect(failure.message).toMatch(/Azure answered 503 ServiceUnavailable .*kept doing so after retries/);
    expect(failure.message).toMatch(/safe to run again as is/);
    expect(failure.message).not.toMatch(/please report/);
    expect(fake.versions('models', 'flowers-classifier').size).toBe(0);
    if (op === 'submit the job') expect(fake.jobs.size).toBe(0);

    fake.faults.length = 0;
    const { result } = await train();
    expect(result.status).toBe('Completed');
    expectOneOfEach();
  });
});
