/**
 * promote through the bundle as users run it: `node dist/cli.js promote` and `node dist/index.js` with a runner's
 * environment, and two promotions in separate processes racing for the same production folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localRegistries } from '../../src/adapters/local/registry.js';
import { TAGS } from '../../src/core/tags.js';
import { copyExample, tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const ACTION = path.join(ROOT, 'dist/index.js');
const MODEL = 'flowers-classifier';

async function candidate(dir: string, metrics: Record<string, number>) {
  const files = tempDir('tfaml-candidate-');
  writeFileSync(path.join(files, 'model.json'), JSON.stringify(metrics));
  return localRegistries(dir).experiment.create({
    name: MODEL,
    files,
    metrics,
    tags: { [TAGS.inputShape]: '[224,224,3]', [TAGS.classes]: '["a","b"]', [TAGS.data]: 'flowers:1' },
  });
}

/** A project outside any git checkout, so the branch comes from GITHUB_REF alone. */
function env(ref: string | undefined): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    GIT_CEILING_DIRECTORIES: os.tmpdir(),
    GITHUB_ACTOR: 'octocat',
  };
  if (ref) e.GITHUB_REF = ref;
  return e;
}

function cli(args: string[], cwd: string, ref: string | undefined) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: env(ref) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const versions = (dir: string) => {
  const p = path.join(dir, '.tfaml', 'production', 'models', MODEL);
  return existsSync(p)
    ? readdirSync(p)
        .filter((f) => !f.startsWith('.'))
        .sort()
    : [];
};

describe('promote through dist/', () => {
  it('the CLI promotes on main, is idempotent, and evaluates without writing elsewhere', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.9, latency_p95_ms: 40 });
    const off = cli(['promote'], dir, 'refs/heads/feature/x');
    expect(off.stderr).toBe('');
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(
      /^✅ gates passed \(nothing written\): flowers-classifier experiment version 1 \(would be production 1\.0\.0\)$/m,
    );
    expect(off.stdout).toContain(
      'note: this is feature/x (from GITHUB_REF), not main: production is written only from promote.branch, so nothing was written',
    );
    expect(versions(dir)).toEqual([]);

    const first = cli(['promote'], dir, 'refs/heads/main');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^✅ promoted: flowers-classifier experiment version 1 → production 1\.0\.0$/m);
    const again = cli(['promote', '--format', 'json'], dir, 'refs/heads/main');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ decision: 'unchanged', productionVersion: '1.0.0' });
    expect(versions(dir)).toEqual(['1.0.0']);

    await candidate(dir, { accuracy: 0.85, latency_p95_ms: 40 });
    const worse = cli(['promote'], dir, 'refs/heads/main');
    expect(worse.code).toBe(1);
    expect(worse.stdout).toContain(
      'accuracy 0.85 is 0.05 lower than the champion 1.0.0 (0.9); at most 0.02 is allowed',
    );

    const bad = cli(['promote', '--candidate', '7'], dir, 'refs/heads/main');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'tfaml: the local experiment registry (.tfaml/experiment) has no flowers-classifier version 7; it has 1, 2 (the latest is 2)\n',
    );
  });

  it('the action sets decision, production-version and report-json and writes the job summary', async () => {
    const workspace = tempDir('tfaml-ws-');
    const dir = path.join(workspace, 'ml');
    spawnSync('cp', ['-r', copyExample(), dir]);
    await candidate(dir, { accuracy: 0.9, latency_p95_ms: 40 });
    const runner = tempDir('tfaml-runner-');
    const outputFile = path.join(runner, 'output');
    const summaryFile = path.join(runner, 'summary');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const r = spawnSync(process.execPath, [ACTION], {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        ...env('refs/heads/main'),
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: runner,
        INPUT_COMMAND: 'promote',
        INPUT_CONFIG: 'ml/tfaml.yml',
      },
    });
    expect(r.status).toBe(0);
    const outputs: Record<string, string> = {};
    for (const m of readFileSync(outputFile, 'utf8').matchAll(/^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm))
      outputs[m[1]!] = m[3]!;
    expect(outputs.decision).toBe('promoted');
    expect(outputs['production-version']).toBe('1.0.0');
    expect(JSON.parse(outputs['report-json']!).gates).toHaveLength(3);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toMatch(
      /^### tfaml promote: ✅ promoted: flowers-classifier experiment version 1 → production 1\.0\.0/,
    );
    expect(summary).toContain(
      '| 1 | `accuracy` | higher | 0.9 | — | drop ≤ 0.02 | ⏭️ skipped | no production champion yet, so there is nothing to compare with |',
    );
  });

  it('two promotions in separate processes racing: exactly one new version; the loser says it lost and to whom', async () => {
    const dir = copyExample();
    await candidate(dir, { accuracy: 0.9, latency_p95_ms: 40 });
    await candidate(dir, { accuracy: 0.91, latency_p95_ms: 40 });
    // Hold the production lock (as this live process) so both evaluate against "no champion" and wait at the lock;
    // then release it and let them race for it.
    const lockDir = path.join(dir, '.tfaml', 'production', 'models', MODEL);
    spawnSync('mkdir', ['-p', lockDir]);
    const lock = path.join(lockDir, '.lock');
    writeFileSync(
      lock,
      JSON.stringify({
        pid: process.pid,
        host: os.hostname(),
        by: 'test',
        what: 'holding',
        since: new Date().toISOString(),
      }),
    );
    const start = (n: string, by: string) =>
      new Promise<{ code: number | null; stdout: string; by: string }>((resolve) => {
        const p = spawn(process.execPath, [CLI, 'promote', '--candidate', n, '--format', 'json'], {
          cwd: dir,
          env: { ...env('refs/heads/main'), GITHUB_ACTOR: by },
        });
        let stdout = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.on('close', (code) => resolve({ code, stdout, by }));
      });
    const racing = Promise.all([start('1', 'alice'), start('2', 'bob')]);
    await new Promise((r) => setTimeout(r, 2500));
    expect(versions(dir)).toEqual([]);
    spawnSync('rm', [lock]);
    const results = await racing;
    const docs = results.map((r) => ({ ...r, doc: JSON.parse(r.stdout) }));
    expect(docs.map((d) => d.doc.decision).sort()).toEqual(['lost', 'promoted']);
    const winner = docs.find((d) => d.doc.decision === 'promoted')!;
    const loser = docs.find((d) => d.doc.decision === 'lost')!;
    expect(winner.code).toBe(0);
    expect(loser.code).toBe(1);
    expect(loser.doc.notes.at(-1)).toMatch(
      new RegExp(`^lost the race to ${winner.by} promoted production 1\\.0\\.0 \\(from experiment:${MODEL}:\\d\\)`),
    );
    expect(versions(dir)).toEqual(['1.0.0']);
    expect(readdirSync(lockDir).filter((f) => f.startsWith('.staging') || f === '.lock')).toEqual([]);
  });
});
