/**
 * Fuzzed specs (issue 11, item 4): a bounded, seeded run of mutated tfaml.yml and Azure ML YAML through validate on
 * every `npm test`. No case may crash (exit 4), leave a problem without a place, or hang. Per-case time limits are
 * bench/fuzz.mjs's to enforce (10,000 cases, 2 s each); a test must pass on a busy machine, so here the only limit is
 * vitest's generous timeout. To replay one case: FUZZ_CASE=<index> npx vitest run test/fuzz/specs.test.ts.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, tempDir } from '../helpers/project.js';
import { fuzzCase } from './cases.js';
import { prepareProject, runCase } from './run-case.js';

const SEED = Number(process.env.FUZZ_SEED ?? 114);
const CASES = 300;

describe('validate on fuzzed specs', () => {
  const dir = tempDir('tfaml-fuzz-');
  const originals = prepareProject(EXAMPLES, dir);
  const prior = process.env.TFAML_WORKSPACE_CHECKS;
  // A mutation may add `workspace:`; the fuzzer tests loading, never Azure.
  process.env.TFAML_WORKSPACE_CHECKS = 'off';
  afterAll(() => {
    if (prior === undefined) delete process.env.TFAML_WORKSPACE_CHECKS;
    else process.env.TFAML_WORKSPACE_CHECKS = prior;
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${CASES} seeded cases end in exit 0/1 with a report or exit 2 with every problem placed`, async () => {
    const only = process.env.FUZZ_CASE;
    const indexes = only === undefined ? [...Array(CASES).keys()] : [Number(only)];
    const bad: string[] = [];
    const codes: Record<number, number> = {};
    for (const i of indexes) {
      const c = fuzzCase(SEED, i, originals);
      const o = await runCase(dir, c, originals);
      codes[o.exitCode] = (codes[o.exitCode] ?? 0) + 1;
      if (o.problem) bad.push(`case ${i} (${c.name}): ${o.problem.split('\n').slice(0, 6).join('\n')}`);
    }
    expect(bad).toEqual([]);
    // The run must reach every kind of verdict, or the mutations have stopped reaching the loaders.
    if (only === undefined) expect(Object.keys(codes).sort()).toEqual(['0', '1', '2']);
  }, 300_000);
});
