// `npm run bench [-- NAME…]`: the benchmarks one after another (all of them, or those named), each in its own
// process so none inherits another's warm caches. validate and races run the built CLI, so dist/ is built first.
// Every benchmark prints ratios measured side by side in its own run; bench/README.md says what each compares.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const ALL = ['validate', 'hash', 'scale', 'fuzz', 'follow', 'audit', 'train', 'latency', 'gpu', 'races', 'report'];
const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}
const chosen = asked.length ? asked : ALL;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' });
  return r.status ?? 1;
}

if (chosen.some((n) => n === 'validate' || n === 'races') && run('npm', ['run', '--silent', 'build']) !== 0)
  process.exit(1);
let failed = 0;
for (const name of chosen) {
  console.log(`\n== ${name} (bench/${name}.mjs) ==`);
  if (run(process.execPath, [path.join(here, `${name}.mjs`)]) !== 0) {
    console.error(`bench/${name}.mjs failed`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
