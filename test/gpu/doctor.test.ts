/**
 * tfaml doctor without a GPU: a fake nvidia-smi on PATH and a fake library folder drive it through each case, with
 * the real package probes (tfjs-node-gpu is not installed here).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { doctor } from '../../src/commands/doctor.js';
import {
  CUDA11_LIBRARIES,
  diagnose,
  MIN_DRIVER,
  olderThan,
  parseNvidiaSmi,
  type GpuFacts,
} from '../../src/gpu/doctor.js';
import { capture, inputs, tempDir } from '../helpers/project.js';

afterEach(() => vi.unstubAllEnvs());

/** A PATH whose nvidia-smi prints `csv` (or fails with `fail`). */
function fakeSmi(csv: string, fail?: string): string {
  const bin = tempDir('tfaml-bin-');
  const script = fail ? `echo ${JSON.stringify(fail)} >&2; exit 9` : `printf '%s\\n' ${JSON.stringify(csv)}`;
  writeFileSync(path.join(bin, 'nvidia-smi'), `#!/bin/sh\n${script}\n`);
  chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
  return `${bin}${path.delimiter}${process.env.PATH}`;
}

/** A folder holding (empty stand-ins of) the CUDA 11 libraries, all or all but `except`. */
function fakeLibs(except: string[] = []): string {
  const dir = tempDir('tfaml-cuda-');
  for (const l of CUDA11_LIBRARIES) if (!except.includes(l.file)) writeFileSync(path.join(dir, l.file), '');
  return dir;
}

async function run() {
  const out = capture('action');
  const code = await doctor(inputs({ format: 'json', dir: tempDir() }), out);
  return {
    code,
    doc: JSON.parse(out.stdout) as { verdict: string; backend: string; problems: { what: string; fix: string }[] },
    out,
  };
}

const T4 = 'Tesla T4, 535.104.05, 15360';

