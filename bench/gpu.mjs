// GPU against the rest, measured (issue 16): on every backend that loads here (tensorflow-gpu, tensorflow, wasm, cpu)
//   1. frozen-feature extraction: the examples' MobileNetV2 feature_vector (graph) over the images, images/s;
//   2. a top-N fine-tune: the layers MobileNetV2 cut at flatten_1 with its top 4 layers trainable (what
//      `fine-tune: top-4` trains), one epoch over the features below them, images/s (wasm has no conv gradients);
// each with its ratio to wasm, and the GPU nvidia-smi names (or "no GPU").
// Usage: node bench/gpu.mjs   (env: BENCH_GPU_IMAGES, default 16; BENCH_GPU_CPU_IMAGES, default 4: cpu is slow)
// Short by design; on a GPU runner raise BENCH_GPU_IMAGES for steadier figures. Bundles src/ with esbuild.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IMAGES = Number(process.env.BENCH_GPU_IMAGES ?? 16);
const CPU_IMAGES = Number(process.env.BENCH_GPU_CPU_IMAGES ?? 4);
const TOP = 4;
const cacheRoot = path.join(repo, 'node_modules', '.cache');
mkdirSync(cacheRoot, { recursive: true });
const quiet = { info() {}, warning() {}, progress() {} };

function gpuName() {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) return 'no GPU (nvidia-smi ' + (r.error ? 'not on PATH' : 'found no device') + ')';
  return r.stdout.trim().split('\n').join('; ');
}

const work = mkdtempSync(path.join(cacheRoot, 'tfaml-bench-gpu-'));
try {
  await build({
    stdin: {
      contents: `
        export { selectBackend, BACKENDS } from './src/train/local/backend.ts';
        export { loadBase } from './src/train/local/base.ts';
        export { buildHead } from './src/train/local/head.ts';
        export { fit } from './src/train/local/fit.ts';
        export { readImage } from './src/train/local/images.ts';
        export { fileLoader } from './src/train/local/tfjs-io.ts';
        export { nsfwjsModel } from './test/fakes/hub-server.ts';`,
      resolveDir: repo,
      loader: 'ts',
    },
    outfile: path.join(work, 'b.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    logLevel: 'warning',
  });
  const t = await import(pathToFileURL(path.join(work, 'b.mjs')).href);
  for (const [which, dir] of [
    ['mobilenet_v2_mid', 'graph'],
    ['mobilenet_v2', 'layers'],
  ]) {
    mkdirSync(path.join(work, dir));
    for (const [name, b] of t.nsfwjsModel(which)) writeFileSync(path.join(work, dir, name), b);
  }
  const src = path.join(repo, 'examples/data/flowers');
  const images = ['daisy', 'tulips'].flatMap((c) =>
    readdirSync(path.join(src, c))
      .sort()
      .map((f) => path.join(src, c, f)),
  );
  const pick = (n) => Array.from({ length: n }, (_, i) => images[i % images.length]);
  const batchOf = (tf, files) =>
    tf.tidy(() =>
      tf.stack(
        files.map((f) => {
          const px = t.readImage(f);
          return tf.image.resizeBilinear(tf.tensor3d(px.rgb, [px.height, px.width, 3], 'int32'), [224, 224]).div(255);
        }),
      ),
    );

  console.log(`GPU: ${gpuName()}`);
  console.log(
    `${IMAGES} images (cpu: ${CPU_IMAGES}) of 64×64 resized to 224×224; fine-tune: top-${TOP} up to flatten_1`,
  );
  const rows = [];
  for (const b of t.BACKENDS) {
    let tf;
    try {
      ({ tf } = await t.selectBackend(b, false));
    } catch (err) {
      rows.push({
        b,
        why: String(err.message ?? err)
          .split('\n')[0]
          .slice(0, 90),
      });
      continue;
    }
    const n = b === 'cpu' ? CPU_IMAGES : IMAGES;
    const files = pick(n);
    // 1. Extraction: decode, resize and the frozen graph base, in batches of 8 after one warm-up batch.
    const graph = await tf.loadGraphModel(t.fileLoader(path.join(work, 'graph')));
    tf.tidy(() => graph.predict(tf.zeros([1, 224, 224, 3])));
    let s = performance.now();
    for (let i = 0; i < n; i += 8) {
      const x = batchOf(tf, files.slice(i, i + 8));
      const y = graph.predict(x);
      await y.data();
      tf.dispose([x, y]);
    }
    const extract = n / ((performance.now() - s) / 1000);
    // 2. Fine-tune top-N: features below the top layers, then one epoch of fit (forward, gradients, Adam) on them.
    let tune;
    if (b === 'wasm') tune = undefined;
    else {
      const job = {
        model: {
          name: 'bench',
          hub: 'bench',
          format: 'layers',
          inputShape: [224, 224, 3],
          featureLayer: 'flatten_1',
          fineTune: { mode: 'top', layers: TOP },
        },
        modelDir: path.join(work, 'layers'),
        train: { target: 'local', epochs: 1, batchSize: 8, learningRate: 0.003, validationSplit: 0.25, seed: 42 },
        checkpoint: path.join(work, `checkpoint-${b}.json`),
        log: quiet,
      };
      await t.selectBackend(b, true);
      const base = await t.loadBase(tf, job);
      const x = batchOf(tf, files);
      const feats = tf.tidy(() => base.extract(x));
      const labels = files.map((f) => (f.includes(`${path.sep}daisy${path.sep}`) ? 0 : 1));
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
      const h = t.buildHead(tf, job, base, feats.shape.slice(1), 2);
      const tensors = { xTrain: feats, yTrain: y, xVal: feats.slice(0, 2), yVal: y.slice(0, 2) };
      s = performance.now();
      await t.fit(tf, job, h, tensors, n, 'bench', { history: [], startEpoch: 0 });
      tune = n / ((performance.now() - s) / 1000);
      tf.dispose([x, feats, y, tensors.xVal, tensors.yVal]);
    }
    rows.push({ b, extract, tune });
  }
  const wasm = rows.find((r) => r.b === 'wasm');
  const ratio = (v, w) => (v && w ? `${(v / w).toFixed(2)}×` : '—');
  const cell = (v) => (v === undefined ? 'n/a'.padStart(8) : v.toFixed(1).padStart(8));
  console.log('backend          extract img/s  vs wasm   fine-tune img/s  vs cpu');
  const cpu = rows.find((r) => r.b === 'cpu');
  for (const r of rows) {
    if (r.why) {
      console.log(`${r.b.padEnd(16)} does not load here (${r.why})`);
      continue;
    }
    console.log(
      `${r.b.padEnd(16)} ${cell(r.extract)}      ${ratio(r.extract, wasm?.extract).padStart(7)}   ${r.tune === undefined ? '     n/a (no conv gradients)' : `${cell(r.tune)}         ${ratio(r.tune, cpu?.tune).padStart(7)}`}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
