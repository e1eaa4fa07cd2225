// validate's own costs, each as a ratio measured side by side in this run:
//  1. cold start: `tfaml validate` on examples/ vs bare `node -e 0`, alternating runs (target ≤ 1.6×).
//  2. warm re-validate: a project whose data folder holds N (default 100k) small unchanged files, validated a
//     second time so every file is answered by the stat cache (target < 1 s), vs a bare walk of the same tree.
// Runs against dist/ (build first). BENCH_TREE_FILES and BENCH_RUNS shrink it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const cli = path.join(repo, 'dist/cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const FILES = Number(process.env.BENCH_TREE_FILES ?? 100_000);

function time(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. cold start
const ours = [];
const bare = [];
const example = path.join(repo, 'examples/tfaml.yml');
time('node', [cli, 'validate', '--config', example]); // fill the stat cache and the page cache
for (let i = 0; i < RUNS; i++) {
  bare.push(time('node', ['-e', '0']));
  ours.push(time('node', [cli, 'validate', '--config', example]));
}
const o = median(ours);
const b = median(bare);
console.log(
  `cold start: tfaml validate ${o.toFixed(0)} ms, bare node ${b.toFixed(0)} ms (medians of ${RUNS}) → ${(o / b).toFixed(2)}× bare node (target ≤ 1.6×)`,
);

// 2. warm re-validate of a big tree
const dir = mkdtempSync(path.join(os.tmpdir(), 'tfaml-bench-validate-'));
try {
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
  rmSync(dir, { recursive: true, force: true });
}
