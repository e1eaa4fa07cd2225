/**
 * Two promotions at once against the embedded production registry (issue 11, item 5): a few races of two
 * `dist/cli.js promote` processes (see ./race.ts for how both are made to evaluate against the same champion).
 * bench/races.mjs runs many and counts the correct ends. The Azure registry's race is held to the same protocol by
 * test/promote/store-contract.ts, over the fake ARM.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { race, raceTemplate } from './race.js';

const ROOT = path.resolve(__dirname, '../..');
let template: string;
beforeAll(async () => {
  template = await raceTemplate(ROOT);
});
afterAll(() => rmSync(template, { recursive: true, force: true }));

describe('two promote processes racing', () => {
  it.each([1, 2, 3])(
    'run %i: exactly one new production version, and the loser reports lost naming the winner',
    async () => {
      const r = await race(ROOT, template);
      expect(r.problems).toEqual([]);
      expect(r.versions).toEqual(['1.0.0']);
      expect(r.decisions.sort()).toEqual(['lost', 'promoted']);
      expect(r.lostNote).toMatch(
        new RegExp(
          `^lost the race to ${r.winner} promoted production 1\\.0\\.0 \\(from experiment:flowers-classifier:[12]\\) at .*; nothing was written`,
        ),
      );
    },
    90_000,
  );
});
