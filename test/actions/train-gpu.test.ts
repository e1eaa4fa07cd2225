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
import { installStubs, NPM, NVIDIA_SMI, PIP } from '../helpers/gpu-stubs.js';
import { tempDir } from '../helpers/project.js';
import { CUDA11_LIBRARIES, MIN_DRIVER } from '../../src/gpu/doctor.js';

const ROOT = path.resolve(__dirname, '../..');
const action = parse(readFileSync(path.join(ROOT, 'actions/train/action.yml'), 'utf8')) as {
  runs: {
    steps: {
      id?: string;
      if?: string;
      uses?: string;
      run?: string;
      env?: Record<string, string>;
      with?: Record<string, string>;
    }[];
  };
};
const [gpuStep, cacheStep, installStep, cudaStep, cudaCacheStep, cudaInstallStep] = action.runs.steps;
const LOCK = readFileSync(path.join(ROOT, 'actions/train/gpu/package-lock.json'));
const LOCK_HASH = createHash('sha256').update(LOCK).digest('hex');

let work: string;
let actionPath: string;
let toolCache: string;
let bin: string;
let npmLog: string;
let pipLog: string;

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
      PIP_LOG: pipLog,
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
  installStubs(bin, { npm: NPM, pip: PIP });
  npmLog = path.join(work, 'npm.log');
  pipLog = path.join(work, 'pip.log');
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

/** actions/train/gpu/cuda11.json: the pinned wheels, where each puts its libraries, the driver minimum. */
const PINS_FILE = readFileSync(path.join(ROOT, 'actions/train/gpu/cuda11.json'));
const PINS = JSON.parse(PINS_FILE.toString('utf8')) as {
  minDriver: string;
  sources: string[];
  wheels: { name: string; version: string; lib: string; files: string[] }[];
};
const PINS_HASH = createHash('sha256').update(PINS_FILE).digest('hex');
const cudaDir = () => `${toolCache}/tfaml-cuda11/${PINS_HASH.slice(0, 16)}`;
const cuda = (env: Record<string, string> = {}) => runStep(cudaStep!.run!, { INSTALL: 'true', ...env });
const cudaInstall = (env: Record<string, string> = {}) => runStep(cudaInstallStep!.run!, { DIR: cudaDir(), ...env });
const pipCalls = () => (existsSync(pipLog) ? readFileSync(pipLog, 'utf8').trim().split('\n').filter(Boolean) : []);
const withGpu = (driver = '535.104.05') => {
  installStubs(bin, { 'nvidia-smi': NVIDIA_SMI });
  return { FAKE_DRIVER: driver };
};

describe('the CUDA 11 runtime pins (actions/train/gpu/cuda11.json)', () => {
  it('name every library doctor checks, from the wheel doctor names, and doctor’s driver minimum', () => {
    const pinned = PINS.wheels.flatMap((w) => w.files.map((file) => ({ file, wheel: w.name })));
    expect(pinned).toEqual([...CUDA11_LIBRARIES]);
    expect(PINS.minDriver).toBe(MIN_DRIVER);
    for (const w of PINS.wheels) {
      expect(w.version, w.name).toMatch(/^\d+(\.\d+)+$/);
      expect(w.lib, w.name).toMatch(/^nvidia\/[a-z_]+\/lib$/);
      expect(PINS.sources.join('\n'), `${w.name} has a source`).toContain(`${w.name} ${w.version}`);
    }
    // CUDA 11 (sonames .so.11 / .so.10) and cuDNN 8, as libtensorflow 2.9.1 was built against.
    expect(PINS.wheels.every((w) => w.name.endsWith('-cu11'))).toBe(true);
    expect(PINS.wheels.find((w) => w.name === 'nvidia-cudnn-cu11')!.version).toMatch(/^8\./);
  });
});

