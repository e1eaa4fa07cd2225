/** On a runner, train trusts a remote hub model only through the file hashes tfaml.lock records. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { train } from '../../src/commands/train.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { capture, copyExample, inputs } from '../helpers/project.js';

afterEach(() => vi.unstubAllEnvs());

describe('a remote model the lock pins by handle only', () => {
  it('is refused on a runner, at model.hub, before any download', async () => {
    const dir = copyExample();
    const lockFile = path.join(dir, 'tfaml.lock');
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { models: Record<string, { files?: unknown }> };
    for (const m of Object.values(lock.models)) delete m.files;
    writeFileSync(lockFile, JSON.stringify(lock, null, 2));
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    vi.stubEnv('TFAML_HUB_URL', 'https://127.0.0.1:9'); // nothing may be fetched: a fetch here would fail differently
    const p = train(inputs({ config: path.join(dir, 'tfaml.yml') }), capture('action'));
    await expect(p).rejects.toThrow(ConfigurationError);
    const err = (await p.catch((e: unknown) => e)) as ConfigurationError;
    expect(err.message).toMatch(/tfaml\.lock records no file hashes for https:\/\/tfhub\.dev\/.*run `tfaml lock`/);
    expect(err.location).toMatchObject({ file: 'tfaml.yml', line: 28 });
  });
});
