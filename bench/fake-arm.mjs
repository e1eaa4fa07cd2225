// Runs a benchmark scenario (a TypeScript module under bench/ exporting `run`) against the local fake ARM: bundles it
// and the fake's TLS helper with esbuild, makes a test CA, and runs `run(...args)` in a child process that trusts the
// CA through NODE_EXTRA_CA_CERTS (which Node reads only at start-up). Shared by bench/follow.mjs and bench/audit.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `scenario` is relative to the repository; `args` are JSON values passed to its `run`. Returns the exit code. */
export async function runAgainstFakeArm(name, scenario, args) {
  mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const tmp = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', `tfaml-bench-${name}-`));
  try {
    const common = { bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' };
    await build({ ...common, entryPoints: [path.join(ROOT, scenario)], outfile: path.join(tmp, 'scenario.mjs') });
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
      `import { run } from './scenario.mjs';\nawait run(...${JSON.stringify(args)});\n`,
    );
    const r = spawnSync(process.execPath, [path.join(tmp, 'main.mjs')], {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caFile, TFAML_TEST_TLS_DIR: tls.dir },
    });
    return r.status ?? 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
