/**
 * train through the bundle as users run it (dist/cli.js, dist/index.js as a runner runs it), and a cancelled run:
 * SIGTERM writes a checkpoint, exits 143 with nothing registered, and --resume continues from it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandardHub, type HubServer } from '../fakes/hub-server.js';
import { copyExample, patch, tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');
let hub: HubServer;
let cache: string;
beforeAll(async () => {
  hub = await startStandardHub();
  cache = tempDir('tfaml-cache-');
});
afterAll(() => hub.close());

interface Proc {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous (the hub server lives in this process); `onStderr` may signal the child. */
function node(
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; onStderr?: (all: string, kill: () => void) => void },
): Promise<Proc> {
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      TFAML_HUB_URL: hub.url,
      TFAML_CACHE_DIR: cache,
      ...opts.env,
    },
  });
  const r: Proc = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (r.stdout += d));
  child.stderr.on('data', (d) => {
    r.stderr += d;
    opts.onStderr?.(r.stderr, () => child.kill('SIGTERM'));
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ ...r, code })));
}

describe('train from dist/', () => {
  it('validate never loads tfjs: nothing statically reachable from dist/cli.js or the validate chunk calls setBackend', () => {
    const seen = new Set<string>();
    const walk = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const m of readFileSync(f, 'utf8').matchAll(/from\s*"(\.\/[^"]+)"/g))
        walk(path.join(path.dirname(f), m[1]!));
    };
    walk(path.join(ROOT, 'dist/cli.js'));
    for (const f of readdirSync(path.join(ROOT, 'dist/chunks')).filter((n) => n.startsWith('validate-')))
      walk(path.join(ROOT, 'dist/chunks', f));
    expect(seen.size).toBeGreaterThan(2);
    for (const f of seen) expect(readFileSync(f, 'utf8').includes('setBackend'), f).toBe(false);
  });

  it('the CLI trains the example and registers it, exit 0', async () => {
    const dir = copyExample();
    const r = await node([path.join(ROOT, 'dist/cli.js'), 'train'], { cwd: dir });
    expect(r.stderr).toMatch(/^backend: wasm/m);
    expect(r.stdout).toMatch(
      /^✔ trained flowers-classifier on wasm: accuracy [\d.]+, loss [\d.]+, latency p95 [\d.]+ ms \(wasm\), [\d.]+ MiB\n {2}registered as flowers-classifier version 1 in the local experiment registry \(\.tfaml\/experiment\)/,
    );
    expect(r.code).toBe(0);
  }, 120_000);

  it('the action sets model-version and metrics-json and writes the job summary', async () => {
    const workspace = copyExample();
    const runner = tempDir('tfaml-runner-');
    const outputFile = path.join(runner, 'output');
    const summaryFile = path.join(runner, 'summary');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const r = await node([path.join(ROOT, 'dist/index.js')], {
      cwd: workspace,
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: runner,
        INPUT_COMMAND: 'train',
        INPUT_CONFIG: 'tfaml.yml',
        INPUT_BACKEND: 'wasm',
      },
    });
    expect(r.code).toBe(0);
    const outputs: Record<string, string> = {};
    for (const m of readFileSync(outputFile, 'utf8').matchAll(/^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm))
      outputs[m[1]!] = m[3]!;
    expect(outputs['model-version']).toBe('1');
    expect(Object.keys(JSON.parse(outputs['metrics-json']!))).toEqual([
      'accuracy',
      'loss',
      'macro_f1',
      'latency_p50_ms',
      'latency_p95_ms',
      'latency_p50_iqr_ms',
      'latency_p95_iqr_ms',
      'model_bytes',
    ]);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toMatch(/### tfaml train: flowers-classifier version 1, accuracy/);
    expect(summary).toContain('xychart-beta');
  }, 120_000);

  it('SIGTERM writes a final checkpoint and exits 143 with nothing registered; --resume continues from it', async () => {
    const dir = copyExample();
    patch(dir, 'tfaml.yml', 'epochs: 5', 'epochs: 5000');
    const out = path.join(dir, 'out');
    let sent = false;
    const r = await node([path.join(ROOT, 'dist/cli.js'), 'train', '--out', out], {
      cwd: dir,
      onStderr: (all, kill) => {
        if (!sent && /^epoch +3\/5000/m.test(all)) {
          sent = true;
          kill();
        }
      },
    });
    expect(r.stderr).toContain('warning: SIGTERM: writing a checkpoint and stopping');
    expect(r.stderr).toContain(
      'warning: cancelled: the checkpoint is in .tfaml/checkpoints/flowers-classifier.json; run again with --resume to continue',
    );
    expect(r.code).toBe(143);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
    expect(existsSync(path.join(dir, '.tfaml/experiment/models/flowers-classifier'))).toBe(false);
    const cp = JSON.parse(readFileSync(path.join(dir, '.tfaml/checkpoints/flowers-classifier.json'), 'utf8'));
    expect(cp.epoch).toBeGreaterThanOrEqual(3);
    expect(cp.history).toHaveLength(cp.epoch);

    patch(dir, 'tfaml.yml', 'epochs: 5000', `epochs: ${cp.epoch + 2}`);
    const again = await node([path.join(ROOT, 'dist/cli.js'), 'train', '--out', out, '--resume'], { cwd: dir });
    expect(again.stderr).toContain(`resumed from the checkpoint after epoch ${cp.epoch}`);
    expect(again.stderr.match(/^epoch +\d+\//gm)).toHaveLength(2);
    expect(again.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8')).history).toHaveLength(cp.epoch + 2);
  }, 120_000);
});
