// Benchmark of the data content hash (src/lock/hash.ts), measured side by side in one run:
//   1. cold hashing throughput vs two `openssl dgst -sha256` processes over halves of the files, and peak RSS;
//   2. warm re-hash (stat cache) of a tree of many small files vs a bare directory walk, and peak RSS;
//   3. one large file (BENCH_BIG_GB, default 4: sparse, so it costs no disk) and peak RSS, which must stay flat.
// Usage: node bench/hash.mjs   (env: BENCH_SIZE_MB, default 1024; BENCH_TREE_FILES, default 100000; BENCH_BIG_GB)
// It bundles src/lock/hash.ts and its worker with esbuild into a temp folder, so it needs no prior build.
import { Buffer } from 'node:buffer';
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZE_MB = Number(process.env.BENCH_SIZE_MB ?? 1024);
const TREE_FILES = Number(process.env.BENCH_TREE_FILES ?? 100_000);
const BIG_GB = Number(process.env.BENCH_BIG_GB ?? 4);
const FILE_MB = 4;
const ROUNDS = 3;
const MiB = 1024 * 1024;

const work = mkdtempSync(path.join(os.tmpdir(), 'tfaml-bench-hash-'));
const cleanup = () => rmSync(work, { recursive: true, force: true });
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

/** Runs a command, resolving with its stdout and wall time in ms. */
function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ out, ms: performance.now() - start });
      else reject(new Error(`${cmd} exited with ${code}`));
    });
  });
}

/** Runs our hashFolder in a fresh node process (as the CLI would), returning what the child measured. */
async function ours(dir, opts) {
  const { out, ms } = await run(process.execPath, [path.join(work, 'runner.mjs'), dir, JSON.stringify(opts)]);
  return { ...JSON.parse(out), wallMs: ms };
}

const mbps = (bytes, ms) => bytes / MiB / (ms / 1000);
const fmt = (x, d = 0) => x.toFixed(d);

