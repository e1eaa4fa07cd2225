/** The audit's judgement, one table row per case: live facts in, the findings (rule, severity, cost, message) out. */
import { describe, expect, it } from 'vitest';
import { auditFindings, monthlyTotal, type AuditContext } from '../../src/audit/audit.js';
import type { AuditFacts, LiveCompute, LiveDeployment, LiveJob } from '../../src/audit/facts.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { OWNER_TAGS, SUBMISSION_TAG } from '../../src/core/tags.js';
import { Production } from '../../src/promote/protocol.js';
import { MemoryProductionStore } from '../fakes/memory-production-store.js';
import { tempDir } from '../helpers/project.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const PRICES: Record<string, number> = { STANDARD_NC6S_V3: 3.06, STANDARD_DS3_V2: 0.293 };
const LOW: Record<string, number> = { STANDARD_NC6S_V3: 0.612 };

const ctx = (over: Partial<AuditContext> = {}): AuditContext => ({
  now: NOW,
  hourly: (sku, low) => (low ? LOW[sku] : PRICES[sku]),
  maxIdleSeconds: 1800,
  expectedHours: 1,
  locked: { environments: new Set(['tf-gpu:3']), data: new Set(['flowers:4']) },
  ownerTags: OWNER_TAGS,
  ...over,
});

const facts = (over: Partial<AuditFacts>): AuditFacts => ({
  computes: [],
  deployments: [],
  jobs: [],
  environments: [],
  data: [],
  ...over,
});

const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const one = (f: AuditFacts, c = ctx()) => {
  const all = auditFindings(f, c);
  expect(all).toHaveLength(1);
  return all[0]!;
};

const ci = (o: Partial<LiveCompute>): LiveCompute => ({
  name: 'ci-alice',
  computeType: 'ComputeInstance',
  vmSize: 'STANDARD_DS3_V2',
  ...o,
});
const cluster = (o: Partial<LiveCompute>): LiveCompute => ({
  name: 'gpu-cluster',
  computeType: 'AmlCompute',
  vmSize: 'STANDARD_NC6S_V3',
  minNodes: 0,
  maxNodes: 4,
  idleSeconds: 120,
  currentNodes: 0,
  runningNodes: 0,
  ...o,
});

describe('audit/compute-instance-running', () => {
  it.each([
    // [case, compute, severity, monthly, message part]
    [
      'running, no idle shutdown, no schedule',
      ci({ state: 'Running' }),
      'error',
      213.89,
      /no idle shutdown and no stop schedule, so it bills until someone stops it \(\$213\.89 a month\)/,
    ],
    ['running a job, unguarded', ci({ state: 'JobRunning' }), 'error', 213.89, /is JobRunning with no idle shutdown/],
    [
      'running with an idle shutdown',
      ci({ state: 'Running', idleShutdownSeconds: 1800 }),
      'warning',
      213.89,
      /shuts down after 30 min idle/,
    ],
    [
      'running with a stop schedule',
      ci({ state: 'Running', stopSchedules: 1 }),
      'warning',
      213.89,
      /a schedule stops it/,
    ],
    [
      'stopped, unguarded',
      ci({ state: 'Stopped' }),
      'warning',
      0,
      /Stopped but has no idle shutdown and no stop schedule: once started it runs until someone stops it \(\$213\.89 a month\)/,
    ],
    [
      'running, size without a price',
      ci({ state: 'Running', vmSize: 'STANDARD_XYZ' }),
      'error',
      null,
      /no price for STANDARD_XYZ/,
    ],
  ] as const)('%s', (_, c, severity, monthly, message) => {
    const f = one(facts({ computes: [c] }));
    expect(f).toMatchObject({
      rule: 'audit/compute-instance-running',
      severity,
      monthlyUsd: monthly,
      resource: 'computes/ci-alice',
    });
    expect(f.message).toMatch(message);
  });

  it.each([
    ['stopped with an idle shutdown', ci({ state: 'Stopped', idleShutdownSeconds: 3600 })],
    ['stopped with a schedule', ci({ state: 'Stopped', stopSchedules: 2 })],
  ])('%s: nothing', (_, c) => {
    expect(auditFindings(facts({ computes: [c] }), ctx())).toEqual([]);
  });
});

