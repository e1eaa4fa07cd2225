// Benchmark of the local trainer's latency measurement (src/train/local/export.ts measureLatency): how far apart
// repeated measurements of the same model land, the way two identical trainings measure it. Side by side in one
// run, alternated: the former measurement (2 warm-up runs, then one round of up to 20 runs within ~3 s, nearest-rank
// p95) and the current one (3 warm-up runs, 7 rounds, the median of the rounds' p95 with its IQR).
// Prints, for each, the p95 of every repetition, their range (max − min) and the ratio of the ranges, and for the
// current one whether each repetition's p95 is within the measured spread of the first one's.
// Usage: node bench/latency.mjs   (env: BENCH_REPEATS, default 6; BENCH_BACKEND, default wasm)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 6);
const BACKEND = process.env.BENCH_BACKEND ?? 'wasm';

const cacheRoot = path.join(repo, 'node_modules', '.cache');
mkdirSync(cacheRoot, { recursive: true });
const work = mkdtempSync(path.join(cacheRoot, 'bench-latency-'));

try {
  await build({
    stdin: {
      contents: `
        export { measureLatency } from './src/train/local/export.ts';
        export { percentile } from './src/train/local/metrics.ts';
        export { selectBackend } from './src/train/local/backend.ts';
        export { fileLoader } from './src/train/local/tfjs-io.ts';
        export { nsfwjsModel } from './test/fakes/hub-server.ts';`,
      resolveDir: repo,
      loader: 'ts',
    },
    outfile: path.join(work, 'latency.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    logLevel: 'warning',
  });
  const t = await import(pathToFileURL(path.join(work, 'latency.mjs')).href);
  const modelDir = path.join(work, 'model');
  mkdirSync(modelDir, { recursive: true });
  for (const [name, b] of t.nsfwjsModel('mobilenet_v2_mid')) writeFileSync(path.join(modelDir, name), b);
  const { tf, name } = await t.selectBackend(BACKEND, false);
  const graph = await tf.loadGraphModel(t.fileLoader(modelDir));
  const base = { inputShape: [224, 224, 3] };
  const predict = (x) => graph.predict(x);

  // The measurement as it was before issue 15, item 6 (kept here only to compare).
  async function former() {
    const samples = [];
    const img = tf.randomUniform([1, ...base.inputShape]);
    for (let i = 0; i < 2; i++) tf.tidy(() => predict(img)).dispose();
    const budget = Date.now() + 3000;
    while (samples.length < 20 && (samples.length < 5 || Date.now() < budget)) {
      const s = performance.now();
      const y = tf.tidy(() => predict(img));
      await y.data();
      samples.push(performance.now() - s);
      y.dispose();
    }
    img.dispose();
    return { p95: t.percentile(samples, 95) };
  }

  const old = [];
  const now = [];
  for (let r = 0; r < REPEATS; r++) {
    old.push(await former());
    now.push(await t.measureLatency(tf, base, predict));
  }
  const f = (n) => n.toFixed(1);
  const range = (xs) => Math.max(...xs) - Math.min(...xs);
  const oldP95 = old.map((m) => m.p95);
  const nowP95 = now.map((m) => m.p95);
  console.log(`backend ${name}, MobileNetV2 1.4 feature_vector (graph), 224×224, ${REPEATS} repetitions alternated`);
  console.log(`former  p95 ms: ${oldP95.map(f).join(', ')}  range ${f(range(oldP95))}`);
  console.log(
    `current p95 ms: ${nowP95.map(f).join(', ')}  range ${f(range(nowP95))}  (IQR ${now.map((m) => f(m.p95Iqr)).join(', ')}; ${now[0].rounds} rounds of ${now.map((m) => m.samplesPerRound).join('/')})`,
  );
  console.log(`range current/former: ${(range(nowP95) / range(oldP95)).toFixed(2)} (lower is steadier)`);
  const first = now[0];
  const within = now
    .slice(1)
    .filter((m) => Math.abs(m.p95 - first.p95) <= Math.max(m.p95Iqr, first.p95Iqr) + 1e-9).length;
  console.log(`current repetitions within the measured spread of the first: ${within}/${REPEATS - 1}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