try {
  // The worker is an entry point of its own, beside hash.js, where src/lock/worker-url.ts looks for it.
  await build({
    entryPoints: {
      hash: path.join(repo, 'src/lock/hash.ts'),
      'hash-worker': path.join(repo, 'src/lock/hash-worker.ts'),
    },
    outdir: work,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  writeFileSync(path.join(work, 'package.json'), '{ "type": "module" }\n'); // the bundle's .js files are ES modules
  writeFileSync(
    path.join(work, 'runner.mjs'),
    `import { hashFolder } from './hash.js';
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
const [dir, optsJson] = process.argv.slice(2);
const opts = JSON.parse(optsJson);
const result = { walkMs: [] };
const walk = () => {
  const t = performance.now();
  let n = 0;
  for (const rel of readdirSync(dir, { recursive: true })) if (lstatSync(path.join(dir, rel)).isFile()) n++;
  result.walkMs.push(performance.now() - t);
  result.walkFiles = n;
};
if (opts.walk) walk();
const t = performance.now();
Object.assign(result, await hashFolder(dir, 'bench', opts));
result.ms = performance.now() - t;
if (opts.walk) walk();
result.maxRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify(result));
`,
  );

  console.log(
    `tfaml hash bench — node ${process.version}, ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? '?'}`,
  );
  console.log(`openssl: ${execFileSync('openssl', ['version']).toString().trim()}`);

  // 1. Throughput, cold (no stat cache), page cache warm for both.
  const data = path.join(work, 'data');
  const count = Math.max(2, Math.round(SIZE_MB / FILE_MB));
  const files = [];
  for (let i = 0; i < count; i++) {
    const dir = path.join(data, `part-${String(i % 16).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `shard-${String(i).padStart(4, '0')}.bin`);
    writeFileSync(file, randomBytes(FILE_MB * MiB));
    files.push(file);
  }
  const totalBytes = count * FILE_MB * MiB;
  for (const f of files) readFileSync(f); // warm the page cache once, for both contestants
  console.log(`\n1. cold hash of ${count} files × ${FILE_MB} MiB = ${fmt(totalBytes / MiB)} MiB (page cache warm)`);

  const half = Math.ceil(files.length / 2);
  const sslRuns = [];
  const ourRuns = [];
  let sslOut = '';
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    const parts = await Promise.all([
      run('openssl', ['dgst', '-sha256', '-r', ...files.slice(0, half)]),
      run('openssl', ['dgst', '-sha256', '-r', ...files.slice(half)]),
    ]);
    sslRuns.push(performance.now() - t);
    sslOut = parts.map((p) => p.out).join('');
    ourRuns.push(await ours(data, {}));
  }
  // Cross-check: the folder hash rebuilt from openssl's per-file digests must equal ours.
  const digests = new Map(
    sslOut
      .trim()
      .split('\n')
      .map((line) => {
        const [hex, file] = line.split(' *');
        return [path.relative(data, file).split(path.sep).join('/'), hex];
      }),
  );
  const folder = createHash('sha256');
  for (const rel of [...digests.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
    folder.update(`${rel}\u0000${FILE_MB * MiB}\u0000${digests.get(rel)}\n`);
  }
  const agree = `sha256:${folder.digest('hex')}` === ourRuns[0].hash;

  const sslBest = Math.min(...sslRuns);
  const ourBest = ourRuns.reduce((a, b) => (b.ms < a.ms ? b : a));
  const peakRss = Math.max(...ourRuns.map((r) => r.maxRssMiB));
  console.log(
    `   openssl dgst ×2 processes : ${sslRuns.map((ms) => fmt(mbps(totalBytes, ms))).join(' / ')} MiB/s (best ${fmt(mbps(totalBytes, sslBest))})`,
  );
  console.log(
    `   tfaml hashFolder          : ${ourRuns.map((r) => fmt(mbps(totalBytes, r.ms))).join(' / ')} MiB/s (best ${fmt(mbps(totalBytes, ourBest.ms))}; ` +
      `incl. node start-up ${fmt(mbps(totalBytes, Math.min(...ourRuns.map((r) => r.wallMs))))})`,
  );
  console.log(
    `   ratio ours/openssl        : ${fmt(sslBest / ourBest.ms, 2)}  (target ≥ 0.9; incl. start-up ${fmt(sslBest / Math.min(...ourRuns.map((r) => r.wallMs)), 2)})`,
  );
  console.log(`   peak RSS (child maxRSS)   : ${fmt(peakRss, 1)} MiB  (target < 150)`);
  console.log(`   same hash as openssl's digests: ${agree ? 'yes' : 'NO'}`);
  rmSync(data, { recursive: true, force: true });

  // 2. Warm re-hash of many small files.
  const tree = path.join(work, 'tree');
  const folders = Math.max(1, Math.round(TREE_FILES / 100));
  const payload = Buffer.alloc(64);
  for (let d = 0; d < folders; d++) {
    const dir = path.join(tree, `d${String(d).padStart(4, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < TREE_FILES / folders; f++) {
      payload.writeUInt32LE(d, 0);
      payload.writeUInt32LE(f, 4);
      writeFileSync(path.join(dir, `f${String(f).padStart(3, '0')}.txt`), payload);
    }
  }
  // Files changed in the last 2 s are deliberately not cached (racy stat); let the new tree settle.
  await sleep(2100);
  const cacheDir = path.join(work, 'cache');
  const cold = await ours(tree, { cacheDir });
  const warm = await ours(tree, { cacheDir, walk: true });
  if (warm.hash !== cold.hash) throw new Error('warm and cold hashes differ');
  const walkBest = Math.min(...warm.walkMs);
  console.log(`\n2. re-hash of ${warm.files} files of 64 bytes in ${folders} folders`);
  console.log(`   cold (fills the cache)    : ${fmt(cold.ms)} ms`);
  console.log(
    `   warm (${warm.cachedFiles} from cache)  : ${fmt(warm.ms)} ms  (target < 1000; fresh process, incl. cache load)`,
  );
  console.log(`   bare walk (readdir+lstat) : ${fmt(walkBest)} ms  (${warm.walkMs.map((ms) => fmt(ms)).join(' / ')})`);
  console.log(`   ratio warm/bare walk      : ${fmt(warm.ms / walkBest, 2)}`);
  console.log(
    `   cache file                : ${fmt(readdirSync(cacheDir).reduce((n, f) => n + lstatSync(path.join(cacheDir, f)).size, 0) / MiB, 1)} MiB`,
  );
  console.log(
    `   peak RSS (child maxRSS)   : cold ${fmt(cold.maxRssMiB, 1)} MiB, warm ${fmt(warm.maxRssMiB, 1)} MiB  (target < 150)`,
  );
  rmSync(tree, { recursive: true, force: true });

  // 3. One large file. Sparse (ftruncate, as `truncate -s` does): reading it yields zeros, so the hash reads every
  // byte without the disk holding them. Its digest is cross-checked against openssl's.
  const big = path.join(work, 'big');
  mkdirSync(big);
  const bigBytes = Math.round(BIG_GB * 1024) * MiB;
  const fd = openSync(path.join(big, 'weights.bin'), 'w');
  ftruncateSync(fd, bigBytes);
  closeSync(fd);
  const one = await ours(big, {});
  const ssl = await run('openssl', ['dgst', '-sha256', '-r', path.join(big, 'weights.bin')]);
  const oneFolder = createHash('sha256')
    .update(`weights.bin\u0000${bigBytes}\u0000${ssl.out.split(' ')[0]}\n`)
    .digest('hex');
  console.log(`\n3. one sparse file of ${fmt(bigBytes / 1024 / MiB, 2)} GiB`);
  console.log(`   tfaml hashFolder          : ${fmt(one.ms)} ms, ${fmt(mbps(bigBytes, one.ms))} MiB/s`);
  console.log(`   openssl dgst (1 process)  : ${fmt(ssl.ms)} ms, ${fmt(mbps(bigBytes, ssl.ms))} MiB/s`);
  console.log(`   peak RSS (child maxRSS)   : ${fmt(one.maxRssMiB, 1)} MiB  (target < 150)`);
  console.log(`   same hash as openssl's digest: ${`sha256:${oneFolder}` === one.hash ? 'yes' : 'NO'}`);
} finally {
  cleanup();
}
