/** The training fingerprint: a table of parts, each of which alone changes it; order and equal inputs do not. */
import { describe, expect, it } from 'vitest';
import { TAGS } from '../../src/core/tags.js';
import {
  findReusable,
  majorOf,
  type Fingerprinted,
  trainingFingerprint,
  type FingerprintParts,
} from '../../src/train/fingerprint.js';
import { predictBackend } from '../../src/train/local/backend.js';

const parts = (): FingerprintParts => ({
  code: 'sha256:code',
  environment: { ref: 'tf-gpu:3', hash: 'sha256:env' },
  data: { ref: 'flowers:1', hash: 'sha256:data' },
  hub: { ref: 'https://tfhub.dev/google/x/1', hash: 'sha256:hub' },
  settings: {
    epochs: 5,
    batchSize: 16,
    learningRate: 0.003,
    validationSplit: 0.25,
    seed: 42,
    fineTune: 'none',
    inputShape: [224, 224, 3],
    format: 'graph',
    featureLayer: null,
    backendFamily: 'wasm',
  },
  tfamlMajor: 0,
});

type Change = (p: FingerprintParts) => void;
const CHANGES: [string, Change][] = [
  ['code content', (p) => (p.code = 'sha256:other-code')],
  ['environment version', (p) => (p.environment.ref = 'tf-gpu:4')],
  ['environment content', (p) => (p.environment.hash = 'sha256:env2')],
  ['data version', (p) => (p.data.ref = 'flowers:2')],
  ['data content', (p) => (p.data.hash = 'sha256:data2')],
  ['hub handle', (p) => (p.hub.ref = 'https://tfhub.dev/google/x/2')],
  ['hub model hash', (p) => (p.hub.hash = 'sha256:hub2')],
  ['epochs', (p) => (p.settings.epochs = 6)],
  ['batch size', (p) => (p.settings.batchSize = 32)],
  ['learning rate', (p) => (p.settings.learningRate = 0.001)],
  ['validation split', (p) => (p.settings.validationSplit = 0.2)],
  ['seed', (p) => (p.settings.seed = 7)],
  ['fine-tune policy', (p) => (p.settings.fineTune = 'top-4')],
  ['input shape', (p) => (p.settings.inputShape = [192, 192, 3])],
  ['model format', (p) => (p.settings.format = 'layers')],
  ['feature layer', (p) => (p.settings.featureLayer = 'flatten_1')],
  ['backend family', (p) => (p.settings.backendFamily = 'tensorflow')],
  ['tfaml major version', (p) => (p.tfamlMajor = 1)],
  ['an unhashable environment (hash null)', (p) => (p.environment.hash = null)],
];

describe('training fingerprint', () => {
  it('is a sha256, the same for the same inputs', () => {
    expect(trainingFingerprint(parts())).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(trainingFingerprint(parts())).toBe(trainingFingerprint(parts()));
  });

  it.each(CHANGES)('changes with the %s', (_name, change) => {
    const p = parts();
    change(p);
    expect(trainingFingerprint(p)).not.toBe(trainingFingerprint(parts()));
  });

  it('every part of every change is distinct: no two changes collide', () => {
    const all = CHANGES.map(([, change]) => {
      const p = parts();
      change(p);
      return trainingFingerprint(p);
    });
    expect(new Set(all).size).toBe(CHANGES.length);
  });

  it('key order does not matter', () => {
    const p = parts();
    const reversed = Object.fromEntries(Object.entries(p).reverse()) as unknown as FingerprintParts;
    reversed.settings = Object.fromEntries(
      Object.entries(p.settings).reverse(),
    ) as unknown as FingerprintParts['settings'];
    expect(Object.keys(reversed)[0]).toBe('tfamlMajor');
    expect(trainingFingerprint(reversed)).toBe(trainingFingerprint(p));
  });
});

describe('majorOf', () => {
  it.each([
    ['0.1.0', 0],
    ['1.2.3', 1],
    ['12.0.0-rc.1', 12],
  ])('%s is major %i', (v, major) => expect(majorOf(v)).toBe(major));
  it('a version that is not semver is a bug, named', () => {
    expect(() => majorOf('latest')).toThrow('tfaml\'s version "latest" is not semver');
  });
});

describe('findReusable', () => {
  const v = (version: string, fp: string | undefined, createdAt?: string): Fingerprinted => ({
    version,
    createdAt,
    tags: fp ? { [TAGS.fingerprint]: fp } : {},
  });
  it.each([
    ['none registered', [], undefined],
    ['none with the fingerprint', [v('1', 'sha256:b'), v('2', undefined)], undefined],
    ['the one with it', [v('1', 'sha256:b'), v('2', 'sha256:a'), v('3', 'sha256:c')], '2'],
    [
      'the newest of several',
      [v('3', 'sha256:a', '2025-01-03T00:00:00Z'), v('10', 'sha256:a', '2025-01-10T00:00:00Z')],
      '10',
    ],
    ['without dates, the highest number', [v('9', 'sha256:a'), v('10', 'sha256:a')], '10'],
  ])('%s', (_name, versions, expected) => {
    expect(findReusable(versions, 'sha256:a')?.version).toBe(expected);
  });
});

describe('predictBackend', () => {
  const only =
    (...pkgs: string[]) =>
    (p: string) =>
      pkgs.includes(p);
  it.each([
    ['auto, nothing native installed', 'auto', false, only(), 'wasm'],
    ['auto, tfjs-node installed', 'auto', false, only('@tensorflow/tfjs-node'), 'tensorflow'],
    ['auto, tfjs-node-gpu installed', 'auto', false, only('@tensorflow/tfjs-node-gpu'), 'tensorflow-gpu'],
    ['auto, top-N needs conv gradients: cpu, not wasm', 'auto', true, only(), 'cpu'],
    ['an explicit backend is that backend', 'cpu', false, only('@tensorflow/tfjs-node'), 'cpu'],
  ])('%s', (_name, requested, conv, installed, expected) => {
    expect(predictBackend(requested, conv, installed)).toBe(expected);
  });
});
