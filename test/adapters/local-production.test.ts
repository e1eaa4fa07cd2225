import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalProductionStore, localProductionStore } from '../../src/adapters/local/production.js';
import { LostRaceError } from '../../src/core/errors.js';
import type { Clock, PublishRequest } from '../../src/core/ports.js';
import { Production } from '../../src/promote/protocol.js';
import { tempDir } from '../helpers/project.js';
import { productionStoreContract } from '../promote/store-contract.js';

const clock = { now: () => Date.parse('2026-11-29T12:00:00Z') };

/** The production registry promote opens on the embedded store (src/commands/promote.ts), with the store's folder. */
const production = (store: LocalProductionStore, c: Clock = clock) =>
  Object.assign(new Production(store, { clock: c }), { dir: store.dir });
const localProductionRegistry = (root: string, c?: Clock) => production(localProductionStore(root, c), c);

function modelFolder(content: string): string {
  const dir = tempDir('tfaml-model-');
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ content }));
  writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(content.repeat(100)));
  return dir;
}

let n = 0;
function request(content: string, expectedChampion: string | undefined, by = 'alice'): PublishRequest {
  const candidate = `experiment:flowers:${++n}`;
  return {
    model: {
      name: 'flowers',
      files: modelFolder(content),
      metrics: { accuracy: 0.9 },
      tags: { 'tfaml.promoted-from': candidate },
    },
    version: (existing) => `1.0.${existing.length}`,
    candidate,
    expectedChampion,
    actor: { by, reason: `promote ${content}`, run: 'local' },
    owners: ['@acme/ml-platform'],
  };
}

const versionsOnDisk = (reg: { dir: string }) =>
  readdirSync(path.join(reg.dir, 'models', 'flowers'))
    .filter((f) => !f.startsWith('.'))
    .sort();

describe('the local production store', () => {
  productionStoreContract(() => {
    const root = tempDir();
    return { store: localProductionStore(root, clock), other: () => localProductionStore(root, clock) };
  });
});