describe('tfaml doctor', () => {
  it('no GPU: exit 0, training uses wasm', async () => {
    vi.stubEnv('PATH', path.dirname(process.execPath));
    vi.stubEnv('TFAML_CUDA_LIBS', tempDir());
    const { code, doc, out } = await run();
    expect(code).toBe(0);
    expect(doc).toMatchObject({ verdict: 'none', backend: 'wasm', problems: [] });
    expect(out.outputs).toMatchObject({ gpu: 'none', backend: 'wasm' });
    expect(out.summaries[0]).toMatch(/no GPU here; training uses wasm/);
  });

  it('a GPU without the CUDA 11 libraries: exit 1 naming each missing one and the wheels that provide it', async () => {
    vi.stubEnv('PATH', fakeSmi(T4));
    vi.stubEnv('LD_LIBRARY_PATH', fakeLibs(['libcudnn.so.8', 'libcublasLt.so.11']));
    vi.stubEnv('TFAML_CUDA_LIBS', path.join(tempDir(), 'cuda11'));
    const { code, doc } = await run();
    expect(code).toBe(1);
    expect(doc.verdict).toBe('unusable');
    const libs = doc.problems.find((p) => /CUDA 11 \/ cuDNN 8/.test(p.what))!;
    expect(libs.what).toMatch(/libcublasLt\.so\.11, libcudnn\.so\.8 are not found/);
    expect(libs.fix).toMatch(/pip install --target .*cuda11 nvidia-cublas-cu11 nvidia-cudnn-cu11/);
  });

  it('libraries present but tfjs-node-gpu missing: exit 1 with the install command', async () => {
    vi.stubEnv('PATH', fakeSmi(T4));
    vi.stubEnv('LD_LIBRARY_PATH', fakeLibs());
    const { code, doc } = await run();
    expect(code).toBe(1);
    expect(doc.problems).toEqual([
      {
        what: '@tensorflow/tfjs-node-gpu is not installed',
        fix: expect.stringMatching(/npm i --no-save @tensorflow\/tfjs-node-gpu@4\.22\.0/),
      },
    ]);
  });

  it("looks in the nvidia/*/lib folders of tfaml's own folder, where actions/train pip-installs the wheels", async () => {
    vi.stubEnv('PATH', fakeSmi(T4));
    vi.stubEnv('LD_LIBRARY_PATH', '');
    const own = tempDir('tfaml-cuda11-');
    const wheelOf = (file: string) =>
      CUDA11_LIBRARIES.find((l) => l.file === file)!.wheel.replace(/^nvidia-|-cu11$/g, '');
    for (const l of CUDA11_LIBRARIES) {
      mkdirSync(path.join(own, 'nvidia', wheelOf(l.file), 'lib'), { recursive: true });
      if (l.file !== 'libcufft.so.10') writeFileSync(path.join(own, 'nvidia', wheelOf(l.file), 'lib', l.file), '');
    }
    vi.stubEnv('TFAML_CUDA_LIBS', own);
    const out = capture('action');
    expect(await doctor(inputs({ format: 'json', dir: tempDir() }), out)).toBe(1);
    const doc = JSON.parse(out.stdout) as { facts: GpuFacts; problems: { what: string }[] };
    expect(doc.facts.libraries['libcudnn.so.8']).toBe(path.join(own, 'nvidia', 'cudnn', 'lib', 'libcudnn.so.8'));
    expect(doc.facts.libraries['libcudart.so.11.0']).toBe(
      path.join(own, 'nvidia', 'cuda-runtime', 'lib', 'libcudart.so.11.0'),
    );
    expect(doc.facts.libraries['libcufft.so.10']).toBeUndefined();
    expect(doc.facts.searched).toContain(path.join(own, 'nvidia', 'cublas', 'lib'));
    expect(doc.problems[0]!.what).toMatch(/libcufft\.so\.10 is not found/);
  });

  it('a driver too old for CUDA 11 is named with the minimum', async () => {
    vi.stubEnv('PATH', fakeSmi('Tesla K80, 418.67, 11441'));
    vi.stubEnv('LD_LIBRARY_PATH', fakeLibs());
    const { code, doc } = await run();
    expect(code).toBe(1);
    expect(doc.problems[0]).toEqual({
      what: `the driver of Tesla K80 is 418.67, older than ${MIN_DRIVER}, the oldest that runs CUDA 11`,
      fix: `update the NVIDIA driver to ${MIN_DRIVER} or newer`,
    });
  });

  it('nvidia-smi that finds no device is no GPU (as the gpu step of actions/train sees it), its words shown', async () => {
    vi.stubEnv('PATH', fakeSmi('', 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver'));
    vi.stubEnv('LD_LIBRARY_PATH', fakeLibs());
    const out = capture();
    expect(await doctor(inputs({ dir: tempDir() }), out)).toBe(0);
    expect(out.stdout).toMatch(/^tfaml doctor: no GPU here; training uses wasm/);
    expect(out.stdout).toMatch(/GPUs: none: nvidia-smi failed \(NVIDIA-SMI has failed.*its driver is not working/);
  });
});

describe('the pure parts', () => {
  it('parses nvidia-smi CSV, several GPUs', () => {
    expect(parseNvidiaSmi(`${T4}\nNVIDIA A100-SXM4-80GB, 550.54.15, 81920\n`)).toEqual([
      { name: 'Tesla T4', driver: '535.104.05', memoryMiB: 15360 },
      { name: 'NVIDIA A100-SXM4-80GB', driver: '550.54.15', memoryMiB: 81920 },
    ]);
  });

  it.each([
    ['418.67', true],
    ['450.80.02', false],
    ['450.80.1', true],
    ['535.104.05', false],
  ])('driver %s older than the minimum: %s', (v, older) => expect(olderThan(v, MIN_DRIVER)).toBe(older));

  it('everything in place: the GPU is used', () => {
    const facts: GpuFacts = {
      gpus: parseNvidiaSmi(T4),
      libraries: Object.fromEntries(CUDA11_LIBRARIES.map((l) => [l.file, `/x/${l.file}`])),
      searched: ['/x'],
      libraryDir: '/c',
      packages: { 'tfjs-node-gpu': { state: 'loads' }, 'tfjs-node': { state: 'absent' } },
    };
    expect(diagnose(facts)).toEqual({ verdict: 'gpu', backend: 'tensorflow-gpu', problems: [] });
  });
});
