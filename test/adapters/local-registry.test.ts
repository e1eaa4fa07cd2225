import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalRegistry } from '../../src/adapters/local/registry.js';
import { tempDir } from '../helpers/project.js';
import { RegistryConflictError } from '../../src/core/errors.js';

function modelFolder(content: string): string {
  const dir = tempDir('tfaml-model-');
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ content }));
  mkdirSync(path.join(dir, 'weights'));
  writeFileSync(path.join(dir, 'weights', 'group1-shard1of1.bin'), Buffer.from(content.repeat(10)));
  return dir;
}

describe('LocalRegistry', () => {
  const clock = { now: () => Date.parse('2026-11-29T12:00:00Z') };

  it('numbers versions, keeps metrics and tags, and lists them in order', async () => {
    const reg = new LocalRegistry(tempDir(), 'test registry', clock);
    const a = await reg.create({
      name: 'flowers',
      files: modelFolder('a'),
      metrics: { accuracy: 0.8 },
      tags: { run: 'r1' },
    });
    const b = await reg.create({
      name: 'flowers',
      files: modelFolder('b'),
      metrics: { accuracy: 0.9 },
      tags: { run: 'r2' },
    });
    expect([a.version, b.version]).toEqual(['1', '2']);
    expect(b).toMatchObject({
      metrics: { accuracy: 0.9 },
      tags: { run: 'r2' },
      createdAt: '2026-11-29T12:00:00.000Z',
      contentHash: expect.stringMatching(/^sha256:/),
    });
    expect((await reg.list('flowers')).map((v) => v.version)).toEqual(['1', '2']);
    expect(existsSync(path.join(b.location, 'weights', 'group1-shard1of1.bin'))).toBe(true);
    expect(await reg.get('flowers', '3')).toBeUndefined();
  });

  it('registering the same content again returns the existing version, no second copy', async () => {
    const reg = new LocalRegistry(tempDir(), 'test registry', clock);
    const files = modelFolder('same');
    const first = await reg.create({ name: 'm', files, metrics: {}, tags: {} });
    const again = await reg.create({ name: 'm', files, metrics: {}, tags: {} });
    expect(again).toEqual(first);
    expect(await reg.list('m')).toHaveLength(1);
  });

  it('refuses other content under an existing explicit version and leaves no staging behind', async () => {
    const dir = tempDir();
    const reg = new LocalRegistry(dir, 'test registry', clock);
    await reg.create({ name: 'm', version: '1.0.0', files: modelFolder('x'), metrics: {}, tags: {} });
    const p = reg.create({ name: 'm', version: '1.0.0', files: modelFolder('y'), metrics: {}, tags: {} });
    await expect(p).rejects.toThrow(RegistryConflictError);
    await expect(p).rejects.toThrow(
      /test registry already has m version 1\.0\.0 with different content .* register under a new version/,
    );
    expect(readdirSync(path.join(dir, 'models', 'm'))).toEqual(['1.0.0']);
  });

  it('two writers racing for the next number both succeed with different versions', async () => {
    const reg = new LocalRegistry(tempDir(), 'test registry', clock);
    const [a, b] = await Promise.all([
      reg.create({ name: 'm', files: modelFolder('one'), metrics: {}, tags: {} }),
      reg.create({ name: 'm', files: modelFolder('two'), metrics: {}, tags: {} }),
    ]);
    expect(new Set([a.version, b.version])).toEqual(new Set(['1', '2']));
  });

  it('rejects a model name Azure ML would not accept', async () => {
    const reg = new LocalRegistry(tempDir(), 'test registry', clock);
    await expect(reg.list('../etc')).rejects.toThrow(/model name "\.\.\/etc" is not valid/);
  });
});
