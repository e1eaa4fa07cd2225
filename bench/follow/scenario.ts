/**
 * The follow benchmark's body (bundled by bench/follow.mjs): a 30-minute job on the fake ARM with a virtual clock,
 * followed by tfaml's follower, next to a naive poller that asks every 5 seconds (what a hand-written loop does).
 */
import { followJob } from '../../src/adapters/azure/follow.js';
import type { CommandJobSpec, Log } from '../../src/core/ports.js';
import { startFakeArm } from '../../test/fakes/arm/server.js';
import { workspaceFor } from '../../test/azure/helpers.js';

const quiet: Log = { info: () => {}, warning: () => {}, progress: () => {} };

export async function run(minutesOfJob = 30): Promise<void> {
  const fake = await startFakeArm();
  let virtual = 0;
  fake.now = () => virtual;
  fake.addCompute('gpu-cluster', { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: 'PT10M' });
  try {
    const ws = workspaceFor(fake, { retry: { retryDelayInMs: 10 } });
    const spec = (name: string): CommandJobSpec => ({ command: 'python train.py', environmentId: 'env', computeId: `${fake.workspaceId}/computes/gpu-cluster`, experimentName: 'bench', inputs: {}, environmentVariables: {}, instanceCount: 1, tags: { 'tfaml.submission': name } });

    fake.jobPlan = { queuedSeconds: 120, runningSeconds: minutesOfJob * 60 - 120, outcome: 'Completed', metrics: {} };
    await ws.createJob('ours', spec('ours'));
    let before = fake.armRequests().length;
    const r = await followJob(ws, 'ours', { log: quiet, clock: { now: () => virtual }, sleep: async (ms) => void (virtual += ms) });
    const ours = fake.armRequests().length - before;
    const minutes = r.elapsedMs / 60_000;

    virtual = 0;
    await ws.createJob('naive', spec('naive'));
    before = fake.armRequests().length;
    for (;;) {
      const job = await ws.getJob('naive');
      if (job && ['Completed', 'Failed', 'Canceled'].includes(job.status)) break;
      virtual += 5_000;
    }
    const naive = fake.armRequests().length - before;

    console.log(`follow: a ${minutes.toFixed(0)}-minute job (2 min queued): tfaml ${ours} ARM requests = ${(ours / minutes).toFixed(2)} per job-minute (target ≤ 4); a 5-second poller ${naive} = ${(naive / minutes).toFixed(2)} per job-minute → tfaml makes ${(ours / naive).toFixed(3)}× the requests`);
  } finally {
    await fake.close();
  }
}
