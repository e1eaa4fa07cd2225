/** The pure parts of train: split, metrics, progress lines, the job summary, backend order, hub URLs, hashes. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashFiles, modelJsonUrl } from '../../src/adapters/hub/loader.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { backendOrder } from '../../src/train/local/backend.js';
import { evaluate, latencyStats, percentile } from '../../src/train/local/metrics.js';
import { epochLine, eta, extractLine, formatDuration } from '../../src/train/local/progress.js';
import { prng, splitExamples } from '../../src/train/local/split.js';
import { learningCurve, trainSummary } from '../../src/train/local/summary.js';

const examples = (perClass: number[]) =>
  perClass.flatMap((n, label) =>
    Array.from({ length: n }, (_, i) => ({ file: `c${label}/${String(i).padStart(3, '0')}.png`, label })),
  );

describe('splitExamples', () => {
  it.each([
    { name: 'balanced 25%', counts: [12, 12], fraction: 0.25, val: [3, 3] },
    { name: 'unbalanced 20%', counts: [10, 3], fraction: 0.2, val: [2, 1] },
    { name: 'tiny class keeps one to train', counts: [2, 5], fraction: 0.9, val: [1, 4] },
    { name: 'no validation', counts: [4, 4], fraction: 0, val: [0, 0] },
  ])('$name', ({ counts, fraction, val }) => {
    const all = examples(counts);
    const s = splitExamples(all, fraction, 42);
    expect(counts.map((_, c) => s.validation.filter((e) => e.label === c).length)).toEqual(val);
    expect(s.train.length + s.validation.length).toBe(all.length);
    expect(new Set([...s.train, ...s.validation].map((e) => e.file)).size).toBe(all.length);
  });

  it('is the same for the same seed whatever the input order, and differs for another seed', () => {
    const all = examples([20, 20]);
    const a = splitExamples(all, 0.25, 7).validation.map((e) => e.file);
    const b = splitExamples([...all].reverse(), 0.25, 7).validation.map((e) => e.file);
    const c = splitExamples(all, 0.25, 8).validation.map((e) => e.file);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('prng is mulberry32 (same numbers on every engine)', () => {
    const r = prng(42);
    expect([r(), r()].map((x) => x.toFixed(6))).toEqual(['0.601104', '0.448291']);
  });
});

describe('evaluate', () => {
  it.each([
    {
      name: 'perfect',
      actual: [0, 1, 1],
      predicted: [0, 1, 1],
      accuracy: 1,
      confusion: [
        [1, 0],
        [0, 2],
      ],
      a: { precision: 1, recall: 1, f1: 1, support: 1 },
    },
    {
      name: 'one miss',
      actual: [0, 0, 1, 1],
      predicted: [0, 1, 1, 1],
      accuracy: 0.75,
      confusion: [
        [1, 1],
        [0, 2],
      ],
      a: { precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
    },
    {
      name: 'never predicted',
      actual: [0, 1],
      predicted: [1, 1],
      accuracy: 0.5,
      confusion: [
        [0, 1],
        [0, 1],
      ],
      a: { precision: 0, recall: 0, f1: 0, support: 1 },
    },
  ])('$name', ({ actual, predicted, accuracy, confusion, a }) => {
    const e = evaluate(actual, predicted, ['a', 'b']);
    expect(e.accuracy).toBe(accuracy);
    expect(e.confusion).toEqual(confusion);
    expect(e.perClass.a!.precision).toBeCloseTo(a.precision);
    expect(e.perClass.a!.recall).toBeCloseTo(a.recall);
    expect(e.perClass.a!.f1).toBeCloseTo(a.f1);
    expect(e.perClass.a!.support).toBe(a.support);
  });

  it('refuses labels and predictions of different lengths', () => {
    expect(() => evaluate([0, 1], [0], ['a', 'b'])).toThrow('evaluate: 2 labels but 1 predictions');
  });

  it.each([
    { samples: [5, 1, 3, 2, 4], p: 50, want: 3 },
    { samples: [5, 1, 3, 2, 4], p: 95, want: 5 },
    { samples: Array.from({ length: 100 }, (_, i) => i + 1), p: 95, want: 95 },
    { samples: [7], p: 50, want: 7 },
  ])('percentile p$p', ({ samples, p, want }) => expect(percentile(samples, p)).toBe(want));
  it('percentile of nothing is NaN', () => expect(percentile([], 50)).toBeNaN());
});

describe('latencyStats', () => {
  it('medians of the rounds’ p50 and p95, with their interquartile range over the rounds', () => {
    // Seven rounds; round r has p50 10+r and p95 20+2r (five samples: p50 is the 3rd, p95 the 5th).
    const rounds = Array.from({ length: 7 }, (_, r) => [9 + r, 10 + r, 10 + r, 11 + r, 20 + 2 * r].reverse());
    expect(latencyStats(rounds)).toEqual({
      p50: 13,
      p95: 26,
      // nearest-rank quartiles of 7 values are the 2nd and the 6th
      p50Iqr: 15 - 11,
      p95Iqr: 30 - 22,
      rounds: 7,
      samplesPerRound: 5,
    });
  });

  it('one slow outlier round moves neither median', () => {
    const steady = Array.from({ length: 7 }, () => [10, 10, 11, 12, 14]);
    const withOutlier = [...steady.slice(0, 6), [80, 90, 95, 99, 120]];
    expect(latencyStats(withOutlier)).toMatchObject({ p50: 11, p95: 14 });
    expect(latencyStats(steady)).toMatchObject({ p50: 11, p95: 14, p50Iqr: 0, p95Iqr: 0 });
  });

  it('p50 ≤ p95 and the IQRs are not negative, whatever the samples', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 100;
    for (let t = 0; t < 50; t++) {
      const s = latencyStats(Array.from({ length: 7 }, () => Array.from({ length: 5 + (t % 16) }, rand)));
      expect(s.p50).toBeLessThanOrEqual(s.p95);
      expect(s.p50Iqr).toBeGreaterThanOrEqual(0);
      expect(s.p95Iqr).toBeGreaterThanOrEqual(0);
    }
  });

  it('no samples: NaN figures, no rounds', () => {
    expect(latencyStats([[], []])).toEqual({
      p50: NaN,
      p95: NaN,
      p50Iqr: NaN,
      p95Iqr: NaN,
      rounds: 0,
      samplesPerRound: 0,
    });
  });
});

describe('progress', () => {
  it.each([
    [0, '0s'],
    [59.4, '59s'],
    [61, '1m01s'],
    [3725, '1h02m'],
    [NaN, '?'],
  ])('formatDuration(%s) = %s', (s, want) => expect(formatDuration(s)).toBe(want));

  it('ETA is the mean epoch time × the epochs left', () => {
    expect(eta([2, 4], 5)).toBe(15);
    expect(eta([], 5)).toBeNaN();
  });

  it('one line per epoch with loss, accuracy and ETA; images/s while extracting', () => {
    expect(
      epochLine({ epoch: 3, loss: 0.51234, accuracy: 0.75, valLoss: 0.6, valAccuracy: 0.5, seconds: 1.234 }, 10, 8.6),
    ).toBe('epoch  3/10  loss 0.5123  acc 0.750  val_loss 0.6000  val_acc 0.500  1.23s  ETA 9s');
    expect(extractLine(50, 200, 10)).toBe('features: 50/200 images, 5.0 images/s, ETA 30s');
  });
});

describe('job summary', () => {
  const history = [
    { epoch: 1, loss: 1.2, accuracy: 0.5, valLoss: 0.9, valAccuracy: 0.5, seconds: 1 },
    { epoch: 2, loss: 0.4, accuracy: 0.9, valLoss: 0.5, valAccuracy: 0.75, seconds: 1 },
  ];
  it('renders the metrics table, per-class table, confusion matrix and a mermaid xychart', () => {
    const md = trainSummary({
      model: 'flowers',
      version: '3',
      registry: 'the local experiment registry (.tfaml/experiment)',
      backend: 'wasm',
      evaluation: evaluate([0, 0, 1, 1], [0, 1, 1, 1], ['daisy', 'tulips']),
      loss: 0.5,
      latencyP50Ms: 12.34,
      latencyP95Ms: 20,
      modelBytes: 1234,
      history,
      classes: ['daisy', 'tulips'],
      seconds: 9.87,
    });
    expect(md).toContain('### tfaml train: flowers version 3, accuracy 0.750');
    expect(md).toContain('| latency p95 (ms, one image) | 20.0 |');
    expect(md).toContain('| daisy | 1.000 | 0.500 | 0.667 | 2 |');
    expect(md).toContain('| **daisy** | 1 | 1 |');
    expect(md).toContain('```mermaid\nxychart-beta');
  });
  it('learning curve: x-axis by epoch, a line per series, y-axis up to the largest loss', () => {
    expect(learningCurve(history)).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '    title "Learning curve (lines: train loss, validation loss, validation accuracy)"',
        '    x-axis "epoch" [1, 2]',
        '    y-axis "loss / accuracy" 0 --> 1.2',
        '    line [1.2000, 0.4000]',
        '    line [0.9000, 0.5000]',
        '    line [0.5000, 0.7500]',
        '```',
      ].join('\n'),
    );
    expect(learningCurve([])).toBe('');
  });
});

describe('backendOrder', () => {
  it.each([
    { requested: 'auto', grads: false, want: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] },
    { requested: 'auto', grads: true, want: ['tensorflow-gpu', 'tensorflow', 'cpu'] },
    { requested: 'cpu', grads: true, want: ['cpu'] },
    { requested: 'wasm', grads: false, want: ['wasm'] },
  ])('$requested (conv gradients: $grads)', ({ requested, grads, want }) =>
    expect(backendOrder(requested, grads)).toEqual(want),
  );

  it('wasm cannot fine-tune conv layers: says so and names the backends that can', () => {
    expect(() => backendOrder('wasm', true)).toThrow(ConfigurationError);
    expect(() => backendOrder('wasm', true)).toThrow(
      'the wasm backend does not have (tfjs-backend-wasm 4.22 has no conv backprop kernels); use backend tensorflow-gpu, tensorflow, cpu or auto',
    );
  });
  it('an unknown backend names the valid ones', () => {
    expect(() => backendOrder('webgl', false)).toThrow(
      'backend "webgl" is not one of auto, tensorflow-gpu, tensorflow, wasm, cpu',
    );
  });
});

describe('hub URLs', () => {
  it.each([
    [
      'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_140_224/feature_vector/3/default/1',
      undefined,
      'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_140_224/feature_vector/3/default/1/model.json?tfjs-format=file',
    ],
    [
      'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_140_224/feature_vector/3/default/1',
      'http://127.0.0.1:9/',
      'http://127.0.0.1:9/google/tfjs-model/imagenet/mobilenet_v2_140_224/feature_vector/3/default/1/model.json?tfjs-format=file',
    ],
    [
      'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/140-224-feature-vector/3',
      undefined,
      'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/140-224-feature-vector/3/model.json?tfjs-format=file',
    ],
    [
      'google/mobilenet-v2/tfJs/140-224-feature-vector/3',
      'http://h:1',
      'http://h:1/models/google/mobilenet-v2/tfJs/140-224-feature-vector/3/model.json?tfjs-format=file',
    ],
    ['https://example.com/m/model.json', 'http://ignored', 'https://example.com/m/model.json'],
    ['https://example.com/m/', undefined, 'https://example.com/m/model.json'],
    ['./models/base', undefined, undefined],
  ])('%s via %s', (hub, hubUrl, want) => expect(modelJsonUrl(hub, hubUrl)).toBe(want));

  it('hashFiles follows the data folder scheme: sorted names, size and hex', () => {
    const h = hashFiles({ 'b.bin': { size: 1, sha256: 'sha256:bb' }, 'model.json': { size: 2, sha256: 'sha256:aa' } });
    expect(h).toBe(
      `sha256:${createHash('sha256').update('b.bin\u00001\u0000bb\nmodel.json\u00002\u0000aa\n').digest('hex')}`,
    );
  });
});
