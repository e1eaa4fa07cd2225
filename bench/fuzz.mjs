// Spec fuzzer, the long run (issue 11, item 4): BENCH_FUZZ_CASES (default 10,000) mutated tfaml.yml and Azure ML YAML
// files through validate, the same seeded cases test/fuzz/specs.test.ts runs a few hundred of in `npm test`.
// Usage: node bench/fuzz.mjs   (env: BENCH_FUZZ_CASES, BENCH_FUZZ_SEED default 1, BENCH_FUZZ_LIMIT_MS default 2000)
// It bundles test/fuzz/run-case.ts (validate, in process) with esbuild into a temp folder, so it needs no build.
// Cases run in a worker thread; one that runs past 5× the limit is a hang: the worker is ended and a new one started.
// Exits 1 when any case crashed (exit 4, or exit 2 with a problem that names no file and line), hung, or took longer
// than the limit.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CASES = Number(process.env.BENCH_FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.BENCH_FUZZ_SEED ?? 1);
const LIMIT_MS = Number(process.env.BENCH_FUZZ_LIMIT_MS ?? 2000);
const HANG_MS = 5 * LIMIT_MS;

const work = mkdtempSync(path.join(os.tmpdir(), 'tfaml-bench-fuzz-'));
const cleanup = () => rmSync(work, { recursive: true, force: true });
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

// The worker: one copy of examples/ for all its cases; each case writes its files, validates and restores them.
const WORKER = `import { parentPort, workerData } from 'node:worker_threads';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fuzzCase, prepareProject, runCase } from './fuzz.js';
process.env.TFAML_WORKSPACE_CHECKS = 'off';
const dir = mkdtempSync(path.join(workerData.work, 'project-'));
const originals = prepareProject(workerData.examples, dir);
parentPort.on('message', async (index) => {
  const c = fuzzCase(workerData.seed, index, originals);
  const o = await runCase(dir, c, originals);
  parentPort.postMessage({ index, name: c.name, ...o });
});
parentPort.postMessage('ready');
`;

function startWorker() {
  const w = new Worker(path.join(work, 'worker.mjs'), {
    workerData: { work, seed: SEED, examples: path.join(repo, 'examples') },
  });
  return new Promise((resolve, reject) => {
    w.once('message', () => resolve(w));
    w.once('error', reject);
  });
}

/** One case in `w`: its outcome, or `hang` when it does not answer within HANG_MS. */
function runIn(w, index) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ index, hang: true }), HANG_MS);
    const done = (o) => (clearTimeout(timer), w.off('error', fail), resolve(o));
    const fail = (err) => done({ index, exitCode: -1, ms: 0, problem: `the worker died: ${err?.stack ?? err}` });
    w.once('message', done);
    w.once('error', fail);
    w.postMessage(index);
  });
}

try {
  // Split, so what validate imports lazily (the Azure adapter, the other verbs) stays in chunks nobody loads; the
  // hash worker is an entry point of its own, beside the bundle, where src/lock/worker-url.ts looks for it.
  const entry = path.join(work, 'entry.ts');
  const fuzzDir = path.join(repo, 'test/fuzz');
  writeFileSync(
    entry,
    `export * from ${JSON.stringify(path.join(fuzzDir, 'cases.ts'))};\nexport * from ${JSON.stringify(path.join(fuzzDir, 'run-case.ts'))};\n`,
  );
  await build({
    entryPoints: { fuzz: entry, 'hash-worker': path.join(repo, 'src/lock/hash-worker.ts') },
    outdir: work,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Some dependencies are CommonJS and require node built-ins, as in scripts/build.mjs.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  writeFileSync(path.join(work, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(work, 'worker.mjs'), WORKER);

  console.log(`tfaml spec fuzzer — node ${process.version}, ${os.availableParallelism()} cores, seed ${SEED}`);
  console.log(`${CASES} cases, limit ${LIMIT_MS} ms a case (a hang: no answer in ${HANG_MS} ms)`);
  const start = performance.now();
  let w = await startWorker();
  const codes = {};
  const crashes = [];
  const hangs = [];
  const slow = [];
  let slowest = { ms: -1 };
  for (let i = 0; i < CASES; i++) {
    const o = await runIn(w, i);
    if (o.hang) {
      hangs.push(i);
      await w.terminate();
      w = await startWorker();
      continue;
    }
    codes[o.exitCode] = (codes[o.exitCode] ?? 0) + 1;
    if (o.problem) crashes.push(o);
    if (o.ms > LIMIT_MS) slow.push(o);
    if (o.ms > slowest.ms) slowest = o;
    if ((i + 1) % 1000 === 0) console.log(`   … ${i + 1} cases, ${((performance.now() - start) / 1000).toFixed(0)} s`);
  }
  await w.terminate();

  const show = (o) => `case ${o.index} (${o.name}): exit ${o.exitCode}, ${o.ms.toFixed(0)} ms`;
  console.log(`\ncases        : ${CASES} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  console.log(
    `exit codes   : ${Object.entries(codes)
      .map(([c, n]) => `${c}: ${n}`)
      .join(', ')}`,
  );
  console.log(`crashes      : ${crashes.length}`);
  for (const o of crashes.slice(0, 10))
    console.log(`   ${show(o)}\n      ${o.problem.split('\n').slice(0, 4).join('\n      ')}`);
  console.log(`hangs        : ${hangs.length}${hangs.length ? ` (cases ${hangs.slice(0, 20).join(', ')})` : ''}`);
  console.log(`over ${LIMIT_MS} ms : ${slow.length}`);
  for (const o of slow.slice(0, 10)) console.log(`   ${show(o)}`);
  console.log(`slowest      : ${show(slowest)}`);
  console.log(`replay one   : FUZZ_SEED=${SEED} FUZZ_CASE=<index> npx vitest run test/fuzz/specs.test.ts`);
  process.exitCode = crashes.length || hangs.length || slow.length ? 1 : 0;
} finally {
  cleanup();
}
