/**
 * A killed training run (issue 11, item 6): `dist/cli.js train` (local, wasm, the local hub) killed with SIGKILL,
 * which no handler sees, once mid-epoch and once while the checkpoint is being written (the moment its temp file
 * appears), then run again with --resume. It must end with the final metrics of an uninterrupted run (accuracy,
 * loss and macro-F1 within 1e-6, the README's tolerance; the latencies are measured, not trained, and differ) and
 * leave nothing partial: no `*.tmp`, no staging folder in .tfaml/, beside or in --out, and a checkpoint that parses.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/core/fs.js';
import { startStandardHub, type HubServer } from '../fakes/hub-server.js';
import { copyExample, patch, tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');
// Epochs of the head on cached features take milliseconds: enough of them that a kill lands inside the run.
const EPOCHS = 120;
const TOLERANCE = 1e-6;

let hub: HubServer;
let cache: string;
beforeAll(async () => {
  hub = await startStandardHub();
  cache = tempDir('tfaml-cache-');
});
afterAll(() => hub.close());

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function train(dir: string, args: string[], killWhen?: (stderr: string, kill: () => void) => void): Promise<Run> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'train', '--backend', 'wasm', ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      TFAML_HUB_URL: hub.url,
      TFAML_CACHE_DIR: cache,
    },
  });
  let stderr = '';
  const kill = () => child.kill('SIGKILL');
  child.stderr.on('data', (d) => {
    stderr += d;
    killWhen?.(stderr, kill);
  });
  child.stdout.resume();
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

interface Metrics {
  accuracy: number;
  loss: number;
  macro_f1: number;
  history: { epoch: number; loss: number; accuracy: number; valLoss: number; valAccuracy: number }[];
}

const metrics = (out: string) => JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8')) as Metrics;

/** Every file or folder under `dir` that is a leftover of an interrupted write. */
function partial(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter(
    (rel) => /\.tmp$/.test(rel) || /(^|[/\\])\.?[^/\\]*staging/.test(rel),
  );
}

function expectSameTraining(got: Metrics, want: Metrics) {
  for (const k of ['accuracy', 'loss', 'macro_f1'] as const)
    expect(Math.abs(got[k] - want[k]), k).toBeLessThan(TOLERANCE);
  expect(got.history).toHaveLength(EPOCHS);
  for (const [i, h] of got.history.entries()) {
    const w = want.history[i]!;
    expect(h.epoch).toBe(w.epoch);
    for (const k of ['loss', 'accuracy', 'valLoss', 'valAccuracy'] as const)
      expect(Math.abs(h[k] - w[k]), `epoch ${h.epoch} ${k}`).toBeLessThan(TOLERANCE);
  }
}

function expectNothingPartial(dir: string, out: string) {
  expect(partial(path.join(dir, '.tfaml'))).toEqual([]);
  expect(partial(out)).toEqual([]);
  expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
  const cp = JSON.parse(readFileSync(path.join(dir, '.tfaml/checkpoints/flowers-classifier.json'), 'utf8'));
  expect(cp).toMatchObject({ tfaml: 'checkpoint', epoch: EPOCHS });
}

describe('a training run killed with SIGKILL and resumed', () => {
  let reference: Metrics;
  let dir: string;

  it('uninterrupted reference run', async () => {
    const ref = copyExample();
    patch(ref, 'tfaml.yml', 'epochs: 5', `epochs: ${EPOCHS}`);
    const r = await train(ref, ['--out', 'out']);
    expect(r.code).toBe(0);
    reference = metrics(path.join(ref, 'out'));
    expect(reference.history).toHaveLength(EPOCHS);
  }, 60_000);

  it('killed mid-epoch, resumed: the same final metrics, nothing partial', async () => {
    dir = copyExample();
    patch(dir, 'tfaml.yml', 'epochs: 5', `epochs: ${EPOCHS}`);
    let killed = false;
    const first = await train(dir, ['--out', 'out'], (stderr, kill) => {
      // The line for epoch 20 is printed after its checkpoint; epoch 21 is running when the kill lands.
      if (!killed && /^epoch +20\//m.test(stderr)) {
        killed = true;
        kill();
      }
    });
    expect(first.signal).toBe('SIGKILL');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    const cp = JSON.parse(readFileSync(path.join(dir, '.tfaml/checkpoints/flowers-classifier.json'), 'utf8'));
    expect(cp.epoch).toBeGreaterThanOrEqual(20);
    expect(cp.epoch).toBeLessThan(EPOCHS);

    const again = await train(dir, ['--out', 'out', '--resume']);
    expect(again.stderr).toContain(`resumed from the checkpoint after epoch ${cp.epoch}`);
    expect(again.code).toBe(0);
    expectSameTraining(metrics(path.join(dir, 'out')), reference);
    expectNothingPartial(dir, path.join(dir, 'out'));
  }, 60_000);

  it('killed while the checkpoint is written (its temp file just appeared), resumed: the same, nothing partial', async () => {
    const d = copyExample();
    patch(d, 'tfaml.yml', 'epochs: 5', `epochs: ${EPOCHS}`);
    const checkpoints = path.join(d, '.tfaml', 'checkpoints');
    let watcher: ReturnType<typeof watch> | undefined;
    let killed = false;
    const first = await train(d, ['--out', 'out'], (stderr, kill) => {
      // Once a few epochs are done (the folder exists), kill at the next temp file the checkpoint writer creates.
      if (watcher || !/^epoch +5\//m.test(stderr)) return;
      watcher = watch(checkpoints, (_, name) => {
        if (!killed && String(name).endsWith('.tmp')) {
          killed = true;
          kill();
        }
      });
    });
    watcher?.close();
    expect(first.signal).toBe('SIGKILL');
    const again = await train(d, ['--out', 'out', '--resume']);
    expect(again.stderr).toMatch(/resumed from the checkpoint after epoch \d+/);
    expect(again.code).toBe(0);
    expectSameTraining(metrics(path.join(d, 'out')), reference);
    expectNothingPartial(d, path.join(d, 'out'));
  }, 60_000);
});

describe('what a killed writer leaves is removed by the next writer', () => {
  it("writeFileAtomic removes a dead process's temp file of the same file, and leaves a live one's and others'", async () => {
    const dir = tempDir('tfaml-atomic-');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const names = [
        `.cp.json.${dead}.1700000000000.tmp`,
        `.cp.json.${live.pid}.1700000000001.tmp`,
        `.other.json.${dead}.1700000000002.tmp`,
      ];
      for (const n of names) writeFileSync(path.join(dir, n), '{"half');
      writeFileAtomic(path.join(dir, 'cp.json'), '{}');
      expect(readdirSync(dir).sort()).toEqual([names[1], names[2], 'cp.json'].sort());
    } finally {
      live.kill('SIGKILL');
    }
  });
});
