// tfaml audit of a fake workspace with 500 resources: the time (target < 10 s) and the ARM requests against the pages
// there are to read (target ≤ 1 per page), next to the bare SDK listing the same pages one after another. The fake
// speaks HTTPS with a test CA made here; the child process trusts it through NODE_EXTRA_CA_CERTS.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
const tmp = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'tfaml-bench-audit-'));
try {
  const common = { bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' };
  await build({
    ...common,
    entryPoints: [path.join(ROOT, 'bench/audit/scenario.ts')],
    outfile: path.join(tmp, 'scenario.mjs'),
  });
  await build({
    ...common,
    entryPoints: [path.join(ROOT, 'test/fakes/arm/tls.ts')],
    outfile: path.join(tmp, 'tls.mjs'),
  });
  const { makeTestTls } = await import(path.join(tmp, 'tls.mjs'));
  mkdirSync(path.join(tmp, 'tls'));
  const tls = makeTestTls(path.join(tmp, 'tls'));
  writeFileSync(
    path.join(tmp, 'main.mjs'),
    `import { run } from './scenario.mjs';\nawait run(Number(process.env.BENCH_PAGE_SIZE ?? 20), Number(process.env.BENCH_ROUNDS ?? 5));\n`,
  );
  const r = spawnSync(process.execPath, [path.join(tmp, 'main.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caFile, TFAML_TEST_TLS_DIR: tls.dir },
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