describe('the cuda step', () => {
  it('no GPU install asked: nothing to do, LD_LIBRARY_PATH handed on as the runner has it', () => {
    const r = runStep(cudaStep!.run!, { INSTALL: 'false', LD_LIBRARY_PATH: '/opt/x/lib' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs).toEqual({ 'ld-library-path': '/opt/x/lib', install: 'false' });
    expect(pipCalls()).toEqual([]);
  });

  it('a GPU without the libraries: install into the tool cache, named by the pins’ hash, on LD_LIBRARY_PATH', () => {
    const r = cuda({ ...withGpu(), LD_LIBRARY_PATH: '/opt/x/lib' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/libcudart\.so\.11\.0 .*libcudnn\.so\.8 not found on this runner/);
    expect(r.outputs).toEqual({
      install: 'true',
      hash: PINS_HASH,
      dir: cudaDir(),
      'ld-library-path': [...PINS.wheels.map((w) => `${cudaDir()}/${w.lib}`), '/opt/x/lib'].join(':'),
    });
  });

  it('a runner whose loader finds every library uses its own', () => {
    const libs = tempDir('tfaml-libs-');
    for (const l of CUDA11_LIBRARIES) writeFileSync(path.join(libs, l.file), '');
    const r = cuda({ ...withGpu(), LD_LIBRARY_PATH: `/nowhere:${libs}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('the runner’s loader finds every library'.replace('’', "'"));
    expect(r.outputs).toEqual({ 'ld-library-path': `/nowhere:${libs}`, install: 'false' });
  });

  it('one library missing is enough to install the set', () => {
    const libs = tempDir('tfaml-libs-');
    for (const l of CUDA11_LIBRARIES) if (l.file !== 'libcudnn.so.8') writeFileSync(path.join(libs, l.file), '');
    const r = cuda({ ...withGpu(), LD_LIBRARY_PATH: libs });
    expect(r.outputs.install).toBe('true');
    expect(r.stdout).toMatch(/CUDA 11 runtime: libcudnn\.so\.8 not found/);
  });

  it('a driver too old for CUDA 11 is named with the minimum, and nothing is installed', () => {
    const r = cuda(withGpu('418.87.01'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `::warning title=tfaml train::the NVIDIA driver is 418.87.01, older than ${MIN_DRIVER}, the oldest that runs CUDA 11: update the driver to ${MIN_DRIVER} or newer`,
    );
    expect(r.outputs.install).toBe('false');
    expect(cuda(withGpu(MIN_DRIVER)).outputs.install).toBe('true');
    expect(cuda(withGpu('450.80.1')).outputs.install).toBe('false');
  });

  it('the cache step is keyed by the runner and the pins’ hash only, pinned by commit', () => {
    expect(cudaCacheStep!.uses).toBe(cacheStep!.uses);
    expect(cudaCacheStep!.if).toBe("steps.cuda.outputs.install == 'true'");
    expect(cudaCacheStep!.with).toEqual({
      path: '${{ steps.cuda.outputs.dir }}',
      key: 'tfaml-cuda11-${{ runner.os }}-${{ runner.arch }}-${{ steps.cuda.outputs.hash }}',
    });
  });

  it('LD_LIBRARY_PATH reaches the doctor and run steps only', () => {
    const steps = action.runs.steps;
    const withPath = steps.filter((s) => s.env && 'LD_LIBRARY_PATH' in s.env).map((s) => s.id);
    expect(withPath).toEqual(['doctor', 'run']);
    for (const s of steps.filter((x) => x.id === 'doctor' || x.id === 'run'))
      expect(s.env).toMatchObject({
        LD_LIBRARY_PATH: '${{ steps.cuda.outputs.ld-library-path }}',
        TFAML_CUDA_LIBS: '${{ steps.cuda.outputs.dir }}',
      });
    expect(JSON.stringify(steps)).not.toContain('GITHUB_ENV');
  });
});

describe('installing the CUDA 11 wheels', () => {
  const pipLine = (dir: string) =>
    `install --disable-pip-version-check --no-input --no-cache-dir --no-deps --only-binary=:all: --target ${dir} ${PINS.wheels.map((w) => `${w.name}==${w.version}`).join(' ')}`;

  it('an empty tool cache: pip installs exactly the pinned wheels into the folder, a listing is written', () => {
    const r = cudaInstall();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(pipCalls()).toEqual([pipLine(cudaDir())]);
    expect(readFileSync(path.join(cudaDir(), 'cuda11.json'))).toEqual(PINS_FILE);
    for (const w of PINS.wheels) for (const f of w.files) expect(existsSync(path.join(cudaDir(), w.lib, f))).toBe(true);
    expect(readFileSync(path.join(cudaDir(), 'tfaml-cuda11.sha256'), 'utf8')).toMatch(
      /\.\/nvidia\/cudnn\/lib\/libcudnn\.so\.8\n/,
    );
  });

  it('wheels that verify are used as they are; a changed or missing file installs them again', () => {
    expect(cudaInstall().code).toBe(0);
    rmSync(pipLog);
    const again = cudaInstall();
    expect(again.stdout).toContain('CUDA 11 runtime: using the verified wheels in');
    expect(pipCalls()).toEqual([]);
    appendFileSync(path.join(cudaDir(), 'nvidia/cublas/lib/libcublas.so.11'), 'x');
    const r = cudaInstall();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('do not verify against actions/train/gpu/cuda11.json; installing them again');
    expect(pipCalls()).toEqual([pipLine(cudaDir())]);
    rmSync(path.join(cudaDir(), 'nvidia/cudnn/lib/libcudnn.so.8'));
    rmSync(pipLog);
    expect(cudaInstall().code).toBe(0);
    expect(pipCalls()).toHaveLength(1);
  });

  it('wheels that lack a library fail the step naming it; pip failing fails the step', () => {
    const r = cudaInstall({ PIP_SKIP: 'libcusparse.so.11' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^::error title=tfaml train::the CUDA 11 wheels in .* lack nvidia\/cusparse\/lib\/libcusparse\.so\.11$/m,
    );
    rmSync(cudaDir(), { recursive: true });
    const f = cudaInstall({ PIP_FAIL: '1' });
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('Could not find a version that satisfies the requirement');
    expect(existsSync(path.join(cudaDir(), 'tfaml-cuda11.sha256'))).toBe(false);
  });
});
