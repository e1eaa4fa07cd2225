// validate's own costs, each as a ratio measured side by side in this run:
//  1. cold start: `tfaml validate` (package.json's bin) on examples/ vs bare `node -e 0`, alternating runs (target
//     ≤ 1.6×); beside it the same with an empty compile cache (a first run after an install), the full ES module CLI
//     (dist/cli.js) that other verbs run through, and, where NODE_EXTRA_CA_CERTS is set, all of it without that
//     variable (Node reads the whole bundle of certificates at start-up, which makes bare node slower).
//  2. warm re-validate: a project whose data folder holds N (default 100k) small unchanged files, validated a
//     second time so every file is answered by the stat cache (target < 1 s), vs a bare walk of the same tree.
// Runs against dist/ (build first). BENCH_TREE_FILES and BENCH_RUNS shrink it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const cli = path.join(repo, JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).bin.tfaml);
const fullCli = path.join(repo, 'dist/cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const FILES = Number(process.env.BENCH_TREE_FILES ?? 100_000);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'tfaml-bench-validate-'));
const compileCache = path.join(scratch, 'compile-cache');

function time(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  // 1. cold start
  const example = path.join(repo, 'examples/tfaml.yml');
  const validateArgs = ['validate', '--config', example];
  function coldStart(env) {
    const withCache = { env: { ...env, NODE_COMPILE_CACHE: compileCache } };
    time('node', [cli, ...validateArgs], withCache); // fill the compile cache, the stat cache and the page cache
    // The measure itself: tfaml and bare node alternating. The other runs come after, so that their writes (a first
    // run writes the compile cache) do not fall between the two.
    const t = { ours: [], bare: [], empty: [], full: [], bare2: [] };
    for (let i = 0; i < RUNS; i++) {
      t.bare.push(time('node', ['-e', '0'], { env }));
      t.ours.push(time('node', [cli, ...validateArgs], withCache));
    }
    for (let i = 0; i < RUNS; i++) {
      t.bare2.push(time('node', ['-e', '0'], { env }));
      const empty = mkdtempSync(path.join(scratch, 'empty-'));
      t.empty.push(time('node', [cli, ...validateArgs], { env: { ...env, NODE_COMPILE_CACHE: empty } }));
      t.full.push(time('node', [fullCli, ...validateArgs], { env }));
    }
    const [o, b, e, f, b2] = [t.ours, t.bare, t.empty, t.full, t.bare2].map(median);
    const x = (v, base) => `${(v / base).toFixed(2)}×`;
    return {
      o,
      b,
      line: `${o.toFixed(0)} ms, bare node ${b.toFixed(0)} ms (medians of ${RUNS}) → ${x(o, b)} bare node`,
      rest: `then, beside bare node's ${b2.toFixed(0)} ms: with an empty compile cache ${e.toFixed(0)} ms (${x(e, b2)}), the full ES module CLI (dist/cli.js) ${f.toFixed(0)} ms (${x(f, b2)})`,
    };
  }
  const here1 = coldStart(process.env);
  console.log(`cold start: tfaml validate ${here1.line} (target ≤ 1.6×); ${here1.rest}`);
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const { NODE_EXTRA_CA_CERTS: _, ...env } = process.env;
    const without = coldStart(env);
    console.log(
      `  without NODE_EXTRA_CA_CERTS (set here; bare node spends ${(here1.b - without.b).toFixed(0)} ms of its start-up reading it): tfaml validate ${without.line}; ${without.rest}`,
    );
  }

  // 2. warm re-validate of a big tree
  const dir = path.join(scratch, 'project');
  cpSync(path.join(repo, 'examples'), dir, {
    recursive: true,
    filter: (s) => !s.includes(`${path.sep}.tfaml`) && !s.startsWith(path.join(repo, 'examples/data')),
  });
  const data = path.join(dir, 'data/flowers');
  const perDir = 100;
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(data, `d${String(Math.floor(i / perDir)).padStart(4, '0')}`);
    if (i % perDir === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `f${i}.bin`), `file ${i} `.repeat(6));
  }
  const cfg = path.join(dir, 'tfaml.yml');
  time('node', [cli, 'lock', '--config', cfg, '--force']);
  const first = time('node', [cli, 'validate', '--config', cfg]);
  const warm = [];
  const walk = [];
  const walkScript = `const fs=require('fs'),p=require('path');let n=0;(function w(d){for(const e of fs.readdirSync(d,{withFileTypes:true})){const f=p.join(d,e.name);if(e.isDirectory())w(f);else{fs.lstatSync(f);n++}}})(${JSON.stringify(data)});`;
  for (let i = 0; i < 3; i++) {
    warm.push(time('node', [cli, 'validate', '--config', cfg]));
    walk.push(time('node', ['-e', walkScript]));
  }
  const w = median(warm);
  const k = median(walk);
  console.log(
    `warm re-validate, ${FILES} unchanged files: ${w.toFixed(0)} ms (first validate after lock ${first.toFixed(0)} ms); bare node walk+lstat ${k.toFixed(0)} ms → ${(w / k).toFixed(2)}× the walk (target < 1000 ms)`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
