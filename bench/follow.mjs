// How many ARM requests following an Azure ML job costs: tfaml's follower vs a naive 5-second poller, side by side
// on the same 30-minute job of the local fake ARM (virtual clock, so it takes seconds). Target ≤ 4 per job-minute.
// The fake speaks HTTPS with a test CA made here; the child process trusts it through NODE_EXTRA_CA_CERTS.
import { runAgainstFakeArm } from './fake-arm.mjs';

process.exitCode = await runAgainstFakeArm('follow', 'bench/follow/scenario.ts', [
  Number(process.env.BENCH_JOB_MINUTES ?? 30),
]);
