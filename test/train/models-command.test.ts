/** models: list the registry's versions. */
import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { models, modelsTable } from '../../src/commands/models.js';
import { localRegistries } from '../../src/adapters/local/registry.js';
import { TAGS } from '../../src/core/tags.js';
import { capture, copyExample, inputs, tempDir } from '../helpers/project.js';

async function register(dir: string, accuracy: number) {
  const files = tempDir('tfaml-files-');
  mkdirSync(path.join(files, 'model'));
  writeFileSync(path.join(files, 'model/model.json'), JSON.stringify({ accuracy }));
  return localRegistries(dir, { now: () => Date.UTC(2026, 10, 29, 12, 0, 0) }).experiment.create({
    name: 'flowers-classifier',
    files,
    metrics: { accuracy, latency_p95_ms: 61.25 },
    tags: { [TAGS.backend]: 'wasm', [TAGS.data]: 'flowers:1', [TAGS.hubHash]: `sha256:${'ab'.repeat(32)}` },
  });
}

describe('models', () => {
  it('lists versions with metrics and lineage, and sets models-json', async () => {
    const dir = copyExample();
    await register(dir, 0.9);
    await register(dir, 0.95);
    const out = capture('action');
    expect(await models(inputs({ config: path.join(dir, 'tfaml.yml') }), out)).toBe(0);
    expect(out.stdout).toBe(
      [
        'flowers-classifier in the local experiment registry (.tfaml/experiment):',
        'version  created               accuracy  p95 ms  backend  data       hub hash',
        '1        2026-11-29T12:00:00Z  0.900     61.3    wasm     flowers:1  sha256:abababababab',
        '2        2026-11-29T12:00:00Z  0.950     61.3    wasm     flowers:1  sha256:abababababab',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(out.outputs['models-json']!).map((v: { version: string }) => v.version)).toEqual(['1', '2']);
  });

  it('says so when there is nothing, and json is one document', async () => {
    const dir = copyExample();
    const text = capture();
    await models(inputs({ config: path.join(dir, 'tfaml.yml'), registry: 'production' }), text);
    expect(text.stdout).toBe(
      'the local production registry (.tfaml/production) has no versions of flowers-classifier\n',
    );
    const json = capture();
    await models(inputs({ config: path.join(dir, 'tfaml.yml'), format: 'json', model: 'other' }), json);
    expect(JSON.parse(json.stdout)).toEqual({
      registry: 'the local experiment registry (.tfaml/experiment)',
      model: 'other',
      versions: [],
    });
  });

  it('refuses a registry it does not know', async () => {
    await expect(
      models(inputs({ config: path.join(copyExample(), 'tfaml.yml'), registry: 'staging' }), capture()),
    ).rejects.toThrow('input registry is "staging"; it must be one of experiment, production');
  });

  it('modelsTable shows - for missing values', () => {
    expect(
      modelsTable([
        {
          name: 'm',
          version: '1',
          contentHash: 'x',
          metrics: {},
          tags: {},
          createdAt: '2026-01-01T00:00:00.000Z',
          location: '/x',
        },
      ]),
    ).toBe(
      'version  created               accuracy  p95 ms  backend  data  hub hash\n1        2026-01-01T00:00:00Z  -         -       -        -     -\n',
    );
  });
});
