import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, LostRaceError, RegistryConflictError } from '../../src/core/errors.js';
import type { ChampionEvent, PublishRequest } from '../../src/core/ports.js';
import { OWNER_TAG, PROMOTE_TAGS } from '../../src/core/tags.js';
import { compareVersions, Production, rolledBack, withOwners } from '../../src/promote/protocol.js';
import { MemoryProductionStore } from '../fakes/memory-production-store.js';
import { tempDir } from '../helpers/project.js';
import { productionStoreContract } from './store-contract.js';

const clock = { now: () => Date.parse('2026-11-29T12:00:00Z') };
const AT = '2026-11-29T12:00:00.000Z';

function modelFolder(content: string): string {
  const dir = tempDir('tfaml-model-');
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ content }));
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
      tags: { [PROMOTE_TAGS.source]: candidate, [PROMOTE_TAGS.promotedBy]: by },
    },
    version: (existing) => `1.0.${existing.length}`,
    candidate,
    expectedChampion,
    actor: { by, reason: `promote ${content}`, run: 'local' },
    owners: ['@acme/ml-platform'],
  };
}

function setup() {
  const store = new MemoryProductionStore(clock);
  return { store, prod: new Production(store, { clock, pollMs: 1, winnerWaitMs: 50 }) };
}

const event = (action: ChampionEvent['action'], version: string, by: string, more: Partial<ChampionEvent> = {}) =>
  ({ action, version, by, reason: 'meanwhile', at: AT, ...more }) as ChampionEvent;

describe('the in-memory production store', () => {
  productionStoreContract(() => {
    const store = new MemoryProductionStore(clock);
    return { store, other: () => store };
  });
});

