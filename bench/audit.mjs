// tfaml audit of a fake workspace with 500 resources: the time (target < 10 s) and the ARM requests against the pages
// there are to read (target ≤ 1 per page), next to the bare SDK listing the same pages one after another. The fake
// speaks HTTPS with a test CA made here; the child process trusts it through NODE_EXTRA_CA_CERTS.
import { runAgainstFakeArm } from './fake-arm.mjs';

process.exitCode = await runAgainstFakeArm('audit', 'bench/audit/scenario.ts', [
  Number(process.env.BENCH_PAGE_SIZE ?? 20),
  Number(process.env.BENCH_ROUNDS ?? 5),
]);
