// Two `tfaml promote` processes racing for the embedded production registry, BENCH_RACES times (default 50): prints
// how many races ended correctly (one new production version, one `lost` report naming the winner, nothing left
// behind) and each wrong end. It runs the built CLI (dist/cli.js); the scenario is test/faults/race.ts, the same
// one test/faults/races.test.ts runs a few times, bundled here with esbuild (its hash worker beside it, where
// src/lock/worker-url.ts looks for it). Not a timing benchmark: the count is the result.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RACES = Number(process.env.BENCH_RACES ?? 50);
mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
const work = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'tfaml-bench-races-'));
let template;
try {
  await build({
    entryPoints: {
      race: path.join(ROOT, 'test/faults/race.ts'),
      'hash-worker': path.join(ROOT, 'src/lock/hash-worker.ts'),
    },
    outdir: work,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  writeFileSync(path.join(work, 'package.json'), '{ "type": "module" }\n');
  const { race, raceTemplate } = await import(path.join(work, 'race.js'));
  template = await raceTemplate(ROOT);
  let correct = 0;
  const wins = {};
  for (let i = 1; i <= RACES; i++) {
    const r = await race(ROOT, template);
    if (r.problems.length === 0) {
      correct++;
      wins[r.winner] = (wins[r.winner] ?? 0) + 1;
    } else console.log(`race ${i}: ${r.problems.join('; ')}`);
  }
  const who = Object.entries(wins)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(`${correct}/${RACES} races ended correctly (winners: ${who || 'none'})`);
  process.exitCode = correct === RACES ? 0 : 1;
} finally {
  if (template) rmSync(template, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
