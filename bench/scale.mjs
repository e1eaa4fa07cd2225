// Benchmark of validate's scaling with the number of assets (issue 11, item 8): a tfaml.yml naming BENCH_ASSETS
// (default 1000) assets against one naming 10, validated side by side (alternating runs, medians). Target: the large
// project takes under 5× the time of the small one.
// Usage: node bench/scale.mjs   (env: BENCH_ASSETS, default 1000; BENCH_SMALL, default 10; BENCH_RUNS, default 5)
// It bundles src/entries/cli.ts with esbuild into a temp folder (as scripts/build.mjs does, without minifying), so it needs no
// build, and runs it as a fresh `node` process per validate, as a user would.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LARGE = Number(process.env.BENCH_ASSETS ?? 1000);
const SMALL = Number(process.env.BENCH_SMALL ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const work = mkdtempSync(path.join(os.tmpdir(), 'tfaml-bench-scale-'));
const cleanup = () => rmSync(work, { recursive: true, force: true });
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

const DIGEST = 'sha256:' + '3f0e6c4a'.repeat(8);

/**
 * A project of `n` assets: one endpoint, and environments, data, compute and jobs in turn (each job names an
 * environment, a data asset and a compute of the project, so references are resolved too). Every file is well
 * formed: what is timed is reading and checking, not reporting errors.
 */
function project(n) {
  const dir = path.join(work, `project-${n}`);
  const lists = { environments: [], data: [], compute: [], jobs: [] };
  const file = (rel, text) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  const write = {
    environments: (i) =>
      `name: env-${i}\nversion: "1"\nimage: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240415.v1@${DIGEST}\n`,
    data: (i) =>
      `name: data-${i}\nversion: "1"\ntype: uri_folder\npath: azureml://datastores/workspaceblobstore/paths/d${i}/\n`,
    compute: (i) =>
      `name: cluster-${i}\ntype: amlcompute\nsize: Standard_DS3_v2\nmin_instances: 0\nmax_instances: 2\nidle_time_before_scale_down: 600\ntier: dedicated\n`,
    jobs: (i) =>
      `command: python train.py\nenvironment: azureml:env-${i}:1\ncompute: azureml:cluster-${i}\ninputs:\n  data:\n    type: uri_folder\n    path: azureml:data-${i}:1\nresources:\n  instance_count: 1\nlimits:\n  timeout: 3600\n`,
  };
  // n - 1 assets in turn (so job i's environment, data and compute i exist), and one endpoint.
  const kinds = Object.keys(lists);
  for (let k = 0; k < n - 1; k++) {
    const kind = kinds[k % 4];
    const i = Math.floor(k / 4);
    const rel = `azureml/${kind}/${kind}-${i}.yml`;
    file(rel, write[kind](i));
    lists[kind].push(rel);
  }
  file(
    'azureml/endpoints/blue.yml',
    'name: blue\nendpoint_name: e\nmodel: azureml:m:1\nenvironment: azureml:env-0:1\ninstance_type: Standard_DS3_v2\ninstance_count: 1\n',
  );
  const stage = (key) => (key === 'compute' ? '' : '    stage: production\n');
  const section = (key) => `${key}:\n${lists[key].map((p) => `  - path: ${p}\n${stage(key)}`).join('')}`;
  file(
    'tfaml.yml',
    `version: 1\nproject: scale-${n}\nowners: ["@acme/ml"]\n${kinds
      .filter((k) => lists[k].length)
      .map(section)
      .join('')}endpoints:\n  - path: azureml/endpoints/blue.yml\n`,
  );
  return { dir, assets: n };
}

/** One validate of `dir` in a fresh node process: wall ms and exit code (0 or 1 are both a finished validate). */
function validate(dir) {
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [path.join(work, 'cli.js'), 'validate', '--config', path.join(dir, 'tfaml.yml'), '--format', 'json'],
    { encoding: 'utf8', env: { ...process.env, TFAML_WORKSPACE_CHECKS: 'off', NO_COLOR: '1' } },
  );
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`validate exited ${r.status}:\n${r.stderr}`);
  const report = JSON.parse(r.stdout);
  return { ms, code: r.status, findings: report.findings.length };
}

function bare() {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 0) => x.toFixed(d);

try {
  await build({
    entryPoints: {
      cli: path.join(repo, 'src/entries/cli.ts'),
      'hash-worker': path.join(repo, 'src/lock/hash-worker.ts'),
    },
    outdir: work,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    // Some CommonJS dependencies call require(), as in scripts/build.mjs.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  writeFileSync(path.join(work, 'package.json'), '{ "type": "module" }\n');

  console.log(
    `tfaml scale bench — node ${process.version}, ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? '?'}`,
  );
  const small = project(SMALL);
  const large = project(LARGE);
  validate(small.dir); // warm the page cache for both
  const first = validate(large.dir);
  const times = { small: [], large: [], bare: [] };
  for (let r = 0; r < RUNS; r++) {
    times.small.push(validate(small.dir).ms);
    times.large.push(validate(large.dir).ms);
    times.bare.push(bare());
  }
  const [s, l, b] = [median(times.small), median(times.large), median(times.bare)];
  console.log(`\nvalidate, ${RUNS} alternating runs each, medians (a fresh node process each)`);
  console.log(
    `   ${String(small.assets).padStart(5)} assets : ${fmt(s)} ms  (${times.small.map((x) => fmt(x)).join(' / ')})`,
  );
  console.log(
    `   ${String(large.assets).padStart(5)} assets : ${fmt(l)} ms  (${times.large.map((x) => fmt(x)).join(' / ')}; exit ${first.code}, ${first.findings} findings)`,
  );
  console.log(`   bare node    : ${fmt(b)} ms`);
  console.log(`   ratio        : ${fmt(l / s, 2)}  (target < 5)`);
  console.log(`   ratio without node's start-up: ${fmt((l - b) / (s - b), 2)}`);
  process.exitCode = l / s < 5 ? 0 : 1;
} finally {
  cleanup();
}
