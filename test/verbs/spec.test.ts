/** src/verbs is the one declaration of each verb: the commands are built from it and agree with what they accept. */
import { describe, expect, it } from 'vitest';
import { AUTH_MODES } from '../../src/adapters/azure/auth.js';
import { COMMANDS } from '../../src/commands/index.js';
import { readTrainSettings } from '../../src/commands/train.js';
import { VERBS, commandInputs } from '../../src/verbs/index.js';

describe('src/verbs', () => {
  it('builds every command: inputs, booleans, outputs and events', () => {
    for (const v of VERBS) {
      const c = COMMANDS[v.name]!;
      expect(c.summary).toBe(v.summary);
      expect(c.inputs).toEqual(commandInputs(v));
      expect(c.booleans).toEqual(Object.keys(v.inputs).filter((n) => v.inputs[n]!.type === 'boolean'));
      expect(c.outputs).toEqual(Object.keys(v.outputs));
      expect(c.events).toEqual(v.events);
    }
  });

  it('declares choices only on choice inputs, and a boolean default only on booleans', () => {
    for (const v of VERBS)
      for (const [n, i] of Object.entries(v.inputs)) {
        expect(i.choices !== undefined, `${v.name} ${n}`).toBe(i.type === 'choice');
        if (i.type === 'choice' && typeof i.default === 'string') expect(i.choices).toContain(i.default);
        if (i.default !== undefined)
          expect(typeof i.default === 'boolean', `${v.name} ${n}`).toBe(i.type === 'boolean');
      }
  });

  it('offers the choices the commands accept', () => {
    for (const v of VERBS) {
      expect(v.inputs.format!.choices).toEqual(['text', 'json']);
      if (v.inputs.auth) expect(v.inputs.auth.choices).toEqual(AUTH_MODES);
    }
    const train = VERBS.find((v) => v.name === 'train')!;
    const inputs = { get: (n: string) => (n === 'backend' ? 'nope' : undefined) };
    expect(() => readTrainSettings(inputs, {})).toThrow(
      `it must be one of ${train.inputs.backend!.choices!.join(', ')}`,
    );
  });
});