describe('the promotion protocol', () => {
  it('publishes a new version, makes it champion and records who and why', async () => {
    const { store, prod } = setup();
    expect(await prod.champion('flowers')).toBeUndefined();
    const r = await prod.publish(request('a', undefined));
    expect(r).toMatchObject({ outcome: 'created', championChanged: true, version: { version: '1.0.0' } });
    expect((await prod.champion('flowers'))?.version).toBe('1.0.0');
    expect(await store.log('flowers')).toEqual([
      {
        seq: 1,
        event: {
          action: 'promote',
          version: '1.0.0',
          candidate: expect.stringMatching(/^experiment:flowers:\d+$/),
          by: 'alice',
          reason: 'promote a',
          at: AT,
          run: 'local',
        },
      },
    ]);
  });

  it('tags the version it creates with the owners it is given, in place of an owner tag the candidate carried', async () => {
    const { store, prod } = setup();
    const req = request('a', undefined);
    req.model.tags[OWNER_TAG] = '@someone-else';
    await prod.publish({ ...req, owners: ['@acme/ml-platform', '@bob'] });
    expect((await store.get('flowers', '1.0.0'))?.tags).toEqual({
      [PROMOTE_TAGS.source]: req.candidate,
      [PROMOTE_TAGS.promotedBy]: 'alice',
      [OWNER_TAG]: '@acme/ml-platform @bob',
    });
  });

  it.each<{ owners: string[]; tags: Record<string, string>; expected: Record<string, string> }>([
    { owners: ['@acme/ml'], tags: {}, expected: { [OWNER_TAG]: '@acme/ml' } },
    { owners: [' @acme/ml ', '', '@bob'], tags: { a: '1' }, expected: { a: '1', [OWNER_TAG]: '@acme/ml @bob' } },
    { owners: ['@acme/ml'], tags: { [OWNER_TAG]: '@pr-author' }, expected: { [OWNER_TAG]: '@acme/ml' } },
    { owners: [], tags: { a: '1', [OWNER_TAG]: '@pr-author' }, expected: { a: '1' } },
    { owners: ['  '], tags: {}, expected: {} },
  ])('owner tag: owners $owners over $tags', ({ owners, tags, expected }) => {
    expect(withOwners(tags, owners)).toEqual(expected);
  });

  describe('idempotency', () => {
    it.each([
      {
        case: 'the champion already holds the content: reused, no new entry',
        stage: async (p: Production) => void (await p.publish(request('a', undefined))),
        expected: '1.0.0' as string | undefined,
        result: { outcome: 'reused', championChanged: false },
        entries: 1,
      },
      {
        case: 'a version left by a crash before its commit: reused and made champion, no second copy',
        stage: async (p: Production) => void (await p.create({ ...request('a', undefined).model, version: '1.0.0' })),
        expected: undefined,
        result: { outcome: 'reused', championChanged: true },
        entries: 1,
      },
    ])('$case', async ({ stage, expected, result, entries }) => {
      const { prod } = setup();
      await stage(prod);
      expect(await prod.publish(request('a', expected))).toMatchObject({ ...result, version: { version: '1.0.0' } });
      expect((await prod.list('flowers')).map((v) => v.version)).toEqual(['1.0.0']);
      expect(await prod.history('flowers')).toHaveLength(entries);
    });

    it('content rolled back away from is made champion again by publishing it (the command refuses that first)', async () => {
      const { prod } = setup();
      await prod.publish(request('a', undefined));
      await prod.publish(request('b', '1.0.0'));
      await prod.rollback('flowers', '1.0.0', { by: 'dave', reason: 'bad' });
      expect(await prod.publish(request('b', '1.0.0'))).toMatchObject({
        outcome: 'reused',
        championChanged: true,
        version: { version: '1.0.1' },
      });
    });
  });

  describe('a lost race names the winner and writes nothing it should not', () => {
    it('the expected champion changed since the gates were evaluated: nothing is written', async () => {
      const { prod } = setup();
      await prod.publish(request('a', undefined, 'alice'));
      const p = prod.publish(request('b', undefined, 'bob'));
      await expect(p).rejects.toThrow(LostRaceError);
      await expect(p).rejects.toThrow(
        /^lost the race to alice promoted production 1\.0\.0 \(from experiment:flowers:\d+\) at 2026-11-29T12:00:00\.000Z: the champion changed from none to 1\.0\.0 while experiment:flowers:\d+ was being evaluated; nothing was written\. Run promote again/,
      );
      await expect(p).rejects.toMatchObject({ winner: { by: 'alice', version: '1.0.0' } });
      expect((await prod.list('flowers')).map((v) => v.version)).toEqual(['1.0.0']);
    });

    it.each([
      {
        case: 'another promotion created the same version first',
        op: 'put' as const,
        move: async (s: MemoryProductionStore): Promise<void> => {
          await s.put({ name: 'flowers', version: '1.0.0', files: modelFolder('theirs'), metrics: {}, tags: {} });
          await s.append('flowers', {
            seq: 1,
            event: event('promote', '1.0.0', 'carol', { candidate: 'x:flowers:9' }),
          });
        },
        message:
          /^lost the race to carol promoted production 1\.0\.0 \(from x:flowers:9\) at .*: the champion changed from none to 1\.0\.0/,
        versions: ['1.0.0'],
      },
      {
        case: 'another promotion created the same version but never committed it',
        op: 'put' as const,
        move: async (s: MemoryProductionStore): Promise<void> =>
          void (await s.put({
            name: 'flowers',
            version: '1.0.0',
            files: modelFolder('theirs'),
            metrics: {},
            tags: { [PROMOTE_TAGS.promotedBy]: 'erin', [PROMOTE_TAGS.source]: 'experiment:flowers:8' },
          })),
        message:
          /^lost the race to erin, which registered production 1\.0\.0 \(from experiment:flowers:8\) first; nothing was written/,
        versions: ['1.0.0'],
      },
      {
        case: 'another change took the log position first (a rollback)',
        op: 'append' as const,
        move: async (s: MemoryProductionStore): Promise<void> =>
          void (await s.append('flowers', { seq: 1, event: event('rollback', '0.9.0', 'carol') })),
        message:
          /^lost the race to carol rolled back to production 0\.9\.0 at .*: the champion changed from none to 0\.9\.0/,
        // Staged, never champion: a re-run of this candidate reuses it.
        versions: ['1.0.0'],
      },
    ])('$case', async ({ op, move, message, versions }) => {
      const { store, prod } = setup();
      let once = false;
      store.before = async (o) => {
        if (o !== op || once) return;
        once = true;
        await move(store);
      };
      const p = prod.publish(request('mine', undefined, 'bob'));
      await expect(p).rejects.toThrow(LostRaceError);
      await expect(p).rejects.toThrow(message);
      expect((await prod.list('flowers')).map((v) => v.version)).toEqual(versions);
      expect((await prod.history('flowers')).every((e) => e.by !== 'bob')).toBe(true);
    });

    it('the same candidate racing itself: the other run made this very version champion, so it is reused', async () => {
      const { store, prod } = setup();
      const req = request('same', undefined);
      let once = false;
      store.before = async (o) => {
        if (o !== 'append' || once) return;
        once = true;
        await store.append('flowers', { seq: 1, event: event('promote', '1.0.0', 'bob') });
      };
      expect(await prod.publish(req)).toMatchObject({
        outcome: 'reused',
        championChanged: false,
        version: { version: '1.0.0' },
      });
      expect(await prod.history('flowers')).toHaveLength(1);
    });
  });

  describe('rollback', () => {
    it('makes an earlier version champion with who and why, after whatever change landed first', async () => {
      const { store, prod } = setup();
      await prod.publish(request('a', undefined));
      await prod.publish(request('b', '1.0.0'));
      let once = false;
      store.before = async (o) => {
        if (o !== 'append' || once) return;
        once = true;
        await store.append('flowers', { seq: 3, event: event('promote', '1.0.2', 'carol') });
      };
      const e = await prod.rollback('flowers', '1.0.0', { by: 'dave', reason: 'latency regression' });
      expect(e).toEqual({
        action: 'rollback',
        version: '1.0.0',
        previous: '1.0.2',
        by: 'dave',
        reason: 'latency regression',
        at: AT,
      });
      expect((await prod.history('flowers')).map((h) => `${h.action} ${h.version}`)).toEqual([
        'promote 1.0.0',
        'promote 1.0.1',
        'promote 1.0.2',
        'rollback 1.0.0',
      ]);
    });

    it('gives up, saying so, when every attempt loses to another change', async () => {
      const { store } = setup();
      const prod = new Production(store, { clock, pollMs: 1, winnerWaitMs: 5, attempts: 3 });
      await prod.publish(request('a', undefined));
      store.before = async (o) => {
        if (o !== 'append') return;
        const log = await store.log('flowers');
        store.logs.get('flowers')!.push({ seq: log.length + 1, event: event('promote', '1.0.0', 'carol') });
      };
      await expect(prod.rollback('flowers', '1.0.0', { by: 'dave', reason: 'x' })).rejects.toThrow(
        /^the in-memory production store: the champion of flowers kept changing; 3 attempts to roll back to 1\.0\.0 each lost to another change/,
      );
    });

    it.each([
      { case: 'with versions', publish: true, message: /has no flowers version 9\.9\.9; it has 1\.0\.0$/ },
      { case: 'without any', publish: false, message: /has no flowers version 9\.9\.9; it has no versions yet$/ },
    ])('refuses an unknown version ($case)', async ({ publish, message }) => {
      const { prod } = setup();
      if (publish) await prod.publish(request('a', undefined));
      const p = prod.rollback('flowers', '9.9.9', { by: 'dave', reason: 'x' });
      await expect(p).rejects.toThrow(ConfigurationError);
      await expect(p).rejects.toThrow(message);
    });

    it('sticks: content rolled back away from is refused until it is restored deliberately', async () => {
      const { prod } = setup();
      await prod.publish(request('a', undefined));
      const b = await prod.publish(request('b', '1.0.0'));
      const hash = b.version.contentHash;
      expect(await rolledBack(prod, 'flowers', hash)).toBeUndefined();
      await prod.rollback('flowers', '1.0.0', { by: 'dave', reason: 'wrong labels' });
      expect(await rolledBack(prod, 'flowers', hash)).toMatchObject({
        version: '1.0.1',
        rollback: { action: 'rollback', by: 'dave', reason: 'wrong labels', previous: '1.0.1' },
      });
      expect(await rolledBack(prod, 'flowers', 'sha256:never-published')).toBeUndefined();
      await prod.rollback('flowers', '1.0.1', { by: 'dave', reason: 'labels fixed' });
      expect(await rolledBack(prod, 'flowers', hash)).toBeUndefined();
    });
  });

  it('lists versions in semver order whatever order the store keeps them in', async () => {
    const { store, prod } = setup();
    for (const v of ['1.10.0', '2.0.0', '1.9.0', '1.0.0'])
      await store.put({ name: 'flowers', version: v, files: modelFolder(v), metrics: {}, tags: {} });
    expect((await prod.list('flowers')).map((v) => v.version)).toEqual(['1.0.0', '1.9.0', '1.10.0', '2.0.0']);
    await expect(prod.rollback('flowers', '3.0.0', { by: 'd', reason: 'x' })).rejects.toThrow(
      /it has 1\.0\.0, 1\.9\.0, 1\.10\.0, 2\.0\.0$/,
    );
    expect(['10', '2', '1.0.0', 'b', 'a'].sort(compareVersions)).toEqual(['1.0.0', '2', '10', 'a', 'b']);
  });

  it('creates a version only under an explicit version; other content there is a conflict', async () => {
    const { prod } = setup();
    await prod.create({ name: 'flowers', version: '1.0.0', files: modelFolder('a'), metrics: {}, tags: {} });
    await expect(prod.create({ name: 'flowers', files: modelFolder('a'), metrics: {}, tags: {} })).rejects.toThrow(
      /never auto-numbered/,
    );
    await expect(
      prod.create({ name: 'flowers', version: '1.0.0', files: modelFolder('b'), metrics: {}, tags: {} }),
    ).rejects.toThrow(RegistryConflictError);
  });
});
