/** The hub model's lock entry: resolveProject asks its port for a remote model's hashes, mergeLock keeps them. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadProject } from '../../src/config/project.js';
import { emptyLock, type Lockfile } from '../../src/lock/lockfile.js';
import { mergeLock } from '../../src/lock/merge.js';
import { resolveProject } from '../../src/lock/resolve.js';
import { copyExample } from '../helpers/project.js';

const HASH = `sha256:${'a'.repeat(64)}`;
const FILES = { 'model.json': `sha256:${'b'.repeat(64)}`, 'group1-shard1of1': `sha256:${'c'.repeat(64)}` };

async function resolved(remoteModel?: (hub: string) => Promise<{ hash: string; files: Record<string, string> }>) {
  const dir = copyExample();
  const project = loadProject(loadConfig(path.join(dir, 'tfaml.yml')));
  return { project, resolved: await resolveProject(project, remoteModel ? { remoteModel } : {}) };
}

describe('the model entry', () => {
  it('holds the files of a remote model when resolveProject is given the hub port, and only its handle without', async () => {
    const asked: string[] = [];
    const withPort = await resolved(async (hub) => (asked.push(hub), { hash: HASH, files: FILES }));
    expect(asked).toEqual([withPort.project.config.model!.hub]);
    expect(withPort.resolved.model).toEqual({ hub: asked[0], version: '3', hash: HASH, files: FILES });
    const without = await resolved();
    expect(without.resolved.model).toEqual({ hub: asked[0], version: '3' });
  });

  it('keeps the recorded files while the handle is unchanged, and drops them when it changes', async () => {
    const { project, resolved: r } = await resolved();
    const hub = project.config.model!.hub;
    const existing: Lockfile = {
      ...emptyLock(),
      models: { 'flowers-classifier': { hub, version: '3', hash: HASH, files: FILES } },
    };
    expect(mergeLock(existing, r, 'flowers-classifier').lock.models['flowers-classifier']).toEqual({
      hub,
      version: '3',
      hash: HASH,
      files: FILES,
    });
    const moved = { ...r, model: { hub: `${hub.replace('/3/', '/4/')}`, version: '4' } };
    expect(mergeLock(existing, moved, 'flowers-classifier').lock.models['flowers-classifier']).toEqual(moved.model);
  });
});