describe('audit/cluster-not-scaled-to-zero', () => {
  it.each([
    [
      'min nodes above 0',
      cluster({ minNodes: 2, currentNodes: 2, runningNodes: 0 }),
      'error',
      4467.6,
      /min nodes is 2, so 2 nodes bill around the clock; set min_instances: 0/,
    ],
    [
      'min nodes above 0, low priority',
      cluster({ minNodes: 1, currentNodes: 1, lowPriority: true }),
      'error',
      446.76,
      /min nodes is 1/,
    ],
    [
      'idle scale-down above policy',
      cluster({ idleSeconds: 7200 }),
      'warning',
      0,
      /idle scale-down is 7200 s, above policy.max-idle-seconds \(1800 s\)/,
    ],
    [
      'nodes up, no job',
      cluster({ currentNodes: 3 }),
      'warning',
      6701.4,
      /3 nodes are up and no job runs on it; they bill until idle scale-down \(120 s\)/,
    ],
  ] as const)('%s', (_, c, severity, monthly, message) => {
    const f = one(facts({ computes: [c] }));
    expect(f).toMatchObject({
      rule: 'audit/cluster-not-scaled-to-zero',
      severity,
      monthlyUsd: monthly,
      resource: 'computes/gpu-cluster',
    });
    expect(f.message).toMatch(message);
  });

  it('a cluster at zero, or with nodes busy on a job, is fine', () => {
    const busyJob: LiveJob = {
      name: 'j',
      status: 'Running',
      compute: 'gpu-cluster',
      instanceCount: 2,
      tags: {},
      createdAt: ago(60),
    };
    expect(auditFindings(facts({ computes: [cluster({})] }), ctx())).toEqual([]);
    expect(auditFindings(facts({ computes: [cluster({ currentNodes: 2 })], jobs: [busyJob] }), ctx())).toEqual([]);
    expect(auditFindings(facts({ computes: [cluster({ currentNodes: 2, runningNodes: 2 })] }), ctx())).toEqual([]);
  });

  it('policy.max-idle-seconds decides what is too long', () => {
    expect(auditFindings(facts({ computes: [cluster({ idleSeconds: 7200 })] }), ctx({ maxIdleSeconds: 7200 }))).toEqual(
      [],
    );
  });

  it('other compute types (AKS, attached VMs) are not judged', () => {
    expect(auditFindings(facts({ computes: [{ name: 'aks', computeType: 'AKS', minNodes: 3 }] }), ctx())).toEqual([]);
  });
});

describe('audit/endpoint-always-on', () => {
  const dep = (o: Partial<LiveDeployment>): LiveDeployment => ({
    endpoint: 'flowers',
    name: 'blue',
    instanceType: 'Standard_DS3_v2',
    instanceCount: 2,
    traffic: 100,
    ...o,
  });
  it.each([
    [
      'serving',
      dep({}),
      'warning',
      427.78,
      /blue of endpoint flowers \(100% of the traffic\) is always on: 2 × Standard_DS3_v2 × 730 h \(\$427\.78 a month\)/,
    ],
    [
      '0% traffic',
      dep({ name: 'green', traffic: 0 }),
      'error',
      427.78,
      /green of endpoint flowers takes 0% of the traffic and still bills 2 × Standard_DS3_v2 × 730 h/,
    ],
    [
      'no traffic split',
      dep({ traffic: undefined, instanceCount: 1 }),
      'warning',
      213.89,
      /blue of endpoint flowers is always on: 1 ×/,
    ],
  ] as const)('%s', (_, d, severity, monthly, message) => {
    const f = one(facts({ deployments: [d] }), ctx({ hourly: (s) => PRICES[s.toUpperCase()] }));
    expect(f).toMatchObject({ rule: 'audit/endpoint-always-on', severity, monthlyUsd: monthly });
    expect(f.resource).toBe(`onlineEndpoints/flowers/deployments/${d.name}`);
    expect(f.message).toMatch(message);
  });
});

describe('audit/job-over-limit', () => {
  const job = (o: Partial<LiveJob>): LiveJob => ({
    name: 'train-7',
    status: 'Running',
    compute: 'gpu-cluster',
    instanceCount: 2,
    tags: {},
    createdAt: ago(3600),
    ...o,
  });
  const computes = [cluster({ currentNodes: 2 })];
  it.each([
    [
      'past its timeout',
      job({ timeoutSeconds: 1800 }),
      /submitted 1\.0 h ago, longer than its limits.timeout \(30 min\) \(\$4467\.60 a month\)/,
    ],
    [
      'tfaml job past 3 × expected-hours',
      job({ createdAt: ago(4 * 3600), tags: { [SUBMISSION_TAG]: 'abc' } }),
      /more than 3 × train.expected-hours \(1 h\)/,
    ],
    [
      'instance type of the job wins over the compute',
      job({ timeoutSeconds: 60, instanceType: 'STANDARD_DS3_V2', instanceCount: 1 }),
      /\$213\.89 a month/,
    ],
  ] as const)('%s', (_, j, message) => {
    const all = auditFindings(facts({ computes, jobs: [j] }), ctx());
    const f = all.find((x) => x.rule === 'audit/job-over-limit')!;
    expect(f).toMatchObject({ severity: 'error', resource: 'jobs/train-7' });
    expect(f.message).toMatch(message);
  });

  it.each([
    ['within its timeout', job({ timeoutSeconds: 7200 })],
    ['someone else’s job past 3 × expected-hours (no timeout)', job({ createdAt: ago(4 * 3600) })],
    ['no submission time', job({ createdAt: undefined, timeoutSeconds: 1 })],
  ])('%s: nothing', (_, j) => {
    expect(
      auditFindings(facts({ computes, jobs: [j] }), ctx()).filter((f) => f.rule === 'audit/job-over-limit'),
    ).toEqual([]);
  });

  it('without train.expected-hours only the timeout counts', () => {
    const j = job({ createdAt: ago(100 * 3600), tags: { [SUBMISSION_TAG]: 'abc' } });
    expect(auditFindings(facts({ jobs: [j] }), ctx({ expectedHours: undefined }))).toEqual([]);
  });
});

