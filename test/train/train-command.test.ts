/**
 * `train` end to end in-process: the example project, the real MobileNetV2 from the local hub server, the wasm
 * backend (cpu for top-N), the local experiment registry. Features are extracted once and the cache is seeded
 * into later projects, so most tests only train the head.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrainSettings, train } from '../../src/commands/train.js';
import { localRegistries } from '../../src/adapters/local/registry.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { TAGS } from '../../src/core/tags.js';
import { fileLoader } from '../../src/train/local/tfjs-io.js';
import { HANDLES, startStandardHub, type HubServer } from '../fakes/hub-server.js';
import { capture, copyExample, inputs, patch, tempDir } from '../helpers/project.js';

let hub: HubServer;
const saved = {
  hub: process.env.TFAML_HUB_URL,
  cache: process.env.TFAML_CACHE_DIR,
  backend: process.env.TFAML_BACKEND,
};
let seededFeatures: string | undefined;

beforeAll(async () => {
  hub = await startStandardHub();
  process.env.TFAML_HUB_URL = hub.url;
  process.env.TFAML_CACHE_DIR = tempDir('tfaml-cache-');
  delete process.env.TFAML_BACKEND;
});
afterAll(async () => {
  await hub.close();
  for (const [k, v] of [
    ['TFAML_HUB_URL', saved.hub],
    ['TFAML_CACHE_DIR', saved.cache],
    ['TFAML_BACKEND', saved.backend],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** A copy of examples/, with the features of the first run seeded into its cache. */
function project(): string {
  const dir = copyExample();
  if (seededFeatures) cpSync(seededFeatures, path.join(dir, '.tfaml/cache/features'), { recursive: true });
  return dir;
}

async function run(dir: string, extra: Record<string, string> = {}) {
  const out = capture('action');
  const code = await train(inputs({ config: path.join(dir, 'tfaml.yml'), ...extra }), out);
  return { code, out, logs: out.logs.join('\n') };
}

/** Drop the data hash from tfaml.lock, for tests that change the data on purpose. */
function unlockData(dir: string) {
  const lock = JSON.parse(readFileSync(path.join(dir, 'tfaml.lock'), 'utf8'));
  for (const d of Object.values(lock.data) as { hash?: string }[]) delete d.hash;
  writeFileSync(path.join(dir, 'tfaml.lock'), JSON.stringify(lock, null, 2));
}

const registered = async (dir: string) => localRegistries(dir).experiment.list('flowers-classifier');