describe('the promotion protocol on the local production store', () => {
  it('publishes a version, makes it champion and records who and why', async () => {
    const reg = localProductionRegistry(tempDir(), clock);
    expect(await reg.champion('flowers')).toBeUndefined();
    const r = await reg.publish(request('a', undefined));
    expect(r).toMatchObject({ outcome: 'created', championChanged: true, version: { version: '1.0.0' } });
    expect((await reg.champion('flowers'))?.version).toBe('1.0.0');
    expect(await reg.history('flowers')).toEqual([
      {
        action: 'promote',
        version: '1.0.0',
        candidate: expect.stringMatching(/^experiment:flowers:\d+$/),
        by: 'alice',
        reason: 'promote a',
        at: '2026-11-29T12:00:00.000Z',
        run: 'local',
      },
    ]);
    expect(existsSync(path.join(reg.dir, 'models', 'flowers', '.lock'))).toBe(false);
  });

  it('publishing the same content again reuses the version: no second copy, champion unchanged', async () => {
    const reg = localProductionRegistry(tempDir(), clock);
    await reg.publish(request('a', undefined));
    const again = await reg.publish(request('a', '1.0.0'));
    expect(again).toMatchObject({ outcome: 'reused', championChanged: false, version: { version: '1.0.0' } });
    expect(versionsOnDisk(reg)).toEqual(['1.0.0']);
    expect(await reg.history('flowers')).toHaveLength(1);
  });

  it('loses when the champion moved since the gates were evaluated, naming the winner, and writes nothing', async () => {
    const reg = localProductionRegistry(tempDir(), clock);
    await reg.publish(request('a', undefined, 'alice'));
    const p = reg.publish(request('b', undefined, 'bob'));
    await expect(p).rejects.toThrow(LostRaceError);
    await expect(p).rejects.toThrow(
      /^lost the race to alice promoted production 1\.0\.0 \(from experiment:flowers:\d+\) at 2026-11-29T12:00:00\.000Z: the champion changed from none to 1\.0\.0 while experiment:flowers:\d+ was being evaluated; nothing was written/,
    );
    expect(versionsOnDisk(reg)).toEqual(['1.0.0']);
  });

  it('two promotions racing on the same folder end with exactly one new version; the loser says to whom', async () => {
    const root = tempDir();
    // Two registry objects, as two processes would have, on the same folder.
    const a = localProductionRegistry(root, clock);
    const b = localProductionRegistry(root, clock);
    const results = await Promise.allSettled([
      a.publish(request('x', undefined, 'alice')),
      b.publish(request('y', undefined, 'bob')),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (await a.history('flowers'))[0]!.by;
    expect(lost[0]!.reason).toBeInstanceOf(LostRaceError);
    expect((lost[0]!.reason as Error).message).toMatch(
      new RegExp(`^lost the race to ${winner} promoted production 1\\.0\\.0`),
    );
    expect(versionsOnDisk(a)).toEqual(['1.0.0']);
    expect(await a.history('flowers')).toHaveLength(1);
    expect(
      readdirSync(path.join(root, '.tfaml', 'production', 'models', 'flowers')).filter(
        (f) => f.startsWith('.staging') || f === '.lock',
      ),
    ).toEqual([]);
  });

  it('the same candidate racing itself: one copy, both succeed with the same version', async () => {
    const root = tempDir();
    const files = modelFolder('same');
    const req = (by: string): PublishRequest => ({
      ...request('same', undefined, by),
      model: { name: 'flowers', files, metrics: {}, tags: {} },
    });
    const [x, y] = await Promise.all([
      localProductionRegistry(root, clock).publish(req('alice')),
      localProductionRegistry(root, clock).publish(req('bob')),
    ]);
    expect(x.version.version).toBe('1.0.0');
    expect(y.version.version).toBe('1.0.0');
    expect([x.outcome, y.outcome].sort()).toEqual(['created', 'reused']);
    expect(versionsOnDisk(localProductionRegistry(root))).toEqual(['1.0.0']);
  });

  it('waits for a live lock, then gives up naming its holder', async () => {
    const reg = production(
      new LocalProductionStore(path.join(tempDir(), 'prod'), 'test production', clock, { waitMs: 100 }),
    );
    mkdirSync(path.join(reg.dir, 'models', 'flowers'), { recursive: true });
    // Held by this (live) process: not stale.
    writeFileSync(
      path.join(reg.dir, 'models', 'flowers', '.lock'),
      JSON.stringify({
        pid: process.pid,
        host: os.hostname(),
        by: 'carol',
        what: 'promoting experiment:flowers:9',
        since: '2026-11-29T11:59:00.000Z',
      }),
    );
    await expect(reg.publish(request('a', undefined))).rejects.toThrow(
      /^test production is locked by carol \(promoting experiment:flowers:9, pid \d+ on .+, since 2026-11-29T11:59:00\.000Z\); waited 0 s/,
    );
    expect(versionsOnDisk(reg)).toEqual([]);
  });

  it('breaks a lock left by a process that is gone', async () => {
    const reg = localProductionRegistry(tempDir(), clock);
    mkdirSync(path.join(reg.dir, 'models', 'flowers'), { recursive: true });
    writeFileSync(
      path.join(reg.dir, 'models', 'flowers', '.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), by: 'crashed', what: 'x', since: 'then' }),
    );
    expect((await reg.publish(request('a', undefined))).version.version).toBe('1.0.0');
  });

  it('a crash after the version but before the champion commit: re-publishing makes that version champion, no copy', async () => {
    const reg = localProductionRegistry(tempDir(), clock);
    const req = request('a', undefined);
    await reg.create({ ...req.model, version: '1.0.0' }); // the first commit happened, the second did not
    expect(await reg.champion('flowers')).toBeUndefined();
    const r = await reg.publish(req);
    expect(r).toMatchObject({ outcome: 'reused', championChanged: true, version: { version: '1.0.0' } });
    expect(versionsOnDisk(reg)).toEqual(['1.0.0']);
  });

  it('rolls back to an earlier version with who and why; refuses an unknown version', async () => {
    const reg = localProductionRegistry(tempDir(), clock);
    await reg.publish(request('a', undefined));
    await reg.publish(request('b', '1.0.0'));
    expect((await reg.champion('flowers'))?.version).toBe('1.0.1');
    const e = await reg.rollback('flowers', '1.0.0', { by: 'dave', reason: 'latency regression in prod' });
    expect(e).toMatchObject({
      action: 'rollback',
      version: '1.0.0',
      previous: '1.0.1',
      by: 'dave',
      reason: 'latency regression in prod',
    });
    expect((await reg.champion('flowers'))?.version).toBe('1.0.0');
    expect((await reg.history('flowers')).map((h) => `${h.action} ${h.version}`)).toEqual([
      'promote 1.0.0',
      'promote 1.0.1',
      'rollback 1.0.0',
    ]);
    await expect(reg.rollback('flowers', '9.9.9', { by: 'dave', reason: 'x' })).rejects.toThrow(
      /has no flowers version 9\.9\.9; it has 1\.0\.0, 1\.0\.1/,
    );
  });

  it('a registry folder that is not a folder cannot be reached (exit 2 error), and nothing is written', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, '.tfaml'));
    writeFileSync(path.join(root, '.tfaml', 'production'), 'not a folder');
    const reg = localProductionRegistry(root, clock);
    await expect(reg.champion('flowers')).rejects.toThrow(
      /the local production registry \(\.tfaml\/production\) cannot be reached at .*\.tfaml\/production \(ENOTDIR\)/,
    );
    await expect(reg.publish(request('a', undefined))).rejects.toThrow(/cannot be reached .*ENOTDIR/);
    expect(readFileSync(path.join(root, '.tfaml', 'production'), 'utf8')).toBe('not a folder');
  });
});
