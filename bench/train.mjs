// Benchmark of local training (src/train), measured side by side in one run on the same images:
//   1. frozen training for 10 epochs with the feature cache (extraction once + 10 head epochs) vs one forward pass
//      of the base over the data, and the same ratio for a naive loop that runs the base every epoch;
//   2. feature extraction images/s for each backend present (cpu on a few images: it is slow);
//   3. peak RSS of extraction at N and 4N images (each in a fresh process): it should stay flat.
// Usage: node bench/train.mjs   (env: BENCH_IMAGES, default 48; BENCH_EPOCHS, default 10; BENCH_CPU_IMAGES, default 6)
// It bundles the sources with esbuild (no build needed) and serves the model through the local hub's files.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IMAGES = Number(process.env.BENCH_IMAGES ?? 48);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 10);
const CPU_IMAGES = Number(process.env.BENCH_CPU_IMAGES ?? 6);
const [, , mode, ...args] = process.argv;

// Bundled inside the repository so that it resolves node_modules (nsfwjs, tfjs).
const cacheRoot = path.join(repo, 'node_modules', '.cache');
mkdirSync(cacheRoot, { recursive: true });

async function bundle(work) {
  const entry = `
    export { runTraining } from './src/train/local/trainer.ts';
    export { computeFeatures } from './src/train/local/features.ts';
    export { selectBackend, BACKENDS } from './src/train/local/backend.ts';
    export { readImage } from './src/train/local/images.ts';
    export { fileLoader } from './src/train/local/tfjs-io.ts';
    export { nsfwjsModel } from './test/fakes/hub-server.ts';`;
  await build({
    stdin: { contents: entry, resolveDir: repo, loader: 'ts' },
    outfile: path.join(work, 'train.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    logLevel: 'warning',
  });
  return import(pathToFileURL(path.join(work, 'train.mjs')).href);
}

/** n images in two classes, cycling through the example PNGs. */
function makeData(dir, n) {
  const src = path.join(repo, 'examples/data/flowers');
  for (const c of ['daisy', 'tulips']) {
    mkdirSync(path.join(dir, c), { recursive: true });
    const files = readdirSync(path.join(src, c)).sort();
    for (let i = 0; i < n / 2; i++)
      copyFileSync(
        path.join(src, c, files[i % files.length]),
        path.join(dir, c, `${c}-${String(i).padStart(5, '0')}.png`),
      );
  }
  return ['daisy', 'tulips'].flatMap((c) =>
    readdirSync(path.join(dir, c))
      .sort()
      .map((f) => `${c}/${f}`),
  );
}

function writeModel(t, dir) {
  mkdirSync(dir, { recursive: true });
  for (const [name, b] of t.nsfwjsModel('mobilenet_v2_mid')) writeFileSync(path.join(dir, name), b);
}

const quiet = { info() {}, warning() {}, progress() {} };
const KEY = (cut) => ({
  modelHash: 'bench',
  dataHash: `bench-${Math.random()}`,
  preprocessing: { size: [224, 224], scale: '0..1', resize: 'bilinear' },
  cut,
});

async function extractOnce(t, tf, graph, dataDir, files, cacheDir) {
  const s = performance.now();
  const f = await t.computeFeatures({
    tf,
    key: KEY('output'),
    cacheDir,
    dataDir,
    files,
    batchSize: 16,
    extract: (x) => graph.predict(x),
    log: quiet,
  });
  return { seconds: (performance.now() - s) / 1000, f };
}

if (mode === '--child-rss') {
  // Extraction only, in a fresh process: print peak RSS.
  const [n] = args.map(Number);
  const work = mkdtempSync(path.join(cacheRoot, 'tfaml-bench-train-'));
  try {
    const t = await bundle(work);
    const { tf } = await t.selectBackend('wasm', false);
    writeModel(t, path.join(work, 'model'));
    const graph = await tf.loadGraphModel(t.fileLoader(path.join(work, 'model')));
    const files = makeData(path.join(work, 'data'), n);
    await extractOnce(t, tf, graph, path.join(work, 'data'), files, path.join(work, 'features'));
    process.stdout.write(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

const work = mkdtempSync(path.join(cacheRoot, 'tfaml-bench-train-'));
try {
  const t = await bundle(work);
  const { tf, name } = await t.selectBackend('auto', false);
  const modelDir = path.join(work, 'model');
  writeModel(t, modelDir);
  const dataDir = path.join(work, 'data');
  const files = makeData(dataDir, IMAGES);
  const graph = await tf.loadGraphModel(t.fileLoader(modelDir));
  tf.tidy(() => graph.predict(tf.zeros([1, 224, 224, 3]))); // warm-up, not measured
  console.log(
    `backend ${name}, ${IMAGES} images of 64×64 resized to 224×224, MobileNetV2 1.4 feature_vector (graph), ${EPOCHS} epochs`,
  );

  // 1a. One forward pass of the base over the data (decode + resize + predict, batches of 16).
  const fwd = await extractOnce(t, tf, graph, dataDir, files, path.join(work, 'fwd'));

  // 1b. Ours: runTraining, frozen, empty feature cache: extraction once + EPOCHS head epochs.
  const job = {
    model: { name: 'bench', hub: 'bench', format: 'graph', inputShape: [224, 224, 3], fineTune: { mode: 'none' } },
    train: { target: 'local', epochs: EPOCHS, batchSize: 16, learningRate: 0.003, validationSplit: 0.25, seed: 42 },
    modelDir,
    modelHash: 'sha256:bench',
    dataDir,
    dataDisplay: 'data',
    dataHash: `sha256:bench-${Date.now()}`,
    backend: name,
    featureCacheDir: path.join(work, 'features'),
    checkpoint: path.join(work, 'checkpoint.json'),
    resume: false,
    outDir: path.join(work, 'out'),
    log: quiet,
  };
  const o = await t.runTraining(job);
  const oursSeconds = o.timings.extractSeconds + o.timings.trainSeconds;

  // 1c. Naive: the base runs on every batch of every epoch (decode + resize + forward + head step).
  const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1792], units: 2, activation: 'softmax' })] });
  head.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy' });
  const labels = files.map((f) => (f.startsWith('daisy') ? 0 : 1));
  const s = performance.now();
  for (let e = 0; e < EPOCHS; e++) {
    for (let i = 0; i < files.length; i += 16) {
      const batch = files.slice(i, i + 16);
      const x = tf.tidy(() =>
        graph.predict(
          tf.stack(
            batch.map((f) => {
              const px = t.readImage(path.join(dataDir, f));
              return tf.image
                .resizeBilinear(tf.tensor3d(px.rgb, [px.height, px.width, 3], 'int32'), [224, 224])
                .div(255);
            }),
          ),
        ),
      );
      const y = tf.oneHot(tf.tensor1d(labels.slice(i, i + 16), 'int32'), 2);
      await head.trainOnBatch(x, y);
      tf.dispose([x, y]);
    }
  }
  const naiveSeconds = (performance.now() - s) / 1000;
  console.log(
    `one forward pass:                   ${fwd.seconds.toFixed(2)} s (${(IMAGES / fwd.seconds).toFixed(1)} images/s)`,
  );
  console.log(
    `ours, ${EPOCHS} frozen epochs, cached:    ${oursSeconds.toFixed(2)} s (extract ${o.timings.extractSeconds.toFixed(2)} + train ${o.timings.trainSeconds.toFixed(2)}) → ${(oursSeconds / fwd.seconds).toFixed(2)}× a forward pass (target ≤ 1.2×)`,
  );
  console.log(
    `naive, base every epoch:            ${naiveSeconds.toFixed(2)} s → ${(naiveSeconds / fwd.seconds).toFixed(2)}× a forward pass`,
  );

  // 2. Extraction images/s per backend present.
  for (const b of t.BACKENDS) {
    try {
      const c = await t.selectBackend(b, false);
      const g = await c.tf.loadGraphModel(t.fileLoader(modelDir));
      const some = b === 'cpu' ? files.slice(0, CPU_IMAGES) : files;
      c.tf.tidy(() => g.predict(c.tf.zeros([1, 224, 224, 3])));
      const r = await extractOnce(t, c.tf, g, dataDir, some, path.join(work, `ex-${b}`));
      console.log(
        `extraction on ${b.padEnd(14)} ${(some.length / r.seconds).toFixed(1)} images/s (${some.length} images)`,
      );
    } catch (err) {
      console.log(
        `extraction on ${b.padEnd(14)} not available (${String(err.message ?? err)
          .split('\n')[0]
          .slice(0, 100)})`,
      );
    }
  }

  // 3. Peak RSS, each in a fresh process.
  for (const n of [IMAGES, IMAGES * 4]) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child-rss', String(n)], {
      encoding: 'utf8',
    });
    const { maxRssMiB } = JSON.parse(r.stdout);
    console.log(`peak RSS, extraction of ${String(n).padStart(4)} images: ${maxRssMiB.toFixed(0)} MiB`);
  }
  console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