describe('train (frozen graph feature_vector, wasm)', () => {
  let dir: string;
  let first: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    dir = project();
    first = await run(dir, { out: path.join(dir, 'out1') });
    seededFeatures = path.join(dir, '.tfaml/cache/features');
  }, 120_000);

  it('trains, writes model + metrics.json + run.json, registers version 1 with every tag, sets the outputs', async () => {
    expect(first.code).toBe(0);
    const out = path.join(dir, 'out1');
    expect(readdirSync(out).sort()).toEqual(['base', 'metrics.json', 'model', 'run.json']);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(Object.keys(metrics).sort()).toEqual(
      [
        'accuracy',
        'backend',
        'confusion_matrix',
        'history',
        'latency',
        'latency_p50_ms',
        'latency_p95_ms',
        'latency_p50_iqr_ms',
        'latency_p95_iqr_ms',
        'loss',
        'macro_f1',
        'model_bytes',
        'per_class',
      ].sort(),
    );
    expect(Object.keys(metrics.per_class)).toEqual(['daisy', 'tulips']);
    expect(metrics.per_class.daisy).toEqual({
      precision: expect.any(Number),
      recall: expect.any(Number),
      f1: expect.any(Number),
      support: 3,
    });
    expect(
      metrics.confusion_matrix.rows_actual_columns_predicted.flat().reduce((a: number, b: number) => a + b, 0),
    ).toBe(6);
    expect(metrics.history).toHaveLength(5);
    // The latency is stated with its spread; consistent, never timed (a busy machine may run slow).
    expect(metrics.latency_p95_ms).toBeGreaterThanOrEqual(metrics.latency_p50_ms);
    expect(metrics.latency_p50_ms).toBeGreaterThan(0);
    expect(metrics.latency_p50_iqr_ms).toBeGreaterThanOrEqual(0);
    expect(metrics.latency_p95_iqr_ms).toBeGreaterThanOrEqual(0);
    expect(metrics.latency).toEqual({ rounds: 7, samples_per_round: expect.any(Number) });
    expect(metrics.latency.samples_per_round).toBeGreaterThanOrEqual(1);
    expect(metrics.latency.samples_per_round).toBeLessThanOrEqual(20);
    expect(metrics.model_bytes).toBeGreaterThan(4_000_000);
    const runJson = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8'));
    expect(runJson).toMatchObject({
      environment: 'tf-gpu:3',
      data: { name: 'flowers', version: '1', hash: expect.stringMatching(/^sha256:/) },
      hub: { handle: `https://tfhub.dev${HANDLES.graph}`, hash: expect.stringMatching(/^sha256:/) },
      hyperparameters: { epochs: 5, batchSize: 16, learningRate: 0.003, seed: 42, fineTune: 'none' },
      backend: 'wasm',
      seed: 42,
      classes: ['daisy', 'tulips'],
      examples: { train: 18, validation: 6, skipped: [] },
      config: { file: 'tfaml.yml', hash: expect.stringMatching(/^sha256:/) },
    });
    expect(runJson.gitSha).toEqual(expect.any(String));
    expect(runJson.timings.totalSeconds).toBeGreaterThan(0);

    const versions = await registered(dir);
    expect(versions.map((v) => v.version)).toEqual(['1']);
    for (const key of [
      TAGS.gitSha,
      TAGS.configHash,
      TAGS.environment,
      TAGS.data,
      TAGS.dataHash,
      TAGS.hub,
      TAGS.hubHash,
      TAGS.runId,
      TAGS.backend,
      TAGS.inputShape,
      TAGS.classes,
      TAGS.durationSeconds,
      TAGS.target,
    ]) {
      expect(versions[0]!.tags[key], key).toBeTruthy();
    }
    expect(versions[0]!.tags[TAGS.classes]).toBe('["daisy","tulips"]');
    expect(versions[0]!.metrics.accuracy).toBe(metrics.accuracy);
    expect(first.out.outputs['model-version']).toBe('1');
    expect(JSON.parse(first.out.outputs['metrics-json']!).accuracy).toBe(metrics.accuracy);
    expect(first.out.summaries[0]).toContain('```mermaid\nxychart-beta');
  });

  it('logs the backend, images/s of extraction and one line per epoch with loss, accuracy and ETA', () => {
    expect(first.logs).toMatch(/^backend: wasm/m);
    expect(first.logs).toMatch(/^features: 24 images in [\d.]+ s, [\d.]+ images\/s on wasm$/m);
    expect(
      first.logs.match(/^epoch [1-5]\/5 {2}loss \d\.\d{4} {2}acc \d\.\d{3} {2}val_loss .* ETA \d+s$/gm),
    ).toHaveLength(5);
  });

  it('the saved model loads through the file loader and classifies an example image', async () => {
    const tf = await import('@tensorflow/tfjs');
    const base = await tf.loadGraphModel(fileLoader(path.join(dir, 'out1/base')));
    const head = await tf.loadLayersModel(fileLoader(path.join(dir, 'out1/model')));
    const { readImage } = await import('../../src/train/local/images.js');
    const px = readImage(path.join(dir, 'data/flowers/daisy/daisy-01.png'));
    const x = tf.image
      .resizeBilinear(tf.tensor3d(px.rgb, [px.height, px.width, 3], 'int32'), [224, 224])
      .div(255)
      .expandDims(0);
    const p = head.predict(base.predict(x) as import('@tensorflow/tfjs').Tensor) as import('@tensorflow/tfjs').Tensor;
    expect(p.shape).toEqual([1, 2]);
    expect((await p.sum().data())[0]).toBeCloseTo(1, 4);
  });

  it('records the training fingerprint on the model and in the outputs and JSON', async () => {
    const v = (await registered(dir))[0]!;
    expect(v.tags[TAGS.fingerprint]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.out.outputs.fingerprint).toBe(v.tags[TAGS.fingerprint]);
    expect(first.out.outputs.decision).toBe('trained');
  });

  it('the same training again reuses version 1: nothing trained, no second version, outputs as for a new model', async () => {
    const again = await run(dir, { out: path.join(dir, 'out2') });
    expect(again.code).toBe(0);
    const v1 = (await registered(dir))[0]!;
    expect(again.out.stdout).toBe(
      `✔ reused flowers-classifier version 1 from ${localRegistries(dir).experiment.description}, trained ${v1.createdAt}: it has this training fingerprint (${v1.tags[TAGS.fingerprint]!.slice(0, 19)}…), so nothing was trained; --force trains again\n`,
    );
    expect(again.logs).not.toMatch(/^epoch /m);
    expect(again.logs).not.toMatch(/^features: /m);
    expect((await registered(dir)).map((v) => v.version)).toEqual(['1']);
    expect(existsSync(path.join(dir, 'out2'))).toBe(false);
    expect(again.out.outputs).toMatchObject({
      'model-version': '1',
      decision: 'reused',
      fingerprint: v1.tags[TAGS.fingerprint],
      'metrics-json': JSON.stringify(v1.metrics),
    });
    expect(again.out.summaries[0]).toContain('reused flowers-classifier 1');
  });

  it('--format json says reused, with the version and when it was trained', async () => {
    const out = capture('cli');
    expect(await train(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json' }), out)).toBe(0);
    const doc = JSON.parse(out.stdout);
    const v1 = (await registered(dir))[0]!;
    expect(doc).toEqual({
      decision: 'reused',
      fingerprint: v1.tags[TAGS.fingerprint],
      model: 'flowers-classifier',
      version: '1',
      registry: localRegistries(dir).experiment.description,
      trainedAt: v1.createdAt,
      metrics: v1.metrics,
    });
  });

  it('--force trains again (features from the cache) and registers version 2 with the same fingerprint', async () => {
    const again = await run(dir, { out: path.join(dir, 'out2'), force: 'true' });
    expect(again.code).toBe(0);
    expect(again.logs).toMatch(/^features: 24 images from the cache \(1792 each\)$/m);
    expect(again.out.outputs['model-version']).toBe('2');
    expect(again.out.outputs.decision).toBe('trained');
    const [v1, v2] = await registered(dir);
    expect(v2!.tags[TAGS.fingerprint]).toBe(v1!.tags[TAGS.fingerprint]);
  });

  it('--resume continues after the last checkpoint with more epochs', async () => {
    patch(dir, 'tfaml.yml', 'epochs: 5', 'epochs: 7');
    const r = await run(dir, { out: path.join(dir, 'out3'), resume: 'true' });
    expect(r.code).toBe(0);
    expect(r.logs).toContain('resumed from the checkpoint after epoch 5');
    expect(r.logs.match(/^epoch \d\/7/gm)).toEqual(['epoch 6/7', 'epoch 7/7']);
    expect(JSON.parse(readFileSync(path.join(dir, 'out3/metrics.json'), 'utf8')).history).toHaveLength(7);
    patch(dir, 'tfaml.yml', 'epochs: 7', 'epochs: 5');
  });

  it('a run stopped after 3 epochs and resumed to 5 ends where 5 straight epochs end (weights and Adam state restored)', async () => {
    const straight = project();
    await run(straight, { out: path.join(straight, 'o') });
    const stopped = project();
    patch(stopped, 'tfaml.yml', 'epochs: 5', 'epochs: 3');
    await run(stopped, { out: path.join(stopped, 'o1') });
    patch(stopped, 'tfaml.yml', 'epochs: 3', 'epochs: 5');
    await run(stopped, { out: path.join(stopped, 'o2'), resume: 'true' });
    const last = (d: string) => JSON.parse(readFileSync(d, 'utf8')).history[4];
    const a = last(path.join(straight, 'o/metrics.json'));
    const b = last(path.join(stopped, 'o2/metrics.json'));
    expect(b.loss).toBeCloseTo(a.loss, 5);
    expect(b.valLoss).toBeCloseTo(a.valLoss, 5);
  });

  it('--resume with a checkpoint from a different configuration is refused, nothing written', async () => {
    patch(dir, 'tfaml.yml', 'learning-rate: 0.003', 'learning-rate: 0.01');
    const p = run(dir, { out: path.join(dir, 'out4'), resume: 'true' });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(
      /^--resume: the checkpoint at .*flowers-classifier\.json is from a different configuration \(model, data, classes or training settings changed\); run without --resume to start over$/,
    );
    expect(existsSync(path.join(dir, 'out4'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
    patch(dir, 'tfaml.yml', 'learning-rate: 0.01', 'learning-rate: 0.003');
  });

  it('a change of one part (epochs) trains again', async () => {
    patch(dir, 'tfaml.yml', 'epochs: 5', 'epochs: 4');
    const r = await run(dir, { out: path.join(dir, 'out-e4') });
    patch(dir, 'tfaml.yml', 'epochs: 4', 'epochs: 5');
    expect(r.code).toBe(0);
    expect(r.out.outputs.decision).toBe('trained');
    expect(r.logs.match(/^epoch \d\/4/gm)).toHaveLength(4);
    const versions = await registered(dir);
    expect(versions.map((v) => v.version)).toEqual(['1', '2', '3', '4']);
    expect(versions[3]!.tags[TAGS.fingerprint]).not.toBe(versions[0]!.tags[TAGS.fingerprint]);
    // Back to 5 epochs: the newest version with that fingerprint is reused.
    const back = await run(dir, {});
    expect(back.out.outputs).toMatchObject({ decision: 'reused', 'model-version': '2' });
  });
});

describe('train settings', () => {
  it.each([
    {
      given: {},
      env: {},
      want: { backend: 'auto', hubUrl: undefined, resume: false, format: 'text', config: 'tfaml.yml' },
    },
    {
      given: {},
      env: { TFAML_BACKEND: 'cpu', TFAML_HUB_URL: 'https://mirror.example' },
      want: { backend: 'cpu', hubUrl: 'https://mirror.example' },
    },
    {
      given: { backend: 'wasm', 'hub-url': 'https://other.example', resume: 'true' },
      env: { TFAML_BACKEND: 'cpu', TFAML_HUB_URL: 'https://mirror.example' },
      want: { backend: 'wasm', hubUrl: 'https://other.example', resume: true },
    },
  ])('inputs win over the environment: %j', ({ given, env, want }) => {
    expect(readTrainSettings(inputs(given), env)).toMatchObject(want);
  });
  it('a bad TFAML_BACKEND is named as coming from the environment', () => {
    expect(() => readTrainSettings(inputs({}), { TFAML_BACKEND: 'gpu' })).toThrow(
      'input backend is "gpu" (from TFAML_BACKEND); it must be one of auto, tensorflow-gpu, tensorflow, wasm, cpu',
    );
  });
});

describe('train: bad input', () => {
  it('--resume without a checkpoint', async () => {
    await expect(run(project(), { resume: 'true' })).rejects.toThrow(
      /^--resume: there is no checkpoint at .*; run without --resume to start$/,
    );
  });

  it('a few corrupt images are skipped and listed; more than 10% fail the run and nothing is registered', async () => {
    const dir = project();
    rmSync(path.join(dir, '.tfaml/cache/features'), { recursive: true, force: true });
    unlockData(dir);
    writeFileSync(path.join(dir, 'data/flowers/daisy/daisy-02.png'), 'not a png');
    const ok = await run(dir);
    expect(ok.code).toBe(0);
    expect(ok.logs).toContain(
      'warning: skipped 1 of 24 images that cannot be decoded: data/flowers/daisy/daisy-02.png (neither png nor jpeg)',
    );
    for (const f of ['daisy-03', 'daisy-04', 'tulips-05'])
      writeFileSync(
        path.join(dir, `data/flowers/${f.split('-')[0]}/${f}.png`),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5]),
      );
    const out = path.join(dir, 'bad-out');
    const p = run(dir, { out });
    await expect(p).rejects.toThrow(
      /^4 of 24 images cannot be decoded, more than 10%: data\/flowers\/daisy\/daisy-02\.png \(neither png nor jpeg\), data\/flowers\/daisy\/daisy-03\.png \(.+\), .*; fix or remove them$/,
    );
    expect(existsSync(out)).toBe(false);
    expect((await registered(dir)).map((v) => v.version)).toEqual(['1']);
  }, 60_000);

  it('images of other sizes and formats (a 97×41 jpeg among the 64×64 pngs) are resized to the model input', async () => {
    const dir = project();
    unlockData(dir);
    const jpeg = (await import('jpeg-js')).default;
    const data = Buffer.alloc(97 * 41 * 4, 200);
    writeFileSync(path.join(dir, 'data/flowers/daisy/wide.jpg'), jpeg.encode({ width: 97, height: 41, data }, 90).data);
    const r = await run(dir);
    expect(r.code).toBe(0);
    expect(r.logs).toMatch(/^features: 25 images in/m);
  });

  it('data that differs from tfaml.lock is data/hash-mismatch', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'data/flowers/daisy/daisy-02.png'), 'changed');
    await expect(run(dir)).rejects.toThrow(
      /^data\/hash-mismatch: data\/flowers differs from what tfaml\.lock records for flowers:1/,
    );
  });

  it.each([
    {
      name: 'a single class',
      change: (d: string) => rmSync(path.join(d, 'data/flowers/tulips'), { recursive: true }),
      message:
        'the data folder data/flowers has a single class (daisy); a classifier needs a folder per class with at least two classes',
    },
    {
      name: 'an empty class',
      change: (d: string) => mkdirSync(path.join(d, 'data/flowers/roses')),
      message: 'a class folder has no png or jpeg images: data/flowers/roses; add images or remove the folder',
    },
  ])('$name', async ({ change, message }) => {
    const dir = project();
    unlockData(dir);
    change(dir);
    await expect(run(dir)).rejects.toThrow(message);
  });

  it('--out that is not empty, or not writable', async () => {
    const dir = project();
    mkdirSync(path.join(dir, 'full'));
    writeFileSync(path.join(dir, 'full/x'), 'x');
    await expect(run(dir, { out: path.join(dir, 'full') })).rejects.toThrow(
      /^--out .*full exists and is not empty; name a new folder/,
    );
    await expect(run(dir, { out: path.join(dir, 'full/x/sub') })).rejects.toThrow(
      /^--out .*full\/x\/sub is not writable \((ENOTDIR|EEXIST)\); choose a folder you can write to$/,
    );
  });

  it('an input shape the model does not take', async () => {
    const dir = project();
    patch(dir, 'tfaml.yml', 'input-shape: [224, 224, 3]', 'input-shape: [128, 128, 3]');
    await expect(run(dir)).rejects.toThrow(
      "model.input-shape is [128, 128, 3] but the model takes [224, 224, 3]; set input-shape to the model's",
    );
  });

  it('a tfaml.lock hash that the hub files do not match: model/hash-mismatch, nothing trained', async () => {
    const dir = project();
    const lock = JSON.parse(readFileSync(path.join(dir, 'tfaml.lock'), 'utf8'));
    lock.models['flowers-classifier'].files['model.json'] = `sha256:${'a'.repeat(64)}`;
    lock.models['flowers-classifier'].hash = `sha256:${'b'.repeat(64)}`;
    writeFileSync(path.join(dir, 'tfaml.lock'), JSON.stringify(lock));
    await expect(run(dir)).rejects.toThrow(
      /^model\/hash-mismatch: the model files of https:\/\/tfhub\.dev\/google\/.* differ from tfaml\.lock: model\.json is sha256:[0-9a-f]{64}, tfaml\.lock has sha256:a{64}/,
    );
    expect(await registered(dir)).toEqual([]);
  });
});

