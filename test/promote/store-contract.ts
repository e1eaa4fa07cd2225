/**
 * The contract every production store (src/promote/store.ts) keeps, as one suite run against each: the in-memory
 * fake (test/promote/protocol.test.ts), the local store (test/adapters/local-production.test.ts) and the Azure store
 * over the fake ARM (test/azure/production.test.ts). The protocol (src/promote/protocol.ts) relies on exactly this.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { ChampionEvent } from '../../src/core/ports.js';
import { OWNER_TAG } from '../../src/core/tags.js';
import { hashFolder } from '../../src/lock/hash.js';
import { withModelFilesOnly } from '../../src/promote/model-files.js';
import type { ChampionEntry, NewProductionVersion, ProductionStore } from '../../src/promote/store.js';
import { tempDir } from '../helpers/project.js';

export interface StoreHandles {
  store: ProductionStore;
  /** Another handle on the same storage, as a second process would open it. */
  other: () => ProductionStore;
}

let n = 0;
function files(content: string): string {
  const dir = tempDir('tfaml-contract-');
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ content }));
  writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(content.repeat(20)));
  return dir;
}

function version(name: string, v: string, content: string): NewProductionVersion {
  return {
    name,
    version: v,
    files: files(content),
    metrics: { accuracy: 0.9 },
    tags: { 'tfaml.promoted-by': 'alice' },
  };
}

function entry(seq: number, v: string, by = 'alice'): ChampionEntry {
  const event: ChampionEvent = {
    action: 'promote',
    version: v,
    by,
    reason: `promote ${v}`,
    at: '2026-11-29T12:00:00.000Z',
  };
  return { seq, event };
}

/** Registers the contract's tests in the calling describe block; `open` runs once per test, on fresh storage. */
export function productionStoreContract(open: () => StoreHandles | Promise<StoreHandles>): void {
  const model = () => `contract${++n}`;

  it('starts empty: no versions, no log', async () => {
    const { store } = await open();
    const name = model();
    expect(await store.list(name)).toEqual([]);
    expect(await store.get(name, '1.0.0')).toBeUndefined();
    expect(await store.log(name)).toEqual([]);
    expect(store.logLocation(name)).toContain(name);
  });

  it('creates a version only if absent: created, then existed for the same content, conflict for other content', async () => {
    const { store } = await open();
    const name = model();
    const v = version(name, '1.0.0', 'a');
    const hash = (await hashFolder(v.files, v.files)).hash;
    const first = await store.put(v);
    expect(first).toMatchObject({
      status: 'created',
      version: { name, version: '1.0.0', contentHash: hash, metrics: { accuracy: 0.9 } },
    });
    expect((await store.get(name, '1.0.0'))?.contentHash).toBe(hash);
    expect(await store.put(version(name, '1.0.0', 'a'))).toMatchObject({
      status: 'existed',
      version: { version: '1.0.0', contentHash: hash },
    });
    expect(await store.put(version(name, '1.0.0', 'b'))).toMatchObject({
      status: 'conflict',
      theirs: { version: '1.0.0', contentHash: hash },
    });
    expect((await store.list(name)).map((x) => [x.version, x.contentHash])).toEqual([['1.0.0', hash]]);
    expect((await store.put(version(name, '1.0.1', 'b'))).status).toBe('created');
    expect((await store.list(name)).map((x) => x.version).sort()).toEqual(['1.0.0', '1.0.1']);
  });

  it('keeps the tags a version is created with, its owner among them, for every handle on the storage', async () => {
    const { store, other } = await open();
    const name = model();
    const v = version(name, '1.0.0', 't');
    // Owners as promote writes them (src/promote/protocol.ts withOwners): the audit reads this key back.
    const tags = { ...v.tags, [OWNER_TAG]: '@acme/ml-platform @bob' };
    expect(await store.put({ ...v, tags })).toMatchObject({ status: 'created', version: { tags } });
    for (const s of [store, other()]) {
      expect((await s.get(name, '1.0.0'))?.tags).toEqual(tags);
      expect((await s.list(name)).map((x) => x.tags)).toEqual([tags]);
    }
  });

  it('appends to the champion log only at the next position; the same entry again is a retry that holds', async () => {
    const { store } = await open();
    const name = model();
    expect(await store.append(name, entry(1, '1.0.0'))).toBe(true);
    expect(await store.append(name, entry(1, '1.0.0'))).toBe(true);
    expect(await store.append(name, entry(1, '1.0.1', 'bob'))).toBe(false);
    expect(await store.append(name, entry(2, '1.0.1', 'bob'))).toBe(true);
    expect(await store.log(name)).toEqual([entry(1, '1.0.0'), entry(2, '1.0.1', 'bob')]);
  });

  it('two writers appending at the same position: exactly one holds it', async () => {
    const { store, other } = await open();
    const name = model();
    await store.append(name, entry(1, '1.0.0'));
    const results = await Promise.all([
      store.append(name, entry(2, '1.0.1', 'alice')),
      other().append(name, entry(2, '1.0.2', 'bob')),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const log = await store.log(name);
    expect(log).toHaveLength(2);
    expect(log[1]).toEqual(results[0] ? entry(2, '1.0.1', 'alice') : entry(2, '1.0.2', 'bob'));
  });

  it('two writers creating the same version with other content: one creates it, the other meets a conflict', async () => {
    const { store, other } = await open();
    const name = model();
    const results = await Promise.all([
      store.put(version(name, '1.0.0', 'x')),
      other().put(version(name, '1.0.0', 'y')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['conflict', 'created']);
    const won = results.find((r) => r.status === 'created')!;
    expect(await store.list(name)).toHaveLength(1);
    if (won.status !== 'created') throw new Error('unreachable');
    expect((await store.get(name, '1.0.0'))?.contentHash).toBe(won.version.contentHash);
  });

  it('materializes a version as a folder holding exactly its files, when it can', async () => {
    const { store } = await open();
    if (!store.materialize) return;
    const name = model();
    const put = await store.put(version(name, '1.0.0', 'm'));
    if (put.status === 'conflict') throw new Error('unexpected conflict');
    const m = await store.materialize(put.version);
    try {
      // A local registry keeps its record inside the version's folder; the content is the model files alone.
      const hash = await withModelFilesOnly(m.dir, async (dir) => (await hashFolder(dir, dir)).hash);
      expect(hash).toBe(put.version.contentHash);
    } finally {
      await m.cleanup();
    }
  });
}
