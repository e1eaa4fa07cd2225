/**
 * actions/train's GPU install (scripts/actions/train.steps.yml): the `gpu` input is auto, true or false and nothing
 * else; tfjs-node-gpu comes from the lockfile shipped in actions/train/gpu with `npm ci`; a tree found in the tool
 * cache (restored by actions/cache, or left by an earlier run) is used only after it verifies, and is installed again
 * when it does not. The steps run with bash as the runner runs them, against a copy of the action folder (the link
 * they make must not land in this repository's node_modules) and a stand-in `npm` that records what it was asked.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../helpers/project.js';

const ROOT = path.resolve(__dirname, '../..');
const action = parse(readFileSync(path.join(ROOT, 'actions/train/action.yml'), 'utf8')) as {
  runs: { steps: { id?: string; if?: string; uses?: string; run?: string; env?: Record<string, string> }[] };
};
const [gpuStep, cacheStep, installStep] = action.runs.steps;
const LOCK = readFileSync(path.join(ROOT, 'actions/train/gpu/package-lock.json'));
const LOCK_HASH = createHash('sha256').update(LOCK).digest('hex');

/**
 * A stand-in for npm: `ci --prefix D` lays out a small tfjs-node-gpu tree in D (or a broken one when NPM_BREAK is
 * set), `ls --prefix D --all` prints the tree when its package.json says 4.22.0 and fails otherwise, as npm does
 * for an invalid tree. Every call is appended to NPM_LOG.
 */
const NPM = `#!/bin/bash
set -euo pipefail
echo "$*" >> "$NPM_LOG"
cmd="$1"; shift
prefix=""
while [ $# -gt 0 ]; do case "$1" in --prefix) prefix="$2"; shift 2 ;; *) shift ;; esac; done
pkg="$prefix/node_modules/@tensorflow/tfjs-node-gpu"
case "$cmd" in
  ci)
    [ -f "$prefix/package-lock.json" ] || { echo "npm ci needs a package-lock.json" >&2; exit 1; }
    mkdir -p "$pkg/lib/napi-v8" "$prefix/node_modules/.bin"
    printf '{"name":"@tensorflow/tfjs-node-gpu","version":"%s"}\\n' "\${NPM_BREAK:-4.22.0}" > "$pkg/package.json"
    echo binding > "$pkg/lib/napi-v8/tfjs_binding.node"
    ln -sfn ../@tensorflow/tfjs-node-gpu/package.json "$prefix/node_modules/.bin/tfjs"
    ;;
  ls)
    grep -q '"version":"4.22.0"' "$pkg/package.json" 2>/dev/null || { echo "npm error invalid" >&2; exit 1; }
    printf 'tfaml-train-gpu@0.0.0 %s\\n\`-- @tensorflow/tfjs-node-gpu@4.22.0\\n' "$prefix"
    ;;
  *) echo "npm $cmd is not stubbed" >&2; exit 1 ;;
esac
`;

let work: string;
let actionPath: string;
let toolCache: string;
let bin: string;
let npmLog: string;