describe('audit/untracked-asset', () => {
  it('environment and data versions tfaml.lock does not account for; locked ones are fine', () => {
    const all = auditFindings(
      facts({
        environments: [
          { name: 'tf-gpu', version: '3' },
          { name: 'tf-gpu', version: '4' },
        ],
        data: [
          { name: 'flowers', version: '4' },
          { name: 'scraped', version: '1' },
        ],
      }),
      ctx(),
    );
    expect(all.map((f) => [f.severity, f.resource, f.monthlyUsd])).toEqual([
      ['warning', 'data/scraped/versions/1', 0],
      ['warning', 'environments/tf-gpu/versions/4', 0],
    ]);
    expect(all[1]!.message).toMatch(
      /environment tf-gpu:4 is registered in the workspace but no tfaml.lock entry accounts for it/,
    );
  });

  it('production model versions without an owner tag (owner or tfaml.owner, any case, not blank)', () => {
    const all = auditFindings(
      facts({
        production: {
          description: 'registry mlr-prod',
          models: [
            { name: 'flowers', version: '1.0.0', tags: { Owner: '@acme/ml' } },
            { name: 'flowers', version: '1.1.0', tags: { 'tfaml.owner': '@acme/ml' } },
            { name: 'flowers', version: '2.0.0', tags: { owner: ' ' } },
            { name: 'flowers', version: '2.1.0', tags: {} },
          ],
        },
      }),
      ctx(),
    );
    expect(all.map((f) => f.resource)).toEqual(['models/flowers/versions/2.0.0', 'models/flowers/versions/2.1.0']);
    expect(all[0]!.message).toMatch(
      /production model flowers:2.0.0 in registry mlr-prod has no owner tag \(owner or tfaml.owner\)/,
    );
  });

  it.each([
    { owners: ['@acme/ml-platform'], flagged: [] },
    { owners: [], flagged: ['models/flowers/versions/1.0.0'] },
  ])(
    'a version the promotion protocol published with owners $owners: flagged $flagged',
    async ({ owners, flagged }) => {
      const prod = new Production(new MemoryProductionStore());
      const files = tempDir('tfaml-model-');
      writeFileSync(path.join(files, 'model.json'), '{}');
      await prod.publish({
        model: { name: 'flowers', files, metrics: {}, tags: {} },
        version: () => '1.0.0',
        candidate: 'experiment:flowers:1',
        expectedChampion: undefined,
        actor: { by: 'alice', reason: 'merge of #12' },
        owners,
      });
      const all = auditFindings(facts({ production: { description: 'p', models: await prod.list('flowers') } }), ctx());
      expect(all.map((f) => f.resource)).toEqual(flagged);
    },
  );
});

describe('the report', () => {
  it('orders by rule (the README table), errors first, then resource; totals what has a figure', () => {
    const all = auditFindings(
      facts({
        computes: [ci({ state: 'Stopped' }), ci({ name: 'ci-bob', state: 'Running' }), cluster({ minNodes: 1 })],
        deployments: [{ endpoint: 'e', name: 'd', instanceType: 'STANDARD_UNPRICED', instanceCount: 1, traffic: 0 }],
        environments: [{ name: 'x', version: '1' }],
      }),
      ctx(),
    );
    expect(all.map((f) => `${f.rule} ${f.severity} ${f.resource}`)).toEqual([
      'audit/compute-instance-running error computes/ci-bob',
      'audit/compute-instance-running warning computes/ci-alice',
      'audit/cluster-not-scaled-to-zero error computes/gpu-cluster',
      'audit/endpoint-always-on error onlineEndpoints/e/deployments/d',
      'audit/untracked-asset warning environments/x/versions/1',
    ]);
    expect(all[3]!.monthlyUsd).toBeNull();
    expect(monthlyTotal(all)).toBe(213.89 + 2233.8);
  });

  it('an empty workspace is clean', () => {
    expect(auditFindings(facts({}), ctx())).toEqual([]);
  });
});
