/**
 * The audit benchmark's body (bundled by bench/audit.mjs): a fake workspace of 500 resources (computes, endpoints and
 * their deployments, jobs, environment and data containers and versions) audited by `tfaml audit` in process, next to
 * the bare SDK listing the same lists one after another, as a hand-written script would. Prints the time of each, the
 * ARM requests tfaml sent against the pages there are to read, and the ratio.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AzureAuditSource } from '../../src/adapters/azure/audit.js';
import { pricesFor } from '../../src/adapters/prices/index.js';
import { audit } from '../../src/commands/audit.js';
import type { Output } from '../../src/core/io.js';
import type { Log } from '../../src/core/ports.js';
import { startFakeArm, type FakeArm } from '../../test/fakes/arm/server.js';
import { workspaceFor } from '../../test/azure/helpers.js';

const quiet: Log = { info: () => {}, warning: () => {}, progress: () => {} };

/** How many of each, 500 in all. */
const SHAPE = {
  computes: 100,
  endpoints: 40,
  deploymentsEach: 2,
  jobs: 100,
  environments: 30,
  envVersionsEach: 3,
  data: 20,
  dataVersionsEach: 2,
};

function populate(fake: FakeArm): number {
  const s = SHAPE;
  for (let i = 0; i < s.computes; i++) {
    if (i % 4 === 0) fake.addComputeInstance(`ci-${i}`, { state: i % 8 === 0 ? 'Running' : 'Stopped' });
    else
      fake.addCompute(
        `cluster-${i}`,
        { minNodeCount: i % 5 === 0 ? 1 : 0, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: 'PT2M' },
        'AmlCompute',
        'STANDARD_NC6S_V3',
        { current: i % 5 === 0 ? 1 : 0 },
      );
  }
  for (let i = 0; i < s.endpoints; i++)
    fake.addEndpoint(
      `ep-${i}`,
      Array.from({ length: s.deploymentsEach }, (_, d) => ({
        name: `d${d}`,
        instanceType: 'Standard_DS3_v2',
        instanceCount: 1,
      })),
    );
  for (let i = 0; i < s.jobs; i++)
    fake.addJob(
      `job-${i}`,
      { computeId: `${fake.workspaceId}/computes/cluster-1`, limits: { jobLimitsType: 'Command', timeout: 'PT1H' } },
      i % 10 === 0 ? 7200 : 600,
    );
  for (let i = 0; i < s.environments; i++)
    for (let v = 1; v <= s.envVersionsEach; v++)
      fake.seed('environments', `env-${i}`, String(v), { image: 'mcr.microsoft.com/x:1' });
  for (let i = 0; i < s.data; i++)
    for (let v = 1; v <= s.dataVersionsEach; v++)
      fake.seed('data', `data-${i}`, String(v), { dataType: 'uri_folder', dataUri: 'azureml://x' });
  return (
    s.computes +
    s.endpoints * (1 + s.deploymentsEach) +
    s.jobs +
    s.environments * (1 + s.envVersionsEach) +
    s.data * (1 + s.dataVersionsEach)
  );
}

/** The pages there are to read: every list, at least one page each, plus the workspace itself (its region). */
function pages(pageSize: number): number {
  const s = SHAPE;
  const p = (n: number) => Math.max(1, Math.ceil(n / pageSize));
  return (
    1 +
    p(s.computes) +
    p(s.endpoints) +
    s.endpoints * p(s.deploymentsEach) +
    p(s.jobs) +
    p(s.environments) +
    s.environments * p(s.envVersionsEach) +
    p(s.data) +
    s.data * p(s.dataVersionsEach)
  );
}

async function bare(fake: FakeArm): Promise<void> {
  const ws = workspaceFor(fake);
  const c = ws.client;
  const [rg, w] = [fake.resourceGroup, fake.workspaceName];
  const all = async <T>(it: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };
  await c.workspaces.get(rg, w);
  await all(c.computeOperations.list(rg, w));
  for (const e of await all(c.onlineEndpoints.list(rg, w))) await all(c.onlineDeployments.list(rg, w, e.name!));
  await all(c.jobs.list(rg, w, { listViewType: 'ActiveOnly' }));
  for (const e of await all(c.environmentContainers.list(rg, w))) await all(c.environmentVersions.list(rg, w, e.name!));
  for (const d of await all(c.dataContainers.list(rg, w))) await all(c.dataVersions.list(rg, w, d.name!));
}

export async function run(pageSize: number, rounds: number): Promise<void> {
  const fake = await startFakeArm({ pageSize });
  const dir = mkdtempSync(path.join(tmpdir(), 'tfaml-bench-audit-'));
  try {
    const resources = populate(fake);
    writeFileSync(
      path.join(dir, 'tfaml.yml'),
      `version: 1\nproject: bench\nowners: ["@acme/ml"]\nworkspace:\n  subscription-id: ${fake.subscriptionId}\n  resource-group: ${fake.resourceGroup}\n  name: ${fake.workspaceName}\n`,
    );
    writeFileSync(path.join(dir, 'tfaml.lock'), '{"lockfileVersion":1,"environments":{},"data":{},"models":{}}\n');
    const out: Output = {
      mode: 'cli',
      print: () => {},
      annotate: () => {},
      summary: async () => {},
      setOutput: () => {},
      mask: () => {},
      log: quiet,
    };
    const prices = pricesFor('snapshot', { projectRoot: dir, log: quiet });
    const inputs = { get: (n: string) => ({ config: path.join(dir, 'tfaml.yml'), format: 'json' })[n] };
    // Warm both (token, TLS session, JIT) once, then alternate.
    await audit(inputs, out, { source: new AzureAuditSource(workspaceFor(fake)), prices });
    await bare(fake);
    const ours: number[] = [];
    const ref: number[] = [];
    let requests = 0;
    for (let i = 0; i < rounds; i++) {
      const before = fake.armRequests().length;
      let t = performance.now();
      await audit(inputs, out, { source: new AzureAuditSource(workspaceFor(fake)), prices });
      ours.push(performance.now() - t);
      requests = fake.armRequests().length - before;
      t = performance.now();
      await bare(fake);
      ref.push(performance.now() - t);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [o, r] = [median(ours), median(ref)];
    const p = pages(pageSize);
    console.log(
      `audit: ${resources} resources, ${pageSize} a page, median of ${rounds}: tfaml audit ${o.toFixed(0)} ms (target < 10000), bare SDK listing the same ${p} pages one after another ${r.toFixed(0)} ms → ${(o / r).toFixed(2)}×; tfaml sent ${requests} ARM requests for ${p} pages (${(requests / p).toFixed(2)} per page, target ≤ 1)${fake.armRequests().some((q) => q.method !== 'GET') ? '; WRONG: it sent something other than GET' : ', all GET'}`,
    );
    process.exitCode = o < 10_000 && requests <= p && fake.armRequests().every((q) => q.method === 'GET') ? 0 : 1;
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