function runStep(
  script: string,
  env: Record<string, string>,
): { code: number | null; stdout: string; stderr: string; outputs: Record<string, string> } {
  const out = path.join(work, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(out, '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: work,
    encoding: 'utf8',
    env: {
      PATH: [bin, path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
      HOME: work,
      GITHUB_OUTPUT: out,
      GITHUB_ACTION_PATH: actionPath,
      RUNNER_TOOL_CACHE: toolCache,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      NPM_LOG: npmLog,
      ...env,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

const gpu = (value: string, backend = 'auto') => runStep(gpuStep!.run!, { INPUT_GPU: value, INPUT_BACKEND: backend });
const dir = () => `${toolCache}/tfaml/tfjs-node-gpu/4.22.0/Linux-X64-${LOCK_HASH.slice(0, 16)}`;
const install = (env: Record<string, string> = {}) => runStep(installStep!.run!, { DIR: dir(), ...env });
const npmCalls = () => (existsSync(npmLog) ? readFileSync(npmLog, 'utf8').trim().split('\n').filter(Boolean) : []);

beforeEach(() => {
  work = tempDir('tfaml-gpu-');
  // The action folder as a runner has it: actions/train with gpu/ beside it, two levels under the action's root.
  actionPath = path.join(work, 'action', 'actions', 'train');
  mkdirSync(actionPath, { recursive: true });
  cpSync(path.join(ROOT, 'actions/train/gpu'), path.join(actionPath, 'gpu'), { recursive: true });
  toolCache = path.join(work, 'toolcache');
  bin = path.join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'npm'), NPM);
  chmodSync(path.join(bin, 'npm'), 0o755);
  npmLog = path.join(work, 'npm.log');
});

describe('the lockfile shipped in actions/train/gpu', () => {
  it('pins tfjs-node-gpu 4.22.0 and every package of its tree with an integrity hash', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'actions/train/gpu/package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ '@tensorflow/tfjs-node-gpu': '4.22.0' });
    const lock = JSON.parse(LOCK.toString('utf8'));
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
    expect(lock.packages['node_modules/@tensorflow/tfjs-node-gpu'].version).toBe('4.22.0');
    const entries = Object.entries<{ integrity?: string; link?: boolean }>(lock.packages).filter(([k]) => k !== '');
    expect(entries.length).toBeGreaterThan(20);
    for (const [name, p] of entries) expect(p.integrity, name).toMatch(/^sha512-/);
  });
});

describe('the gpu input', () => {
  it.each(['auto', 'true', 'false'])('accepts %s', (value) => {
    const r = gpu(value);
    expect(r.code).toBe(0);
    expect(r.outputs['lock-hash']).toBe(LOCK_HASH);
    expect(r.outputs.dir).toBe(dir());
  });

  it('true installs, false does not; auto asks nvidia-smi unless another backend was chosen', () => {
    expect(gpu('true').outputs.install).toBe('true');
    expect(gpu('false').outputs.install).toBe('false');
    expect(gpu('auto').outputs.install).toBe('false'); // no nvidia-smi on PATH here
    writeFileSync(path.join(bin, 'nvidia-smi'), '#!/bin/sh\necho "GPU 0: Tesla T4"\n');
    chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
    expect(gpu('auto').outputs.install).toBe('true');
    expect(gpu('auto', 'wasm').outputs.install).toBe('false');
  });

  it.each(['yes', 'True', '', 'auto ', 'true\n::add-mask::x', '1'])('refuses %j with one clear line', (value) => {
    const r = gpu(value);
    expect(r.code).toBe(2);
    expect(r.outputs).toEqual({});
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error title=tfaml train::gpu must be auto, true or false, not /);
  });
});

describe('the cache step', () => {
  it('is keyed by the runner and the lockfile hash only, and pinned by commit', () => {
    expect(cacheStep!.uses).toMatch(/^actions\/cache@[0-9a-f]{40}$/);
    expect(cacheStep!.if).toBe("steps.gpu.outputs.install == 'true'");
    expect((cacheStep as { with: Record<string, string> }).with).toEqual({
      path: '${{ steps.gpu.outputs.dir }}',
      key: 'tfaml-tfjs-node-gpu-${{ runner.os }}-${{ runner.arch }}-${{ steps.gpu.outputs.lock-hash }}',
    });
  });
});

describe('installing tfjs-node-gpu', () => {
  it('an empty tool cache: npm ci from the shipped lockfile, a listing written, the package linked', () => {
    const r = install();
    expect(r.code, r.stderr).toBe(0);
    expect(npmCalls().filter((c) => c.startsWith('ci '))).toEqual([`ci --prefix ${dir()} --no-audit --no-fund`]);
    expect(readFileSync(path.join(dir(), 'package-lock.json'))).toEqual(LOCK);
    expect(readFileSync(path.join(dir(), 'tfaml-tree.sha256'), 'utf8')).toMatch(
      /node_modules\/@tensorflow\/tfjs-node-gpu\/package.json\n/,
    );
    const link = path.join(work, 'action', 'node_modules', '@tensorflow', 'tfjs-node-gpu');
    expect(readlinkSync(link)).toBe(path.join(dir(), 'node_modules/@tensorflow/tfjs-node-gpu'));
  });

  it('a tree that verifies is used as it is', () => {
    expect(install().code).toBe(0);
    rmSync(npmLog);
    const r = install();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('tfjs-node-gpu: using the verified tree in');
    expect(npmCalls().filter((c) => c.startsWith('ci '))).toEqual([]);
  });

  const tamper: [string, () => void][] = [
    [
      'a file changed',
      () =>
        appendFileSync(path.join(dir(), 'node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node'), 'x'),
    ],
    ['a file added', () => writeFileSync(path.join(dir(), 'node_modules/@tensorflow/tfjs-node-gpu/evil.js'), '')],
    [
      'a file removed',
      () => rmSync(path.join(dir(), 'node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node')),
    ],
    [
      'a link retargeted',
      () => {
        const l = path.join(dir(), 'node_modules/.bin/tfjs');
        rmSync(l);
        writeFileSync(path.join(dir(), 'node_modules/elsewhere'), '');
        spawnSync('ln', ['-s', '../elsewhere', l]);
      },
    ],
    ['the listing missing', () => rmSync(path.join(dir(), 'tfaml-tree.sha256'))],
    ['another lockfile', () => appendFileSync(path.join(dir(), 'package-lock.json'), '\n')],
    [
      'another version',
      () =>
        writeFileSync(path.join(dir(), 'node_modules/@tensorflow/tfjs-node-gpu/package.json'), '{"version":"4.21.0"}'),
    ],
    ['a partial restore', () => rmSync(path.join(dir(), 'node_modules'), { recursive: true })],
  ];
  it.each(tamper)('%s: installed again before use', (_, change) => {
    expect(install().code).toBe(0);
    change();
    rmSync(npmLog);
    const r = install();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('does not verify against actions/train/gpu/package-lock.json; installing it again');
    expect(npmCalls().filter((c) => c.startsWith('ci '))).toEqual([`ci --prefix ${dir()} --no-audit --no-fund`]);
    rmSync(npmLog);
    expect(install().stdout).toContain('using the verified tree');
    expect(npmCalls().filter((c) => c.startsWith('ci '))).toEqual([]);
  });

  it('a fresh install that does not verify fails the step', () => {
    const r = install({ NPM_BREAK: '4.21.0' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^::error title=tfaml train::tfjs-node-gpu installed from actions\/train\/gpu\/package-lock.json does not verify/m,
    );
  });
});