describe('train (layers model cut at feature-layer)', () => {
  const layersProject = () => {
    const dir = project();
    patch(dir, 'tfaml.yml', `hub: https://tfhub.dev${HANDLES.graph}`, `hub: https://tfhub.dev${HANDLES.layers}`);
    patch(dir, 'tfaml.yml', 'format: graph', 'format: layers\n  feature-layer: flatten_1');
    return dir;
  };

  it('top-4 fine-tunes Conv_1_bn..flatten_1 on cpu (wasm has no conv gradients) with its own learning rate; the model is one layers model', async () => {
    const dir = layersProject();
    patch(dir, 'tfaml.yml', 'fine-tune: none', 'fine-tune: top-4');
    patch(dir, 'tfaml.yml', 'epochs: 5', 'epochs: 2');
    const r = await run(dir);
    expect(r.code).toBe(0);
    expect(r.logs).toMatch(/^backend: wasm/m);
    expect(r.logs).toMatch(/^backend: cpu/m);
    const v = (await registered(dir))[0]!;
    const runJson = JSON.parse(readFileSync(path.join(v.location, 'run.json'), 'utf8'));
    expect(runJson).toMatchObject({
      backend: 'cpu',
      inferenceBackend: 'wasm',
      hyperparameters: {
        learningRate: 0.003,
        fineTuneLearningRate: expect.closeTo(0.0003, 10),
        fineTune: 'top-4',
        featureLayer: 'flatten_1',
      },
    });
    expect(v.tags[TAGS.backend]).toBe('cpu');
    const tf = await import('@tensorflow/tfjs');
    const m = await tf.loadLayersModel(fileLoader(path.join(v.location, 'model')));
    expect(m.outputs[0]!.shape).toEqual([null, 2]);
    expect(m.inputs[0]!.shape).toEqual([null, 224, 224, 3]);
    // The lock now records the layers model's files.
    expect(
      Object.keys(
        JSON.parse(readFileSync(path.join(dir, 'tfaml.lock'), 'utf8')).models['flowers-classifier'].files,
      ).sort(),
    ).toEqual(['group1-shard1of1', 'model.json']);
  }, 120_000);

  it('top-N on an explicit wasm backend says why and which backends work', async () => {
    const dir = layersProject();
    patch(dir, 'tfaml.yml', 'fine-tune: none', 'fine-tune: top-4');
    await expect(run(dir, { backend: 'wasm' })).rejects.toThrow(
      'fine-tuning with top-N needs the gradients of convolutions, which the wasm backend does not have (tfjs-backend-wasm 4.22 has no conv backprop kernels); use backend tensorflow-gpu, tensorflow, cpu or auto, or fine-tune: none',
    );
  });

  it('a feature-layer the model does not have names its last layers', async () => {
    const dir = layersProject();
    patch(dir, 'tfaml.yml', 'feature-layer: flatten_1', 'feature-layer: flatten_9');
    await expect(run(dir)).rejects.toThrow(
      'model.feature-layer "flatten_9" is not a layer of https://tfhub.dev/nsfwjs/tfjs-model/mobilenet_v2/layers/1/default/1; its last layers are',
    );
  });

  it('a graph model cannot be fine-tuned', async () => {
    const dir = project();
    patch(dir, 'tfaml.yml', 'fine-tune: none', 'fine-tune: top-2');
    await expect(run(dir)).rejects.toThrow(
      /top-2 needs trainable layers, but .* is a graph model \(frozen\); use fine-tune: none or a layers model/,
    );
  });

  it("--backend tensorflow-gpu where the GPU cannot be used: exit 2 with doctor's findings, before any work", async () => {
    const dir = project();
    const oldPath = process.env.PATH;
    const oldLibs = process.env.TFAML_CUDA_LIBS;
    try {
      process.env.PATH = path.dirname(process.execPath); // no nvidia-smi
      process.env.TFAML_CUDA_LIBS = tempDir();
      const none = run(dir, { backend: 'tensorflow-gpu' });
      await expect(none).rejects.toThrow(ConfigurationError);
      await expect(none).rejects.toThrow(
        'backend tensorflow-gpu: this machine cannot train on a GPU (tfaml doctor: nvidia-smi is not on PATH: this machine has no NVIDIA driver or GPU); fix that, or use backend auto (it would use wasm here)',
      );
      // A GPU without its CUDA 11 libraries: each missing one and the wheels, and that tfjs-node-gpu is absent.
      const bin = tempDir('tfaml-bin-');
      writeFileSync(path.join(bin, 'nvidia-smi'), '#!/bin/sh\necho "Tesla T4, 535.104.05, 15360"\n', { mode: 0o755 });
      process.env.PATH = `${bin}${path.delimiter}${path.dirname(process.execPath)}`;
      await expect(run(dir, { backend: 'tensorflow-gpu' })).rejects.toThrow(
        /^backend tensorflow-gpu: this machine cannot train on a GPU \(tfaml doctor: tfjs-node-gpu needs the CUDA 11 \/ cuDNN 8 runtime, and libcudart\.so\.11\.0, .* are not found .*pip install --target .* nvidia-cuda-runtime-cu11 .*; @tensorflow\/tfjs-node-gpu is not installed: npm i --no-save @tensorflow\/tfjs-node-gpu@4\.22\.0/,
      );
      expect(existsSync(path.join(dir, '.tfaml/runs'))).toBe(false);
    } finally {
      process.env.PATH = oldPath;
      if (oldLibs === undefined) delete process.env.TFAML_CUDA_LIBS;
      else process.env.TFAML_CUDA_LIBS = oldLibs;
    }
  });

  it('a backend that is not installed is named with the package to install', async () => {
    await expect(run(project(), { backend: 'tensorflow' })).rejects.toThrow(
      'backend tensorflow needs @tensorflow/tfjs-node@4.22.0, which is not installed here; install it (the train action does on GPU runners) or use backend auto',
    );
    await expect(run(project(), { backend: 'webgl' })).rejects.toThrow(
      'input backend is "webgl"; it must be one of auto, tensorflow-gpu, tensorflow, wasm, cpu',
    );
  });
});
