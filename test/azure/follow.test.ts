import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRunJobs, followJob } from '../../src/adapters/azure/follow.js';
import type { CommandJobSpec, Log } from '../../src/core/ports.js';
import { startFakeArm, type FakeArm } from '../fakes/arm/server.js';
import { workspaceFor } from './helpers.js';

let fake: FakeArm;
let virtual = 0;
beforeAll(async () => {
  fake = await startFakeArm();
  fake.now = () => virtual;
  fake.addCompute('gpu-cluster', { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT10M' });
});
afterAll(() => fake.close());

const quiet = (lines: string[]): Log => ({
  info: (m) => void lines.push(m),
  warning: (m) => void lines.push(`warning: ${m}`),
  progress: () => {},
});
const spec = (): CommandJobSpec => ({
  command: 'python train.py',
  environmentId: 'env',
  computeId: `${fake.workspaceId}/computes/gpu-cluster`,
  experimentName: 'e',
  inputs: {},
  environmentVariables: {},
  instanceCount: 1,
  tags: { 'tfaml.submission': 'x' },
});

describe('following a job', () => {
  it('benchmark: a 30-minute job costs at most 4 ARM requests per job-minute', async () => {
    virtual = 0;
    fake.jobPlan = { queuedSeconds: 0, runningSeconds: 30 * 60, outcome: 'Completed', metrics: {} };
    const ws = workspaceFor(fake, { retry: { retryDelayInMs: 10 } });
    await ws.createJob('bench-30min', spec());
    const before = fake.armRequests().length;
    const lines: string[] = [];
    const r = await followJob(ws, 'bench-30min', {
      log: quiet(lines),
      clock: { now: () => virtual },
      sleep: async (ms) => void (virtual += ms),
    });
    const armRequests = fake.armRequests().length - before;
    const minutes = r.elapsedMs / 60_000;
    console.log(
      `benchmark follow: ${armRequests} ARM requests over a ${minutes.toFixed(1)}-minute job = ${(armRequests / minutes).toFixed(2)} per job-minute (target ≤ 4)`,
    );
    expect(r.job.status).toBe('Completed');
    expect(armRequests).toBe(r.requests);
    expect(armRequests / minutes).toBeLessThanOrEqual(4);
    // never two polls back to back: every gap is at least the first interval
    const gets = fake
      .armRequests()
      .slice(before)
      .map((q) => q.at);
    for (let i = 1; i < gets.length; i++) expect(gets[i]! - gets[i - 1]!).toBeGreaterThanOrEqual(10_000);
  });

  it('throttling that outlasts the pipeline retries makes the follower wait longer, not fail', async () => {
    virtual = 0;
    fake.jobPlan = { queuedSeconds: 0, runningSeconds: 120, outcome: 'Completed', metrics: {} };
    const ws = workspaceFor(fake, { retry: { retryDelayInMs: 5, maxRetries: 1 } });
    await ws.createJob('throttled', spec());
    fake.faults.push({ method: 'GET', path: /\/jobs\/throttled$/, kind: 'status', status: 503, times: 2 });
    const lines: string[] = [];
    const waits: number[] = [];
    const r = await followJob(ws, 'throttled', {
      log: quiet(lines),
      clock: { now: () => virtual },
      sleep: async (ms) => void (waits.push(ms), (virtual += ms)),
    });
    expect(r.job.status).toBe('Completed');
    expect(lines[0]).toMatch(/warning: polling job throttled: 503 .*trying again in 30s/);
    expect(waits[0]).toBe(30_000);
  });

  it('NotResponding is waited through (a run can come back from it), and the job is followed to Completed', async () => {
    virtual = 0;
    fake.jobPlan = {
      queuedSeconds: 0,
      runningSeconds: 20 * 60,
      outcome: 'Completed',
      metrics: {},
      stall: { status: 'NotResponding', afterSeconds: 5 * 60, seconds: 10 * 60 },
    };
    const ws = workspaceFor(fake, { retry: { retryDelayInMs: 10 } });
    await ws.createJob('flaky-heartbeat', spec());
    const lines: string[] = [];
    const r = await followJob(ws, 'flaky-heartbeat', {
      log: quiet(lines),
      clock: { now: () => virtual },
      sleep: async (ms) => void (virtual += ms),
    });
    expect(r).toMatchObject({ job: { status: 'Completed' }, cancelled: false });
    expect(r.stalled).toBeUndefined();
    expect(lines.filter((l) => / → /.test(l)).map((l) => l.replace(/ \(.*$/, ''))).toEqual([
      'job flaky-heartbeat: Running → NotResponding',
      'job flaky-heartbeat: NotResponding → Running',
      'job flaky-heartbeat: Running → Completed',
    ]);
    expect(lines).toContainEqual(
      'warning: job flaky-heartbeat is NotResponding (its run stopped reporting); Azure ML runs can recover from this, so waiting up to 30m00s for it to come back',
    );
    // nothing was cancelled
    expect(fake.armRequests().filter((q) => q.method === 'POST')).toEqual([]);
  });

  it('a job NotResponding past the bound is left alone (not cancelled) and reported as stalled', async () => {
    virtual = 0;
    fake.requests.length = 0;
    fake.jobPlan = {
      queuedSeconds: 0,
      runningSeconds: 60 * 60,
      outcome: 'Completed',
      metrics: {},
      stall: { status: 'NotResponding', afterSeconds: 60, seconds: Infinity },
    };
    const ws = workspaceFor(fake, { retry: { retryDelayInMs: 10 } });
    await ws.createJob('gone-quiet', spec());
    const lines: string[] = [];
    const r = await followJob(ws, 'gone-quiet', {
      log: quiet(lines),
      clock: { now: () => virtual },
      sleep: async (ms) => void (virtual += ms),
      stalledWaitMs: 30 * 60_000,
    });
    expect(r).toMatchObject({ job: { status: 'NotResponding' }, cancelled: false, stalled: true });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(31 * 60_000);
    expect(r.elapsedMs).toBeLessThan(33 * 60_000);
    expect(lines.at(-1)).toMatch(
      /^warning: job gone-quiet has been NotResponding for 3\dm\d\ds; no longer following it\. It was not cancelled and may still hold its compute nodes: .*az ml job cancel -n gone-quiet.*run train again to follow it again$/,
    );
    expect(fake.armRequests().filter((q) => q.method === 'POST')).toEqual([]);
  });

  it('Paused is not an end either: a job resumed within the bound is followed to Completed', async () => {
    virtual = 0;
    fake.jobPlan = {
      queuedSeconds: 0,
      runningSeconds: 10 * 60,
      outcome: 'Completed',
      metrics: {},
      stall: { status: 'Paused', afterSeconds: 60, seconds: 5 * 60 },
    };
    const ws = workspaceFor(fake, { retry: { retryDelayInMs: 10 } });
    await ws.createJob('paused-once', spec());
    const lines: string[] = [];
    const r = await followJob(ws, 'paused-once', {
      log: quiet(lines),
      clock: { now: () => virtual },
      sleep: async (ms) => void (virtual += ms),
    });
    expect(r.job.status).toBe('Completed');
    expect(lines).toContainEqual('warning: job paused-once is Paused; waiting up to 30m00s for it to be resumed');
  });

  it('the cancelled() step cancels a NotResponding job of its run: it is unfinished', async () => {
    virtual = 0;
    fake.jobPlan = {
      queuedSeconds: 0,
      runningSeconds: 60 * 60,
      outcome: 'Completed',
      metrics: {},
      stall: { status: 'NotResponding', afterSeconds: 0, seconds: Infinity },
    };
    const ws = workspaceFor(fake, { retry: { retryDelayInMs: 10 } });
    await ws.createJob('quiet-in-run', { ...spec(), tags: { 'tfaml.submission': 'x', 'tfaml.github-run': '7-1' } });
    virtual += 60_000;
    const lines: string[] = [];
    expect(await cancelRunJobs(ws, 'tfaml.github-run', '7-1', quiet(lines))).toEqual(['quiet-in-run']);
    expect(lines).toEqual(['cancelling Azure ML job quiet-in-run (NotResponding)']);
  });

  it('a job that vanishes is an error, not an endless loop', async () => {
    const ws = workspaceFor(fake);
    await expect(followJob(ws, 'never-submitted', { log: quiet([]), sleep: async () => {} })).rejects.toThrow(
      'Azure ML job never-submitted disappeared while it was being followed',
    );
  });
});
