import { describe, expect, it } from 'vitest';
import { decideBump, nextVersion } from '../../src/gate/semver.js';
import { TAGS } from '../../src/core/tags.js';

const base = {
  [TAGS.inputShape]: '[224,224,3]',
  [TAGS.classes]: '["daisy","roses","tulips"]',
  [TAGS.data]: 'flowers:1',
  [TAGS.runId]: 'r1',
};

describe('decideBump: the semver rule', () => {
  it.each([
    ['no champion', base, undefined, 'initial', /first production version/],
    [
      'same lineage, new run',
      { ...base, [TAGS.runId]: 'r2' },
      base,
      'patch',
      /same input shape, classes and data version/,
    ],
    [
      'new data version',
      { ...base, [TAGS.data]: 'flowers:2' },
      base,
      'minor',
      /data version changed: flowers:1 → flowers:2/,
    ],
    [
      'new input shape',
      { ...base, [TAGS.inputShape]: '[192,192,3]' },
      base,
      'major',
      /input shape changed: \[224,224,3\] → \[192,192,3\]/,
    ],
    [
      'input shape spelled with spaces is the same',
      { ...base, [TAGS.inputShape]: '[224, 224, 3]' },
      base,
      'patch',
      /same/,
    ],
    [
      'a class added',
      { ...base, [TAGS.classes]: '["daisy","roses","tulips","sunflowers"]' },
      base,
      'major',
      /class set changed: added sunflowers/,
    ],
    ['a class removed', { ...base, [TAGS.classes]: '["daisy","roses"]' }, base, 'major', /removed tulips/],
    [
      'classes reordered (the output order)',
      { ...base, [TAGS.classes]: '["roses","daisy","tulips"]' },
      base,
      'major',
      /class order changed/,
    ],
    [
      'shape and data both changed: major wins',
      { ...base, [TAGS.inputShape]: '[96,96,3]', [TAGS.data]: 'flowers:2' },
      base,
      'major',
      /input shape/,
    ],
    [
      'a lineage tag missing on one side counts as a change',
      { ...base, [TAGS.data]: undefined as unknown as string },
      base,
      'minor',
      /flowers:1 → \(not recorded\)/,
    ],
  ] as const)('%s → %s', (_, candidate, champion, bump, why) => {
    const d = decideBump(JSON.parse(JSON.stringify(candidate)), champion);
    expect(d.bump).toBe(bump);
    expect(d.why).toMatch(why);
  });
});

describe('nextVersion', () => {
  it.each([
    [[], 'initial', '1.0.0'],
    [[], 'patch', '1.0.0'],
    [['1.0.0'], 'patch', '1.0.1'],
    [['1.0.0', '1.0.1'], 'minor', '1.1.0'],
    [['1.2.3'], 'major', '2.0.0'],
    // After a rollback to 1.0.0 the next patch still goes above the highest, never reusing 1.0.1.
    [['1.0.0', '1.0.1', '1.0.10', '1.0.9'], 'patch', '1.0.11'],
    [['1.0.0', 'junk'], 'patch', '1.0.1'],
    [['2.0.0'], 'initial', '3.0.0'],
  ] as const)('%j + %s → %s', (existing, bump, expected) => {
    expect(nextVersion(existing, bump)).toBe(expected);
  });
});
